/* engine.c: see engine.h and docs/VERDICT.md. */
#include "engine.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/utf8.h"
#include "../core/xalloc.h"

static const char *const kind_names[V_N_KIND] = { "unknown", "clear", "suspect", "white-label",
                                                  "covered" };

const char *verdict_kind_name(enum verdict_kind k) { return k < V_N_KIND ? kind_names[k] : "?"; }

int verdict_kind_parse(const char *s)
{
    for (int i = 0; i < V_N_KIND; i++)
        if (!strcmp(s, kind_names[i]))
            return i;
    return -1;
}

/* Which observation fields carry the model, firmware and serial when no rule captured them. This is
 * vocabulary (docs/OBSERVATIONS.md), not vendor knowledge. Earlier entries win. */
enum { ATTR_MODEL, ATTR_FIRMWARE, ATTR_SERIAL, N_ATTR };
static const struct {
    const char *field;
    int attr;
} attr_fields[] = {
    { "isapi.model", ATTR_MODEL },           { "onvif.model", ATTR_MODEL },
    { "sadp.device_description", ATTR_MODEL }, { "dhip.device_type", ATTR_MODEL },
    { "dahua.device_type", ATTR_MODEL },     { "upnp.model", ATTR_MODEL },
    { "inventory.model", ATTR_MODEL },       { "isapi.firmware", ATTR_FIRMWARE },
    { "onvif.firmware", ATTR_FIRMWARE },     { "sadp.software_version", ATTR_FIRMWARE },
    { "dhip.version", ATTR_FIRMWARE },       { "dahua.version", ATTR_FIRMWARE },
    { "isapi.serial", ATTR_SERIAL },         { "onvif.serial", ATTR_SERIAL },
    { "sadp.device_sn", ATTR_SERIAL },       { "dhip.serial_no", ATTR_SERIAL },
    { "inventory.serial", ATTR_SERIAL },
};

/* What the engine knows about an observation name, found with one hash lookup per observation. */
struct name_info {
    const char *name; /* borrowed from kb->fields or attr_fields */
    int field_id;     /* kb field id, or -1 */
    int attr;         /* ATTR_* or -1 */
    int attr_rank;    /* position in attr_fields: lower wins */
    bool mac;         /* mac.oui or mac.address: derive mac.org */
    bool records;     /* inventory.*: a record, not a device, said it */
};

/* A memo of rule matches by (field, value): inventories repeat the same brands, models, descriptions
 * and MAC registrants row after row, and a pattern gives the same answer on the same value. Direct-
 * mapped and bounded: values up to MEMO_VALUE bytes, at most MEMO_HITS matching rules each; anything
 * else is matched afresh. What depends on the rest of the device (a rule's `also` conditions, a rule
 * that already fired) is decided at each use. A field whose values rarely repeat (serial numbers, MAC
 * addresses) would only evict the others and miss the cache: each field's hit rate is measured over
 * windows of MEMO_WINDOW lookups, and below one in eight the field goes without the memo for
 * MEMO_OFF observations, then is tried again. A 32-bit tag per slot, kept apart, answers most
 * lookups without touching the slot. */
#define MEMO_SLOTS 4096
#define MEMO_VALUE 64
#define MEMO_HITS 8
#define MEMO_WINDOW 4096
#define MEMO_OFF 65536
struct memo_field {
    uint32_t tries, hits; /* in the current window */
    uint32_t off;         /* observations still to go without the memo */
};
struct memo_hit {
    int rule;
    /* per ATTR_*: { start, end } of the capture in the value; start == end: none */
    uint8_t cap[N_ATTR][2];
};
struct memo {
    int field_id; /* valid when the slot's tag is not 0 */
    uint8_t len, n_hits;
    char value[MEMO_VALUE];
    struct memo_hit hit[MEMO_HITS];
};

/* The name information of static names (obs_add_static), by address: a direct-mapped memo that spares
 * sources of millions of observations a hash and a string compare each. */
#define NAME_MEMO 64

