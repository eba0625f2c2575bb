/* test_store.c: the store (docs/STORE.md): creation and migration, device identity across runs (MAC,
 * then serial, then address, then name), observation sets shared between runs, runs and their
 * counts, diffs, rebuilding a run's devices, MAC normalisation and the default path.
 *
 * The checks that look inside the database use SQLite directly: the test may, the program may not. */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/core/err.h"
#include "../../src/store/store.h"
#include "../harness.h"

#define META "  source   s\n  date     2026-11-27\n"
static const char rules[] =
    "list fcc\n  name FCC Covered List\n  short the FCC list\n" META "\n"
    "maker hik\n  name Hik\n  covered yes\n  on fcc 2021-03-12 video\n" META "\n"
    "maker good\n  name Good\n  covered no\n" META "\n"
    "rule hik-webs\n  field http.server\n  match ^Hik-Webs/(?<firmware>[0-9.]+)$\n  maker hik\n"
    "  strength stack\n" META "  example Hik-Webs/1.0\n  yields firmware=1.0\n\n"
    "rule good-title\n  field http.title\n  match ^Good\n  maker good\n  strength medium\n" META
    "  example Good\n";

static struct kb *kb;
static struct engine *eng;
static struct device dev;
static struct verdict v;
static char dir[64];
static char path[128];

static void setup(void)
{
    kb = kb_new(NULL, NULL);
    REQUIRE(kb_load_buf(kb, "store.rules", rules, sizeof rules - 1) == UNMASK_OK);
    REQUIRE(kb_finish(kb) == UNMASK_OK);
    eng = engine_new(kb, NULL, 20261127);
    obs_device_init(&dev);
    strcpy(dir, "/tmp/unmask-test-store-XXXXXX");
    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/a/b/unmask.db", dir);
}

static void teardown(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    obs_device_deinit(&dev);
    engine_free(eng);
    kb_free(kb);
}

/* A device: name, then (observation name, value) pairs, ending with NULL. */
static void device(const char *name, ...)
{
    va_list ap;
    obs_device_reset(&dev);
    obs_device_set_id(&dev, name, strlen(name));
    va_start(ap, name);
    const char *n;
    while ((n = va_arg(ap, const char *)) != NULL) {
        const char *val = va_arg(ap, const char *);
        CHECK(obs_add(&dev, n, strlen(n), val, strlen(val), NULL, 0, -1) >= 0);
    }
    va_end(ap);
    engine_judge(eng, &dev, &v);
}

static long long begin(struct store *st, const char *source)
{
    struct store_run_meta m = { .source = source, .input = "in.jsonl", .kb = kb, .as_of = 20261127,
                                .rules = "rules" };
    long long run = 0;
    CHECK_EQ_INT(store_begin_run(st, &m, &run), UNMASK_OK);
    return run;
}

/* Records the current device; by default every record commits (store_record returns 1). */
static void record(struct store *st, long long run, const struct report_extra *x)
{
    if (!CHECK_EQ_INT(store_record(st, run, &dev, &v, x), 1))
        fprintf(stderr, "  %s\n", store_errmsg(st));
}

/* One integer from the database, by SQL. */
static long long sql_int(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    long long r = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            r = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return r;
}

