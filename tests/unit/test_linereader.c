/* test_linereader.c: lines, CRLF, a last line without newline, and the hard cap (via fmemopen). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/core/linereader.h"
#include "../harness.h"

/* One expected result of linereader_next: rc, and for UNMASK_OK the line and its number. */
struct step {
    int rc;
    const char *line;
    long lineno;
};

/* Reads buf[0..len) with the given cap and compares every call with want[] (ending with rc 1). */
static void run(const char *buf, size_t len, size_t cap, const struct step *want, size_t n_want)
{
    FILE *f = fmemopen((void *)buf, len, "r");
    if (!CHECK(f != NULL))
        return;
    struct linereader lr;
    linereader_init(&lr, f, cap);
    for (size_t i = 0; i < n_want; i++) {
        char *line = NULL;
        size_t l = 0;
        int rc = linereader_next(&lr, &line, &l);
        CONTEXT("step %zu", i);
        if (!CHECK_EQ_INT(rc, want[i].rc))
            break;
        if (want[i].lineno)
            CHECK_EQ_INT(lr.lineno, want[i].lineno);
        if (rc == UNMASK_OK) {
            CHECK_EQ_MEM(line, l, want[i].line, strlen(want[i].line));
            CHECK_EQ_INT(line[l], 0);
        }
    }
    linereader_deinit(&lr);
    fclose(f);
}
#define RUN(buf, cap, ...)                                                                         \
    do {                                                                                           \
        static const struct step w_[] = { __VA_ARGS__ };                                          \
        run(buf, sizeof(buf) - 1, cap, w_, sizeof w_ / sizeof *w_);                                \
    } while (0)

TEST(plain_lines)
{
    RUN("a\nbb\nccc\n", 100, { 0, "a", 1 }, { 0, "bb", 2 }, { 0, "ccc", 3 }, { 1, NULL, 3 },
        { 1, NULL, 3 });
}

TEST(empty_input) { RUN("", 100, { 1, NULL, 0 }); }

TEST(empty_lines) { RUN("\n\n\nx\n", 100, { 0, "", 1 }, { 0, "", 2 }, { 0, "", 3 }, { 0, "x", 4 }, { 1, NULL, 0 }); }

TEST(crlf)
{
    RUN("a\r\nbb\r\n\r\nlast\r\n", 100, { 0, "a", 1 }, { 0, "bb", 2 }, { 0, "", 3 }, { 0, "last", 4 },
        { 1, NULL, 0 });
    /* A lone CR inside a line is data; only the one before the newline goes. */
    RUN("a\rb\r\r\n", 100, { 0, "a\rb\r", 1 }, { 1, NULL, 0 });
}

TEST(last_line_without_newline)
{
    RUN("a\nlast", 100, { 0, "a", 1 }, { 0, "last", 2 }, { 1, NULL, 0 });
    RUN("only", 100, { 0, "only", 1 }, { 1, NULL, 0 });
    RUN("a\r\nlast\r", 100, { 0, "a", 1 }, { 0, "last", 2 }, { 1, NULL, 0 });
}

TEST(overlong_line_skipped)
{
    RUN("short\n0123456789abcdef\nnext\n", 8, { 0, "short", 1 }, { UNMASK_ELIMIT, NULL, 2 },
        { 0, "next", 3 }, { 1, NULL, 0 });
    /* Two overlong lines in a row, then an overlong last line without newline. */
    RUN("0123456789\n0123456789abcdefghij\nok\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 8,
        { UNMASK_ELIMIT, NULL, 1 }, { UNMASK_ELIMIT, NULL, 2 }, { 0, "ok", 3 },
        { UNMASK_ELIMIT, NULL, 4 }, { 1, NULL, 0 });
}

TEST(cap_boundary)
{
    RUN("01234567\n", 8, { 0, "01234567", 1 }, { 1, NULL, 0 });
    RUN("012345678\nx\n", 8, { UNMASK_ELIMIT, NULL, 1 }, { 0, "x", 2 }, { 1, NULL, 0 });
    RUN("01234567", 8, { 0, "01234567", 1 }, { 1, NULL, 0 });
    RUN("012345678", 8, { UNMASK_ELIMIT, NULL, 1 }, { 1, NULL, 0 });
    RUN("", 0, { 1, NULL, 0 });
    RUN("\nx\n", 0, { 0, "", 1 }, { UNMASK_ELIMIT, NULL, 2 }, { 1, NULL, 0 });
}

/* Regression (fixed): "\r\n" is the newline, so a CRLF line whose text is exactly the cap should be
 * kept, as the same line with "\n" is; today the '\r' counts against the cap. */
