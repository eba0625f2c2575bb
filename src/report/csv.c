/* csv.c: CSV writer (RFC 4180 quoting by libcsv's csv_fwrite). A cell that starts with = + - @ or a
 * tab is prefixed with a single quote so spreadsheets do not evaluate device-supplied formulas (OWASP
 * "CSV injection"). */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void put(FILE *f, const char *s, bool first)
{
    if (!first)
        fputc(',', f);
    if (!s)
        return;
    size_t n = strlen(s);
    if (n && strchr("=+-@\t\r", s[0])) {
        char *g = malloc(n + 2);
        if (!g)
            return;
        g[0] = '\'';
        memcpy(g + 1, s, n + 1);
        csv_fwrite(f, g, n + 1);
        free(g);
    } else {
        csv_fwrite(f, s, n);
    }
}

static int csv_begin(struct report_ctx *ctx)
{
    fputs("id,file,row,address,mac,verdict,covered,maker,maker_name,brand,model,firmware,serial,"
          "confidence,rules,explanation\n", ctx->out);
    return 0;
}

static int csv_device(struct report_ctx *ctx, const struct device *d, const struct verdict *v,
                      const struct report_extra *x)
{
    FILE *f = ctx->out;
    const struct kb *kb = ctx->kb;
    char row[32] = "", conf[16];
    if (x && x->row > 0)
        snprintf(row, sizeof row, "%ld", x->row);
    snprintf(conf, sizeof conf, "%.3f", v->confidence);
    char rules[512] = "";
    for (size_t i = 0; i < v->n_ev; i++) {
        const char *id = v->ev[i].rule >= 0 ? kb->rules[v->ev[i].rule].id : "brand-relationship";
        size_t l = strlen(rules);
        if (l + strlen(id) + 2 < sizeof rules)
            snprintf(rules + l, sizeof rules - l, "%s%s", l ? " " : "", id);
    }
    put(f, d->id, true);
    put(f, x ? x->file : NULL, false);
    put(f, row[0] ? row : NULL, false);
    put(f, x ? x->address : NULL, false);
    put(f, x ? x->mac : NULL, false);
    put(f, verdict_kind_name(v->kind), false);
    put(f, (v->kind == V_COVERED || v->kind == V_WHITE_LABEL) ? "true" : "false", false);
    put(f, v->maker >= 0 ? kb->makers[v->maker].slug : NULL, false);
    put(f, v->maker >= 0 ? kb->makers[v->maker].name : NULL, false);
    put(f, v->brand >= 0 ? kb->brands[v->brand].name : NULL, false);
    put(f, v->model, false);
    put(f, v->firmware, false);
    put(f, v->serial, false);
    put(f, conf, false);
    put(f, rules[0] ? rules : NULL, false);
    put(f, v->explanation, false);
    fputc('\n', f);
    return ferror(f) ? -1 : 0;
}

static int csv_end(struct report_ctx *ctx) { return fflush(ctx->out) == 0 ? 0 : -1; }

const struct report_writer writer_csv = {
    .name = "csv",
    .extension = ".csv",
    .begin = csv_begin,
    .device = csv_device,
    .end = csv_end,
};
