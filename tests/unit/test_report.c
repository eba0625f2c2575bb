/* test_report.c: the verdict object every JSON line carries (docs/VERDICT.md), the writer registry,
 * and text_clean, which keeps device strings from steering a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "../../src/core/sbuf.h"

#include "../../src/core/err.h"
#include "../../src/core/utf8.h"
#include "../../src/report/report.h"
#include "../../src/report/text.h"
#include "../harness.h"
#include "../kb_pieces.h"

#define META "  source   https://example.org/a\n  source   second source\n  date     2026-11-27\n"

static const char *const rules[] = {
    "list fcc\n  name FCC Covered List\n  short the FCC list\n" META "\n"
    "maker acme\n  name Acme\n  covered yes\n  on fcc 2021-03-12 video surveillance\n  on other 2019\n" META "\n"
    "list other\n  name Other List\n" META "\n"
    "maker goodco\n  name GoodCo\n  covered no\n" META "\n"
    "brand relabel\n  name Relabel\n  oem acme 2019 - H\n" META "\n"
    "brand goodlabel\n  name GoodLabel\n  owner goodco - -\n" META "\n",
    "rule acme-webs\n  field http.server\n  match ^Acme-Webs/(?<firmware>[0-9.]+)$\n  maker acme\n"
    "  strength stack\n" META "  example Acme-Webs/1.0\n\n"
    "rule acme-mac\n  field mac.org\n  match ^Acme Co$\n  maker acme\n  strength strong\n" META
    "  example Acme Co\n\n"
    "rule good-title\n  field http.title\n  match ^Good\n  maker goodco\n  strength medium\n" META
    "  example Good\n\n"
    "rule relabel-label\n  field onvif.manufacturer\n  match ^Relabel$\n  brand relabel\n  strength label\n" META
    "  example Relabel\n\n"
    "rule goodlabel-label\n  field onvif.manufacturer\n  match ^GoodLabel$\n  brand goodlabel\n"
    "  strength label\n" META "  example GoodLabel\n",
};

static struct kb *kb;
static struct oui_db *ouidb;
static struct engine *eng;
static struct report_cache *cache;
static struct device dev;
static struct verdict v;

static void setup(void)
{
    kb = kb_from_pieces(rules, sizeof rules / sizeof *rules, "report.rules");
    REQUIRE(kb != NULL);
    static const char reg[] = "Registry,Assignment,Organization Name,Organization Address\nMA-L,001B2C,Acme Co,x\n";
    ouidb = oui_db_new();
    oui_db_load_buf(ouidb, "MA-L", reg, sizeof reg - 1);
    oui_db_finish(ouidb);
    eng = engine_new(kb, ouidb, 20261127);
    cache = report_cache_new(kb);
    obs_device_init(&dev);
}

static void teardown(void)
{
    obs_device_deinit(&dev);
    report_cache_free(cache);
    engine_free(eng);
    oui_db_free(ouidb);
    kb_free(kb);
}

static void add(const char *name, const char *value, size_t vlen, const char *path, int port)
{
    CHECK(obs_add(&dev, name, strlen(name), value, vlen, path, path ? strlen(path) : 0, port) >= 0);
}

/* Renders the verdict object for dev/v and parses it back; *raw receives the text (caller frees). */
static yajl_val verdict_tree(const struct report_extra *x, char **raw)
{
    struct sbuf b;
    sbuf_init(&b, 64u * 1024 * 1024);
    report_verdict_json(&b, cache, &dev, &v, x);
    CHECK(!b.truncated);
    CHECK_EQ_INT(strlen(b.p), b.len);
    char *text = b.p; /* take the buffer */
    size_t len = b.len;
    CHECK(utf8_valid(text, len));
    CHECK(memchr(text, '\n', len) == NULL); /* one JSON line */
    char errbuf[256] = "";
    yajl_val root = yajl_tree_parse(text, errbuf, sizeof errbuf);
    if (!CHECK(root != NULL))
        fprintf(stderr, "    yajl: %s\n    text: %s\n", errbuf, text);
    if (raw)
        *raw = text;
    else
        free(text);
    return root;
}

