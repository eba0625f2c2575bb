/* test_jsonl.c: the identify input reader (docs/OBSERVATIONS.md): good and bad lines, ids, limits,
 * and every prefix of a good line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/core/utf8.h"
#include "../../src/obs/jsonl.h"
#include "../harness.h"

static struct device dev;
static char err[256];

/* Parses s from an exact-size heap copy (ASan sees any read past len). */
static int parse_n(const char *s, size_t len, long lineno)
{
    char *copy = malloc(len ? len : 1);
    memcpy(copy, s, len);
    err[0] = '\0';
    int rc = jsonl_parse_device(copy, len, lineno, &dev, err, sizeof err);
    free(copy);
    return rc;
}
static int parse(const char *s) { return parse_n(s, strlen(s), 7); }

static void check_obs(size_t i, const char *name, const char *value, size_t value_len,
                      const char *path, int port)
{
    if (!CHECK(i < dev.n_obs))
        return;
    const struct observation *o = &dev.obs[i];
    CHECK_EQ_STR(o->name, name);
    CHECK_EQ_MEM(o->value, o->value_len, value, value_len);
    CHECK_EQ_INT(o->value[o->value_len], 0);
    CHECK_EQ_STR(o->path, path);
    CHECK_EQ_INT(o->port, port);
    CHECK(!o->truncated);
    CHECK_EQ_INT(o->derived_from, -1);
}

TEST(good_line)
{
    CHECK_EQ_INT(parse("{\"id\": \"cam-7\", \"observations\": [{\"proto\": \"http\", \"field\": \"server\", "
                       "\"value\": \"App-webs/\", \"port\": 80, \"path\": \"/\"}, {\"proto\": \"onvif\", "
                       "\"field\": \"manufacturer\", \"value\": \"Caf\\u00e9 \xE2\x82\xAC\"}]}"),
                 UNMASK_OK);
    CHECK_EQ_STR(dev.id, "cam-7");
    CHECK_EQ_INT(dev.n_obs, 2);
    CHECK_EQ_INT(dev.n_dropped, 0);
    check_obs(0, "http.server", "App-webs/", 9, "/", 80);
    check_obs(1, "onvif.manufacturer", "Caf\xC3\xA9 \xE2\x82\xAC", 9, NULL, -1);
}

TEST(empty_observations)
{
    CHECK_EQ_INT(parse("{\"observations\": []}"), UNMASK_OK);
    CHECK_EQ_INT(dev.n_obs, 0);
    CHECK_EQ_STR(dev.id, "line-7");
    /* leading blanks and a trailing CR are fine */
    CHECK_EQ_INT(parse(" \t{\"observations\":[]}\r"), UNMASK_OK);
}

TEST(ids)
{
    static const struct {
        const char *line, *id;
    } t[] = {
        { "{\"id\":\"a b\",\"observations\":[]}", "a b" },
        { "{\"id\":42,\"observations\":[]}", "42" },
        { "{\"id\":-5,\"observations\":[]}", "-5" },
        { "{\"id\":9223372036854775807,\"observations\":[]}", "9223372036854775807" },
        { "{\"id\":\"\",\"observations\":[]}", "" },
        { "{\"observations\":[]}", "line-7" },
        { "{\"id\":null,\"observations\":[]}", "line-7" },
        { "{\"id\":1.5,\"observations\":[]}", "line-7" },
        { "{\"id\":true,\"observations\":[]}", "line-7" },
        { "{\"id\":[1],\"observations\":[]}", "line-7" },
        { "{\"id\":{\"x\":1},\"observations\":[]}", "line-7" },
        { "{\"id\":\"a\\u0000b\",\"observations\":[]}", "a" }, /* the id is a C string */
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        CONTEXT("%s", t[i].line);
        CHECK_EQ_INT(parse(t[i].line), UNMASK_OK);
        CHECK_EQ_STR(dev.id, t[i].id);
    }
    CHECK_EQ_INT(parse_n("{\"observations\":[]}", 19, 123456), UNMASK_OK);
    CHECK_EQ_STR(dev.id, "line-123456");
}

