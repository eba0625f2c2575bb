/* json.c: JSON Lines writer: one verdict object per line (docs/VERDICT.md). */
#include <stdio.h>
#include <stdlib.h>

#include "../core/xalloc.h"

#include "report.h"

/* One line may carry up to OBS_MAX_VALUE bytes per matched observation; the cap bounds a hostile
 * device's line at a size no real one approaches. */
#define JSON_LINE_CAP (64u * 1024 * 1024)

static int json_begin(struct report_ctx *ctx)
{
    struct sbuf *b = xmalloc(sizeof *b);
    sbuf_init(b, JSON_LINE_CAP);
    ctx->priv = b;
    return 0;
}

static int json_device(struct report_ctx *ctx, const struct device *d, const struct verdict *v,
                       const struct report_extra *x)
{
    struct sbuf *b = ctx->priv;
    sbuf_reset(b);
    report_verdict_json(b, ctx->cache, d, v, x);
    if (b->truncated) /* never emit a broken line */
        return -1;
    sbuf_addc(b, '\n');
    return fwrite(b->p, 1, b->len, ctx->out) == b->len ? 0 : -1;
}

static int json_end(struct report_ctx *ctx)
{
    struct sbuf *b = ctx->priv;
    sbuf_deinit(b);
    free(b);
    ctx->priv = NULL;
    return fflush(ctx->out) == 0 ? 0 : -1;
}

const struct report_writer writer_json = {
    .name = "json",
    .extension = ".jsonl",
    .begin = json_begin,
    .device = json_device,
    .end = json_end,
};
