/* ftp.c: the FTP greeting (RFC 959 4.2: "220 text" or "220-" lines ending with "220 text"). */
#include <ctype.h>
#include <string.h>

#include "../core/err.h"
#include "banner.h"

int ftp_parse_greeting(const uint8_t *buf, size_t len)
{
    if (len >= 1 && !isdigit(buf[0]))
        return UNMASK_EPARSE;
    size_t off = 0;
    for (int lines = 0; lines < 64 && off < len; lines++) {
        const uint8_t *nl = memchr(buf + off, '\n', len - off);
        if (!nl)
            return len - off > 4096 ? UNMASK_EPARSE : UNMASK_EAGAIN;
        size_t l = (size_t)(nl - buf) - off;
        const uint8_t *p = buf + off;
        if (lines == 0 && (l < 4 || !isdigit(p[1]) || !isdigit(p[2]) || (p[3] != ' ' && p[3] != '-' && p[3] != '\r')))
            return UNMASK_EPARSE;
        if (l >= 4 && isdigit(p[0]) && isdigit(p[1]) && isdigit(p[2]) && p[3] != '-' &&
            !memcmp(p, buf, 3))
            return (int)(off + l + 1);
        off += l + 1;
    }
    return off >= len ? UNMASK_EAGAIN : UNMASK_EPARSE;
}

static int ftp_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    (void)h;
    (void)x;
    (void)buf;
    (void)cap;
    return 0;
}

static int ftp_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    (void)x;
    return ftp_parse_greeting(buf, len);
}

static int ftp_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    if (!x->partial && ftp_parse_greeting(buf, len) <= 0)
        return PROBE_DONE;
    size_t n = len;
    while (n && (buf[n - 1] == '\r' || buf[n - 1] == '\n'))
        n--;
    if (n)
        probe_obs(h, "ftp.banner", (const char *)buf, n, NULL, x->port);
    return PROBE_DONE;
}

static const uint16_t ftp_ports[] = { 21, 0 };

static const struct probe_field ftp_fields[] = {
    { "ftp.banner", "the greeting (all its lines)" },
    { NULL, NULL },
};

const struct probe probe_ftp = {
    .name = "ftp",
    .service = "ftp",
    .transport = PROBE_TCP,
    .ports = ftp_ports,
    .max_reply = 8192,
    .request = ftp_request,
    .frame = ftp_frame,
    .observe = ftp_observe,
    .fields = ftp_fields,
    .help = "FTP greeting (read only; no login)",
};