struct engine {
    const struct kb *kb;
    struct name_info *names; /* open addressing, names_cap slots, NULL name = empty */
    size_t names_cap;
    const struct oui_db *oui;
    int as_of;
    pcre2_match_data *md;
    struct evidence *ev;
    size_t n_ev, cap_ev;
    double *score;         /* per maker */
    int *max_str;          /* per maker: strongest evidence, -1 none */
    int *touched;          /* the makers with evidence in this judgement (score/max_str set) */
    size_t n_touched;
    unsigned *rule_gen;    /* per rule: generation in which it fired (dedupe) */
    unsigned gen;
    const struct name_info **oni; /* per observation of the device being judged: its name's info */
    size_t cap_oni;
    struct {
        const char *name;
        const struct name_info *ni;
    } name_memo[NAME_MEMO];
    struct memo *memo;     /* MEMO_SLOTS */
    uint32_t *memo_tag;    /* MEMO_SLOTS: the hash's high bits | 1, 0 for an empty slot */
    struct memo_field *memo_field; /* per kb field */
    bool *field_path;      /* per kb field: a rule of it tests the path, so values alone decide nothing */
};

static unsigned long hash_name(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 ^ (unsigned char)*s++;
    return h;
}

static struct name_info *name_slot(const struct engine *e, const char *name)
{
    size_t mask = e->names_cap - 1;
    for (size_t i = hash_name(name) & mask;; i = (i + 1) & mask)
        if (!e->names[i].name || !strcmp(e->names[i].name, name))
            return &e->names[i];
}

static struct name_info *name_add(struct engine *e, const char *name)
{
    struct name_info *n = name_slot(e, name);
    if (!n->name)
        *n = (struct name_info){ .name = name, .field_id = -1, .attr = -1 };
    return n;
}

static const struct name_info *name_find(const struct engine *e, const char *name)
{
    const struct name_info *n = name_slot(e, name);
    return n->name ? n : NULL;
}

struct engine *engine_new(const struct kb *kb, const struct oui_db *ouidb, int as_of)
{
    struct engine *e = xcalloc(1, sizeof *e);
    size_t want = kb->n_fields + sizeof attr_fields / sizeof *attr_fields + 2;
    e->names_cap = 64;
    while (e->names_cap < want * 2)
        e->names_cap *= 2;
    e->names = xcalloc(e->names_cap, sizeof *e->names);
    for (size_t i = 0; i < kb->n_fields; i++)
        name_add(e, kb->fields[i])->field_id = (int)i;
    for (size_t i = 0; i < sizeof attr_fields / sizeof *attr_fields; i++) {
        struct name_info *n = name_add(e, attr_fields[i].field);
        n->attr = attr_fields[i].attr;
        n->attr_rank = (int)i;
    }
    name_add(e, "mac.oui")->mac = true;
    name_add(e, "mac.address")->mac = true;
    for (size_t i = 0; i < e->names_cap; i++)
        if (e->names[i].name && !strncmp(e->names[i].name, "inventory.", 10))
            e->names[i].records = true;
    e->kb = kb;
    e->oui = ouidb;
    e->as_of = as_of;
    e->md = pcre2_match_data_create(32, NULL);
    e->score = xcalloc(kb->n_makers + 1, sizeof *e->score);
    e->max_str = xcalloc(kb->n_makers + 1, sizeof *e->max_str);
    for (size_t m = 0; m < kb->n_makers; m++)
        e->max_str[m] = -1;
    e->touched = xcalloc(kb->n_makers + 1, sizeof *e->touched);
    e->rule_gen = xcalloc(kb->n_rules + 1, sizeof *e->rule_gen);
    e->memo = xmalloc(MEMO_SLOTS * sizeof *e->memo);
    e->memo_tag = xcalloc(MEMO_SLOTS, sizeof *e->memo_tag);
    e->memo_field = xcalloc(kb->n_fields + 1, sizeof *e->memo_field);
    e->field_path = xcalloc(kb->n_fields + 1, sizeof *e->field_path);
    for (size_t r = 0; r < kb->n_rules; r++)
        for (size_t f = 0; kb->rules[r].path_re && f < kb->rules[r].fields.n; f++)
            if (kb->rules[r].field_ids[f] >= 0)
                e->field_path[kb->rules[r].field_ids[f]] = true;
    return e;
}

