/* lab_world.c: the lab's devices: which personality each address gets, its variables and MAC address,
 * the ground truth, and turning a personality's reply templates into bytes for one device.
 *
 * Assignment is reproducible: smooth weighted round-robin over the mix (so every personality with a
 * weight appears as soon as there are enough hosts, in proportion to its weight), then a Fisher-Yates
 * shuffle driven by the seed. A device's variables are expanded lazily, each from its own generator
 * state (seed, device, variable name), so a value does not depend on which variable was asked first. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <yajl/yajl_gen.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/xalloc.h"
#include "lab-int.h"
#include "lab_tls.h"
#include "lab_tmpl.h"

static uint64_t hash_str(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

struct lab_device *lab_device_at(struct lab *lab, uint32_t addr)
{
    if (addr < lab->o.base || addr - lab->o.base >= lab->n)
        return NULL;
    return &lab->dev[addr - lab->o.base];
}

static void pinfo_build(struct lab_pinfo *pi, const struct lab_pers *p)
{
    size_t total = 0;
    for (const struct lab_pers *q = p; q; q = q->base_p)
        total += q->n_vars;
    pi->p = p;
    pi->vars = xcalloc(total ? total : 1, sizeof *pi->vars);
    pi->n_vars = 0;
    for (const struct lab_pers *q = p; q; q = q->base_p)
        for (size_t i = 0; i < q->n_vars; i++) {
            bool dup = false;
            for (size_t j = 0; j < pi->n_vars && !dup; j++)
                dup = !strcmp(pi->vars[j]->name, q->vars[i].name);
            if (!dup)
                pi->vars[pi->n_vars++] = &q->vars[i];
        }
}

/* ---- the mix ---- */

struct pick {
    size_t pinfo; /* index into lab->pinfo */
    unsigned weight;
    long cur;
};

static int add_pick(struct lab *lab, struct pick **picks, size_t *n, const char *name, size_t nl,
                    unsigned w)
{
    for (size_t i = 0; i < lab->set->n_pers; i++) {
        const struct lab_pers *p = &lab->set->pers[i];
        if (strlen(p->name) != nl || memcmp(p->name, name, nl))
            continue;
        *picks = xrealloc(*picks, (*n + 1) * sizeof **picks);
        (*picks)[(*n)++] = (struct pick){ .pinfo = i, .weight = w };
        return 0;
    }
    log_error("lab: unknown personality '%.*s' (see 'unmask lab --list')", (int)nl, name);
    return UNMASK_EUSAGE;
}

static int parse_mix(struct lab *lab, struct pick **picks, size_t *n)
{
    const char *s = lab->o.only ? lab->o.only : lab->o.mix;
    if (!s) {
        for (size_t i = 0; i < lab->set->n_pers; i++)
            if (lab->set->pers[i].weight) {
                *picks = xrealloc(*picks, (*n + 1) * sizeof **picks);
                (*picks)[(*n)++] = (struct pick){ .pinfo = i, .weight = lab->set->pers[i].weight };
            }
        return *n ? 0 : UNMASK_EUSAGE;
    }
    while (*s) {
        size_t l = strcspn(s, ",");
        const char *eq = memchr(s, '=', l);
        unsigned long w = 1;
        size_t nl = l;
        if (eq) {
            if (lab->o.only) {
                log_error("lab: --personality takes names only (weights go in --mix)");
                return UNMASK_EUSAGE;
            }
            nl = (size_t)(eq - s);
            char *end;
            w = strtoul(eq + 1, &end, 10);
            if (end != s + l || eq + 1 == end || w > 1000000) {
                log_error("lab: --mix: bad weight in '%.*s' (NAME=WEIGHT, WEIGHT 0..1000000)",
                          (int)l, s);
                return UNMASK_EUSAGE;
            }
        } else if (lab->o.mix && !lab->o.only) {
            log_error("lab: --mix: expected NAME=WEIGHT, not '%.*s'", (int)l, s);
            return UNMASK_EUSAGE;
        }
        if (nl && add_pick(lab, picks, n, s, nl, (unsigned)w) != 0)
            return UNMASK_EUSAGE;
        s += l;
        if (*s == ',')
            s++;
    }
    unsigned long total = 0;
    for (size_t i = 0; i < *n; i++)
        total += (*picks)[i].weight;
    if (!total) {
        log_error("lab: the mix has no personality with a weight above 0");
        return UNMASK_EUSAGE;
    }
    return 0;
}

