/* report.c: `unmask report [--scan ID] -o FILE`: one recorded run written as an HTML report, CSV or
 * JSON Lines (format from the file's extension).
 *
 * The store keeps what each device said (its observations) and what was decided then. A report
 * judges the stored observations again with the current knowledge as of the run's judgement date,
 * so that the evidence chain it prints is complete (rules, sources, lists) and reflects today's
 * knowledge; where that judgement differs from the recorded one, it says so on stderr. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/xalloc.h"
#include "../engine/engine.h"
#include "../report/html.h"
#include "../report/report.h"
#include "../store/store.h"
#include "cmd.h"
#include "common.h"
#include "record.h"

static const char usage[] =
    "usage: unmask report [options] -o FILE\n"
    "Writes one recorded run (default: the latest) as a report: FILE.html is a self-contained page\n"
    "for people and auditors (charts, a sortable table, each device's evidence and a FAR\n"
    "52.204-25(d) section), FILE.csv a spreadsheet, FILE.jsonl one verdict object per line.\n"
    "The stored observations are judged again with the current knowledge, as of the run's date.\n"
    "\n"
    "      --scan ID       the run to report (see 'unmask history'; default the latest)\n"
    "  -o, --output FILE   where to write; the format comes from the extension\n"
    "  -f, --format FMT    html, csv, json or table, whatever the extension (- for stdout)\n"
    "      --db PATH       the database (default $UNMASK_DB, else\n"
    "                      $XDG_DATA_HOME/unmask/unmask.db or ~/.local/share/unmask/unmask.db)\n"
    "      --rules PATH    knowledge directory or file (default: the shipped rules)\n"
    "      --oui-dir DIR   IEEE registry directory (default /usr/share/ieee-data)\n"
    "      --no-oui        judge without MAC registrants\n"
    "      --as-of DATE    judge as of DATE instead of the run's date (YYYY-MM-DD)\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit: 0 ok, 1 the database or the file failed, 2 usage, 3 knowledge errors.\n";

/* The run's description, copied out of the store's callback. */
struct run_info {
    long long id;
    char source[16], started[24], finished[24], as_of[16];
    char *input, *host, *rules;
    bool found;
};

