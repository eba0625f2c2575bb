/* mdns.c: see mdns.h. The query asks for the service list (_services._dns-sd._udp.local, RFC 6763
 * 9), Hikvision's _CGI._tcp.local (128keaton/hikvision-mdns: instance "HIKVISION <model> - <serial
 * tail>", SRV target "<full serial>.local", protocols.md 4.6) and _http._tcp.local. Every PTR and SRV
 * target becomes mdns.name. */
#include "mdns.h"

#include <stdio.h>
#include <string.h>

#include "../core/err.h"

#define DNS_HEADER 12

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Reads a possibly compressed name at *pos into out (dotted, no trailing dot). */
static int read_name(const uint8_t *buf, size_t len, size_t *pos, char *out, size_t cap)
{
    size_t i = *pos, w = 0, end = 0;
    int jumps = 0;
    out[0] = '\0';
    for (;;) {
        if (i >= len)
            return UNMASK_EPARSE;
        uint8_t l = buf[i];
        if (l == 0) {
            i++;
            break;
        }
        if ((l & 0xc0) == 0xc0) {
            if (i + 1 >= len || ++jumps > 32)
                return UNMASK_EPARSE;
            if (!end)
                end = i + 2;
            i = (size_t)(l & 0x3f) << 8 | buf[i + 1];
            continue;
        }
        if (l & 0xc0)
            return UNMASK_EPARSE;
        if (i + 1 + l > len)
            return UNMASK_EPARSE;
        if (w && w + 1 < cap)
            out[w++] = '.';
        for (size_t k = 0; k < l && w + 1 < cap; k++)
            out[w++] = (char)buf[i + 1 + k];
        out[w] = '\0';
        i += 1 + (size_t)l;
    }
    *pos = end ? end : i;
    return UNMASK_OK;
}

int mdns_parse(const uint8_t *buf, size_t len, struct mdns_msg *out)
{
    memset(out, 0, sizeof *out);
    if (len < DNS_HEADER)
        return UNMASK_EPARSE;
    out->id = be16(buf);
    out->flags = be16(buf + 2);
    unsigned qd = be16(buf + 4), records = (unsigned)be16(buf + 6) + be16(buf + 8) + be16(buf + 10);
    size_t pos = DNS_HEADER;
    char name[MDNS_MAX_NAME];
    for (unsigned i = 0; i < qd; i++) {
        if (read_name(buf, len, &pos, name, sizeof name) < 0 || len - pos < 4)
            return UNMASK_EPARSE;
        pos += 4;
    }
    for (unsigned i = 0; i < records; i++) {
        struct mdns_record r = { .type = 0 };
        if (read_name(buf, len, &pos, r.name, sizeof r.name) < 0 || len - pos < 10)
            return UNMASK_EPARSE;
        r.type = be16(buf + pos);
        size_t rdlen = be16(buf + pos + 8);
        pos += 10;
        if (rdlen > len - pos)
            return UNMASK_EPARSE;
        size_t rd = pos;
        if (r.type == 12) { /* PTR */
            if (read_name(buf, pos + rdlen, &rd, r.target, sizeof r.target) < 0)
                return UNMASK_EPARSE;
        } else if (r.type == 33 && rdlen >= 7) { /* SRV: priority, weight, port, target */
            r.port = be16(buf + pos + 4);
            rd = pos + 6;
            if (read_name(buf, pos + rdlen, &rd, r.target, sizeof r.target) < 0)
                return UNMASK_EPARSE;
        }
        pos += rdlen;
        if (out->n_rr < MDNS_MAX_RECORDS)
            out->rr[out->n_rr++] = r;
        else
            out->n_dropped++;
    }
    return UNMASK_OK;
}

int mdns_build_query(uint8_t *buf, size_t cap, uint16_t id, const char *const *names, size_t n)
{
    if (cap < DNS_HEADER)
        return UNMASK_ELIMIT;
    memset(buf, 0, DNS_HEADER);
    buf[0] = (uint8_t)(id >> 8);
    buf[1] = (uint8_t)id;
    buf[4] = (uint8_t)(n >> 8);
    buf[5] = (uint8_t)n;
    size_t w = DNS_HEADER;
    for (size_t i = 0; i < n; i++) {
        const char *s = names[i];
        while (*s) {
            const char *dot = strchr(s, '.');
            size_t l = dot ? (size_t)(dot - s) : strlen(s);
            if (l == 0 || l > 63 || w + 1 + l > cap)
                return UNMASK_ELIMIT;
            buf[w++] = (uint8_t)l;
            memcpy(buf + w, s, l);
            w += l;
            s += l + (dot ? 1 : 0);
        }
        if (w + 5 > cap)
            return UNMASK_ELIMIT;
        buf[w++] = 0;
        buf[w++] = 0;
        buf[w++] = 12; /* PTR */
        buf[w++] = 0;
        buf[w++] = 1; /* IN */
    }
    return (int)w;
}

static const char *const query_names[] = { "_services._dns-sd._udp.local", "_CGI._tcp.local",
                                           "_http._tcp.local" };

static int mdns_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    uint16_t id = 0x5a5a;
    for (const char *s = h->addr; *s; s++)
        id = (uint16_t)(id * 31 + (unsigned char)*s);
    x->state[1] = id;
    return mdns_build_query(buf, cap, id, query_names, sizeof query_names / sizeof *query_names);
}

static int mdns_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct mdns_msg m;
    if (mdns_parse(buf, len, &m) < 0)
        return UNMASK_EPARSE;
    if (!(m.flags & 0x8000) || m.id != (uint16_t)x->state[1])
        return UNMASK_EAGAIN;
    return (int)len;
}

static int mdns_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct mdns_msg m;
    if (x->partial || mdns_parse(buf, len, &m) < 0)
        return PROBE_DONE;
    for (size_t i = 0; i < m.n_rr; i++) {
        const struct mdns_record *r = &m.rr[i];
        /* The service list's own PTRs name service types, not the device. */
        if (r->target[0] && strcmp(r->name, "_services._dns-sd._udp.local"))
            probe_obss(h, "mdns.name", r->target, NULL, x->port);
    }
    return PROBE_DONE;
}

static const uint16_t mdns_ports[] = { 5353, 0 };

static const struct probe_field mdns_fields[] = {
    { "mdns.name", "a service instance (PTR) or host name (SRV target)" },
    { NULL, NULL },
};

const struct probe probe_mdns = {
    .name = "mdns",
    .service = "mdns",
    .transport = PROBE_UDP,
    .ports = mdns_ports,
    .max_reply = 9000,
    .request = mdns_request,
    .frame = mdns_frame,
    .observe = mdns_observe,
    .fields = mdns_fields,
    .help = "mDNS PTR query (service list, _CGI._tcp, _http._tcp) by unicast to the host",
};
