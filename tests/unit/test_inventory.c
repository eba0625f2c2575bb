/* test_inventory.c: the CSV/TSV inventory reader (src/inventory/invcsv.c) and the column mapping
 * (src/inventory/columns.c): tables of good and bad inputs with the records and problems they must
 * give, the fast path against libcsv on every table input, and inputs across the 64 KiB read blocks. */
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/inventory/columns.h"
#include "../../src/inventory/inv-int.h"
#include "../harness.h"

/* Everything a read delivered, flattened to text: "L2:a|b|c\n" per record, "!L3:msg\n" per
 * problem. */
struct got {
    char text[1 << 21];
    size_t len;
    long records, problems;
};

static void put(struct got *g, const char *s, size_t n)
{
    if (g->len + n < sizeof g->text) {
        memcpy(g->text + g->len, s, n);
        g->len += n;
        g->text[g->len] = '\0';
    }
}

static int on_record(void *ctx, long line, const struct inv_cell *cells, size_t n)
{
    struct got *g = ctx;
    char head[32];
    put(g, head, (size_t)snprintf(head, sizeof head, "L%ld:", line));
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(g, "|", 1);
        put(g, cells[i].s, cells[i].len);
    }
    put(g, "\n", 1);
    g->records++;
    return 0;
}

static void on_problem(void *ctx, long line, const char *msg)
{
    struct got *g = ctx;
    char head[32];
    put(g, head, (size_t)snprintf(head, sizeof head, "!L%ld:", line));
    put(g, msg, strlen(msg) > 24 ? 24 : strlen(msg));
    put(g, "\n", 1);
    g->problems++;
}

static int read_str(const char *s, size_t n, int delim, bool fast, struct got *g)
{
    memset(g, 0, sizeof *g);
    FILE *fp = fmemopen((void *)s, n, "rb");
    if (!fp)
        return -100;
    struct inv_sink sink = { .record = on_record, .problem = on_problem, .ctx = g };
    int rc = invcsv_read(fp, &sink, delim, fast);
    fclose(fp);
    return rc;
}

struct csv_case {
    const char *in;
    int delim; /* 0: detect */
    const char *want;
};

static const struct csv_case good[] = {
    { "a,b,c\n1,2,3\n", 0, "L1:a|b|c\nL2:1|2|3\n" },
    { "a,b\n1,2", 0, "L1:a|b\nL2:1|2\n" },                        /* no final newline */
    { "a,b\r\n1,2\r\n", 0, "L1:a|b\nL2:1|2\n" },                  /* CRLF */
    { "a,b\n\n\n1,2\n", 0, "L1:a|b\nL4:1|2\n" },                  /* blank lines keep numbering */
    { "  a  , b \n", 0, "L1:a|b\n" },                             /* blanks trimmed */
    { "a,\"b, c\",d\n", 0, "L1:a|b, c|d\n" },                     /* quoted delimiter */
    { "a,\"say \"\"hi\"\"\"\n", 0, "L1:a|say \"hi\"\n" },         /* doubled quotes */
    { "a, \"  x  \" ,b\n", 0, "L1:a|  x  |b\n" },                 /* blanks inside quotes kept */
    { "h\n\"line one\nline two\",x\nnext\n", 0, "L1:h\nL2:line one\nline two|x\nL4:next\n" },
    { "a,,c,\n", 0, "L1:a||c|\n" },                               /* empty cells, trailing */
    { ",a\n", 0, "L1:|a\n" },
    { "\xEF\xBB\xBF" "Brand,Model\nX,Y\n", 0, "L1:Brand|Model\nL2:X|Y\n" }, /* UTF-8 BOM */
    { "Brand;Model;Desc\nX;Y, Z;W\n", 0, "L1:Brand|Model|Desc\nL2:X|Y, Z|W\n" }, /* semicolons */
    { "Brand\tModel\nX\t Y \n", 0, "L1:Brand|Model\nL2:X|Y\n" },  /* tab detected */
    { "a\tb\n\tx\t\n", '\t', "L1:a|b\nL2:|x|\n" },                 /* TSV empty cells */
    { "a b,c\n", '\t', "L1:a b,c\n" },                            /* TSV: commas are text */
    { "12\" monitor,x\n", 0, "L1:12\" monitor|x\n" },             /* stray quote kept (lenient) */
    { "a\rb\n", 0, "L1:a\nL1:b\n" },                              /* bare CR ends a record */
    { "   \n  ,\n", 0, "L2:|\n" },
    { "a,b\r1,\"x, y\"\r\r2,3\r", 0, "L1:a|b\nL2:1|x, y\nL4:2|3\n" }, /* CR-only lines (Mac) */
};

