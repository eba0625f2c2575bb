/* banner.c: see banner.h. HTTP per RFC 9112 section 2 (status line, then field lines up to an empty
 * line); RTSP per RFC 2326 section 7 (the same shape); SSH per RFC 4253 section 4.2; telnet option
 * negotiation per RFC 854 (IAC = 255). */
#include "banner.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void banner_add(struct device *d, const char *name, const char *v, size_t n, int port,
                const char *path)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i < d->n_obs; i++) {
        const struct observation *o = &d->obs[i];
        if (o->port == port && o->value_len == n && !strcmp(o->name, name) && !memcmp(o->value, v, n))
            return;
    }
    obs_add(d, name, nl, v, n, path, path ? strlen(path) : 0, port);
}

static const char *trim(const char *s, size_t n, size_t *out)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    *out = n;
    return s;
}

/* Case-insensitive search for needle in s[0..n). */
static const char *find_ci(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!strncasecmp(s + i, needle, k))
            return s + i;
    return NULL;
}

static void add_title(struct device *d, const char *body, size_t n, int port, const char *path)
{
    const char *t = find_ci(body, n, "<title");
    if (!t)
        return;
    const char *gt = memchr(t, '>', (size_t)(body + n - t));
    if (!gt)
        return;
    gt++;
    const char *end = find_ci(gt, (size_t)(body + n - gt), "</title");
    if (!end)
        return;
    size_t l;
    const char *v = trim(gt, (size_t)(end - gt), &l);
    if (l)
        banner_add(d, "http.title", v, l, port, path);
}

/* Header lines of an HTTP or RTSP response; returns the offset of the body. */
static size_t add_headers(struct device *d, const char *proto, const char *buf, size_t len, int port,
                          const char *path)
{
    char name[32];
    const char *p = memchr(buf, '\n', len);
    if (!p)
        return len;
    p++;
    const char *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t ll = (size_t)(le - p);
        if (ll && p[ll - 1] == '\r')
            ll--;
        if (ll == 0)
            return nl ? (size_t)(nl + 1 - buf) : len;
        const char *colon = memchr(p, ':', ll);
        if (colon && colon > p) {
            size_t hl;
            const char *line = trim(p, ll, &hl);
            snprintf(name, sizeof name, "%s.header", proto);
            banner_add(d, name, line, hl, port, path);
            size_t kl = (size_t)(colon - p), vl;
            const char *v = trim(colon + 1, ll - kl - 1, &vl);
            static const struct {
                const char *header, *field;
                bool http_only;
            } known[] = {
                { "Server", "server", false },
                { "WWW-Authenticate", "www_authenticate", false },
                { "Location", "location", true },
                { "Set-Cookie", "set_cookie", true },
            };
            for (size_t k = 0; k < sizeof known / sizeof *known; k++)
                if (strlen(known[k].header) == kl && !strncasecmp(p, known[k].header, kl) &&
                    (!known[k].http_only || !strcmp(proto, "http"))) {
                    snprintf(name, sizeof name, "%s.%s", proto, known[k].field);
                    banner_add(d, name, v, vl, port, path);
                }
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return len;
}

/* Removes telnet option negotiation (RFC 854: IAC = 255) from s in place; returns the new length. */
static size_t strip_iac(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c != 255) {
            s[o++] = s[i++];
            continue;
        }
        if (i + 1 >= n)
            break;
        unsigned char cmd = (unsigned char)s[i + 1];
        if (cmd == 255) { /* escaped 255 */
            s[o++] = s[i];
            i += 2;
        } else if (cmd >= 251 && cmd <= 254) { /* WILL WONT DO DONT option */
            i += 3;
        } else if (cmd == 250) { /* SB ... IAC SE */
            i += 2;
            while (i + 1 < n && !((unsigned char)s[i] == 255 && (unsigned char)s[i + 1] == 240))
                i++;
            i += 2;
        } else {
            i += 2;
        }
    }
    return o;
}

size_t banner_observe(struct device *d, const char *buf, size_t len, int port, const char *service,
                      const char *path)
{
    size_t before = d->n_obs;
    if (len > BANNER_MAX)
        len = BANNER_MAX;
    if (len >= 9 && !memcmp(buf, "HTTP/1.", 7)) {
        size_t body = add_headers(d, "http", buf, len, port, path);
        add_title(d, buf + body, len - body, port, path);
    } else if (len >= 9 && !memcmp(buf, "RTSP/1.", 7)) {
        add_headers(d, "rtsp", buf, len, port, NULL);
    } else if (len >= 4 && !memcmp(buf, "SSH-", 4)) {
        size_t l = 0;
        while (l < len && buf[l] != '\r' && buf[l] != '\n')
            l++;
        banner_add(d, "ssh.banner", buf, l, port, NULL);
    } else if ((service && !strcmp(service, "telnet")) ||
               (len >= 3 && (unsigned char)buf[0] == 255 && (unsigned char)buf[1] >= 251 &&
                (unsigned char)buf[1] <= 254)) {
        char tmp[4096];
        size_t n = len < sizeof tmp ? len : sizeof tmp;
        memcpy(tmp, buf, n);
        n = strip_iac(tmp, n);
        size_t l;
        const char *v = trim(tmp, n, &l);
        if (l)
            banner_add(d, "telnet.banner", v, l, port, NULL);
    } else if ((service && !strcmp(service, "ftp")) || (len >= 4 && !memcmp(buf, "220", 3))) {
        size_t l;
        const char *v = trim(buf, len, &l);
        if (l)
            banner_add(d, "ftp.banner", v, l, port, NULL);
    }
    return d->n_obs - before;
}
