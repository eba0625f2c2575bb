/* json.c: JSON Lines writer: one verdict object per line (docs/VERDICT.md). */
#include <stdio.h>

#include "report.h"

static int json_begin(struct report_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static int json_device(struct report_ctx *ctx, const struct device *d, const struct verdict *v,
                       const struct report_extra *x)
{
    json_t *o = report_verdict_json(ctx->kb, d, v, x);
    int rc = json_dumpf(o, ctx->out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
    json_decref(o);
    if (rc != 0 || fputc('\n', ctx->out) == EOF)
        return -1;
    return 0;
}

static int json_end(struct report_ctx *ctx) { return fflush(ctx->out) == 0 ? 0 : -1; }

const struct report_writer writer_json = {
    .name = "json",
    .extension = ".jsonl",
    .begin = json_begin,
    .device = json_device,
    .end = json_end,
};