TEST(blank_lines)
{
    static const char *const blank[] = { "", " ", "\t", "\r", "  \t \r" };
    for (size_t i = 0; i < sizeof blank / sizeof *blank; i++) {
        CONTEXT("blank[%zu]", i);
        CHECK_EQ_INT(parse(blank[i]), 1);
    }
}

/* Every bad line gives UNMASK_EPARSE and a message containing the substring. */
static const struct {
    const char *line, *msg;
} bad[] = {
    { "{", "invalid JSON" },
    { "not json", "invalid JSON" },
    { "{\"observations\":[}", "invalid JSON" },
    { "{\"observations\":[]} x", "invalid JSON" },
    { "{\"observations\":[]}{}", "invalid JSON" },
    { "{\"observations\":[{\"proto\":\"http\",\"field\":\"server\",\"value\":\"\xFF\"}]}", "invalid JSON" },
    { "{\"observations\":[]", "invalid JSON" },
    { "{\"observations\":[{\"proto\":\"a\",\"field\":\"b\",\"value\":\"c\"}]}x", "invalid JSON" },
    { "{\"observations\":[],\"observations\":[]}", "\"observations\" appears twice" },
    { "[]", "must be a JSON object" },
    { "\"x\"", "must be a JSON object" },
    { "42", "must be a JSON object" },
    { "null", "must be a JSON object" },
    { "{}", "missing \"observations\"" },
    { "{\"id\":\"x\",\"Observations\":[]}", "missing \"observations\"" },
    { "{\"observations\":{}}", "\"observations\" must be an array" },
    { "{\"observations\":\"[]\"}", "\"observations\" must be an array" },
    { "{\"observations\":null}", "\"observations\" must be an array" },
    { "{\"observations\":[1]}", "must be an object" },
    { "{\"observations\":[null]}", "must be an object" },
    { "{\"observations\":[{\"proto\":\"a\",\"field\":\"b\",\"value\":\"\"},[]]}", "must be an object" },
    { "{\"observations\":[{\"proto\":\"a\",\"field\":\"b\",\"value\":\"\"},{\"proto\":1}]}", "observation 1: \"proto\" and \"field\" must be strings" },
    { "{\"observations\":[{\"proto\":{},\"field\":\"b\",\"value\":\"\"}]}", "\"proto\" and \"field\" must be strings" },
    { "{\"observations\":[{\"proto\":\"a\",\"field\":[],\"value\":\"\"}]}", "\"proto\" and \"field\" must be strings" },
    { "{\"observations\":[{\"proto\":\"a\",\"field\":\"b\",\"value\":{}}]}", "\"value\" must be a string" },
    { "{\"observations\":[{\"proto\":1,\"field\":\"server\",\"value\":\"x\"}]}", "observation 0: \"proto\" and \"field\" must be strings" },
    { "{\"observations\":[{\"proto\":\"http\",\"field\":null,\"value\":\"x\"}]}", "\"proto\" and \"field\" must be strings" },
    { "{\"observations\":[{\"field\":\"server\",\"value\":\"x\"}]}", "\"proto\" and \"field\" must be strings" },
    { "{\"observations\":[{\"proto\":\"http\",\"value\":\"x\"}]}", "\"proto\" and \"field\" must be strings" },
    { "{\"observations\":[{\"proto\":\"http\",\"field\":\"server\"}]}", "observation 0: \"value\" must be a string" },
    { "{\"observations\":[{\"proto\":\"http\",\"field\":\"server\",\"value\":null}]}", "\"value\" must be a string" },
    { "{\"observations\":[{\"proto\":\"http\",\"field\":\"server\",\"value\":1.5}]}", "\"value\" must be a string" },
    { "{\"observations\":[{\"proto\":\"http\",\"field\":\"server\",\"value\":true}]}", "\"value\" must be a string" },
    { "{\"observations\":[{\"proto\":\"http\",\"field\":\"server\",\"value\":[\"x\"]}]}", "\"value\" must be a string" },
    { "{\"observations\":[{\"proto\":\"ht tp\",\"field\":\"server\",\"value\":\"x\"}]}", "must be identifiers" },
    { "{\"observations\":[{\"proto\":\"\",\"field\":\"server\",\"value\":\"x\"}]}", "must be identifiers" },
    { "{\"observations\":[{\"proto\":\"http\",\"field\":\"\",\"value\":\"x\"}]}", "must be identifiers" },
    { "{\"observations\":[{\"proto\":\"http.\",\"field\":\"server\",\"value\":\"x\"}]}", "must be identifiers" },
    { "{\"observations\":[{\"proto\":\"http\",\"field\":\"se/rver\",\"value\":\"x\"}]}", "must be identifiers" },
    { "{\"observations\":[{\"proto\":\"h\\u00e9\",\"field\":\"server\",\"value\":\"x\"}]}", "must be identifiers" },
    { "{\"observations\":[{\"proto\":\"ht\\u0000tp\",\"field\":\"server\",\"value\":\"x\"}]}", "must be identifiers" },
    { "{\"observations\":[{\"proto\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"field\":\"bbbbbbbbbbbbbbbbbbbbbbbbb\",\"value\":\"x\"}]}", "name too long" },
};