static const struct csv_case bad[] = {
    /* An unbalanced quote swallows nothing: the line is reported and skipped, the rest is read. */
    { "h\n\"open,x\ngood,1\n", 0, "L1:h\n!L2:unbalanced quote: a quot\nL3:good|1\n" },
    { "h\ngood,1\n\"open", 0, "L1:h\nL2:good|1\n!L3:unbalanced quote: a quot\n" },
    /* "a<newline>"b: the quote on line 3 closes the cell and reopens it (libcsv's leniency), so the
     * cell stays open to the end: both lines are reported and skipped, line 4 is read. */
    { "h\n\"a\n\"b\nc\n", 0, "L1:h\n!L2:unbalanced quote: a quot\n!L3:unbalanced quote: a quot\nL4:c\n" },
    { "h\n\"x\" junk,y\nz\n", 0, "L1:h\n!L2:unbalanced quote: a quot\nL3:z\n" },
};

TEST(reader_good)
{
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        CONTEXT("good[%zu] %s", i, good[i].in);
        static struct got g;
        CHECK_EQ_INT(read_str(good[i].in, strlen(good[i].in), good[i].delim, true, &g), UNMASK_OK);
        CHECK_EQ_STR(g.text, good[i].want);
        CHECK_EQ_INT(g.problems, 0);
    }
}

TEST(reader_bad)
{
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CONTEXT("bad[%zu] %s", i, bad[i].in);
        static struct got g;
        CHECK_EQ_INT(read_str(bad[i].in, strlen(bad[i].in), bad[i].delim, true, &g), UNMASK_OK);
        CHECK_EQ_STR(g.text, bad[i].want);
    }
}

/* The fast path must deliver exactly what libcsv delivers. */
TEST(fast_path_equals_libcsv)
{
    const struct csv_case *sets[] = { good, bad };
    size_t ns[] = { sizeof good / sizeof *good, sizeof bad / sizeof *bad };
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < ns[k]; i++) {
            CONTEXT("set %zu case %zu", k, i);
            static struct got a, b;
            read_str(sets[k][i].in, strlen(sets[k][i].in), sets[k][i].delim, true, &a);
            read_str(sets[k][i].in, strlen(sets[k][i].in), sets[k][i].delim, false, &b);
            CHECK_EQ_STR(a.text, b.text);
        }
}

TEST(reader_utf16_refused)
{
    static struct got g;
    static const char in[] = "\xFF\xFE" "B\0r\0";
    CHECK_EQ_INT(read_str(in, sizeof in - 1, 0, true, &g), UNMASK_EPARSE);
    CHECK_CONTAINS(g.text, "!L1:UTF-16");
}

TEST(reader_long_cell_cut)
{
    size_t n = INV_MAX_CELL + 5000;
    char *in = malloc(n + 32);
    memcpy(in, "h\n\"", 3);
    memset(in + 3, 'A', n);
    memcpy(in + 3 + n, "\",x\nnext\n", 9);
    static struct got g;
    CHECK_EQ_INT(read_str(in, n + 12, 0, true, &g), UNMASK_OK);
    CHECK_EQ_INT(g.records, 3);
    CHECK_EQ_INT(g.problems, 1);
    CHECK_CONTAINS(g.text, "!L2:cell 1 is longer than");
    CHECK_CONTAINS(g.text, "|x\nL3:next\n");
    free(in);
}

