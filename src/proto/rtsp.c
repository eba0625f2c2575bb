/* rtsp.c: the RTSP probe (RFC 2326 10.1 OPTIONS, 10.2 DESCRIBE).
 *
 * OPTIONS shows the server's method list and header style (Hikvision: no Server header, the Public
 * list and a "Date:  " with two spaces, protocols.md 4.7; Dahua: "Dahua Rtsp Server", 5.5). DESCRIBE
 * without credentials draws the 401 and its realm ("IP Camera(C2875)", "Login to <serial>"); a device
 * that serves SDP without a login gives its a= lines. Every header line is kept as rtsp.header. */
#include "rtsp.h"

#include <string.h>

#include "../core/err.h"
#include "http.h"

#define RTSP_MAX_REPLY (32 * 1024)

size_t rtsp_sdp_attributes(const uint8_t *body, size_t len,
                           void (*fn)(void *ctx, const char *line, size_t n), void *ctx)
{
    size_t off = 0, count = 0;
    while (off < len && count < RTSP_MAX_SDP_LINES) {
        const uint8_t *nl = memchr(body + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - body) : len;
        size_t n = end - off;
        if (n && body[off + n - 1] == '\r')
            n--;
        if (n >= 2 && body[off] == 'a' && body[off + 1] == '=') {
            fn(ctx, (const char *)body + off, n);
            count++;
        }
        off = end + 1;
    }
    return count;
}

static int rtsp_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    char host[64];
    size_t pos = 0;
    probe_host_for_url(h, host, sizeof host);
    if (x->step == 0)
        return probe_printf(buf, cap, &pos,
                            "OPTIONS rtsp://%s:%d/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: unmask\r\n\r\n",
                            host, x->port) < 0
                   ? UNMASK_ELIMIT
                   : (int)pos;
    return probe_printf(buf, cap, &pos,
                        "DESCRIBE rtsp://%s:%d/ RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n"
                        "User-Agent: unmask\r\n\r\n",
                        host, x->port) < 0
               ? UNMASK_ELIMIT
               : (int)pos;
}

static int rtsp_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    return http_frame_message(buf, len, "RTSP/", x->eof);
}

struct sdp_ctx {
    struct probe_host *h;
    int port;
};

static void sdp_line(void *ctx, const char *line, size_t n)
{
    struct sdp_ctx *c = ctx;
    probe_obs(c->h, "rtsp.sdp", line, n, "/", c->port);
}

static int rtsp_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct http_response r;
    if (http_parse_head(buf, len, "RTSP/", &r) <= 0)
        return PROBE_DONE;
    for (size_t i = 0; i < r.n_headers; i++) {
        const struct http_header *hd = &r.headers[i];
        if (hd->name_len == 6 && !strncasecmp(hd->name, "Server", 6))
            probe_obs(h, "rtsp.server", hd->value, hd->value_len, "/", x->port);
        else if (hd->name_len == 16 && !strncasecmp(hd->name, "WWW-Authenticate", 16))
            probe_obs(h, "rtsp.www_authenticate", hd->value, hd->value_len, "/", x->port);
        probe_obs(h, "rtsp.header", hd->line, hd->line_len, "/", x->port);
    }
    if (r.status == 200 && x->step == 1 && r.head_len < len) {
        struct sdp_ctx c = { h, x->port };
        rtsp_sdp_attributes(buf + r.head_len, len - r.head_len, sdp_line, &c);
    }
    if (x->step == 0) {
        x->step = 1;
        return PROBE_NEXT_SAME;
    }
    return PROBE_DONE;
}

static const uint16_t rtsp_ports[] = { 554, 0 };

static const struct probe_field rtsp_fields[] = {
    { "rtsp.server", "Server header" },
    { "rtsp.www_authenticate", "WWW-Authenticate of the DESCRIBE 401 (realm)" },
    { "rtsp.header", "every header line, as received" },
    { "rtsp.sdp", "a= lines of an SDP served without a login" },
    { NULL, NULL },
};

const struct probe probe_rtsp = {
    .name = "rtsp",
    .service = "rtsp",
    .transport = PROBE_TCP,
    .ports = rtsp_ports,
    .max_reply = RTSP_MAX_REPLY,
    .request = rtsp_request,
    .frame = rtsp_frame,
    .observe = rtsp_observe,
    .fields = rtsp_fields,
    .help = "RTSP OPTIONS and DESCRIBE (server, header style, realm)",
};