TEST(bad_lines)
{
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CONTEXT("bad[%zu] %s", i, bad[i].line);
        CHECK_EQ_INT(parse(bad[i].line), UNMASK_EPARSE);
        CHECK_CONTAINS(err, bad[i].msg);
    }
}

TEST(name_forms)
{
    /* a dotted proto makes a longer name; digits, '_' and '-' are allowed; exactly 64 bytes fits */
    CHECK_EQ_INT(parse("{\"observations\":[{\"proto\":\"snmp.oid\",\"field\":\"x_1-2\",\"value\":\"v\"},"
                       "{\"proto\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"field\":\"bbbbbbbbbbbbbbbbbbbbbbb\",\"value\":\"\"}]}"),
                 UNMASK_OK);
    REQUIRE(dev.n_obs == 2);
    CHECK_EQ_STR(dev.obs[0].name, "snmp.oid.x_1-2");
    CHECK_EQ_INT(strlen(dev.obs[1].name), 64);
}

TEST(numeric_value_tolerated)
{
    CHECK_EQ_INT(parse("{\"observations\":[{\"proto\":\"sadp\",\"field\":\"http_port\",\"value\":8080},"
                       "{\"proto\":\"sadp\",\"field\":\"x\",\"value\":-1}]}"),
                 UNMASK_OK);
    check_obs(0, "sadp.http_port", "8080", 4, NULL, -1);
    check_obs(1, "sadp.x", "-1", 2, NULL, -1);
}

TEST(nul_in_value)
{
    CHECK_EQ_INT(parse("{\"observations\":[{\"proto\":\"telnet\",\"field\":\"banner\",\"value\":\"a\\u0000b\","
                       "\"path\":\"/p\\u0000q\"}]}"),
                 UNMASK_OK);
    REQUIRE(dev.n_obs == 1);
    CHECK_EQ_MEM(dev.obs[0].value, dev.obs[0].value_len, "a\0b", 3);
    CHECK(dev.obs[0].path != NULL);
}

TEST(ports)
{
    static const struct {
        const char *port;
        int want;
    } t[] = {
        { "0", 0 },     { "1", 1 },         { "65535", 65535 },       { "65536", -1 },
        { "-1", -1 },   { "70000", -1 },    { "4294967376", -1 },     { "-4294967216", -1 },
        { "\"80\"", -1 }, { "80.0", -1 },   { "null", -1 },           { "1e3", -1 },
        { "9223372036854775807", -1 },
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char line[256];
        snprintf(line, sizeof line,
                 "{\"observations\":[{\"proto\":\"http\",\"field\":\"server\",\"value\":\"x\",\"port\":%s}]}",
                 t[i].port);
        CONTEXT("port %s", t[i].port);
        CHECK_EQ_INT(parse(line), UNMASK_OK);
        if (CHECK_EQ_INT(dev.n_obs, 1))
            CHECK_EQ_INT(dev.obs[0].port, t[i].want);
    }
}

