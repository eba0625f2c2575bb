/* store.c: opening the database, migrating its schema, and recording runs (docs/STORE.md).
 *
 * The database is SQLite in WAL mode: readers never block the writer, and a writer that dies leaves
 * the database consistent. Every device is recorded in its own BEGIN IMMEDIATE transaction, which
 * takes the write lock before the device lookup, so two processes recording at once cannot both
 * create the same device; the busy timeout makes the second wait, and a transaction that still meets
 * SQLITE_BUSY is retried. With synchronous=NORMAL a commit is durable against the death of the
 * process (the WAL is written before COMMIT returns) though not against a power cut, which may lose
 * the last commits but never corrupts the file (https://www.sqlite.org/wal.html).
 *
 * The schema lives in schema.sql, compiled in at build time (xxd -i, see the Makefile), and is
 * applied when PRAGMA user_version says the file is older. */
#include "store-int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/str.h"
#include "../core/xalloc.h"

/* static const unsigned char NAME_sql[], generated from src/store/NAME.sql (see the Makefile) */
#include "migrate2_sql.h"
#include "schema_sql.h"

/* Migrations: entry i upgrades a database from user_version i to i + 1. */
static const struct {
    const unsigned char *sql;
    size_t len;
} migrations[STORE_SCHEMA_VERSION] = {
    { schema_sql, sizeof schema_sql },     /* 0 -> 1: the tables */
    { migrate2_sql, sizeof migrate2_sql }, /* 1 -> 2: records.ports */
};

#define BUSY_TIMEOUT_MS 10000
#define BUSY_TRIES 6 /* BEGIN or COMMIT attempts, each after a full busy timeout */
#define OPEN_TRIES 500 /* setup attempts, 10 ms apart, when another process holds the file */
#define STORE_MAX_EVIDENCE (1024 * 1024) /* one record's evidence text */

/* Fields that carry the device's own MAC address, in order of preference (docs/OBSERVATIONS.md). */
static const char *const mac_fields[] = { "mac.address", "sadp.mac", "dhip.mac" };

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_INSERT_RUN[] =
    "INSERT INTO runs (source, started, input, as_of, rules, host, version) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_END_RUN[] = "UPDATE runs SET finished = ?2, status = ?3 WHERE id = ?1";
static const char SQL_DEV_BY_MAC[] = "SELECT id FROM devices WHERE mac = ?1";
static const char SQL_DEV_KEYS[] = "SELECT mac, serial, address, name FROM devices WHERE id = ?1";
static const char SQL_DEV_SEEN[] = "UPDATE devices SET last_run = ?2 WHERE id = ?1";
/* A weaker key matches only a device whose stronger keys do not contradict the record's. */
static const char SQL_DEV_BY_SERIAL[] =
    "SELECT id FROM devices WHERE serial = ?1 AND (?2 IS NULL OR mac IS NULL OR mac = ?2) "
    "ORDER BY last_run DESC, id DESC LIMIT 1";
static const char SQL_DEV_BY_ADDRESS[] =
    "SELECT id FROM devices WHERE address = ?1 AND (?2 IS NULL OR mac IS NULL OR mac = ?2) "
    "AND (?3 IS NULL OR serial IS NULL OR serial = ?3) ORDER BY last_run DESC, id DESC LIMIT 1";
static const char SQL_DEV_BY_NAME[] =
    "SELECT id FROM devices WHERE name = ?1 AND (?2 IS NULL OR mac IS NULL OR mac = ?2) "
    "AND (?3 IS NULL OR serial IS NULL OR serial = ?3) "
    "AND (?4 IS NULL OR address IS NULL OR address = ?4) ORDER BY last_run DESC, id DESC LIMIT 1";
static const char SQL_DEV_INSERT[] =
    "INSERT INTO devices (mac, serial, address, name, first_run, last_run) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
static const char SQL_DEV_UPDATE[] =
    "UPDATE devices SET mac = coalesce(mac, ?2), serial = coalesce(?3, serial), "
    "address = coalesce(?4, address), name = coalesce(?5, name), last_run = ?6 WHERE id = ?1";
