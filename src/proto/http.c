/* http.c: HTTP/1.x response parsing (RFC 9112) and the HTTP and HTTPS probes.
 *
 * The probe asks GET / first. What the answer shows chooses the follow-ups, which run once per host
 * (on the first port that spoke HTTP):
 *   - always: GET /favicon.ico (its MD5 is a fingerprint: rapid7/recog xml/favicons.xml);
 *   - the Hikvision web stack (a "*-Webs"/"App-webs" server, /doc/page/ links, an "IP Camera(...)"
 *     realm): GET /ISAPI/Security/sessionLogin/capabilities?username=admin, which answers without
 *     credentials (protocols.md 4.4), and GET /ISAPI/System/deviceInfo (its 401 carries the realm);
 *   - the Dahua web stack (no Server header, upper-case header names, "WEB SERVICE", RPC2 markers in
 *     the page: protocols.md 5.2): POST /RPC2_Login with the published first-phase request, which
 *     returns the login challenge (realm "Login to <serial>", the MAC) and can never log in; the
 *     second phase is never sent.
 * Every response becomes http.* observations; the verdict is the engine's. */
#include "http.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "../core/str.h"
#include "dahua.h"
#include "isapi.h"

#define HTTP_MAX_REPLY (64 * 1024)
#define HTTP_BODY_OBS (16 * 1024) /* the excerpt of a body kept as http.body */
#define HTTP_MAX_HEADER_OBS 32

static bool blank(int c)
{
    return c == ' ' || c == '\t';
}

/* The next line of buf[off..len): its length without the line end in *n; returns the offset after
 * the line end, or 0 when no line end is there yet. */
static size_t next_line(const uint8_t *buf, size_t len, size_t off, size_t *n)
{
    const uint8_t *nl = memchr(buf + off, '\n', len - off);
    if (!nl)
        return 0;
    size_t end = (size_t)(nl - buf);
    *n = end - off - (end > off && buf[end - 1] == '\r');
    return end + 1;
}

int http_parse_head(const uint8_t *buf, size_t len, const char *proto, struct http_response *out)
{
    memset(out, 0, sizeof *out);
    out->content_length = -1;
    size_t plen = strlen(proto);
    size_t cmp = len < plen ? len : plen;
    for (size_t i = 0; i < cmp; i++) /* a prefix of the version token may still become one */
        if (toupper(buf[i]) != toupper((unsigned char)proto[i]))
            return UNMASK_EPARSE;
    if (len < plen + 5) {
        /* Could still be a status line; check what is there. */
        for (size_t i = plen; i < len; i++)
            if (!isdigit(buf[i]) && buf[i] != '.' && buf[i] != ' ')
                return UNMASK_EPARSE;
        return UNMASK_EAGAIN;
    }
    size_t n, off = next_line(buf, len, 0, &n);
    const uint8_t *p = buf + plen;
    if (!isdigit(p[0]) || p[1] != '.' || !isdigit(p[2]) || !blank(p[3]))
        return UNMASK_EPARSE;
    out->minor = p[2] - '0';
    size_t i = plen + 3;
    while (i < len && blank(buf[i]))
        i++;
    if (i + 3 > len)
        return len > HTTP_MAX_HEAD ? UNMASK_ELIMIT : UNMASK_EAGAIN;
    if (!isdigit(buf[i]) || !isdigit(buf[i + 1]) || !isdigit(buf[i + 2]) ||
        (i + 3 < len && !blank(buf[i + 3]) && buf[i + 3] != '\r' && buf[i + 3] != '\n'))
        return UNMASK_EPARSE;
    out->status = (buf[i] - '0') * 100 + (buf[i + 1] - '0') * 10 + (buf[i + 2] - '0');
    if (out->status < 100)
        return UNMASK_EPARSE;
    if (!off)
        return len > HTTP_MAX_HEAD ? UNMASK_ELIMIT : UNMASK_EAGAIN;
    i += 3;
    while (i < n && blank(buf[i]))
        i++;
    out->reason = (const char *)buf + (i < n ? i : n);
    out->reason_len = i < n ? n - i : 0;
    long long cl = -1;
    bool cl_bad = false;
    for (;;) {
        size_t line_start = off;
        off = next_line(buf, len, off, &n);
        if (!off)
            return line_start > HTTP_MAX_HEAD || len > HTTP_MAX_HEAD ? UNMASK_ELIMIT : UNMASK_EAGAIN;
        if (line_start > HTTP_MAX_HEAD)
            return UNMASK_ELIMIT;
        if (n == 0) {
            out->head_len = off;
            break;
        }
        const uint8_t *l = buf + line_start;
        const uint8_t *colon = memchr(l, ':', n);
        if (!colon || colon == l)
            continue; /* not a header (or a folded line): skipped */
        if (out->n_headers >= HTTP_MAX_HEADERS) {
            out->n_dropped++;
        } else {
            struct http_header *h = &out->headers[out->n_headers++];
            size_t nl = (size_t)(colon - l);
            while (nl && blank(l[nl - 1]))
                nl--;
            size_t v = (size_t)(colon - l) + 1;
            while (v < n && blank(l[v]))
                v++;
            size_t ve = n;
            while (ve > v && blank(l[ve - 1]))
                ve--;
            *h = (struct http_header){ (const char *)l, nl, (const char *)l + v, ve - v,
                                       (const char *)l, n };
        }
        size_t nlen = (size_t)(colon - l);
        if (nlen == 14 && !strncasecmp((const char *)l, "Content-Length", 14)) {
            long long v = 0;
            size_t k = nlen + 1;
            while (k < n && blank(l[k]))
                k++;
            if (k == n)
                cl_bad = true;
            for (; k < n && !blank(l[k]); k++) {
                if (!isdigit(l[k]) || v > (1LL << 40)) {
                    cl_bad = true;
                    break;
                }
                v = v * 10 + (l[k] - '0');
            }
            if (cl >= 0 && cl != v)
                cl_bad = true;
            cl = v;
        } else if (nlen == 17 && !strncasecmp((const char *)l, "Transfer-Encoding", 17) &&
                   probe_memcasemem(l + nlen, n - nlen, "chunked")) {
            out->chunked = true;
        }
    }
    out->content_length = cl_bad ? -1 : cl;
    return (int)out->head_len;
}

