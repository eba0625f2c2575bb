/* report.c: the writer registry and the verdict object shared by every format. */
#include "report.h"

#include <string.h>

extern const struct report_writer writer_json, writer_table, writer_csv;

static const struct report_writer *const writers[] = { &writer_json, &writer_table, &writer_csv };

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
    if (!strcmp(dot, ".txt"))
        return &writer_table;
    return NULL;
}

static void gstr(yajl_gen g, const char *s)
{
    if (s)
        yajl_gen_string(g, (const unsigned char *)s, strlen(s));
    else
        yajl_gen_null(g);
}

static void gstrn(yajl_gen g, const char *s, size_t n)
{
    yajl_gen_string(g, (const unsigned char *)s, n);
}

void report_gen_kv(yajl_gen g, const char *key, const char *val)
{
    gstr(g, key);
    gstr(g, val);
}

static void gsources(yajl_gen g, const struct kb_strv *src)
{
    gstr(g, "source");
    yajl_gen_array_open(g);
    for (size_t k = 0; k < src->n; k++)
        gstr(g, src->v[k]);
    yajl_gen_array_close(g);
}

static void gobservation(yajl_gen g, const struct device *d, const struct observation *ob)
{
    yajl_gen_map_open(g);
    const char *dot = strchr(ob->name, '.');
    gstr(g, "proto");
    gstrn(g, ob->name, (size_t)(dot - ob->name));
    report_gen_kv(g, "field", dot + 1);
    gstr(g, "value");
    gstrn(g, ob->value, ob->value_len);
    if (ob->port >= 0) {
        gstr(g, "port");
        yajl_gen_integer(g, ob->port);
    }
    if (ob->path)
        report_gen_kv(g, "path", ob->path);
    if (ob->truncated) {
        gstr(g, "truncated");
        yajl_gen_bool(g, 1);
    }
    if (ob->derived_from >= 0) {
        const struct observation *src = &d->obs[ob->derived_from];
        gstr(g, "derived_from");
        yajl_gen_map_open(g);
        report_gen_kv(g, "name", src->name);
        gstr(g, "value");
        gstrn(g, src->value, src->value_len);
        yajl_gen_map_close(g);
    }
    yajl_gen_map_close(g);
}

void report_verdict_gen(yajl_gen g, const struct kb *kb, const struct device *d,
                        const struct verdict *v, const struct report_extra *x)
{
    yajl_gen_map_open(g);
    report_gen_kv(g, "id", d->id);
    if (x && x->file)
        report_gen_kv(g, "file", x->file);
    if (x && x->row > 0) {
        gstr(g, "row");
        yajl_gen_integer(g, x->row);
    }
    if (x && x->address)
        report_gen_kv(g, "address", x->address);
    if (x && x->mac)
        report_gen_kv(g, "mac", x->mac);
    const struct kb_maker *m = v->maker >= 0 ? &kb->makers[v->maker] : NULL;
    report_gen_kv(g, "maker", m ? m->slug : NULL);
    report_gen_kv(g, "maker_name", m ? m->name : NULL);
    char num[16];
    int nl = snprintf(num, sizeof num, "%.3f", v->confidence);
    gstr(g, "confidence");
    yajl_gen_number(g, num, (size_t)nl);
    report_gen_kv(g, "brand", v->brand >= 0 ? kb->brands[v->brand].name : NULL);
    report_gen_kv(g, "model", v->model);
    report_gen_kv(g, "firmware", v->firmware);
    report_gen_kv(g, "serial", v->serial);
    report_gen_kv(g, "verdict", verdict_kind_name(v->kind));
    gstr(g, "covered");
    yajl_gen_bool(g, v->kind == V_COVERED || v->kind == V_WHITE_LABEL);
    gstr(g, "lists");
    yajl_gen_array_open(g);
    if (m && (v->kind == V_COVERED || v->kind == V_WHITE_LABEL || v->kind == V_SUSPECT))
        for (size_t i = 0; i < m->n_on; i++) {
            const struct kb_on *on = &m->on[i];
            yajl_gen_map_open(g);
            report_gen_kv(g, "id", on->list_id);
            report_gen_kv(g, "name", on->list >= 0 ? kb->lists[on->list].name : NULL);
            report_gen_kv(g, "since", on->date_text);
            if (on->qualifier)
                report_gen_kv(g, "qualifier", on->qualifier);
            yajl_gen_map_close(g);
        }
    yajl_gen_array_close(g);
    gstr(g, "evidence");
    yajl_gen_array_open(g);
    for (size_t i = 0; i < v->n_ev; i++) {
        const struct evidence *ev = &v->ev[i];
        yajl_gen_map_open(g);
        if (ev->rule == EV_RULE_RELATIONSHIP) {
            const struct kb_brand *b = &kb->brands[ev->brand];
            const struct kb_rel *r = &b->oems[ev->rel];
            report_gen_kv(g, "rule", "brand-relationship");
            report_gen_kv(g, "indicates", kb->makers[r->maker].slug);
            report_gen_kv(g, "kind", "oem-relationship");
            report_gen_kv(g, "brand", b->name);
            gstr(g, "period");
            yajl_gen_array_open(g);
            gstr(g, r->from_text);
            gstr(g, r->to_text);
            yajl_gen_array_close(g);
            gstr(g, "grade");
            gstrn(g, &r->grade, 1);
            report_gen_kv(g, "strength", kb_strength_name(ev->strength));
            gsources(g, &b->sources);
        } else {
            const struct kb_rule *r = &kb->rules[ev->rule];
            gstr(g, "observation");
            gobservation(g, d, &d->obs[ev->obs]);
            report_gen_kv(g, "rule", r->id);
            bool maker = r->maker >= 0;
            report_gen_kv(g, "indicates", maker ? kb->makers[r->maker].slug : kb->brands[r->brand].slug);
            report_gen_kv(g, "kind", maker ? "maker" : "brand");
            report_gen_kv(g, "strength", kb_strength_name(r->strength));
            gstr(g, "survives_relabelling");
            yajl_gen_bool(g, r->strength >= KB_STRONG);
            gsources(g, &r->sources);
        }
        if (ev->conflicting) {
            gstr(g, "conflicting");
            yajl_gen_bool(g, 1);
        }
        yajl_gen_map_close(g);
    }
    yajl_gen_array_close(g);
    report_gen_kv(g, "explanation", v->explanation);
    if (d->n_dropped) {
        gstr(g, "observations_dropped");
        yajl_gen_integer(g, (long long)d->n_dropped);
    }
    yajl_gen_map_close(g);
}