static const char SQL_SET_FIND[] = "SELECT id FROM obs_sets WHERE digest = ?1";
static const char SQL_SET_INSERT[] = "INSERT INTO obs_sets (digest, n) VALUES (?1, ?2)";
static const char SQL_OBS_INSERT[] =
    "INSERT INTO observations (set_id, seq, name, value, port, path, truncated) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_RECORD_INSERT[] =
    "INSERT INTO records (run_id, device_id, name, address, mac, file, row, obs_set, n_dropped, "
    "verdict, maker, brand, model, firmware, serial, confidence, explanation, evidence, "
    "far_contract, far_order, far_supplier, far_uei, far_cage, far_brand, far_model, "
    "far_description, ports) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)";

/* ---- small helpers ---------------------------------------------------------------------------- */

int store_fail(struct store *st, const char *what)
{
    snprintf(st->errmsg, sizeof st->errmsg, "%s: %s", what, sqlite3_errmsg(st->db));
    int code = sqlite3_extended_errcode(st->db) & 0xff;
    st->busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
    return UNMASK_EDB;
}

const char *store_errmsg(const struct store *st)
{
    return st && st->errmsg[0] ? st->errmsg : "no error";
}

int store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql)
{
    for (size_t i = 0; i < st->n_stmts; i++)
        if (st->stmts[i].sql == sql) {
            sqlite3_reset(st->stmts[i].stmt);
            sqlite3_clear_bindings(st->stmts[i].stmt);
            return st->stmts[i].stmt;
        }
    sqlite3_stmt *s;
    if (st->n_stmts == STORE_MAX_STMT ||
        sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        store_fail(st, "prepare");
        return NULL;
    }
    st->stmts[st->n_stmts].sql = sql;
    st->stmts[st->n_stmts].stmt = s;
    st->n_stmts++;
    return s;
}

/* Runs a statement that returns no rows (or whose rows do not matter). */
static int step_done(struct store *st, sqlite3_stmt *s, const char *what)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        ;
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? UNMASK_OK : store_fail(st, what);
}

/* Runs every statement of a script of len bytes (need not be NUL-terminated). */
static int exec_script(struct store *st, const char *sql, size_t len, const char *what)
{
    const char *p = sql, *end = sql + len;
    while (p < end) {
        sqlite3_stmt *s = NULL;
        const char *tail;
        if (sqlite3_prepare_v2(st->db, p, (int)(end - p), &s, &tail) != SQLITE_OK)
            return store_fail(st, what);
        p = tail;
        if (!s) /* only comments or blanks were left */
            continue;
        int rc = step_done(st, s, what);
        sqlite3_finalize(s);
        if (rc < 0)
            return rc;
    }
    return UNMASK_OK;
}

/* Begins a write transaction, waiting for other writers. */
static int tx_begin(struct store *st)
{
    sqlite3_stmt *s = store_stmt(st, SQL_BEGIN);
    if (!s)
        return UNMASK_EDB;
    for (int i = 0; i < BUSY_TRIES; i++) {
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc == SQLITE_DONE)
            return UNMASK_OK;
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
            break;
    }
    return store_fail(st, "begin");
}

static void tx_rollback(struct store *st)
{
    if (sqlite3_get_autocommit(st->db))
        return; /* SQLite already rolled back (for example after SQLITE_FULL) */
    sqlite3_stmt *s = store_stmt(st, SQL_ROLLBACK);
    if (s) {
        sqlite3_step(s);
        sqlite3_reset(s);
    }
}

static int tx_commit(struct store *st)
{
    sqlite3_stmt *s = store_stmt(st, SQL_COMMIT);
    if (!s) {
        tx_rollback(st);
        return UNMASK_EDB;
    }
    for (int i = 0; i < BUSY_TRIES; i++) {
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc == SQLITE_DONE)
            return UNMASK_OK;
        if ((rc & 0xff) != SQLITE_BUSY)
            break;
    }
    int rc = store_fail(st, "commit");
    tx_rollback(st);
    return rc;
}