const struct http_header *http_header_find(const struct http_response *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->n_headers; i++)
        if (r->headers[i].name_len == n && !strncasecmp(r->headers[i].name, name, n))
            return &r->headers[i];
    return NULL;
}

/* Walks chunked framing from off; returns the end offset, 0 when incomplete, -1 when malformed. */
static long chunked_end(const uint8_t *buf, size_t len, size_t off)
{
    for (int chunks = 0; chunks < 100000; chunks++) {
        size_t n, next = next_line(buf, len, off, &n);
        if (!next)
            return 0;
        size_t size = 0, k = 0;
        for (int d; k < n && (d = str_hexval(buf[off + k])) >= 0; k++) {
            if (size > (SIZE_MAX >> 5))
                return -1;
            size = size * 16 + (size_t)d;
        }
        if (k == 0)
            return -1;
        off = next;
        if (size == 0) {
            /* Trailers up to an empty line. */
            for (;;) {
                next = next_line(buf, len, off, &n);
                if (!next)
                    return 0;
                off = next;
                if (n == 0)
                    return (long)off;
            }
        }
        if (len - off < size + 1)
            return 0;
        off += size;
        if (buf[off] == '\r')
            off++;
        if (off >= len)
            return 0;
        if (buf[off] != '\n')
            return -1;
        off++;
    }
    return -1;
}

int http_frame_message(const uint8_t *buf, size_t len, const char *proto, bool eof)
{
    struct http_response r;
    int h = http_parse_head(buf, len, proto, &r);
    if (h == UNMASK_EAGAIN)
        return eof ? UNMASK_EPARSE : UNMASK_EAGAIN;
    if (h < 0)
        return UNMASK_EPARSE;
    size_t head = (size_t)h;
    bool rtsp = !strcmp(proto, "RTSP/");
    if (r.status < 200 || r.status == 204 || r.status == 304)
        return h;
    if (r.chunked && !rtsp) {
        long end = chunked_end(buf, len, head);
        if (end > 0)
            return (int)end;
        return eof || end < 0 ? (int)len : UNMASK_EAGAIN;
    }
    if (r.content_length >= 0) {
        if ((long long)(len - head) >= r.content_length)
            return (int)(head + (size_t)r.content_length);
        return eof ? (int)len : UNMASK_EAGAIN;
    }
    if (rtsp) /* RFC 2326 12.14: no Content-Length, no body */
        return h;
    return eof ? (int)len : UNMASK_EAGAIN;
}

