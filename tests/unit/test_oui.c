/* test_oui.c: MAC notations, the locally administered bit, and the IEEE registry read from CSV text
 * with the longest registered prefix winning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/kb/oui.h"
#include "../harness.h"

static const struct {
    const char *s;
    int nibbles;
    unsigned long long value;
} notations[] = {
    { "44:19:B6", 6, 0x4419B6 },
    { "44-19-b6", 6, 0x4419B6 },
    { "4419b6", 6, 0x4419B6 },
    { "4419B6", 6, 0x4419B6 },
    { "44:19:B6:12:34:56", 12, 0x4419B6123456ull },
    { "44-19-B6-12-34-56", 12, 0x4419B6123456ull },
    { "4419.b612.3456", 12, 0x4419B6123456ull },
    { "4419b6123456", 12, 0x4419B6123456ull },
    { "40-2C-76-1", 7, 0x402C761 },
    { "40:2C:76:1", 7, 0x402C761 },
    { "402c761", 7, 0x402C761 },
    { "70:B3:D5:12:3", 9, 0x70B3D5123 },
    { "70B3D5123", 9, 0x70B3D5123 },
    { "ff:ff:ff:ff:ff:ff", 12, 0xFFFFFFFFFFFFull },
    { "00:00:00", 6, 0 },
};

static const char *const bad_notations[] = {
    "", "4", "44:19", "4419B", "44:19:B", "44:19:B6:12:34:56:78", "4419b61234567",
    ":44:19:B6", "44:19:B6:", "-4419B6", "4419B6.", "44 19 B6", "44:19:G6", "0x4419b6",
    "44:19:B6\n", "4419\xC3\xA9", "44_19_B6",
};

TEST(parse_notations)
{
    for (size_t i = 0; i < sizeof notations / sizeof *notations; i++) {
        CONTEXT("'%s'", notations[i].s);
        uint64_t v = 0;
        size_t n = strlen(notations[i].s);
        char *copy = malloc(n + 1); /* exact size, so ASan sees a read past n */
        memcpy(copy, notations[i].s, n);
        CHECK_EQ_INT(oui_parse(copy, n, &v), notations[i].nibbles);
        CHECK_EQ_INT(v, notations[i].value);
        free(copy);
    }
}

TEST(parse_bad)
{
    for (size_t i = 0; i < sizeof bad_notations / sizeof *bad_notations; i++) {
        CONTEXT("'%s'", bad_notations[i]);
        uint64_t v = 12345;
        CHECK_EQ_INT(oui_parse(bad_notations[i], strlen(bad_notations[i]), &v), -1);
    }
}

TEST(parse_respects_length)
{
    uint64_t v;
    CHECK_EQ_INT(oui_parse("4419B6FFxyz", 6, &v), 6);
    CHECK_EQ_INT(v, 0x4419B6);
    CHECK_EQ_INT(oui_parse("44:19:B6:", 8, &v), 6);
    CHECK_EQ_INT(oui_parse("44:19:B6", 7, &v), -1); /* 5 digits */
    CHECK_EQ_INT(oui_parse("", 0, &v), -1);
}

TEST(local_bit)
{
    CHECK(!oui_is_local(0x4419B6, 6));
    CHECK(oui_is_local(0x0200AA, 6));
    CHECK(oui_is_local(0xDA0000, 6)); /* 1101 1010: local */
    CHECK(!oui_is_local(0x010000, 6)); /* multicast, not local */
    CHECK(oui_is_local(0x02AABBCCDDEEull, 12));
    CHECK(!oui_is_local(0x3CEF8C112233ull, 12));
    CHECK(oui_is_local(0x3EEF8C112233ull, 12));
    CHECK(oui_is_local(0x0200001, 7));
    CHECK(!oui_is_local(0x402C761, 7));
    CHECK(oui_is_local(0xF2000000F, 9));
    uint64_t v;
    CHECK_EQ_INT(oui_parse("3e:ef:8c:11:22:33", 17, &v), 12);
    CHECK(oui_is_local(v, 12));
}