TEST(unknown_members_ignored)
{
    CHECK_EQ_INT(parse("{\"version\":2,\"id\":\"d\",\"meta\":{\"a\":[1,2,{}]},\"observations\":[{\"proto\":\"ssh\","
                       "\"field\":\"banner\",\"value\":\"SSH-2.0-x\",\"confidence\":0.5,\"seen\":[1],"
                       "\"path\":42,\"extra\":null}],\"tail\":\"x\"}"),
                 UNMASK_OK);
    CHECK_EQ_STR(dev.id, "d");
    CHECK_EQ_INT(dev.n_obs, 1);
    check_obs(0, "ssh.banner", "SSH-2.0-x", 9, NULL, -1); /* a non-string path is ignored */
}

/* Builds {"observations":[{"proto":"http","field":"body","value":"<fill x n>"}]} in a heap buffer. */
static char *value_line(const char *fill, size_t reps, size_t *len)
{
    static const char head[] = "{\"observations\":[{\"proto\":\"http\",\"field\":\"body\",\"value\":\"";
    static const char tail[] = "\"}]}";
    size_t fl = strlen(fill);
    *len = sizeof head - 1 + fl * reps + sizeof tail - 1;
    char *s = malloc(*len + 1), *p = s;
    memcpy(p, head, sizeof head - 1);
    p += sizeof head - 1;
    for (size_t i = 0; i < reps; i++, p += fl)
        memcpy(p, fill, fl);
    memcpy(p, tail, sizeof tail);
    return s;
}

TEST(long_value_truncated)
{
    size_t len;
    char *s = value_line("a", OBS_MAX_VALUE, &len); /* exactly the cap: kept whole */
    CHECK_EQ_INT(parse_n(s, len, 1), UNMASK_OK);
    if (CHECK_EQ_INT(dev.n_obs, 1)) {
        CHECK_EQ_INT(dev.obs[0].value_len, OBS_MAX_VALUE);
        CHECK(!dev.obs[0].truncated);
    }
    free(s);

    s = value_line("a", OBS_MAX_VALUE + 1, &len);
    CHECK_EQ_INT(parse_n(s, len, 1), UNMASK_OK);
    if (CHECK_EQ_INT(dev.n_obs, 1)) {
        CHECK_EQ_INT(dev.obs[0].value_len, OBS_MAX_VALUE);
        CHECK(dev.obs[0].truncated);
        CHECK_EQ_INT(dev.obs[0].value[OBS_MAX_VALUE], 0);
    }
    free(s);

    /* 3-byte characters: the cut falls on a character boundary, 65535 bytes */
    s = value_line("\xE2\x82\xAC", 30000, &len);
    CHECK_EQ_INT(parse_n(s, len, 1), UNMASK_OK);
    if (CHECK_EQ_INT(dev.n_obs, 1)) {
        CHECK_EQ_INT(dev.obs[0].value_len, OBS_MAX_VALUE / 3 * 3);
        CHECK(dev.obs[0].truncated);
        CHECK(utf8_valid(dev.obs[0].value, dev.obs[0].value_len));
    }
    free(s);
}

TEST(too_many_observations)
{
    size_t n = OBS_MAX_PER_DEVICE + 10;
    static const char one[] = "{\"proto\":\"http\",\"field\":\"server\",\"value\":\"v\"},";
    size_t cap = 64 + n * sizeof one;
    char *s = malloc(cap);
    size_t l = (size_t)snprintf(s, cap, "{\"id\":\"big\",\"observations\":[");
    for (size_t i = 0; i < n; i++) {
        memcpy(s + l, one, sizeof one - 1);
        l += sizeof one - 1;
    }
    s[l - 1] = ']';
    s[l++] = '}';
    CHECK_EQ_INT(parse_n(s, l, 1), UNMASK_OK);
    CHECK_EQ_INT(dev.n_obs, OBS_MAX_PER_DEVICE);
    CHECK_EQ_INT(dev.n_dropped, 10);
    CHECK_EQ_STR(dev.id, "big");
    /* the next device starts from nothing */
    CHECK_EQ_INT(parse("{\"observations\":[]}"), UNMASK_OK);
    CHECK_EQ_INT(dev.n_obs, 0);
    CHECK_EQ_INT(dev.n_dropped, 0);
    free(s);
}

