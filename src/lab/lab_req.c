/* lab_req.c: see lab_req.h. Grammar after RFC 9112 section 3 (request line) and RFC 2326 section 6, read
 * leniently: tokens are separated by one or more spaces, lines end in CRLF or LF. */
#include "lab_req.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../core/err.h"

bool lab_span_icontains(struct lab_span s, const char *needle)
{
    size_t nl = strlen(needle);
    if (!s.p || nl > s.n)
        return false;
    for (size_t i = 0; i + nl <= s.n; i++)
        if (!strncasecmp(s.p + i, needle, nl))
            return true;
    return false;
}

/* Finds the end of the head: the offset just past the empty line, or 0 if not there yet. */
static size_t head_end(const uint8_t *b, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (b[i] != '\n')
            continue;
        if (i + 1 < len && b[i + 1] == '\n')
            return i + 2;
        if (i + 2 < len && b[i + 1] == '\r' && b[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

static struct lab_span trim(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    return (struct lab_span){ p, n };
}

static void set_path(struct lab_req *r)
{
    const char *u = r->uri.p;
    size_t n = r->uri.n, i = 0;
    const char *sep = NULL;
    for (size_t k = 0; k + 2 < n; k++)
        if (u[k] == ':' && u[k + 1] == '/' && u[k + 2] == '/') {
            sep = u + k + 3;
            break;
        }
    if (sep && (size_t)(sep - u) <= 16) { /* scheme://authority/path */
        i = (size_t)(sep - u);
        while (i < n && u[i] != '/')
            i++;
    }
    size_t e = i;
    while (e < n && u[e] != '?' && u[e] != '#')
        e++;
    if (e == i)
        r->path = (struct lab_span){ "/", 1 };
    else
        r->path = (struct lab_span){ u + i, e - i };
}

int lab_req_parse(const uint8_t *buf, size_t len, struct lab_req *out)
{
    memset(out, 0, sizeof *out);
    size_t he = head_end(buf, len);
    if (!he)
        return len > LAB_REQ_MAX_HEAD ? UNMASK_EPARSE : UNMASK_EAGAIN;
    if (he > LAB_REQ_MAX_HEAD)
        return UNMASK_EPARSE;
    const char *s = (const char *)buf;
    /* request line */
    size_t le = 0;
    while (le < he && s[le] != '\n')
        le++;
    struct lab_span line = trim(s, le);
    if (!line.n)
        return UNMASK_EPARSE;
    for (size_t i = 0; i < line.n; i++)
        if ((unsigned char)line.p[i] < 0x20 && line.p[i] != '\t')
            return UNMASK_EPARSE;
    size_t i = 0;
    const char *p = line.p;
    while (i < line.n && p[i] != ' ')
        i++;
    out->method = (struct lab_span){ p, i };
    while (i < line.n && p[i] == ' ')
        i++;
    size_t us = i;
    while (i < line.n && p[i] != ' ')
        i++;
    out->uri = (struct lab_span){ p + us, i - us };
    while (i < line.n && p[i] == ' ')
        i++;
    out->version = (struct lab_span){ p + i, line.n - i };
    if (!out->method.n || !out->uri.n)
        return UNMASK_EPARSE;
    for (size_t k = 0; k < out->method.n; k++)
        if (!isgraph((unsigned char)out->method.p[k]))
            return UNMASK_EPARSE;
    if (!out->version.n)
        out->version.p = NULL;
    set_path(out);
    /* headers */
    unsigned long clen = 0;
    size_t pos = le + 1;
    while (pos < he) {
        size_t e = pos;
        while (e < he && s[e] != '\n')
            e++;
        struct lab_span h = trim(s + pos, e - pos);
        pos = e + 1;
        if (!h.n)
            break;
        const char *colon = memchr(h.p, ':', h.n);
        if (!colon)
            continue; /* devices ignore junk lines; so do we */
        size_t nl = (size_t)(colon - h.p);
        struct lab_span v = trim(colon + 1, h.n - nl - 1);
        if (nl == 4 && !strncasecmp(h.p, "CSeq", 4))
            out->cseq = v;
        else if (nl == 4 && !strncasecmp(h.p, "Host", 4))
            out->host = v;
        else if (nl == 10 && !strncasecmp(h.p, "Connection", 10))
            out->connection = v;
        else if (nl == 14 && !strncasecmp(h.p, "Content-Length", 14)) {
            if (!v.n)
                return UNMASK_EPARSE;
            clen = 0;
            for (size_t k = 0; k < v.n; k++) {
                if (v.p[k] < '0' || v.p[k] > '9')
                    return UNMASK_EPARSE;
                clen = clen * 10 + (unsigned long)(v.p[k] - '0');
                if (clen > LAB_REQ_MAX_BODY)
                    return UNMASK_EPARSE;
            }
            out->has_content_length = true;
        }
    }
    if (len - he < clen)
        return UNMASK_EAGAIN;
    out->body = (struct lab_span){ s + he, clen };
    return (int)(he + clen);
}
