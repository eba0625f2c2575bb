/* snmp.c: see snmp.h. Byte layouts checked against protocols.md 8 (the 55-byte GetRequest for
 * sysDescr.0 and sysObjectID.0 and the 89-byte Hikvision NVR response). */
#include "snmp.h"

#include <stdio.h>
#include <string.h>

#include "../core/err.h"

/* A TLV view. */
struct tlv {
    uint8_t tag;
    const uint8_t *p;
    size_t len;
};

/* Reads one TLV at *pos of buf[0..len). */
static int tlv_read(const uint8_t *buf, size_t len, size_t *pos, struct tlv *t)
{
    size_t i = *pos;
    if (i >= len || len - i < 2)
        return UNMASK_EPARSE;
    t->tag = buf[i++];
    if ((t->tag & 0x1f) == 0x1f)
        return UNMASK_EPARSE; /* high tag numbers: not in SNMP */
    size_t l = buf[i++];
    if (l & 0x80) {
        size_t nb = l & 0x7f;
        if (nb == 0 || nb > 4 || len - i < nb)
            return UNMASK_EPARSE;
        l = 0;
        for (size_t k = 0; k < nb; k++)
            l = l << 8 | buf[i++];
    }
    if (l > len - i)
        return UNMASK_EPARSE;
    t->p = buf + i;
    t->len = l;
    *pos = i + l;
    return UNMASK_OK;
}

static int int_value(const struct tlv *t, long *out)
{
    if (t->tag != 0x02 || t->len == 0 || t->len > 8)
        return UNMASK_EPARSE;
    long long v = (t->p[0] & 0x80) ? -1 : 0;
    for (size_t i = 0; i < t->len; i++)
        v = (long long)((unsigned long long)v << 8 | t->p[i]);
    *out = (long)v;
    return UNMASK_OK;
}

static size_t oid_text(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t w = 0;
    unsigned long long sub = 0;
    bool first = true;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (sub > (1ULL << 56))
            return 0;
        sub = sub << 7 | (p[i] & 0x7f);
        if (p[i] & 0x80)
            continue;
        int k;
        if (first) {
            unsigned long long a = sub < 40 ? 0 : sub < 80 ? 1 : 2;
            k = snprintf(out + w, cap - w, "%llu.%llu", a, sub - 40 * a);
            first = false;
        } else {
            k = snprintf(out + w, cap - w, ".%llu", sub);
        }
        if (k < 0 || (size_t)k >= cap - w)
            return w;
        w += (size_t)k;
        sub = 0;
    }
    return w;
}

int snmp_parse(const uint8_t *buf, size_t len, struct snmp_msg *out)
{
    memset(out, 0, sizeof *out);
    struct tlv msg, t, pdu, list;
    size_t pos = 0;
    if (tlv_read(buf, len, &pos, &msg) < 0 || msg.tag != 0x30)
        return UNMASK_EPARSE;
    size_t m = 0;
    if (tlv_read(msg.p, msg.len, &m, &t) < 0 || int_value(&t, &out->version) < 0)
        return UNMASK_EPARSE;
    if (tlv_read(msg.p, msg.len, &m, &t) < 0 || t.tag != 0x04)
        return UNMASK_EPARSE;
    out->community = t.p;
    out->community_len = t.len;
    if (tlv_read(msg.p, msg.len, &m, &pdu) < 0 || (pdu.tag & 0xe0) != 0xa0)
        return UNMASK_EPARSE;
    out->pdu = pdu.tag;
    size_t q = 0;
    if (tlv_read(pdu.p, pdu.len, &q, &t) < 0 || int_value(&t, &out->request_id) < 0)
        return UNMASK_EPARSE;
    if (tlv_read(pdu.p, pdu.len, &q, &t) < 0 || int_value(&t, &out->error_status) < 0)
        return UNMASK_EPARSE;
    if (tlv_read(pdu.p, pdu.len, &q, &t) < 0 || int_value(&t, &out->error_index) < 0)
        return UNMASK_EPARSE;
    if (tlv_read(pdu.p, pdu.len, &q, &list) < 0 || list.tag != 0x30)
        return UNMASK_EPARSE;
    size_t v = 0;
    while (v < list.len) {
        struct tlv vb, name, value;
        if (tlv_read(list.p, list.len, &v, &vb) < 0 || vb.tag != 0x30)
            return UNMASK_EPARSE;
        size_t k = 0;
        if (tlv_read(vb.p, vb.len, &k, &name) < 0 || name.tag != 0x06 ||
            tlv_read(vb.p, vb.len, &k, &value) < 0)
            return UNMASK_EPARSE;
        if (out->n_vb >= SNMP_MAX_VARBINDS) {
            out->n_dropped++;
            continue;
        }
        struct snmp_varbind *b = &out->vb[out->n_vb++];
        oid_text(name.p, name.len, b->oid, sizeof b->oid);
        b->tag = value.tag;
        b->value = value.p;
        b->value_len = value.len;
    }
    return UNMASK_OK;
}