size_t http_dechunk(const uint8_t *body, size_t len, uint8_t *out, size_t cap)
{
    size_t off = 0, w = 0;
    while (off < len) {
        size_t n, next = next_line(body, len, off, &n);
        if (!next)
            break;
        size_t size = 0, k = 0;
        for (int d; k < n && (d = str_hexval(body[off + k])) >= 0 && size < (SIZE_MAX >> 5); k++)
            size = size * 16 + (size_t)d;
        if (k == 0 || size == 0)
            break;
        off = next;
        size_t take = size < len - off ? size : len - off;
        size_t room = cap - w < take ? cap - w : take;
        memcpy(out + w, body + off, room);
        w += room;
        off += take;
        if (off < len && body[off] == '\r')
            off++;
        if (off < len && body[off] == '\n')
            off++;
    }
    return w;
}

const char *http_title(const uint8_t *body, size_t len, size_t *title_len)
{
    const uint8_t *t = probe_memcasemem(body, len, "<title");
    if (!t)
        return NULL;
    const uint8_t *gt = memchr(t, '>', len - (size_t)(t - body));
    if (!gt)
        return NULL;
    const uint8_t *s = gt + 1;
    size_t rest = len - (size_t)(s - body);
    const uint8_t *e = probe_memcasemem(s, rest, "</title");
    size_t n = e ? (size_t)(e - s) : 0;
    if (!e)
        return NULL;
    while (n && isspace(*s)) {
        s++;
        n--;
    }
    while (n && isspace(s[n - 1]))
        n--;
    if (n > 1024)
        n = 1024;
    *title_len = n;
    return (const char *)s;
}

const uint8_t *http_body(const uint8_t *buf, size_t len, const struct http_response *r, uint8_t *scratch,
                         size_t cap, size_t *body_len)
{
    if (r->head_len > len) {
        *body_len = 0;
        return buf + len;
    }
    const uint8_t *b = buf + r->head_len;
    size_t n = len - r->head_len;
    if (r->chunked) {
        *body_len = http_dechunk(b, n, scratch, cap);
        return scratch;
    }
    if (r->content_length >= 0 && (size_t)r->content_length < n)
        n = (size_t)r->content_length;
    *body_len = n;
    return b;
}

static bool text_like(const uint8_t *b, size_t n)
{
    size_t bad = 0, k = n < 512 ? n : 512;
    for (size_t i = 0; i < k; i++)
        bad += b[i] == 0;
    return bad == 0;
}

void http_observe_response(struct probe_host *h, int port, const char *path, const uint8_t *buf,
                           size_t len, const struct http_response *r, const uint8_t *body,
                           size_t body_len)
{
    (void)buf;
    (void)len;
    size_t kept = 0;
    for (size_t i = 0; i < r->n_headers; i++) {
        const struct http_header *hd = &r->headers[i];
        static const struct {
            const char *header, *field;
        } named[] = { { "Server", "http.server" },
                      { "WWW-Authenticate", "http.www_authenticate" },
                      { "Location", "http.location" },
                      { "Set-Cookie", "http.set_cookie" } };
        for (size_t k = 0; k < sizeof named / sizeof *named; k++)
            if (hd->name_len == strlen(named[k].header) &&
                !strncasecmp(hd->name, named[k].header, hd->name_len))
                probe_obs(h, named[k].field, hd->value, hd->value_len, path, port);
        if (kept++ < HTTP_MAX_HEADER_OBS)
            probe_obs(h, "http.header", hd->line, hd->line_len, path, port);
    }
    if (body_len && text_like(body, body_len)) {
        size_t tl;
        const char *t = http_title(body, body_len, &tl);
        if (t)
            probe_obs(h, "http.title", t, tl, path, port);
        probe_obs(h, "http.body", (const char *)body, body_len < HTTP_BODY_OBS ? body_len : HTTP_BODY_OBS,
                  path, port);
    }
}

/* The probe. */

enum http_step { S_ROOT = 0, S_FAVICON, S_ISAPI_CAP, S_ISAPI_INFO, S_RPC2, S_N };