int lab_new(const struct lab_set *set, const struct lab_opts *o, struct lab **out)
{
    if (!o->n_hosts || o->n_hosts > LAB_MAX_HOSTS) {
        log_error("lab: --hosts must be 1..%u", LAB_MAX_HOSTS);
        return UNMASK_EUSAGE;
    }
    uint64_t last = (uint64_t)o->base + o->n_hosts - 1;
    if (last > 0xffffffffull) {
        log_error("lab: the address range passes 255.255.255.255");
        return UNMASK_EUSAGE;
    }
    if (!o->all_ifaces && ((o->base >> 24) != 127 || (last >> 24) != 127)) {
        log_error("lab: the lab serves 127.0.0.0/8 only (use addresses inside a network namespace "
                  "with --all-interfaces)");
        return UNMASK_EUSAGE;
    }
    if ((o->base & 0xff) == 0 || ((last & 0xff) == 0xff && o->n_hosts > 1 && !o->all_ifaces)) {
        /* .0 and .255 are fine on loopback, but avoid surprises with tools that skip them */
    }
    struct lab *lab = xcalloc(1, sizeof *lab);
    lab->set = set;
    lab->o = *o;
    lab->n_pinfo = set->n_pers;
    lab->pinfo = xcalloc(set->n_pers ? set->n_pers : 1, sizeof *lab->pinfo);
    for (size_t i = 0; i < set->n_pers; i++)
        pinfo_build(&lab->pinfo[i], &set->pers[i]);
    arena_init(&lab->arena, 64 * 1024);

    struct pick *picks = NULL;
    size_t n_picks = 0;
    if (parse_mix(lab, &picks, &n_picks) != 0) {
        if (!n_picks && !o->mix && !o->only)
            log_error("lab: no personality has a weight above 0");
        free(picks);
        lab_free(lab);
        return UNMASK_EUSAGE;
    }
    lab->n = o->n_hosts;
    lab->dev = xcalloc(lab->n, sizeof *lab->dev);
    long total = 0;
    for (size_t i = 0; i < n_picks; i++)
        total += picks[i].weight;
    for (uint32_t d = 0; d < lab->n; d++) { /* smooth weighted round-robin (nginx) */
        size_t best = 0;
        for (size_t i = 0; i < n_picks; i++) {
            picks[i].cur += picks[i].weight;
            if (picks[i].cur > picks[best].cur)
                best = i;
        }
        picks[best].cur -= total;
        lab->dev[d].pi = &lab->pinfo[picks[best].pinfo];
    }
    free(picks);
    uint64_t rng = o->seed ^ 0x6c61622d73656564ull;
    for (uint32_t d = lab->n; d > 1; d--) {
        uint32_t j = (uint32_t)(lab_rng_next(&rng) % d);
        const struct lab_pinfo *t = lab->dev[d - 1].pi;
        lab->dev[d - 1].pi = lab->dev[j].pi;
        lab->dev[j].pi = t;
    }
    for (uint32_t d = 0; d < lab->n; d++) {
        struct lab_device *dv = &lab->dev[d];
        const struct lab_pers *p = dv->pi->p;
        dv->addr = o->base + d;
        dv->index = d;
        uint64_t s = o->seed * 0x9e3779b97f4a7c15ull + d + 1;
        dv->seed = lab_rng_next(&s);
        const struct lab_pers *mp = p;
        while (mp && !mp->oui_len)
            mp = mp->base_p;
        if (mp) {
            /* The bytes after the OUI: distinct for every address of the lab, stable per seed. */
            uint64_t h = hash_str(o->seed * 0x100000001b3ull + 0xcbf29ce484222325ull, p->name,
                                  strlen(p->name));
            uint32_t low = (uint32_t)((h >> 16) + d * 0x10001u) & 0xffffff;
            uint8_t tail[3] = { (uint8_t)(low >> 16), (uint8_t)(low >> 8), (uint8_t)low };
            memcpy(dv->mac, mp->oui, mp->oui_len);
            for (size_t k = mp->oui_len; k < 6; k++)
                dv->mac[k] = tail[k - 3 < 3 ? k - 3 : 2];
            dv->has_mac = true;
        }
        dv->vals = arena_alloc(&lab->arena, (dv->pi->n_vars ? dv->pi->n_vars : 1) * sizeof *dv->vals);
        memset(dv->vals, 0, (dv->pi->n_vars ? dv->pi->n_vars : 1) * sizeof *dv->vals);
        dv->busy = arena_alloc(&lab->arena, dv->pi->n_vars ? dv->pi->n_vars : 1);
        memset(dv->busy, 0, dv->pi->n_vars ? dv->pi->n_vars : 1);
    }
    *out = lab;
    return 0;
}

