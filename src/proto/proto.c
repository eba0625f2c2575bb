/* proto.c: helpers shared by the probe files, and registry look-ups. */
#include "proto.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "../core/str.h"

const struct probe *probe_find(const char *name)
{
    for (size_t i = 0; probe_registry[i]; i++)
        if (!strcmp(probe_registry[i]->name, name))
            return probe_registry[i];
    return NULL;
}

bool probe_has_port(const struct probe *p, int port)
{
    for (const uint16_t *q = p->ports; q && *q; q++)
        if (*q == port)
            return true;
    return false;
}

void probe_obs(struct probe_host *h, const char *name, const char *v, size_t n, const char *path,
               int port)
{
    obs_add(h->dev, name, strlen(name), v, n, path, path ? strlen(path) : 0, port);
}

void probe_obss(struct probe_host *h, const char *name, const char *v, const char *path, int port)
{
    probe_obs(h, name, v, strlen(v), path, port);
}

const uint8_t *probe_memcasemem(const uint8_t *buf, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return buf;
    for (size_t i = 0; i + n <= len; i++) {
        if (tolower(buf[i]) != tolower((unsigned char)needle[0]))
            continue;
        size_t k = 1;
        while (k < n && tolower(buf[i + k]) == tolower((unsigned char)needle[k]))
            k++;
        if (k == n)
            return buf + i;
    }
    return NULL;
}

int probe_printf(uint8_t *buf, size_t cap, size_t *pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = *pos < cap ? vsnprintf((char *)buf + *pos, cap - *pos, fmt, ap) : -1;
    va_end(ap);
    if (n < 0 || (size_t)n >= cap - *pos)
        return UNMASK_ELIMIT;
    *pos += (size_t)n;
    return UNMASK_OK;
}

void probe_followup(struct probe_host *h, const struct probe *p, int port, const char *text)
{
    if (h->n_followups >= PROBE_MAX_FOLLOWUPS || port < 1 || port > 65535)
        return;
    struct probe_followup *f = &h->followups[h->n_followups++];
    f->probe = p;
    f->port = (uint16_t)port;
    snprintf(f->text, sizeof f->text, "%s", text ? text : "");
}

void probe_host_for_url(const struct probe_host *h, char *out, size_t cap)
{
    snprintf(out, cap, h->ipv6 ? "[%s]" : "%s", h->addr);
}

size_t probe_snake(const char *in, size_t n, char *out, size_t cap)
{
    size_t w = 0;
    if (cap == 0)
        return 0;
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (w + 1 < cap)                                                                           \
            out[w++] = (char)(c);                                                                  \
    } while (0)
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        bool prev_alnum = i > 0 && isalnum((unsigned char)in[i - 1]);
        /* "IPv4", "Ipv6": one word. */
        if ((c == 'I' || c == 'i') && i + 3 < n && toupper((unsigned char)in[i + 1]) == 'P' &&
            in[i + 2] == 'v' && isdigit((unsigned char)in[i + 3])) {
            if (prev_alnum && w && out[w - 1] != '_')
                PUT('_');
            PUT('i');
            PUT('p');
            PUT('v');
            PUT(in[i + 3]);
            i += 3;
            continue;
        }
        if (!isalnum(c)) {
            if (w && out[w - 1] != '_')
                PUT('_');
            continue;
        }
        if (isupper(c) && i > 0 && w && out[w - 1] != '_') {
            unsigned char p = (unsigned char)in[i - 1];
            bool next_lower = i + 1 < n && islower((unsigned char)in[i + 1]);
            if (islower(p) || isdigit(p) || (isupper(p) && next_lower))
                PUT('_');
        }
        PUT(tolower(c));
    }
#undef PUT
    out[w] = '\0';
    return w;
}

bool probe_mac(const char *s, size_t n, char out[18])
{
    int hex[12], k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int d = str_hexval(c);
        if (d >= 0) {
            if (k == 12)
                return false;
            hex[k++] = d;
        } else if (c != ':' && c != '-' && c != '.') {
            return false;
        }
    }
    if (k != 12)
        return false;
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 6; i++) {
        out[3 * i] = digits[hex[2 * i]];
        out[3 * i + 1] = digits[hex[2 * i + 1]];
        out[3 * i + 2] = i < 5 ? ':' : '\0';
    }
    return true;
}
