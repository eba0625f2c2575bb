/* test_html.c: the HTML report: html_escape (table, cuts, caps) and the whole page built from a
 * hostile device: nothing from the device becomes markup, the page's own script and style match
 * the hashes its Content-Security-Policy allows, and the FAR 52.204-25(d) section carries the
 * record's fields and leaves the rest blank. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/core/sbuf.h"
#include "../../src/core/utf8.h"
#include "../../src/report/html.h"
#include "../harness.h"

static size_t esc(const char *in, size_t n, size_t max, char *out, size_t cap)
{
    struct sbuf b;
    sbuf_init(&b, cap);
    size_t left = html_escape(&b, in, n, max);
    memcpy(out, b.p, b.len + 1);
    sbuf_deinit(&b);
    return left;
}

TEST(escape_table)
{
    static const struct {
        const char *in;
        size_t n;
        const char *out;
    } t[] = {
        { "plain text", 10, "plain text" },
        { "<script>alert(1)</script>", 25, "&lt;script&gt;alert(1)&lt;/script&gt;" },
        { "\"'&", 3, "&quot;&#39;&amp;" },
        { "a\tb\nc", 5, "a\tb\nc" },
        { "a\rb\x1b[31m\x7f", 9, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD[31m\xEF\xBF\xBD" },
        { "nul\0after", 9, "nul\xEF\xBF\xBD" "after" },
        { "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xB7", 14, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\xB7" },
        { "\xC2\x85", 2, "\xEF\xBF\xBD" },                 /* C1 control NEL */
        { "\xC2\xA0", 2, "\xC2\xA0" },                     /* no-break space stays */
        { "\xFF\xFE", 2, "\xEF\xBF\xBD\xEF\xBF\xBD" },     /* not UTF-8 */
        { "\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD" },     /* overlong '/' */
        { "\xED\xA0\x80", 3, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" }, /* surrogate */
        { "\xE2\x82", 2, "\xEF\xBF\xBD\xEF\xBF\xBD" },     /* cut sequence */
        { "\xE2\x80\xAE" "evil", 7, "\xE2\x80\xAE" "evil" }, /* bidi override: isolated by CSS */
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        CONTEXT("case %zu", i);
        char out[256];
        CHECK_EQ_INT(esc(t[i].in, t[i].n, 0, out, sizeof out), 0);
        CHECK_EQ_STR(out, t[i].out);
    }
}

TEST(escape_cuts)
{
    char out[256];
    /* max_chars counts characters of the input, and marks the cut. */
    CHECK_EQ_INT(esc("abcdef", 6, 3, out, sizeof out), 3);
    CHECK_EQ_STR(out, "abc\xE2\x80\xA6");
    CHECK_EQ_INT(esc("<<<<", 4, 2, out, sizeof out), 2);
    CHECK_EQ_STR(out, "&lt;&lt;\xE2\x80\xA6");
    CHECK_EQ_INT(esc("\xE2\x82\xAC\xE2\x82\xAC", 6, 1, out, sizeof out), 3);
    CHECK_EQ_STR(out, "\xE2\x82\xAC\xE2\x80\xA6");
    CHECK_EQ_INT(esc("abc", 3, 3, out, sizeof out), 0);
    CHECK_EQ_STR(out, "abc");
    /* A cap never splits a reference or a character. */
    CHECK_EQ_INT(esc("a<b", 3, 0, out, 4), 2);
    CHECK_EQ_STR(out, "a");
    CHECK_EQ_INT(esc("\xE2\x82\xAC", 3, 0, out, 2), 3);
    CHECK_EQ_STR(out, "");
}

/* Every escaped output: valid UTF-8, no markup character, and every '&' starts a reference. */
TEST(escape_properties)
{
    unsigned seed = 12345;
    char in[64], out[1024];
    for (int round = 0; round < 20000; round++) {
        size_t n = (seed >> 8) % sizeof in;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            static const char pick[] = "<>&\"'a\x00\xC3\xA9\xE2\x82\xAC\xFF\x1b\n";
            in[i] = (seed >> 16) % 3 ? pick[(seed >> 20) % (sizeof pick - 1)] : (char)(seed >> 12);
        }
        seed = seed * 1103515245u + 12345u;
        esc(in, n, 0, out, sizeof out);
        size_t len = strlen(out);
        if (!CHECK(utf8_valid(out, len)) || !CHECK(!strpbrk(out, "<>\"'")))
            break;
        for (const char *p = strchr(out, '&'); p; p = strchr(p + 1, '&'))
            CHECK(!strncmp(p, "&amp;", 5) || !strncmp(p, "&lt;", 4) || !strncmp(p, "&gt;", 4) ||
                  !strncmp(p, "&quot;", 6) || !strncmp(p, "&#39;", 5));
    }
}