TEST(cap_boundary_crlf) { RUN("01234567\r\nx\n", 8, { 0, "01234567", 1 }, { 0, "x", 2 }, { 1, NULL, 0 }); }

/* Regression (fixed): a NUL byte inside a line makes fgets+strlen lose the rest of that line and
 * merge the next line into it, so line numbers and devices go wrong. */
TEST(nul_in_line)
{
    static const char text[] = "a\0b\nnext\n";
    FILE *f = fmemopen((void *)text, sizeof text - 1, "r");
    REQUIRE(f != NULL);
    struct linereader lr;
    linereader_init(&lr, f, 100);
    char *line;
    size_t l;
    if (CHECK_EQ_INT(linereader_next(&lr, &line, &l), UNMASK_OK))
        CHECK_EQ_MEM(line, l, "a\0b", 3);
    if (CHECK_EQ_INT(linereader_next(&lr, &line, &l), UNMASK_OK))
        CHECK_EQ_MEM(line, l, "next", 4);
    CHECK_EQ_INT(lr.lineno, 2);
    linereader_deinit(&lr);
    fclose(f);
}
#define KNOWN_BUG_TESTS , T(cap_boundary_crlf), T(nul_in_line)

/* Lines around the initial 4096-byte buffer and a large cap: the buffer grows and the cap holds. */
TEST(large_lines)
{
    size_t cap = 10000;
    size_t lens[] = { 4094, 4095, 4096, 4097, 8191, 8192, 9999, 10000, 10001, 20000, 100000, 0, 3 };
    size_t n = sizeof lens / sizeof *lens, total = 0;
    for (size_t i = 0; i < n; i++)
        total += lens[i] + 1;
    char *buf = malloc(total), *p = buf;
    for (size_t i = 0; i < n; i++) {
        memset(p, 'a' + (int)(i % 26), lens[i]);
        p[lens[i]] = '\n';
        p += lens[i] + 1;
    }
    FILE *f = fmemopen(buf, total, "r");
    REQUIRE(f != NULL);
    struct linereader lr;
    linereader_init(&lr, f, cap);
    for (size_t i = 0; i < n; i++) {
        char *line;
        size_t l;
        int rc = linereader_next(&lr, &line, &l);
        CONTEXT("line of %zu bytes", lens[i]);
        CHECK_EQ_INT(lr.lineno, (long)i + 1);
        if (lens[i] > cap) {
            CHECK_EQ_INT(rc, UNMASK_ELIMIT);
        } else if (CHECK_EQ_INT(rc, UNMASK_OK)) {
            CHECK_EQ_INT(l, lens[i]);
            CHECK(l == 0 || (line[0] == 'a' + (int)(i % 26) && line[l - 1] == line[0]));
            CHECK_EQ_INT(line[l], 0);
        }
    }
    char *line;
    size_t l;
    CHECK_EQ_INT(linereader_next(&lr, &line, &l), 1);
    linereader_deinit(&lr);
    fclose(f);
    free(buf);
}

/* The same lines with every cap from 0 to past the longest: each line is either returned whole or
 * reported as too long, and the line count never drifts. */
TEST(every_cap)
{
    static const char text[] = "alpha\nbe\r\n\ngamma-delta\nz";
    static const char *const lines[] = { "alpha", "be", "", "gamma-delta", "z" };
    for (size_t cap = 0; cap < 16; cap++) {
        FILE *f = fmemopen((void *)text, sizeof text - 1, "r");
        REQUIRE(f != NULL);
        struct linereader lr;
        linereader_init(&lr, f, cap);
        for (size_t i = 0; i < 5; i++) {
            char *line;
            size_t l;
            int rc = linereader_next(&lr, &line, &l);
            CONTEXT("cap %zu line %zu", cap, i);
            CHECK_EQ_INT(lr.lineno, (long)i + 1);
            size_t want = strlen(lines[i]);
            /* "be\r\n": the CR may count against the cap (see cap_boundary_crlf) */
            if (want < cap || (want == cap && i != 1))
            {
                if (CHECK_EQ_INT(rc, UNMASK_OK))
                    CHECK_EQ_MEM(line, l, lines[i], want);
            }
            else if (want > cap)
                CHECK_EQ_INT(rc, UNMASK_ELIMIT);
        }
        char *line;
        size_t l;
        CHECK_EQ_INT(linereader_next(&lr, &line, &l), 1);
        linereader_deinit(&lr);
        fclose(f);
    }
}

HARNESS_MAIN(T(plain_lines), T(empty_input), T(empty_lines), T(crlf), T(last_line_without_newline),
             T(overlong_line_skipped), T(cap_boundary), T(large_lines), T(every_cap) KNOWN_BUG_TESTS)
