/* servicefp.c: see servicefp.h. The escape set follows nmap's own printer (service_scan.cc,
 * ServiceNFO::addToServiceFingerprint) and the grammar of nmap-service-probes match strings. */
#include "servicefp.h"

#include <string.h>

#include "../core/err.h"
#include "../core/str.h"

/* Decodes one escape at s[i] == '\\' (i + 1 < n). Returns the byte and sets *used. */
static unsigned char unescape_one(const char *s, size_t n, size_t i, size_t *used)
{
    char c = s[i + 1];
    *used = 2;
    switch (c) {
    case '0': return 0;
    case 'a': return 7;
    case 'b': return 8;
    case 't': return 9;
    case 'n': return 10;
    case 'v': return 11;
    case 'f': return 12;
    case 'r': return 13;
    case 'x':
        if (i + 3 < n && str_hexval(s[i + 2]) >= 0 && str_hexval(s[i + 3]) >= 0) {
            *used = 4;
            return (unsigned char)(str_hexval(s[i + 2]) * 16 + str_hexval(s[i + 3]));
        }
        return 'x';
    default: return (unsigned char)c;
    }
}

size_t servicefp_unescape(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '\\' && i + 1 < n) {
            size_t used;
            out[o++] = (char)unescape_one(s, n, i, &used);
            i += used;
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    return o;
}

int servicefp_next(const char *fp, size_t n, size_t *pos, char probe[SERVICEFP_MAX_PROBE], char *out,
                   size_t cap, size_t *out_len)
{
    static const char start[] = "%r(";
    size_t i = *pos;
    /* Find the next "%r(". */
    for (;; i++) {
        if (i + 3 > n) {
            *pos = n;
            return 0;
        }
        if (!memcmp(fp + i, start, 3))
            break;
    }
    i += 3;
    size_t p0 = i;
    while (i < n && fp[i] != ',' && fp[i] != ')' && i - p0 < SERVICEFP_MAX_PROBE * 4)
        i++;
    if (i >= n || fp[i] != ',') {
        *pos = i;
        return UNMASK_EPARSE;
    }
    size_t pl = i - p0 < SERVICEFP_MAX_PROBE - 1 ? i - p0 : SERVICEFP_MAX_PROBE - 1;
    memcpy(probe, fp + p0, pl);
    probe[pl] = '\0';
    i++;
    /* HEXLEN: the raw length, used only as a sanity bound. */
    size_t want = 0, digits = 0;
    while (i < n && str_hexval(fp[i]) >= 0 && digits < 8)
        want = want * 16 + (size_t)str_hexval(fp[i++]), digits++;
    if (!digits || i + 1 >= n || fp[i] != ',' || fp[i + 1] != '"') {
        *pos = i;
        return UNMASK_EPARSE;
    }
    i += 2;
    size_t o = 0;
    for (;;) {
        if (i >= n) {
            *pos = n;
            return UNMASK_EPARSE;
        }
        char c = fp[i];
        if (c == '"')
            break;
        unsigned char b;
        if (c == '\\' && i + 1 < n) {
            size_t used;
            b = unescape_one(fp, n, i, &used);
            i += used;
        } else {
            b = (unsigned char)c;
            i++;
        }
        if (o < cap)
            out[o] = (char)b;
        o++;
    }
    i++; /* the closing quote */
    if (i >= n || fp[i] != ')') {
        *pos = i;
        return UNMASK_EPARSE;
    }
    *pos = i + 1;
    *out_len = o < cap ? o : cap;
    (void)want;
    return 1;
}
