/* dhip.c: DHIP DHDiscover.search and client.notifyDevInfo.
 *
 * Header (little-endian): 0x20 header length, "DHIP", session id, request id, body length, 0, body
 * length again, 0 (UniversalScanner Dahua2.cs; mcw0 console). The body is JSON (yajl tree API);
 * params.deviceInfo members become dhip.<snake_case> (an object member such as IPv4Address.IPAddress
 * gives dhip.ipv4_address), the top-level mac gives dhip.mac and mac.address. */
#include "dhip.h"

#include <stdio.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "../core/err.h"

#define DHIP_MAX_BODY (32 * 1024)

static const char search_body[] = "{\"method\":\"DHDiscover.search\",\"params\":{\"mac\":\"\",\"uni\":1}}\n";

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

int dhip_build_search(uint8_t *buf, size_t cap)
{
    size_t body = sizeof search_body - 1;
    if (cap < DHIP_HEADER + body)
        return UNMASK_ELIMIT;
    memset(buf, 0, DHIP_HEADER);
    put_le32(buf, DHIP_HEADER);
    memcpy(buf + 4, "DHIP", 4);
    put_le32(buf + 16, (uint32_t)body);
    put_le32(buf + 24, (uint32_t)body);
    memcpy(buf + DHIP_HEADER, search_body, body);
    return (int)(DHIP_HEADER + body);
}

static void value_text(yajl_val v, char *out, size_t cap)
{
    out[0] = '\0';
    if (YAJL_IS_STRING(v)) {
        const char *s = YAJL_GET_STRING(v);
        snprintf(out, cap, "%s", s ? s : "");
    } else if (YAJL_IS_NUMBER(v)) {
        const char *s = YAJL_GET_NUMBER(v);
        snprintf(out, cap, "%s", s ? s : "");
    } else if (YAJL_IS_TRUE(v)) {
        snprintf(out, cap, "true");
    } else if (YAJL_IS_FALSE(v)) {
        snprintf(out, cap, "false");
    }
}

static void add_field(struct dhip_reply *r, const char *key, yajl_val v)
{
    if (r->n >= DHIP_MAX_FIELDS)
        return;
    struct dhip_field *f = &r->f[r->n];
    probe_snake(key, strlen(key), f->name, sizeof f->name);
    value_text(v, f->value, sizeof f->value);
    if (f->name[0] && (f->value[0] || YAJL_IS_STRING(v)))
        r->n++;
}

int dhip_parse(const uint8_t *buf, size_t len, struct dhip_reply *out)
{
    memset(out, 0, sizeof *out);
    if (len < 8)
        return len < 4 || le32(buf) == DHIP_HEADER ? UNMASK_EAGAIN : UNMASK_EPARSE;
    if (le32(buf) != DHIP_HEADER || memcmp(buf + 4, "DHIP", 4))
        return UNMASK_EPARSE;
    if (len < DHIP_HEADER)
        return UNMASK_EAGAIN;
    uint32_t body_len = le32(buf + 16);
    if (body_len > DHIP_MAX_BODY)
        return UNMASK_EPARSE;
    if (len < DHIP_HEADER + (size_t)body_len)
        return UNMASK_EAGAIN;
    char text[DHIP_MAX_BODY + 1];
    size_t n = 0;
    for (size_t i = 0; i < body_len; i++)
        if (buf[DHIP_HEADER + i])
            text[n++] = (char)buf[DHIP_HEADER + i];
    text[n] = '\0';
    yajl_val root = yajl_tree_parse(text, NULL, 0);
    if (!root || !YAJL_IS_OBJECT(root)) {
        yajl_tree_free(root);
        return UNMASK_EPARSE;
    }
    static const char *const method[] = { "method", NULL };
    static const char *const mac[] = { "mac", NULL };
    static const char *const info[] = { "params", "deviceInfo", NULL };
    yajl_val v = yajl_tree_get(root, (const char **)method, yajl_t_string);
    value_text(v ? v : root, out->method, sizeof out->method);
    v = yajl_tree_get(root, (const char **)mac, yajl_t_string);
    if (v)
        value_text(v, out->mac, sizeof out->mac);
    yajl_val di = yajl_tree_get(root, (const char **)info, yajl_t_object);
    if (di) {
        for (size_t i = 0; i < di->u.object.len; i++) {
            const char *key = di->u.object.keys[i];
            yajl_val val = di->u.object.values[i];
            if (YAJL_IS_OBJECT(val)) {
                /* {"IPv4Address": {"IPAddress": "..."}} -> ipv4_address */
                static const char *const ip[] = { "IPAddress", NULL };
                yajl_val a = yajl_tree_get(val, (const char **)ip, yajl_t_string);
                if (a)
                    add_field(out, key, a);
            } else if (!YAJL_IS_ARRAY(val) && !YAJL_IS_NULL(val)) {
                add_field(out, key, val);
            }
        }
    }
    yajl_tree_free(root);
    return UNMASK_OK;
}

static int dhip_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    (void)h;
    (void)x;
    return dhip_build_search(buf, cap);
}

static int dhip_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    (void)x;
    if (len < DHIP_HEADER)
        return UNMASK_EPARSE; /* a datagram is whole */
    return le32(buf) == DHIP_HEADER && !memcmp(buf + 4, "DHIP", 4) ? (int)len : UNMASK_EPARSE;
}

static int dhip_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct dhip_reply r;
    if (dhip_parse(buf, len, &r) != UNMASK_OK)
        return PROBE_DONE;
    for (size_t i = 0; i < r.n; i++) {
        char name[80];
        snprintf(name, sizeof name, "dhip.%s", r.f[i].name);
        probe_obss(h, name, r.f[i].value, NULL, x->port);
    }
    char mac[18];
    if (r.mac[0]) {
        probe_obss(h, "dhip.mac", r.mac, NULL, x->port);
        if (probe_mac(r.mac, strlen(r.mac), mac))
            probe_obss(h, "mac.address", mac, NULL, -1);
    }
    return PROBE_DONE;
}

static const uint16_t dhip_ports[] = { 37810, 0 };

static const struct probe_field dhip_fields[] = {
    { "dhip.*", "deviceInfo members in snake_case (vendor, device_type, serial_no, version, ...)" },
    { "dhip.mac", "the reply's mac" },
    { "mac.address", "the same MAC, normalised" },
    { NULL, NULL },
};

const struct probe probe_dhip = {
    .name = "dhip",
    .service = "dhip",
    .transport = PROBE_UDP,
    .ports = dhip_ports,
    .max_reply = DHIP_HEADER + DHIP_MAX_BODY,
    .request = dhip_request,
    .frame = dhip_frame,
    .observe = dhip_observe,
    .fields = dhip_fields,
    .help = "Dahua DHIP DHDiscover.search (UDP 37810)",
};