static yajl_val get(yajl_val o, const char *key)
{
    const char *path[] = { key, NULL };
    return yajl_tree_get(o, path, yajl_t_any);
}

static const char *gets(yajl_val o, const char *key) { return YAJL_GET_STRING(get(o, key)); }

static size_t alen(yajl_val a) { return YAJL_IS_ARRAY(a) ? YAJL_GET_ARRAY(a)->len : 0; }
static yajl_val at(yajl_val a, size_t i) { return i < alen(a) ? YAJL_GET_ARRAY(a)->values[i] : NULL; }

TEST(covered_fields)
{
    obs_device_reset(&dev);
    obs_device_set_id(&dev, "cam-7", 5);
    add("http.server", "Acme-Webs/5.1", 13, "/", 80);
    add("mac.address", "00:1b:2c:00:00:01", 17, NULL, -1);
    add("onvif.model", "M-1", 3, NULL, -1);
    engine_judge(eng, &dev, &v);
    REQUIRE(v.kind == V_COVERED);
    struct report_extra x = { .file = "inv.csv", .row = 12, .address = "192.0.2.7", .mac = "00:1b:2c:00:00:01" };
    char *raw = NULL;
    yajl_val o = verdict_tree(&x, &raw);
    REQUIRE(o != NULL);
    CHECK_EQ_STR(gets(o, "id"), "cam-7");
    CHECK_EQ_STR(gets(o, "file"), "inv.csv");
    CHECK(YAJL_IS_INTEGER(get(o, "row")) && YAJL_GET_INTEGER(get(o, "row")) == 12);
    CHECK_EQ_STR(gets(o, "address"), "192.0.2.7");
    CHECK_EQ_STR(gets(o, "mac"), "00:1b:2c:00:00:01");
    CHECK_EQ_STR(gets(o, "maker"), "acme");
    CHECK_EQ_STR(gets(o, "maker_name"), "Acme");
    CHECK(YAJL_IS_NUMBER(get(o, "confidence")));
    CHECK_CONTAINS(raw, "\"confidence\":0.990,"); /* 1 - 0.05 * 0.15, capped at 0.99 */
    CHECK(YAJL_IS_NULL(get(o, "brand")));
    CHECK_EQ_STR(gets(o, "model"), "M-1");
    CHECK_EQ_STR(gets(o, "firmware"), "5.1");
    CHECK(YAJL_IS_NULL(get(o, "serial")));
    CHECK_EQ_STR(gets(o, "verdict"), "covered");
    CHECK(YAJL_IS_TRUE(get(o, "covered")));
    CHECK_EQ_STR(gets(o, "explanation"), v.explanation);
    CHECK(get(o, "observations_dropped") == NULL);

    yajl_val lists = get(o, "lists");
    REQUIRE(alen(lists) == 2);
    CHECK_EQ_STR(gets(at(lists, 0), "id"), "fcc");
    CHECK_EQ_STR(gets(at(lists, 0), "name"), "FCC Covered List");
    CHECK_EQ_STR(gets(at(lists, 0), "since"), "2021-03-12");
    CHECK_EQ_STR(gets(at(lists, 0), "qualifier"), "video surveillance");
    CHECK_EQ_STR(gets(at(lists, 1), "id"), "other");
    CHECK(get(at(lists, 1), "qualifier") == NULL);

    yajl_val ev = get(o, "evidence");
    REQUIRE(alen(ev) == 2);
    yajl_val e0 = at(ev, 0), ob = get(e0, "observation");
    CHECK_EQ_STR(gets(ob, "proto"), "http");
    CHECK_EQ_STR(gets(ob, "field"), "server");
    CHECK_EQ_STR(gets(ob, "value"), "Acme-Webs/5.1");
    CHECK(YAJL_IS_INTEGER(get(ob, "port")) && YAJL_GET_INTEGER(get(ob, "port")) == 80);
    CHECK_EQ_STR(gets(ob, "path"), "/");
    CHECK(get(ob, "derived_from") == NULL);
    CHECK(get(ob, "truncated") == NULL);
    CHECK_EQ_STR(gets(e0, "rule"), "acme-webs");
    CHECK_EQ_STR(gets(e0, "indicates"), "acme");
    CHECK_EQ_STR(gets(e0, "kind"), "maker");
    CHECK_EQ_STR(gets(e0, "strength"), "stack");
    CHECK(YAJL_IS_TRUE(get(e0, "survives_relabelling")));
    CHECK_EQ_INT(alen(get(e0, "source")), 2);
    CHECK_EQ_STR(YAJL_GET_STRING(at(get(e0, "source"), 1)), "second source");
    CHECK(get(e0, "conflicting") == NULL);

    /* the derived observation names its source */
    yajl_val e1 = at(ev, 1), ob1 = get(e1, "observation");
    CHECK_EQ_STR(gets(e1, "rule"), "acme-mac");
    CHECK_EQ_STR(gets(ob1, "proto"), "mac");
    CHECK_EQ_STR(gets(ob1, "field"), "org");
    CHECK_EQ_STR(gets(ob1, "value"), "Acme Co");
    CHECK_EQ_STR(gets(ob1, "path"), "00:1B:2C");
    yajl_val df = get(ob1, "derived_from");
    CHECK_EQ_STR(gets(df, "name"), "mac.address");
    CHECK_EQ_STR(gets(df, "value"), "00:1b:2c:00:00:01");
    CHECK(get(ob1, "port") == NULL);
    yajl_tree_free(o);
    free(raw);

    /* a scan's open ports, in order */
    static const struct report_port ports[] = { { 80, "tcp", "http" }, { 37020, "udp", "sadp" } };
    struct report_extra xp = { .ports = ports, .n_ports = 2 };
    o = verdict_tree(&xp, NULL);
    REQUIRE(o != NULL);
    yajl_val pv = get(o, "ports");
    REQUIRE(alen(pv) == 2);
    CHECK(YAJL_GET_INTEGER(get(at(pv, 0), "port")) == 80);
    CHECK_EQ_STR(gets(at(pv, 0), "proto"), "tcp");
    CHECK_EQ_STR(gets(at(pv, 0), "service"), "http");
    CHECK(YAJL_GET_INTEGER(get(at(pv, 1), "port")) == 37020);
    CHECK_EQ_STR(gets(at(pv, 1), "service"), "sadp");
    yajl_tree_free(o);

    /* without extras, those members are absent */
    o = verdict_tree(NULL, NULL);
    REQUIRE(o != NULL);
    CHECK(get(o, "file") == NULL);
    CHECK(get(o, "row") == NULL);
    CHECK(get(o, "address") == NULL);
    CHECK(get(o, "mac") == NULL);
    yajl_tree_free(o);
}