void engine_free(struct engine *e)
{
    if (!e)
        return;
    pcre2_match_data_free(e->md);
    free(e->names);
    free(e->ev);
    free(e->score);
    free(e->max_str);
    free(e->touched);
    free(e->rule_gen);
    free(e->oni);
    free(e->memo);
    free(e->memo_tag);
    free(e->memo_field);
    free(e->field_path);
    free(e);
}

/* Observations are valid UTF-8 by construction (obs_add), so the per-call UTF check is skipped; the
 * JIT entry point is used directly, and the interpreter where JIT compilation was not possible. */
static bool re_match(struct engine *e, const pcre2_code *re, const char *s, size_t n)
{
    int rc = pcre2_jit_match(re, (PCRE2_SPTR)s, n, 0, 0, e->md, NULL);
    if (rc == PCRE2_ERROR_JIT_BADOPTION)
        rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK, e->md, NULL);
    return rc >= 0;
}

/* Looks up the names of observations [from, d->n_obs) once, into e->oni and each field_id. */
static void resolve_names(struct engine *e, struct device *d, size_t from)
{
    xgrow((void **)&e->oni, &e->cap_oni, d->n_obs, sizeof *e->oni);
    for (size_t i = from; i < d->n_obs; i++) {
        struct observation *o = &d->obs[i];
        const struct name_info *ni;
        if (o->name_static) {
            size_t k = ((uintptr_t)o->name >> 3 ^ (uintptr_t)o->name >> 9) & (NAME_MEMO - 1);
            if (e->name_memo[k].name != o->name) {
                e->name_memo[k].name = o->name;
                e->name_memo[k].ni = name_find(e, o->name);
            }
            ni = e->name_memo[k].ni;
        } else {
            ni = name_find(e, o->name);
        }
        e->oni[i] = ni;
        o->field_id = ni ? ni->field_id : -1;
    }
}

/* Adds mac.org for every mac.oui / mac.address the registry knows. */
static void derive_mac_org(struct engine *e, struct device *d)
{
    size_t n = d->n_obs;
    for (size_t i = 0; i < n; i++) {
        const struct observation *o = &d->obs[i];
        const struct name_info *ni = e->oni[i];
        if (!ni || !ni->mac)
            continue;
        uint64_t v;
        int nib = oui_parse(o->value, o->value_len, &v);
        if (nib < 0 || oui_is_local(v, nib))
            continue;
        struct oui_hit hit;
        if (!oui_lookup(e->oui, v, nib, &hit))
            continue;
        int k = obs_add_static(d, "mac.org", hit.org, strlen(hit.org), hit.prefix,
                               strlen(hit.prefix), -1);
        if (k >= 0)
            d->obs[k].derived_from = (int)i;
    }
}

static void push_ev(struct engine *e, struct evidence ev)
{
    xgrow((void **)&e->ev, &e->cap_ev, e->n_ev + 1, sizeof *e->ev);
    e->ev[e->n_ev++] = ev;
}

static bool also_holds(struct engine *e, const struct device *d, size_t self, const struct kb_also *a)
{
    if (!a->re)
        return false;
    for (size_t j = 0; j < d->n_obs; j++) {
        if (j == self || d->obs[j].field_id != a->field_id)
            continue;
        if (re_match(e, a->re, d->obs[j].value, d->obs[j].value_len))
            return true;
    }
    return false;
}

static bool owned_at(const struct kb_brand *b, int maker, int date)
{
    for (size_t i = 0; i < b->n_owners; i++)
        if (b->owners[i].maker == maker && b->owners[i].from <= date && date <= b->owners[i].to)
            return true;
    return false;
}

static int current_owner(const struct kb_brand *b, int date)
{
    for (size_t i = 0; i < b->n_owners; i++)
        if (b->owners[i].maker >= 0 && b->owners[i].from <= date && date <= b->owners[i].to)
            return b->owners[i].maker;
    return -1;
}

