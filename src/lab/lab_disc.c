/* lab_disc.c: see lab_disc.h. Substring tests rather than XML parsing on purpose: a device's discovery
 * daemon answers what looks like its protocol, and the lab must not be fooled into expanding entities
 * (there is no parser to fool). The mDNS encoder is hand-written because it needs four record types
 * and no library in Debian offers DNS message building without a resolver or daemon around it. */
#include "lab_disc.h"

#include <string.h>
#include <strings.h>

static const uint8_t *find(const uint8_t *h, size_t hn, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl > hn)
        return NULL;
    for (size_t i = 0; i + nl <= hn; i++)
        if (h[i] == (uint8_t)needle[0] && !memcmp(h + i, needle, nl))
            return h + i;
    return NULL;
}

/* The text between the first `open` and the following '<', trimmed; at most 256 bytes. */
static struct lab_span element_text(const uint8_t *d, size_t n, const char *open)
{
    const uint8_t *s = find(d, n, open);
    if (!s)
        return (struct lab_span){ NULL, 0 };
    s += strlen(open);
    const uint8_t *e = s;
    while (e < d + n && *e != '<' && e - s < 256)
        e++;
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        e--;
    for (const uint8_t *p = s; p < e; p++)
        if (*p < 0x20 || *p == '"' || *p == '&' || *p == '>')
            return (struct lab_span){ NULL, 0 }; /* nothing a reply could echo safely */
    return (struct lab_span){ (const char *)s, (size_t)(e - s) };
}

bool lab_sadp_match(const uint8_t *d, size_t n, struct lab_span *uuid)
{
    if (n > LAB_DISC_MAX || !find(d, n, "<Probe>") || !find(d, n, "<Types>inquiry</Types>"))
        return false;
    *uuid = element_text(d, n, "<Uuid>");
    if (!uuid->p)
        *uuid = (struct lab_span){ "", 0 };
    return true;
}

bool lab_dhip_match(const uint8_t *d, size_t n)
{
    return n > 32 && n <= LAB_DISC_MAX && !memcmp(d, "\x20\x00\x00\x00" "DHIP", 8) &&
           find(d + 32, n - 32, "\"DHDiscover.search\"");
}

bool lab_wsd_match(const uint8_t *d, size_t n, struct lab_span *msgid)
{
    if (n > LAB_DISC_MAX || !find(d, n, "Envelope") ||
        !find(d, n, "http://schemas.xmlsoap.org/ws/2005/04/discovery"))
        return false;
    /* The body element: <Probe ...>, <d:Probe ...>, <wsd:Probe/> */
    bool probe = false;
    for (const uint8_t *p = d; (p = find(p, n - (size_t)(p - d), "Probe")) != NULL; p += 5) {
        if (p > d && (p[-1] == '<' || p[-1] == ':') && p + 5 < d + n &&
            (p[5] == '>' || p[5] == ' ' || p[5] == '/' || p[5] == '\t' || p[5] == '\r' ||
             p[5] == '\n')) {
            const uint8_t *lt = p - 1;
            while (lt > d && *lt != '<' && *lt != ' ' && *lt != '>')
                lt--;
            if (*lt == '<') {
                probe = true;
                break;
            }
        }
        if ((size_t)(p - d) + 5 >= n)
            break;
    }
    if (!probe)
        return false;
    const uint8_t *m = find(d, n, "MessageID");
    *msgid = (struct lab_span){ "", 0 };
    if (m) {
        const uint8_t *gt = memchr(m, '>', n - (size_t)(m - d));
        if (gt) {
            struct lab_span v = element_text(gt, n - (size_t)(gt - d), ">");
            if (v.p)
                *msgid = v;
        }
    }
    return true;
}