static const char *const step_path[S_N] = {
    [S_ROOT] = "/",
    [S_FAVICON] = "/favicon.ico",
    [S_ISAPI_CAP] = "/ISAPI/Security/sessionLogin/capabilities?username=admin",
    [S_ISAPI_INFO] = "/ISAPI/System/deviceInfo",
    [S_RPC2] = "/RPC2_Login",
};

/* protocols.md 5.3 (Greenbone gb_dahua_devices_default_credentials, rroller/dahua rpc2.py): the first
 * phase of the two-phase login; it only returns the challenge. */
static const char rpc2_body[] =
    "{\"method\":\"global.login\",\"params\":{\"userName\":\"admin\",\"password\":\"\","
    "\"clientType\":\"Dahua3.0-Web3.0\"},\"id\":1}";

static void host_header(const struct probe_host *h, int port, bool tls, char *out, size_t cap)
{
    char host[64];
    probe_host_for_url(h, host, sizeof host);
    if (port == (tls ? 443 : 80))
        snprintf(out, cap, "%s", host);
    else
        snprintf(out, cap, "%s:%d", host, port);
}

static int request_common(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap,
                          bool tls)
{
    char host[80];
    size_t pos = 0;
    int step = x->step >= 0 && x->step < S_N ? x->step : S_ROOT;
    host_header(h, x->port, tls, host, sizeof host);
    if (step == S_RPC2)
        return probe_printf(buf, cap, &pos,
                            "POST /RPC2_Login HTTP/1.1\r\nHost: %s\r\nUser-Agent: unmask\r\n"
                            "Accept: application/json, text/javascript, */*\r\nX-Request: JSON\r\n"
                            "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n"
                            "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                            host, sizeof rpc2_body - 1, rpc2_body) < 0
                   ? UNMASK_ELIMIT
                   : (int)pos;
    return probe_printf(buf, cap, &pos,
                        "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: unmask\r\nAccept: */*\r\n"
                        "Connection: close\r\n\r\n",
                        step_path[step], host) < 0
               ? UNMASK_ELIMIT
               : (int)pos;
}

static int http_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    return request_common(h, x, buf, cap, false);
}

static int https_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    return request_common(h, x, buf, cap, true);
}

static int http_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    return http_frame_message(buf, len, "HTTP/", x->eof);
}

/* Which web stack the root answer looks like (hints only: the rules decide). */
static unsigned stack_hints(const struct http_response *r, const uint8_t *body, size_t body_len)
{
    unsigned hints = 0;
    const struct http_header *srv = http_header_find(r, "Server");
    if (srv && probe_memcasemem((const uint8_t *)srv->value, srv->value_len, "webs"))
        hints |= PH_HIK_WEB;
    const struct http_header *loc = http_header_find(r, "Location");
    if (loc && probe_memcasemem((const uint8_t *)loc->value, loc->value_len, "/doc/page/"))
        hints |= PH_HIK_WEB;
    const struct http_header *auth = http_header_find(r, "WWW-Authenticate");
    if (auth && probe_memcasemem((const uint8_t *)auth->value, auth->value_len, "IP Camera("))
        hints |= PH_HIK_WEB;
    if (probe_memcasemem(body, body_len, "/doc/page/") || probe_memcasemem(body, body_len, "userCheck"))
        hints |= PH_HIK_WEB;
    if (!srv || (auth && probe_memcasemem((const uint8_t *)auth->value, auth->value_len, "Login to ")))
        hints |= PH_DAHUA_WEB;
    for (size_t i = 0; i < r->n_headers; i++)
        if (r->headers[i].name_len == 14 && !strncmp(r->headers[i].name, "CONTENT-LENGTH", 14))
            hints |= PH_DAHUA_WEB;
    static const char *const dahua_marks[] = { "RPC2_Login", "global.login", "WEB SERVICE",
                                               "@WebVersion@", "t_username" };
    for (size_t i = 0; i < sizeof dahua_marks / sizeof *dahua_marks; i++)
        if (probe_memcasemem(body, body_len, dahua_marks[i]))
            hints |= PH_DAHUA_WEB;
    return hints;
}

static int next_planned(struct probe_exchange *x)
{
    for (int s = S_ROOT + 1; s < S_N; s++)
        if (x->state[0] & (1u << s)) {
            x->state[0] &= ~(1u << s);
            x->step = s;
            return PROBE_NEXT;
        }
    return PROBE_DONE;
}