void lab_free(struct lab *lab)
{
    if (!lab)
        return;
    lab_tls_free(lab);
    for (size_t i = 0; i < lab->n_pinfo; i++)
        free(lab->pinfo[i].vars);
    free(lab->pinfo);
    free(lab->dev);
    arena_deinit(&lab->arena);
    free(lab);
}

/* ---- variables ---- */

static void fmt_mac(const uint8_t m[6], const char *arg, size_t al, struct sbuf *out)
{
    bool upper = false;
    const char *sep = ":";
    bool dot = false;
    if (arg && al) {
        upper = arg[0] >= 'A' && arg[0] <= 'Z';
        if ((al == 4 && !strncasecmp(arg, "dash", 4)))
            sep = "-";
        else if (al == 5 && !strncasecmp(arg, "plain", 5))
            sep = "";
        else if (al == 3 && !strncasecmp(arg, "dot", 3))
            dot = true;
        else if (al == 4 && !strncasecmp(arg, "ipv6", 4)) {
            /* the modified EUI-64 interface identifier of RFC 4291 appendix A */
            sbuf_printf(out, "fe80::%x:%x:%x:%x", (m[0] ^ 2) << 8 | m[1], m[2] << 8 | 0xff,
                        0xfe << 8 | m[3], m[4] << 8 | m[5]);
            return;
        }
    }
    const char *f = upper ? "%02X" : "%02x";
    for (int i = 0; i < 6; i++) {
        if (dot && (i == 2 || i == 4))
            sbuf_addc(out, '.');
        else if (!dot && i)
            sbuf_adds(out, sep);
        sbuf_printf(out, f, m[i]);
    }
}

static void add_span(struct sbuf *out, struct lab_span s, const char *dflt)
{
    if (s.p)
        sbuf_add(out, s.p, s.n);
    else if (dflt)
        sbuf_adds(out, dflt);
}

static const char *device_var(struct lab_rctx *c, size_t k);

/* The number after "id": in a JSON request body (Dahua RPC2 echoes it), or an empty span. */
static struct lab_span json_id(struct lab_span b)
{
    for (size_t i = 0; i + 4 < b.n; i++) {
        if (memcmp(b.p + i, "\"id\"", 4))
            continue;
        size_t k = i + 4;
        while (k < b.n && (b.p[k] == ' ' || b.p[k] == ':'))
            k++;
        size_t e = k;
        while (e < b.n && e - k < 10 && b.p[e] >= '0' && b.p[e] <= '9')
            e++;
        if (e > k)
            return (struct lab_span){ b.p + k, e - k };
    }
    return (struct lab_span){ NULL, 0 };
}

