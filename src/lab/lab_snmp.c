/* lab_snmp.c: see lab_snmp.h. Written by hand because net-snmp's agent library is a daemon framework,
 * not a function: the lab needs "these bytes in, those bytes out" for thousands of simulated agents in
 * one process. The BER subset is small: definite lengths, INTEGER, OCTET STRING, NULL, OID, SEQUENCE and
 * the context tags of the PDUs; everything else is rejected. */
#include "lab_snmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/str.h"

/* ---- decoding ---- */

struct rd {
    const uint8_t *p;
    size_t n;
};

/* Reads one TLV header; on success *v is the value and r advances past the whole TLV. */
static int tlv(struct rd *r, int *tag, struct rd *v)
{
    if (r->n < 2)
        return UNMASK_EPARSE;
    *tag = r->p[0];
    size_t i = 1, len = r->p[i++];
    if (len & 0x80) {
        size_t k = len & 0x7f;
        if (k == 0 || k > 4 || r->n < 1 + 1 + k)
            return UNMASK_EPARSE; /* indefinite or absurd */
        len = 0;
        for (size_t j = 0; j < k; j++)
            len = len << 8 | r->p[i++];
    }
    if (len > r->n - i)
        return UNMASK_EPARSE;
    v->p = r->p + i;
    v->n = len;
    r->p += i + len;
    r->n -= i + len;
    return 0;
}

static int get_int(struct rd *r, long *out)
{
    int tag;
    struct rd v;
    if (tlv(r, &tag, &v) || tag != 0x02 || v.n == 0 || v.n > 4)
        return UNMASK_EPARSE;
    long x = (v.p[0] & 0x80) ? -1 : 0;
    for (size_t i = 0; i < v.n; i++)
        x = (long)((unsigned long)x << 8 | v.p[i]);
    if (v.n == 4)
        x = (long)(int32_t)(uint32_t)x;
    *out = x;
    return 0;
}

static int get_oid(struct rd v, uint32_t *oid, size_t *n)
{
    if (v.n == 0)
        return UNMASK_EPARSE;
    size_t k = 0;
    uint64_t sub = 0;
    bool first = true;
    for (size_t i = 0; i < v.n; i++) {
        if (sub == 0 && v.p[i] == 0x80)
            return UNMASK_EPARSE; /* non-minimal encoding */
        sub = sub << 7 | (v.p[i] & 0x7f);
        if (sub > 0xffffffffull)
            return UNMASK_EPARSE;
        if (v.p[i] & 0x80)
            continue;
        if (first) {
            if (k + 2 > LAB_SNMP_MAX_OID)
                return UNMASK_EPARSE;
            oid[k++] = sub < 80 ? (uint32_t)(sub / 40) : 2;
            oid[k++] = (uint32_t)(sub < 80 ? sub % 40 : sub - 80);
            first = false;
        } else {
            if (k >= LAB_SNMP_MAX_OID)
                return UNMASK_EPARSE;
            oid[k++] = (uint32_t)sub;
        }
        sub = 0;
    }
    if (v.p[v.n - 1] & 0x80)
        return UNMASK_EPARSE;
    *n = k;
    return 0;
}