static void sql_exec(const char *sql)
{
    sqlite3 *db;
    REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

TEST(create_and_migrate)
{
    setup();
    struct store *st;
    CHECK_EQ_INT(store_open(path, 0, &st), UNMASK_ENOENT);
    CHECK(st == NULL);
    REQUIRE(store_open(path, STORE_CREATE, &st) == UNMASK_OK);
    store_close(st);
    struct stat sb;
    REQUIRE(stat(path, &sb) == 0);
    CHECK_EQ_INT(sb.st_mode & 0777, 0600);
    char parent[160];
    snprintf(parent, sizeof parent, "%s/a/b", dir);
    REQUIRE(stat(parent, &sb) == 0);
    CHECK_EQ_INT(sb.st_mode & 0777, 0700);
    CHECK_EQ_INT(sql_int("PRAGMA user_version"), STORE_SCHEMA_VERSION);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM sqlite_master WHERE name = 'records'"), 1);
    /* WAL is a property of the file: every later connection uses it. */
    sqlite3 *db;
    REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
    sqlite3_stmt *s;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    CHECK_EQ_STR((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
    /* Opening again migrates nothing and keeps what is there. */
    REQUIRE(store_open(path, STORE_CREATE, &st) == UNMASK_OK);
    long long run = begin(st, "identify");
    device("x", "http.server", "Hik-Webs/1.0", NULL);
    record(st, run, NULL);
    CHECK_EQ_INT(store_end_run(st, run, STORE_RUN_COMPLETE), UNMASK_OK);
    store_close(st);
    REQUIRE(store_open(path, 0, &st) == UNMASK_OK);
    store_close(st);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM records"), 1);
    teardown();
}

TEST(newer_schema_and_not_a_database)
{
    setup();
    struct store *st;
    REQUIRE(store_open(path, STORE_CREATE, &st) == UNMASK_OK);
    store_close(st);
    sql_exec("PRAGMA user_version = 99");
    CHECK_EQ_INT(store_open(path, 0, &st), UNMASK_EDB);
    CHECK_CONTAINS(store_errmsg(st), "schema version 99");
    store_close(st);
    char junk[160];
    snprintf(junk, sizeof junk, "%s/junk.db", dir);
    FILE *f = fopen(junk, "w");
    REQUIRE(f != NULL);
    fputs("this is not a database, but it is long enough to have a header of 100 bytes or so, "
          "which SQLite reads first.\n", f);
    fclose(f);
    CHECK_EQ_INT(store_open(junk, 0, &st), UNMASK_EDB);
    CHECK_CONTAINS(store_errmsg(st), "not a database");
    store_close(st);
    teardown();
}

TEST(identity_across_runs)
{
    setup();
    struct store *st;
    REQUIRE(store_open(path, STORE_CREATE, &st) == UNMASK_OK);
    long long r1 = begin(st, "scan");
    struct report_extra xa = { .address = "192.0.2.1", .mac = "44-19-B6-3A-10-07" };
    device("cam-a", "http.server", "Hik-Webs/1.0", NULL);
    record(st, r1, &xa);
    device("cam-b", "onvif.serial", "SN0001", NULL);
    record(st, r1, NULL);
    struct report_extra xc = { .address = "192.0.2.3" };
    device("cam-c", NULL);
    record(st, r1, &xc);
    device("cam-d", "http.title", "Good cam", NULL);
    record(st, r1, NULL);
    CHECK_EQ_INT(store_end_run(st, r1, STORE_RUN_COMPLETE), UNMASK_OK);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM devices"), 4);

    long long r2 = begin(st, "scan");
    /* a: same MAC (written another way), new address and name: the same device */
    struct report_extra xa2 = { .address = "192.0.2.77" };
    device("renamed-a", "mac.address", "4419.b63a.1007", "http.server", "Hik-Webs/1.1", NULL);
    record(st, r2, &xa2);
    /* b: same serial, and now a MAC: the same device, which learns its MAC */
    device("cam-b", "onvif.serial", "SN0001", "mac.address", "00:11:22:33:44:55", NULL);
    record(st, r2, NULL);
    /* another device with b's serial but another MAC: a different device */
    device("cam-b2", "onvif.serial", "SN0001", "mac.address", "00:11:22:33:44:66", NULL);
    record(st, r2, NULL);
    /* c: same address; d: same name */
    device("cam-c", NULL);
    record(st, r2, &xc);
    device("cam-d", "http.title", "Good cam", NULL);
    record(st, r2, NULL);
    CHECK_EQ_INT(store_end_run(st, r2, STORE_RUN_COMPLETE), UNMASK_OK);
    store_close(st);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM devices"), 5);
    CHECK_EQ_INT(sql_int("SELECT count(DISTINCT device_id) FROM records"), 5);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM devices WHERE mac = '44:19:b6:3a:10:07' AND "
                         "address = '192.0.2.77' AND name = 'renamed-a' AND first_run = 1 AND "
                         "last_run = 2"), 1);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM devices WHERE serial = 'SN0001' AND "
                         "mac = '00:11:22:33:44:55' AND first_run = 1"), 1);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM devices WHERE mac = '00:11:22:33:44:66' AND "
                         "first_run = 2"), 1);
    /* d said the same both times: one observation set for its two records */
    CHECK_EQ_INT(sql_int("SELECT count(DISTINCT obs_set) FROM records WHERE name = 'cam-d'"), 1);
    CHECK_EQ_INT(sql_int("SELECT count(DISTINCT obs_set) FROM records WHERE name = 'cam-c'"), 1);
    teardown();
}

