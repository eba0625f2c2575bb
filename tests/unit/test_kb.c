/* test_kb.c: the knowledge-base loader (docs/RULES.md): every error path with its line and message,
 * and the happy path (implicit maker brands, the field index, dates). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/kb/kb.h"
#include "../harness.h"

/* ---- a diag callback that records what it is told ---- */

struct diag_rec {
    char file[64];
    int line;
    char msg[1100];
};
static struct diag_rec diags[256];
static size_t n_diags;

static void rec(void *ctx, const char *file, int line, const char *msg)
{
    (void)ctx;
    if (n_diags < sizeof diags / sizeof *diags) {
        snprintf(diags[n_diags].file, sizeof diags[n_diags].file, "%s", file);
        diags[n_diags].line = line;
        snprintf(diags[n_diags].msg, sizeof diags[n_diags].msg, "%s", msg);
    }
    n_diags++;
}

static void dump_diags(void)
{
    for (size_t i = 0; i < n_diags && i < sizeof diags / sizeof *diags; i++)
        fprintf(stderr, "    diag: %s:%d: %s\n", diags[i].file, diags[i].line, diags[i].msg);
}

/* Line number (1-based) of the last line of text that contains marker; 0 for NULL. */
static int line_of(const char *text, const char *marker)
{
    if (!marker)
        return 0;
    int line = 1, found = -1;
    for (const char *p = text; *p; p++) {
        if (!strncmp(p, marker, strlen(marker)))
            found = line;
        if (*p == '\n')
            line++;
    }
    return found;
}

static bool has_diag(int line, const char *substr)
{
    for (size_t i = 0; i < n_diags && i < sizeof diags / sizeof *diags; i++)
        if (diags[i].line == line && strstr(diags[i].msg, substr) && !strcmp(diags[i].file, "t.rules"))
            return true;
    return false;
}

/* Loads, finishes and checks text as one file "t.rules"; returns the kb (caller frees). */
static struct kb *load(const char *text, int *rc_load, int *rc_finish, size_t *fails)
{
    n_diags = 0;
    struct kb *kb = kb_new(rec, NULL);
    size_t len = strlen(text);
    char *copy = malloc(len ? len : 1); /* exact size: ASan sees any read past the end */
    memcpy(copy, text, len);
    int rl = kb_load_buf(kb, "t.rules", copy, len);
    free(copy);
    int rf = kb_finish(kb);
    size_t f = kb_check_examples(kb);
    if (rc_load)
        *rc_load = rl;
    if (rc_finish)
        *rc_finish = rf;
    if (fails)
        *fails = f;
    return kb;
}

/* ---- the shared preamble: a valid list, two makers, one brand ---- */

#define BASE                                                                                       \
    "# test knowledge\n"                                                                           \
    "list fcc\n"                                                                                   \
    "  name      FCC Covered List\n"                                                               \
    "  short     the FCC list\n"                                                                   \
    "  source    https://www.fcc.gov/supplychain/coveredlist\n"                                    \
    "  date      2026-11-27\n"                                                                     \
    "\n"                                                                                           \
    "maker acme\n"                                                                                 \
    "  name     Acme\n"                                                                            \
    "  legal    Acme Co., Ltd.\n"                                                                  \
    "  legal    Acme Holdings\n"                                                                   \
    "  covered  yes\n"                                                                             \
    "  on       fcc 2021-03-12 video surveillance equipment\n"                                     \
    "  source   https://example.org/acme\n"                                                        \
    "  date     2026-11-27\n"                                                                      \
    "\n"                                                                                           \
    "maker goodco\n"                                                                               \
    "  name     GoodCo\n"                                                                          \
    "  covered  no\n"                                                                              \
    "  source   https://example.org/goodco\n"                                                      \
    "  date     2026\n"                                                                            \
    "\n"                                                                                           \
    "brand lorex\n"                                                                                \
    "  name   Lorex\n"                                                                             \
    "  owner  acme 2018-06 2022-11-24\n"                                                           \
    "  oem    acme - - M\n"                                                                        \
    "  source https://example.org/lorex\n"                                                         \
    "  date   2026-11\n"                                                                           \
    "\n"

/* A rule with every required attribute; the snippet tests below vary one thing at a time. */
#define RULE_HEAD(id) "rule " id "\n  field    http.server\n  source   s\n  date     2026-11-27\n"

