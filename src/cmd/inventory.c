/* inventory.c: `unmask inventory FILE...`: screens asset registers and purchase records.
 *
 * Each file goes through a reader (src/inventory/inv.h: CSV or TSV, by -t or the file extension),
 * the header row is found among the first records (columns.h), and every record after it becomes
 * observations (inventory.brand, inventory.model, ...) judged by the one engine and written by the
 * one writer, with the file, the record's line and, for flagged rows, the FAR 52.204-25(d) fields.
 * A problem with one record is printed as "unmask: FILE:LINE: message" and the rest is screened; the
 * exit code is then 1 (or 4 when --fail-on matched and nothing went wrong). */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/utf8.h"
#include "../core/xalloc.h"
#include "../inventory/columns.h"
#include "../inventory/inv.h"
#include "cmd.h"
#include "judge.h"
#include "record.h"

static const char usage[] =
    "usage: unmask inventory [options] FILE...\n"
    "Screens asset registers and purchase records (CSV, TSV) without touching a network: every row\n"
    "is judged from its brand, model, description, MAC, serial and supplier (docs/INVENTORY.md).\n"
    "\n"
    "  -t, --type TYPE        csv or tsv (default: from the extension; csv detects , ; and tab)\n"
    "  -c, --column ROLE=HDR  read ROLE from the column headed HDR (or numbered HDR; empty: none);\n"
    "                         ROLE: brand, model, description, mac, serial, supplier, id, address,\n"
    "                         contract, order, uei, cage\n"
    "      --no-header        the first line is data (columns by number with --column)\n"
    JUDGE_USAGE
    RECORD_USAGE
    "\n"
    "Exit: 0 ok, 1 some rows or files had problems (the rest was screened) or output failed,\n"
    "2 usage, 3 knowledge errors, 4 --fail-on matched.\n";

#define ID_MAX 256    /* bytes of a device id taken from an asset tag */
#define FAR_MAX 1024  /* bytes of a FAR field */

/* A record kept while the header row is searched for. */
struct held {
    long line;
    struct inv_cell *cells;
    size_t n;
};

struct run {
    struct judge *j;
    struct recorder *rec;
    const char *file;     /* as given, for messages and the report */
    const char *base;     /* its last path component, for device ids */
    bool no_header;
    struct columns cols;
    bool header_done;
    struct held held[COLUMNS_HEADER_SEARCH];
    size_t n_held;
    struct device d;
    long problems;
    long rows;
    long bad_utf8;        /* rows with bytes that are not UTF-8 */
};

static void on_problem(void *ctx, long line, const char *msg)
{
    struct run *r = ctx;
    r->problems++;
    if (line > 0)
        log_error("%s:%ld: %s", r->file, line, msg);
    else
        log_error("%s: %s", r->file, msg);
}

/* Copies untrusted text into the device arena as valid UTF-8, cut at max bytes. */
static const char *keep(struct device *d, const char *s, size_t n, size_t max)
{
    if (!s)
        return NULL;
    if (n > max)
        n = utf8_prefix(s, n, max);
    if (utf8_valid(s, n))
        return arena_strndup(&d->arena, s, n);
    char *o = arena_alloc(&d->arena, 3 * n + 1);
    size_t l = utf8_repair(s, n, o);
    if (l > max) {
        l = utf8_prefix(o, l, max);
        o[l] = '\0';
    }
    return o;
}

static bool all_blank(const struct inv_cell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < cells[i].len; k++)
            if (!strchr(" \t\r\n", cells[i].s[k]))
                return false;
    return true;
}

/* True if s[0..n) is plain ASCII (then it is valid UTF-8): eight bytes at a time. */
static bool ascii(const char *s, size_t n)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        acc |= w;
    }
    for (; i < n; i++)
        acc |= (unsigned char)s[i];
    return !(acc & 0x8080808080808080ULL);
}