/* The busy handler: SQLite's own (sqlite3_busy_timeout) backs off to sleeps of 100 ms, and a writer
 * that commits device after device then keeps the lock for as long as it runs while another waits
 * (one run in twenty of tests/integration/store_concurrent.sh never let the second writer in).
 * Trying again every millisecond, with the same total patience, lets the other writer in between
 * two commits. Each try sleeps at least 1 ms, so BUSY_TIMEOUT_MS tries take at least that long. */
static int busy_wait(void *arg, int tries)
{
    (void)arg;
    if (tries >= BUSY_TIMEOUT_MS)
        return 0;
    struct timespec t = { 0, 1000000 };
    nanosleep(&t, NULL);
    return 1;
}

/* Milliseconds of CLOCK_MONOTONIC, for batch ages. */
static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The time runs are stamped with: now, or $SOURCE_DATE_EPOCH when set (reproducible output, tests;
 * https://reproducible-builds.org/specs/source-date-epoch/). */
static void now_iso(char out[24])
{
    time_t t = time(NULL);
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e) {
        char *end;
        errno = 0;
        long long v = strtoll(e, &end, 10);
        if (!*end && !errno && v >= 0)
            t = (time_t)v;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* mkdir -p of path's parent folders, mode 0700 (XDG base directory specification). */
static int make_parents(const char *path)
{
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n >= sizeof buf)
        return UNMASK_ELIMIT;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return UNMASK_EIO;
        *p = '/';
    }
    return UNMASK_OK;
}

/* ---- opening ---------------------------------------------------------------------------------- */

int store_default_path(char *buf, size_t cap)
{
    const char *v;
    int n;
    if ((v = getenv("UNMASK_DB")) && *v)
        n = snprintf(buf, cap, "%s", v);
    else if ((v = getenv("XDG_DATA_HOME")) && *v == '/') /* relative values are ignored (spec) */
        n = snprintf(buf, cap, "%s/unmask/unmask.db", v);
    else if ((v = getenv("HOME")) && *v)
        n = snprintf(buf, cap, "%s/.local/share/unmask/unmask.db", v);
    else
        return UNMASK_ENOENT;
    return n < 0 || (size_t)n >= cap ? UNMASK_ELIMIT : UNMASK_OK;
}

static int pragma_int(struct store *st, const char *sql, int *out)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return store_fail(st, sql);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? UNMASK_OK : store_fail(st, sql);
}

static int migrate(struct store *st)
{
    int v;
    int rc = pragma_int(st, "PRAGMA user_version", &v);
    if (rc < 0)
        return rc;
    if (v == STORE_SCHEMA_VERSION)
        return UNMASK_OK;
    if (v > STORE_SCHEMA_VERSION || v < 0) {
        snprintf(st->errmsg, sizeof st->errmsg,
                 "the database has schema version %d; this unmask reads up to %d (a newer unmask "
                 "wrote it)", v, STORE_SCHEMA_VERSION);
        return UNMASK_EDB;
    }
    /* Re-read under the write lock: another process may have migrated meanwhile. */
    if ((rc = tx_begin(st)) < 0)
        return rc;
    if ((rc = pragma_int(st, "PRAGMA user_version", &v)) < 0)
        goto fail;
    for (; v < STORE_SCHEMA_VERSION; v++) {
        char what[48], set[48];
        snprintf(what, sizeof what, "migration to schema %d", v + 1);
        rc = exec_script(st, (const char *)migrations[v].sql, migrations[v].len, what);
        if (rc < 0)
            goto fail;
        snprintf(set, sizeof set, "PRAGMA user_version = %d", v + 1);
        if ((rc = exec_script(st, set, strlen(set), what)) < 0)
            goto fail;
    }
    return tx_commit(st);
fail:
    tx_rollback(st);
    return rc;
}

