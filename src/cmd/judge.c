/* judge.c: see judge.h. */
#include "judge.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"

void judge_opts_init(struct judge_opts *o, const char *command, const char *usage)
{
    memset(o, 0, sizeof *o);
    o->fail_on = -1;
    o->only = -1;
    o->command = command;
    o->usage = usage;
}

int judge_opt(struct judge_opts *o, int c, const char *arg, char *const *argv)
{
    switch (c) {
    case 'f': o->format = arg; return EXIT_OK;
    case 'o': o->output = arg; return EXIT_OK;
    case JUDGE_OPT_FAIL_ON:
        o->fail_on = verdict_kind_parse(arg);
        if (o->fail_on < V_SUSPECT) {
            log_error("--fail-on: expected covered, white-label or suspect, not '%s'", arg);
            return EXIT_USAGE;
        }
        return EXIT_OK;
    case JUDGE_OPT_ONLY:
        o->only = verdict_kind_parse(arg);
        if (o->only < V_SUSPECT) {
            log_error("--only: expected covered, white-label or suspect, not '%s'", arg);
            return EXIT_USAGE;
        }
        return EXIT_OK;
    case JUDGE_OPT_RULES: o->ko.rules = arg; return EXIT_OK;
    case JUDGE_OPT_OUI_DIR: o->ko.oui_dir = arg; return EXIT_OK;
    case JUDGE_OPT_NO_OUI: o->ko.no_oui = true; return EXIT_OK;
    case JUDGE_OPT_AS_OF: o->ko.as_of = arg; return EXIT_OK;
    case 'h': fputs(o->usage, stdout); return JUDGE_HELP_SHOWN;
    case ':':
    case '?':
        return cmd_option_error(o->command, c, argv);
    default: return -1;
    }
}

int judge_open(struct judge *j, const struct judge_opts *o)
{
    memset(j, 0, sizeof *j);
    j->fail_on = o->fail_on;
    j->only = o->only;
    if (o->format && !(j->w = report_find(o->format))) {
        log_error("--format: unknown format '%s' (json, table, csv)", o->format);
        return EXIT_USAGE;
    }
    if (!j->w && o->output)
        j->w = report_for_path(o->output);
    if (!j->w)
        j->w = report_find(!o->output && isatty(STDOUT_FILENO) ? "table" : "json");
    int rc = knowledge_load(&o->ko, &j->k);
    if (rc != EXIT_OK)
        return rc;
    j->out = stdout;
    j->out_name = o->output ? o->output : "<stdout>";
    if (o->output && !(j->out = fopen(o->output, "w"))) {
        log_error("%s: %s", o->output, strerror(errno));
        knowledge_free(&j->k);
        return EXIT_RUNTIME;
    }
    /* Line buffering: a writer emits each device as one line-terminated write, so a reader of the
     * output (a terminal, `| jq`) sees every verdict as soon as it is decided. */
    if (o->stream && j->w->incremental)
        setvbuf(j->out, NULL, _IOLBF, 0);
    j->e = engine_new(j->k.kb, j->k.oui, j->k.as_of);
    j->cache = report_cache_new(j->k.kb);
    j->ctx = (struct report_ctx){ .kb = j->k.kb, .cache = j->cache, .out = j->out,
                                  .color = j->out == stdout && isatty(STDOUT_FILENO) &&
                                           !getenv("NO_COLOR"),
                                  .far = o->far };
    j->write_failed = j->w->begin(&j->ctx) != 0;
    return EXIT_OK;
}

void judge_verdict(struct judge *j, struct device *d, struct verdict *v)
{
    engine_judge(j->e, d, v);
    j->ctx.counts[v->kind]++;
    j->ctx.n_devices++;
    if (j->fail_on >= 0 && (int)v->kind >= j->fail_on)
        j->flagged = true;
}

void judge_write(struct judge *j, const struct device *d, const struct verdict *v,
                 const struct report_extra *x)
{
    if (j->only >= 0 && (int)v->kind < j->only)
        return;
    if (!j->write_failed && j->w->device(&j->ctx, d, v, x) != 0)
        j->write_failed = true;
}

void judge_device(struct judge *j, struct device *d, const struct report_extra *x, struct verdict *v)
{
    struct verdict local;
    if (!v)
        v = &local;
    judge_verdict(j, d, v);
    judge_write(j, d, v, x);
}

void judge_hold(struct judge *j)
{
    if (j->held)
        return;
    if (!(j->held = open_memstream(&j->held_buf, &j->held_len))) {
        fprintf(stderr, "unmask: out of memory (output buffer)\n");
        abort(); /* as xalloc does: printing unheld would break "printed means stored" */
    }
    j->ctx.out = j->held;
}

void judge_release(struct judge *j)
{
    if (!j->held)
        return;
    if (fflush(j->held) != 0 ||
        (j->held_len && fwrite(j->held_buf, 1, j->held_len, j->out) != j->held_len) ||
        fflush(j->out) != 0)
        j->write_failed = true;
    fseeko(j->held, 0, SEEK_SET); /* the next flush sets held_len to what follows */
}

void judge_unhold(struct judge *j)
{
    if (!j->held)
        return;
    judge_release(j);
    fclose(j->held);
    free(j->held_buf);
    j->held = NULL;
    j->held_buf = NULL;
    j->ctx.out = j->out;
}

int judge_close(struct judge *j, bool input_errors)
{
    judge_unhold(j);
    if (!j->write_failed && j->w->end(&j->ctx) != 0)
        j->write_failed = true;
    if (j->write_failed)
        log_error("%s: write failed", j->out_name);
    if (j->out != stdout && fclose(j->out) != 0 && !j->write_failed) {
        log_error("%s: write failed", j->out_name);
        j->write_failed = true;
    }
    engine_free(j->e);
    report_cache_free(j->cache);
    knowledge_free(&j->k);
    if (j->write_failed || input_errors)
        return EXIT_RUNTIME;
    return j->flagged ? EXIT_FLAGGED : EXIT_OK;
}