static int http_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct http_response r;
    int step = x->step >= 0 && x->step < S_N ? x->step : S_ROOT;
    const char *path = step_path[step];
    if (http_parse_head(buf, len, "HTTP/", &r) <= 0)
        return step == S_ROOT ? PROBE_DONE : next_planned(x);
    static uint8_t scratch[HTTP_MAX_REPLY]; /* dechunked body; the engine is single-threaded */
    size_t body_len;
    const uint8_t *body = http_body(buf, len, &r, scratch, sizeof scratch, &body_len);
    h->hints |= PH_HTTP_SEEN;
    switch (step) {
    case S_ROOT:
        http_observe_response(h, x->port, path, buf, len, &r, body, body_len);
        if (!(h->hints & PH_HTTP_FOLLOWED)) {
            unsigned hints = stack_hints(&r, body, body_len);
            h->hints |= hints | PH_HTTP_FOLLOWED;
            x->state[0] = 1u << S_FAVICON;
            if (hints & PH_HIK_WEB)
                x->state[0] |= 1u << S_ISAPI_CAP | 1u << S_ISAPI_INFO;
            if (hints & PH_DAHUA_WEB)
                x->state[0] |= 1u << S_RPC2;
        }
        break;
    case S_FAVICON:
        if (r.status == 200 && body_len > 0 && !x->partial) {
            unsigned char md[EVP_MAX_MD_SIZE];
            unsigned mdlen = 0;
            if (EVP_Digest(body, body_len, md, &mdlen, EVP_md5(), NULL) == 1) {
                char hex[2 * EVP_MAX_MD_SIZE + 1];
                for (unsigned i = 0; i < mdlen; i++)
                    snprintf(hex + 2 * i, 3, "%02x", md[i]);
                probe_obss(h, "http.favicon_md5", hex, path, x->port);
            }
        }
        break;
    case S_ISAPI_CAP:
    case S_ISAPI_INFO:
        http_observe_response(h, x->port, path, buf, len, &r, body, body_len);
        if (r.status == 200 && isapi_observe(h, x->port, path, body, body_len) > 0)
            probe_obss(h, "http.path", path, NULL, x->port);
        break;
    case S_RPC2:
        http_observe_response(h, x->port, path, buf, len, &r, body, body_len);
        if (dahua_rpc2_observe(h, x->port, body, body_len) > 0)
            probe_obss(h, "http.path", path, NULL, x->port);
        break;
    default: break;
    }
    return next_planned(x);
}

static const uint16_t http_ports[] = { 80, 7547, 8080, 0 };
static const uint16_t https_ports[] = { 443, 8443, 0 };

static const struct probe_field http_fields[] = {
    { "http.server", "Server header" },
    { "http.header", "every header line, as received" },
    { "http.www_authenticate", "WWW-Authenticate header (realms)" },
    { "http.location", "Location header" },
    { "http.set_cookie", "Set-Cookie header" },
    { "http.title", "HTML title" },
    { "http.body", "body excerpt (16 KiB)" },
    { "http.favicon_md5", "MD5 of /favicon.ico" },
    { "http.path", "a follow-up path that answered" },
    { "isapi.*", "Hikvision ISAPI fields (SessionLoginCap, deviceInfo)" },
    { "dahua.realm", "Dahua RPC2_Login challenge realm" },
    { "mac.address", "the MAC a Dahua RPC2_Login challenge gives away" },
    { NULL, NULL },
};

const struct probe probe_http = {
    .name = "http",
    .service = "http",
    .transport = PROBE_TCP,
    .ports = http_ports,
    .max_reply = HTTP_MAX_REPLY,
    .request = http_request,
    .frame = http_frame,
    .observe = http_observe,
    .fields = http_fields,
    .help = "GET /, then the favicon and the Hikvision ISAPI or Dahua RPC2 follow-ups it calls for",
};

const struct probe probe_https = {
    .name = "https",
    .service = "https",
    .transport = PROBE_TLS,
    .ports = https_ports,
    .max_reply = HTTP_MAX_REPLY,
    .request = https_request,
    .frame = http_frame,
    .observe = http_observe,
    .fields = http_fields,
    .help = "the TLS certificate (tls.subject, tls.issuer), then as http over TLS",
};
