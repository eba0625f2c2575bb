/* report.c: the writer registry and the verdict object shared by every format. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "jsonw.h"

extern const struct report_writer writer_json, writer_table, writer_csv, writer_html;

static const struct report_writer *const writers[] = { &writer_json, &writer_table, &writer_csv,
                                                       &writer_html };

const struct report_writer *report_find(const char *name)
{
    for (size_t i = 0; i < sizeof writers / sizeof *writers; i++)
        if (!strcmp(writers[i]->name, name))
            return writers[i];
    return NULL;
}

const struct report_writer *report_for_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    if (!strcmp(dot, ".jsonl") || !strcmp(dot, ".json") || !strcmp(dot, ".ndjson"))
        return &writer_json;
    if (!strcmp(dot, ".csv"))
        return &writer_csv;
    if (!strcmp(dot, ".html") || !strcmp(dot, ".htm"))
        return &writer_html;
    if (!strcmp(dot, ".txt"))
        return &writer_table;
    return NULL;
}

/* A pre-rendered piece of JSON and its length. */
struct frag {
    char *p;
    size_t len;
};

struct report_cache {
    const struct kb *kb;
    struct frag *rule;  /* per rule: ,"rule":..,"indicates":..,...,"source":[..] */
    struct frag *maker; /* per maker: "maker":"slug","maker_name":"Name" */
    struct frag *lists; /* per maker: [{"id":..,"name":..,"since":..,"qualifier":..},...] */
};

static struct frag render_done(struct sbuf *b)
{
    struct frag f = { b->p, b->len }; /* take the buffer */
    b->p = NULL;
    return f;
}

static void add_frag(struct sbuf *b, const struct frag *f) { sbuf_add(b, f->p, f->len); }

static void render_sources(struct sbuf *b, const struct kb_strv *src)
{
    jw_key(b, "source", 0);
    sbuf_addc(b, '[');
    for (size_t k = 0; k < src->n; k++) {
        if (k)
            sbuf_addc(b, ',');
        jw_cstr(b, src->v[k]);
    }
    sbuf_addc(b, ']');
}

struct report_cache *report_cache_new(const struct kb *kb)
{
    struct report_cache *c = xcalloc(1, sizeof *c);
    c->kb = kb;
    c->rule = xcalloc(kb->n_rules + 1, sizeof *c->rule);
    c->maker = xcalloc(kb->n_makers + 1, sizeof *c->maker);
    c->lists = xcalloc(kb->n_makers + 1, sizeof *c->lists);
    struct sbuf b;
    for (size_t i = 0; i < kb->n_rules; i++) {
        const struct kb_rule *r = &kb->rules[i];
        bool maker = r->maker >= 0;
        sbuf_init(&b, 1 << 20);
        jw_kv(&b, "rule", r->id, 0);
        jw_kv(&b, "indicates", maker ? kb->makers[r->maker].slug : kb->brands[r->brand].slug, 0);
        jw_kv(&b, "kind", maker ? "maker" : "brand", 0);
        jw_kv(&b, "strength", kb_strength_name(r->strength), 0);
        jw_key(&b, "survives_relabelling", 0);
        sbuf_adds(&b, r->strength >= KB_STRONG ? "true" : "false");
        render_sources(&b, &r->sources);
        c->rule[i] = render_done(&b);
    }
    for (size_t m = 0; m < kb->n_makers; m++) {
        const struct kb_maker *mk = &kb->makers[m];
        sbuf_init(&b, 1 << 20);
        jw_kv(&b, "maker", mk->slug, 1);
        jw_kv(&b, "maker_name", mk->name, 0);
        c->maker[m] = render_done(&b);
        sbuf_init(&b, 1 << 20);
        sbuf_addc(&b, '[');
        for (size_t i = 0; i < mk->n_on; i++) {
            const struct kb_on *on = &mk->on[i];
            const struct kb_list *l = on->list >= 0 ? &kb->lists[on->list] : NULL;
            sbuf_add(&b, i ? ",{" : "{", i ? 2 : 1);
            jw_kv(&b, "id", on->list_id, 1);
            jw_kv(&b, "name", l ? l->name : NULL, 0);
            jw_kv(&b, "since", on->date_text, 0);
            if (on->qualifier)
                jw_kv(&b, "qualifier", on->qualifier, 0);
            sbuf_addc(&b, '}');
        }
        sbuf_addc(&b, ']');
        c->lists[m] = render_done(&b);
    }
    return c;
}