static const struct {
    const char *snippet; /* appended to BASE */
    const char *marker;  /* the line the message names (last occurrence); NULL: line 0 */
    const char *msg;     /* a substring of the message */
} errors[] = {
    /* structure */
    { "widget foo\n", "widget foo", "unknown block 'widget'" },
    { "maker\n", "maker", "maker: missing identifier" },
    { "maker Acme2\n", "maker Acme2", "identifiers are [a-z0-9][a-z0-9._-]*" },
    { "rule -x\n", "rule -x", "identifiers are" },
    { "maker acme\n  name Acme again\n  covered no\n  source s\n  date 2026\n", "maker acme",
      "maker 'acme' is defined twice (makers and brands share one namespace)" },
    { "brand acme\n  name Acme brand\n  source s\n  date 2026\n", "brand acme",
      "brand 'acme' is defined twice (makers and brands share one namespace)" },
    { "maker lorex\n  name L\n  covered no\n  source s\n  date 2026\n", "maker lorex",
      "maker 'lorex' is defined twice (makers and brands share one namespace)" },
    { "list fcc\n  name again\n  source s\n  date 2026\n", "list fcc", "list 'fcc' is defined twice" },
    { RULE_HEAD("r1") "  match x\n  maker acme\n  strength weak\n  example x\n"
      RULE_HEAD("r1") "  match y\n  maker acme\n  strength weak\n  example y\n",
      "rule r1", "rule 'r1' is defined twice" },
    { "maker m2\n  colour red\n", "colour red", "unknown attribute 'colour'" },
    { "maker m2\n  name Caf\xE9\n", "name Caf", "line is not valid UTF-8" },            /* Latin-1 */
    { "maker m2\n  note \xC0\xAF\n", "  note", "line is not valid UTF-8" },           /* overlong */
    { "rule \xED\xA0\x80\n", "rule ", "line is not valid UTF-8" },                  /* surrogate */
    { "maker m2\n  name\n", "  name", "'name' needs a value" },
    { "maker m2\n  name A\n  name B\n  covered no\n  source s\n  date 2026\n", "name B", "duplicate 'name'" },
    { "maker m2\n  name A\n  covered maybe\n  source s\n  date 2026\n", "covered maybe", "covered must be yes or no" },
    { "maker m2\n  name A\n  covered no\n  source s\n  date 2026\n  date 2025\n", "date 2025", "duplicate 'date'" },
    /* missing required attributes (reported at the block's line) */
    { "maker m2\n  covered no\n  source s\n  date 2026\n", "maker m2", "maker 'm2': needs a 'name'" },
    { "maker m2\n  name M\n  covered no\n  date 2026\n", "maker m2", "maker 'm2': needs at least one 'source'" },
    { "maker m2\n  name M\n  covered no\n  source s\n", "maker m2", "maker 'm2': needs a 'date'" },
    { "maker m2\n  name M\n  covered yes\n  source s\n  date 2026\n", "maker m2",
      "maker 'm2': covered makers need an 'on LIST DATE' line" },
    { "list l2\n  source s\n  date 2026\n", "list l2", "list 'l2': needs a 'name'" },
    { "list l2\n  name L\n  date 2026\n", "list l2", "list 'l2': needs at least one 'source'" },
    { "brand b2\n  source s\n  date 2026\n", "brand b2", "brand 'b2': needs a 'name'" },
    { "brand b2\n  name B\n  source s\n", "brand b2", "brand 'b2': needs a 'date'" },
    { "rule r2\n  field http.server\n  match x\n  maker acme\n  strength weak\n  date 2026\n  example x\n",
      "rule r2", "rule 'r2': needs at least one 'source'" },
    { "rule r2\n  field http.server\n  match x\n  maker acme\n  strength weak\n  source s\n  example x\n",
      "rule r2", "rule 'r2': needs a 'date'" },
    { RULE_HEAD("r2") "  match x\n  maker acme\n  strength weak\n", "rule r2", "rule 'r2': needs at least one 'example'" },
    { RULE_HEAD("r2") "  match x\n  maker acme\n  example x\n", "rule r2", "rule 'r2': needs a 'strength'" },
    { RULE_HEAD("r2") "  maker acme\n  strength weak\n  example x\n", "rule r2", "rule 'r2': needs a 'match'" },
    { "rule r2\n  match x\n  maker acme\n  strength weak\n  source s\n  date 2026\n  example x\n", "rule r2",
      "rule 'r2': needs a 'field'" },
    { RULE_HEAD("r2") "  match x\n  strength weak\n  example x\n", "rule r2",
      "rule 'r2': needs exactly one of 'maker' or 'brand'" },
    { RULE_HEAD("r2") "  match x\n  maker acme\n  brand lorex\n  strength weak\n  example x\n", "rule r2",
      "rule 'r2': needs exactly one of 'maker' or 'brand'" },
    /* strengths and dates */
    { RULE_HEAD("r2") "  match x\n  maker acme\n  strength huge\n  example x\n", "strength huge",
      "strength must be stack, strong, medium, label or weak" },
    { RULE_HEAD("r2") "  match x\n  maker acme\n  strength weak\n  strength stack\n  example x\n", "strength stack",
      "duplicate 'strength'" },
    { "maker m2\n  name M\n  covered no\n  source s\n  date 2026-13-01\n", "date 2026-13-01",
      "date: '2026-13-01' is not YYYY, YYYY-MM or YYYY-MM-DD" },
    { "maker m2\n  name M\n  covered no\n  source s\n  date -\n", "date -", "date: '-' is not" },
    { "maker m2\n  name M\n  covered no\n  source s\n  date 27.11.2026\n", "date 27.11.2026", "is not YYYY" },
    { "maker m2\n  name M\n  covered yes\n  on fcc -\n  source s\n  date 2026\n", "on fcc -", "on: bad date '-'" },
    { "maker m2\n  name M\n  covered yes\n  on fcc 2021-3\n  source s\n  date 2026\n", "on fcc 2021-3", "on: bad date '2021-3'" },
    { "maker m2\n  name M\n  covered yes\n  on fcc\n  source s\n  date 2026\n", "on fcc", "on: expected LIST DATE [QUALIFIER]" },
    { "brand b2\n  name B\n  owner acme 2020-1 -\n  source s\n  date 2026\n", "owner acme",
      "bad date in '2020-1 -'" },
    { "brand b2\n  name B\n  owner acme 2022 2020\n  source s\n  date 2026\n", "owner acme", "period ends before it starts" },
    { "brand b2\n  name B\n  owner acme 2020\n  source s\n  date 2026\n", "owner acme", "owner: expected MAKER FROM TO" },
    { "brand b2\n  name B\n  oem acme - -\n  source s\n  date 2026\n", "oem acme", "oem: expected MAKER FROM TO GRADE" },
    { "brand b2\n  name B\n  oem acme - - X\n  source s\n  date 2026\n", "oem acme", "grade must be H, M or L" },
    { "brand b2\n  name B\n  oem acme - - HM\n  source s\n  date 2026\n", "oem acme", "grade must be H, M or L" },
    /* references (resolved by kb_finish, reported at the block's line) */
    { "maker m2\n  name M\n  covered yes\n  on nolist 2021\n  source s\n  date 2026\n", "maker m2",
      "maker 'm2': unknown list 'nolist'" },
    { "brand b2\n  name B\n  owner nobody - -\n  source s\n  date 2026\n", "brand b2", "brand 'b2': unknown maker 'nobody'" },
    { "brand b2\n  name B\n  oem nobody - - H\n  source s\n  date 2026\n", "brand b2", "brand 'b2': unknown maker 'nobody'" },
    { RULE_HEAD("r2") "  match x\n  maker nobody\n  strength weak\n  example x\n", "rule r2",
      "rule 'r2': unknown maker 'nobody'" },
    { RULE_HEAD("r2") "  match x\n  brand nobrand\n  strength weak\n  example x\n", "rule r2",
      "rule 'r2': unknown brand 'nobrand'" },
    { RULE_HEAD("r2") "  match x\n  maker lorex\n  strength weak\n  example x\n", "rule r2",
      "rule 'r2': unknown maker 'lorex'" },
    /* fields and patterns */
    { "rule r2\n  field HTTP.Server\n  match x\n  maker acme\n  strength weak\n  source s\n  date 2026\n  example x\n",
      "rule r2", "field 'HTTP.Server' is not a proto.field name" },
    { "rule r2\n  field server\n  match x\n  maker acme\n  strength weak\n  source s\n  date 2026\n  example x\n",
      "rule r2", "field 'server' is not a proto.field name" },
    { RULE_HEAD("r2") "  field http.title\n", "field http.title", "duplicate 'field'" },
    { RULE_HEAD("r2") "  match ^(abc\n  maker acme\n  strength weak\n  example abc\n", "rule r2",
      "match: pattern error at offset" },
    { RULE_HEAD("r2") "  match x\n  match y\n", "match y", "duplicate 'match'" },
    { RULE_HEAD("r2") "  match x\n  path ([\n  maker acme\n  strength weak\n  example x\n  example-path /\n",
      "rule r2", "path: pattern error" },
    /* examples */
    { RULE_HEAD("r2") "  match ^Acme$\n  maker acme\n  strength weak\n  example Nope\n", "example Nope",
      "rule 'r2': example does not match: Nope" },
    { RULE_HEAD("r2") "  match ^Acme\n  maker acme\n  strength weak\n  example Acme\n  nomatch Acme-Webs\\t1\n",
      "nomatch Acme-Webs", "rule 'r2': nomatch value matches: Acme-Webs\\x091" },
    { RULE_HEAD("r2") "  match x\n  maker acme\n  strength weak\n  example x\\q\n", "example x", "bad escape in 'x\\q'" },
    { RULE_HEAD("r2") "  match x\n  maker acme\n  strength weak\n  example x\\x4\n", "example x", "bad escape" },
    { RULE_HEAD("r2") "  match x\n  maker acme\n  strength weak\n  nomatch \\\n  example x\n", "nomatch", "bad escape" },
    { RULE_HEAD("r2") "  match ^Acme-Webs/(?<firmware>[0-9.]+)$\n  maker acme\n  strength stack\n"
      "  example Acme-Webs/1.2\n  yields firmware=9.9\n", "example Acme-Webs", "rule 'r2': firmware is '1.2', expected '9.9'" },
    { RULE_HEAD("r2") "  match ^Acme-Webs/(?<firmware>[0-9.]+)$\n  maker acme\n  strength stack\n"
      "  example Acme-Webs/1.2\n  yields model=X\n", "example Acme-Webs", "rule 'r2': example yields no 'model'" },
    { RULE_HEAD("r2") "  match ^Acme(?<model>-X)?$\n  maker acme\n  strength stack\n"
      "  example Acme\n  yields model=-X\n", "example Acme", "example yields no 'model'" },
    { RULE_HEAD("r2") "  match x\n  maker acme\n  strength weak\n  yields a=b\n  example x\n", "yields a=b",
      "yields must follow an example" },
    { RULE_HEAD("r2") "  match x\n  maker acme\n  strength weak\n  example x\n  yields abc\n", "yields abc",
      "yields: expected KEY=VALUE" },
    { RULE_HEAD("r2") "  match x\n  maker acme\n  strength weak\n  example x\n  yields a=\"b c\n", "yields a=",
      "yields: unterminated quote" },
    { RULE_HEAD("r2") "  match ^x$\n  path ^/login$\n  maker acme\n  strength weak\n  example x\n", "example x",
      "rule 'r2': the rule has 'path', so each example needs an 'example-path'" },
    { RULE_HEAD("r2") "  match ^x$\n  path ^/login$\n  maker acme\n  strength weak\n  example x\n  example-path /other\n",
      "example x", "rule 'r2': example-path does not match: /other" },
    { RULE_HEAD("r2") "  match ^x$\n  maker acme\n  strength weak\n  example-path /\n  example x\n", "example-path /",
      "example-path must follow an example" },
    { RULE_HEAD("r2") "  match ^x$\n  path .\n  maker acme\n  strength weak\n  example x\n  example-path \\z\n",
      "example-path \\z", "bad escape in example-path" },
    /* also */
    { RULE_HEAD("r2") "  match ^x$\n  also http.title ^T$\n  maker acme\n  strength weak\n  example x\n",
      "also http.title", "rule 'r2': 'also' needs an 'also-example'" },
    { RULE_HEAD("r2") "  match ^x$\n  also-example T\n  maker acme\n  strength weak\n  example x\n",
      "also-example T", "also-example without a preceding 'also'" },
    { RULE_HEAD("r2") "  match ^x$\n  also http.title ^T$\n  also-example U\n  maker acme\n  strength weak\n  example x\n",
      "also-example U", "rule 'r2': also-example does not match: U" },
    { RULE_HEAD("r2") "  match ^x$\n  also http.title\n  maker acme\n  strength weak\n  example x\n", "also http.title",
      "also: expected FIELD PATTERN" },
    { RULE_HEAD("r2") "  match ^x$\n  also http.title (\n  also-example (\n  maker acme\n  strength weak\n  example x\n",
      "also http.title", "also: pattern error" },
    { RULE_HEAD("r2") "  match ^x$\n  also Title ^T$\n  also-example T\n  maker acme\n  strength weak\n  example x\n",
      "also Title", "field 'Title' is not a proto.field name" },
};

