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
#include "judge.h"
#include "record.h"

static const char usage[] =
    "usage: unmask identify [options] [FILE|-]\n"
    "Reads devices as observation JSON Lines (docs/OBSERVATIONS.md) and prints one verdict each.\n"
    "\n"
    JUDGE_USAGE
    RECORD_USAGE
    "\n"
    "Exit: 0 ok, 1 some input lines were rejected or output failed, 2 usage, 3 knowledge errors,\n"
    "4 --fail-on matched.\n";

int cmd_identify(int argc, char **argv)
{
    struct record_opts ro = { 0 };
    struct judge_opts jo;
    judge_opts_init(&jo, "identify", usage);
    int orc = record_judge_options(&jo, &ro, argc, argv);
    if (orc != EXIT_OK)
        return orc == JUDGE_HELP_SHOWN ? EXIT_OK : orc;
    if (argc - optind > 1) {
        log_error("identify: one input at most (FILE or -)");
        fputs("Try 'unmask identify --help'.\n", stderr);
        return EXIT_USAGE;
    }
    const char *in_name = optind < argc ? argv[optind] : "-";
    FILE *in = stdin;
    if (strcmp(in_name, "-")) {
        in = fopen(in_name, "rb");
        if (!in) {
            log_error("%s: %s", in_name, strerror(errno));
            return EXIT_RUNTIME;
        }
    }
    jo.stream = !record_is_regular(in_name);
    struct recorder rec;
    struct judge j;
    int rc = record_open(&rec, &ro);
    if (rc == EXIT_OK && (rc = judge_open(&j, &jo)) != EXIT_OK)
        record_close(&rec, true);
    if (rc != EXIT_OK) {
        if (in != stdin)
            fclose(in);
        return rc;
    }
    if (record_begin(&rec, "identify", in == stdin ? "<stdin>" : in_name, &j.k,
                     knowledge_rules_path(jo.ko.rules)) != EXIT_OK) {
        if (in != stdin)
            fclose(in);
        return judge_close(&j, true);
    }
    if (!jo.stream) /* a file is read at full speed: commit in batches */
        record_batch(&rec, &j);
    struct device d;
    obs_device_init(&d);
    struct linereader lr;
    linereader_init(&lr, in, JSONL_MAX_LINE);
    long bad = 0;
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
        struct verdict v; /* printed once stored */
        judge_verdict(&j, &d, &v);
        record_write(&rec, &j, &d, &v, NULL);
    }
    linereader_deinit(&lr);
    obs_device_deinit(&d);
    if (in != stdin)
        fclose(in);
    bool rec_failed = record_close(&rec, bad > 0);
    return judge_close(&j, bad > 0 || rec_failed);
}