bool snmp_is_exception(const struct snmp_varbind *vb)
{
    return vb->tag == 0x80 || vb->tag == 0x81 || vb->tag == 0x82;
}

size_t snmp_value_text(const struct snmp_varbind *vb, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    out[0] = '\0';
    switch (vb->tag) {
    case 0x04: {
        size_t n = vb->value_len < cap - 1 ? vb->value_len : cap - 1;
        memcpy(out, vb->value, n);
        out[n] = '\0';
        return n;
    }
    case 0x06: return oid_text(vb->value, vb->value_len, out, cap);
    case 0x02:
    case 0x41: /* Counter32 */
    case 0x42: /* Gauge32 */
    case 0x43: /* TimeTicks */
    case 0x46: /* Counter64 */ {
        if (vb->value_len == 0 || vb->value_len > 9)
            return 0;
        unsigned long long u = 0;
        for (size_t i = 0; i < vb->value_len; i++)
            u = u << 8 | vb->value[i];
        int k;
        if (vb->tag == 0x02 && (vb->value[0] & 0x80) && vb->value_len <= 8)
            k = snprintf(out, cap, "%lld",
                         (long long)(vb->value_len == 8 ? u : u | (~0ULL << (8 * vb->value_len))));
        else
            k = snprintf(out, cap, "%llu", u);
        return k > 0 && (size_t)k < cap ? (size_t)k : 0;
    }
    case 0x40:
        if (vb->value_len == 4) {
            int k = snprintf(out, cap, "%u.%u.%u.%u", vb->value[0], vb->value[1], vb->value[2],
                             vb->value[3]);
            return k > 0 && (size_t)k < cap ? (size_t)k : 0;
        }
        /* fall through */
    default: {
        size_t w = 0;
        for (size_t i = 0; i < vb->value_len && w + 3 <= cap; i++)
            w += (size_t)snprintf(out + w, cap - w, "%02x", vb->value[i]);
        return w;
    }
    }
}

/* Encoders. */

static int put_len(uint8_t *buf, size_t cap, size_t *pos, size_t len)
{
    if (len < 128) {
        if (*pos + 1 > cap)
            return UNMASK_ELIMIT;
        buf[(*pos)++] = (uint8_t)len;
        return UNMASK_OK;
    }
    if (len > 0xffff || *pos + 3 > cap)
        return UNMASK_ELIMIT;
    buf[(*pos)++] = 0x82;
    buf[(*pos)++] = (uint8_t)(len >> 8);
    buf[(*pos)++] = (uint8_t)len;
    return UNMASK_OK;
}