bool lab_ssdp_match(const uint8_t *d, size_t n, struct lab_span *st)
{
    if (n > LAB_DISC_MAX || n < 20 || memcmp(d, "M-SEARCH * HTTP/1.1", 19))
        return false;
    bool man = false;
    *st = (struct lab_span){ NULL, 0 };
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && d[e] != '\n')
            e++;
        const char *l = (const char *)d + i;
        size_t ll = e - i;
        if (ll && l[ll - 1] == '\r')
            ll--;
        const char *colon = memchr(l, ':', ll);
        if (colon) {
            size_t kl = (size_t)(colon - l);
            const char *v = colon + 1;
            size_t vl = ll - kl - 1;
            while (vl && (*v == ' ' || *v == '\t'))
                v++, vl--;
            while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
                vl--;
            if (kl == 3 && !strncasecmp(l, "MAN", 3))
                man = vl >= 13 && !memcmp(v, "\"ssdp:discover\"", vl < 15 ? vl : 15);
            else if (kl == 2 && !strncasecmp(l, "ST", 2) && vl && vl <= 256) {
                bool ok = true;
                for (size_t k = 0; k < vl; k++)
                    ok = ok && (unsigned char)v[k] > 0x20 && (unsigned char)v[k] < 0x7f && v[k] != '"';
                if (ok)
                    *st = (struct lab_span){ v, vl };
            }
        }
        i = e + 1;
    }
    return man && st->p;
}

/* ---- mDNS ---- */

struct out {
    uint8_t *p;
    size_t n, cap;
    bool over;
};

static void put(struct out *o, const void *b, size_t n)
{
    if (o->over || n > o->cap - o->n) {
        o->over = true;
        return;
    }
    if (n)
        memcpy(o->p + o->n, b, n);
    o->n += n;
}

static void put16(struct out *o, unsigned v)
{
    uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    put(o, b, 2);
}

static void put32(struct out *o, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    put(o, b, 4);
}

/* Writes a dotted name as labels; `first` (may be NULL) is one extra leading label (an instance name,
 * which may contain dots and spaces). */
static void put_name(struct out *o, const char *first, const char *dotted)
{
    if (first) {
        size_t l = strlen(first);
        if (l > 63)
            l = 63;
        uint8_t b = (uint8_t)l;
        put(o, &b, 1);
        put(o, first, l);
    }
    const char *s = dotted;
    while (*s) {
        size_t l = strcspn(s, ".");
        if (l > 63)
            l = 63;
        uint8_t b = (uint8_t)l;
        if (l) {
            put(o, &b, 1);
            put(o, s, l);
        }
        s += strcspn(s, ".");
        if (*s == '.')
            s++;
    }
    put(o, "", 1);
}

/* Reads the name at q[*pos] into buf as dotted text (labels joined by '.'; following compression
 * pointers, at most 16). Returns false if malformed. */
static bool read_name(const uint8_t *q, size_t qn, size_t *pos, char *buf, size_t cap)
{
    size_t p = *pos, len = 0;
    int jumps = 0;
    bool jumped = false;
    for (;;) {
        if (p >= qn)
            return false;
        uint8_t l = q[p];
        if ((l & 0xc0) == 0xc0) {
            if (p + 1 >= qn || ++jumps > 16)
                return false;
            size_t target = (size_t)(l & 0x3f) << 8 | q[p + 1];
            if (!jumped)
                *pos = p + 2;
            jumped = true;
            if (target >= p)
                return false; /* pointers go backwards only */
            p = target;
            continue;
        }
        if (l & 0xc0)
            return false;
        p++;
        if (!l)
            break;
        if (p + l > qn || len + l + 2 > cap)
            return false;
        if (len)
            buf[len++] = '.';
        memcpy(buf + len, q + p, l);
        len += l;
        p += l;
    }
    if (!jumped)
        *pos = p;
    buf[len] = '\0';
    return true;
}

enum { T_A = 1, T_PTR = 12, T_TXT = 16, T_SRV = 33, T_ANY = 255 };

struct rr_set {
    bool ptr, srv, txt, a, services;
};

