/* store.h: the history of every run: devices, what they said, what was decided, and where it came
 * from (docs/STORE.md). The only module that knows SQL; sqlite3 types never leave src/store/.
 *
 * Writing: a source opens the store, begins a run, records each device as soon as it is judged, and
 * ends the run:
 *
 *     struct store *st;
 *     long long run;
 *     if (store_open(path, STORE_CREATE, &st) < 0 || store_begin_run(st, &meta, &run) < 0) ...
 *     for each device: engine_judge(e, &d, &v); store_record(st, run, &d, &v, &x); then print it
 *     store_end_run(st, run, STORE_RUN_COMPLETE); store_close(st);
 *
 * By default every store_record is its own transaction, committed before it returns; with
 * store_set_batch, records are committed in groups, and a caller prints a record once store_record
 * or store_commit has said it is committed. Either way a process killed at any moment (SIGKILL
 * included) leaves a consistent database that holds every committed device, and a device printed
 * after its commit is always stored. Several processes may write one database at once (WAL journal,
 * a busy timeout and retries); nothing is lost.
 *
 * Reading: queries call back once per row with views that are valid only during the callback. A
 * callback returning non-zero stops the query, which then returns that value.
 *
 * A store handle is used by one thread at a time. The API deliberately speaks in devices, verdicts and
 * runs, not in SQL, so that a second backend (PostgreSQL) can be added behind it. */
#ifndef UNMASK_STORE_H
#define UNMASK_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "../engine/engine.h"
#include "../kb/kb.h"
#include "../obs/obs.h"
#include "../report/report.h"

/* The schema version this build reads and writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 2

struct store;

/* store_open flags. */
#define STORE_CREATE 1 /* create the database and its folder (mode 0700) when missing */

/* Writes the default database path into buf: $UNMASK_DB, else $XDG_DATA_HOME/unmask/unmask.db,
 * else $HOME/.local/share/unmask/unmask.db. Returns UNMASK_OK, UNMASK_ENOENT when none of the
 * variables is set, or UNMASK_ELIMIT when buf is too small. */
int store_default_path(char *buf, size_t cap);

/* Opens (and with STORE_CREATE creates, file mode 0600) the database at path, switches it to WAL,
 * sets the busy timeout and migrates the schema to STORE_SCHEMA_VERSION. Returns UNMASK_OK with
 * *out set; UNMASK_ENOENT when the file is missing and STORE_CREATE was not given; UNMASK_EDB
 * otherwise (*out is then still set when a handle exists, so store_errmsg can say why; close it). */
int store_open(const char *path, int flags, struct store **out);
/* Closes the handle; a run still open is left unfinished (history shows it as incomplete). NULL is
 * a no-op. */
void store_close(struct store *st);
/* The last database error, for messages; never NULL. */
const char *store_errmsg(const struct store *st);

/* ---- writing ---------------------------------------------------------------------------------- */

struct store_run_meta {
    const char *source;   /* "scan", "identify", "inventory" or "import" */
    const char *input;    /* the file read or the targets scanned; may be NULL */
    const struct kb *kb;  /* the knowledge the run is judged with; borrowed until store_end_run */
    int as_of;            /* the judgement date, yyyymmdd */
    const char *rules;    /* the knowledge path; may be NULL */
};

/* Starts a run; *run_id names it. One run at a time per handle. UNMASK_EUSAGE for an unknown
 * source or a run already open, UNMASK_EDB if the database failed. */
int store_begin_run(struct store *st, const struct store_run_meta *m, long long *run_id);
/* Records one judged device in the open run. d, v and x (x may be NULL) are borrowed. The device is
 * matched to a known one by MAC (x->mac, then the mac.address, sadp.mac or dhip.mac observations),
 * then serial, then address, then name (docs/STORE.md). Only the source's observations are kept
 * (derived ones are not). Commits the open batch when it is full (store_set_batch; by default every
 * record is a batch of its own). Returns 1 when it committed (every record so far is durable), 0 when
 * the record waits in the open batch, or UNMASK_EDB (the open batch is rolled back: its records are
 * lost). */
int store_record(struct store *st, long long run_id, const struct device *d, const struct verdict *v,
                 const struct report_extra *x);
/* Groups records into transactions of up to `records` records, committed when that many wait or when
 * `ms` milliseconds have passed since the first of them (checked at each record): one commit writes
 * each touched page once, where a commit per record writes it again and again (about 7,000 records a
 * second against over 100,000). The caller holds back what it prints about a record until the record
 * is committed (store_record returns 1, or store_commit). records <= 1: every record commits. */
