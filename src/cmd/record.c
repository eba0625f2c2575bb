/* record.c: see record.h. */
#include "record.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../report/text.h"
#include "../store/store.h"
#include "judge.h"

bool record_opt(struct record_opts *o, int c, const char *arg)
{
    if (c == RECORD_OPT_DB) {
        o->db = arg;
        o->no_db = false;
        return true;
    }
    if (c == RECORD_OPT_NO_DB) {
        o->no_db = true;
        return true;
    }
    return false;
}

int record_open(struct recorder *r, const struct record_opts *o)
{
    memset(r, 0, sizeof *r);
    if (o->no_db)
        return EXIT_OK;
    int rc = UNMASK_OK;
    if (o->db)
        snprintf(r->path, sizeof r->path, "%s", o->db);
    else
        rc = store_default_path(r->path, sizeof r->path);
    if (rc < 0) {
        log_error("no database path: set HOME or XDG_DATA_HOME, or pass --db PATH or --no-db");
        return EXIT_RUNTIME;
    }
    if ((rc = store_open(r->path, STORE_CREATE, &r->st)) < 0) {
        log_error("%s: cannot record the run: %s; hint: pass --db PATH, or --no-db to run "
                  "without recording", r->path, r->st ? store_errmsg(r->st) : err_str(rc));
        store_close(r->st);
        r->st = NULL;
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

int record_begin(struct recorder *r, const char *source, const char *input,
                 const struct knowledge *k, const char *rules)
{
    if (!r->st)
        return EXIT_OK;
    struct store_run_meta m = { .source = source, .input = input, .kb = k->kb, .as_of = k->as_of,
                                .rules = rules };
    if (store_begin_run(r->st, &m, &r->run) < 0) {
        log_error("%s: cannot record the run: %s; hint: --no-db runs without recording", r->path,
                  store_errmsg(r->st));
        store_close(r->st);
        r->st = NULL;
        return EXIT_RUNTIME;
    }
    log_info("recording run %lld in %s", r->run, r->path);
    return EXIT_OK;
}

/* Stops holding output back: what waits is written (it is stored, or recording has failed). */
static void unhold(struct recorder *r)
{
    if (r->held)
        judge_unhold(r->held);
    r->held = NULL;
}

bool record_device(struct recorder *r, const struct device *d, const struct verdict *v,
                   const struct report_extra *x)
{
    if (!r->st)
        return true;
    int rc = store_record(r->st, r->run, d, v, x);
    if (rc < 0) {
        log_error("%s: cannot record device '%s'%s: %s; the run goes on without recording", r->path,
                  d->id ? d->id : "", r->held ? " (nor those since the last commit)" : "",
                  store_errmsg(r->st));
        r->failed = true;
        store_close(r->st);
        r->st = NULL;
        unhold(r);
    }
    return rc != 0;
}

void record_batch(struct recorder *r, struct judge *j)
{
    if (!r->st)
        return;
    store_set_batch(r->st, RECORD_BATCH, RECORD_BATCH_MS);
    judge_hold(j);
    r->held = j;
}

bool record_is_regular(const char *path)
{
    struct stat sb;
    int rc = strcmp(path, "-") ? stat(path, &sb) : fstat(STDIN_FILENO, &sb);
    return rc == 0 && S_ISREG(sb.st_mode);
}

bool record_all_regular(char *const *files, int n)
{
    for (int i = 0; i < n; i++)
        if (!record_is_regular(files[i]))
            return false;
    return true;
}

int record_begin_files(struct recorder *r, struct judge *j, const char *source, char *const *files,
                       int n, const char *rules)
{
    char input[1024] = ""; /* the files, as given, cut to a sensible length */
    for (int i = 0; i < n; i++) {
        size_t l = strlen(input);
        snprintf(input + l, sizeof input - l, "%s%s", l ? " " : "", files[i]);
    }
    int rc = record_begin(r, source, input, &j->k, rules);
    if (rc == EXIT_OK && record_all_regular(files, n))
        record_batch(r, j);
    return rc;
}

int record_judge_options(struct judge_opts *jo, struct record_opts *ro, int argc, char **argv)
{
    static const struct option opts[] = { JUDGE_LONGOPTS, RECORD_LONGOPTS, { NULL, 0, NULL, 0 } };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, JUDGE_SHORTOPTS, opts, NULL)) != -1) {
        if (record_opt(ro, c, optarg))
            continue;
        int rc = judge_opt(jo, c, optarg, argv);
        if (rc != EXIT_OK)
            return rc == JUDGE_HELP_SHOWN ? rc : rc < 0 ? EXIT_USAGE : rc;
    }
    return EXIT_OK;
}

