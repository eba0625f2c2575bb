/* table.c: the terminal table: one row per device, then a summary by verdict. */
#include <string.h>

#include "report.h"
#include "text.h"

static const char *const colour[V_N_KIND] = { "", "\033[32m", "\033[33m", "\033[1;35m", "\033[1;31m" };

static void cell(FILE *f, const char *s, size_t width, bool last)
{
    char buf[256];
    size_t w = text_clean(s ? s : "-", s ? strlen(s) : 1, buf, sizeof buf, width);
    fputs(buf, f);
    if (!last)
        for (size_t i = w; i < width + 2; i++)
            fputc(' ', f);
}

/* The FAR 52.204-25(d)(2)(i) fields of a flagged record, indented under its row ("-" when the
 * record lacks one); mitigation is the user's to write, so it is not shown. */
static void far_line(FILE *f, const struct report_far *r)
{
    static const char *const label[] = { "contract", "order", "supplier", "UEI", "CAGE",
                                         "brand", "model", "item" };
    const char *val[] = { r->contract, r->order, r->supplier, r->supplier_uei, r->cage,
                          r->brand, r->model, r->description };
    fputs("  FAR 52.204-25(d):", f);
    for (size_t i = 0; i < sizeof label / sizeof *label; i++) {
        char buf[256];
        text_clean(val[i] ? val[i] : "-", val[i] ? strlen(val[i]) : 1, buf, sizeof buf, 60);
        fprintf(f, "%s %s %s", i ? "," : "", label[i], buf);
    }
    fputc('\n', f);
}

static int table_begin(struct report_ctx *ctx)
{
    fprintf(ctx->out, "%-22s  %-11s  %-12s  %-16s  %-4s  %-18s  %s\n", "DEVICE", "VERDICT", "MAKER",
            "BRAND", "CONF", "MODEL", "STRONGEST EVIDENCE");
    return 0;
}

static int table_device(struct report_ctx *ctx, const struct device *d, const struct verdict *v,
                        const struct report_extra *x)
{
    FILE *f = ctx->out;
    const struct kb *kb = ctx->kb;
    cell(f, x && x->address ? x->address : d->id, 22, false);
    const char *k = verdict_kind_name(v->kind);
    if (ctx->color)
        fprintf(f, "%s%-11s\033[0m  ", colour[v->kind], k);
    else
        fprintf(f, "%-11s  ", k);
    cell(f, v->maker >= 0 ? kb->makers[v->maker].slug : NULL, 12, false);
    cell(f, v->brand >= 0 ? kb->brands[v->brand].name : NULL, 16, false);
    fprintf(f, "%.2f  ", v->confidence);
    cell(f, v->model, 18, false);
    int top = -1;
    for (size_t i = 0; i < v->n_ev; i++)
        if (v->ev[i].maker == v->maker && (top < 0 || v->ev[i].strength > v->ev[top].strength))
            top = (int)i;
    if (top >= 0 && v->ev[top].rule >= 0) {
        char buf[96];
        snprintf(buf, sizeof buf, "%s (%s)", kb->rules[v->ev[top].rule].id,
                 kb_strength_name(v->ev[top].strength));
        cell(f, buf, 60, true);
    } else if (top >= 0) {
        cell(f, "brand relationship", 60, true);
    } else {
        cell(f, "-", 60, true);
    }
    fputc('\n', f);
    if (ctx->far && x && x->far && (v->kind == V_COVERED || v->kind == V_WHITE_LABEL))
        far_line(f, x->far);
    return ferror(f) ? -1 : 0;
}

static int table_end(struct report_ctx *ctx)
{
    FILE *f = ctx->out;
    fprintf(f, "\n%ld device%s: ", ctx->n_devices, ctx->n_devices == 1 ? "" : "s");
    static const enum verdict_kind order[] = { V_COVERED, V_WHITE_LABEL, V_SUSPECT, V_CLEAR, V_UNKNOWN };
    for (size_t i = 0; i < 5; i++)
        fprintf(f, "%s%ld %s", i ? ", " : "", ctx->counts[order[i]], verdict_kind_name(order[i]));
    fputc('\n', f);
    return fflush(f) == 0 ? 0 : -1;
}

const struct report_writer writer_table = {
    .name = "table",
    .extension = "",
    .incremental = true,
    .begin = table_begin,
    .device = table_device,
    .end = table_end,
};
