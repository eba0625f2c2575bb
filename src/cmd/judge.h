/* judge.h: what the commands that judge devices share (identify, inventory, import): the output and
 * knowledge options, the output file and writer, and the judge-and-write step.
 *
 *     struct judge_opts o;  judge_opts_init(&o);
 *     while ((c = getopt_long(argc, argv, JUDGE_SHORTOPTS "x", opts, NULL)) != -1)
 *         if ((rc = judge_opt(&o, c, optarg)) < 0) { ...command's own options... }
 *         else if (rc != EXIT_OK) return rc;
 *     struct judge j;  if ((rc = judge_open(&j, &o)) != EXIT_OK) return rc;
 *     ... judge_device(&j, &d, &extra) for every device ...
 *     return judge_close(&j, input_errors);
 *
 * Subcommands return exit codes (err.h enum unmask_exit); only main() ends the process. */
#ifndef UNMASK_JUDGE_H
#define UNMASK_JUDGE_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "../engine/engine.h"
#include "../report/report.h"
#include "common.h"

/* getopt_long entries and short options of the shared options; JUDGE_OPT_* are their codes. */
enum { JUDGE_OPT_FAIL_ON = 0x1000, JUDGE_OPT_RULES, JUDGE_OPT_OUI_DIR, JUDGE_OPT_NO_OUI,
       JUDGE_OPT_AS_OF, JUDGE_OPT_ONLY };
#define JUDGE_SHORTOPTS ":f:o:h"
#define JUDGE_LONGOPTS                                                                             \
    { "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },        \
        { "fail-on", required_argument, NULL, JUDGE_OPT_FAIL_ON },                                 \
        { "only", required_argument, NULL, JUDGE_OPT_ONLY },                                       \
        { "rules", required_argument, NULL, JUDGE_OPT_RULES },                                     \
        { "oui-dir", required_argument, NULL, JUDGE_OPT_OUI_DIR },                                 \
        { "no-oui", no_argument, NULL, JUDGE_OPT_NO_OUI },                                         \
        { "as-of", required_argument, NULL, JUDGE_OPT_AS_OF }, { "help", no_argument, NULL, 'h' }

/* The usage lines of the shared options. */
#define JUDGE_USAGE                                                                                \
    "  -f, --format FMT    json (JSON Lines), table or csv; default table on a terminal, else json\n" \
    "  -o, --output FILE   write there instead of stdout (format from the extension if -f is absent)\n" \
    "      --fail-on KIND  exit 4 if any device is KIND or worse: covered, white-label, suspect\n"  \
    "      --only KIND     write only devices judged KIND or worse (the summary counts all)\n"     \
    "      --rules PATH    knowledge directory or file (default: the shipped rules)\n"             \
    "      --oui-dir DIR   IEEE registry directory (default /usr/share/ieee-data)\n"               \
    "      --no-oui        judge without MAC registrants\n"                                        \
    "      --as-of DATE    judge ownership periods as of DATE (YYYY-MM-DD; default today)\n"       \
    "  -h, --help          this help\n"

struct judge_opts {
    struct knowledge_opts ko;
    const char *format, *output;
    int fail_on; /* enum verdict_kind, or -1 */
    int only;    /* write only verdicts of this kind or worse; -1: all */
    const char *usage;   /* the command's help text, printed for -h */
    const char *command; /* "identify", for messages */
    bool far;            /* the command's records carry FAR 52.204-25(d) fields (report_ctx.far) */
    bool stream;         /* devices come as they are found or sent (a scan, a pipe): each verdict is
                          * written out at once, not when an output block fills */
};

void judge_opts_init(struct judge_opts *o, const char *command, const char *usage);
/* Handles one getopt_long result c (with optarg arg) if it is a shared option, or a missing value or
 * an unknown option. Returns EXIT_OK (handled, go on), -1 (not a shared option: the command's
 * own), or an exit code to return now: EXIT_USAGE (reported) or, for -h, JUDGE_HELP_SHOWN. */
int judge_opt(struct judge_opts *o, int c, const char *arg, char *const *argv);
#define JUDGE_HELP_SHOWN 1000 /* judge_opt printed the help: return EXIT_OK */

struct judge {
    struct knowledge k;
    struct engine *e;
    struct report_cache *cache;
    const struct report_writer *w;
    struct report_ctx ctx;
    FILE *out;
    const char *out_name; /* for messages */
    int fail_on;
    int only;
    bool flagged;         /* --fail-on matched */
    bool write_failed;
    FILE *held;           /* judge_hold: the memory stream verdicts go to, else NULL */
    char *held_buf;
    size_t held_len;
};

/* Loads the knowledge, opens the output and starts the writer. Returns EXIT_OK, or the exit code
 * to return (problems are reported). */
int judge_open(struct judge *j, const struct judge_opts *o);
/* Judges d and writes its verdict with x (may be NULL). The verdict is returned through v if not
 * NULL (valid until the next call). */
void judge_device(struct judge *j, struct device *d, const struct report_extra *x, struct verdict *v);
/* The two halves of judge_device, for a caller that adds to x what the verdict says. */
void judge_verdict(struct judge *j, struct device *d, struct verdict *v);
void judge_write(struct judge *j, const struct device *d, const struct verdict *v,
                 const struct report_extra *x);
/* Holds the written verdicts back in memory until judge_release (the recorder's batches: nothing is
 * printed before it is stored). */
void judge_hold(struct judge *j);
/* Writes out what is held back, and keeps holding. */
void judge_release(struct judge *j);
/* Writes out what is held back and stops holding. */
void judge_unhold(struct judge *j);
/* Ends the writer (after judge_unhold), closes the output, frees everything. Returns the exit code:
 * EXIT_RUNTIME if input_errors or the output failed, EXIT_FLAGGED if --fail-on matched, else
 * EXIT_OK. */
int judge_close(struct judge *j, bool input_errors);

#endif