/* A rule matched observation i: with its captures (cap[a] = { start, end } in the value, start ==
 * end when absent), checks its `also` conditions and records the evidence. */
static void fire(struct engine *e, struct device *d, size_t i, int rule,
                 const size_t cap[N_ATTR][2], const char *attrs[N_ATTR])
{
    const struct kb_rule *r = &e->kb->rules[rule];
    const struct observation *o = &d->obs[i];
    for (size_t k = 0; k < r->n_also; k++)
        if (!also_holds(e, d, i, &r->also[k]))
            return;
    for (int a = 0; a < N_ATTR; a++)
        if (!attrs[a] && cap[a][1] > cap[a][0])
            attrs[a] = arena_strndup(&d->arena, o->value + cap[a][0], cap[a][1] - cap[a][0]);
    e->rule_gen[rule] = e->gen;
    push_ev(e, (struct evidence){ .obs = (int)i, .rule = rule, .maker = r->maker, .brand = r->brand,
                                  .rel = -1, .strength = r->strength });
}

/* The memo slot for (field, value), NULL when the observation does not use one: its value is too
 * long, its path matters to a rule of the field, or its field is off (struct memo_field). *hit says
 * whether the slot holds this very value. */
static struct memo *memo_slot(struct engine *e, const struct observation *o, bool *hit)
{
    *hit = false;
    struct memo_field *f = &e->memo_field[o->field_id];
    if (f->off) {
        f->off--;
        return NULL;
    }
    if (o->value_len > MEMO_VALUE || (o->path && e->field_path[o->field_id]))
        return NULL;
    if (++f->tries == MEMO_WINDOW) {
        if (f->hits < MEMO_WINDOW / 8)
            f->off = MEMO_OFF;
        f->tries = f->hits = 0;
    }
    /* A multiply-xorshift hash, eight bytes at a time (the last eight overlapping). */
    const char *v = o->value;
    size_t n = o->value_len, k = 0;
    uint64_t h = ((uint64_t)o->field_id << 32 | n) * 0x9E3779B97F4A7C15u, w;
    for (; k + 8 <= n; k += 8) {
        memcpy(&w, v + k, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    if (k < n) {
        if (n >= 8) {
            memcpy(&w, v + n - 8, 8);
        } else {
            w = 0;
            for (; k < n; k++)
                w = w << 8 | (unsigned char)v[k];
        }
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    size_t slot = h & (MEMO_SLOTS - 1);
    uint32_t tag = (uint32_t)(h >> 32) | 1;
    struct memo *m = &e->memo[slot];
    if (e->memo_tag[slot] == tag && m->field_id == o->field_id && m->len == o->value_len &&
        !memcmp(m->value, o->value, o->value_len)) {
        *hit = true;
        f->hits++;
        return m;
    }
    /* The caller fills it as the rules are tried: every candidate, fired already or not. */
    e->memo_tag[slot] = tag;
    m->field_id = o->field_id;
    m->len = (uint8_t)o->value_len;
    memcpy(m->value, o->value, o->value_len);
    m->n_hits = 0;
    return m;
}

/* Runs the rules; fills e->ev and the verdict's captured attributes. */
static void match_rules(struct engine *e, struct device *d, const char *attrs[N_ATTR])
{
    const struct kb *kb = e->kb;
    int attr_rank[N_ATTR] = { 1 << 30, 1 << 30, 1 << 30 };
    const char *direct[N_ATTR] = { 0 };
    for (size_t i = 0; i < d->n_obs; i++) {
        const struct name_info *ni = e->oni[i];
        /* Attributes observed directly, used when no rule captures them. */
        if (ni && ni->attr >= 0 && d->obs[i].value_len && ni->attr_rank < attr_rank[ni->attr]) {
            attr_rank[ni->attr] = ni->attr_rank;
            direct[ni->attr] = d->obs[i].value;
        }
    }
    for (size_t i = 0; i < d->n_obs; i++) {
        const struct observation *o = &d->obs[i];
        if (o->field_id < 0)
            continue;
        size_t cap[N_ATTR][2];
        bool seen;
        struct memo *m = memo_slot(e, o, &seen);
        if (seen) { /* the same rules match */
            for (int k = 0; k < m->n_hits; k++) {
                const struct memo_hit *h = &m->hit[k];
                if (e->rule_gen[h->rule] == e->gen)
                    continue;
                for (int a = 0; a < N_ATTR; a++)
                    cap[a][0] = h->cap[a][0], cap[a][1] = h->cap[a][1];
                fire(e, d, i, h->rule, (const size_t(*)[2])cap, attrs);
            }
            continue;
        }
        /* Candidates: the field's rules without a first-byte constraint, merged in rule order with
         * those whose pattern can start with this value's first byte (kb.h field_first). */
        static const int none = -1;
        const int *al = o->value_len ? kb->field_always[o->field_id] : &none;
        const int *fb = o->value_len ? kb->field_first[o->field_id][(unsigned char)o->value[0]]
                                     : kb->field_rules[o->field_id];
        while (*al >= 0 || *fb >= 0) {
            const int *rp = (*fb < 0 || (*al >= 0 && *al < *fb)) ? al++ : fb++;
            const struct kb_prefilter *pf = &kb->pre[*rp];
            bool fired = e->rule_gen[*rp] == e->gen;
            if (!pf->re || (fired && !m) || !kb_pre_may_match(pf, o->value, o->value_len))
                continue;
            const struct kb_rule *r = &kb->rules[*rp];
            if (r->path_re && (!o->path || !re_match(e, r->path_re, o->path, strlen(o->path))))
                continue;
            if (!re_match(e, r->re, o->value, o->value_len))
                continue;
            int grp[N_ATTR] = { r->grp_model, r->grp_firmware, r->grp_serial };
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(e->md);
            for (int a = 0; a < N_ATTR; a++) {
                PCRE2_SIZE cs = grp[a] ? ov[2 * grp[a]] : PCRE2_UNSET;
                bool set = cs != PCRE2_UNSET;
                cap[a][0] = set ? cs : 0;
                cap[a][1] = set ? ov[2 * grp[a] + 1] : 0;
            }
            if (m && m->n_hits == MEMO_HITS) {
                e->memo_tag[m - e->memo] = 0; /* too many to remember: matched afresh */
                m = NULL;
            } else if (m) {
                struct memo_hit *h = &m->hit[m->n_hits++];
                h->rule = *rp;
                for (int a = 0; a < N_ATTR; a++)
                    h->cap[a][0] = (uint8_t)cap[a][0], h->cap[a][1] = (uint8_t)cap[a][1];
            }
            if (!fired) /* the captures are copied: `also` may reuse the match data */
                fire(e, d, i, *rp, (const size_t(*)[2])cap, attrs);
        }
    }
    for (int a = 0; a < N_ATTR; a++)
        if (!attrs[a])
            attrs[a] = direct[a];
}

static void add_score(struct engine *e, int maker, enum kb_strength s)
{
    if (maker < 0)
        return;
    if (e->max_str[maker] < 0)
        e->touched[e->n_touched++] = maker;
    e->score[maker] = 1.0 - (1.0 - e->score[maker]) * (1.0 - kb_strength_weight(s));
    if ((int)s > e->max_str[maker])
        e->max_str[maker] = (int)s;
}

/* The explanation is built on every judgement, so it is assembled from pieces rather than through
 * printf: a bounded text builder that silently stops at its capacity. */
struct text {
    char *p;
    size_t len, cap;
};

static void put_n(struct text *t, const char *s, size_t n)
{
    if (n > t->cap - 1 - t->len)
        n = t->cap - 1 - t->len;
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void put(struct text *t, const char *s) { put_n(t, s, strlen(s)); }
/* put for a string literal, measured at compile time. */
#define put_lit(t, lit) put_n((t), (lit), sizeof(lit) - 1)

static void put_num(struct text *t, size_t v)
{
    char num[24];
    size_t i = sizeof num - 1;
    num[i] = '\0';
    do
        num[--i] = (char)('0' + v % 10);
    while ((v /= 10) && i);
    put_n(t, num + i, sizeof num - 1 - i);
}

static void put_plural(struct text *t, size_t n, const char *word)
{
    put_num(t, n);
    put_lit(t, " ");
    put(t, word);
    if (n != 1)
        put_lit(t, "s");
}

/* The strongest evidence for maker m (first among equals), or -1. */
static int strongest_for(const struct engine *e, int m)
{
    int best = -1;
    for (size_t i = 0; i < e->n_ev; i++)
        if (e->ev[i].maker == m && (best < 0 || e->ev[i].strength > e->ev[best].strength))
            best = (int)i;
    return best;
}

static void describe_ev(const struct engine *e, const struct device *d, int i, struct text *t)
{
    const struct evidence *ev = &e->ev[i];
    if (ev->rule == EV_RULE_RELATIONSHIP) {
        const struct kb_brand *b = &e->kb->brands[ev->brand];
        const struct kb_rel *r = &b->oems[ev->rel];
        char grade[2] = { r->grade, '\0' };
        put(t, b->name);
        put_lit(t, " is reported as built by ");
        put(t, e->kb->makers[r->maker].name);
        put_lit(t, " (");
        put(t, r->from_text);
        put_lit(t, " to ");
        put(t, r->to_text);
        put_lit(t, ", evidence grade ");
        put(t, grade);
        put_lit(t, ")");
        return;
    }
    const struct kb_rule *r = &e->kb->rules[ev->rule];
    const struct observation *o = &d->obs[ev->obs];
    /* At most 60 bytes of the value, cut on a character boundary, line breaks as spaces. */
    char val[72];
    size_t n = utf8_prefix(o->value, o->value_len, 60);
    for (size_t k = 0; k < n; k++) {
        char c = o->value[k];
        val[k] = (c == '\r' || c == '\n' || c == '\t' || c == '\0') ? ' ' : c;
    }
    val[n] = '\0';
    put(t, o->name);
    put_lit(t, " \"");
    put_n(t, val, n);
    put(t, n < o->value_len ? "...\" (rule " : "\" (rule ");
    put(t, r->id);
    put_lit(t, ", ");
    put(t, kb_strength_name(r->strength));
    put_lit(t, ")");
}

static void lists_text(const struct kb *kb, int m, struct text *t)
{
    const struct kb_maker *mk = &kb->makers[m];
    for (size_t i = 0; i < mk->n_on; i++) {
        const struct kb_on *on = &mk->on[i];
        const struct kb_list *l = on->list >= 0 ? &kb->lists[on->list] : NULL;
        if (i)
            put_lit(t, ", ");
        put(t, l ? (l->short_name ? l->short_name : l->name) : on->list_id);
        put_lit(t, " (since ");
        put(t, on->date_text);
        put_lit(t, ")");
    }
}

void engine_judge(struct engine *e, struct device *d, struct verdict *out)
{
    const struct kb *kb = e->kb;
    /* Everything but the 1 KiB explanation buffer, which is written below. */
    memset(out, 0, offsetof(struct verdict, explanation));
    out->explanation[0] = '\0';
    out->maker = out->brand = out->conflict_maker = -1;
    e->n_ev = 0;
    if (++e->gen == 0) { /* wrapped: clear the stamps once every 4 billion devices */
        memset(e->rule_gen, 0, kb->n_rules * sizeof *e->rule_gen);
        e->gen = 1;
    }
    resolve_names(e, d, 0);
    if (e->oui) {
        size_t n = d->n_obs;
        derive_mac_org(e, d);
        resolve_names(e, d, n);
    }

    const char *attrs[N_ATTR] = { 0 };
    match_rules(e, d, attrs);

    /* Per-maker state is reset only where the previous judgement wrote it: a device touches a few
     * makers out of many. */
    for (size_t k = 0; k < e->n_touched; k++) {
        e->score[e->touched[k]] = 0.0;
        e->max_str[e->touched[k]] = -1;
    }
    e->n_touched = 0;
    /* Declared brand: the strongest brand evidence, first among equals. */
    int brand_ev = -1;
    for (size_t i = 0; i < e->n_ev; i++) {
        struct evidence *ev = &e->ev[i];
        if (ev->brand >= 0) {
            ev->maker = current_owner(&kb->brands[ev->brand], e->as_of);
            if (brand_ev < 0 || ev->strength > e->ev[brand_ev].strength)
                brand_ev = (int)i;
        }
        add_score(e, ev->maker, ev->strength);
    }
    out->brand = brand_ev >= 0 ? e->ev[brand_ev].brand : -1;

    /* The best maker: highest score, then strongest evidence, then covered, then the lower index (so
     * the order in which makers were touched never matters). */
    int best = -1;
    for (size_t k = 0; k < e->n_touched; k++) {
        int m = e->touched[k];
        if (best < 0 || e->score[m] > e->score[best] ||
            (e->score[m] == e->score[best] &&
             (e->max_str[m] > e->max_str[best] ||
              (e->max_str[m] == e->max_str[best] &&
               (kb->makers[m].covered > kb->makers[best].covered ||
                (kb->makers[m].covered == kb->makers[best].covered && m < best))))))
            best = m;
    }

    /* No maker evidence but a declared brand: its reported OEM makers (grade H or M) explain it, as
     * weak evidence only (docs/RULES.md: never more than suspect). The relationship's period is shown,
     * not applied: a device bought years ago may have been built in any period. */
    if (best < 0 && out->brand >= 0) {
        const struct kb_brand *b = &kb->brands[out->brand];
        for (size_t i = 0; i < b->n_oems; i++) {
            const struct kb_rel *r = &b->oems[i];
            if (r->maker < 0 || r->grade == 'L' || !kb->makers[r->maker].covered)
                continue;
            push_ev(e, (struct evidence){ .obs = -1, .rule = EV_RULE_RELATIONSHIP,
                                          .maker = r->maker, .brand = out->brand, .rel = (int)i,
                                          .strength = KB_WEAK });
            add_score(e, r->maker, KB_WEAK);
            if (best < 0)
                best = r->maker;
        }
    }

    /* Strongest competitor. */
    int second = -1;
    for (size_t k = 0; k < e->n_touched; k++) {
        int m = e->touched[k];
        if (m != best && (second < 0 || e->score[m] > e->score[second] ||
                          (e->score[m] == e->score[second] && m < second)))
            second = m;
    }

    enum verdict_kind kind;
    if (best < 0) {
        kind = V_UNKNOWN;
    } else if (kb->makers[best].covered) {
        kind = e->max_str[best] >= KB_LABEL ? V_COVERED : V_SUSPECT;
    } else if (second >= 0 && kb->makers[second].covered && e->max_str[second] >= KB_MEDIUM) {
        /* A covered maker has real evidence too: never hide it behind a clear verdict. */
        int t = best;
        best = second;
        second = t;
        kind = V_SUSPECT;
    } else {
        kind = e->max_str[best] >= KB_LABEL ? V_CLEAR : V_UNKNOWN;
    }
    if (kind == V_COVERED && out->brand >= 0 && !owned_at(&kb->brands[out->brand], best, e->as_of))
        kind = V_WHITE_LABEL;

    out->kind = kind;
    out->maker = best;
    out->covered = best >= 0 && kb->makers[best].covered;
    out->conflict_maker = second;
    double conf = best >= 0 ? e->score[best] : 0.0;
    if (second >= 0)
        conf *= 1.0 - 0.5 * e->score[second];
    if (conf > 0.99)
        conf = 0.99;
    out->confidence = conf;
    for (size_t i = 0; i < e->n_ev; i++)
        e->ev[i].conflicting = e->ev[i].maker >= 0 && e->ev[i].maker != best;
    out->ev = e->ev;
    out->n_ev = e->n_ev;

    out->model = attrs[ATTR_MODEL];
    out->firmware = attrs[ATTR_FIRMWARE];
    out->serial = attrs[ATTR_SERIAL];

    /* A verdict from paper alone (an inventory row: inventory.* fields, perhaps a MAC) is worth saying:
     * nothing answered on a network. */
    bool records = false, other = false;
    for (size_t i = 0; i < d->n_obs; i++) {
        const struct name_info *ni = e->oni[i];
        const char *nm = d->obs[i].name;
        if (ni ? ni->records : !strncmp(nm, "inventory.", 10))
            records = true;
        else if (strncmp(nm, "mac.", 4))
            other = true;
    }
    out->records_only = records && !other;

    /* One sentence a person reads. */
    struct text t = { out->explanation, 0, sizeof out->explanation };
    out->explanation[0] = '\0';
    int top = best >= 0 ? strongest_for(e, best) : -1;
    size_t n_for = 0;
    for (size_t i = 0; i < e->n_ev; i++)
        n_for += e->ev[i].maker == best;
    const char *mname = best >= 0 ? kb->makers[best].name : NULL;
    const char *bname = out->brand >= 0 ? kb->brands[out->brand].name : NULL;
    switch (kind) {
    case V_UNKNOWN:
        if (best < 0) {
            put_lit(&t, "No rule identifies a maker from the ");
            put_plural(&t, d->n_obs, "observation");
        } else {
            put_lit(&t, "Only weak evidence points to ");
            put(&t, mname);
            put_lit(&t, ": ");
            describe_ev(e, d, top, &t);
            put_lit(&t, "; not enough to name the maker");
        }
        break;
    case V_CLEAR:
        put_lit(&t, "Made by ");
        put(&t, mname);
        put_lit(&t, ", which no covered list names: ");
        put_plural(&t, n_for, "piece");
        put_lit(&t, " of evidence, strongest ");
        describe_ev(e, d, top, &t);
        break;
    case V_SUSPECT:
        if (top >= 0 && e->ev[top].rule == EV_RULE_RELATIONSHIP) {
            put_lit(&t, "Declared brand ");
            put(&t, bname);
            put_lit(&t, " only: ");
            describe_ev(e, d, top, &t);
            put_lit(&t, ", but no device evidence confirms ");
            put(&t, mname);
            put_lit(&t, " made it");
        } else {
            put(&t, e->max_str[best] >= KB_MEDIUM ? "Conflicting" : "Only weak");
            put_lit(&t, " evidence points to covered maker ");
            put(&t, mname);
            put_lit(&t, ": ");
            describe_ev(e, d, top, &t);
            put_lit(&t, "; confirm with a probe of the firmware stack");
        }
        break;
    case V_COVERED:
    case V_WHITE_LABEL:
        if (kind == V_WHITE_LABEL) {
            put_lit(&t, "Sold as ");
            put(&t, bname);
            put_lit(&t, " but made by ");
            put(&t, mname);
            put_lit(&t, ": ");
        } else if (bname && kb->brands[out->brand].implicit_maker != best && strcmp(bname, mname)) {
            put_lit(&t, "Made by ");
            put(&t, mname);
            put_lit(&t, " under its own brand ");
            put(&t, bname);
            put_lit(&t, ": ");
        } else {
            put_lit(&t, "Made by ");
            put(&t, mname);
            put_lit(&t, ": ");
        }
        put_plural(&t, n_for, "piece");
        put_lit(&t, " of evidence, strongest ");
        describe_ev(e, d, top, &t);
        put_lit(&t, "; named by ");
        lists_text(kb, best, &t);
        break;
    case V_N_KIND: break;
    }
    if (second >= 0 && e->max_str[second] >= 0) {
        int k = strongest_for(e, second);
        put_lit(&t, ". Conflicting evidence for ");
        put(&t, kb->makers[second].name);
        put_lit(&t, ": ");
        if (k >= 0)
            describe_ev(e, d, k, &t);
    }
    if (out->records_only && best >= 0 && !(top >= 0 && e->ev[top].rule == EV_RULE_RELATIONSHIP))
        put_lit(&t, "; from records only: no device was observed");
    put_lit(&t, ".");
}
