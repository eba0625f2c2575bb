/* fuzz_csv.c: the inventory CSV/TSV reader and the column mapping, on any bytes.
 *
 * The input is read three ways: as CSV with the delimiter detected, as CSV with the fast path off
 * (every line through libcsv), and as TSV. Oracles (abort on violation): the fast path delivers
 * exactly what libcsv delivers (same records, lines, cells and problems), record lines never go
 * backwards and lie within the input, every cell respects INV_MAX_CELL, and every record turned
 * into observations (header detection, overrides, guessing) yields valid UTF-8 values. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/utf8.h"
#include "../../src/inventory/columns.h"
#include "../../src/inventory/inv-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A digest of everything a read delivered, to compare two reads. */
struct trace {
    uint64_t h;
    long records, problems, last_line, max_line;
    struct columns cols;
    bool header;
    struct device d;
};

static void mix(struct trace *t, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        t->h = (t->h ^ s[i]) * 1099511628211ULL;
}

static int on_record(void *ctx, long line, const struct inv_cell *cells, size_t n)
{
    struct trace *t = ctx;
    if (line < t->last_line || line < 1 || line > t->max_line)
        abort();
    t->last_line = line;
    t->records++;
    mix(t, &line, sizeof line);
    mix(t, &n, sizeof n);
    for (size_t i = 0; i < n; i++) {
        if (cells[i].len > INV_MAX_CELL || cells[i].s[cells[i].len] != '\0')
            abort();
        mix(t, cells[i].s, cells[i].len);
        mix(t, "\x1f", 1);
    }
    if (!t->header) {
        t->header = columns_header(&t->cols, cells, n);
        if (!t->header && t->records >= 3) {
            columns_headerless(&t->cols);
            t->header = true;
        }
        return 0;
    }
    obs_device_reset(&t->d);
    struct columns_values v;
    columns_observe(&t->cols, cells, n, &t->d, &v);
    for (size_t i = 0; i < t->d.n_obs; i++)
        if (!utf8_valid(t->d.obs[i].value, t->d.obs[i].value_len))
            abort();
    return 0;
}

static void on_problem(void *ctx, long line, const char *msg)
{
    struct trace *t = ctx;
    if (!msg || !*msg || line < 0 || line > t->max_line)
        abort();
    t->problems++;
    mix(t, &line, sizeof line);
    mix(t, msg, strlen(msg));
}

static void run(const uint8_t *data, size_t size, int delim, bool fast, struct trace *t)
{
    memset(t, 0, sizeof *t);
    t->h = 1469598103934665603ULL;
    t->max_line = 1;
    for (size_t i = 0; i < size; i++) /* an upper bound: CR-only files count '\r' as line ends */
        t->max_line += data[i] == '\n' || data[i] == '\r';
    columns_init(&t->cols);
    char err[128];
    columns_override(&t->cols, "serial=S/N", err, sizeof err);
    columns_override(&t->cols, "supplier=3", err, sizeof err);
    obs_device_init(&t->d);
    FILE *fp = fmemopen((void *)(size ? data : (const uint8_t *)""), size ? size : 1, "rb");
    if (!fp)
        abort();
    if (!size)
        fgetc(fp); /* fmemopen wants a non-empty buffer: consume the placeholder */
    struct inv_sink sink = { .record = on_record, .problem = on_problem, .ctx = t };
    invcsv_read(fp, &sink, delim, fast);
    fclose(fp);
    obs_device_deinit(&t->d);
    columns_deinit(&t->cols);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    struct trace a, b, c;
    run(data, size, 0, true, &a);
    run(data, size, 0, false, &b);
    if (a.h != b.h || a.records != b.records || a.problems != b.problems) {
        fprintf(stderr, "fuzz_csv: fast path and libcsv differ: %ld/%ld records, %ld/%ld problems\n",
                a.records, b.records, a.problems, b.problems);
        abort();
    }
    run(data, size, '\t', true, &c);
    return 0;
}
