/* ssh.c: the SSH identification string (RFC 4253 4.2). Nothing is sent: the server speaks first, and
 * the connection closes after its line (no key exchange, no authentication). */
#include <string.h>

#include "../core/err.h"
#include "banner.h"

int ssh_parse_banner(const uint8_t *buf, size_t len, const uint8_t **line, size_t *n)
{
    size_t off = 0;
    for (int lines = 0; lines < 16 && off < len; lines++) {
        const uint8_t *nl = memchr(buf + off, '\n', len - off);
        if (!nl)
            break;
        size_t end = (size_t)(nl - buf), l = end - off;
        if (l && buf[off + l - 1] == '\r')
            l--;
        if (l >= 4 && !memcmp(buf + off, "SSH-", 4)) {
            *line = buf + off;
            *n = l;
            return (int)(end + 1);
        }
        off = end + 1;
    }
    if (len >= 8192)
        return UNMASK_EPARSE;
    /* Sixteen lines without an identification: not SSH. */
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    return lines >= 16 ? UNMASK_EPARSE : UNMASK_EAGAIN;
}

static int ssh_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    (void)h;
    (void)x;
    (void)buf;
    (void)cap;
    return 0;
}

static int ssh_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    const uint8_t *line;
    size_t n;
    (void)x;
    return ssh_parse_banner(buf, len, &line, &n);
}

static int ssh_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    const uint8_t *line;
    size_t n;
    if (ssh_parse_banner(buf, len, &line, &n) > 0)
        probe_obs(h, "ssh.banner", (const char *)line, n, NULL, x->port);
    return PROBE_DONE;
}

static const uint16_t ssh_ports[] = { 22, 0 };

static const struct probe_field ssh_fields[] = {
    { "ssh.banner", "the identification line, e.g. SSH-2.0-HUAWEI-1.5" },
    { NULL, NULL },
};

const struct probe probe_ssh = {
    .name = "ssh",
    .service = "ssh",
    .transport = PROBE_TCP,
    .ports = ssh_ports,
    .max_reply = 8192,
    .request = ssh_request,
    .frame = ssh_frame,
    .observe = ssh_observe,
    .fields = ssh_fields,
    .help = "SSH identification string (read only)",
};
