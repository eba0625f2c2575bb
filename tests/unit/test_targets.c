/* test_targets.c: target specs, exclusions, the random order and shards (src/net/targets.c). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../../src/core/err.h"
#include "../../src/net/targets.h"
#include "../harness.h"

static struct targets *build(const char *const *inc, const char *const *exc, bool bcast)
{
    struct targets *t = targets_new();
    char err[256];
    for (; inc && *inc; inc++)
        if (targets_add(t, *inc, false, false, bcast, err, sizeof err) < 0)
            CHECK_EQ_STR(err, "");
    for (; exc && *exc; exc++)
        if (targets_add(t, *exc, true, false, bcast, err, sizeof err) < 0)
            CHECK_EQ_STR(err, "");
    CHECK_EQ_INT(targets_finish(t, err, sizeof err), UNMASK_OK);
    return t;
}

static void addr_text(const struct target_addr *a, char *out)
{
    target_addr_str(a, out, 64);
}

TEST(parse_good)
{
    static const struct {
        const char *spec, *first, *last;
        bool cidr;
    } cases[] = {
        { "192.0.2.7", "192.0.2.7", "192.0.2.7", false },
        { "192.0.2.0/24", "192.0.2.0", "192.0.2.255", true },
        { "192.0.2.77/30", "192.0.2.76", "192.0.2.79", true },
        { "192.0.2.1/32", "192.0.2.1", "192.0.2.1", false },
        { "192.0.2.0/31", "192.0.2.0", "192.0.2.1", false },
        { "10.0.0.0/8", "10.0.0.0", "10.255.255.255", true },
        { "192.0.2.1-192.0.2.9", "192.0.2.1", "192.0.2.9", false },
        { "192.0.2.1-9", "192.0.2.1", "192.0.2.9", false },
        { "127.77.0.250-127.77.1.3", "127.77.0.250", "127.77.1.3", false },
        { "2001:db8::1", "2001:db8::1", "2001:db8::1", false },
        { "2001:db8::/120", "2001:db8::", "2001:db8::ff", true },
        { "2001:db8::1-2001:db8::ff", "2001:db8::1", "2001:db8::ff", false },
        { "::ffff:192.0.2.5", "192.0.2.5", "192.0.2.5", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        CONTEXT("%s", cases[i].spec);
        struct targets *t = targets_new();
        char err[256];
        bool cidr;
        struct target_range r;
        CHECK_EQ_INT(targets_parse(cases[i].spec, &r, &cidr), UNMASK_OK);
        CHECK_EQ_INT(cidr, cases[i].cidr);
        CHECK_EQ_INT(targets_add(t, cases[i].spec, false, false, true, err, sizeof err), UNMASK_OK);
        CHECK_EQ_INT(targets_finish(t, err, sizeof err), UNMASK_OK);
        REQUIRE(targets_n_ranges(t) == 1);
        struct target_addr f, l;
        uint64_t n;
        targets_range(t, 0, &f, &l, &n);
        char a[64], b[64];
        addr_text(&f, a);
        addr_text(&l, b);
        CHECK_EQ_STR(a, cases[i].first);
        CHECK_EQ_STR(b, cases[i].last);
        targets_free(t);
    }
}

TEST(parse_bad)
{
    static const char *const bad[] = {
        "", "192.0.2", "192.0.2.256", "192.0.2.0/33", "192.0.2.0/", "192.0.2.0/-1", "192.0.2.9-192.0.2.1",
        "192.0.2.1-256", "192.0.2.1-2001:db8::1", "2001:db8::/129", "1.2.3.4/24/8", "1.2.3.4-5-6",
        "a.b.c.d", "192.0.2.0/08", "-192.0.2.1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CONTEXT("'%s'", bad[i]);
        struct target_range r;
        bool cidr;
        CHECK_EQ_INT(targets_parse(bad[i], &r, &cidr), UNMASK_EPARSE);
    }
    struct targets *t = targets_new();
    char err[256];
    CHECK_EQ_INT(targets_add(t, "not an address!", false, true, false, err, sizeof err), UNMASK_EUSAGE);
    CHECK_CONTAINS(err, "is not an address");
    CHECK_EQ_INT(targets_add(t, "host.example", false, false, false, err, sizeof err), UNMASK_EUSAGE);
    targets_free(t);
}

TEST(broadcast_and_multicast_left_out)
{
    static const char *const inc[] = { "10.0.0.0/30", "224.0.0.251", "255.255.255.255", "ff02::1", NULL };
    struct targets *t = build(inc, NULL, false);
    CHECK_EQ_INT(targets_count(t), 2); /* 10.0.0.1 and 10.0.0.2 */
    targets_free(t);
    t = build(inc, NULL, true);
    CHECK_EQ_INT(targets_count(t), 7);
    targets_free(t);
}