int lab_snmp_parse(const uint8_t *buf, size_t len, struct lab_snmp_req *out)
{
    memset(out, 0, sizeof *out);
    struct rd r = { buf, len }, msg, pdu, vbl;
    int tag;
    if (tlv(&r, &tag, &msg) || tag != 0x30)
        return UNMASK_EPARSE;
    if (get_int(&msg, &out->version) || (out->version != 0 && out->version != 1))
        return UNMASK_EPARSE;
    struct rd comm;
    if (tlv(&msg, &tag, &comm) || tag != 0x04)
        return UNMASK_EPARSE;
    out->community = (struct lab_span){ (const char *)comm.p, comm.n };
    if (tlv(&msg, &tag, &pdu))
        return UNMASK_EPARSE;
    if (tag != LAB_SNMP_GET && tag != LAB_SNMP_GETNEXT &&
        !(tag == LAB_SNMP_GETBULK && out->version == 1))
        return UNMASK_EPARSE;
    out->pdu = tag;
    if (get_int(&pdu, &out->request_id) || get_int(&pdu, &out->non_repeaters) ||
        get_int(&pdu, &out->max_repetitions))
        return UNMASK_EPARSE;
    if (tlv(&pdu, &tag, &vbl) || tag != 0x30)
        return UNMASK_EPARSE;
    while (vbl.n) {
        struct rd vb, o, val;
        if (out->n_vb >= LAB_SNMP_MAX_VB)
            return UNMASK_EPARSE;
        if (tlv(&vbl, &tag, &vb) || tag != 0x30)
            return UNMASK_EPARSE;
        if (tlv(&vb, &tag, &o) || tag != 0x06)
            return UNMASK_EPARSE;
        if (get_oid(o, out->oid[out->n_vb], &out->oid_len[out->n_vb]))
            return UNMASK_EPARSE;
        if (tlv(&vb, &tag, &val)) /* the value (NULL in requests) must at least be well-formed */
            return UNMASK_EPARSE;
        out->n_vb++;
    }
    return 0;
}

/* ---- encoding ---- */

struct wr {
    uint8_t *p;
    size_t n, cap;
    bool over;
};

static void put(struct wr *w, const void *b, size_t n)
{
    if (w->over || n > w->cap - w->n) {
        w->over = true;
        return;
    }
    if (n)
        memcpy(w->p + w->n, b, n);
    w->n += n;
}

static void put_len(struct wr *w, size_t len)
{
    uint8_t b[5];
    if (len < 0x80) {
        b[0] = (uint8_t)len;
        put(w, b, 1);
    } else if (len < 0x100) {
        b[0] = 0x81;
        b[1] = (uint8_t)len;
        put(w, b, 2);
    } else {
        b[0] = 0x82;
        b[1] = (uint8_t)(len >> 8);
        b[2] = (uint8_t)len;
        put(w, b, 3);
    }
}

static void put_tlv(struct wr *w, int tag, const void *v, size_t n)
{
    uint8_t t = (uint8_t)tag;
    put(w, &t, 1);
    put_len(w, n);
    put(w, v, n);
}