TEST(white_label_and_conflict)
{
    obs_device_reset(&dev);
    obs_device_set_id(&dev, "d", 1);
    add("onvif.manufacturer", "GoodLabel", 9, NULL, -1);
    add("http.server", "Acme-Webs/1", 11, NULL, -1);
    engine_judge(eng, &dev, &v);
    REQUIRE(v.kind == V_WHITE_LABEL);
    yajl_val o = verdict_tree(NULL, NULL);
    REQUIRE(o != NULL);
    CHECK_EQ_STR(gets(o, "verdict"), "white-label");
    CHECK(YAJL_IS_TRUE(get(o, "covered")));
    CHECK_EQ_STR(gets(o, "brand"), "GoodLabel");
    yajl_val ev = get(o, "evidence");
    REQUIRE(alen(ev) == 2);
    CHECK_EQ_STR(gets(at(ev, 0), "kind"), "brand");
    CHECK_EQ_STR(gets(at(ev, 0), "indicates"), "goodlabel");
    CHECK_EQ_STR(gets(at(ev, 0), "strength"), "label");
    CHECK(YAJL_IS_FALSE(get(at(ev, 0), "survives_relabelling")));
    CHECK(YAJL_IS_TRUE(get(at(ev, 0), "conflicting")));
    CHECK(get(at(ev, 1), "conflicting") == NULL);
    yajl_tree_free(o);
}