struct seen {
    int n;
    char text[1024];
};

static int on_run(void *ctx, const struct store_run *r)
{
    struct seen *s = ctx;
    size_t l = strlen(s->text);
    snprintf(s->text + l, sizeof s->text - l, "%lld %s %s %ld c%ld u%ld %s|", r->id, r->source,
             r->finished ? r->status : "incomplete", r->n_records, r->counts[V_COVERED],
             r->counts[V_UNKNOWN], r->as_of);
    s->n++;
    return 0;
}

static int on_change(void *ctx, const struct store_diff_entry *e)
{
    struct seen *s = ctx;
    size_t l = strlen(s->text);
    const struct store_row *r = e->b ? e->b : e->a;
    snprintf(s->text + l, sizeof s->text - l, "%d:%s:%u|", e->kind, r->name, e->fields);
    s->n++;
    return 0;
}

TEST(runs_diff_and_last_runs)
{
    setup();
    struct store *st;
    REQUIRE(store_open(path, STORE_CREATE, &st) == UNMASK_OK);
    long long r1 = begin(st, "identify");
    device("stays", "http.server", "Hik-Webs/1.0", NULL);
    record(st, r1, NULL);
    device("goes", "http.title", "Good", NULL);
    record(st, r1, NULL);
    device("quiet", NULL);
    record(st, r1, NULL);
    CHECK_EQ_INT(store_end_run(st, r1, STORE_RUN_PARTIAL), UNMASK_OK);
    long long r2 = begin(st, "scan"); /* another source in between */
    CHECK_EQ_INT(store_end_run(st, r2, STORE_RUN_COMPLETE), UNMASK_OK);
    long long r3 = begin(st, "identify");
    device("stays", "http.server", "Hik-Webs/2.0", NULL); /* new firmware */
    record(st, r3, NULL);
    device("quiet", NULL);
    record(st, r3, NULL);
    device("arrives", "http.server", "Hik-Webs/1.0", NULL);
    record(st, r3, NULL);
    CHECK_EQ_INT(store_end_run(st, r3, STORE_RUN_COMPLETE), UNMASK_OK);
    long long r4 = begin(st, "identify"); /* never ended: incomplete */
    (void)r4;

    struct seen s = { 0 };
    CHECK_EQ_INT(store_runs(st, 0, on_run, &s), UNMASK_OK);
    CHECK_EQ_STR(s.text, "1 identify partial 3 c1 u1 2026-11-27|2 scan complete 0 c0 u0 2026-11-27|"
                         "3 identify complete 3 c2 u1 2026-11-27|4 identify incomplete 0 c0 u0 "
                         "2026-11-27|");
    memset(&s, 0, sizeof s);
    CHECK_EQ_INT(store_runs(st, 2, on_run, &s), UNMASK_OK);
    CHECK_EQ_INT(s.n, 1);
    CHECK_EQ_INT(store_runs(st, 9, on_run, &s), UNMASK_ENOENT);

    long long a = 0, b = 0;
    CHECK_EQ_INT(store_last_runs(st, &a, &b), UNMASK_OK);
    CHECK_EQ_INT(a, 1); /* the finished identify before 3, skipping the scan */
    CHECK_EQ_INT(b, 3);
    b = 2;
    CHECK_EQ_INT(store_last_runs(st, &a, &b), UNMASK_OK);
    CHECK_EQ_INT(a, 0);

    memset(&s, 0, sizeof s);
    CHECK_EQ_INT(store_diff(st, 1, 3, on_change, &s), UNMASK_OK);
    CHECK_EQ_STR(s.text, "1:arrives:0|2:goes:0|3:stays:8|");
    CHECK_EQ_INT(store_diff(st, 1, 9, on_change, &s), UNMASK_ENOENT);
    /* The store is not readable through a busy handle: queries end their read transaction. */
    store_close(st);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM runs WHERE finished IS NULL"), 1);
    teardown();
}