static size_t enc_int(uint8_t *b, long v)
{
    uint32_t x = (uint32_t)(int32_t)v;
    uint8_t t[4] = { (uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x };
    size_t i = 0; /* drop leading octets that only repeat the sign (X.690 8.3.2) */
    while (i < 3 && ((t[i] == 0x00 && !(t[i + 1] & 0x80)) || (t[i] == 0xff && (t[i + 1] & 0x80))))
        i++;
    memcpy(b, t + i, 4 - i);
    return 4 - i;
}

/* Unsigned 32-bit application types (Counter32, Gauge32, TimeTicks) are INTEGER-encoded too. */
static size_t enc_uint(uint8_t *b, uint32_t v)
{
    uint8_t tmp[5];
    size_t n = 0;
    do {
        tmp[n++] = (uint8_t)v;
        v >>= 8;
    } while (v);
    if (tmp[n - 1] & 0x80)
        tmp[n++] = 0;
    for (size_t i = 0; i < n; i++)
        b[i] = tmp[n - 1 - i];
    return n;
}

static size_t enc_oid(uint8_t *b, size_t cap, const uint32_t *oid, size_t n)
{
    size_t k = 0;
    if (n < 2)
        return 0;
    uint32_t subs0 = oid[0] * 40 + oid[1];
    for (size_t i = 1; i < n; i++) {
        uint32_t v = i == 1 ? subs0 : oid[i];
        uint8_t tmp[5];
        size_t m = 0;
        do {
            tmp[m++] = (uint8_t)(v & 0x7f);
            v >>= 7;
        } while (v);
        if (k + m > cap)
            return 0;
        while (m--)
            b[k++] = (uint8_t)(tmp[m] | (m ? 0x80 : 0));
    }
    return k;
}

static void put_value(struct wr *w, const struct lab_snmp_obj *o, lab_snmp_value_fn fn, void *ctx,
                      uint32_t uptime)
{
    uint8_t b[256];
    size_t n;
    switch (o->type) {
    case LAB_SNMP_STRING: {
        struct sbuf s;
        sbuf_init(&s, 1024);
        fn(ctx, o, &s);
        put_tlv(w, 0x04, s.p, s.len);
        sbuf_deinit(&s);
        return;
    }
    case LAB_SNMP_HEXSTRING: {
        n = 0;
        for (const char *p = o->value; p[0] && p[1] && n < sizeof b;) {
            if (p[0] == ' ' || p[0] == ':') {
                p++;
                continue;
            }
            int hi = str_hexval((unsigned char)p[0]), lo = str_hexval((unsigned char)p[1]);
            if (hi < 0 || lo < 0)
                break;
            b[n++] = (uint8_t)(hi << 4 | lo);
            p += 2;
        }
        put_tlv(w, 0x04, b, n);
        return;
    }
    case LAB_SNMP_INT: put_tlv(w, 0x02, b, enc_int(b, strtol(o->value, NULL, 10))); return;
    case LAB_SNMP_OID: {
        uint32_t oid[LAB_SNMP_MAX_OID];
        int k = lab_oid_parse(o->value, strlen(o->value), oid, LAB_SNMP_MAX_OID);
        /* An empty value is the zeroDotZero the Hikvision IPC leaves in sysObjectID. */
        n = k > 0 ? enc_oid(b, sizeof b, oid, (size_t)k) : 0;
        if (k <= 0)
            n = enc_oid(b, sizeof b, (const uint32_t[]){ 0, 0 }, 2);
        put_tlv(w, 0x06, b, n);
        return;
    }
    case LAB_SNMP_TIMETICKS:
        put_tlv(w, 0x43, b, enc_uint(b, (uint32_t)strtoul(o->value, NULL, 10)));
        return;
    case LAB_SNMP_UPTIME: put_tlv(w, 0x43, b, enc_uint(b, uptime)); return;
    case LAB_SNMP_COUNTER:
        put_tlv(w, 0x41, b, enc_uint(b, (uint32_t)strtoul(o->value, NULL, 10)));
        return;
    case LAB_SNMP_GAUGE:
        put_tlv(w, 0x42, b, enc_uint(b, (uint32_t)strtoul(o->value, NULL, 10)));
        return;
    case LAB_SNMP_IPADDR: {
        unsigned a[4] = { 0 };
        sscanf(o->value, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]);
        for (int i = 0; i < 4; i++)
            b[i] = (uint8_t)a[i];
        put_tlv(w, 0x40, b, 4);
        return;
    }
    case LAB_SNMP_NULL: put_tlv(w, 0x05, NULL, 0); return;
    }
}

static int cmp(const uint32_t *a, size_t an, const uint32_t *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return an < bn ? -1 : an > bn;
}

static const struct lab_snmp_obj *find(const struct lab_snmp_obj *const *mib, size_t n,
                                       const uint32_t *oid, size_t len, bool next)
{
    for (size_t i = 0; i < n; i++) {
        int c = cmp(mib[i]->oid, mib[i]->n_oid, oid, len);
        if (next ? c > 0 : c == 0)
            return mib[i];
        if (!next && c > 0)
            return NULL;
    }
    return NULL;
}

/* One varbind: the OID and either a value or an exception tag (0x80..0x82) / NULL. */
static void put_vb(struct wr *w, const uint32_t *oid, size_t len, const struct lab_snmp_obj *o,
                   int exception, lab_snmp_value_fn fn, void *ctx, uint32_t uptime)
{
    uint8_t ob[256], inner[LAB_SNMP_MAX_REPLY];
    struct wr in = { inner, 0, sizeof inner, false };
    size_t on = enc_oid(ob, sizeof ob, oid, len);
    put_tlv(&in, 0x06, ob, on);
    if (o)
        put_value(&in, o, fn, ctx, uptime);
    else
        put_tlv(&in, exception ? exception : 0x05, NULL, 0);
    if (in.over) {
        w->over = true;
        return;
    }
    put_tlv(w, 0x30, inner, in.n);
}

