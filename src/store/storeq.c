/* storeq.c: reading the history back: runs, devices, differences between runs, and the devices of
 * one run rebuilt for a report (store.h). Every query runs inside one read transaction, so it sees
 * one consistent snapshot even while another process records (WAL readers do not block writers). */
#include <string.h>

#include "../core/err.h"
#include "store-int.h"

/* The columns of struct store_row, for a record `c` of a run `r`. */
#define ROW_COLS(c, r)                                                                             \
    c ".id, " c ".run_id, " c ".device_id, " c ".name, " c ".address, " c ".mac, " c ".file, " c  \
    ".row, " c ".verdict, " c ".maker, " c ".brand, " c ".model, " c ".firmware, " c ".serial, " c \
    ".confidence, " r ".started, " c ".explanation, " c ".evidence, " c ".far_contract, " c     \
    ".far_order, " c ".far_supplier, " c ".far_uei, " c ".far_cage, " c ".far_brand, " c         \
    ".far_model, " c ".far_description, " c ".ports"
#define ROW_NCOLS 27

static const char SQL_READ_BEGIN[] = "BEGIN";
static const char SQL_READ_END[] = "COMMIT";
static const char SQL_RUNS[] =
    "SELECT id, source, started, finished, status, input, as_of, rules, host, version, "
    "(SELECT count(*) FROM records WHERE run_id = runs.id) "
    "FROM runs WHERE ?1 = 0 OR id = ?1 ORDER BY id";
static const char SQL_RUN_COUNTS[] =
    "SELECT verdict, count(*) FROM records WHERE run_id = ?1 GROUP BY verdict";
static const char SQL_RUN_SOURCE[] = "SELECT source FROM runs WHERE id = ?1";
static const char SQL_LAST_RUN[] =
    "SELECT id, source FROM runs WHERE finished IS NOT NULL ORDER BY id DESC LIMIT 1";
static const char SQL_PREV_RUN[] =
    "SELECT id FROM runs WHERE finished IS NOT NULL AND source = ?1 AND id < ?2 "
    "ORDER BY id DESC LIMIT 1";
static const char SQL_DEVICES[] =
    "SELECT " ROW_COLS("c", "r") ", fr.started, d.first_run FROM devices d "
    "JOIN records c ON c.id = (SELECT max(id) FROM records WHERE device_id = d.id) "
    "JOIN runs r ON r.id = c.run_id JOIN runs fr ON fr.id = d.first_run "
    "WHERE (?1 IS NULL OR c.verdict = ?1) AND (?2 IS NULL OR c.maker = ?2) "
    "AND (?3 IS NULL OR r.started >= ?3) ORDER BY coalesce(c.name, ''), d.id";

/* Each device's last record in run ?1 (a) and in run ?2 (b). */
#define DIFF_WITH                                                                                  \
    "WITH a AS (SELECT * FROM records WHERE id IN "                                                \
    "(SELECT max(id) FROM records WHERE run_id = ?1 GROUP BY device_id)), "                        \
    "b AS (SELECT * FROM records WHERE id IN "                                                     \
    "(SELECT max(id) FROM records WHERE run_id = ?2 GROUP BY device_id)) "
static const char SQL_DIFF_NEW[] = DIFF_WITH "SELECT " ROW_COLS("b", "rb") " FROM b "
    "JOIN runs rb ON rb.id = b.run_id WHERE b.device_id NOT IN (SELECT device_id FROM a) "
    "ORDER BY coalesce(b.name, ''), b.device_id";
static const char SQL_DIFF_GONE[] = DIFF_WITH "SELECT " ROW_COLS("a", "ra") " FROM a "
    "JOIN runs ra ON ra.id = a.run_id WHERE a.device_id NOT IN (SELECT device_id FROM b) "
    "ORDER BY coalesce(a.name, ''), a.device_id";
static const char SQL_DIFF_CHANGED[] = DIFF_WITH "SELECT " ROW_COLS("a", "ra") ", " ROW_COLS("b", "rb")
    " FROM a JOIN b ON b.device_id = a.device_id JOIN runs ra ON ra.id = a.run_id "
    "JOIN runs rb ON rb.id = b.run_id WHERE a.verdict IS NOT b.verdict OR a.maker IS NOT b.maker "
    "OR a.brand IS NOT b.brand OR a.firmware IS NOT b.firmware "
    "ORDER BY coalesce(b.name, ''), b.device_id";