void record_write(struct recorder *r, struct judge *j, const struct device *d,
                  const struct verdict *v, const struct report_extra *x)
{
    bool committed = record_device(r, d, v, x);
    judge_write(j, d, v, x);
    if (committed && r->held)
        judge_release(j);
}

bool record_close(struct recorder *r, bool partial)
{
    if (r->st) {
        enum store_run_status s = partial ? STORE_RUN_PARTIAL : STORE_RUN_COMPLETE;
        if (store_end_run(r->st, r->run, s) < 0) {
            log_error("%s: cannot finish run %lld: %s", r->path, r->run, store_errmsg(r->st));
            r->failed = true;
        }
        store_close(r->st);
        r->st = NULL;
    }
    unhold(r);
    return r->failed;
}

int record_open_existing(const char *db, struct store **st)
{
    char path[4096];
    *st = NULL;
    if (db)
        snprintf(path, sizeof path, "%s", db);
    else if (store_default_path(path, sizeof path) < 0) {
        log_error("no database path: set HOME or XDG_DATA_HOME, or pass --db PATH");
        return EXIT_RUNTIME;
    }
    int rc = store_open(path, 0, st);
    if (rc == UNMASK_ENOENT) {
        log_error("%s: no database yet; hint: 'unmask identify', 'scan', 'inventory' or 'import' "
                  "record their runs there (or pass --db PATH)", path);
        return EXIT_RUNTIME;
    }
    if (rc < 0) {
        log_error("%s: %s", path, *st ? store_errmsg(*st) : err_str(rc));
        store_close(*st);
        *st = NULL;
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

void record_cell(FILE *f, const char *s, size_t width, bool last)
{
    char buf[1024];
    size_t max = width < 200 ? width : 200;
    size_t w = text_clean(s ? s : "-", s ? strlen(s) : 1, buf, sizeof buf, last ? 200 : max);
    fputs(buf, f);
    if (!last)
        for (size_t i = w; i < width + 2; i++)
            fputc(' ', f);
}

void record_json_line(yajl_gen g)
{
    const unsigned char *buf;
    size_t len;
    yajl_gen_get_buf(g, &buf, &len);
    fwrite(buf, 1, len, stdout);
    fputc('\n', stdout);
    yajl_gen_clear(g);
    yajl_gen_reset(g, NULL);
}

int record_format_only(const char *cmd, const char *format, int argc, char *const *argv, bool *json)
{
    *json = !strcmp(format, "json");
    if ((*json || !strcmp(format, "table")) && optind >= argc)
        return EXIT_OK;
    if (optind < argc)
        log_error("%s: unexpected argument '%s'", cmd, argv[optind]);
    else
        log_error("--format: unknown format '%s' (table, json)", format);
    fprintf(stderr, "Try 'unmask %s --help'.\n", cmd);
    return EXIT_USAGE;
}

void record_kv(yajl_gen g, const char *k, const char *v)
{
    yajl_gen_string(g, (const unsigned char *)k, strlen(k));
    if (v)
        yajl_gen_string(g, (const unsigned char *)v, strlen(v));
    else
        yajl_gen_null(g);
}

void record_kint(yajl_gen g, const char *k, long long v)
{
    yajl_gen_string(g, (const unsigned char *)k, strlen(k));
    yajl_gen_integer(g, v);
}

int record_read_options(const char *cmd, const char *usage, int argc, char **argv, const char **db,
                        const char **format)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "db", required_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': *format = optarg; break;
        case 'D': *db = optarg; break;
        case 'h': fputs(usage, stdout); return RECORD_HELP_SHOWN;
        default: return cmd_option_error(cmd, c, argv);
        }
    }
    return EXIT_OK;
}
