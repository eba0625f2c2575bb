/* history.c: `unmask history`: every recorded run with its counts by verdict (docs/STORE.md). */
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../store/store.h"
#include "cmd.h"
#include "record.h"

static const char usage[] =
    "usage: unmask history [options]\n"
    "Lists the recorded runs (scan, identify, inventory, import), oldest first, with the number of\n"
    "devices by verdict.\n"
    "\n"
    "  -f, --format FMT    table (default) or json (one object per run)\n"
    "      --db PATH       the database (default $UNMASK_DB, else\n"
    "                      $XDG_DATA_HOME/unmask/unmask.db or ~/.local/share/unmask/unmask.db)\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit: 0 ok, 1 the database cannot be read, 2 usage.\n";

/* The verdicts in the order the table shows them. */
static const enum verdict_kind order[] = { V_COVERED, V_WHITE_LABEL, V_SUSPECT, V_CLEAR, V_UNKNOWN };

static int print_table(void *ctx, const struct store_run *r)
{
    FILE *f = ctx;
    fprintf(f, "%4lld  ", r->id);
    record_cell(f, r->source, 9, false);
    record_cell(f, r->started, 20, false);
    record_cell(f, !r->finished ? "incomplete" : r->status, 10, false);
    fprintf(f, "%7ld", r->n_records);
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        fprintf(f, "  %*ld", i == 1 ? 11 : 7, r->counts[order[i]]);
    fputs("  ", f);
    record_cell(f, r->input, 60, true);
    fputc('\n', f);
    return 0;
}

static int print_json(void *ctx, const struct store_run *r)
{
    yajl_gen g = ctx;
    yajl_gen_map_open(g);
    record_kint(g, "run", r->id);
    record_kv(g, "source", r->source);
    record_kv(g, "started", r->started);
    record_kv(g, "finished", r->finished);
    record_kv(g, "status", r->finished ? r->status : "incomplete");
    record_kv(g, "input", r->input);
    record_kv(g, "as_of", r->as_of);
    record_kv(g, "rules", r->rules);
    record_kv(g, "host", r->host);
    record_kint(g, "devices", r->n_records);
    yajl_gen_string(g, (const unsigned char *)"verdicts", 8);
    yajl_gen_map_open(g);
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        const char *k = verdict_kind_name(order[i]);
        record_kint(g, k, r->counts[order[i]]);
    }
    yajl_gen_map_close(g);
    yajl_gen_map_close(g);
    record_json_line(g);
    return 0;
}

int cmd_history(int argc, char **argv)
{
    const char *db = NULL, *format = "table";
    int rc0 = record_read_options("history", usage, argc, argv, &db, &format);
    if (rc0 != EXIT_OK)
        return rc0 == RECORD_HELP_SHOWN ? EXIT_OK : rc0;
    bool json;
    if (record_format_only("history", format, argc, argv, &json) != EXIT_OK)
        return EXIT_USAGE;
    struct store *st;
    int rc = record_open_existing(db, &st);
    if (rc != EXIT_OK)
        return rc;
    yajl_gen g = NULL;
    if (json) {
        g = yajl_gen_alloc(NULL);
        rc = store_runs(st, 0, print_json, g);
        yajl_gen_free(g);
    } else {
        printf("%4s  %-9s  %-20s  %-10s  %7s  %7s  %11s  %7s  %7s  %7s  %s\n", "RUN", "SOURCE",
               "STARTED", "STATUS", "DEVICES", "COVERED", "WHITE-LABEL", "SUSPECT", "CLEAR",
               "UNKNOWN", "INPUT");
        rc = store_runs(st, 0, print_table, stdout);
    }
    if (rc < 0)
        log_error("history: %s", store_errmsg(st));
    store_close(st);
    if (fflush(stdout) != 0)
        rc = -1;
    return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}