/* The IEEE files: header, quoted names with commas, addresses with newlines in quotes, CRLF. */
static const char ma_l[] =
    "Registry,Assignment,Organization Name,Organization Address\r\n"
    "MA-L,4419B6,\"Hangzhou Hikvision Digital Technology Co.,Ltd.\",\"No.555 Qianmo Road Hangzhou Zhejiang CN 310052 \"\r\n"
    "MA-L,3CEF8C,\"Zhejiang Dahua Technology Co., Ltd.\",\"No.1199 Bin An Road\nHangzhou  CN 310053 \"\r\n"
    "MA-L,402C76,Big Block Inc,Somewhere US\r\n"
    "MA-L,70B3D5,IEEE Registration Authority,445 Hoes Lane Piscataway NJ US 08554\r\n"
    "MA-L,00000C,Cisco Systems, Inc,170 West Tasman Drive San Jose CA US 95134\r\n"
    "MA-L,ZZZZZZ,Broken Hex Ltd,x\r\n"
    "MA-L,00000D\r\n"
    "MA-L,12345,Five Digits,x\r\n"
    "MA-L,0123456789ABCDEF0123,Far Too Long,x\r\n"
    "\r\n"
    "MA-L,\"A8-B1-D4\",Quoted Dashes Co,x\r\n";

static const char ma_m[] =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-M,402C761,Medium Block Ltd,Addr\n"
    "MA-M,402C762,\"Medium, Two\",Addr\n";

static const char ma_s[] =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-S,402C76123,Small Block GmbH,Addr\n";

static const char iab[] =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "IAB,70B3D5ABC,Old IAB Holder,Addr\n";

static struct oui_db *build(void)
{
    struct oui_db *db = oui_db_new();
    /* the MA-S file first: load order must not matter */
    CHECK_EQ_INT(oui_db_load_buf(db, "MA-S", ma_s, sizeof ma_s - 1), UNMASK_OK);
    CHECK_EQ_INT(oui_db_load_buf(db, "MA-L", ma_l, sizeof ma_l - 1), UNMASK_OK);
    CHECK_EQ_INT(oui_db_load_buf(db, "MA-M", ma_m, sizeof ma_m - 1), UNMASK_OK);
    CHECK_EQ_INT(oui_db_load_buf(db, "IAB", iab, sizeof iab - 1), UNMASK_OK);
    oui_db_finish(db);
    return db;
}

static void expect_hit(const struct oui_db *db, const char *addr, const char *org, const char *registry,
                       const char *prefix)
{
    CONTEXT("lookup %s", addr);
    uint64_t v;
    int nib = oui_parse(addr, strlen(addr), &v);
    if (!CHECK(nib > 0))
        return;
    struct oui_hit hit;
    memset(&hit, 0, sizeof hit);
    bool found = oui_lookup(db, v, nib, &hit);
    if (!org) {
        CHECK(!found);
        return;
    }
    if (!CHECK(found))
        return;
    CHECK_EQ_STR(hit.org, org);
    CHECK_EQ_STR(hit.registry, registry);
    CHECK_EQ_STR(hit.prefix, prefix);
}

TEST(registry_lookup)
{
    struct oui_db *db = build();
    CHECK_EQ_INT(oui_db_size(db), 10); /* 6 MA-L, 2 MA-M, 1 MA-S, 1 IAB */
    CHECK_EQ_INT(oui_db_bad_rows(db), 4); /* ZZZZZZ, the 2-column row, 5 digits, too long */
    expect_hit(db, "44:19:b6:01:02:03", "Hangzhou Hikvision Digital Technology Co.,Ltd.", "MA-L", "44:19:B6");
    expect_hit(db, "4419B6", "Hangzhou Hikvision Digital Technology Co.,Ltd.", "MA-L", "44:19:B6");
    expect_hit(db, "3c-ef-8c-aa-bb-cc", "Zhejiang Dahua Technology Co., Ltd.", "MA-L", "3C:EF:8C");
    expect_hit(db, "00:00:0c:12:34:56", "Cisco Systems", "MA-L", "00:00:0C"); /* unquoted comma splits */
    expect_hit(db, "a8:b1:d4:00:00:01", "Quoted Dashes Co", "MA-L", "A8:B1:D4");
    /* the longest registered prefix wins */
    expect_hit(db, "40:2C:76:12:34:56", "Small Block GmbH", "MA-S", "40:2C:76:12:3");
    expect_hit(db, "40:2C:76:12:4F:FF", "Medium Block Ltd", "MA-M", "40:2C:76:1");
    expect_hit(db, "40:2C:76:1F:FF:FF", "Medium Block Ltd", "MA-M", "40:2C:76:1");
    expect_hit(db, "40:2C:76:2F:FF:FF", "Medium, Two", "MA-M", "40:2C:76:2");
    expect_hit(db, "40:2C:76:FF:FF:FF", "Big Block Inc", "MA-L", "40:2C:76");
    expect_hit(db, "40:2C:76", "Big Block Inc", "MA-L", "40:2C:76"); /* too short to see MA-M */
    expect_hit(db, "40:2C:76:1", "Medium Block Ltd", "MA-M", "40:2C:76:1");
    expect_hit(db, "40:2C:76:12:3", "Small Block GmbH", "MA-S", "40:2C:76:12:3");
    expect_hit(db, "70:B3:D5:AB:CD:EF", "Old IAB Holder", "IAB", "70:B3:D5:AB:C");
    expect_hit(db, "70:B3:D5:AB:DD:EF", "IEEE Registration Authority", "MA-L", "70:B3:D5");
    expect_hit(db, "00:00:0D:00:00:00", NULL, NULL, NULL); /* its row was malformed */
    expect_hit(db, "12:34:56:78:9A:BC", NULL, NULL, NULL);
    expect_hit(db, "FF:FF:FF:FF:FF:FF", NULL, NULL, NULL);
    expect_hit(db, "00:00:00:00:00:00", NULL, NULL, NULL);
    oui_db_free(db);
}