/* ---- the whole page --------------------------------------------------------------------------- */

#define META "  source   https://example.org/a\"onmouseover=alert(1)\n  source   plain <b>text</b>\n" \
             "  date     2026-11-27\n"
static const char rules[] =
    "list fcc\n  name FCC <i>Covered</i> List\n  short the FCC list\n" META "\n"
    "maker hik\n  name Hik\n  covered yes\n  on fcc 2021-03-12 video & <surveillance>\n" META "\n"
    "maker good\n  name Good\n  covered no\n" META "\n"
    "rule hik-webs\n  field http.server\n  match ^Hik-Webs/(?<firmware>.+)$\n  maker hik\n"
    "  strength stack\n" META "  example Hik-Webs/1.0\n\n"
    "rule hik-model\n  field isapi.model\n  match ^(?<model>.+)$\n  maker hik\n  strength strong\n"
    META "  example DS-1\n";

static const char *const hostile[] = {
    "<script>document.title='PWNED'</script>",
    "\"><img src=x onerror=\"document.title='PWNED'\">",
    "</textarea></title><svg onload=alert(1)>",
    "javascript:alert(1)",
    "<!--", "]]>", "</style><style>body{display:none}</style>",
};

static char *page;
static size_t page_len;

static void build_page(void)
{
    struct kb *kb = kb_new(NULL, NULL);
    REQUIRE(kb_load_buf(kb, "html.rules", rules, sizeof rules - 1) == UNMASK_OK);
    REQUIRE(kb_finish(kb) == UNMASK_OK);
    struct engine *e = engine_new(kb, NULL, 20261127);
    struct report_cache *cache = report_cache_new(kb);
    FILE *f = open_memstream(&page, &page_len);
    struct report_ctx ctx = { .kb = kb, .cache = cache, .out = f };
    struct html_meta meta = { .run_id = 7, .source = "scan", .input = "<script>x</script>",
                              .started = "2026-11-27T10:00:00Z", .as_of = "2026-11-27" };
    const struct report_writer *w = report_find("html");
    REQUIRE(w != NULL);
    CHECK(report_for_path("x.html") == w);
    html_set_meta(&ctx, &meta);
    CHECK_EQ_INT(w->begin(&ctx), 0);
    struct device d;
    obs_device_init(&d);
    char *longv = malloc(100000);
    memset(longv, 'A', 100000);
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        obs_device_reset(&d);
        obs_device_set_id(&d, hostile[i], strlen(hostile[i]));
        char server[256];
        snprintf(server, sizeof server, "Hik-Webs/%s", hostile[i]);
        obs_add(&d, "http.server", 11, server, strlen(server), hostile[i], strlen(hostile[i]), 80);
        if (i == 0) /* a value longer than the reader keeps, then longer than the page shows */
            obs_add(&d, "isapi.model", 11, longv, 100000, NULL, 0, -1);
        else
            obs_add(&d, "isapi.model", 11, hostile[i], strlen(hostile[i]), NULL, 0, -1);
        obs_add(&d, "http.body", 9, longv, 100000, NULL, 0, -1);
        {
            static const char bad[] = "bad \xFF\xFE utf-8";
            obs_add(&d, "http.title", 10, bad, sizeof bad - 1, NULL, 0, -1);
        }
        struct verdict v;
        engine_judge(e, &d, &v);
        CHECK_EQ_INT(v.kind, V_COVERED);
        struct report_far far = { .contract = hostile[i], .supplier = "Supplier & Sons" };
        struct report_extra x = { .address = hostile[i], .far = &far };
        ctx.counts[v.kind]++;
        ctx.n_devices++;
        CHECK_EQ_INT(w->device(&ctx, &d, &v, &x), 0);
    }
    CHECK_EQ_INT(w->end(&ctx), 0);
    fclose(f);
    free(longv);
    obs_device_deinit(&d);
    report_cache_free(cache);
    engine_free(e);
    kb_free(kb);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The text between open and close, hashed as the Content-Security-Policy does. */
static void sha256_b64(const char *from, const char *open, const char *close, char out[64])
{
    const char *a = strstr(from, open), *b = a ? strstr(a, close) : NULL;
    out[0] = '\0';
    if (!a || !b)
        return;
    a += strlen(open);
    unsigned char md[32];
    unsigned int len;
    EVP_Digest(a, (size_t)(b - a), md, &len, EVP_sha256(), NULL);
    EVP_EncodeBlock((unsigned char *)out, md, 32);
}