long lab_snmp_answer(const struct lab_snmp_req *req, const struct lab_snmp_obj *const *mib,
                     size_t n_mib, lab_snmp_value_fn fn, void *ctx, uint32_t uptime, uint8_t *out,
                     size_t cap)
{
    uint8_t vbuf[LAB_SNMP_MAX_REPLY];
    struct wr vbl = { vbuf, 0, sizeof vbuf, false };
    long err = 0, err_index = 0;
    bool v1 = req->version == 0;
    if (req->pdu == LAB_SNMP_GETBULK) {
        long nr = req->non_repeaters < 0 ? 0 : req->non_repeaters;
        long mr = req->max_repetitions < 0 ? 0 : req->max_repetitions;
        if (mr > 16)
            mr = 16;
        for (size_t i = 0; i < req->n_vb && !vbl.over; i++) {
            const uint32_t *oid = req->oid[i];
            size_t len = req->oid_len[i];
            long reps = (long)i < nr ? 1 : mr;
            for (long k = 0; k < reps && !vbl.over; k++) {
                const struct lab_snmp_obj *o = find(mib, n_mib, oid, len, true);
                if (!o) {
                    put_vb(&vbl, oid, len, NULL, 0x82, fn, ctx, uptime);
                    break;
                }
                put_vb(&vbl, o->oid, o->n_oid, o, 0, fn, ctx, uptime);
                oid = o->oid;
                len = o->n_oid;
            }
        }
        if (vbl.over) { /* GetBulk may answer fewer repetitions: keep what fitted is not tracked; */
            vbl.n = 0;  /* answer the first varbind only */
            vbl.over = false;
            const struct lab_snmp_obj *o = req->n_vb ? find(mib, n_mib, req->oid[0],
                                                            req->oid_len[0], true)
                                                     : NULL;
            if (o)
                put_vb(&vbl, o->oid, o->n_oid, o, 0, fn, ctx, uptime);
        }
    } else {
        for (size_t i = 0; i < req->n_vb; i++) {
            bool next = req->pdu == LAB_SNMP_GETNEXT;
            const struct lab_snmp_obj *o = find(mib, n_mib, req->oid[i], req->oid_len[i], next);
            if (o) {
                put_vb(&vbl, next ? o->oid : req->oid[i], next ? o->n_oid : req->oid_len[i], o, 0,
                       fn, ctx, uptime);
            } else if (v1) {
                err = 2; /* noSuchName */
                err_index = (long)i + 1;
                break;
            } else {
                put_vb(&vbl, req->oid[i], req->oid_len[i], NULL, next ? 0x82 : 0x80, fn, ctx,
                       uptime);
            }
        }
        if (err) { /* v1: the request's varbinds come back unchanged, with NULL values */
            vbl.n = 0;
            for (size_t i = 0; i < req->n_vb; i++)
                put_vb(&vbl, req->oid[i], req->oid_len[i], NULL, 0, fn, ctx, uptime);
        }
        if (vbl.over) { /* tooBig, with an empty varbind list (RFC 3416 4.2.1) */
            err = 1;
            err_index = 0;
            vbl.n = 0;
            vbl.over = false;
        }
    }
    uint8_t pbuf[LAB_SNMP_MAX_REPLY + 32], ib[8];
    struct wr pdu = { pbuf, 0, sizeof pbuf, false };
    put_tlv(&pdu, 0x02, ib, enc_int(ib, req->request_id));
    put_tlv(&pdu, 0x02, ib, enc_int(ib, err));
    put_tlv(&pdu, 0x02, ib, enc_int(ib, err_index));
    put_tlv(&pdu, 0x30, vbuf, vbl.n);
    uint8_t mbuf[LAB_SNMP_MAX_REPLY + 128];
    struct wr msg = { mbuf, 0, sizeof mbuf, false };
    put_tlv(&msg, 0x02, ib, enc_int(ib, req->version));
    put_tlv(&msg, 0x04, req->community.p, req->community.n);
    put_tlv(&msg, LAB_SNMP_RESPONSE, pbuf, pdu.n);
    struct wr w = { out, 0, cap, false };
    put_tlv(&w, 0x30, mbuf, msg.n);
    if (pdu.over || msg.over || w.over)
        return UNMASK_ELIMIT;
    return (long)w.n;
}