TEST(exclusions_subtracted)
{
    static const char *const inc[] = { "192.0.2.1-192.0.2.100", "192.0.2.50-192.0.2.150", "198.51.100.7", NULL };
    static const char *const exc[] = { "192.0.2.10-192.0.2.19", "192.0.2.150", "198.51.100.0/24", "192.0.2.1", NULL };
    struct targets *t = build(inc, exc, false);
    CHECK_EQ_INT(targets_count(t), 150 - 10 - 1 - 1);
    CHECK_EQ_INT(targets_n_ranges(t), 2);
    struct target_addr a;
    CHECK_EQ_INT(target_addr_parse("192.0.2.15", &a), UNMASK_OK);
    CHECK(targets_excluded(t, &a));
    CHECK(!targets_contains(t, &a));
    CHECK_EQ_INT(target_addr_parse("192.0.2.20", &a), UNMASK_OK);
    CHECK(targets_contains(t, &a));
    CHECK(!targets_excluded(t, &a));
    /* Every address the iterator gives is included and none is excluded. */
    struct target_iter it;
    targets_iter_init(&it, t, 5, 0, 1);
    size_t n = 0;
    while (targets_iter_next(&it, &a)) {
        CHECK(targets_contains(t, &a));
        CHECK(!targets_excluded(t, &a));
        n++;
    }
    CHECK_EQ_INT(n, targets_count(t));
    targets_free(t);
}

TEST(everything_excluded)
{
    static const char *const inc[] = { "192.0.2.0/24", NULL };
    static const char *const exc[] = { "192.0.0.0/16", NULL };
    struct targets *t = build(inc, exc, false);
    CHECK_EQ_INT(targets_count(t), 0);
    struct target_iter it;
    struct target_addr a;
    targets_iter_init(&it, t, 1, 0, 1);
    CHECK(!targets_iter_next(&it, &a));
    targets_free(t);
}

TEST(too_many)
{
    struct targets *t = targets_new();
    char err[256];
    CHECK_EQ_INT(targets_add(t, "2001:db8::/64", false, false, false, err, sizeof err), UNMASK_OK);
    CHECK_EQ_INT(targets_finish(t, err, sizeof err), UNMASK_ELIMIT);
    CHECK_CONTAINS(err, "more than");
    targets_free(t);
    t = targets_new();
    CHECK_EQ_INT(targets_add(t, "0.0.0.0/0", false, false, true, err, sizeof err), UNMASK_OK);
    CHECK_EQ_INT(targets_finish(t, err, sizeof err), UNMASK_OK);
    CHECK_EQ_INT(targets_count(t), (long long)TARGETS_MAX);
    targets_free(t);
}

/* A walk visits every index once; the same seed gives the same order. */
static void walk(const struct targets *t, uint64_t seed, uint32_t shard, uint32_t n_shards, char *seen,
                 uint32_t *order, size_t *n)
{
    struct target_iter it;
    struct target_addr a;
    targets_iter_init(&it, t, seed, shard, n_shards);
    while (targets_iter_next(&it, &a)) {
        uint32_t v = (uint32_t)a.a[2] << 8 | a.a[3];
        if (seen)
            seen[v]++;
        if (order)
            order[*n] = v;
        (*n)++;
    }
}

TEST(random_order_is_a_permutation)
{
    static const size_t sizes[] = { 1, 2, 3, 4, 5, 97, 1000, 4096, 65535 };
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        char spec[64];
        snprintf(spec, sizeof spec, "10.0.0.0-10.0.%zu.%zu", (sizes[k] - 1) / 256, (sizes[k] - 1) % 256);
        const char *const inc[] = { spec, NULL };
        struct targets *t = build(inc, NULL, false);
        CONTEXT("%zu addresses", sizes[k]);
        REQUIRE(targets_count(t) == sizes[k]);
        for (uint64_t seed = 0; seed < 3; seed++) {
            char *seen = calloc(65536, 1);
            size_t n = 0;
            walk(t, seed, 0, 1, seen, NULL, &n);
            CHECK_EQ_INT(n, sizes[k]);
            size_t once = 0;
            for (size_t i = 0; i < sizes[k]; i++)
                once += seen[i] == 1;
            CHECK_EQ_INT(once, sizes[k]);
            free(seen);
        }
        targets_free(t);
    }
}