struct rebuilt {
    int n;
    bool ok;
};

static int on_device(void *ctx, const struct store_row *r, struct device *d)
{
    struct rebuilt *rb = ctx;
    rb->n++;
    CHECK_EQ_STR(r->name, "rich");
    CHECK_EQ_STR(d->id, "rich");
    CHECK_EQ_STR(r->verdict, "covered");
    CHECK_EQ_STR(r->maker, "hik");
    CHECK_EQ_STR(r->firmware, "3.1");
    CHECK_EQ_STR(r->address, "192.0.2.9");
    CHECK_EQ_INT(r->row, 12);
    CHECK(r->has_far);
    CHECK_EQ_STR(r->far.contract, "GS-07F-0001");
    CHECK(r->far.order == NULL);
    CHECK_CONTAINS(r->explanation, "Made by Hik");
    CHECK_EQ_STR(r->evidence, "hik-webs@0:stack");
    if (!CHECK_EQ_INT(d->n_obs, 3))
        return 0;
    CHECK_EQ_STR(d->obs[0].name, "http.server");
    CHECK_EQ_STR(d->obs[0].path, "/");
    CHECK_EQ_INT(d->obs[0].port, 8080);
    CHECK_EQ_MEM(d->obs[1].value, d->obs[1].value_len, "a\0b", 3);
    CHECK_EQ_INT(d->obs[1].port, -1);
    CHECK(d->obs[1].path == NULL);
    CHECK_EQ_STR(d->obs[2].name, "mac.address");
    rb->ok = true;
    return 0;
}

TEST(run_devices_rebuild)
{
    setup();
    static const char nul[] = "a\0b";
    struct store *st;
    REQUIRE(store_open(path, STORE_CREATE, &st) == UNMASK_OK);
    long long run = begin(st, "inventory");
    obs_device_reset(&dev);
    obs_device_set_id(&dev, "rich", 4);
    CHECK(obs_add(&dev, "http.server", 11, "Hik-Webs/3.1", 12, "/", 1, 8080) >= 0);
    CHECK(obs_add(&dev, "http.body", 9, nul, 3, NULL, 0, -1) >= 0);
    CHECK(obs_add(&dev, "mac.address", 11, "44:19:b6:00:00:01", 17, NULL, 0, -1) >= 0);
    engine_judge(eng, &dev, &v);
    /* A derived observation is not stored: the engine derives it again. */
    int i = obs_add(&dev, "mac.org", 7, "Someone", 7, "44:19:B6", 8, -1);
    REQUIRE(i >= 0);
    dev.obs[i].derived_from = 2;
    struct report_far far = { .contract = "GS-07F-0001", .supplier = "Acme Supply" };
    struct report_extra x = { .file = "assets.csv", .row = 12, .address = "192.0.2.9", .far = &far };
    record(st, run, &x);
    CHECK_EQ_INT(store_end_run(st, run, STORE_RUN_COMPLETE), UNMASK_OK);
    struct rebuilt rb = { 0 };
    struct device d;
    obs_device_init(&d);
    CHECK_EQ_INT(store_run_devices(st, run, &d, on_device, &rb), UNMASK_OK);
    CHECK_EQ_INT(rb.n, 1);
    CHECK(rb.ok);
    CHECK_EQ_INT(store_run_devices(st, run + 1, &d, on_device, &rb), UNMASK_ENOENT);
    obs_device_deinit(&d);
    store_close(st);
    teardown();
}

static int on_ports(void *ctx, const struct store_row *r, struct device *d)
{
    (void)d;
    struct seen *s = ctx;
    size_t l = strlen(s->text);
    snprintf(s->text + l, sizeof s->text - l, "%s=%s|", r->name, r->ports ? r->ports : "-");
    return 0;
}

/* A database written by the first release (schema 1) is migrated in place, its records kept, and
 * what schema 2 added (the scan's ports) is recorded from then on. */