TEST(relationship_evidence)
{
    obs_device_reset(&dev);
    obs_device_set_id(&dev, "r", 1);
    add("onvif.manufacturer", "Relabel", 7, NULL, -1);
    engine_judge(eng, &dev, &v);
    REQUIRE(v.kind == V_SUSPECT);
    yajl_val o = verdict_tree(NULL, NULL);
    REQUIRE(o != NULL);
    CHECK_EQ_STR(gets(o, "verdict"), "suspect");
    CHECK(YAJL_IS_FALSE(get(o, "covered")));
    CHECK_EQ_INT(alen(get(o, "lists")), 2); /* a suspect names the lists of the maker it suspects */
    yajl_val ev = get(o, "evidence");
    REQUIRE(alen(ev) == 2);
    yajl_val r = at(ev, 1);
    CHECK_EQ_STR(gets(r, "rule"), "brand-relationship");
    CHECK_EQ_STR(gets(r, "kind"), "oem-relationship");
    CHECK_EQ_STR(gets(r, "indicates"), "acme");
    CHECK_EQ_STR(gets(r, "brand"), "Relabel");
    CHECK_EQ_STR(gets(r, "grade"), "H");
    CHECK_EQ_STR(gets(r, "strength"), "weak");
    yajl_val period = get(r, "period");
    CHECK_EQ_STR(YAJL_GET_STRING(at(period, 0)), "2019");
    CHECK_EQ_STR(YAJL_GET_STRING(at(period, 1)), "-");
    CHECK_EQ_INT(alen(get(r, "source")), 2);
    CHECK(get(r, "observation") == NULL);
    yajl_tree_free(o);
}

TEST(unknown_and_hostile_values)
{
    obs_device_reset(&dev);
    obs_device_set_id(&dev, "\"q\"\\\x1b[2J", 8);
    add("http.title", "x", 1, NULL, -1);
    engine_judge(eng, &dev, &v);
    REQUIRE(v.kind == V_UNKNOWN);
    yajl_val o = verdict_tree(NULL, NULL);
    REQUIRE(o != NULL);
    CHECK_EQ_STR(gets(o, "id"), "\"q\"\\\x1b[2J");
    CHECK(YAJL_IS_NULL(get(o, "maker")));
    CHECK(YAJL_IS_NULL(get(o, "maker_name")));
    CHECK(YAJL_IS_NULL(get(o, "model")));
    CHECK(YAJL_IS_FALSE(get(o, "covered")));
    CHECK_EQ_INT(alen(get(o, "lists")), 0);
    CHECK_EQ_INT(alen(get(o, "evidence")), 0);
    CHECK_EQ_STR(gets(o, "verdict"), "unknown");
    yajl_tree_free(o);

    /* a NUL and control characters in a value are escaped, and truncation is marked */
    obs_device_reset(&dev);
    char big[OBS_MAX_VALUE + 10];
    memset(big, 'G', sizeof big);
    memcpy(big, "Good\0\x01\x7f\"\\\n", 10);
    add("http.title", big, sizeof big, NULL, -1);
    for (int i = 0; i < OBS_MAX_PER_DEVICE + 3; i++)
        obs_add(&dev, "x.y", 3, "", 0, NULL, 0, -1);
    engine_judge(eng, &dev, &v);
    REQUIRE(v.kind == V_CLEAR);
    char *raw;
    o = verdict_tree(NULL, &raw);
    REQUIRE(o != NULL);
    CHECK_CONTAINS(raw, "\"value\":\"Good\\u0000\\u0001\x7f\\\"\\\\\\nGGG");
    yajl_val ob = get(at(get(o, "evidence"), 0), "observation");
    CHECK(YAJL_IS_TRUE(get(ob, "truncated")));
    CHECK(YAJL_IS_INTEGER(get(o, "observations_dropped")) && YAJL_GET_INTEGER(get(o, "observations_dropped")) == 4);
    yajl_tree_free(o);
    free(raw);
}

/* The explanation quotes 60 bytes of a value; a character across that point must not be split, or the
 * JSON line (which copies the bytes as they are) would not be UTF-8. */
