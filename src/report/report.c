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

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

/* json_string() refuses invalid UTF-8; observations are repaired on entry, so this only guards. */
static json_t *strn(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    return j ? j : json_string("\xEF\xBF\xBD");
}

json_t *report_verdict_json(const struct kb *kb, const struct device *d, const struct verdict *v,
                            const struct report_extra *x)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", str_or_null(d->id));
    if (x && x->file)
        json_object_set_new(o, "file", json_string(x->file));
    if (x && x->row > 0)
        json_object_set_new(o, "row", json_integer(x->row));
    if (x && x->address)
        json_object_set_new(o, "address", json_string(x->address));
    if (x && x->mac)
        json_object_set_new(o, "mac", json_string(x->mac));
    const struct kb_maker *m = v->maker >= 0 ? &kb->makers[v->maker] : NULL;
    json_object_set_new(o, "maker", m ? json_string(m->slug) : json_null());
    json_object_set_new(o, "maker_name", m ? json_string(m->name) : json_null());
    json_object_set_new(o, "confidence", json_real((double)(long)(v->confidence * 1000 + 0.5) / 1000));
    json_object_set_new(o, "brand", v->brand >= 0 ? json_string(kb->brands[v->brand].name) : json_null());
    json_object_set_new(o, "model", str_or_null(v->model));
    json_object_set_new(o, "firmware", str_or_null(v->firmware));
    json_object_set_new(o, "serial", str_or_null(v->serial));
    json_object_set_new(o, "verdict", json_string(verdict_kind_name(v->kind)));
    json_object_set_new(o, "covered", json_boolean(v->covered && (v->kind == V_COVERED || v->kind == V_WHITE_LABEL)));
    json_t *lists = json_array();
    if (m)
        for (size_t i = 0; i < m->n_on; i++) {
            const struct kb_on *on = &m->on[i];
            json_t *l = json_object();
            json_object_set_new(l, "id", json_string(on->list_id));
            json_object_set_new(l, "name", on->list >= 0 ? json_string(kb->lists[on->list].name) : json_null());
            json_object_set_new(l, "since", json_string(on->date_text));
            if (on->qualifier)
                json_object_set_new(l, "qualifier", json_string(on->qualifier));
            json_array_append_new(lists, l);
        }
    json_object_set_new(o, "lists", lists);
    json_t *evs = json_array();
    for (size_t i = 0; i < v->n_ev; i++) {
        const struct evidence *ev = &v->ev[i];
        json_t *e = json_object();
        if (ev->rule == EV_RULE_RELATIONSHIP) {
            const struct kb_brand *b = &kb->brands[ev->brand];
            const struct kb_rel *r = &b->oems[ev->rel];
            json_object_set_new(e, "rule", json_string("brand-relationship"));
            json_object_set_new(e, "indicates", json_string(kb->makers[r->maker].slug));
            json_object_set_new(e, "kind", json_string("oem-relationship"));
            json_object_set_new(e, "period", json_pack("[ss]", r->from_text, r->to_text));
            json_object_set_new(e, "grade", json_stringn(&r->grade, 1));
            json_object_set_new(e, "strength", json_string(kb_strength_name(ev->strength)));
            json_t *src = json_array();
            for (size_t k = 0; k < b->sources.n; k++)
                json_array_append_new(src, json_string(b->sources.v[k]));
            json_object_set_new(e, "source", src);
        } else {
            const struct kb_rule *r = &kb->rules[ev->rule];
            const struct observation *ob = &d->obs[ev->obs];
            json_t *obj = json_object();
            const char *dot = strchr(ob->name, '.');
            json_object_set_new(obj, "proto", json_stringn(ob->name, (size_t)(dot - ob->name)));
            json_object_set_new(obj, "field", json_string(dot + 1));
            json_object_set_new(obj, "value", strn(ob->value, ob->value_len));
            if (ob->port >= 0)
                json_object_set_new(obj, "port", json_integer(ob->port));
            if (ob->path)
                json_object_set_new(obj, "path", json_string(ob->path));
            if (ob->derived_from >= 0) {
                const struct observation *src = &d->obs[ob->derived_from];
                json_object_set_new(obj, "derived_from", json_pack("{s:s,s:s%}", "name", src->name, "value", src->value, src->value_len));
            }
            json_object_set_new(e, "observation", obj);
            json_object_set_new(e, "rule", json_string(r->id));
            if (r->maker >= 0) {
                json_object_set_new(e, "indicates", json_string(kb->makers[r->maker].slug));
                json_object_set_new(e, "kind", json_string("maker"));
            } else {
                json_object_set_new(e, "indicates", json_string(kb->brands[r->brand].slug));
                json_object_set_new(e, "kind", json_string("brand"));
            }
            json_object_set_new(e, "strength", json_string(kb_strength_name(r->strength)));
            json_object_set_new(e, "survives_relabelling", json_boolean(r->strength >= KB_STRONG));
            json_t *src = json_array();
            for (size_t k = 0; k < r->sources.n; k++)
                json_array_append_new(src, json_string(r->sources.v[k]));
            json_object_set_new(e, "source", src);
        }
        if (ev->conflicting)
            json_object_set_new(e, "conflicting", json_true());
        json_array_append_new(evs, e);
    }
    json_object_set_new(o, "evidence", evs);
    json_object_set_new(o, "explanation", json_string(v->explanation));
    if (d->n_dropped)
        json_object_set_new(o, "observations_dropped", json_integer((json_int_t)d->n_dropped));
    return o;
}