TEST(migrate_from_version_1)
{
    setup();
    FILE *f = fopen("src/store/schema.sql", "r"); /* make check runs from the source tree */
    if (!f) {
        printf("SKIP: migrate_from_version_1: src/store/schema.sql not found from here\n");
        teardown();
        return;
    }
    static char v1[16384];
    size_t n = fread(v1, 1, sizeof v1 - 1, f);
    fclose(f);
    v1[n] = '\0';
    char dbdir[160];
    snprintf(dbdir, sizeof dbdir, "%s/a", dir);
    mkdir(dbdir, 0700);
    snprintf(dbdir, sizeof dbdir, "%s/a/b", dir);
    mkdir(dbdir, 0700);
    sql_exec(v1);
    sql_exec("PRAGMA user_version = 1;"
             "INSERT INTO runs (id, source, started, finished, status) VALUES "
             "(1, 'scan', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'complete');"
             "INSERT INTO devices (id, address, name, first_run, last_run) VALUES "
             "(1, '192.0.2.5', 'old', 1, 1);"
             "INSERT INTO obs_sets (id, digest, n) VALUES (1, x'00', 0);"
             "INSERT INTO records (run_id, device_id, name, obs_set, verdict, confidence, "
             "explanation, evidence) VALUES (1, 1, 'old', 1, 'unknown', 0, 'x', '');");
    struct store *st;
    REQUIRE(store_open(path, 0, &st) == UNMASK_OK);
    CHECK_EQ_INT(sql_int("PRAGMA user_version"), 2);
    long long run = begin(st, "scan");
    static const struct report_port ports[] = { { 80, "tcp", "http" }, { 37020, "udp", "sadp" },
                                                { 8000, "tcp", "odd service:/x" } };
    struct report_extra x = { .address = "192.0.2.5", .ports = ports, .n_ports = 3 };
    device("new", "http.server", "Hik-Webs/1.0", NULL);
    record(st, run, &x);
    CHECK_EQ_INT(store_end_run(st, run, STORE_RUN_COMPLETE), UNMASK_OK);
    struct seen s = { 0 };
    struct device d;
    obs_device_init(&d);
    CHECK_EQ_INT(store_run_devices(st, 1, &d, on_ports, &s), UNMASK_OK);
    CHECK_EQ_INT(store_run_devices(st, run, &d, on_ports, &s), UNMASK_OK);
    CHECK_EQ_STR(s.text, "old=-|new=80/tcp:http 37020/udp:sadp 8000/tcp:odd_service__x|");
    obs_device_deinit(&d);
    store_close(st);
    /* the same device (by address), now seen twice */
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM devices"), 1);
    teardown();
}

TEST(misuse)
{
    setup();
    struct store *st;
    REQUIRE(store_open(path, STORE_CREATE, &st) == UNMASK_OK);
    device("x", NULL);
    CHECK_EQ_INT(store_record(st, 1, &dev, &v, NULL), UNMASK_EUSAGE);
    struct store_run_meta m = { .source = "telepathy", .kb = kb };
    long long run;
    CHECK_EQ_INT(store_begin_run(st, &m, &run), UNMASK_EUSAGE);
    run = begin(st, "import");
    CHECK_EQ_INT(store_begin_run(st, &m, &run), UNMASK_EUSAGE); /* one run at a time */
    CHECK_EQ_INT(store_end_run(st, run + 1, STORE_RUN_COMPLETE), UNMASK_EUSAGE);
    CHECK_EQ_INT(store_end_run(st, run, STORE_RUN_COMPLETE), UNMASK_OK);
    store_close(st);
    store_close(NULL);
    teardown();
}

/* store_set_batch: records wait in one transaction, invisible to readers, until the batch is full,
 * store_commit, the end of the run or the close; a batch older than its age limit commits at once. */
