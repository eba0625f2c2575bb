/* test_utf8.c: utf8_valid, utf8_repair and utf8_prefix against the RFC 3629 byte table. */
#include <stdlib.h>
#include <string.h>

#include "../../src/core/utf8.h"
#include "../harness.h"

struct bytes {
    const char *s;
    size_t n; /* 0: strlen(s) */
};
#define B(lit) { lit, sizeof(lit) - 1 }

static const struct bytes good[] = {
    B(""),
    B("plain ASCII"),
    B("a\0b"),                /* NUL is a character */
    B("\x7f"),
    B("\xC2\x80"),            /* U+0080, smallest 2-byte */
    B("\xDF\xBF"),            /* U+07FF */
    B("\xE0\xA0\x80"),        /* U+0800, smallest 3-byte */
    B("\xE2\x82\xAC"),        /* EURO SIGN */
    B("\xED\x9F\xBF"),        /* U+D7FF, just below the surrogates */
    B("\xEE\x80\x80"),        /* U+E000, just above */
    B("\xEF\xBF\xBD"),        /* U+FFFD */
    B("\xEF\xBF\xBF"),        /* U+FFFF (a noncharacter, still well-formed) */
    B("\xF0\x90\x80\x80"),    /* U+10000 */
    B("\xF0\x9F\x98\x80"),    /* emoji */
    B("\xF4\x8F\xBF\xBF"),    /* U+10FFFF, the last code point */
    B("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC"),
};

static const struct bytes bad[] = {
    B("\x80"),                /* lone continuation */
    B("\xBF"),
    B("a\x80z"),
    B("\xC0\x80"),            /* overlong NUL */
    B("\xC0\xAF"),            /* overlong '/' */
    B("\xC1\xBF"),            /* overlong */
    B("\xE0\x80\x80"),        /* overlong 3-byte */
    B("\xE0\x9F\xBF"),        /* overlong U+07FF */
    B("\xED\xA0\x80"),        /* U+D800 high surrogate */
    B("\xED\xAF\xBF"),
    B("\xED\xB0\x80"),        /* U+DC00 low surrogate */
    B("\xED\xBF\xBF"),        /* U+DFFF */
    B("\xF0\x80\x80\x80"),    /* overlong 4-byte */
    B("\xF0\x8F\xBF\xBF"),    /* overlong U+FFFF */
    B("\xF4\x90\x80\x80"),    /* U+110000 */
    B("\xF5\x80\x80\x80"),    /* lead byte past U+10FFFF */
    B("\xF7\xBF\xBF\xBF"),
    B("\xF8\x88\x80\x80\x80"), /* 5-byte form */
    B("\xFC\x84\x80\x80\x80\x80"),
    B("\xFE"),
    B("\xFF"),
    B("\xC2"),                /* truncated */
    B("\xE2\x82"),
    B("\xF0\x9F\x98"),
    B("abc\xC3"),
    B("\xC2\x41"),            /* continuation missing */
    B("\xE2\x28\xA1"),
    B("\xE2\x82\x28"),
    B("\xF0\x28\x8C\xBC"),
    B("\xF0\x90\x28\xBC"),
    B("\xF0\x90\x8C\x28"),
};

TEST(valid_good)
{
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        CONTEXT("good[%zu]", i);
        CHECK(utf8_valid(good[i].s, good[i].n));
    }
}

TEST(valid_bad)
{
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CONTEXT("bad[%zu]", i);
        CHECK(!utf8_valid(bad[i].s, bad[i].n));
    }
}

TEST(valid_respects_length)
{
    /* The bytes past n are never looked at. */
    CHECK(utf8_valid("ab\xFF", 2));
    CHECK(!utf8_valid("\xE2\x82\xAC", 2));
    CHECK(utf8_valid("\xE2\x82\xAC", 0));
}

TEST(repair_keeps_good)
{
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        CONTEXT("good[%zu]", i);
        char *out = malloc(3 * good[i].n + 1);
        size_t l = utf8_repair(good[i].s, good[i].n, out);
        CHECK_EQ_MEM(out, l, good[i].s, good[i].n);
        CHECK_EQ_INT(out[l], 0);
        free(out);
    }
}