void report_cache_free(struct report_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->kb->n_rules; i++)
        free(c->rule[i].p);
    for (size_t m = 0; m < c->kb->n_makers; m++)
        free(c->maker[m].p), free(c->lists[m].p);
    free(c->rule);
    free(c->maker);
    free(c->lists);
    free(c);
}

void report_line_begin(struct report_ctx *ctx, size_t cap)
{
    struct sbuf *b = xmalloc(sizeof *b);
    sbuf_init(b, cap);
    ctx->priv = b;
}

int report_line_write(struct report_ctx *ctx)
{
    struct sbuf *b = ctx->priv;
    if (b->truncated)
        return -1;
    sbuf_addc(b, '\n');
    return fwrite(b->p, 1, b->len, ctx->out) == b->len ? 0 : -1;
}

int report_line_end(struct report_ctx *ctx)
{
    struct sbuf *b = ctx->priv;
    sbuf_deinit(b);
    free(b);
    ctx->priv = NULL;
    return fflush(ctx->out) == 0 ? 0 : -1;
}

static void render_observation(struct sbuf *b, const struct device *d, const struct observation *ob)
{
    const char *dot = strchr(ob->name, '.');
    sbuf_addc(b, '{');
    jw_key(b, "proto", 1);
    jw_str(b, ob->name, (size_t)(dot - ob->name));
    jw_kv(b, "field", dot + 1, 0);
    jw_key(b, "value", 0);
    jw_str(b, ob->value, ob->value_len);
    if (ob->port >= 0) {
        jw_key(b, "port", 0);
        sbuf_addu(b, (unsigned long)ob->port);
    }
    if (ob->path)
        jw_kv(b, "path", ob->path, 0);
    if (ob->truncated) {
        jw_key(b, "truncated", 0);
        sbuf_adds(b, "true");
    }
    if (ob->derived_from >= 0) {
        const struct observation *src = &d->obs[ob->derived_from];
        jw_key(b, "derived_from", 0);
        sbuf_addc(b, '{');
        jw_kv(b, "name", src->name, 1);
        jw_key(b, "value", 0);
        jw_str(b, src->value, src->value_len);
        sbuf_addc(b, '}');
    }
    sbuf_addc(b, '}');
}

/* FAR 52.204-25(d)(2)(i): what a contractor reports within one business day; mitigation is the
 * user's to write, so it is present and empty. */
static void render_far(struct sbuf *b, const struct report_far *f)
{
    jw_key(b, "far_52_204_25_d", 0);
    sbuf_addc(b, '{');
    jw_kv(b, "contract_number", f->contract, 1);
    jw_kv(b, "order_number", f->order, 0);
    jw_kv(b, "supplier_name", f->supplier, 0);
    jw_kv(b, "supplier_uei", f->supplier_uei, 0);
    jw_kv(b, "cage_code", f->cage, 0);
    jw_kv(b, "brand", f->brand, 0);
    jw_kv(b, "model_number", f->model, 0);
    jw_kv(b, "item_description", f->description, 0);
    jw_kv(b, "mitigation", "", 0);
    sbuf_addc(b, '}');
}

