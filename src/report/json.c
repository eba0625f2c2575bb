/* json.c: JSON Lines writer: one verdict object per line (docs/VERDICT.md). */
#include "report.h"

/* One line may carry up to OBS_MAX_VALUE bytes per matched observation; the cap bounds a hostile
 * device's line at a size no real one approaches. */
#define JSON_LINE_CAP (64u * 1024 * 1024)

static int json_begin(struct report_ctx *ctx)
{
    report_line_begin(ctx, JSON_LINE_CAP);
    return 0;
}

static int json_device(struct report_ctx *ctx, const struct device *d, const struct verdict *v,
                       const struct report_extra *x)
{
    sbuf_reset(ctx->priv);
    report_verdict_json(ctx->priv, ctx->cache, d, v, x);
    return report_line_write(ctx);
}

const struct report_writer writer_json = {
    .name = "json",
    .extension = ".jsonl",
    .incremental = true,
    .begin = json_begin,
    .device = json_device,
    .end = report_line_end,
};
