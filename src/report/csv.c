/* csv.c: CSV writer. Each cell is quoted per RFC 4180 by libcsv's csv_write into the record's buffer,
 * and the record is written in one call. A cell that starts with = + - @ a tab or a carriage return
 * gets a leading single quote so spreadsheets do not evaluate device-supplied formulas (OWASP "CSV
 * injection"). Records with FAR 52.204-25(d) fields (report_ctx.far) get nine more columns, filled
 * for covered and white-label rows. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "../core/str.h"
#include "report.h"

/* A record's cap: sixteen cells of OBS_MAX_VALUE at most, doubled by quoting, bound it. */
#define CSV_LINE_CAP (4u * 1024 * 1024)

/* Appends ,"s" (no comma when first; nothing between the commas for NULL). */
static void cell_n(struct sbuf *b, const char *s, size_t n, bool first)
{
    if (!first)
        sbuf_addc(b, ',');
    if (!s)
        return;
    /* csv_write needs at most 2n + 2 bytes; one more for the formula guard. */
    size_t need = 2 * n + 3;
    if (need > b->cap - b->len) {
        b->truncated = true;
        return;
    }
    sbuf_reserve(b, need);
    bool guard = n && strchr("=+-@\t\r", s[0]);
    char *o = b->p + b->len;
    size_t w = csv_write(o + guard, need - guard, s, n);
    if (guard) { /* "'..." : the opening quote, then the guard where csv_write put its own */
        o[0] = '"';
        o[1] = '\'';
    }
    b->len += w + guard;
    b->p[b->len] = '\0';
}

static void cell(struct sbuf *b, const char *s, bool first) { cell_n(b, s, s ? strlen(s) : 0, first); }

static int csv_begin(struct report_ctx *ctx)
{
    report_line_begin(ctx, CSV_LINE_CAP);
    fputs("id,file,row,address,mac,verdict,covered,maker,maker_name,brand,model,firmware,serial,"
          "confidence,rules,explanation", ctx->out);
    if (ctx->far)
        fputs(",far_contract_number,far_order_number,far_supplier_name,far_supplier_uei,"
              "far_cage_code,far_brand,far_model_number,far_item_description,far_mitigation",
              ctx->out);
    fputc('\n', ctx->out);
    return 0;
}

static int csv_device(struct report_ctx *ctx, const struct device *d, const struct verdict *v,
                      const struct report_extra *x)
{
    struct sbuf *b = ctx->priv;
    const struct kb *kb = ctx->kb;
    sbuf_reset(b);
    char row[STR_ULONG_MAX] = "";
    if (x && x->row > 0)
        str_ulong(row, (unsigned long)x->row);
    /* Three decimals, without printf: confidence is in [0, 1]. */
    int milli = (int)(v->confidence * 1000 + 0.5);
    char conf[] = { (char)('0' + milli / 1000), '.', (char)('0' + milli / 100 % 10),
                    (char)('0' + milli / 10 % 10), (char)('0' + milli % 10), '\0' };
    cell(b, d->id, true);
    cell(b, x ? x->file : NULL, false);
    cell(b, row[0] ? row : NULL, false);
    cell(b, x ? x->address : NULL, false);
    cell(b, x ? x->mac : NULL, false);
    cell(b, verdict_kind_name(v->kind), false);
    bool flagged = v->kind == V_COVERED || v->kind == V_WHITE_LABEL;
    cell(b, flagged ? "true" : "false", false);
    cell(b, v->maker >= 0 ? kb->makers[v->maker].slug : NULL, false);
    cell(b, v->maker >= 0 ? kb->makers[v->maker].name : NULL, false);
    cell(b, v->brand >= 0 ? kb->brands[v->brand].name : NULL, false);
    cell(b, v->model, false);
    cell(b, v->firmware, false);
    cell(b, v->serial, false);
    cell(b, conf, false);
    /* The rule ids, space-separated, in one cell: ids are letters, digits and '-', so none needs
     * quoting inside the cell. */
    char rules[512];
    size_t rl = 0;
    for (size_t i = 0; i < v->n_ev; i++) {
        const char *id = v->ev[i].rule >= 0 ? kb->rules[v->ev[i].rule].id : "brand-relationship";
        size_t l = strlen(id);
        if (rl + l + 2 > sizeof rules)
            break;
        if (rl)
            rules[rl++] = ' ';
        memcpy(rules + rl, id, l);
        rl += l;
    }
    cell_n(b, rl ? rules : NULL, rl, false);
    cell(b, v->explanation, false);
    if (ctx->far) {
        const struct report_far *f = x && flagged ? x->far : NULL;
        cell(b, f ? f->contract : NULL, false);
        cell(b, f ? f->order : NULL, false);
        cell(b, f ? f->supplier : NULL, false);
        cell(b, f ? f->supplier_uei : NULL, false);
        cell(b, f ? f->cage : NULL, false);
        cell(b, f ? f->brand : NULL, false);
        cell(b, f ? f->model : NULL, false);
        cell(b, f ? f->description : NULL, false);
        cell(b, f ? "" : NULL, false); /* mitigation: the user's to write */
    }
    return report_line_write(ctx);
}

const struct report_writer writer_csv = {
    .name = "csv",
    .extension = ".csv",
    .incremental = true,
    .begin = csv_begin,
    .device = csv_device,
    .end = report_line_end,
};