TEST(error_paths)
{
    for (size_t i = 0; i < sizeof errors / sizeof *errors; i++) {
        size_t bl = strlen(BASE), sl = strlen(errors[i].snippet);
        char *text = malloc(bl + sl + 1);
        memcpy(text, BASE, bl);
        memcpy(text + bl, errors[i].snippet, sl + 1);
        int line = line_of(text, errors[i].marker);
        CONTEXT("errors[%zu] (line %d: %s)", i, line, errors[i].msg);
        int rl, rf;
        struct kb *kb = load(text, &rl, &rf, NULL);
        CHECK(rl == UNMASK_ERULES || rf == UNMASK_ERULES || n_diags > 0);
        CHECK(kb->n_errors >= 1);
        if (!CHECK(has_diag(line, errors[i].msg)))
            dump_diags();
        kb_free(kb);
        free(text);
    }
}

TEST(base_is_clean)
{
    int rl, rf;
    size_t fails;
    struct kb *kb = load(BASE, &rl, &rf, &fails);
    CHECK_EQ_INT(rl, UNMASK_OK);
    CHECK_EQ_INT(rf, UNMASK_OK);
    CHECK_EQ_INT(fails, 0);
    if (!CHECK_EQ_INT(n_diags, 0))
        dump_diags();
    kb_free(kb);
}