static void set(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

static int take_run(void *ctx, const struct store_run *r)
{
    struct run_info *ri = ctx;
    ri->id = r->id;
    ri->found = true;
    set(ri->source, sizeof ri->source, r->source);
    set(ri->started, sizeof ri->started, r->started);
    set(ri->finished, sizeof ri->finished, r->finished);
    set(ri->as_of, sizeof ri->as_of, r->as_of);
    free(ri->input);
    free(ri->host);
    free(ri->rules);
    ri->input = r->input ? xstrdup(r->input) : NULL;
    ri->host = r->host ? xstrdup(r->host) : NULL;
    ri->rules = r->rules ? xstrdup(r->rules) : NULL;
    return 0;
}

/* A record's open ports (store_row.ports, "80/tcp:http 554/tcp:rtsp") as report_port entries. */
#define REPORT_MAX_PORTS 256
struct ports_buf {
    struct report_port p[REPORT_MAX_PORTS];
    char text[8192];
};

struct emit {
    struct engine *e;
    struct ports_buf ports;
    const struct report_writer *w;
    struct report_ctx *ctx;
    const struct kb *kb;
    bool write_failed;
    long changed; /* judged differently from the recorded verdict */
};

static size_t parse_ports(const char *s, struct ports_buf *pb)
{
    size_t n = 0;
    if (!s)
        return 0;
    snprintf(pb->text, sizeof pb->text, "%s", s);
    char *save = NULL;
    for (char *t = strtok_r(pb->text, " ", &save); t && n < REPORT_MAX_PORTS;
         t = strtok_r(NULL, " ", &save)) {
        char *slash = strchr(t, '/'), *colon = slash ? strchr(slash, ':') : NULL, *end;
        long port = strtol(t, &end, 10);
        if (!colon || end != slash || port < 0 || port > 65535)
            continue;
        *slash = *colon = '\0';
        pb->p[n++] = (struct report_port){ .port = (int)port, .proto = slash + 1, .service = colon + 1 };
    }
    return n;
}

static bool differs(const char *a, const char *b)
{
    return (!a) != (!b) || (a && strcmp(a, b));
}

static int emit_device(void *arg, const struct store_row *r, struct device *d)
{
    struct emit *em = arg;
    struct verdict v;
    engine_judge(em->e, d, &v);
    em->ctx->counts[v.kind]++;
    em->ctx->n_devices++;
    const char *maker = v.maker >= 0 ? em->kb->makers[v.maker].slug : NULL;
    if (differs(r->verdict, verdict_kind_name(v.kind)) || differs(r->maker, maker)) {
        em->changed++;
        log_info("%s: recorded %s %s, judged now %s %s", r->name ? r->name : "-",
                 r->verdict ? r->verdict : "-", r->maker ? r->maker : "-",
                 verdict_kind_name(v.kind), maker ? maker : "-");
    }
    struct report_extra x = { .file = r->file, .row = r->row, .address = r->address,
                              .mac = r->mac, .far = r->has_far ? &r->far : NULL,
                              .ports = em->ports.p, .n_ports = parse_ports(r->ports, &em->ports) };
    if (!em->write_failed && em->w->device(em->ctx, d, &v, &x) != 0)
        em->write_failed = true;
    return 0;
}

int cmd_report(int argc, char **argv)
{
    enum { OPT_SCAN = 0x1200, OPT_DB, OPT_RULES, OPT_OUI_DIR, OPT_NO_OUI, OPT_AS_OF };
    static const struct option opts[] = {
        { "scan", required_argument, NULL, OPT_SCAN },   { "run", required_argument, NULL, OPT_SCAN },
        { "output", required_argument, NULL, 'o' },      { "format", required_argument, NULL, 'f' },
        { "db", required_argument, NULL, OPT_DB },       { "rules", required_argument, NULL, OPT_RULES },
        { "oui-dir", required_argument, NULL, OPT_OUI_DIR }, { "no-oui", no_argument, NULL, OPT_NO_OUI },
        { "as-of", required_argument, NULL, OPT_AS_OF }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct knowledge_opts ko = { 0 };
    const char *db = NULL, *output = NULL, *format = NULL;
    long long run = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:f:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_SCAN: {
            char *end;
            errno = 0;
            run = strtoll(optarg, &end, 10);
            if (errno || *end || run <= 0 || end == optarg) {
                log_error("--scan: a run is a positive number (see 'unmask history'), not '%s'",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'o': output = optarg; break;
        case 'f': format = optarg; break;
        case OPT_DB: db = optarg; break;
        case OPT_RULES: ko.rules = optarg; break;
        case OPT_OUI_DIR: ko.oui_dir = optarg; break;
        case OPT_NO_OUI: ko.no_oui = true; break;
        case OPT_AS_OF: ko.as_of = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default:
            return cmd_option_error("report", c, argv);
        }
    }
    if (optind < argc) {
        log_error("report: unexpected argument '%s' (the file goes after -o)", argv[optind]);
        fputs("Try 'unmask report --help'.\n", stderr);
        return EXIT_USAGE;
    }
    if (output && !strcmp(output, "-"))
        output = NULL;
    const struct report_writer *w = NULL;
    if (format && !(w = report_find(format))) {
        log_error("--format: unknown format '%s' (html, csv, json, table)", format);
        return EXIT_USAGE;
    }
    if (!w && output && !(w = report_for_path(output))) {
        log_error("report: cannot tell the format of '%s' from its extension (.html, .csv, "
                  ".jsonl); hint: pass --format", output);
        return EXIT_USAGE;
    }
    if (!w) {
        log_error("report: -o FILE (.html, .csv or .jsonl) or --format is required");
        fputs("Try 'unmask report --help'.\n", stderr);
        return EXIT_USAGE;
    }

    struct store *st;
    int rc = record_open_existing(db, &st);
    if (rc != EXIT_OK)
        return rc;
    struct run_info ri = { 0 };
    rc = store_runs(st, run, take_run, &ri); /* run 0: all runs, the last one stays */
    if (rc < 0 || !ri.found) {
        if (rc < 0)
            log_error("report: %s", store_errmsg(st));
        else
            log_error("report: no run is recorded yet");
        store_close(st);
        free(ri.input), free(ri.host), free(ri.rules);
        return EXIT_RUNTIME;
    }
    if (!ko.as_of && ri.as_of[0])
        ko.as_of = ri.as_of;
    struct knowledge k;
    if ((rc = knowledge_load(&ko, &k)) != EXIT_OK) {
        store_close(st);
        free(ri.input), free(ri.host), free(ri.rules);
        return rc;
    }
    FILE *out = stdout;
    if (output && !(out = fopen(output, "w"))) {
        log_error("%s: %s", output, strerror(errno));
        knowledge_free(&k);
        store_close(st);
        free(ri.input), free(ri.host), free(ri.rules);
        return EXIT_RUNTIME;
    }
    struct report_cache *cache = report_cache_new(k.kb);
    struct report_ctx ctx = { .kb = k.kb, .cache = cache, .out = out,
                              .color = out == stdout && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") };
    char as_of[16];
    snprintf(as_of, sizeof as_of, "%04d-%02d-%02d", k.as_of / 10000, k.as_of / 100 % 100,
             k.as_of % 100);
    struct html_meta meta = {
        .run_id = ri.id, .source = ri.source, .input = ri.input, .started = ri.started,
        .finished = ri.finished[0] ? ri.finished : NULL, .as_of = as_of, .host = ri.host,
        .rules = knowledge_rules_path(ko.rules),
    };
    if (!strcmp(w->name, "html"))
        html_set_meta(&ctx, &meta);
    struct emit em = { .e = engine_new(k.kb, k.oui, k.as_of), .w = w, .ctx = &ctx, .kb = k.kb };
    em.write_failed = w->begin(&ctx) != 0;
    struct device d;
    obs_device_init(&d);
    rc = store_run_devices(st, ri.id, &d, emit_device, &em);
    if (rc < 0)
        log_error("report: %s", store_errmsg(st));
    if (!em.write_failed && w->end(&ctx) != 0)
        em.write_failed = true;
    if (out != stdout && fclose(out) != 0)
        em.write_failed = true;
    if (em.write_failed)
        log_error("%s: write failed", output ? output : "<stdout>");
    if (em.changed)
        log_warn("run %lld: %ld device%s judged differently from the recorded verdict (other "
                 "knowledge or judgement date); the report shows the new judgement (-v lists them)",
                 ri.id, em.changed, em.changed == 1 ? " is" : "s are");
    if (rc >= 0 && !em.write_failed && output)
        log_info("run %lld: %ld devices written to %s", ri.id, ctx.n_devices, output);
    obs_device_deinit(&d);
    engine_free(em.e);
    report_cache_free(cache);
    knowledge_free(&k);
    store_close(st);
    free(ri.input), free(ri.host), free(ri.rules);
    return rc < 0 || em.write_failed ? EXIT_RUNTIME : EXIT_OK;
}