static void screen(struct run *r, long line, const struct inv_cell *cells, size_t n)
{
    if (all_blank(cells, n) || columns_is_header_again(&r->cols, cells, n))
        return;
    for (size_t i = 0; i < n; i++)
        if (!ascii(cells[i].s, cells[i].len) && !utf8_valid(cells[i].s, cells[i].len)) {
            if (!r->bad_utf8++) {
                char msg[200];
                snprintf(msg, sizeof msg,
                         "cell %zu holds bytes that are not UTF-8 (another encoding?); they are "
                         "replaced by U+FFFD; hint: export as UTF-8, or iconv -f WINDOWS-1252 -t UTF-8",
                         i + 1);
                on_problem(r, line, msg);
            }
            break;
        }
    struct device *d = &r->d;
    obs_device_reset(d);
    struct columns_values v;
    columns_observe(&r->cols, cells, n, d, &v);
    if (v.v[COL_ID]) {
        obs_device_set_id(d, v.v[COL_ID], v.len[COL_ID] > ID_MAX ? ID_MAX : v.len[COL_ID]);
    } else { /* "BASENAME:LINE", without printf: this runs for every row */
        char id[128];
        size_t bl = strlen(r->base) > 80 ? 80 : strlen(r->base), k = sizeof id;
        id[--k] = '\0';
        for (unsigned long l = (unsigned long)line;; l /= 10) {
            id[--k] = (char)('0' + l % 10);
            if (l < 10)
                break;
        }
        id[--k] = ':';
        k -= bl;
        memcpy(id + k, r->base, bl);
        obs_device_set_id(d, id + k, sizeof id - 1 - k);
    }
    struct report_extra x = {
        .file = r->file,
        .row = line,
        .address = keep(d, v.v[COL_ADDRESS], v.len[COL_ADDRESS], 64),
        .mac = keep(d, v.v[COL_MAC], v.len[COL_MAC], 64),
    };
    struct verdict verdict;
    judge_verdict(r->j, d, &verdict);
    /* The FAR 52.204-25(d) fields, for the flagged rows that need them. A record without a brand
     * or model column reports what the judgement found. */
    struct report_far far;
    if (verdict.kind == V_COVERED || verdict.kind == V_WHITE_LABEL) {
        const struct kb *kb = r->j->k.kb;
        far = (struct report_far){
            .contract = keep(d, v.v[COL_CONTRACT], v.len[COL_CONTRACT], FAR_MAX),
            .order = keep(d, v.v[COL_ORDER], v.len[COL_ORDER], FAR_MAX),
            .supplier = keep(d, v.v[COL_SUPPLIER], v.len[COL_SUPPLIER], FAR_MAX),
            .supplier_uei = keep(d, v.v[COL_UEI], v.len[COL_UEI], FAR_MAX),
            .cage = keep(d, v.v[COL_CAGE], v.len[COL_CAGE], FAR_MAX),
            .brand = keep(d, v.v[COL_BRAND], v.len[COL_BRAND], FAR_MAX),
            .model = keep(d, v.v[COL_MODEL], v.len[COL_MODEL], FAR_MAX),
            .description = keep(d, v.v[COL_DESCRIPTION], v.len[COL_DESCRIPTION], FAR_MAX),
        };
        if (!far.brand)
            far.brand = verdict.brand >= 0   ? kb->brands[verdict.brand].name
                        : verdict.maker >= 0 ? kb->makers[verdict.maker].name
                                             : NULL;
        if (!far.model)
            far.model = verdict.model;
        x.far = &far;
    }
    record_write(r->rec, r->j, d, &verdict, &x); /* printed once stored */
    r->rows++;
}

static void hold(struct run *r, long line, const struct inv_cell *cells, size_t n)
{
    struct held *h = &r->held[r->n_held++];
    h->line = line;
    h->n = n;
    h->cells = xcalloc(n ? n : 1, sizeof *h->cells);
    for (size_t i = 0; i < n; i++) {
        char *s = xmalloc(cells[i].len + 1);
        memcpy(s, cells[i].s, cells[i].len);
        s[cells[i].len] = '\0';
        h->cells[i] = (struct inv_cell){ .s = s, .len = cells[i].len, .cut = cells[i].cut };
    }
}

static void release_held(struct run *r)
{
    for (size_t k = 0; k < r->n_held; k++) {
        for (size_t i = 0; i < r->held[k].n; i++)
            free((char *)r->held[k].cells[i].s);
        free(r->held[k].cells);
    }
    r->n_held = 0;
}

/* No header row among the first records (or --no-header): screen what was held. */
static void go_headerless(struct run *r, bool told)
{
    columns_headerless(&r->cols);
    if (!told) {
        char msg[400];
        long first = r->n_held ? r->held[0].line : 1;
        snprintf(msg, sizeof msg,
                 "no header row: no cell of the first %d records names a column (brand, "
                 "manufacturer, vendor, model, part number, SKU, description, MAC, serial, supplier)"
                 "; %s; hint: add a header row, or --no-header --column model=N",
                 COLUMNS_HEADER_SEARCH,
                 r->cols.guessing ? "every cell is screened as a model number, description and serial"
                                  : "columns are taken by number from --column");
        on_problem(r, first, msg);
    }
    r->header_done = true;
    for (size_t k = 0; k < r->n_held; k++)
        screen(r, r->held[k].line, r->held[k].cells, r->held[k].n);
    release_held(r);
}

static int on_record(void *ctx, long line, const struct inv_cell *cells, size_t n)
{
    struct run *r = ctx;
    if (r->header_done) {
        screen(r, line, cells, n);
        return 0;
    }
    if (r->no_header) {
        hold(r, line, cells, n);
        go_headerless(r, true);
        return 0;
    }
    if (all_blank(cells, n))
        return 0;
    if (columns_header(&r->cols, cells, n)) {
        char desc[512];
        columns_describe(&r->cols, cells, n, desc, sizeof desc);
        if (r->n_held)
            log_warn("%s:%ld: header row found here; the %zu record%s before it %s skipped", r->file,
                     line, r->n_held, r->n_held == 1 ? "" : "s", r->n_held == 1 ? "is" : "are");
        log_info("%s:%ld: columns %s", r->file, line, desc[0] ? desc : "(none)");
        release_held(r);
        r->header_done = true;
        return 0;
    }
    hold(r, line, cells, n);
    if (r->n_held == COLUMNS_HEADER_SEARCH)
        go_headerless(r, false);
    return 0;
}