TEST(attribute_outside_block)
{
    struct kb *kb = load("# comment\n\n  name x\n", NULL, NULL, NULL);
    CHECK(has_diag(3, "attribute outside of a block"));
    kb_free(kb);
    /* the attributes of an unknown block are outside any block too */
    kb = load("widget w\n  name x\n", NULL, NULL, NULL);
    CHECK(has_diag(1, "unknown block 'widget' (expected list, maker, brand or rule)"));
    CHECK(has_diag(2, "attribute outside of a block"));
    kb_free(kb);
}

TEST(nul_byte)
{
    n_diags = 0;
    struct kb *kb = kb_new(rec, NULL);
    CHECK_EQ_INT(kb_load_buf(kb, "t.rules", "maker a\0b\n", 10), UNMASK_ERULES);
    CHECK(has_diag(0, "file contains a NUL byte"));
    CHECK_EQ_INT(kb->n_makers, 0);
    kb_free(kb);
}

TEST(long_line)
{
    size_t n = 9000;
    char *text = malloc(n + 64);
    int l = snprintf(text, 64, "maker m\n  note ");
    memset(text + l, 'x', n);
    strcpy(text + l + n, "\n  name M\n");
    struct kb *kb = load(text, NULL, NULL, NULL);
    CHECK(has_diag(2, "line longer than 8192 bytes"));
    CHECK(!has_diag(3, "")); /* the next line is read normally */
    kb_free(kb);
    free(text);
}