TEST(page_from_hostile_devices)
{
    build_page();
    REQUIRE(page != NULL);
    CHECK(utf8_valid(page, page_len));
    CHECK_EQ_INT(strlen(page), page_len); /* no NUL from the device */
    /* Exactly the page's own script and style; no element or handler from data. */
    CHECK_EQ_INT(count(page, "<script"), 1);
    CHECK_EQ_INT(count(page, "<style"), 1);
    CHECK_EQ_INT(count(page, "<img"), 0);
    CHECK_EQ_INT(count(page, "<svg onload"), 0);
    CHECK_EQ_INT(count(page, "onerror=\"document"), 0); /* as text it reads onerror=&quot; */
    CHECK_EQ_INT(count(page, "<i>"), 0);
    CHECK_EQ_INT(count(page, "<b>text"), 0);
    CHECK_EQ_INT(count(page, "href=\"javascript"), 0);
    CHECK_EQ_INT(count(page, "\"onmouseover"), 0); /* the source link stops at the quote */
    CHECK(count(page, "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;") > 0);
    CHECK_CONTAINS(page, "<title>unmask report: run 7</title>");
    CHECK_CONTAINS(page, "Run 7</b>");
    /* Long values are cut for display and say by how much. */
    CHECK_CONTAINS(page, "more bytes; cut by the reader at 64 KiB)");
    char *run = malloc(1002);
    memset(run, 'A', 1001);
    run[1001] = '\0';
    CHECK_EQ_INT(count(page, run), 0); /* nothing shows more than 1000 characters of a value */
    free(run);
    /* The policy allows exactly the page's own script and style. */
    char js[64], css[64], want[96];
    sha256_b64(page, "<script>", "</script>", js);
    sha256_b64(page, "<style>", "</style>", css);
    snprintf(want, sizeof want, "script-src 'sha256-%s'", js);
    CHECK_CONTAINS(page, want);
    snprintf(want, sizeof want, "style-src 'sha256-%s'", css);
    CHECK_CONTAINS(page, want);
    CHECK_CONTAINS(page, "default-src 'none'");
    /* Counts and the FAR section: one item per contract here, the record's fields filled in,
     * the unknowable ones blank. */
    CHECK_CONTAINS(page, "<div class=\"n\">7</div><div class=\"l\">covered</div>");
    CHECK_EQ_INT(count(page, "<article class=\"far-item\">"), 7);
    CHECK_EQ_INT(count(page, "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;</span> "
                             "<span class=\"q\">(from the record; check it)"), 1);
    CHECK(count(page, "Supplier &amp; Sons") >= 7);
    CHECK(count(page, "contenteditable=\"true\"") >= 7 * 3);
    CHECK_CONTAINS(page, "left blank");
    CHECK_CONTAINS(page, "within one business day");
    /* The evidence chain names its rule, the sources and the list with its date. */
    CHECK_CONTAINS(page, "<code>hik-webs</code>");
    CHECK_CONTAINS(page, "Hik is named by <a href=\"#list-fcc\">the FCC list</a> (since 2021-03-12).");
    CHECK_EQ_INT(count(page, "<div class=\"list\" id=\"list-fcc\"><h3>FCC &lt;i&gt;Covered&lt;/i&gt; "
                             "List</h3>"), 1); /* the appendix names each list once */
    CHECK_CONTAINS(page, "<li><b>Hik</b> since 2021-03-12: video &amp; &lt;surveillance&gt;</li>");
    CHECK_CONTAINS(page, "<a rel=\"noreferrer noopener\" href=\"https://example.org/a\">https://example.org/a"
                         "</a>&quot;onmouseover=alert(1)</li>");
    free(page);
}

TEST(empty_report)
{
    struct kb *kb = kb_new(NULL, NULL);
    REQUIRE(kb_load_buf(kb, "html.rules", rules, sizeof rules - 1) == UNMASK_OK);
    REQUIRE(kb_finish(kb) == UNMASK_OK);
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    struct report_ctx ctx = { .kb = kb, .out = f };
    const struct report_writer *w = report_find("html");
    CHECK_EQ_INT(w->begin(&ctx), 0);
    CHECK_EQ_INT(w->end(&ctx), 0);
    fclose(f);
    CHECK_CONTAINS(buf, "<title>unmask report</title>");
    CHECK_CONTAINS(buf, "nothing to report");
    CHECK_CONTAINS(buf, "</html>\n");
    free(buf);
    kb_free(kb);
}

HARNESS_MAIN(T(escape_table), T(escape_cuts), T(escape_properties), T(page_from_hostile_devices),
             T(empty_report))
