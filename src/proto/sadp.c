/* sadp.c: SADP inquiry and ProbeMatch.
 *
 * The inquiry is the exact text of julienblitte/UniversalScanner Hikvision.cs; the reply's root is
 * <ProbeMatch> and every child element becomes sadp.<snake_case name> (docs/OBSERVATIONS.md), the MAC
 * also mac.address. Replies are answered to the sender by unicast here; with --discover they may
 * come to the group port (discover.c). */
#include "sadp.h"

#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "xml.h"

/* Elements that describe the exchange or the network, not the device. */
static const char *const skipped[] = { "Uuid", "Types", "Salt", "Encrypt", "IPv4SubnetMask",
                                       "IPv4Gateway", "IPv6Gateway", "IPv6MaskLen", "Ipv4SubnetMask",
                                       "Ipv4Gateway", "Ipv6Gateway", "Ipv6MaskLen" };

static void on_elem(void *ctx, const struct xml_elem *e)
{
    struct sadp_match *m = ctx;
    if (e->depth == 0) {
        m->probe_match = !strcmp(e->name, "ProbeMatch");
        return;
    }
    if (!m->probe_match || e->depth != 1 || !e->text || m->n >= SADP_MAX_FIELDS)
        return;
    for (size_t i = 0; i < sizeof skipped / sizeof *skipped; i++)
        if (!strcmp(e->name, skipped[i]))
            return;
    struct sadp_field *f = &m->f[m->n++];
    probe_snake(e->name, strlen(e->name), f->name, sizeof f->name);
    size_t n = e->text_len < SADP_MAX_VALUE - 1 ? e->text_len : SADP_MAX_VALUE - 1;
    memcpy(f->value, e->text, n);
    f->value[n] = '\0';
}

int sadp_parse(const uint8_t *buf, size_t len, struct sadp_match *out)
{
    memset(out, 0, sizeof *out);
    return xml_each(buf, len, on_elem, out) < 0 ? UNMASK_EPARSE : UNMASK_OK;
}

int sadp_build_inquiry(uint8_t *buf, size_t cap, const char *uuid)
{
    int n = snprintf((char *)buf, cap,
                     "<?xml version=\"1.0\" encoding=\"utf-8\"?><Probe><Uuid>%s</Uuid>"
                     "<Types>inquiry</Types></Probe>",
                     uuid);
    return n < 0 || (size_t)n >= cap ? UNMASK_ELIMIT : n;
}

static int sadp_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    (void)x;
    unsigned v = 2166136261u;
    for (const char *s = h->addr; *s; s++)
        v = (v ^ (unsigned char)*s) * 16777619u;
    char uuid[40];
    snprintf(uuid, sizeof uuid, "%08X-%04X-4%03X-A%03X-%012X", v, v >> 16, v & 0xfff, (v >> 20) & 0xfff,
             v ^ 0x5a5a5a5au);
    return sadp_build_inquiry(buf, cap, uuid);
}

static int sadp_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    (void)x;
    (void)buf;
    return len ? (int)len : UNMASK_EAGAIN;
}

static int sadp_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct sadp_match m;
    if (sadp_parse(buf, len, &m) < 0 || !m.probe_match)
        return PROBE_DONE;
    for (size_t i = 0; i < m.n; i++) {
        char name[80];
        snprintf(name, sizeof name, "sadp.%s", m.f[i].name);
        probe_obss(h, name, m.f[i].value, NULL, x->port);
        char mac[18];
        if (!strcmp(m.f[i].name, "mac") && probe_mac(m.f[i].value, strlen(m.f[i].value), mac))
            probe_obss(h, "mac.address", mac, NULL, -1);
    }
    return PROBE_DONE;
}

static const uint16_t sadp_ports[] = { 37020, 0 };

static const struct probe_field sadp_fields[] = {
    { "sadp.*", "every ProbeMatch element in snake_case (device_type, device_sn, software_version, ...)" },
    { "mac.address", "the MAC the reply carries" },
    { NULL, NULL },
};

const struct probe probe_sadp = {
    .name = "sadp",
    .service = "sadp",
    .transport = PROBE_UDP,
    .ports = sadp_ports,
    .max_reply = 16 * 1024,
    .request = sadp_request,
    .frame = sadp_frame,
    .observe = sadp_observe,
    .fields = sadp_fields,
    .help = "Hikvision SADP inquiry (XML over UDP 37020)",
};