static const char SQL_RUN_RECORDS[] =
    "SELECT " ROW_COLS("c", "r") ", c.obs_set, c.n_dropped FROM records c "
    "JOIN runs r ON r.id = c.run_id WHERE c.run_id = ?1 ORDER BY c.id";
static const char SQL_SET_OBS[] =
    "SELECT name, value, port, path, truncated FROM observations WHERE set_id = ?1 ORDER BY seq";

static const char *col(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

static void row_read(sqlite3_stmt *s, int base, struct store_row *r)
{
    memset(r, 0, sizeof *r);
    r->record_id = sqlite3_column_int64(s, base + 0);
    r->run_id = sqlite3_column_int64(s, base + 1);
    r->device_id = sqlite3_column_int64(s, base + 2);
    r->name = col(s, base + 3);
    r->address = col(s, base + 4);
    r->mac = col(s, base + 5);
    r->file = col(s, base + 6);
    r->row = (long)sqlite3_column_int64(s, base + 7);
    r->verdict = col(s, base + 8);
    r->maker = col(s, base + 9);
    r->brand = col(s, base + 10);
    r->model = col(s, base + 11);
    r->firmware = col(s, base + 12);
    r->serial = col(s, base + 13);
    r->confidence = sqlite3_column_double(s, base + 14);
    r->seen = col(s, base + 15);
    r->explanation = col(s, base + 16);
    r->evidence = col(s, base + 17);
    const char **far[] = { &r->far.contract, &r->far.order, &r->far.supplier, &r->far.supplier_uei,
                           &r->far.cage, &r->far.brand, &r->far.model, &r->far.description };
    for (int i = 0; i < 8; i++)
        if ((*far[i] = col(s, base + 18 + i)) != NULL)
            r->has_far = true;
    r->ports = col(s, base + 26);
}

static int read_begin(struct store *st)
{
    sqlite3_stmt *s = store_stmt(st, SQL_READ_BEGIN);
    if (!s)
        return UNMASK_EDB;
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? UNMASK_OK : store_fail(st, "read");
}

/* Ends the read transaction; keeps rc (the query's result) unless ending fails. */
static int read_end(struct store *st, int rc)
{
    sqlite3_stmt *s = store_stmt(st, SQL_READ_END);
    if (!s)
        return rc < 0 ? rc : UNMASK_EDB;
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    if (r != SQLITE_DONE && rc == UNMASK_OK)
        return store_fail(st, "read");
    return rc;
}

/* Steps s to the end, calling each(row) per row; stops on a non-zero result. */
static int each_row(struct store *st, sqlite3_stmt *s, int (*each)(struct store *st, sqlite3_stmt *s,
                                                                     void *arg),
                    void *arg)
{
    int rc, r = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if ((r = each(st, s, arg)) != 0)
            break;
    sqlite3_reset(s);
    if (r != 0)
        return r;
    return rc == SQLITE_DONE ? UNMASK_OK : store_fail(st, "query");
}

static int run_exists(struct store *st, long long id)
{
    sqlite3_stmt *s = store_stmt(st, SQL_RUN_SOURCE);
    if (!s)
        return UNMASK_EDB;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_ROW)
        return UNMASK_OK;
    if (rc == SQLITE_DONE) {
        snprintf(st->errmsg, sizeof st->errmsg, "there is no run %lld", id);
        return UNMASK_ENOENT;
    }
    return store_fail(st, "find run");
}

/* ---- runs ------------------------------------------------------------------------------------- */

struct runs_arg {
    int (*cb)(void *ctx, const struct store_run *r);
    void *ctx;
    long n;
};