TEST(explanation_cut_utf8)
{
    obs_device_reset(&dev);
    char val[80];
    memset(val, 'a', sizeof val);
    memcpy(val, "Good", 4);
    memcpy(val + 59, "\xC3\xA9", 2);
    add("http.title", val, 70, NULL, -1);
    engine_judge(eng, &dev, &v);
    yajl_val o = verdict_tree(NULL, NULL);
    CHECK(o != NULL);
    yajl_tree_free(o);
}

TEST(writer_registry)
{
    CHECK(report_find("json") != NULL);
    CHECK(report_find("table") != NULL);
    CHECK(report_find("csv") != NULL);
    CHECK(report_find("xml") == NULL);
    CHECK(report_find("") == NULL);
    CHECK(report_for_path("out.jsonl") == report_find("json"));
    CHECK(report_for_path("out.json") == report_find("json"));
    CHECK(report_for_path("a.b/out.ndjson") == report_find("json"));
    CHECK(report_for_path("out.csv") == report_find("csv"));
    CHECK(report_for_path("out.txt") == report_find("table"));
    CHECK(report_for_path("out") == NULL);
    CHECK(report_for_path("out.xlsx") == NULL);
}

/* Every writer runs begin/device/end on one device with hostile strings. */
TEST(writers_smoke)
{
    obs_device_reset(&dev);
    static const char hostile[] = "=cmd|'/c calc'!A1\x1b]0;x\x07";
    obs_device_set_id(&dev, hostile, sizeof hostile - 1);
    add("http.server", "Acme-Webs/1.0", 13, NULL, -1);
    engine_judge(eng, &dev, &v);
    static const char *const names[] = { "json", "csv", "table" };
    for (size_t i = 0; i < 3; i++) {
        CONTEXT("writer %s", names[i]);
        char *out = NULL;
        size_t outlen = 0;
        FILE *f = open_memstream(&out, &outlen);
        REQUIRE(f != NULL);
        const struct report_writer *w = report_find(names[i]);
        struct report_ctx ctx = { .kb = kb, .cache = cache, .out = f };
        CHECK_EQ_INT(w->begin(&ctx), 0);
        ctx.counts[v.kind]++;
        ctx.n_devices++;
        CHECK_EQ_INT(w->device(&ctx, &dev, &v, NULL), 0);
        CHECK_EQ_INT(w->end(&ctx), 0);
        fclose(f);
        CHECK(outlen > 0);
        if (!strcmp(names[i], "csv"))
            CHECK_CONTAINS(out, "\n\"'=cmd"); /* the formula guard, inside quotes */
        if (!strcmp(names[i], "table")) {
            CHECK(strchr(out, '\x1b') == NULL);
            CHECK(strchr(out, '\x07') == NULL);
            CHECK_CONTAINS(out, "covered");
        }
        if (!strcmp(names[i], "json")) {
            CHECK_CONTAINS(out, "\"id\":\"=cmd|'/c calc'!A1\\u001b]0;x\\u0007\"");
            CHECK_EQ_INT(out[outlen - 1], '\n');
        }
        free(out);
    }
}

/* ---- text_clean ---- */