void store_set_batch(struct store *st, int records, int ms);
/* Commits the open batch. Returns 1 if records were committed, 0 if none waited, or UNMASK_EDB (the
 * batch is rolled back). */
int store_commit(struct store *st);

enum store_run_status { STORE_RUN_COMPLETE, STORE_RUN_PARTIAL, STORE_RUN_FAILED };
/* Marks the run finished with a status: complete, partial (some input was rejected) or failed. */
int store_end_run(struct store *st, long long run_id, enum store_run_status status);

/* ---- reading ---------------------------------------------------------------------------------- */

struct store_run {
    long long id;
    const char *source, *started, *finished, *status, *input, *as_of, *rules, *host, *version;
    long n_records;          /* devices recorded */
    long counts[V_N_KIND];   /* records by verdict */
};

/* One device as recorded in one run. */
struct store_row {
    long long record_id, run_id, device_id;
    const char *name, *address, *mac, *file; /* as the source gave them; NULL when absent */
    long row;                                /* inventory line, 0 when absent */
    const char *verdict, *maker, *brand, *model, *firmware, *serial;
    double confidence;
    const char *seen;        /* when the record's run started */
    const char *first_seen;  /* devices: when the device was first seen; NULL elsewhere */
    long long first_run;     /* devices: the run that first saw it; 0 elsewhere */
    const char *explanation;  /* the verdict's sentence, as decided then */
    const char *evidence;     /* what decided it, in the compact form of docs/STORE.md */
    struct report_far far;    /* the record's FAR 52.204-25(d) fields (members NULL when absent) */
    const char *ports;        /* scan: open ports, "80/tcp:http 554/tcp:rtsp"; NULL when absent */
    bool has_far;             /* any member of far is set */
};

/* Calls cb for each run, oldest first, or only for run `id` when id > 0 (UNMASK_ENOENT when there
 * is no such run). */
int store_runs(struct store *st, long long id, int (*cb)(void *ctx, const struct store_run *r),
               void *ctx);
/* The latest finished run (*b) and the finished run of the same source before it (*a); 0 where
 * there is none. With only b known (b > 0 on entry), finds the run of b's source before b. */
int store_last_runs(struct store *st, long long *a, long long *b);

struct store_filter {
    const char *verdict; /* "covered", ...; NULL for any */
    const char *maker;   /* maker slug; NULL for any */
    const char *since;   /* 'YYYY-MM-DD': devices seen on or after that day; NULL for any */
};
/* Calls cb for every device with its latest record, matching f (may be NULL), by name. */
int store_devices(struct store *st, const struct store_filter *f,
                  int (*cb)(void *ctx, const struct store_row *r), void *ctx);

enum store_change { STORE_NEW = 1, STORE_GONE, STORE_CHANGED };
/* Fields whose change makes a device STORE_CHANGED. */
#define STORE_F_VERDICT 1u
#define STORE_F_MAKER 2u
#define STORE_F_BRAND 4u
#define STORE_F_FIRMWARE 8u

struct store_diff_entry {
    enum store_change kind;
    unsigned fields;            /* STORE_CHANGED: which of STORE_F_* differ */
    const struct store_row *a;  /* the device in run a; NULL when STORE_NEW */
    const struct store_row *b;  /* the device in run b; NULL when STORE_GONE */
};
/* Compares the devices of run a with those of run b (each device's last record in each run): new
 * in b, gone from b, or changed in verdict, maker, brand or firmware. New first, then gone, then
 * changed, each by name. UNMASK_ENOENT if either run does not exist. */
int store_diff(struct store *st, long long a, long long b,
               int (*cb)(void *ctx, const struct store_diff_entry *e), void *ctx);

/* Calls cb for each record of run `run` in the order recorded, with d rebuilt (reset first) from
 * the stored observations, ready to be judged again. UNMASK_ENOENT if the run does not exist. */
int store_run_devices(struct store *st, long long run, struct device *d,
                      int (*cb)(void *ctx, const struct store_row *r, struct device *d), void *ctx);

/* Normalises a MAC address written as aa:bb:cc:dd:ee:ff, aa-bb-.., aabb.ccdd.eeff or 12 hex digits
 * into out ("aa:bb:cc:dd:ee:ff"). False for anything else, and for the all-zero and broadcast
 * addresses. Pure; exposed for tests. */
bool store_mac_normalise(const char *s, size_t n, char out[18]);

#endif