/* Loading goes on after an error: every problem is reported and the good blocks are kept. */
TEST(errors_do_not_stop_loading)
{
    static const char text[] = BASE
        "maker Bad\n  name x\n"
        "maker m3\n  name M3\n  covered no\n  source s\n  date 2026\n"
        "widget\n"
        "maker m4\n  name M4\n  covered no\n  source s\n  date 2026-02-30x\n";
    int rl, rf;
    struct kb *kb = load(text, &rl, &rf, NULL);
    CHECK_EQ_INT(rl, UNMASK_ERULES);
    CHECK(kb_maker_find(kb, "m3") >= 0);
    CHECK(kb_maker_find(kb, "m4") >= 0);
    CHECK(has_diag(line_of(text, "maker Bad"), "identifiers are"));
    CHECK(has_diag(line_of(text, "widget"), "unknown block"));
    CHECK(has_diag(line_of(text, "date 2026-02-30x"), "is not YYYY"));
    CHECK(has_diag(line_of(text, "maker m4"), "needs a 'date'"));
    CHECK_EQ_INT(kb->n_errors, n_diags);
    kb_free(kb);
}

/* ---- the happy path ---- */

static const char good_rules[] = BASE
    "rule acme-webs\n"
    "  field    http.server, rtsp.server\n"
    "  match    ^Acme-Webs/(?<firmware>[0-9.]+)(?: \\((?<model>[^)]+)\\))?$\n"
    "  maker    acme\n"
    "  strength stack\n"
    "  source   https://example.org/acme-webs\n"
    "  source   second source\n"
    "  date     2026-11-27\n"
    "  note     first part\n"
    "  note     second part\n"
    "  example  Acme-Webs/1.2\n"
    "  yields   firmware=1.2\n"
    "  example  Acme-Webs/5.7 (DS 2CD)\n"
    "  yields   model=\"DS 2CD\" firmware=5.7\n"
    "  nomatch  Acme-Webs/\n"
    "  nomatch  XAcme-Webs/1\n"
    "\n"
    "# a comment between blocks\n"
    "rule lorex-label\n"
    "\tfield\tonvif.manufacturer\n"
    "\tmatch\t^Lorex$\n"
    "\tbrand\tlorex\n"
    "\tstrength label\n"
    "\tsource\ts\n"
    "\tdate\t2026-11-27   \n"
    "\texample\tLorex\n"
    "\n"
    "rule acme-brand-title\r\n"
    "  field    http.title\r\n"
    "  match    ^ACME #1 \\x{263A}$\r\n"
    "  brand    acme\r\n"
    "  strength label\r\n"
    "  source   s\r\n"
    "  date     2026-11-27\r\n"
    "    # an indented comment\r\n"
    "  example  ACME #1 \xE2\x98\xBA\r\n"
    "\n"
    "rule goodco-login\n"
    "  field    http.body\n"
    "  match    ^<title>Good\\r\\n</title>$\n"
    "  path     ^/login\\.html$\n"
    "  also     ssh.banner ^SSH-2\\.0-GoodOS\n"
    "  also-example SSH-2.0-GoodOS_1.0\n"
    "  also-example SSH-2.0-GoodOS\n"
    "  maker    goodco\n"
    "  strength medium\n"
    "  source   s\n"
    "  date     2026-11-27\n"
    "  example  <title>Good\\r\\n</title>\n"
    "  example-path /login.html\n"
    "  example  <title>Good\\x0d\\x0A</title>\n"
    "  example-path /login.html\n"
    "  nomatch  <title>Good</title>\n";