static const struct {
    const char *in;
    size_t n; /* 0: strlen */
    size_t cap, max;
    const char *out;
    size_t chars;
} cleans[] = {
    { "abc", 0, 64, 100, "abc", 3 },
    { "", 0, 64, 100, "", 0 },
    { "a\x1b[31mred\x1b[0m", 0, 64, 100, "a?[31mred?[0m", 13 },
    { "\x07\r\n\t\x01", 0, 64, 100, "?????", 5 },
    { "del\x7f", 0, 64, 100, "del?", 4 },
    { "nul\0x", 5, 64, 100, "nul?x", 5 },
    { "c1 \xC2\x9B" "2J", 0, 64, 100, "c1 ?2J", 6 },       /* CSI as a C1 control */
    { "\xC2\x80\xC2\x85\xC2\x9F", 0, 64, 100, "???", 3 },
    { "nbsp\xC2\xA0|\xC2\xA9", 0, 64, 100, "nbsp\xC2\xA0|\xC2\xA9", 7 }, /* not controls */
    { "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 0, 64, 100, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 8 },
    { "abcdef", 0, 64, 3, "ab\xE2\x80\xA6", 3 },            /* cut: max-1 characters and an ellipsis */
    { "abc", 0, 64, 3, "abc", 3 },                          /* exactly max: no ellipsis */
    { "\xC3\xA9\xC3\xA9\xC3\xA9", 0, 64, 2, "\xC3\xA9\xE2\x80\xA6", 2 },
    { "\xC2\x9B\xC2\x9B", 0, 64, 2, "??", 2 },                /* two C1 controls: nothing was cut */
    { "abcd", 0, 64, 4, "abcd", 4 },
    { "abcde", 0, 64, 4, "abc\xE2\x80\xA6", 4 },
    { "abcdef", 0, 4, 100, "abc", 3 },                      /* cut by capacity */
    { "\xC3\xA9\xC3\xA9\xC3\xA9", 0, 4, 100, "\xC3\xA9", 1 },
    { "a\xE2\x82", 0, 64, 100, "a??", 3 },                  /* ill-formed bytes shown as '?' */
    { "\xC3\x1b[2J", 0, 64, 100, "??[2J", 5 },              /* a lead byte cannot carry ESC through */
    { "x\x1b", 0, 64, 1, "\xE2\x80\xA6", 1 },
};

TEST(text_clean_table)
{
    for (size_t i = 0; i < sizeof cleans / sizeof *cleans; i++) {
        CONTEXT("cleans[%zu]", i);
        size_t n = cleans[i].n ? cleans[i].n : strlen(cleans[i].in);
        char *in = malloc(n ? n : 1);
        memcpy(in, cleans[i].in, n);
        char *out = malloc(cleans[i].cap);
        size_t c = text_clean(in, n, out, cleans[i].cap, cleans[i].max);
        CHECK_EQ_STR(out, cleans[i].out);
        CHECK_EQ_INT(c, cleans[i].chars);
        free(out);
        free(in);
    }
}

TEST(text_clean_edges)
{
    char out[8] = "zzzzzzz";
    CHECK_EQ_INT(text_clean(NULL, 5, out, sizeof out, 10), 0);
    CHECK_EQ_STR(out, "");
    CHECK_EQ_INT(text_clean("abc", 3, out, 0, 10), 0); /* nothing written */
    CHECK_EQ_INT(text_clean("abc", 3, out, 1, 10), 0);
    CHECK_EQ_STR(out, "");
    CHECK_EQ_INT(text_clean("abc", 3, out, sizeof out, 0), 0);
    /* no control character survives, whatever the bytes */
    unsigned long long rng = 42;
    for (int round = 0; round < 5000; round++) {
        unsigned char in[40];
        char o[200];
        size_t n = (size_t)(round % 40);
        for (size_t i = 0; i < n; i++) {
            rng = rng * 6364136223846793005ull + 1442695040888963407ull;
            in[i] = (unsigned char)(rng >> 56);
        }
        char rep[3 * 40 + 1];
        size_t rl = utf8_repair((const char *)in, n, rep); /* writers see repaired text */
        size_t c = text_clean(rep, rl, o, sizeof o, 30);
        CONTEXT("round %d", round);
        CHECK(c <= 30); /* the display width, ellipsis included */
        CHECK(strlen(o) < sizeof o);
        for (size_t i = 0; o[i]; i++) {
            unsigned char b = (unsigned char)o[i];
            if (!CHECK(b >= 0x20 && b != 0x7f))
                break;
            if (b == 0xC2 && !CHECK(!((unsigned char)o[i + 1] >= 0x80 && (unsigned char)o[i + 1] <= 0x9F)))
                break;
        }
        if (!CHECK(utf8_valid(o, strlen(o))))
            break;
    }
}


HARNESS_MAIN(T(setup), T(covered_fields), T(white_label_and_conflict), T(relationship_evidence),
             T(unknown_and_hostile_values), T(writer_registry), T(writers_smoke), T(text_clean_table),
             T(text_clean_edges), T(explanation_cut_utf8), T(teardown))