int store_open(const char *path, int flags, struct store **out)
{
    *out = NULL;
    bool memory = !strcmp(path, ":memory:");
    if (!memory) {
        struct stat sb;
        if (stat(path, &sb) != 0) {
            if (errno != ENOENT)
                return UNMASK_EIO;
            if (!(flags & STORE_CREATE))
                return UNMASK_ENOENT;
            if (make_parents(path) < 0)
                return UNMASK_EIO;
            /* Created here so that it (and SQLite's -wal and -shm files, which copy its mode) is
             * private: a scan history maps a network. EEXIST: another process won the race. */
            int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd >= 0)
                close(fd);
            else if (errno != EEXIST)
                return UNMASK_EIO;
        } else if (!S_ISREG(sb.st_mode)) {
            return UNMASK_EIO;
        }
    }
    struct store *st = xcalloc(1, sizeof *st);
    st->batch_max = 1;
    *out = st;
    int oflags = SQLITE_OPEN_READWRITE | (memory ? SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY : 0);
    if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK)
        return store_fail(st, "open");
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_handler(st->db, busy_wait, NULL);
    /* wal_autocheckpoint: a checkpoint (which syncs the file) every few thousand devices rather
     * than every hundred, since each per-device commit writes several pages. */
    static const char setup[] = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                                "PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 16384;";
    /* Two processes that create the database at once: switching the new file to WAL, or reading its
     * schema version while the other migrates, can meet SQLITE_BUSY without the busy handler being
     * asked (SQLite does not wait where waiting could deadlock); the loser tries again (seen in about
     * one run in fifteen of tests/integration/store_concurrent.sh before this loop). */
    int rc;
    for (int i = 0;; i++) {
        st->busy = false;
        rc = exec_script(st, setup, sizeof setup - 1, "open");
        if (rc == UNMASK_OK)
            rc = migrate(st);
        if (rc == UNMASK_OK || !st->busy || i == OPEN_TRIES)
            break;
        struct timespec t = { 0, 10 * 1000000 };
        nanosleep(&t, NULL);
    }
    if (rc < 0)
        return rc;
    sbuf_init(&st->evidence, STORE_MAX_EVIDENCE);
    sbuf_init(&st->ports, STORE_MAX_EVIDENCE);
    st->md = EVP_MD_CTX_new();
    if (!st->md) {
        snprintf(st->errmsg, sizeof st->errmsg, "out of memory");
        return UNMASK_EDB;
    }
    return UNMASK_OK;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    store_commit(st); /* the records of an open batch are complete: keep them */
    for (size_t i = 0; i < st->n_stmts; i++)
        sqlite3_finalize(st->stmts[i].stmt);
    sqlite3_close(st->db);
    if (st->evidence.p)
        sbuf_deinit(&st->evidence);
    if (st->ports.p)
        sbuf_deinit(&st->ports);
    EVP_MD_CTX_free(st->md);
    free(st);
}

/* ---- runs ------------------------------------------------------------------------------------- */

int store_begin_run(struct store *st, const struct store_run_meta *m, long long *run_id)
{
    static const char *const sources[] = { "scan", "identify", "inventory", "import" };
    bool known = false;
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++)
        known |= m->source && !strcmp(m->source, sources[i]);
    if (!known || st->run || !m->kb) {
        snprintf(st->errmsg, sizeof st->errmsg, "begin run: %s",
                 st->run ? "a run is already open" : "unknown source or no knowledge");
        return UNMASK_EUSAGE;
    }
    char started[24], as_of[16], host[256] = "";
    now_iso(started);
    snprintf(as_of, sizeof as_of, "%04d-%02d-%02d", m->as_of / 10000 % 10000, m->as_of / 100 % 100,
             m->as_of % 100);
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    int rc = tx_begin(st);
    if (rc < 0)
        return rc;
    sqlite3_stmt *s = store_stmt(st, SQL_INSERT_RUN);
    if (!s) {
        tx_rollback(st);
        return UNMASK_EDB;
    }
    store_bind_text(s, 1, m->source);
    store_bind_text(s, 2, started);
    store_bind_text(s, 3, m->input);
    store_bind_text(s, 4, m->as_of > 0 ? as_of : NULL);
    store_bind_text(s, 5, m->rules);
    store_bind_text(s, 6, host[0] ? host : NULL);