static int runs_each(struct store *st, sqlite3_stmt *s, void *arg)
{
    struct runs_arg *a = arg;
    struct store_run r = {
        .id = sqlite3_column_int64(s, 0),
        .source = col(s, 1),
        .started = col(s, 2),
        .finished = col(s, 3),
        .status = col(s, 4),
        .input = col(s, 5),
        .as_of = col(s, 6),
        .rules = col(s, 7),
        .host = col(s, 8),
        .version = col(s, 9),
        .n_records = (long)sqlite3_column_int64(s, 10),
    };
    sqlite3_stmt *c = store_stmt(st, SQL_RUN_COUNTS);
    if (!c)
        return UNMASK_EDB;
    sqlite3_bind_int64(c, 1, r.id);
    int rc;
    while ((rc = sqlite3_step(c)) == SQLITE_ROW) {
        const char *k = col(c, 0);
        int kind = k ? verdict_kind_parse(k) : -1;
        if (kind >= 0)
            r.counts[kind] = (long)sqlite3_column_int64(c, 1);
    }
    sqlite3_reset(c);
    if (rc != SQLITE_DONE)
        return store_fail(st, "count run");
    a->n++;
    return a->cb(a->ctx, &r);
}

int store_runs(struct store *st, long long id, int (*cb)(void *ctx, const struct store_run *r),
               void *ctx)
{
    int rc = read_begin(st);
    if (rc < 0)
        return rc;
    sqlite3_stmt *s = store_stmt(st, SQL_RUNS);
    if (!s)
        return read_end(st, UNMASK_EDB);
    sqlite3_bind_int64(s, 1, id > 0 ? id : 0);
    struct runs_arg a = { cb, ctx, 0 };
    rc = each_row(st, s, runs_each, &a);
    if (rc == UNMASK_OK && id > 0 && a.n == 0) {
        snprintf(st->errmsg, sizeof st->errmsg, "there is no run %lld", id);
        rc = UNMASK_ENOENT;
    }
    return read_end(st, rc);
}

int store_last_runs(struct store *st, long long *a, long long *b)
{
    int rc = read_begin(st);
    if (rc < 0)
        return rc;
    char source[32] = "";
    *a = 0;
    sqlite3_stmt *s = store_stmt(st, *b > 0 ? SQL_RUN_SOURCE : SQL_LAST_RUN);
    if (!s)
        return read_end(st, UNMASK_EDB);
    if (*b > 0)
        sqlite3_bind_int64(s, 1, *b);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *src = col(s, *b > 0 ? 0 : 1);
        snprintf(source, sizeof source, "%s", src ? src : "");
        if (*b <= 0)
            *b = sqlite3_column_int64(s, 0);
    } else if (rc == SQLITE_DONE) {
        *b = 0;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return read_end(st, store_fail(st, "find runs"));
    if (*b > 0) {
        if (!(s = store_stmt(st, SQL_PREV_RUN)))
            return read_end(st, UNMASK_EDB);
        store_bind_text(s, 1, source);
        sqlite3_bind_int64(s, 2, *b);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            *a = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return read_end(st, store_fail(st, "find runs"));
    }
    return read_end(st, UNMASK_OK);
}

/* ---- devices ---------------------------------------------------------------------------------- */

struct rows_arg {
    int (*cb)(void *ctx, const struct store_row *r);
    void *ctx;
};

static int devices_each(struct store *st, sqlite3_stmt *s, void *arg)
{
    (void)st;
    struct rows_arg *a = arg;
    struct store_row r;
    row_read(s, 0, &r);
    r.first_seen = col(s, ROW_NCOLS);
    r.first_run = sqlite3_column_int64(s, ROW_NCOLS + 1);
    return a->cb(a->ctx, &r);
}

int store_devices(struct store *st, const struct store_filter *f,
                  int (*cb)(void *ctx, const struct store_row *r), void *ctx)
{
    int rc = read_begin(st);
    if (rc < 0)
        return rc;
    sqlite3_stmt *s = store_stmt(st, SQL_DEVICES);
    if (!s)
        return read_end(st, UNMASK_EDB);
    if (f) {
        store_bind_text(s, 1, f->verdict);
        store_bind_text(s, 2, f->maker);
        store_bind_text(s, 3, f->since);
    }
    struct rows_arg a = { cb, ctx };
    return read_end(st, each_row(st, s, devices_each, &a));
}

/* ---- diff ------------------------------------------------------------------------------------- */

struct diff_arg {
    int (*cb)(void *ctx, const struct store_diff_entry *e);
    void *ctx;
    enum store_change kind;
};

static bool differ(const char *x, const char *y)
{
    return (x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0);
}