TEST(small_error_buffer)
{
    char small[8];
    memset(small, 'X', sizeof small);
    CHECK_EQ_INT(jsonl_parse_device("{}", 2, 1, &dev, small, sizeof small), UNMASK_EPARSE);
    CHECK_EQ_INT(small[7], 0);
    CHECK_EQ_INT(strlen(small), 7);
}

/* Good lines and what they parse to, for the prefix test below. */
static const char *const goods[] = {
    "{\"id\": \"cam-7\", \"observations\": [{\"proto\": \"http\", \"field\": \"server\", \"value\": \"App-webs/\", \"port\": 80, \"path\": \"/\"}]}",
    "{\"observations\":[{\"proto\":\"mac\",\"field\":\"address\",\"value\":\"44:19:b6:00:00:01\"},{\"proto\":\"x\",\"field\":\"y\",\"value\":7}]}",
    "{\"id\":12,\"observations\":[{\"proto\":\"onvif\",\"field\":\"model\",\"value\":\"caf\\u00e9\\t\\\"q\\\"\"}],\"z\":[]}  ",
};

struct snapshot {
    char id[64];
    size_t n;
    char dump[1024];
};

static void snap(struct snapshot *s)
{
    snprintf(s->id, sizeof s->id, "%s", dev.id);
    s->n = dev.n_obs;
    size_t j = 0;
    for (size_t i = 0; i < dev.n_obs && j < sizeof s->dump; i++)
        j += (size_t)snprintf(s->dump + j, sizeof s->dump - j, "%s=%.*s|%s|%d;", dev.obs[i].name,
                              (int)dev.obs[i].value_len, dev.obs[i].value,
                              dev.obs[i].path ? dev.obs[i].path : "-", dev.obs[i].port);
}

/* Every prefix of a good line is an error, blank, or exactly the full result; never a crash. */
TEST(every_prefix)
{
    for (size_t g = 0; g < sizeof goods / sizeof *goods; g++) {
        size_t n = strlen(goods[g]);
        CONTEXT("goods[%zu]", g);
        REQUIRE(parse_n(goods[g], n, 3) == UNMASK_OK);
        struct snapshot full, got;
        snap(&full);
        for (size_t k = 0; k <= n; k++) {
            CONTEXT("goods[%zu] prefix %zu", g, k);
            int rc = parse_n(goods[g], k, 3);
            if (rc == UNMASK_OK) {
                snap(&got);
                CHECK_EQ_STR(got.id, full.id);
                CHECK_EQ_INT(got.n, full.n);
                CHECK_EQ_STR(got.dump, full.dump);
            } else {
                CHECK(rc == UNMASK_EPARSE || (rc == 1 && k == 0));
                CHECK(rc == 1 || err[0] != '\0');
            }
        }
    }
}

/* Every single-byte corruption of a good line: never a crash, always a defined answer. */
TEST(every_byte_flip)
{
    static const unsigned char subst[] = { 0, '"', '{', '}', '[', ']', ',', ':', '\\', 0x80, 0xFF, 'x' };
    for (size_t g = 0; g < sizeof goods / sizeof *goods; g++) {
        size_t n = strlen(goods[g]);
        char *s = malloc(n);
        for (size_t k = 0; k < n; k++)
            for (size_t c = 0; c < sizeof subst; c++) {
                memcpy(s, goods[g], n);
                s[k] = (char)subst[c];
                int rc = parse_n(s, n, 3);
                CONTEXT("goods[%zu] byte %zu = 0x%02x", g, k, subst[c]);
                CHECK(rc == UNMASK_OK || rc == UNMASK_EPARSE);
                for (size_t i = 0; rc == UNMASK_OK && i < dev.n_obs; i++)
                    CHECK(utf8_valid(dev.obs[i].value, dev.obs[i].value_len));
            }
        free(s);
    }
}