TEST(happy_path)
{
    int rl, rf;
    size_t fails;
    struct kb *kb = load(good_rules, &rl, &rf, &fails);
    CHECK_EQ_INT(rl, UNMASK_OK);
    CHECK_EQ_INT(rf, UNMASK_OK);
    CHECK_EQ_INT(fails, 0);
    if (!CHECK_EQ_INT(n_diags, 0))
        dump_diags();
    CHECK(kb->finished);
    CHECK_EQ_INT(kb->n_lists, 1);
    CHECK_EQ_INT(kb->n_makers, 2);
    CHECK_EQ_INT(kb->n_brands, 3); /* lorex + the implicit acme and goodco */
    CHECK_EQ_INT(kb->n_rules, 4);
    CHECK_EQ_INT(kb->n_files, 1);
    CHECK_EQ_STR(kb->files[0], "t.rules");

    const struct kb_list *l = &kb->lists[0];
    CHECK_EQ_STR(l->id, "fcc");
    CHECK_EQ_STR(l->name, "FCC Covered List");
    CHECK_EQ_STR(l->short_name, "the FCC list");
    CHECK_EQ_STR(l->date, "2026-11-27");
    CHECK_EQ_INT(l->line, 2);

    int acme = kb_maker_find(kb, "acme"), goodco = kb_maker_find(kb, "goodco");
    REQUIRE(acme >= 0 && goodco >= 0);
    CHECK_EQ_INT(kb_maker_find(kb, "lorex"), -1);
    const struct kb_maker *m = &kb->makers[acme];
    CHECK(m->covered);
    CHECK(!kb->makers[goodco].covered);
    CHECK_EQ_INT(m->legal.n, 2);
    CHECK_EQ_STR(m->legal.v[1], "Acme Holdings");
    REQUIRE(m->n_on == 1);
    CHECK_EQ_INT(m->on[0].list, 0);
    CHECK_EQ_INT(m->on[0].date, 20210312);
    CHECK_EQ_STR(m->on[0].date_text, "2021-03-12");
    CHECK_EQ_STR(m->on[0].qualifier, "video surveillance equipment");

    /* explicit brand with periods and an OEM relationship */
    int lorex = kb_brand_find(kb, "lorex");
    REQUIRE(lorex >= 0);
    const struct kb_brand *b = &kb->brands[lorex];
    CHECK_EQ_INT(b->implicit_maker, -1);
    REQUIRE(b->n_owners == 1 && b->n_oems == 1);
    CHECK_EQ_INT(b->owners[0].maker, acme);
    CHECK_EQ_INT(b->owners[0].from, 20180601);
    CHECK_EQ_INT(b->owners[0].to, 20221124);
    CHECK_EQ_INT(b->owners[0].grade, 0);
    CHECK_EQ_INT(b->oems[0].maker, acme);
    CHECK_EQ_INT(b->oems[0].from, KB_DATE_OPEN_FROM);
    CHECK_EQ_INT(b->oems[0].to, KB_DATE_OPEN_TO);
    CHECK_EQ_INT(b->oems[0].grade, 'M');
    CHECK_EQ_STR(b->oems[0].from_text, "-");

    /* implicit maker brands */
    int acme_b = kb_brand_find(kb, "acme");
    REQUIRE(acme_b >= 0);
    b = &kb->brands[acme_b];
    CHECK_EQ_INT(b->implicit_maker, acme);
    CHECK_EQ_STR(b->name, "Acme");
    REQUIRE(b->n_owners == 1);
    CHECK_EQ_INT(b->owners[0].maker, acme);
    CHECK_EQ_INT(b->owners[0].from, KB_DATE_OPEN_FROM);
    CHECK_EQ_INT(b->owners[0].to, KB_DATE_OPEN_TO);
    CHECK_EQ_INT(b->n_oems, 0);
    CHECK(kb_brand_find(kb, "goodco") >= 0);
    CHECK_EQ_INT(kb_brand_find(kb, "nobody"), -1);

    /* rules */
    const struct kb_rule *r = &kb->rules[0];
    CHECK_EQ_STR(r->id, "acme-webs");
    REQUIRE(r->fields.n == 2);
    CHECK_EQ_STR(r->fields.v[0], "http.server");
    CHECK_EQ_STR(r->fields.v[1], "rtsp.server");
    CHECK_EQ_INT(r->maker, acme);
    CHECK_EQ_INT(r->brand, -1);
    CHECK_EQ_INT(r->strength, KB_STACK);
    CHECK_EQ_INT(r->sources.n, 2);
    CHECK_EQ_STR(r->note, "first part second part");
    CHECK(r->re != NULL);
    CHECK(r->path_re == NULL);
    CHECK(r->grp_firmware > 0);
    CHECK(r->grp_model > 0);
    CHECK_EQ_INT(r->grp_serial, 0);
    REQUIRE(r->n_ex == 2 && r->n_nomatch == 2);
    CHECK_EQ_INT(r->ex[0].yields.n, 1);
    CHECK_EQ_STR(r->ex[0].yields.v[0], "firmware=1.2");
    REQUIRE(r->ex[1].yields.n == 2);
    CHECK_EQ_STR(r->ex[1].yields.v[0], "model=DS 2CD");
    CHECK_EQ_STR(r->ex[1].yields.v[1], "firmware=5.7");
    CHECK_EQ_INT(r->ex[0].line, line_of(good_rules, "  example  Acme-Webs/1.2"));

    r = &kb->rules[1];
    CHECK_EQ_INT(r->brand, lorex);
    CHECK_EQ_INT(r->maker, -1);
    CHECK_EQ_STR(r->date, "2026-11-27"); /* trailing blanks removed */

    r = &kb->rules[2];
    CHECK_EQ_INT(r->brand, acme_b); /* the implicit brand */
    CHECK_EQ_STR(r->match_src, "^ACME #1 \\x{263A}$");

    r = &kb->rules[3];
    REQUIRE(r->n_ex == 2 && r->n_also == 1);
    CHECK_EQ_MEM(r->ex[0].value, r->ex[0].len, "<title>Good\r\n</title>", 21);
    CHECK_EQ_MEM(r->ex[1].value, r->ex[1].len, "<title>Good\r\n</title>", 21);
    CHECK_EQ_STR(r->ex[0].path, "/login.html");
    CHECK(r->path_re != NULL);
    CHECK_EQ_STR(r->also[0].field, "ssh.banner");
    CHECK_EQ_STR(r->also[0].src, "^SSH-2\\.0-GoodOS");
    CHECK_EQ_INT(r->also[0].n_ex, 2);
    CHECK(r->also[0].re != NULL);
    CHECK(r->also[0].field_id >= 0);

    /* the field index */
    static const char *const fields[] = { "http.server", "rtsp.server", "onvif.manufacturer", "http.title",
                                          "http.body", "ssh.banner" };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        CONTEXT("field %s", fields[i]);
        int id = kb_field_id(kb, fields[i]);
        REQUIRE(id >= 0 && (size_t)id < kb->n_fields);
        CHECK_EQ_STR(kb->fields[id], fields[i]);
    }
    CONTEXT("field index");
    CHECK_EQ_INT(kb->n_fields, 6);
    CHECK_EQ_INT(kb_field_id(kb, "http.serve"), -1);
    CHECK_EQ_INT(kb_field_id(kb, "HTTP.SERVER"), -1);
    CHECK_EQ_INT(kb_field_id(kb, ""), -1);
    int fs = kb_field_id(kb, "http.server"), fr = kb_field_id(kb, "rtsp.server");
    CHECK_EQ_INT(kb->field_rules[fs][0], 0);
    CHECK_EQ_INT(kb->field_rules[fs][1], -1);
    CHECK_EQ_INT(kb->field_rules[fr][0], 0);
    int fb = kb_field_id(kb, "http.body");
    CHECK_EQ_INT(kb->field_rules[fb][0], 3);
    CHECK_EQ_INT(kb->field_rules[kb_field_id(kb, "ssh.banner")][0], -1); /* read by `also` only */
    kb_free(kb);
}