static int diff_each(struct store *st, sqlite3_stmt *s, void *arg)
{
    (void)st;
    struct diff_arg *a = arg;
    struct store_row ra, rb;
    struct store_diff_entry e = { .kind = a->kind };
    row_read(s, 0, a->kind == STORE_NEW ? &rb : &ra);
    if (a->kind == STORE_CHANGED) {
        row_read(s, ROW_NCOLS, &rb);
        e.fields = (differ(ra.verdict, rb.verdict) ? STORE_F_VERDICT : 0) |
                   (differ(ra.maker, rb.maker) ? STORE_F_MAKER : 0) |
                   (differ(ra.brand, rb.brand) ? STORE_F_BRAND : 0) |
                   (differ(ra.firmware, rb.firmware) ? STORE_F_FIRMWARE : 0);
    }
    e.a = a->kind == STORE_NEW ? NULL : &ra;
    e.b = a->kind == STORE_GONE ? NULL : &rb;
    return a->cb(a->ctx, &e);
}

int store_diff(struct store *st, long long a, long long b,
               int (*cb)(void *ctx, const struct store_diff_entry *e), void *ctx)
{
    int rc = read_begin(st);
    if (rc < 0)
        return rc;
    if ((rc = run_exists(st, a)) < 0 || (rc = run_exists(st, b)) < 0)
        return read_end(st, rc);
    static const struct {
        const char *sql;
        enum store_change kind;
    } q[] = { { SQL_DIFF_NEW, STORE_NEW }, { SQL_DIFF_GONE, STORE_GONE },
              { SQL_DIFF_CHANGED, STORE_CHANGED } };
    for (size_t i = 0; i < sizeof q / sizeof *q && rc == UNMASK_OK; i++) {
        sqlite3_stmt *s = store_stmt(st, q[i].sql);
        if (!s)
            return read_end(st, UNMASK_EDB);
        sqlite3_bind_int64(s, 1, a);
        sqlite3_bind_int64(s, 2, b);
        struct diff_arg da = { cb, ctx, q[i].kind };
        rc = each_row(st, s, diff_each, &da);
    }
    return read_end(st, rc);
}

/* ---- the devices of one run ------------------------------------------------------------------- */

struct records_arg {
    int (*cb)(void *ctx, const struct store_row *r, struct device *d);
    void *ctx;
    struct device *d;
};

static int records_each(struct store *st, sqlite3_stmt *s, void *arg)
{
    struct records_arg *a = arg;
    struct store_row r;
    row_read(s, 0, &r);
    long long set = sqlite3_column_int64(s, ROW_NCOLS);
    struct device *d = a->d;
    obs_device_reset(d);
    if (r.name)
        obs_device_set_id(d, r.name, strlen(r.name));
    sqlite3_stmt *o = store_stmt(st, SQL_SET_OBS);
    if (!o)
        return UNMASK_EDB;
    sqlite3_bind_int64(o, 1, set);
    int rc;
    while ((rc = sqlite3_step(o)) == SQLITE_ROW) {
        const char *name = col(o, 0), *value = col(o, 1), *path = col(o, 3);
        size_t value_len = (size_t)sqlite3_column_bytes(o, 1);
        if (!name || !value)
            continue;
        int port = sqlite3_column_type(o, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(o, 2);
        int i = obs_add(d, name, strlen(name), value, value_len, path, path ? strlen(path) : 0,
                        port);
        if (i >= 0 && sqlite3_column_int(o, 4))
            d->obs[i].truncated = true;
    }
    sqlite3_reset(o);
    if (rc != SQLITE_DONE)
        return store_fail(st, "read observations");
    d->n_dropped += (size_t)sqlite3_column_int64(s, ROW_NCOLS + 1);
    return a->cb(a->ctx, &r, d);
}

int store_run_devices(struct store *st, long long run, struct device *d,
                      int (*cb)(void *ctx, const struct store_row *r, struct device *d), void *ctx)
{
    int rc = read_begin(st);
    if (rc < 0)
        return rc;
    if ((rc = run_exists(st, run)) < 0)
        return read_end(st, rc);
    sqlite3_stmt *s = store_stmt(st, SQL_RUN_RECORDS);
    if (!s)
        return read_end(st, UNMASK_EDB);
    sqlite3_bind_int64(s, 1, run);
    struct records_arg a = { cb, ctx, d };
    return read_end(st, each_row(st, s, records_each, &a));
}