bool lab_lookup(void *ctx, const char *name, size_t n, const char *arg, size_t al, struct sbuf *out)
{
    struct lab_rctx *c = ctx;
    struct lab_device *d = c->dev;
#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))
    if (IS("ip")) {
        struct in_addr a = { htonl(d->addr) };
        char buf[INET_ADDRSTRLEN];
        sbuf_adds(out, inet_ntop(AF_INET, &a, buf, sizeof buf));
    } else if (IS("peer")) {
        struct in_addr a = { htonl(c->peer) };
        char buf[INET_ADDRSTRLEN];
        sbuf_adds(out, inet_ntop(AF_INET, &a, buf, sizeof buf));
    } else if (IS("port"))
        sbuf_printf(out, "%u", c->lport);
    else if (IS("index"))
        sbuf_printf(out, "%u", d->index);
    else if (IS("name"))
        sbuf_adds(out, d->pi->p->name);
    else if (IS("mac")) {
        if (d->has_mac)
            fmt_mac(d->mac, arg, al, out);
    } else if (IS("cseq"))
        add_span(out, c->req ? c->req->cseq : (struct lab_span){ 0 }, "0");
    else if (IS("cseq_num")) {
        /* the leading digits of CSeq: what Dahua's RTSP server echoes (nmap line 14561) */
        struct lab_span cs = c->req ? c->req->cseq : (struct lab_span){ 0 };
        size_t k = 0;
        while (cs.p && k < cs.n && k < 10 && cs.p[k] >= '0' && cs.p[k] <= '9')
            k++;
        if (k)
            sbuf_add(out, cs.p, k);
        else
            sbuf_addc(out, '0');
    } else if (IS("version"))
        add_span(out, c->req ? c->req->version : (struct lab_span){ 0 }, "HTTP/1.0");
    else if (IS("method"))
        add_span(out, c->req ? c->req->method : (struct lab_span){ 0 }, "");
    else if (IS("path"))
        add_span(out, c->req ? c->req->path : (struct lab_span){ 0 }, "/");
    else if (IS("uri"))
        add_span(out, c->req ? c->req->uri : (struct lab_span){ 0 }, "/");
    else if (IS("host")) {
        if (c->req && c->req->host.p)
            add_span(out, c->req->host, NULL);
        else
            return lab_lookup(ctx, "ip", 2, NULL, 0, out);
    } else if (IS("uuid"))
        add_span(out, c->uuid, "");
    else if (IS("msgid"))
        add_span(out, c->msgid, "");
    else if (IS("st"))
        add_span(out, c->st, "");
    else if (IS("reqid")) {
        if (!c->reqid.p && c->req && c->req->body.n)
            c->reqid = json_id(c->req->body);
        add_span(out, c->reqid, "1");
    }
    else {
        for (size_t k = 0; k < d->pi->n_vars; k++)
            if (strlen(d->pi->vars[k]->name) == n && !memcmp(d->pi->vars[k]->name, name, n)) {
                const char *v = device_var(c, k);
                if (v)
                    sbuf_adds(out, v);
                return true;
            }
        return false;
    }
#undef IS
    return true;
}

static const char *device_var(struct lab_rctx *c, size_t k)
{
    struct lab_device *d = c->dev;
    if (d->vals[k])
        return d->vals[k];
    if (d->busy[k]) /* a variable that refers to itself, directly or not */
        return "";
    d->busy[k] = 1;
    const struct lab_var *v = d->pi->vars[k];
    uint64_t rng = hash_str(d->seed, v->name, strlen(v->name));
    struct lab_rctx vc = *c;
    vc.req = NULL;
    struct lab_tmpl_env env = { .lookup = lab_lookup, .ctx = &vc, .rng = &rng, .now = 0 };
    struct sbuf b;
    sbuf_init(&b, 64 * 1024);
    lab_tmpl_expand(v->tmpl, strlen(v->tmpl), &env, &b);
    d->vals[k] = arena_strndup(&c->lab->arena, b.p, b.len);
    sbuf_deinit(&b);
    d->busy[k] = 0;
    return d->vals[k];
}

void lab_expand(struct lab_rctx *c, const char *t, size_t n, struct sbuf *out)
{
    struct lab_tmpl_env env = { .lookup = lab_lookup, .ctx = c, .rng = &c->rng, .now = time(NULL) };
    lab_tmpl_expand(t, n, &env, out);
}