/* References resolve across files; file and line numbers name the right file. */
TEST(several_files)
{
    n_diags = 0;
    struct kb *kb = kb_new(rec, NULL);
    static const char a[] = "rule r-a\n  field http.server\n  match ^Z$\n  maker zeta\n  strength strong\n"
                            "  source s\n  date 2026\n  example Z\n";
    static const char b[] = "\nmaker zeta\n  name Zeta\n  covered no\n  source s\n  date 2026\n"
                            "rule r-b\n  field http.server\n  match ^Z\n  maker zeta\n  strength weak\n"
                            "  source s\n  date 2026\n  example Zz\n  nomatch Q\n";
    static const char c[] = "rule r-c\n  field http.title\n  match ^Q$\n  maker nobody\n  strength weak\n"
                            "  source s\n  date 2026\n  example Q\n";
    CHECK_EQ_INT(kb_load_buf(kb, "a.rules", a, sizeof a - 1), UNMASK_OK);
    CHECK_EQ_INT(kb_load_buf(kb, "b.rules", b, sizeof b - 1), UNMASK_OK);
    CHECK_EQ_INT(kb_load_buf(kb, "c.rules", c, sizeof c - 1), UNMASK_OK);
    CHECK_EQ_INT(kb_finish(kb), UNMASK_ERULES);
    CHECK_EQ_INT(kb_check_examples(kb), 0);
    CHECK_EQ_INT(n_diags, 1);
    CHECK_EQ_STR(diags[0].file, "c.rules");
    CHECK_EQ_INT(diags[0].line, 1);
    CHECK_CONTAINS(diags[0].msg, "unknown maker 'nobody'");
    CHECK_EQ_INT(kb->n_files, 3);
    CHECK_EQ_INT(kb->rules[0].maker, 0);
    CHECK_EQ_INT(kb->rules[0].file, 0);
    CHECK_EQ_INT(kb->rules[1].file, 1);
    CHECK_EQ_INT(kb->makers[0].line, 2);
    int f = kb_field_id(kb, "http.server");
    REQUIRE(f >= 0);
    CHECK_EQ_INT(kb->field_rules[f][0], 0); /* file order */
    CHECK_EQ_INT(kb->field_rules[f][1], 1);
    CHECK_EQ_INT(kb->field_rules[f][2], -1);
    kb_free(kb);
}