/* Lone surrogates decode to something; whatever it is, the stored value is valid UTF-8. */
TEST(lone_surrogates)
{
    static const char *const t[] = {
        "{\"observations\":[{\"proto\":\"http\",\"field\":\"server\",\"value\":\"\\ud800\"}]}",
        "{\"observations\":[{\"proto\":\"http\",\"field\":\"server\",\"value\":\"\\udc00x\"}]}",
        "{\"observations\":[{\"proto\":\"http\",\"field\":\"server\",\"value\":\"a\\ud800\\u0041\"}]}",
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        CONTEXT("%s", t[i]);
        int rc = parse(t[i]);
        CHECK(rc == UNMASK_OK || rc == UNMASK_EPARSE);
        if (rc == UNMASK_OK && CHECK_EQ_INT(dev.n_obs, 1))
            CHECK(utf8_valid(dev.obs[0].value, dev.obs[0].value_len));
    }
    /* a proper pair is one character */
    CHECK_EQ_INT(parse("{\"observations\":[{\"proto\":\"a\",\"field\":\"b\",\"value\":\"\\ud83d\\ude00\"}]}"), UNMASK_OK);
    if (CHECK_EQ_INT(dev.n_obs, 1))
        CHECK_EQ_MEM(dev.obs[0].value, dev.obs[0].value_len, "\xF0\x9F\x98\x80", 4);
}

/* The index in "observation N:" counts array elements, objects or not. */
TEST(bad_element_index)
{
    CHECK_EQ_INT(parse("{\"observations\":[1]}"), UNMASK_EPARSE);
    CHECK_EQ_STR(err, "observation 0: must be an object");
    CHECK_EQ_INT(parse("{\"observations\":[{\"proto\":\"a\",\"field\":\"b\",\"value\":\"\"},[]]}"), UNMASK_EPARSE);
    CHECK_EQ_STR(err, "observation 1: must be an object");
    CHECK_EQ_INT(parse("{\"observations\":[{\"proto\":\"a\",\"field\":\"b\",\"value\":\"\"},null,{}]}"), UNMASK_EPARSE);
    CHECK_EQ_STR(err, "observation 1: must be an object");
    CHECK_EQ_INT(parse("{\"observations\":[{\"proto\":\"a\",\"field\":\"b\",\"value\":\"\"},{\"proto\":\"a\"}]}"), UNMASK_EPARSE);
    CHECK_EQ_STR(err, "observation 1: \"proto\" and \"field\" must be strings");
}

/* Regression (fixed): an integer beyond 64 bits anywhere in the line (an unknown member, a port)
 * makes yajl fail with "integer overflow", so the whole device is rejected instead of the member
 * being ignored. */
TEST(huge_integers_ignored)
{
    CHECK_EQ_INT(parse("{\"ts\":18446744073709551616,\"observations\":[]}"), UNMASK_OK);
    CHECK_EQ_INT(parse("{\"observations\":[{\"proto\":\"a\",\"field\":\"b\",\"value\":\"c\",\"port\":99999999999999999999}]}"), UNMASK_OK);
    if (CHECK_EQ_INT(dev.n_obs, 1))
        CHECK_EQ_INT(dev.obs[0].port, -1);
}
#define KNOWN_BUG_TESTS , T(huge_integers_ignored)

static void setup(void) { obs_device_init(&dev); }
static void teardown(void) { obs_device_deinit(&dev); }

HARNESS_MAIN(T(setup), T(good_line), T(empty_observations), T(ids), T(blank_lines), T(bad_lines),
             T(name_forms), T(numeric_value_tolerated), T(nul_in_value), T(ports),
             T(unknown_members_ignored), T(long_value_truncated), T(too_many_observations),
             T(small_error_buffer), T(bad_element_index), T(lone_surrogates), T(every_prefix), T(every_byte_flip)
             KNOWN_BUG_TESTS, T(teardown))