#ifdef UNMASK_VERSION
    store_bind_text(s, 7, UNMASK_VERSION);
#endif
    if ((rc = step_done(st, s, "begin run")) < 0) {
        tx_rollback(st);
        return rc;
    }
    long long id = sqlite3_last_insert_rowid(st->db);
    if ((rc = tx_commit(st)) < 0)
        return rc;
    st->run = id;
    st->kb = m->kb;
    *run_id = id;
    return UNMASK_OK;
}

int store_end_run(struct store *st, long long run_id, enum store_run_status status)
{
    static const char *const names[] = { "complete", "partial", "failed" };
    if (run_id != st->run || (unsigned)status > STORE_RUN_FAILED) {
        snprintf(st->errmsg, sizeof st->errmsg, "end run: run %lld is not open", run_id);
        return UNMASK_EUSAGE;
    }
    char finished[24];
    now_iso(finished);
    int rc = store_commit(st);
    if (rc < 0 || (rc = tx_begin(st)) < 0)
        return rc;
    sqlite3_stmt *s = store_stmt(st, SQL_END_RUN);
    if (!s) {
        tx_rollback(st);
        return UNMASK_EDB;
    }
    sqlite3_bind_int64(s, 1, run_id);
    store_bind_text(s, 2, finished);
    store_bind_text(s, 3, names[status]);
    if ((rc = step_done(st, s, "end run")) < 0) {
        tx_rollback(st);
        return rc;
    }
    if ((rc = tx_commit(st)) < 0)
        return rc;
    st->run = 0;
    st->kb = NULL;
    return UNMASK_OK;
}

/* ---- recording -------------------------------------------------------------------------------- */

bool store_mac_normalise(const char *s, size_t n, char out[18])
{
    int digits = 0;
    unsigned char b[6] = { 0 };
    char sep = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int h = str_hexval(c);
        if (h >= 0) {
            if (digits == 12)
                return false;
            b[digits / 2] = (unsigned char)(b[digits / 2] << 4 | h);
            digits++;
            continue;
        }
        /* One kind of separator, never first, last or doubled. */
        if ((c != ':' && c != '-' && c != '.') || (sep && c != sep) || i == 0 || i + 1 == n ||
            s[i + 1] == c)
            return false;
        sep = c;
    }
    if (digits != 12)
        return false;
    bool zero = true, ones = true;
    for (int i = 0; i < 6; i++) {
        zero &= b[i] == 0;
        ones &= b[i] == 0xff;
    }
    if (zero || ones)
        return false;
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
    return true;
}

/* The device's MAC: the source's own (x->mac), else the first well-formed one among its
 * observations. */
static bool device_mac(const struct device *d, const struct report_extra *x, char out[18])
{
    if (x && x->mac && store_mac_normalise(x->mac, strlen(x->mac), out))
        return true;
    for (size_t f = 0; f < sizeof mac_fields / sizeof *mac_fields; f++)
        for (size_t i = 0; i < d->n_obs; i++) {
            const struct observation *o = &d->obs[i];
            if (o->derived_from < 0 && !strcmp(o->name, mac_fields[f]) &&
                store_mac_normalise(o->value, o->value_len, out))
                return true;
        }
    return false;
}

static void digest_u64(EVP_MD_CTX *md, unsigned long long v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    EVP_DigestUpdate(md, b, sizeof b);
}

static void digest_str(EVP_MD_CTX *md, const char *s, size_t n)
{
    digest_u64(md, n);
    EVP_DigestUpdate(md, s, n);
}

/* SHA-256 of the source observations, each as length-prefixed name, value and path plus port and
 * flags, so that two sets hash alike exactly when they hold the same facts in the same order. */