/* Screens one file; returns false if it could not be read at all. */
static bool screen_file(struct judge *j, struct recorder *rec, const struct inv_reader *rd,
                        const char *name,
                        char *const *specs, size_t n_specs, bool no_header, long *problems)
{
    FILE *fp = stdin;
    if (strcmp(name, "-")) {
        fp = fopen(name, "rb");
        if (!fp) {
            log_error("%s: %s", name, strerror(errno));
            (*problems)++;
            return false;
        }
    }
    struct run r = { .j = j, .rec = rec, .file = fp == stdin ? "<stdin>" : name,
                     .no_header = no_header };
    const char *slash = strrchr(r.file, '/');
    r.base = slash ? slash + 1 : r.file;
    columns_init(&r.cols);
    char err[256];
    for (size_t i = 0; i < n_specs; i++) /* checked when the options were read */
        columns_override(&r.cols, specs[i], err, sizeof err);
    obs_device_init(&r.d);
    struct inv_sink sink = { .record = on_record, .problem = on_problem, .ctx = &r };
    int rc = rd->read(fp, &sink);
    if (!r.header_done && r.n_held)
        go_headerless(&r, false);
    if (rc == UNMASK_EIO)
        on_problem(&r, 0, "read error");
    if (rc == UNMASK_OK && !r.header_done && !r.rows)
        log_warn("%s: no records", r.file);
    if (r.bad_utf8 > 1)
        log_error("%s: %ld rows in all held bytes that are not UTF-8", r.file, r.bad_utf8);
    release_held(&r);
    obs_device_deinit(&r.d);
    columns_deinit(&r.cols);
    if (fp != stdin)
        fclose(fp);
    *problems += r.problems;
    return rc == UNMASK_OK;
}

int cmd_inventory(int argc, char **argv)
{
    enum { OPT_NO_HEADER = 0x2000 };
    static const struct option opts[] = {
        JUDGE_LONGOPTS,
        RECORD_LONGOPTS,
        { "type", required_argument, NULL, 't' },
        { "column", required_argument, NULL, 'c' },
        { "no-header", no_argument, NULL, OPT_NO_HEADER },
        { NULL, 0, NULL, 0 },
    };
    struct judge_opts jo;
    judge_opts_init(&jo, "inventory", usage);
    jo.far = true;
    struct record_opts ro = { 0 };
    const struct inv_reader *forced = NULL;
    bool no_header = false;
    char *specs[COLUMNS_MAX_OVERRIDES];
    size_t n_specs = 0;
    struct columns check;
    columns_init(&check);
    int c, rc = EXIT_OK;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, JUDGE_SHORTOPTS "t:c:", opts, NULL)) != -1) {
        if (record_opt(&ro, c, optarg))
            continue;
        int r = judge_opt(&jo, c, optarg, argv);
        if (r == JUDGE_HELP_SHOWN)
            goto done;
        if (r > 0) {
            rc = r;
            goto done;
        }
        if (r == EXIT_OK)
            continue;
        if (c == 't') {
            if (!(forced = inv_reader_find(optarg))) {
                log_error("--type: unknown type '%s' (%s)", optarg, inv_reader_names());
                rc = EXIT_USAGE;
                goto done;
            }
        } else if (c == 'c') {
            char err[256];
            if (columns_override(&check, optarg, err, sizeof err) < 0) {
                log_error("--column: %s", err);
                rc = EXIT_USAGE;
                goto done;
            }
            if (n_specs < COLUMNS_MAX_OVERRIDES)
                specs[n_specs++] = optarg;
        } else if (c == OPT_NO_HEADER) {
            no_header = true;
        }
    }
    if (optind >= argc) {
        log_error("inventory: no input files (give FILE..., or - for standard input)");
        fputs("Try 'unmask inventory --help'.\n", stderr);
        rc = EXIT_USAGE;
        goto done;
    }
    jo.stream = !record_all_regular(argv + optind, argc - optind);
    struct recorder rec;
    struct judge j;
    if ((rc = record_open(&rec, &ro)) != EXIT_OK)
        goto done;
    if ((rc = judge_open(&j, &jo)) != EXIT_OK) {
        record_close(&rec, true);
        goto done;
    }
    if (record_begin_files(&rec, &j, "inventory", argv + optind, argc - optind,
                           knowledge_rules_path(jo.ko.rules)) != EXIT_OK) {
        record_close(&rec, true);
        rc = judge_close(&j, true);
        goto done;
    }
    long problems = 0;
    for (int i = optind; i < argc; i++) {
        const struct inv_reader *rd = forced ? forced : inv_reader_for_path(argv[i]);
        screen_file(&j, &rec, rd, argv[i], specs, n_specs, no_header, &problems);
    }
    bool rec_failed = record_close(&rec, problems > 0);
    rc = judge_close(&j, problems > 0 || rec_failed);
done:
    columns_deinit(&check);
    return rc;
}