TEST(reader_many_cells)
{
    size_t n = 3000;
    char *in = malloc(2 * n + 8);
    for (size_t i = 0; i < n; i++)
        in[2 * i] = 'c', in[2 * i + 1] = ',';
    in[2 * n - 1] = '\n';
    static struct got g;
    read_str(in, 2 * n, 0, true, &g);
    CHECK_EQ_INT(g.records, 1);
    CHECK_CONTAINS(g.text, "cells beyond");
    free(in);
}

/* Records across the reader's 64 KiB blocks, with long lines split between blocks, keep their
 * lines; the fast path and libcsv agree. */
TEST(reader_across_blocks)
{
    size_t rows = 20000, cap = rows * 64 + 200000;
    char *in = malloc(cap);
    size_t n = (size_t)snprintf(in, cap, "Brand,Model\n");
    for (size_t i = 0; i < rows; i++) {
        if (i == 7000) { /* one line of 150 KB: spans three blocks */
            n += (size_t)snprintf(in + n, cap - n, "long,");
            memset(in + n, 'x', 150000);
            n += 150000;
            in[n++] = '\n';
            continue;
        }
        n += (size_t)snprintf(in + n, cap - n, i % 3 ? "B%zu,\"M, %zu\"\n" : "B%zu,M%zu\n", i, i);
    }
    static struct got a, b;
    CHECK_EQ_INT(read_str(in, n, 0, true, &a), UNMASK_OK);
    CHECK_EQ_INT(a.records, (long)rows + 1);
    CHECK_EQ_INT(a.problems, 1); /* the long cell is cut */
    read_str(in, n, 0, false, &b);
    CHECK_EQ_INT(b.records, a.records);
    CHECK(!strcmp(a.text, b.text));
    CHECK_CONTAINS(a.text, "L20001:B19999|M, 19999\n");
    free(in);
}

/* ---- columns -------------------------------------------------------------------------------- */

static size_t split(char *line, struct inv_cell *cells, size_t cap)
{
    size_t n = 0;
    for (char *p = line; n < cap;) {
        char *bar = strchr(p, '|');
        cells[n++] = (struct inv_cell){ .s = p, .len = bar ? (size_t)(bar - p) : strlen(p) };
        if (!bar)
            break;
        *bar = '\0';
        p = bar + 1;
    }
    return n;
}

/* Roles the header gives, as "role,role,..." by column ("-" for none). */
static void roles(const char *header, const char *const *ov, char *out, size_t cap, bool *found)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", header);
    struct inv_cell cells[32];
    size_t n = split(buf, cells, 32);
    struct columns c;
    columns_init(&c);
    char err[256];
    for (; ov && *ov; ov++)
        columns_override(&c, *ov, err, sizeof err);
    *found = columns_header(&c, cells, n);
    out[0] = '\0';
    for (size_t i = 0; *found && i < n; i++) {
        const char *r = columns_role_name(c.role[i]);
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s%s", i ? "," : "", r ? r : "-");
    }
    columns_deinit(&c);
}