void report_verdict_json(struct sbuf *b, const struct report_cache *c, const struct device *d,
                         const struct verdict *v, const struct report_extra *x)
{
    const struct kb *kb = c->kb;
    sbuf_addc(b, '{');
    jw_kv(b, "id", d->id, 1);
    if (x && x->file)
        jw_kv(b, "file", x->file, 0);
    if (x && x->row > 0) {
        jw_key(b, "row", 0);
        sbuf_addu(b, (unsigned long)x->row);
    }
    if (x && x->address)
        jw_kv(b, "address", x->address, 0);
    if (x && x->mac)
        jw_kv(b, "mac", x->mac, 0);
    if (x && x->n_ports) {
        jw_key(b, "ports", 0);
        sbuf_addc(b, '[');
        for (size_t i = 0; i < x->n_ports; i++) {
            if (i)
                sbuf_addc(b, ',');
            sbuf_lit(b, "{\"port\":");
            sbuf_addu(b, (unsigned long)x->ports[i].port);
            jw_kv(b, "proto", x->ports[i].proto, 0);
            jw_kv(b, "service", x->ports[i].service, 0);
            sbuf_addc(b, '}');
        }
        sbuf_addc(b, ']');
    }
    sbuf_addc(b, ',');
    if (v->maker >= 0)
        add_frag(b, &c->maker[v->maker]);
    else
        sbuf_adds(b, "\"maker\":null,\"maker_name\":null");
    /* Three decimals, without printf: confidence is in [0, 1]. */
    int milli = (int)(v->confidence * 1000 + 0.5);
    char num[] = ",\"confidence\":0.000";
    size_t nl = sizeof num - 1;
    num[nl - 5] = (char)('0' + milli / 1000);
    num[nl - 3] = (char)('0' + milli / 100 % 10);
    num[nl - 2] = (char)('0' + milli / 10 % 10);
    num[nl - 1] = (char)('0' + milli % 10);
    sbuf_add(b, num, nl);
    jw_kv(b, "brand", v->brand >= 0 ? kb->brands[v->brand].name : NULL, 0);
    jw_kv(b, "model", v->model, 0);
    jw_kv(b, "firmware", v->firmware, 0);
    jw_kv(b, "serial", v->serial, 0);
    jw_kv(b, "verdict", verdict_kind_name(v->kind), 0);
    jw_key(b, "covered", 0);
    sbuf_adds(b, v->kind == V_COVERED || v->kind == V_WHITE_LABEL ? "true" : "false");
    jw_key(b, "lists", 0);
    if (v->maker >= 0 && (v->kind == V_COVERED || v->kind == V_WHITE_LABEL || v->kind == V_SUSPECT))
        add_frag(b, &c->lists[v->maker]);
    else
        sbuf_add(b, "[]", 2);
    jw_key(b, "evidence", 0);
    sbuf_addc(b, '[');
    for (size_t i = 0; i < v->n_ev; i++) {
        const struct evidence *ev = &v->ev[i];
        sbuf_add(b, i ? ",{" : "{", i ? 2 : 1);
        if (ev->rule == EV_RULE_RELATIONSHIP) {
            const struct kb_brand *br = &kb->brands[ev->brand];
            const struct kb_rel *r = &br->oems[ev->rel];
            jw_kv(b, "rule", "brand-relationship", 1);
            jw_kv(b, "indicates", kb->makers[r->maker].slug, 0);
            jw_kv(b, "kind", "oem-relationship", 0);
            jw_kv(b, "brand", br->name, 0);
            jw_key(b, "period", 0);
            sbuf_addc(b, '[');
            jw_cstr(b, r->from_text);
            sbuf_addc(b, ',');
            jw_cstr(b, r->to_text);
            sbuf_addc(b, ']');
            jw_key(b, "grade", 0);
            jw_str(b, &r->grade, 1);
            jw_kv(b, "strength", kb_strength_name(ev->strength), 0);
            render_sources(b, &br->sources);
        } else {
            jw_key(b, "observation", 1);
            render_observation(b, d, &d->obs[ev->obs]);
            add_frag(b, &c->rule[ev->rule]);
        }
        if (ev->conflicting)
            sbuf_adds(b, ",\"conflicting\":true");
        sbuf_addc(b, '}');
    }
    sbuf_addc(b, ']');
    jw_kv(b, "explanation", v->explanation, 0);
    if (v->records_only)
        sbuf_lit(b, ",\"records_only\":true");
    if (x && x->far && (v->kind == V_COVERED || v->kind == V_WHITE_LABEL))
        render_far(b, x->far);
    if (d->n_dropped) {
        jw_key(b, "observations_dropped", 0);
        sbuf_addu(b, d->n_dropped);
    }
    sbuf_addc(b, '}');
}