/* Encodes a dotted OID's content octets; returns the length or UNMASK_EPARSE. */
static int oid_encode(const char *s, uint8_t *out, size_t cap)
{
    unsigned long v[64];
    size_t n = 0;
    while (*s) {
        if (n == 64 || *s < '0' || *s > '9')
            return UNMASK_EPARSE;
        unsigned long x = 0;
        while (*s >= '0' && *s <= '9') {
            x = x * 10 + (unsigned long)(*s++ - '0');
            if (x > 0xffffffffUL)
                return UNMASK_EPARSE;
        }
        v[n++] = x;
        if (*s == '.')
            s++;
        else if (*s)
            return UNMASK_EPARSE;
    }
    if (n < 2 || v[0] > 2 || (v[0] < 2 && v[1] >= 40))
        return UNMASK_EPARSE;
    size_t w = 0;
    v[1] += v[0] * 40;
    for (size_t i = 1; i < n; i++) {
        uint8_t tmp[5];
        size_t k = 0;
        unsigned long x = v[i];
        do {
            tmp[k++] = (uint8_t)(x & 0x7f);
            x >>= 7;
        } while (x);
        if (w + k > cap)
            return UNMASK_ELIMIT;
        while (k--)
            out[w++] = (uint8_t)(tmp[k] | (k ? 0x80 : 0));
    }
    return (int)w;
}

int snmp_build_get(uint8_t *buf, size_t cap, const char *community, long request_id,
                   const char *const *oids, size_t n)
{
    /* Build inside out: the varbind list first, in a scratch buffer. */
    uint8_t list[1024];
    size_t lp = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t oid[128];
        int ol = oid_encode(oids[i], oid, sizeof oid);
        if (ol < 0)
            return ol;
        size_t vb_len = 2 + (size_t)ol + 2;
        if (lp + 2 + vb_len > sizeof list || ol > 127)
            return UNMASK_ELIMIT;
        list[lp++] = 0x30;
        list[lp++] = (uint8_t)vb_len;
        list[lp++] = 0x06;
        list[lp++] = (uint8_t)ol;
        memcpy(list + lp, oid, (size_t)ol);
        lp += (size_t)ol;
        list[lp++] = 0x05;
        list[lp++] = 0x00;
    }
    uint8_t rid[6] = { 0x02, 0x04, (uint8_t)(request_id >> 24), (uint8_t)(request_id >> 16),
                       (uint8_t)(request_id >> 8), (uint8_t)request_id };
    size_t clen = strlen(community);
    if (clen > 255)
        return UNMASK_ELIMIT;
    size_t list_hdr = lp < 128 ? 2 : 4;
    size_t pdu_len = sizeof rid + 3 + 3 + list_hdr + lp;
    size_t pdu_hdr = pdu_len < 128 ? 2 : 4;
    size_t comm_hdr = clen < 128 ? 2 : 3;
    size_t msg_len = 3 + comm_hdr + clen + pdu_hdr + pdu_len;
    size_t pos = 0;
    if ((msg_len < 128 ? 2 : 4) + msg_len > cap)
        return UNMASK_ELIMIT;
    buf[pos++] = 0x30;
    put_len(buf, cap, &pos, msg_len);
    buf[pos++] = 0x02; /* version: 1 = v2c */
    buf[pos++] = 0x01;
    buf[pos++] = 0x01;
    buf[pos++] = 0x04;
    put_len(buf, cap, &pos, clen);
    memcpy(buf + pos, community, clen);
    pos += clen;
    buf[pos++] = 0xa0;
    put_len(buf, cap, &pos, pdu_len);
    memcpy(buf + pos, rid, sizeof rid);
    pos += sizeof rid;
    static const uint8_t zeros[6] = { 0x02, 0x01, 0x00, 0x02, 0x01, 0x00 };
    memcpy(buf + pos, zeros, sizeof zeros);
    pos += sizeof zeros;
    buf[pos++] = 0x30;
    put_len(buf, cap, &pos, lp);
    memcpy(buf + pos, list, lp);
    pos += lp;
    return (int)pos;
}