static int obs_digest(struct store *st, const struct device *d, unsigned char out[32], long *n)
{
    EVP_MD_CTX *md = st->md;
    unsigned int len = 0;
    *n = 0;
    if (!EVP_DigestInit_ex(md, EVP_sha256(), NULL))
        goto fail;
    for (size_t i = 0; i < d->n_obs; i++) {
        const struct observation *o = &d->obs[i];
        if (o->derived_from >= 0)
            continue;
        digest_str(md, o->name, strlen(o->name));
        digest_str(md, o->value, o->value_len);
        digest_u64(md, o->path ? strlen(o->path) + 1 : 0);
        if (o->path)
            EVP_DigestUpdate(md, o->path, strlen(o->path));
        digest_u64(md, (unsigned long long)(o->port + 1));
        digest_u64(md, o->truncated);
        (*n)++;
    }
    if (!EVP_DigestFinal_ex(md, out, &len) || len != 32)
        goto fail;
    return UNMASK_OK;
fail:
    snprintf(st->errmsg, sizeof st->errmsg, "SHA-256 failed");
    return UNMASK_EDB;
}

/* Returns the id of the stored observation set with this digest, storing it first if new. */
static int obs_set(struct store *st, const struct device *d, const unsigned char dg[32], long n,
                   long long *id)
{
    sqlite3_stmt *s = store_stmt(st, SQL_SET_FIND);
    if (!s)
        return UNMASK_EDB;
    sqlite3_bind_blob(s, 1, dg, 32, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        return UNMASK_OK;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_fail(st, "find observations");
    if (!(s = store_stmt(st, SQL_SET_INSERT)))
        return UNMASK_EDB;
    sqlite3_bind_blob(s, 1, dg, 32, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, n);
    if ((rc = step_done(st, s, "store observations")) < 0)
        return rc;
    *id = sqlite3_last_insert_rowid(st->db);
    long seq = 0;
    for (size_t i = 0; i < d->n_obs; i++) {
        const struct observation *o = &d->obs[i];
        if (o->derived_from >= 0)
            continue;
        if (!(s = store_stmt(st, SQL_OBS_INSERT)))
            return UNMASK_EDB;
        sqlite3_bind_int64(s, 1, *id);
        sqlite3_bind_int64(s, 2, seq++);
        store_bind_text(s, 3, o->name);
        sqlite3_bind_text(s, 4, o->value, (int)o->value_len, SQLITE_STATIC);
        if (o->port >= 0)
            sqlite3_bind_int(s, 5, o->port);
        store_bind_text(s, 6, o->path);
        sqlite3_bind_int(s, 7, o->truncated);
        if ((rc = step_done(st, s, "store observations")) < 0)
            return rc;
    }
    return UNMASK_OK;
}

struct keys {
    const char *mac, *serial, *address, *name;
};

/* Looks the device up by its strongest key; a weaker key only matches a device whose stronger keys
 * agree or are unknown. *id is 0 when it is new. */
static int device_find(struct store *st, const struct keys *k, long long *id)
{
    static const char *const sql[] = { SQL_DEV_BY_MAC, SQL_DEV_BY_SERIAL, SQL_DEV_BY_ADDRESS,
                                       SQL_DEV_BY_NAME };
    const char *key[] = { k->mac, k->serial, k->address, k->name };
    *id = 0;
    for (int i = 0; i < 4; i++) {
        if (!key[i])
            continue;
        sqlite3_stmt *s = store_stmt(st, sql[i]);
        if (!s)
            return UNMASK_EDB;
        store_bind_text(s, 1, key[i]);
        for (int j = 0; j < i; j++) /* the stronger keys, as conditions */
            store_bind_text(s, j + 2, key[j]);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            *id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return store_fail(st, "find device");
        if (*id)
            return UNMASK_OK;
        /* Not found: a weaker key may still find it (a MAC seen for the first time, say). */
    }
    return UNMASK_OK;
}

static bool same_text(const unsigned char *a, const char *b)
{
    return !b || (a && !strcmp((const char *)a, b));
}

/* True if the stored device's keys already say what k says (the usual case on a later run): then
 * only last_run changes, and its indexes are not rewritten. */
static int device_unchanged(struct store *st, long long id, const struct keys *k, bool *same)
{
    sqlite3_stmt *s = store_stmt(st, SQL_DEV_KEYS);
    if (!s)
        return UNMASK_EDB;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    *same = rc == SQLITE_ROW && same_text(sqlite3_column_text(s, 0), k->mac) &&
            same_text(sqlite3_column_text(s, 1), k->serial) &&
            same_text(sqlite3_column_text(s, 2), k->address) &&
            same_text(sqlite3_column_text(s, 3), k->name);
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? UNMASK_OK : store_fail(st, "find device");
}

static int device_upsert(struct store *st, const struct keys *k, long long *id)
{
    int rc = device_find(st, k, id);
    if (rc < 0)
        return rc;
    bool same = false;
    if (*id && (rc = device_unchanged(st, *id, k, &same)) < 0)
        return rc;
    if (same) {
        sqlite3_stmt *s = store_stmt(st, SQL_DEV_SEEN);
        if (!s)
            return UNMASK_EDB;
        sqlite3_bind_int64(s, 1, *id);
        sqlite3_bind_int64(s, 2, st->run);
        return step_done(st, s, "store device");
    }
    sqlite3_stmt *s = store_stmt(st, *id ? SQL_DEV_UPDATE : SQL_DEV_INSERT);
    if (!s)
        return UNMASK_EDB;
    int b = *id ? 2 : 1;
    if (*id)
        sqlite3_bind_int64(s, 1, *id);
    store_bind_text(s, b, k->mac);
    store_bind_text(s, b + 1, k->serial);
    store_bind_text(s, b + 2, k->address);
    store_bind_text(s, b + 3, k->name);
    sqlite3_bind_int64(s, b + 4, st->run);
    if ((rc = step_done(st, s, "store device")) < 0)
        return rc;
    if (!*id)
        *id = sqlite3_last_insert_rowid(st->db);
    return UNMASK_OK;
}

/* The stored index of d->obs[i]: its rank among the source's (non-derived) observations. */
static long stored_index(const struct device *d, int i)
{
    long n = 0;
    for (int k = 0; k < i; k++)
        n += d->obs[k].derived_from < 0;
    return n;
}

/* The evidence in the compact form of schema.sql: RULE@N:STRENGTH, RULE@N.d:STRENGTH for a derived
 * observation, ~BRAND>MAKER:STRENGTH for an OEM relationship; ! marks conflicting evidence. Rule,
 * brand and maker names are identifiers ([a-z0-9._-]), so the text needs no quoting. */
static void evidence_text(struct sbuf *b, const struct kb *kb, const struct device *d,
                          const struct verdict *v)
{
    sbuf_reset(b);
    for (size_t i = 0; i < v->n_ev; i++) {
        const struct evidence *ev = &v->ev[i];
        if (i)
            sbuf_addc(b, ' ');
        if (ev->rule == EV_RULE_RELATIONSHIP) {
            const struct kb_rel *r = &kb->brands[ev->brand].oems[ev->rel];
            sbuf_printf(b, "~%s>%s", kb->brands[ev->brand].slug, kb->makers[r->maker].slug);
        } else {
            const struct observation *o = &d->obs[ev->obs];
            bool derived = o->derived_from >= 0;
            sbuf_printf(b, "%s@%ld%s", kb->rules[ev->rule].id,
                        stored_index(d, derived ? o->derived_from : ev->obs), derived ? ".d" : "");
        }
        sbuf_printf(b, ":%s%s", kb_strength_name(ev->strength), ev->conflicting ? "!" : "");
    }
}

/* Appends s with the characters that separate items and fields (space, '/', ':') replaced. */
static void add_token(struct sbuf *b, const char *s)
{
    for (; s && *s; s++)
        sbuf_addc(b, *s == ' ' || *s == '/' || *s == ':' || (unsigned char)*s < 0x20 ? '_' : *s);
}

/* The scan's open ports in the compact form of migrate2.sql: PORT/PROTO:SERVICE, space-separated. */
static void ports_text(struct sbuf *b, const struct report_extra *x)
{
    sbuf_reset(b);
    for (size_t i = 0; i < x->n_ports; i++) {
        sbuf_printf(b, "%s%d/", i ? " " : "", x->ports[i].port);
        add_token(b, x->ports[i].proto ? x->ports[i].proto : "tcp");
        sbuf_addc(b, ':');
        add_token(b, x->ports[i].service ? x->ports[i].service : "unknown");
    }
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

int store_record(struct store *st, long long run_id, const struct device *d, const struct verdict *v,
                 const struct report_extra *x)
{
    if (!st->run || run_id != st->run) {
        snprintf(st->errmsg, sizeof st->errmsg, "record: run %lld is not open", run_id);
        return UNMASK_EUSAGE;
    }
    const struct kb *kb = st->kb;
    char mac[18];
    struct keys k = {
        .mac = device_mac(d, x, mac) ? mac : NULL,
        .serial = nonempty(v->serial),
        .address = x ? nonempty(x->address) : NULL,
        .name = nonempty(d->id),
    };
    unsigned char dg[32];
    long n_obs;
    int rc = obs_digest(st, d, dg, &n_obs);
    if (rc < 0)
        return rc;
    evidence_text(&st->evidence, kb, d, v);

    if (!st->batch_n) {
        if ((rc = tx_begin(st)) < 0)
            return rc;
        st->batch_start = now_ms();
    }
    st->batch_n++;
    long long device_id = 0, set_id = 0;
    if ((rc = device_upsert(st, &k, &device_id)) < 0 || (rc = obs_set(st, d, dg, n_obs, &set_id)) < 0)
        goto fail;
    sqlite3_stmt *s = store_stmt(st, SQL_RECORD_INSERT);
    if (!s) {
        rc = UNMASK_EDB;
        goto fail;
    }
    sqlite3_bind_int64(s, 1, st->run);
    sqlite3_bind_int64(s, 2, device_id);
    store_bind_text(s, 3, d->id);
    store_bind_text(s, 4, x ? x->address : NULL);
    store_bind_text(s, 5, k.mac);
    store_bind_text(s, 6, x ? x->file : NULL);
    if (x && x->row > 0)
        sqlite3_bind_int64(s, 7, x->row);
    sqlite3_bind_int64(s, 8, set_id);
    sqlite3_bind_int64(s, 9, (long long)d->n_dropped);
    store_bind_text(s, 10, verdict_kind_name(v->kind));
    store_bind_text(s, 11, v->maker >= 0 ? kb->makers[v->maker].slug : NULL);
    store_bind_text(s, 12, v->brand >= 0 ? kb->brands[v->brand].name : NULL);
    store_bind_text(s, 13, v->model);
    store_bind_text(s, 14, v->firmware);
    store_bind_text(s, 15, v->serial);
    sqlite3_bind_double(s, 16, v->confidence);
    store_bind_text(s, 17, v->explanation);
    sqlite3_bind_text(s, 18, st->evidence.p, (int)st->evidence.len, SQLITE_STATIC);
    const struct report_far *far = x ? x->far : NULL;
    if (far) {
        const char *f[] = { far->contract, far->order, far->supplier, far->supplier_uei, far->cage,
                            far->brand, far->model, far->description };
        for (int i = 0; i < 8; i++)
            store_bind_text(s, 19 + i, f[i]);
    }
    if (x && x->n_ports) {
        ports_text(&st->ports, x);
        sqlite3_bind_text(s, 27, st->ports.p, (int)st->ports.len, SQLITE_STATIC);
    }
    if ((rc = step_done(st, s, "store record")) < 0)
        goto fail;
    if (st->batch_n < st->batch_max && now_ms() - st->batch_start < st->batch_ms)
        return 0;
    return store_commit(st);
fail:
    tx_rollback(st);
    st->batch_n = 0;
    return rc;
}

void store_set_batch(struct store *st, int records, int ms)
{
    st->batch_max = records > 1 ? records : 1;
    st->batch_ms = ms > 0 ? ms : 0;
}

int store_commit(struct store *st)
{
    if (!st->batch_n)
        return 0;
    st->batch_n = 0;
    int rc = tx_commit(st);
    return rc < 0 ? rc : 1;
}
