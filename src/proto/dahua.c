/* dahua.c: the Dahua RPC2_Login challenge and the DVRIP realm on TCP 37777.
 *
 * RPC2_Login: JSON parsed with yajl's tree API (the body is capped at 16 KiB first).
 * DVRIP: the 32-byte realm request of mcw0/Tools Dahua-JSON-Debug-Console-v2.py (protocols.md 2.3):
 * a0 01 00 00, 20 zero bytes, 05 02 01 01 00 00 a1 aa. The reply is a 32-byte header whose bytes
 * 4..7 are the payload length (little-endian), then text lines "Realm:Login to <serial>" and
 * "Random:<n>". Neither exchange sends a credential. */
#include "dahua.h"

#include <stdio.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "../core/err.h"
#include "../core/str.h"

#define RPC2_MAX_BODY (16 * 1024)
#define DVRIP_HEADER 32
#define DVRIP_MAX_PAYLOAD 8192

/* The fields this parser fills are all DAHUA_MAX_VALUE bytes long. */
static void copy(char *dst, const char *s, size_t n) { str_copy(dst, DAHUA_MAX_VALUE, s, n); }

static void take_string(yajl_val root, const char *const *path, char *dst)
{
    yajl_val v = yajl_tree_get(root, (const char **)path, yajl_t_string);
    const char *s = v ? YAJL_GET_STRING(v) : NULL;
    if (s)
        copy(dst, s, strlen(s));
}

int dahua_rpc2_parse(const uint8_t *body, size_t len, struct dahua_challenge *out)
{
    memset(out, 0, sizeof *out);
    char buf[RPC2_MAX_BODY + 1];
    if (len > RPC2_MAX_BODY)
        len = RPC2_MAX_BODY;
    /* Strip NUL padding (DHIP bodies carry it; harmless here). */
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (body[i])
            buf[n++] = (char)body[i];
    buf[n] = '\0';
    yajl_val root = yajl_tree_parse(buf, NULL, 0);
    if (!root)
        return UNMASK_EPARSE;
    if (!YAJL_IS_OBJECT(root)) {
        yajl_tree_free(root);
        return UNMASK_EPARSE;
    }
    static const char *const realm[] = { "params", "realm", NULL };
    static const char *const mac[] = { "params", "mac", NULL };
    static const char *const random[] = { "params", "random", NULL };
    static const char *const enc[] = { "params", "encryption", NULL };
    static const char *const code[] = { "error", "code", NULL };
    take_string(root, realm, out->realm);
    take_string(root, mac, out->mac);
    take_string(root, random, out->random);
    take_string(root, enc, out->encryption);
    yajl_val c = yajl_tree_get(root, (const char **)code, yajl_t_number);
    if (c && YAJL_IS_INTEGER(c))
        out->code = YAJL_GET_INTEGER(c);
    yajl_tree_free(root);
    return UNMASK_OK;
}

int dahua_rpc2_observe(struct probe_host *h, int port, const uint8_t *body, size_t len)
{
    struct dahua_challenge ch;
    if (dahua_rpc2_parse(body, len, &ch) < 0 || !ch.realm[0])
        return 0;
    probe_obss(h, "dahua.realm", ch.realm, "/RPC2_Login", port);
    char mac[18];
    if (ch.mac[0] && probe_mac(ch.mac, strlen(ch.mac), mac))
        probe_obss(h, "mac.address", mac, NULL, -1);
    return 1;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Copies the value of "Key:" from text[0..n) up to the line end. */
static void line_value(const uint8_t *text, size_t n, const char *key, char *dst)
{
    const uint8_t *k = probe_memcasemem(text, n, key);
    if (!k)
        return;
    const uint8_t *v = k + strlen(key), *end = text + n;
    const uint8_t *e = v;
    while (e < end && *e != '\r' && *e != '\n' && *e != '\0')
        e++;
    copy(dst, (const char *)v, (size_t)(e - v));
}

int dahua_dvrip_parse(const uint8_t *buf, size_t len, struct dahua_challenge *out)
{
    memset(out, 0, sizeof *out);
    if (len < DVRIP_HEADER)
        return len && buf[0] != 0xb0 ? UNMASK_EPARSE : UNMASK_EAGAIN;
    if (buf[0] != 0xb0)
        return UNMASK_EPARSE;
    uint32_t plen = le32(buf + 4);
    if (plen > DVRIP_MAX_PAYLOAD)
        return UNMASK_EPARSE;
    if (len < DVRIP_HEADER + plen)
        return UNMASK_EAGAIN;
    const uint8_t *p = buf + DVRIP_HEADER;
    line_value(p, plen, "Realm:", out->realm);
    line_value(p, plen, "Random:", out->random);
    return UNMASK_OK;
}

static const uint8_t dvrip_realm_request[32] = {
    0xa0, 0x01, 0x00, 0x00, [24] = 0x05, 0x02, 0x01, 0x01, 0x00, 0x00, 0xa1, 0xaa,
};

static int dvrip_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    (void)h;
    (void)x;
    if (cap < sizeof dvrip_realm_request)
        return UNMASK_ELIMIT;
    memcpy(buf, dvrip_realm_request, sizeof dvrip_realm_request);
    return (int)sizeof dvrip_realm_request;
}

static int dvrip_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    (void)x;
    struct dahua_challenge ch;
    int r = dahua_dvrip_parse(buf, len, &ch);
    if (r == UNMASK_OK)
        return (int)(DVRIP_HEADER + le32(buf + 4));
    return r;
}

static int dvrip_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct dahua_challenge ch;
    if (dahua_dvrip_parse(buf, len, &ch) == UNMASK_OK && ch.realm[0]) {
        char v[DAHUA_MAX_VALUE + 8];
        snprintf(v, sizeof v, "Realm:%s", ch.realm);
        probe_obss(h, "dahua.realm", v, NULL, x->port);
    }
    return PROBE_DONE;
}

static const uint16_t dvrip_ports[] = { 37777, 0 };

static const struct probe_field dvrip_fields[] = {
    { "dahua.realm", "\"Realm:Login to <serial>\" from the DVRIP realm reply" },
    { NULL, NULL },
};

const struct probe probe_dvrip = {
    .name = "dvrip",
    .service = "dvrip",
    .transport = PROBE_TCP,
    .ports = dvrip_ports,
    .max_reply = DVRIP_HEADER + DVRIP_MAX_PAYLOAD,
    .request = dvrip_request,
    .frame = dvrip_frame,
    .observe = dvrip_observe,
    .fields = dvrip_fields,
    .help = "Dahua DVRIP realm request on 37777 (the realm names the serial)",
};