/* The probe: sysDescr, sysObjectID, sysName and the makers' own OIDs (protocols.md 8; Hikvision
 * 39165 per LibreNMS hikvision-cam, 50001 per hikvision-nvr; Dahua 1004849 per Zabbix's template). */
static const char *const oids_full[] = {
    "1.3.6.1.2.1.1.1.0",           "1.3.6.1.2.1.1.2.0",           "1.3.6.1.2.1.1.5.0",
    "1.3.6.1.4.1.39165.1.1.0",     "1.3.6.1.4.1.39165.1.3.0",     "1.3.6.1.4.1.50001.1.3.0",
    "1.3.6.1.4.1.1004849.2.1.2.4.0", "1.3.6.1.4.1.1004849.2.1.2.5.0", "1.3.6.1.4.1.1004849.2.1.2.6.0",
};
static const char *const oids_basic[] = { "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0" };

static long request_id(const struct probe_host *h)
{
    unsigned long v = 2166136261u;
    for (const char *s = h->addr; *s; s++)
        v = (v ^ (unsigned char)*s) * 16777619u;
    return (long)(v & 0x3fffffff) | 0x1000000;
}

static int snmp_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    x->state[1] = (uint32_t)request_id(h);
    if (x->step == 0)
        return snmp_build_get(buf, cap, h->community, (long)x->state[1], oids_full,
                              sizeof oids_full / sizeof *oids_full);
    return snmp_build_get(buf, cap, h->community, (long)x->state[1], oids_basic,
                          sizeof oids_basic / sizeof *oids_basic);
}

static int snmp_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct snmp_msg m;
    if (snmp_parse(buf, len, &m) < 0)
        return UNMASK_EPARSE;
    if (m.pdu != 0xa2 || m.request_id != (long)x->state[1])
        return UNMASK_EAGAIN; /* not our answer: wait for another datagram */
    return (int)len;
}

static int snmp_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    struct snmp_msg m;
    if (x->partial || snmp_parse(buf, len, &m) < 0 || m.pdu != 0xa2)
        return PROBE_DONE;
    if (m.error_status != 0 && x->step == 0) {
        x->step = 1; /* a v1-style agent refusing the whole list: ask only the standard three */
        return PROBE_NEXT;
    }
    for (size_t i = 0; i < m.n_vb; i++) {
        const struct snmp_varbind *vb = &m.vb[i];
        if (snmp_is_exception(vb) || vb->tag == 0x05)
            continue;
        char text[1024];
        size_t n = snmp_value_text(vb, text, sizeof text);
        if (!strcmp(vb->oid, "1.3.6.1.2.1.1.1.0"))
            probe_obs(h, "snmp.sysdescr", text, n, NULL, x->port);
        else if (!strcmp(vb->oid, "1.3.6.1.2.1.1.2.0"))
            probe_obs(h, "snmp.sysobjectid", text, n, NULL, x->port);
        else if (!strcmp(vb->oid, "1.3.6.1.2.1.1.5.0"))
            probe_obs(h, "snmp.sysname", text, n, NULL, x->port);
        else
            probe_obs(h, "snmp.oid", text, n, vb->oid, x->port);
    }
    return PROBE_DONE;
}

static const uint16_t snmp_ports[] = { 161, 0 };

static const struct probe_field snmp_fields[] = {
    { "snmp.sysdescr", "sysDescr.0" },
    { "snmp.sysobjectid", "sysObjectID.0, dotted" },
    { "snmp.sysname", "sysName.0" },
    { "snmp.oid", "a maker's OID (path: the OID)" },
    { NULL, NULL },
};

const struct probe probe_snmp = {
    .name = "snmp",
    .service = "snmp",
    .transport = PROBE_UDP,
    .ports = snmp_ports,
    .max_reply = 8192,
    .request = snmp_request,
    .frame = snmp_frame,
    .observe = snmp_observe,
    .fields = snmp_fields,
    .help = "SNMP v2c GET of sysDescr, sysObjectID, sysName and the makers' OIDs (--community)",
};