#define FFFD "\xEF\xBF\xBD"
static const struct {
    struct bytes in, out;
} repairs[] = {
    { B("\x80"), B(FFFD) },
    { B("a\xFFz"), B("a" FFFD "z") },
    { B("\xC0\x80"), B(FFFD FFFD) },                    /* each ill-formed byte is replaced */
    { B("\xED\xA0\x80"), B(FFFD FFFD FFFD) },
    { B("\xF4\x90\x80\x80"), B(FFFD FFFD FFFD FFFD) },
    { B("\xE2\x82"), B(FFFD FFFD) },
    { B("x\xE2\x82\xACy\xC3"), B("x\xE2\x82\xACy" FFFD) },
    { B("\xC2\x41"), B(FFFD "A") },
    { B("\xF0\x9F\x98\x80\x80"), B("\xF0\x9F\x98\x80" FFFD) },
};

TEST(repair_table)
{
    for (size_t i = 0; i < sizeof repairs / sizeof *repairs; i++) {
        CONTEXT("repairs[%zu]", i);
        char *out = malloc(3 * repairs[i].in.n + 1);
        size_t l = utf8_repair(repairs[i].in.s, repairs[i].in.n, out);
        CHECK_EQ_MEM(out, l, repairs[i].out.s, repairs[i].out.n);
        CHECK(utf8_valid(out, l));
        free(out);
    }
}

TEST(repair_bad_is_valid)
{
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CONTEXT("bad[%zu]", i);
        char *out = malloc(3 * bad[i].n + 1);
        size_t l = utf8_repair(bad[i].s, bad[i].n, out);
        CHECK(utf8_valid(out, l));
        CHECK(l <= 3 * bad[i].n);
        CHECK(l > 0);
        free(out);
    }
}

/* A fixed xorshift generator keeps the random cases identical on every run. */
static unsigned long long rng = 0x9E3779B97F4A7C15ull;
static unsigned rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 32);
}

TEST(repair_random_bytes)
{
    char in[64], out[3 * 64 + 1];
    for (int round = 0; round < 20000; round++) {
        size_t n = rnd() % sizeof in;
        for (size_t i = 0; i < n; i++) {
            unsigned r = rnd();
            /* bias towards lead and continuation bytes so that many sequences are nearly right */
            in[i] = (char)(r % 4 == 0 ? 0x80 | (r >> 8 & 0x3F) : r % 4 == 1 ? 0xC0 | (r >> 8 & 0x3F) : r >> 8);
        }
        size_t l = utf8_repair(in, n, out);
        CONTEXT("round %d", round);
        if (!CHECK(utf8_valid(out, l)) || !CHECK(l <= 3 * n))
            return;
        if (utf8_valid(in, n) && !CHECK_EQ_MEM(out, l, in, n))
            return;
    }
}

static const struct {
    struct bytes s;
    size_t max, want;
} prefixes[] = {
    { B("abc"), 5, 3 },
    { B("abc"), 3, 3 },
    { B("abc"), 2, 2 },
    { B("abc"), 0, 0 },
    { B(""), 0, 0 },
    { B("\xC3\xA9"), 1, 0 },                 /* é cut in the middle */
    { B("a\xC3\xA9"), 2, 1 },
    { B("a\xC3\xA9"), 3, 3 },
    { B("a\xE2\x82\xAC"), 2, 1 },
    { B("a\xE2\x82\xAC"), 3, 1 },
    { B("a\xE2\x82\xAC"), 4, 4 },
    { B("a\xE2\x82\xAC" "b"), 4, 4 },
    { B("\xF0\x9F\x98\x80"), 3, 0 },
    { B("\xF0\x9F\x98\x80x"), 4, 4 },
    { B("xy\xF0\x9F\x98\x80"), 5, 2 },
};

TEST(prefix_table)
{
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        CONTEXT("prefixes[%zu]", i);
        CHECK_EQ_INT(utf8_prefix(prefixes[i].s.s, prefixes[i].s.n, prefixes[i].max), prefixes[i].want);
    }
}

TEST(prefix_of_valid_is_valid)
{
    const char *s = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 w\xC3\xB6rld";
    size_t n = strlen(s);
    for (size_t max = 0; max <= n + 1; max++) {
        CONTEXT("max %zu", max);
        size_t p = utf8_prefix(s, n, max);
        CHECK(p <= max);
        CHECK(p + 3 >= (max < n ? max : n)); /* at most one partial character dropped */
        CHECK(utf8_valid(s, p));
    }
}

HARNESS_MAIN(T(valid_good), T(valid_bad), T(valid_respects_length), T(repair_keeps_good),
             T(repair_table), T(repair_bad_is_valid), T(repair_random_bytes), T(prefix_table),
             T(prefix_of_valid_is_valid))