TEST(empty_and_odd_inputs)
{
    struct oui_db *db = oui_db_new();
    CHECK_EQ_INT(oui_db_load_buf(db, "MA-L", "", 0), UNMASK_OK);
    CHECK_EQ_INT(oui_db_load_buf(db, "MA-L", "Registry,Assignment,Organization Name\n", 38), UNMASK_OK);
    /* no newline at the end, an unterminated quote */
    static const char t[] = "h\nMA-L,AABBCC,Last Row Co,x\nMA-L,AABBCD,\"Open Quote";
    CHECK_EQ_INT(oui_db_load_buf(db, "unknown-registry", t, sizeof t - 1), UNMASK_OK);
    oui_db_finish(db);
    CHECK(oui_db_size(db) >= 1);
    uint64_t v;
    struct oui_hit hit;
    CHECK_EQ_INT(oui_parse("AABBCC", 6, &v), 6);
    if (CHECK(oui_lookup(db, v, 6, &hit)))
        CHECK_EQ_STR(hit.org, "Last Row Co");
    oui_db_free(db);
    oui_db_free(NULL);

    /* an empty registry answers nothing */
    db = oui_db_new();
    oui_db_finish(db);
    CHECK_EQ_INT(oui_db_size(db), 0);
    CHECK(!oui_lookup(db, 0x4419B6, 6, &hit));
    oui_db_free(db);
}

TEST(load_dir_missing)
{
    struct oui_db *db = NULL;
    CHECK_EQ_INT(oui_db_load("/nonexistent/unmask-test-dir", &db), UNMASK_ENOENT);
    CHECK(db == NULL);
}

/* Thousands of rows, many organisations repeated: every one is found. */
TEST(many_rows)
{
    struct oui_db *db = oui_db_new();
    size_t n = 5000, cap = 64 + n * 48;
    char *buf = malloc(cap);
    size_t l = (size_t)snprintf(buf, cap, "Registry,Assignment,Organization Name,Organization Address\n");
    for (size_t i = 0; i < n; i++)
        l += (size_t)snprintf(buf + l, cap - l, "MA-L,%06zX,Org %zu,Addr\n", (i * 7919) % 0x1000000, i % 50);
    CHECK_EQ_INT(oui_db_load_buf(db, "MA-L", buf, l), UNMASK_OK);
    oui_db_finish(db);
    CHECK_EQ_INT(oui_db_size(db), n);
    CHECK_EQ_INT(oui_db_bad_rows(db), 0);
    for (size_t i = 0; i < n; i += 97) {
        struct oui_hit hit;
        char want[32];
        snprintf(want, sizeof want, "Org %zu", i % 50);
        CONTEXT("row %zu", i);
        if (CHECK(oui_lookup(db, (uint64_t)((i * 7919) % 0x1000000) << 24 | 0x123456, 12, &hit)))
            CHECK_EQ_STR(hit.org, want);
    }
    free(buf);
    oui_db_free(db);
}

HARNESS_MAIN(T(parse_notations), T(parse_bad), T(parse_respects_length), T(local_bit), T(registry_lookup),
             T(empty_and_odd_inputs), T(load_dir_missing), T(many_rows))
