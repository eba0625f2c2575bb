/* fuzz_writers.c: the JSON Lines and CSV writers, fed hostile strings, read back by real parsers.
 *
 * The input is split at newlines into fields: the device id, the input file name, FAR record fields
 * and observation values. One device is built from them, judged against a small fixed knowledge base
 * and written by both writers (the CSV one with its FAR columns).
 *
 * Oracles (abort on violation):
 *   - JSON: the line parses with yajl (a real parser, not ours) and gives back the id, the file, the
 *     model and serial the verdict carries, the explanation and, for flagged devices, every FAR field,
 *     byte for byte; every observation value in the evidence is one the device holds;
 *   - CSV: libcsv reads exactly two records (header, device) of the same number of cells, and the
 *     device's cells give back the same strings (a leading formula guard removed);
 *   - jw_str alone, on the raw input repaired to UTF-8: yajl decodes the string to the same bytes. */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "../../src/core/err.h"
#include "../../src/core/sbuf.h"
#include "../../src/core/utf8.h"
#include "../../src/engine/engine.h"
#include "../../src/report/jsonw.h"
#include "../../src/report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "fuzz_kb.inc"

static const char *const names[] = { "inventory.model", "http.server", "inventory.brand",
                                     "http.title", "inventory.serial", "inventory.description",
                                     "mac.address" };

/* s repaired to UTF-8 with NULs dropped (yajl_tree strings end at a NUL), in a new buffer. */
static char *clean(const char *s, size_t n)
{
    char *o = malloc(3 * n + 1);
    size_t l = utf8_repair(s, n, o), k = 0;
    for (size_t i = 0; i < l; i++)
        if (o[i])
            o[k++] = o[i];
    o[k] = '\0';
    return o;
}

static void same(const char *a, const char *b)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b)))
        abort();
}

static const char *sval(yajl_val v)
{
    const char *s = YAJL_GET_STRING(v);
    if (!s)
        abort();
    return s;
}

static const char *jstr(yajl_val root, const char *key)
{
    const char *path[] = { key, NULL };
    yajl_val v = yajl_tree_get(root, path, yajl_t_any);
    if (!v)
        abort();
    if (YAJL_IS_NULL(v))
        return NULL;
    if (!YAJL_IS_STRING(v))
        abort();
    return sval(v);
}

static void check_jw_str(const uint8_t *data, size_t size)
{
    char *s = clean((const char *)data, size);
    struct sbuf b;
    sbuf_init(&b, 8 * size + 64);
    sbuf_lit(&b, "[");
    jw_cstr(&b, s);
    sbuf_lit(&b, "]");
    char err[128];
    yajl_val root = yajl_tree_parse(b.p, err, sizeof err);
    if (!root || !YAJL_IS_ARRAY(root) || root->u.array.len != 1 ||
        !YAJL_IS_STRING(root->u.array.values[0]) || strcmp(sval(root->u.array.values[0]), s))
        abort();
    yajl_tree_free(root);
    sbuf_deinit(&b);
    free(s);
}

/* libcsv reader state: the cells of the records read so far. */
struct rows {
    char *cell[2][32];
    size_t n[2];
    size_t rec;
};

static void on_cell(void *s, size_t n, void *ctx)
{
    struct rows *r = ctx;
    if (r->rec >= 2 || r->n[r->rec] >= 32)
        abort();
    char *c = malloc(n + 1);
    memcpy(c, s ? s : "", n);
    c[n] = '\0';
    r->cell[r->rec][r->n[r->rec]++] = c;
}

static void on_row(int term, void *ctx)
{
    (void)term;
    ((struct rows *)ctx)->rec++;
}

