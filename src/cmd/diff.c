/* diff.c: `unmask diff [A] [B]`: what changed between two recorded runs: devices new, gone, or
 * changed in verdict, maker, brand or firmware (docs/STORE.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../store/store.h"
#include "cmd.h"
#include "record.h"

static const char usage[] =
    "usage: unmask diff [options] [A [B]]\n"
    "Shows the devices new in run B, gone from it, or changed since run A in verdict, maker, brand\n"
    "or firmware. Default: B is the latest finished run and A the finished run of the same source\n"
    "before it; with only A, B is the latest finished run. Run numbers: 'unmask history'.\n"
    "\n"
    "  -f, --format FMT    table (default) or json (one object per change)\n"
    "      --db PATH       the database (default $UNMASK_DB, else\n"
    "                      $XDG_DATA_HOME/unmask/unmask.db or ~/.local/share/unmask/unmask.db)\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit: 0 ok (with or without changes), 1 the database cannot be read or a run does not exist,\n"
    "2 usage.\n";

static const struct {
    unsigned bit;
    const char *name;
} fields[] = {
    { STORE_F_VERDICT, "verdict" },
    { STORE_F_MAKER, "maker" },
    { STORE_F_BRAND, "brand" },
    { STORE_F_FIRMWARE, "firmware" },
};

struct out {
    yajl_gen g; /* json, or NULL for the table */
    long n[4];  /* by enum store_change */
};

static const char *field_of(const struct store_row *r, unsigned bit)
{
    return bit == STORE_F_VERDICT ? r->verdict : bit == STORE_F_MAKER ? r->maker
         : bit == STORE_F_BRAND   ? r->brand   : r->firmware;
}

static void json_row(yajl_gen g, const char *key, const struct store_row *r)
{
    yajl_gen_string(g, (const unsigned char *)key, strlen(key));
    yajl_gen_map_open(g);
    record_kint(g, "run", r->run_id);
    record_kv(g, "verdict", r->verdict);
    record_kv(g, "maker", r->maker);
    record_kv(g, "brand", r->brand);
    record_kv(g, "model", r->model);
    record_kv(g, "firmware", r->firmware);
    record_kv(g, "address", r->address);
    yajl_gen_map_close(g);
}

static int print_change(void *ctx, const struct store_diff_entry *e)
{
    struct out *o = ctx;
    static const char *const kinds[] = { "", "new", "gone", "changed" };
    const struct store_row *r = e->b ? e->b : e->a;
    o->n[e->kind]++;
    if (o->g) {
        yajl_gen g = o->g;
        yajl_gen_map_open(g);
        record_kv(g, "change", kinds[e->kind]);
        record_kint(g, "device", r->device_id);
        record_kv(g, "name", r->name);
        record_kv(g, "mac", r->mac);
        if (e->kind == STORE_CHANGED) {
            yajl_gen_string(g, (const unsigned char *)"fields", 6);
            yajl_gen_array_open(g);
            for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
                if (e->fields & fields[i].bit)
                    yajl_gen_string(g, (const unsigned char *)fields[i].name,
                                    strlen(fields[i].name));
            yajl_gen_array_close(g);
        }
        if (e->a)
            json_row(g, "before", e->a);
        if (e->b)
            json_row(g, "after", e->b);
        yajl_gen_map_close(g);
        record_json_line(g);
        return 0;
    }
    static const char mark[] = " +-~";
    printf("%c %-8s ", mark[e->kind], kinds[e->kind]);
    record_cell(stdout, r->name, 22, false);
    if (e->kind != STORE_CHANGED) {
        record_cell(stdout, r->verdict, 11, false);
        record_cell(stdout, r->maker, 11, false);
        record_cell(stdout, r->model, 18, false);
        record_cell(stdout, r->firmware, 20, true);
        fputc('\n', stdout);
        return 0;
    }
    bool first = true;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        if (!(e->fields & fields[i].bit))
            continue;
        printf("%s%s ", first ? "" : "; ", fields[i].name);
        record_cell(stdout, field_of(e->a, fields[i].bit), 40, true);
        fputs(" -> ", stdout);
        record_cell(stdout, field_of(e->b, fields[i].bit), 40, true);
        first = false;
    }
    fputc('\n', stdout);
    return 0;
}