TEST(columns_headers)
{
    static const struct {
        const char *header;
        const char *ov[3];
        const char *want; /* NULL: not a header */
    } cases[] = {
        { "Manufacturer|Model Number|Description|Serial Number|MAC Address|Supplier", { 0 },
          "brand,model,description,serial,mac,supplier" },
        { "Mfr.|Mfr. Part #|Item Desc|S/N|HW Address|Reseller", { 0 },
          "brand,model,description,serial,mac,supplier" },
        { "Vendor|SKU|Product", { 0 }, "brand,model,description" },
        { "Manufacturer|Vendor|Part No.", { 0 }, "brand,supplier,model" },
        { "Equipment Serial Number|Vendor Part Number", { 0 }, "serial,model" },
        { "Asset Tag|IP Address|Contract Number|PO Number|UEI|CAGE Code|Make", { 0 },
          "id,address,contract,order,uei,cage,brand" },
        { "Brand|Brand Name", { 0 }, "brand,brand" },
        { "Qty|Unit Price|Total", { 0 }, NULL },
        { "Hikvision|DS-2CD2042WD-I|X1", { 0 }, NULL },
        { "Qty|Part Code|Name", { "model=part code", "description=3", 0 }, "-,model,description" },
        { "Manufacturer|Model|Description", { "description=", 0 }, "brand,model,-" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CONTEXT("case %zu: %s", i, cases[i].header);
        char got[256];
        bool found;
        roles(cases[i].header, cases[i].ov, got, sizeof got, &found);
        CHECK_EQ_INT(found, cases[i].want != NULL);
        if (cases[i].want)
            CHECK_EQ_STR(got, cases[i].want);
    }
}

TEST(columns_override_errors)
{
    struct columns c;
    columns_init(&c);
    char err[256];
    CHECK_EQ_INT(columns_override(&c, "colour=Paint", err, sizeof err), -1);
    CHECK_CONTAINS(err, "ROLE=HEADER");
    CHECK_EQ_INT(columns_override(&c, "model", err, sizeof err), -1);
    CHECK_EQ_INT(columns_override(&c, "model=Part", err, sizeof err), 0);
    columns_deinit(&c);
}

TEST(columns_observe_row)
{
    char hdr[] = "Asset|Manufacturer|Model|MAC|Serial|Supplier|Notes";
    char row[] = "A-1| Hikvision |DS-2CD2042WD-I|44:19:b6:01:02:03||Acme|free text";
    struct inv_cell h[16], r[16];
    size_t nh = split(hdr, h, 16), nr = split(row, r, 16);
    struct columns c;
    columns_init(&c);
    REQUIRE(columns_header(&c, h, nh));
    CHECK(columns_is_header_again(&c, h, nh));
    CHECK(!columns_is_header_again(&c, r, nr));
    struct device d;
    obs_device_init(&d);
    struct columns_values v;
    CHECK_EQ_INT(columns_observe(&c, r, nr, &d, &v), 4); /* serial is empty */
    CHECK_EQ_STR(d.obs[0].name, "inventory.brand");
    CHECK_EQ_STR(d.obs[0].value, "Hikvision");
    CHECK_EQ_STR(d.obs[1].name, "inventory.model");
    CHECK_EQ_STR(d.obs[2].name, "mac.address");
    CHECK_EQ_STR(d.obs[3].name, "inventory.supplier");
    CHECK_EQ_INT(v.len[COL_ID], 3);
    CHECK(v.v[COL_SERIAL] == NULL);
    obs_device_deinit(&d);
    columns_deinit(&c);
}

TEST(columns_guessing)
{
    struct columns c;
    columns_init(&c);
    columns_headerless(&c);
    CHECK(c.guessing);
    char row[] = "DS-2CD2042WD-I|44-19-B6-01-02-03| |x";
    struct inv_cell r[8];
    size_t nr = split(row, r, 8);
    struct device d;
    obs_device_init(&d);
    struct columns_values v;
    CHECK_EQ_INT(columns_observe(&c, r, nr, &d, &v), 7);
    CHECK_EQ_STR(d.obs[3].name, "mac.address");
    obs_device_deinit(&d);
    columns_deinit(&c);

    char err[64];
    columns_init(&c);
    columns_override(&c, "model=2", err, sizeof err);
    columns_headerless(&c);
    CHECK(!c.guessing);
    CHECK_EQ_INT(c.first[COL_MODEL], 1);
    columns_deinit(&c);
}

HARNESS_MAIN(T(reader_good), T(reader_bad), T(fast_path_equals_libcsv), T(reader_utf16_refused),
             T(reader_long_cell_cut), T(reader_many_cells), T(reader_across_blocks),
             T(columns_headers), T(columns_override_errors), T(columns_observe_row),
             T(columns_guessing))