TEST(seed_decides_the_order)
{
    const char *const inc[] = { "10.0.0.0/22", NULL };
    struct targets *t = build(inc, NULL, true);
    uint32_t *a = calloc(1024, 4), *b = calloc(1024, 4), *c = calloc(1024, 4);
    size_t na = 0, nb = 0, nc = 0;
    walk(t, 42, 0, 1, NULL, a, &na);
    walk(t, 42, 0, 1, NULL, b, &nb);
    walk(t, 43, 0, 1, NULL, c, &nc);
    CHECK_EQ_INT(na, 1024);
    CHECK_EQ_MEM(a, na * 4, b, nb * 4);
    CHECK(memcmp(a, c, na * 4) != 0);
    /* Not sequential: consecutive addresses are rarely neighbours. */
    size_t adjacent = 0;
    for (size_t i = 1; i < na; i++)
        adjacent += a[i] == a[i - 1] + 1;
    CHECK(adjacent < 20);
    free(a);
    free(b);
    free(c);
    targets_free(t);
}

TEST(shards_partition_the_targets)
{
    const char *const inc[] = { "10.0.0.0/20", NULL };
    struct targets *t = build(inc, NULL, true);
    for (uint32_t shards = 1; shards <= 5; shards++) {
        CONTEXT("%u shards", shards);
        char *seen = calloc(65536, 1);
        size_t total = 0;
        for (uint32_t s = 0; s < shards; s++) {
            size_t n = 0;
            walk(t, 9, s, shards, seen, NULL, &n);
            CHECK_EQ_INT(n, targets_shard_count(targets_count(t), s, shards, 9));
            total += n;
        }
        CHECK_EQ_INT(total, 4096);
        size_t once = 0;
        for (size_t i = 0; i < 4096; i++)
            once += seen[i] == 1;
        CHECK_EQ_INT(once, 4096);
        free(seen);
    }
    targets_free(t);
}

TEST(mixed_families)
{
    const char *const inc[] = { "2001:db8::/126", "192.0.2.1", "2001:db8::2", NULL };
    struct targets *t = build(inc, NULL, false);
    CHECK_EQ_INT(targets_count(t), 5);
    size_t v4 = 0, v6 = 0;
    struct target_iter it;
    struct target_addr a;
    targets_iter_init(&it, t, 3, 0, 1);
    while (targets_iter_next(&it, &a)) {
        v4 += a.family == AF_INET;
        v6 += a.family == AF_INET6;
    }
    CHECK_EQ_INT(v4, 1);
    CHECK_EQ_INT(v6, 4);
    targets_free(t);
}

TEST(target_file)
{
    char text[] = "# cameras\n192.0.2.1 192.0.2.2, 192.0.2.3\n\n  192.0.2.10-12 # the NVRs\n";
    FILE *f = fmemopen(text, strlen(text), "r");
    struct targets *t = targets_new();
    char err[256];
    CHECK_EQ_INT(targets_add_file(t, f, "list", false, false, false, err, sizeof err), UNMASK_OK);
    fclose(f);
    CHECK_EQ_INT(targets_finish(t, err, sizeof err), UNMASK_OK);
    CHECK_EQ_INT(targets_count(t), 6);
    targets_free(t);
    char bad[] = "192.0.2.1\nbogus!\n";
    f = fmemopen(bad, strlen(bad), "r");
    t = targets_new();
    CHECK_EQ_INT(targets_add_file(t, f, "list", false, false, false, err, sizeof err), UNMASK_EUSAGE);
    CHECK_CONTAINS(err, "list:2: ");
    fclose(f);
    targets_free(t);
}

TEST(localhost_resolves)
{
    struct targets *t = targets_new();
    char err[256];
    CHECK_EQ_INT(targets_add(t, "localhost", false, true, false, err, sizeof err), UNMASK_OK);
    CHECK_EQ_INT(targets_finish(t, err, sizeof err), UNMASK_OK);
    CHECK(targets_count(t) >= 1);
    struct target_addr a;
    CHECK_EQ_INT(target_addr_parse("127.0.0.1", &a), UNMASK_OK);
    CHECK(targets_contains(t, &a));
    targets_free(t);
}

HARNESS_MAIN(T(parse_good), T(parse_bad), T(broadcast_and_multicast_left_out), T(exclusions_subtracted),
             T(everything_excluded), T(too_many), T(random_order_is_a_permutation),
             T(seed_decides_the_order), T(shards_partition_the_targets), T(mixed_families),
             T(target_file), T(localhost_resolves))
