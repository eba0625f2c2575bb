/* identify.c: `unmask identify [FILE|-]`: verdicts for devices described as observation JSON Lines. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/linereader.h"
#include "../core/log.h"
#include "../engine/engine.h"
#include "../obs/jsonl.h"
#include "../report/report.h"
#include "cmd.h"
#include "common.h"

static const char usage[] =
    "usage: unmask identify [options] [FILE|-]\n"
    "Reads devices as observation JSON Lines (docs/OBSERVATIONS.md) and prints one verdict each.\n"
    "\n"
    "  -f, --format FMT    json (JSON Lines), table or csv; default table on a terminal, else json\n"
    "  -o, --output FILE   write there instead of stdout (format from the extension if -f is absent)\n"
    "      --fail-on KIND  exit 4 if any device is KIND or worse: covered, white-label, suspect\n"
    "      --rules PATH    knowledge directory or file (default: the shipped rules)\n"
    "      --oui-dir DIR   IEEE registry directory (default /usr/share/ieee-data)\n"
    "      --no-oui        judge without MAC registrants\n"
    "      --as-of DATE    judge ownership periods as of DATE (YYYY-MM-DD; default today)\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit: 0 ok, 1 some input lines were rejected or output failed, 2 usage, 3 knowledge errors,\n"
    "4 --fail-on matched.\n";

int cmd_identify(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
        { "fail-on", required_argument, NULL, 'F' }, { "rules", required_argument, NULL, 'r' },
        { "oui-dir", required_argument, NULL, 'O' }, { "no-oui", no_argument, NULL, 'N' },
        { "as-of", required_argument, NULL, 'A' },   { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct knowledge_opts ko = { 0 };
    const char *format = NULL, *output = NULL;
    int fail_on = -1;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'F':
            fail_on = verdict_kind_parse(optarg);
            if (fail_on < V_SUSPECT) {
                log_error("--fail-on: expected covered, white-label or suspect, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'r': ko.rules = optarg; break;
        case 'O': ko.oui_dir = optarg; break;
        case 'N': ko.no_oui = true; break;
        case 'A': ko.as_of = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default:
            log_error("identify: %s '%s'", c == ':' ? "missing value for" : "unrecognized option",
                      argv[optind - 1]);
            fputs("Try 'unmask identify --help'.\n", stderr);
            return EXIT_USAGE;
        }
    }
    if (argc - optind > 1) {
        log_error("identify: one input at most (FILE or -)");
        fputs("Try 'unmask identify --help'.\n", stderr);
        return EXIT_USAGE;
    }
    const char *in_name = optind < argc ? argv[optind] : "-";
    FILE *out = stdout;
    const struct report_writer *w = NULL;
    if (format && !(w = report_find(format))) {
        log_error("--format: unknown format '%s' (json, table, csv)", format);
        return EXIT_USAGE;
    }
    if (!w && output)
        w = report_for_path(output);
    if (!w)
        w = report_find(!output && isatty(STDOUT_FILENO) ? "table" : "json");

    FILE *in = stdin;
    if (strcmp(in_name, "-")) {
        in = fopen(in_name, "rb");
        if (!in) {
            log_error("%s: %s", in_name, strerror(errno));
            return EXIT_RUNTIME;
        }
    }
    struct knowledge k;
    int rc = knowledge_load(&ko, &k);
    if (rc != EXIT_OK) {
        if (in != stdin)
            fclose(in);
        return rc;
    }
    if (output && !(out = fopen(output, "w"))) {
        log_error("%s: %s", output, strerror(errno));
        knowledge_free(&k);
        if (in != stdin)
            fclose(in);
        return EXIT_RUNTIME;
    }
    struct engine *e = engine_new(k.kb, k.oui, k.as_of);
    struct report_cache *cache = report_cache_new(k.kb);
    struct report_ctx ctx = { .kb = k.kb, .cache = cache, .out = out,
                              .color = out == stdout && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") };
    struct device d;
    obs_device_init(&d);
    struct linereader lr;
    linereader_init(&lr, in, JSONL_MAX_LINE);
    long bad = 0;
    bool flagged = false, write_failed = w->begin(&ctx) != 0;
    const char *shown = in == stdin ? "<stdin>" : in_name;
    for (;;) {
        char *line;
        size_t len;
        int r = linereader_next(&lr, &line, &len);
        if (r == 1)
            break;
        if (r == UNMASK_EIO) {
            log_error("%s: read error", shown);
            bad++;
            break;
        }
        if (r == UNMASK_ELIMIT) {
            log_error("%s:%ld: line longer than %d bytes, skipped", shown, lr.lineno, JSONL_MAX_LINE);
            bad++;
            continue;
        }
        char msg[256];
        r = jsonl_parse_device(line, len, lr.lineno, &d, msg, sizeof msg);
        if (r == 1)
            continue;
        if (r < 0) {
            log_error("%s:%ld: %s", shown, lr.lineno, msg);
            bad++;
            continue;
        }
        if (d.n_dropped)
            log_warn("%s:%ld: %zu observations beyond %d dropped", shown, lr.lineno, d.n_dropped,
                     OBS_MAX_PER_DEVICE);
        struct verdict v;
        engine_judge(e, &d, &v);
        ctx.counts[v.kind]++;
        ctx.n_devices++;
        if (fail_on >= 0 && (int)v.kind >= fail_on)
            flagged = true;
        if (!write_failed && w->device(&ctx, &d, &v, NULL) != 0)
            write_failed = true;
    }
    if (!write_failed && w->end(&ctx) != 0)
        write_failed = true;
    if (write_failed)
        log_error("%s: write failed", output ? output : "<stdout>");
    if (out != stdout && fclose(out) != 0 && !write_failed) {
        log_error("%s: write failed", output);
        write_failed = true;
    }
    linereader_deinit(&lr);
    obs_device_deinit(&d);
    engine_free(e);
    report_cache_free(cache);
    knowledge_free(&k);
    if (in != stdin)
        fclose(in);
    if (write_failed || bad)
        return EXIT_RUNTIME;
    return flagged ? EXIT_FLAGGED : EXIT_OK;
}
