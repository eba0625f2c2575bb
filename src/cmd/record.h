/* record.h: recording a run into the store, for the commands that judge devices (identify, scan,
 * inventory, import): the --db PATH and --no-db options and the calls around the device loop.
 *
 *     struct record_opts ro = { 0 };
 *     ... in the option loop: if (c == RECORD_OPT_DB || c == RECORD_OPT_NO_DB) record_opt(&ro, c, optarg);
 *     struct recorder r;
 *     if ((rc = record_open(&r, &ro)) != EXIT_OK) return rc;
 *     ... load the knowledge ...
 *     if ((rc = record_begin(&r, "identify", input, &knowledge, rules_path)) != EXIT_OK) ...
 *     record_batch(&r, &j);      when the input is a file read at full speed (not a scan)
 *     for each device: judge it; record_write(&r, &j, &d, &v, &x): it is written once it is
 *                      committed, so every device printed is already stored
 *     bool failed = record_close(&r, input_errors);
 *
 * Subcommands return exit codes (err.h); only main() ends the process. */
#ifndef UNMASK_RECORD_H
#define UNMASK_RECORD_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <yajl/yajl_gen.h>

#include "../engine/engine.h"
#include "../report/report.h"
#include "common.h"

struct store;
struct judge;

enum { RECORD_OPT_DB = 0x1100, RECORD_OPT_NO_DB };
#define RECORD_LONGOPTS                                                                            \
    { "db", required_argument, NULL, RECORD_OPT_DB }, { "no-db", no_argument, NULL, RECORD_OPT_NO_DB }
#define RECORD_USAGE                                                                               \
    "      --db PATH       record the run in this database (default $UNMASK_DB, else\n"            \
    "                      $XDG_DATA_HOME/unmask/unmask.db or ~/.local/share/unmask/unmask.db)\n"  \
    "      --no-db         do not record the run\n"

struct record_opts {
    const char *db; /* --db PATH; NULL: the default */
    bool no_db;     /* --no-db */
};

/* Handles --db (c == RECORD_OPT_DB) and --no-db; returns false for any other option. */
bool record_opt(struct record_opts *o, int c, const char *arg);

struct recorder {
    struct store *st; /* NULL with --no-db, or after a failure */
    long long run;
    char path[4096];
    bool failed;      /* a device could not be recorded (reported once) */
    struct judge *held; /* record_batch: the judge whose output waits for each commit */
};

/* Opens (creating) the database, before the work starts, so that a database that cannot be used
 * is reported before anything else happens. Does nothing with --no-db. Returns EXIT_OK, or
 * EXIT_RUNTIME after reporting why (with a hint to pass --no-db). */
int record_open(struct recorder *r, const struct record_opts *o);
/* Begins a run of `source` over `input` (a file name or targets), judged with k (borrowed until
 * record_close). Does nothing with --no-db. Returns EXIT_OK or EXIT_RUNTIME (reported). */
int record_begin(struct recorder *r, const char *source, const char *input,
                 const struct knowledge *k, const char *rules);
/* Records one judged device; on failure reports it once and stops recording (the run goes on).
 * Returns true when every device recorded so far is committed (always, unless batching). */
bool record_device(struct recorder *r, const struct device *d, const struct verdict *v,
                   const struct report_extra *x);
/* Commits in batches (up to RECORD_BATCH devices, at most RECORD_BATCH_MS old) and holds j's output
 * back until each commit (judge_hold), so that every device printed is still stored. A commit per
 * device writes the same pages again and again: batches record over ten times as many devices a
 * second. For the commands that read a file at full speed; a scan, whose devices trickle in, and a
 * pipe, which may stall, commit each device at once so that it is printed at once. Does nothing
 * with --no-db. */
#define RECORD_BATCH 2000
#define RECORD_BATCH_MS 250
void record_batch(struct recorder *r, struct judge *j);
/* record_begin for a run over the files files[0..n) ("-": standard input), named together as the
 * run's input, then record_batch when every one is a regular file. */
int record_begin_files(struct recorder *r, struct judge *j, const char *source, char *const *files,
                       int n, const char *rules);
/* True if path ("-": standard input) is a regular file, which is read at full speed (no stall). */
bool record_is_regular(const char *path);
/* True if every one of files[0..n) is. */
bool record_all_regular(char *const *files, int n);
/* Reads the options of a command that takes only the judging options and --db/--no-db (identify,
 * import) into jo and ro. Returns EXIT_OK (operands start at optind), JUDGE_HELP_SHOWN after printing
 * the help, or the exit code to return (EXIT_USAGE, reported). */
struct judge_opts;
int record_judge_options(struct judge_opts *jo, struct record_opts *ro, int argc, char **argv);
/* record_device, then judge_write: the verdict is printed now, or with its batch's commit. */
void record_write(struct recorder *r, struct judge *j, const struct device *d,
                  const struct verdict *v, const struct report_extra *x);
/* Opens the database for the commands that read it (history, devices, diff, report): db, or the
 * default path when NULL. Returns EXIT_OK with *st set, or EXIT_RUNTIME after reporting why (a
 * missing database names the commands that create one). */
int record_open_existing(const char *db, struct store **st);
/* Prints s (NULL: "-") as a terminal-safe cell padded to width characters (record_cell) and, for
 * the last cell of a line, unpadded. Control characters from devices are shown as '?'. */
void record_cell(FILE *f, const char *s, size_t width, bool last);
/* Reads the options of a reading command that takes only --format, --db and --help (history, diff):
 * sets *db and *format; returns EXIT_OK (operands start at optind), RECORD_HELP_SHOWN after printing
 * usage, or EXIT_USAGE after reporting a bad option. */
int record_read_options(const char *cmd, const char *usage, int argc, char **argv, const char **db,
                        const char **format);
#define RECORD_HELP_SHOWN 1000

/* Checks what the reading commands (history, devices) accept: --format table or json and no operand.
 * Sets *json; returns EXIT_OK, or EXIT_USAGE after saying what is wrong. */
int record_format_only(const char *cmd, const char *format, int argc, char *const *argv, bool *json);
/* Appends "k": "v" to the open map of g ("k": null when v is NULL). */
void record_kv(yajl_gen g, const char *k, const char *v);
/* Appends "k": v (an integer) to the open map of g. */
void record_kint(yajl_gen g, const char *k, long long v);
/* Writes what g generated as one line on stdout and empties g for the next row. */
void record_json_line(yajl_gen g);
/* Ends the run (partial when some input was rejected) and closes the database. Returns true if
 * recording failed at any point. */
bool record_close(struct recorder *r, bool partial);

#endif