TEST(batches)
{
    setup();
    struct store *st;
    REQUIRE(store_open(path, STORE_CREATE, &st) == UNMASK_OK);
    long long run = begin(st, "inventory");
    store_set_batch(st, 3, 60000);
    static const char *const names[] = { "b1", "b2", "b3", "b4", "b5", "b6" };
    static const int committed[] = { 0, 0, 1, 0, 0 };
    for (int i = 0; i < 5; i++) {
        CONTEXT("record %d", i + 1);
        device(names[i], "http.server", "App-webs/", NULL);
        CHECK_EQ_INT(store_record(st, run, &dev, &v, NULL), committed[i]);
        CHECK_EQ_INT(sql_int("SELECT count(*) FROM records"), i < 2 ? 0 : 3);
    }
    CONTEXT("commit");
    CHECK_EQ_INT(store_commit(st), 1);
    CHECK_EQ_INT(store_commit(st), 0);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM records"), 5);
    CONTEXT("age limit");
    store_set_batch(st, 100, 0);
    device(names[5], "http.server", "App-webs/", NULL);
    CHECK_EQ_INT(store_record(st, run, &dev, &v, NULL), 1);
    CONTEXT("end of run");
    store_set_batch(st, 100, 60000);
    device("b7", "http.server", "App-webs/", NULL);
    CHECK_EQ_INT(store_record(st, run, &dev, &v, NULL), 0);
    CHECK_EQ_INT(store_end_run(st, run, STORE_RUN_COMPLETE), UNMASK_OK);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM records"), 7);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM runs WHERE status = 'complete'"), 1);
    CONTEXT("close");
    run = begin(st, "inventory");
    device("b8", "http.server", "App-webs/", NULL);
    CHECK_EQ_INT(store_record(st, run, &dev, &v, NULL), 0);
    store_close(st);
    CHECK_EQ_INT(sql_int("SELECT count(*) FROM records"), 8);
    teardown();
}

TEST(mac_normalise)
{
    static const struct {
        const char *in, *out;
    } t[] = {
        { "44:19:B6:3A:10:07", "44:19:b6:3a:10:07" },
        { "44-19-b6-3a-10-07", "44:19:b6:3a:10:07" },
        { "4419.b63a.1007", "44:19:b6:3a:10:07" },
        { "4419B63A1007", "44:19:b6:3a:10:07" },
        { "44:19:b6:3a:10", NULL },
        { "44:19:b6:3a:10:07:08", NULL },
        { "44:19-b6:3a:10:07", NULL },
        { "44::19:b6:3a:10:07", NULL },
        { ":44:19:b6:3a:10:07", NULL },
        { "44:19:b6:3a:10:0g", NULL },
        { "00:00:00:00:00:00", NULL },
        { "ff:ff:ff:ff:ff:ff", NULL },
        { "", NULL },
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        CONTEXT("%s", t[i].in);
        char out[18];
        bool ok = store_mac_normalise(t[i].in, strlen(t[i].in), out);
        CHECK_EQ_INT(ok, t[i].out != NULL);
        if (ok && t[i].out)
            CHECK_EQ_STR(out, t[i].out);
    }
}

TEST(default_path)
{
    char buf[256];
    setenv("UNMASK_DB", "/x/y.db", 1);
    CHECK_EQ_INT(store_default_path(buf, sizeof buf), UNMASK_OK);
    CHECK_EQ_STR(buf, "/x/y.db");
    unsetenv("UNMASK_DB");
    setenv("XDG_DATA_HOME", "/data", 1);
    setenv("HOME", "/home/u", 1);
    CHECK_EQ_INT(store_default_path(buf, sizeof buf), UNMASK_OK);
    CHECK_EQ_STR(buf, "/data/unmask/unmask.db");
    setenv("XDG_DATA_HOME", "relative", 1); /* ignored, as the XDG specification says */
    CHECK_EQ_INT(store_default_path(buf, sizeof buf), UNMASK_OK);
    CHECK_EQ_STR(buf, "/home/u/.local/share/unmask/unmask.db");
    unsetenv("XDG_DATA_HOME");
    CHECK_EQ_INT(store_default_path(buf, 8), UNMASK_ELIMIT);
    unsetenv("HOME");
    CHECK_EQ_INT(store_default_path(buf, sizeof buf), UNMASK_ENOENT);
}

HARNESS_MAIN(T(create_and_migrate), T(newer_schema_and_not_a_database), T(identity_across_runs),
             T(runs_diff_and_last_runs), T(run_devices_rebuild), T(migrate_from_version_1), T(misuse),
             T(batches), T(mac_normalise),
             T(default_path))