TEST(empty_and_null)
{
    kb_free(NULL);
    struct kb *kb = kb_new(NULL, NULL); /* no callback: problems are only counted */
    CHECK_EQ_INT(kb_field_id(kb, "http.server"), -1);
    CHECK_EQ_INT(kb_load_buf(kb, "empty", "", 0), UNMASK_OK);
    CHECK_EQ_INT(kb_load_buf(kb, "bad", "widget\n", 7), UNMASK_ERULES);
    CHECK_EQ_INT(kb->n_errors, 1);
    CHECK_EQ_INT(kb_finish(kb), UNMASK_OK); /* no new problems */
    CHECK_EQ_INT(kb_check_examples(kb), 0);
    CHECK_EQ_INT(kb_field_id(kb, "http.server"), -1);
    kb_free(kb);
}

TEST(strength_names)
{
    static const char *const names[] = { "weak", "label", "medium", "strong", "stack" };
    static const double weights[] = { 0.20, 0.50, 0.60, 0.85, 0.95 };
    for (int s = 0; s < KB_N_STRENGTH; s++) {
        CHECK_EQ_STR(kb_strength_name((enum kb_strength)s), names[s]);
        CHECK_NEAR(kb_strength_weight((enum kb_strength)s), weights[s], 1e-9);
    }
    CHECK_EQ_STR(kb_strength_name(KB_N_STRENGTH), "?");
    CHECK_NEAR(kb_strength_weight(KB_N_STRENGTH), 0.0, 0);
}

TEST(parse_date_table)
{
    static const struct {
        const char *s;
        int from, to;
    } t[] = {
        { "2026", 20260101, 20261231 },
        { "2026-02", 20260201, 20260231 }, /* a partial month ends on "day 31": only order matters */
        { "2026-11-27", 20261127, 20261127 },
        { "1900-01-01", 19000101, 19000101 },
        { "2999-12-31", 29991231, 29991231 },
        { "-", KB_DATE_OPEN_FROM, KB_DATE_OPEN_TO },
        { "", -1, -1 },
        { "26", -1, -1 },
        { "202", -1, -1 },
        { "20261", -1, -1 },
        { "2026-", -1, -1 },
        { "2026-1", -1, -1 },
        { "2026-1-01", -1, -1 },
        { "2026-01-1", -1, -1 },
        { "20260101", -1, -1 },
        { "2026/01/01", -1, -1 },
        { "2026-00", -1, -1 },
        { "2026-13", -1, -1 },
        { "2026-01-00", -1, -1 },
        { "2026-01-32", -1, -1 },
        { "1899", -1, -1 },
        { "3000", -1, -1 },
        { "2026-01-01x", -1, -1 },
        { " 2026", -1, -1 },
        { "+026", -1, -1 },
        { "-026", -1, -1 },
        { "--", -1, -1 },
        { "abcd", -1, -1 },
        { "2026-0101", -1, -1 },
        { "2026--1-01", -1, -1 },
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        CONTEXT("'%s'", t[i].s);
        CHECK_EQ_INT(kb_parse_date(t[i].s, false), t[i].from);
        CHECK_EQ_INT(kb_parse_date(t[i].s, true), t[i].to);
    }
}

/* Every prefix of a valid file loads without a crash; the full file is the only one certain to be
 * clean. (The line-oriented parser has no state across buffers, so this is its split test.) */
TEST(every_prefix)
{
    size_t n = strlen(good_rules);
    for (size_t k = 0; k <= n; k += 7) {
        CONTEXT("prefix %zu", k);
        char *copy = malloc(k ? k : 1);
        memcpy(copy, good_rules, k);
        struct kb *kb = kb_new(NULL, NULL);
        int rl = kb_load_buf(kb, "t.rules", copy, k);
        int rf = kb_finish(kb);
        kb_check_examples(kb);
        CHECK(rl == UNMASK_OK || rl == UNMASK_ERULES);
        CHECK(rf == UNMASK_OK || rf == UNMASK_ERULES);
        kb_free(kb);
        free(copy);
    }
}

HARNESS_MAIN(T(base_is_clean), T(error_paths), T(attribute_outside_block), T(nul_byte), T(long_line),
             T(errors_do_not_stop_loading), T(happy_path), T(several_files), T(empty_and_null),
             T(strength_names), T(parse_date_table), T(every_prefix))