/* ---- truth ---- */

static void gen_str(yajl_gen g, const char *k, const char *v)
{
    yajl_gen_string(g, (const unsigned char *)k, strlen(k));
    if (v)
        yajl_gen_string(g, (const unsigned char *)v, strlen(v));
    else
        yajl_gen_null(g);
}

int lab_write_truth(const struct lab *lab, FILE *f)
{
    yajl_gen g = yajl_gen_alloc(NULL);
    int rc = 0;
    for (uint32_t d = 0; d < lab->n && !rc; d++) {
        const struct lab_device *dv = &lab->dev[d];
        const struct lab_pers *p = dv->pi->p;
        char ip[INET_ADDRSTRLEN], mac[18];
        struct in_addr a = { htonl(dv->addr) };
        inet_ntop(AF_INET, &a, ip, sizeof ip);
        yajl_gen_map_open(g);
        gen_str(g, "address", ip);
        gen_str(g, "personality", p->name);
        gen_str(g, "maker", p->maker);
        gen_str(g, "brand", p->brand);
        gen_str(g, "verdict", p->verdict);
        if (dv->has_mac) {
            snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", dv->mac[0], dv->mac[1],
                     dv->mac[2], dv->mac[3], dv->mac[4], dv->mac[5]);
            gen_str(g, "mac", mac);
        }
        yajl_gen_map_close(g);
        const unsigned char *buf;
        size_t len;
        yajl_gen_get_buf(g, &buf, &len);
        if (fwrite(buf, 1, len, f) != len || fputc('\n', f) == EOF)
            rc = UNMASK_EIO;
        yajl_gen_clear(g);
        yajl_gen_reset(g, NULL);
    }
    yajl_gen_free(g);
    if (fflush(f) != 0)
        rc = UNMASK_EIO;
    return rc;
}

/* ---- matching ---- */

static bool port_ok(const struct lab_reply *r, uint16_t lport)
{
    if (!r->n_ports)
        return true;
    for (size_t i = 0; i < r->n_ports; i++)
        if (r->ports[i] == lport)
            return true;
    return false;
}

static bool span_eq(struct lab_span s, const char *z)
{
    return s.p && strlen(z) == s.n && !memcmp(s.p, z, s.n);
}

static bool path_ok(const char *pat, struct lab_span path)
{
    size_t pl = strlen(pat);
    if (pl == 1 && pat[0] == '*')
        return true;
    if (pl && pat[pl - 1] == '*')
        return path.n >= pl - 1 && !memcmp(path.p, pat, pl - 1);
    return span_eq(path, pat);
}

static bool contains(const uint8_t *h, size_t hn, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl > hn)
        return false;
    for (size_t i = 0; i + nl <= hn; i++)
        if (h[i] == (uint8_t)needle[0] && !memcmp(h + i, needle, nl))
            return true;
    return false;
}

const struct lab_reply *lab_match_req(const struct lab_pers *p, enum lab_reply_kind kind,
                                      const struct lab_req *req, uint16_t lport)
{
    for (; p; p = p->base_p)
        for (size_t i = 0; i < p->n_replies; i++) {
            const struct lab_reply *r = &p->replies[i];
            if (r->kind != kind || !port_ok(r, lport))
                continue;
            if (strcmp(r->method, "*") && !span_eq(req->method, r->method))
                continue;
            if (kind == LAB_R_HTTP && !path_ok(r->path, req->path))
                continue;
            if (r->when_body && !contains((const uint8_t *)req->body.p, req->body.n, r->when_body))
                continue;
            return r;
        }
    return NULL;
}