static int run_line(void *ctx, const struct store_run *r)
{
    const char *label = ctx;
    printf("%s run %lld (%s", label, r->id, r->source);
    if (r->started)
        printf(", %s", r->started);
    fputs(r->finished ? "" : ", incomplete", stdout);
    fputs(")", stdout);
    if (r->input) {
        fputs(" ", stdout);
        record_cell(stdout, r->input, 60, true);
    }
    fputc('\n', stdout);
    return 0;
}

static int no_run_line(void *ctx, const struct store_run *r)
{
    (void)ctx;
    (void)r;
    return 0;
}

static bool parse_run(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0 || end == s)
        return false;
    *out = v;
    return true;
}

int cmd_diff(int argc, char **argv)
{
    const char *db = NULL, *format = "table";
    int rc0 = record_read_options("diff", usage, argc, argv, &db, &format);
    if (rc0 != EXIT_OK)
        return rc0 == RECORD_HELP_SHOWN ? EXIT_OK : rc0;
    bool json = !strcmp(format, "json");
    long long a = 0, b = 0;
    int nargs = argc - optind;
    if ((!json && strcmp(format, "table")) || nargs > 2 ||
        (nargs >= 1 && !parse_run(argv[optind], &a)) ||
        (nargs == 2 && !parse_run(argv[optind + 1], &b))) {
        if (nargs > 2)
            log_error("diff: two runs at most");
        else if (nargs >= 1 && (!a || (nargs == 2 && !b)))
            log_error("diff: a run is a positive number (see 'unmask history')");
        else
            log_error("--format: unknown format '%s' (table, json)", format);
        fputs("Try 'unmask diff --help'.\n", stderr);
        return EXIT_USAGE;
    }
    struct store *st;
    int rc = record_open_existing(db, &st);
    if (rc != EXIT_OK)
        return rc;
    if (nargs == 1) { /* A against the latest finished run */
        b = 0;
        long long prev;
        rc = store_last_runs(st, &prev, &b);
    } else if (nargs == 0) {
        rc = store_last_runs(st, &a, &b);
    }
    if (rc < 0) {
        log_error("diff: %s", store_errmsg(st));
        store_close(st);
        return EXIT_RUNTIME;
    }
    if (!a || !b) {
        log_error("diff: %s; hint: name two runs (see 'unmask history')",
                  !b ? "no finished run is recorded" : "no earlier finished run of the same source");
        store_close(st);
        return EXIT_RUNTIME;
    }
    struct out o = { 0 };
    /* Both runs must exist before anything is printed. */
    if ((rc = store_runs(st, a, no_run_line, NULL)) >= 0 &&
        (rc = store_runs(st, b, no_run_line, NULL)) >= 0) {
        if (json)
            o.g = yajl_gen_alloc(NULL);
        else if ((rc = store_runs(st, a, run_line, "from")) >= 0)
            rc = store_runs(st, b, run_line, "to  ");
    }
    if (rc >= 0)
        rc = store_diff(st, a, b, print_change, &o);
    if (rc < 0)
        log_error("diff: %s", store_errmsg(st));
    else if (!json)
        printf("%ld change%s: %ld new, %ld gone, %ld changed\n",
               o.n[STORE_NEW] + o.n[STORE_GONE] + o.n[STORE_CHANGED],
               o.n[STORE_NEW] + o.n[STORE_GONE] + o.n[STORE_CHANGED] == 1 ? "" : "s",
               o.n[STORE_NEW], o.n[STORE_GONE], o.n[STORE_CHANGED]);
    if (o.g)
        yajl_gen_free(o.g);
    store_close(st);
    if (fflush(stdout) != 0)
        rc = -1;
    return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}