/* The CSV cell for s: the writer's formula guard removed. */
static void same_cell(const char *cell, const char *s)
{
    if (!s) {
        if (*cell)
            abort();
        return;
    }
    if (s[0] && strchr("=+-@\t\r", s[0]) && *cell++ != '\'')
        abort();
    if (strcmp(cell, s))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!kb)
        init_kb();
    if (size > 64 * 1024)
        return 0;
    check_jw_str(data, size);

    /* Fields: split at '\n', at most 20; each repaired (the sources repair before writers see). */
    char *f[20];
    size_t nf = 0;
    const char *s = (const char *)data, *end = s + size;
    while (nf < 20) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        f[nf++] = clean(s, (size_t)((nl ? nl : end) - s));
        if (!nl)
            break;
        s = nl + 1;
    }
    const char *field[12] = { 0 };
    for (size_t i = 0; i < 12; i++)
        field[i] = i < nf ? f[i] : NULL;

    struct device d;
    obs_device_init(&d);
    obs_device_set_id(&d, field[0] ? field[0] : "", field[0] ? strlen(field[0]) : 0);
    for (size_t i = 10; i < nf; i++)
        obs_add_static(&d, names[i % (sizeof names / sizeof *names)], f[i], strlen(f[i]), NULL, 0,
                       -1);
    if (field[8]) /* a value the model rule captures */
        obs_add_static(&d, "inventory.model", field[8], strlen(field[8]), NULL, 0, -1);
    if (field[9] && size % 2)
        obs_add_static(&d, "inventory.brand", "Relabel", 7, NULL, 0, -1);
    struct verdict v;
    engine_judge(eng, &d, &v);
    struct report_far far = { field[2], field[3], field[4], field[5], field[6], field[7], field[8],
                              field[9] };
    struct report_extra x = { .file = field[1], .row = (long)size, .mac = field[10], .far = &far };
    bool flagged = v.kind == V_COVERED || v.kind == V_WHITE_LABEL;

    for (int w = 0; w < 2; w++) {
        char *text = NULL;
        size_t text_len = 0;
        FILE *out = open_memstream(&text, &text_len);
        if (!out)
            abort();
        struct report_ctx ctx = { .kb = kb, .cache = cache, .out = out, .far = true };
        const struct report_writer *wr = report_find(w ? "csv" : "json");
        if (wr->begin(&ctx) != 0 || wr->device(&ctx, &d, &v, &x) != 0 || wr->end(&ctx) != 0)
            abort();
        fclose(out);
        if (!w) {
            char err[128];
            yajl_val root = yajl_tree_parse(text, err, sizeof err);
            if (!root || strchr(text, '\n') != text + text_len - 1)
                abort();
            same(jstr(root, "id"), d.id);
            const char *filep[] = { "file", NULL }; /* absent when there is none */
            yajl_val file = yajl_tree_get(root, filep, yajl_t_string);
            same(file ? sval(file) : NULL, x.file);
            same(jstr(root, "model"), v.model);
            same(jstr(root, "serial"), v.serial);
            same(jstr(root, "explanation"), v.explanation);
            const char *fp[] = { "far_52_204_25_d", NULL };
            yajl_val fv = yajl_tree_get(root, fp, yajl_t_object);
            if (!fv != !flagged)
                abort();
            if (fv) {
                const char *k[] = { "contract_number", "order_number", "supplier_name",
                                    "supplier_uei", "cage_code", "brand", "model_number",
                                    "item_description" };
                const char *want[] = { far.contract, far.order, far.supplier, far.supplier_uei,
                                       far.cage, far.brand, far.model, far.description };
                for (size_t i = 0; i < 8; i++)
                    same(jstr(fv, k[i]), want[i]);
            }
            const char *ep[] = { "evidence", NULL };
            yajl_val ev = yajl_tree_get(root, ep, yajl_t_array);
            if (!ev || ev->u.array.len != v.n_ev)
                abort();
            for (size_t i = 0; i < v.n_ev; i++) {
                const char *op[] = { "observation", "value", NULL };
                yajl_val ov = yajl_tree_get(ev->u.array.values[i], op, yajl_t_string);
                if (v.ev[i].rule == EV_RULE_RELATIONSHIP ? ov != NULL /* a brand's OEM, no value */
                                                         : !ov || strcmp(sval(ov), d.obs[v.ev[i].obs].value))
                    abort();
            }
            yajl_tree_free(root);
        } else {
            struct csv_parser p;
            struct rows r = { 0 };
            if (csv_init(&p, 0) != 0)
                abort();
            if (csv_parse(&p, text, text_len, on_cell, on_row, &r) != text_len)
                abort();
            csv_fini(&p, on_cell, on_row, &r);
            csv_free(&p);
            if (r.rec != 2 || r.n[0] != r.n[1] || r.n[1] != 25)
                abort();
            char **c = r.cell[1];
            same_cell(c[0], d.id);
            same_cell(c[1], x.file);
            same_cell(c[4], x.mac);
            same_cell(c[10], v.model);
            same_cell(c[12], v.serial);
            same_cell(c[15], v.explanation);
            const char *want[] = { far.contract, far.order, far.supplier, far.supplier_uei,
                                   far.cage, far.brand, far.model, far.description };
            for (size_t i = 0; i < 8; i++)
                same_cell(c[16 + i], flagged ? want[i] : NULL);
            for (size_t k = 0; k < 2; k++)
                for (size_t i = 0; i < r.n[k]; i++)
                    free(r.cell[k][i]);
        }
        free(text);
    }
    obs_device_deinit(&d);
    for (size_t i = 0; i < nf; i++)
        free(f[i]);
    return 0;
}