const struct lab_reply *lab_match_bytes(const struct lab_pers *p, enum lab_reply_kind kind,
                                        uint16_t port, const uint8_t *data, size_t len, bool *more)
{
    *more = false;
    for (; p; p = p->base_p)
        for (size_t i = 0; i < p->n_replies; i++) {
            const struct lab_reply *r = &p->replies[i];
            if (r->kind != kind || r->port != port)
                continue;
            if (r->prefix) {
                size_t m = len < r->prefix_len ? len : r->prefix_len;
                if (memcmp(data, r->prefix, m))
                    continue;
                if (len < r->prefix_len) {
                    *more = true;
                    continue;
                }
            }
            if (r->when_body && !contains(data, len, r->when_body))
                continue;
            return r;
        }
    return NULL;
}

/* ---- building ---- */

/* Expands a HEAD or BODY part line by line with its line ends. */
static void expand_lines(struct lab_rctx *c, const struct lab_part *pt, const struct lab_reply *r,
                         size_t body_len, struct sbuf *out)
{
    struct lab_tmpl_env env = { .lookup = lab_lookup, .ctx = c, .rng = &c->rng, .now = time(NULL),
                                .body_len = body_len };
    const char *s = pt->text, *end = pt->text + pt->len;
    bool head = pt->kind == LAB_P_HEAD;
    const char *eol = head || r->body_crlf ? "\r\n" : "\n";
    for (;;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        lab_tmpl_expand(s, (size_t)(le - s), &env, out);
        if (nl || head || r->body_final_eol)
            sbuf_adds(out, eol);
        if (!nl)
            break;
        s = nl + 1;
    }
    if (head)
        sbuf_add(out, "\r\n", 2);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

void lab_reply_build(const struct lab_reply *r, struct lab_rctx *c, struct sbuf *out)
{
    /* Pass 1: bodies and hex parts, to know the body length a head announces. */
    struct sbuf body;
    sbuf_init(&body, LAB_MAX_REPLY);
    size_t *ends = xcalloc(r->n_parts ? r->n_parts : 1, sizeof *ends);
    for (size_t i = 0; i < r->n_parts; i++) {
        const struct lab_part *pt = &r->parts[i];
        if (pt->kind == LAB_P_BODY)
            expand_lines(c, pt, r, 0, &body);
        else if (pt->kind == LAB_P_HEX)
            sbuf_add(&body, pt->text, pt->len);
        ends[i] = body.len;
    }
    size_t start = out->len, off = 0;
    if (r->frame != LAB_FRAME_NONE)
        sbuf_add(out, (const char[32]){ 0 }, 32);
    for (size_t i = 0; i < r->n_parts; i++) {
        const struct lab_part *pt = &r->parts[i];
        if (pt->kind == LAB_P_HEAD) {
            expand_lines(c, pt, r, body.len, out);
        } else {
            sbuf_add(out, body.p + off, ends[i] - off);
            off = ends[i];
        }
    }
    if (r->frame != LAB_FRAME_NONE && !out->truncated) {
        uint8_t *h = (uint8_t *)out->p + start;
        uint32_t plen = (uint32_t)(out->len - start - 32);
        if (r->frame == LAB_FRAME_DHIP) {
            /* protocols.md 2.1: 20 00 00 00 "DHIP", session, id, length, 0, length, 0 (LE) */
            memcpy(h, "\x20\x00\x00\x00" "DHIP", 8);
            put_le32(h + 16, plen);
            put_le32(h + 24, plen);
        } else {
            /* protocols.md 2.3, mcw0-console: a b0 01 reply carries its payload length at offset 4;
             * the other header bytes are not published and stay zero. */
            h[0] = 0xb0;
            h[1] = 0x01;
            put_le32(h + 4, plen);
        }
    }
    free(ends);
    sbuf_deinit(&body);
}

void lab_reply_more(const struct lab_reply *r, struct lab_rctx *c, struct sbuf *out)
{
    if (!r->n_parts)
        return;
    const struct lab_part *pt = &r->parts[r->n_parts - 1];
    size_t target = out->len + 16 * 1024;
    while (out->len < target && !out->truncated) {
        size_t before = out->len;
        if (pt->kind == LAB_P_HEX)
            sbuf_add(out, pt->text, pt->len);
        else
            expand_lines(c, pt, r, 0, out);
        if (out->len == before)
            break;
    }
}