static void put_rr(struct out *o, int type, const struct lab_mdns_rec *r)
{
    switch (type) {
    case T_PTR: {
        put_name(o, NULL, r->service);
        put16(o, T_PTR);
        put16(o, 1);
        put32(o, 4500);
        uint8_t tmp[512];
        struct out rd = { tmp, 0, sizeof tmp, false };
        put_name(&rd, r->instance, r->service);
        put16(o, (unsigned)rd.n);
        put(o, tmp, rd.n);
        break;
    }
    case T_SRV: {
        put_name(o, r->instance, r->service);
        put16(o, T_SRV);
        put16(o, 0x8001); /* cache-flush, IN */
        put32(o, 120);
        uint8_t tmp[512];
        struct out rd = { tmp, 0, sizeof tmp, false };
        put16(&rd, 0);
        put16(&rd, 0);
        put16(&rd, r->port);
        put_name(&rd, r->target, "local");
        put16(o, (unsigned)rd.n);
        put(o, tmp, rd.n);
        break;
    }
    case T_TXT: {
        put_name(o, r->instance, r->service);
        put16(o, T_TXT);
        put16(o, 0x8001);
        put32(o, 4500);
        size_t l = r->txt ? strlen(r->txt) : 0;
        if (l > 255)
            l = 255;
        put16(o, (unsigned)l + 1);
        uint8_t b = (uint8_t)l;
        put(o, &b, 1);
        put(o, r->txt ? r->txt : "", l);
        break;
    }
    case T_A:
        put_name(o, r->target, "local");
        put16(o, T_A);
        put16(o, 0x8001);
        put32(o, 120);
        put16(o, 4);
        put32(o, r->ipv4);
        break;
    case T_ANY: /* the DNS-SD service enumeration PTR */
        put_name(o, NULL, "_services._dns-sd._udp.local");
        put16(o, T_PTR);
        put16(o, 1);
        put32(o, 4500);
        {
            uint8_t tmp[512];
            struct out rd = { tmp, 0, sizeof tmp, false };
            put_name(&rd, NULL, r->service);
            put16(o, (unsigned)rd.n);
            put(o, tmp, rd.n);
        }
        break;
    }
}

static bool name_is(const char *name, const char *first, const char *rest)
{
    if (!first)
        return !strcasecmp(name, rest);
    size_t fl = strlen(first);
    if (fl > 63)
        fl = 63;
    return !strncasecmp(name, first, fl) && name[fl] == '.' && !strcasecmp(name + fl + 1, rest);
}

long lab_mdns_answer(const uint8_t *q, size_t qn, const struct lab_mdns_rec *rec, bool legacy,
                     uint8_t *out, size_t cap)
{
    if (qn < 12 || qn > LAB_DISC_MAX)
        return -1;
    if (q[2] & 0x80)
        return 0; /* a response, not a query */
    unsigned qd = (unsigned)q[4] << 8 | q[5];
    if (qd == 0 || qd > 32)
        return -1;
    struct rr_set an = { 0 }, ar = { 0 };
    size_t pos = 12;
    size_t qstart = 12;
    for (unsigned i = 0; i < qd; i++) {
        char name[300];
        if (!read_name(q, qn, &pos, name, sizeof name) || pos + 4 > qn)
            return -1;
        unsigned type = (unsigned)q[pos] << 8 | q[pos + 1];
        pos += 4;
        bool any = type == T_ANY;
        if (name_is(name, NULL, rec->service) && (type == T_PTR || any)) {
            an.ptr = true;
            ar.srv = ar.txt = ar.a = true;
        } else if (name_is(name, rec->instance, rec->service)) {
            an.srv |= type == T_SRV || any;
            an.txt |= type == T_TXT || any;
            ar.a = true;
        } else if (name_is(name, rec->target, "local") && (type == T_A || any)) {
            an.a = true;
        } else if (name_is(name, NULL, "_services._dns-sd._udp.local") && (type == T_PTR || any)) {
            an.services = true;
        }
    }
    size_t qend = pos;
    unsigned n_an = an.ptr + an.srv + an.txt + an.a + an.services;
    if (!n_an)
        return 0;
    ar.srv &= !an.srv;
    ar.txt &= !an.txt;
    ar.a &= !an.a;
    unsigned n_ar = ar.srv + ar.txt + ar.a;
    struct out o = { out, 0, cap, false };
    put16(&o, legacy ? ((unsigned)q[0] << 8 | q[1]) : 0);
    put16(&o, 0x8400); /* response, authoritative */
    put16(&o, legacy ? qd : 0);
    put16(&o, n_an);
    put16(&o, 0);
    put16(&o, n_ar);
    if (legacy)
        put(&o, q + qstart, qend - qstart);
    if (an.services)
        put_rr(&o, T_ANY, rec);
    if (an.ptr)
        put_rr(&o, T_PTR, rec);
    if (an.srv)
        put_rr(&o, T_SRV, rec);
    if (an.txt)
        put_rr(&o, T_TXT, rec);
    if (an.a)
        put_rr(&o, T_A, rec);
    if (ar.srv)
        put_rr(&o, T_SRV, rec);
    if (ar.txt)
        put_rr(&o, T_TXT, rec);
    if (ar.a)
        put_rr(&o, T_A, rec);
    return o.over ? -1 : (long)o.n;
}
