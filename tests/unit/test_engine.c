/* test_engine.c: the verdict engine on a small in-memory knowledge base: every verdict kind, brand
 * ownership periods, OEM relationships, conflicts, `also` and `path` conditions, captures, mac.org. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/core/utf8.h"
#include "../../src/engine/engine.h"
#include "../harness.h"
#include "../kb_pieces.h"

#define META "  source   https://example.org/src\n  date     2026-11-27\n"
#define RULE(id, field, match, who, strength, example)                                             \
    "rule " id "\n  field    " field "\n  match    " match "\n  " who "\n  strength " strength "\n"   \
    META "  example  " example "\n\n"

static const char *const rules[] = {
    "list fcc\n  name FCC Covered List\n  short the FCC list\n" META "\n"
    "maker dahua\n  name Dahua\n  covered yes\n  on fcc 2021-03-12 video surveillance\n" META "\n"
    "maker hikvision\n  name Hikvision\n  covered yes\n  on fcc 2021-03-12\n  on ndaa 2018-08-13\n" META "\n"
    "list ndaa\n  name NDAA FY2019 section 889\n  short NDAA section 889\n" META "\n"
    "maker goodco\n  name GoodCo\n  covered no\n" META "\n"
    "maker otherco\n  name OtherCo\n  covered no\n" META "\n"
    "brand lorex\n  name Lorex\n  owner dahua 2018-06 2022-11-24\n  oem dahua - - M\n" META "\n"
    "brand ezviz\n  name EZVIZ\n  owner hikvision - -\n" META "\n"
    "brand rebrand-h\n  name RebrandH\n  oem hikvision 2019 - H\n  oem goodco - - H\n" META "\n"
    "brand rebrand-l\n  name RebrandL\n  oem hikvision - - L\n" META "\n"
    "brand goodlabel\n  name GoodLabel\n  owner goodco - -\n" META "\n",
    RULE("dahua-realm", "dahua.realm", "^Login to (?<serial>[0-9A-Z]{8,})$", "maker dahua", "stack",
         "Login to 4C0ABCDEF")
    RULE("dahua-title", "http.title", "^DahuaWeb$", "maker dahua", "medium", "DahuaWeb")
    RULE("dvr-realm", "http.www_authenticate", "^Basic realm=\"DVR\"$", "maker dahua", "weak",
         "Basic realm=\"DVR\"")
    RULE("dahua-mac", "mac.org", "^Zhejiang Dahua Technology Co\\., ?Ltd\\.$", "maker dahua", "strong",
         "Zhejiang Dahua Technology Co.,Ltd.")
    RULE("hik-webs", "http.server, rtsp.server", "^Hik-Webs$", "maker hikvision", "stack", "Hik-Webs")
    RULE("hik-model", "isapi.model", "^(?<model>DS-[0-9A-Z-]+)$", "maker hikvision", "strong",
         "DS-2CD2143G0-I")
    RULE("hik-fw", "isapi.firmware", "^V(?<firmware>[0-9.]+) build [0-9]+$", "maker hikvision", "strong",
         "V5.7.3 build 220112"),
    "rule hik-login\n  field http.body\n  match ^<html>hik-login</html>$\n  path ^/doc/page/login\\.asp$\n"
    "  maker hikvision\n  strength medium\n" META "  example <html>hik-login</html>\n"
    "  example-path /doc/page/login.asp\n\n"
    RULE("goodco-ssh", "ssh.banner", "^SSH-2\\.0-GoodOS", "maker goodco", "stack", "SSH-2.0-GoodOS_1.0")
    RULE("goodco-oid", "snmp.sysobjectid", "^1\\.3\\.6\\.1\\.4\\.1\\.99999\\.", "maker goodco", "strong",
         "1.3.6.1.4.1.99999.1")
    RULE("goodco-cookie", "http.set_cookie", "^goodsession=", "maker goodco", "weak", "goodsession=1")
    "rule goodco-rtsp\n  field rtsp.server\n  match ^Rtsp Server/2\\.0$\n  also http.server ^GoodOS-httpd$\n"
    "  also-example GoodOS-httpd\n  maker goodco\n  strength stack\n" META "  example Rtsp Server/2.0\n\n"
    RULE("otherco-title", "http.title", "^OtherCam$", "maker otherco", "medium", "OtherCam"),
    RULE("lorex-label", "onvif.manufacturer, inventory.brand", "^Lorex$", "brand lorex", "label", "Lorex")
    RULE("ezviz-label", "onvif.manufacturer", "^EZVIZ$", "brand ezviz", "label", "EZVIZ")
    RULE("rebrand-h-label", "onvif.manufacturer", "^RebrandH$", "brand rebrand-h", "label", "RebrandH")
    RULE("rebrand-l-label", "onvif.manufacturer", "^RebrandL$", "brand rebrand-l", "label", "RebrandL")
    RULE("goodlabel-label", "onvif.manufacturer", "^GoodLabel$", "brand goodlabel", "label", "GoodLabel")
    RULE("dahua-label", "onvif.manufacturer", "^Dahua$", "brand dahua", "label", "Dahua"),
};

static const char registry[] =
    "Registry,Assignment,Organization Name,Organization Address\n"
    "MA-L,3CEF8C,\"Zhejiang Dahua Technology Co.,Ltd.\",Hangzhou\n"
    "MA-L,3EEF8C,\"Zhejiang Dahua Technology Co.,Ltd.\",not a real registration: the local bit is set\n"
    "MA-L,001122,Unrelated Corp,x\n";

static struct kb *kb;
static struct oui_db *ouidb;
static struct engine *eng;       /* as of 2026-11-27, with the registry */
static struct device dev;
static struct verdict v;
static int DAHUA, HIK, GOODCO, OTHERCO;

static void add(const char *name, const char *value)
{
    CHECK(obs_add(&dev, name, strlen(name), value, strlen(value), NULL, 0, -1) >= 0);
}

static void addp(const char *name, const char *value, const char *path)
{
    CHECK(obs_add(&dev, name, strlen(name), value, strlen(value), path, strlen(path), 80) >= 0);
}

static void judge_with(struct engine *e) { engine_judge(e, &dev, &v); }
static void judge(void) { judge_with(eng); }

static int brand(const char *slug) { return kb_brand_find(kb, slug); }

/* The evidence index of the first evidence from rule id (or relationship when id is NULL). */
static int ev_of(const char *id)
{
    for (size_t i = 0; i < v.n_ev; i++)
        if (id ? v.ev[i].rule >= 0 && !strcmp(kb->rules[v.ev[i].rule].id, id)
               : v.ev[i].rule == EV_RULE_RELATIONSHIP)
            return (int)i;
    return -1;
}

static void setup(void)
{
    kb = kb_from_pieces(rules, sizeof rules / sizeof *rules, "engine.rules");
    REQUIRE(kb != NULL);
    ouidb = oui_db_new();
    oui_db_load_buf(ouidb, "MA-L", registry, sizeof registry - 1);
    oui_db_finish(ouidb);
    eng = engine_new(kb, ouidb, 20261127);
    obs_device_init(&dev);
    DAHUA = kb_maker_find(kb, "dahua");
    HIK = kb_maker_find(kb, "hikvision");
    GOODCO = kb_maker_find(kb, "goodco");
    OTHERCO = kb_maker_find(kb, "otherco");
}

static void reset(void) { obs_device_reset(&dev); }

TEST(covered)
{
    reset();
    add("http.server", "Hik-Webs");
    judge();
    CHECK_EQ_INT(v.kind, V_COVERED);
    CHECK_EQ_INT(v.maker, HIK);
    CHECK_EQ_INT(v.brand, -1);
    CHECK(v.covered);
    CHECK_NEAR(v.confidence, 0.95, 1e-9);
    CHECK_EQ_INT(v.conflict_maker, -1);
    REQUIRE(v.n_ev == 1);
    CHECK_EQ_INT(v.ev[0].obs, 0);
    CHECK_EQ_INT(v.ev[0].maker, HIK);
    CHECK_EQ_INT(v.ev[0].brand, -1);
    CHECK_EQ_INT(v.ev[0].strength, KB_STACK);
    CHECK(!v.ev[0].conflicting);
    CHECK_EQ_STR(v.explanation, "Made by Hikvision: 1 piece of evidence, strongest http.server \"Hik-Webs\" "
                                "(rule hik-webs, stack); named by the FCC list (since 2021-03-12), NDAA "
                                "section 889 (since 2018-08-13).");
    /* a second field of the same rule */
    reset();
    add("rtsp.server", "Hik-Webs");
    judge();
    CHECK_EQ_INT(v.kind, V_COVERED);
}

TEST(white_label)
{
    reset();
    add("onvif.manufacturer", "GoodLabel");
    add("http.server", "Hik-Webs");
    judge();
    CHECK_EQ_INT(v.kind, V_WHITE_LABEL);
    CHECK_EQ_INT(v.maker, HIK);
    CHECK_EQ_INT(v.brand, brand("goodlabel"));
    CHECK(v.covered);
    CHECK_EQ_INT(v.conflict_maker, GOODCO); /* the label's owner */
    CHECK_NEAR(v.confidence, 0.95 * (1 - 0.5 * 0.5), 1e-9);
    int lab = ev_of("goodlabel-label"), stack = ev_of("hik-webs");
    REQUIRE(lab >= 0 && stack >= 0);
    CHECK(v.ev[lab].conflicting);
    CHECK_EQ_INT(v.ev[lab].maker, GOODCO);
    CHECK_EQ_INT(v.ev[lab].brand, brand("goodlabel"));
    CHECK(!v.ev[stack].conflicting);
    CHECK_CONTAINS(v.explanation, "Sold as GoodLabel but made by Hikvision: ");
    CHECK_CONTAINS(v.explanation, ". Conflicting evidence for GoodCo: onvif.manufacturer \"GoodLabel\"");

    /* a brand nobody owns, with the covered maker's stack */
    reset();
    add("onvif.manufacturer", "RebrandH");
    add("http.server", "Hik-Webs");
    judge();
    CHECK_EQ_INT(v.kind, V_WHITE_LABEL);
    CHECK_EQ_INT(v.maker, HIK);
    CHECK_EQ_INT(v.brand, brand("rebrand-h"));
    CHECK_EQ_INT(v.conflict_maker, -1);
    CHECK_NEAR(v.confidence, 0.95, 1e-9);
    CHECK_EQ_INT(ev_of(NULL), -1); /* device evidence: no relationship needed */
}

TEST(covered_under_own_brand)
{
    reset();
    add("onvif.manufacturer", "EZVIZ");
    add("http.server", "Hik-Webs");
    judge();
    CHECK_EQ_INT(v.kind, V_COVERED);
    CHECK_EQ_INT(v.maker, HIK);
    CHECK_EQ_INT(v.brand, brand("ezviz"));
    CHECK_NEAR(v.confidence, 1 - 0.05 * 0.5, 1e-9); /* the label counts for its owner */
    CHECK_EQ_INT(v.conflict_maker, -1);
    CHECK_CONTAINS(v.explanation, "2 pieces of evidence, strongest http.server \"Hik-Webs\"");

    /* the maker's implicit brand */
    reset();
    add("onvif.manufacturer", "Dahua");
    add("dahua.realm", "Login to 4C0ABCDEF");
    judge();
    CHECK_EQ_INT(v.kind, V_COVERED);
    CHECK_EQ_INT(v.maker, DAHUA);
    CHECK_EQ_INT(v.brand, brand("dahua"));
    CHECK_EQ_INT(kb->brands[v.brand].implicit_maker, DAHUA);
    CHECK_CONTAINS(v.explanation, "Made by Dahua: 2 pieces of evidence");

    /* a covered maker's own label alone is covered (label strength is enough) */
    reset();
    add("onvif.manufacturer", "EZVIZ");
    judge();
    CHECK_EQ_INT(v.kind, V_COVERED);
    CHECK_EQ_INT(v.maker, HIK);
    CHECK_NEAR(v.confidence, 0.5, 1e-9);
}

TEST(suspect_weak_only)
{
    reset();
    add("http.www_authenticate", "Basic realm=\"DVR\"");
    judge();
    CHECK_EQ_INT(v.kind, V_SUSPECT);
    CHECK_EQ_INT(v.maker, DAHUA);
    CHECK(v.covered);
    CHECK_NEAR(v.confidence, 0.2, 1e-9);
    CHECK_CONTAINS(v.explanation, "Only weak evidence points to covered maker Dahua: http.www_authenticate");
    CHECK_CONTAINS(v.explanation, "; confirm with a probe of the firmware stack.");
}

TEST(suspect_from_relationship)
{
    reset();
    add("onvif.manufacturer", "RebrandH");
    judge();
    CHECK_EQ_INT(v.kind, V_SUSPECT);
    CHECK_EQ_INT(v.maker, HIK); /* goodco's relationship is not to a covered maker: ignored */
    CHECK_EQ_INT(v.brand, brand("rebrand-h"));
    CHECK_NEAR(v.confidence, 0.2, 1e-9);
    CHECK_EQ_INT(v.conflict_maker, -1);
    int rel = ev_of(NULL);
    REQUIRE(rel >= 0);
    CHECK_EQ_INT(v.ev[rel].obs, -1);
    CHECK_EQ_INT(v.ev[rel].maker, HIK);
    CHECK_EQ_INT(v.ev[rel].brand, brand("rebrand-h"));
    CHECK_EQ_INT(v.ev[rel].rel, 0);
    CHECK_EQ_INT(v.ev[rel].strength, KB_WEAK);
    int lab = ev_of("rebrand-h-label");
    REQUIRE(lab >= 0);
    CHECK_EQ_INT(v.ev[lab].maker, -1); /* nobody owns the brand */
    CHECK_EQ_STR(v.explanation, "Declared brand RebrandH only: RebrandH is reported as built by Hikvision "
                                "(2019 to -, evidence grade H), but no device evidence confirms Hikvision made it.");

    /* grade M counts too: Lorex after Dahua sold it */
    reset();
    add("inventory.brand", "Lorex");
    judge();
    CHECK_EQ_INT(v.kind, V_SUSPECT);
    CHECK_EQ_INT(v.maker, DAHUA);
    CHECK(ev_of(NULL) >= 0);

    /* grade L never raises a verdict */
    reset();
    add("onvif.manufacturer", "RebrandL");
    judge();
    CHECK_EQ_INT(v.kind, V_UNKNOWN);
    CHECK_EQ_INT(v.maker, -1);
    CHECK_EQ_INT(v.brand, brand("rebrand-l"));
    CHECK_EQ_INT(v.n_ev, 1);
    CHECK_EQ_INT(ev_of(NULL), -1);
    CHECK(!v.covered);
    CHECK_NEAR(v.confidence, 0, 0);
}

TEST(clear)
{
    reset();
    add("ssh.banner", "SSH-2.0-GoodOS_1.0");
    judge();
    CHECK_EQ_INT(v.kind, V_CLEAR);
    CHECK_EQ_INT(v.maker, GOODCO);
    CHECK(!v.covered);
    CHECK_NEAR(v.confidence, 0.95, 1e-9);
    CHECK_EQ_STR(v.explanation, "Made by GoodCo, which no covered list names: 1 piece of evidence, strongest "
                                "ssh.banner \"SSH-2.0-GoodOS_1.0\" (rule goodco-ssh, stack).");
    /* a non-covered maker's own label is enough for clear */
    reset();
    add("onvif.manufacturer", "GoodLabel");
    judge();
    CHECK_EQ_INT(v.kind, V_CLEAR);
    CHECK_EQ_INT(v.maker, GOODCO);
    CHECK_EQ_INT(v.brand, brand("goodlabel"));
}

TEST(unknown)
{
    reset();
    add("http.server", "nginx");
    add("mac.address", "00:11:22:33:44:55"); /* registered, but no rule reads its organisation */
    judge();
    CHECK_EQ_INT(v.kind, V_UNKNOWN);
    CHECK_EQ_INT(v.maker, -1);
    CHECK_EQ_INT(v.brand, -1);
    CHECK_EQ_INT(v.n_ev, 0);
    CHECK(!v.covered);
    CHECK_EQ_STR(v.explanation, "No rule identifies a maker from the 3 observations.");

    reset();
    judge();
    CHECK_EQ_INT(v.kind, V_UNKNOWN);
    CHECK_EQ_STR(v.explanation, "No rule identifies a maker from the 0 observations.");

    /* weak evidence for a maker that is not covered: not enough to name it */
    reset();
    add("http.set_cookie", "goodsession=abc");
    judge();
    CHECK_EQ_INT(v.kind, V_UNKNOWN);
    CHECK_EQ_INT(v.maker, GOODCO);
    CHECK_NEAR(v.confidence, 0.2, 1e-9);
    CHECK_CONTAINS(v.explanation, "Only weak evidence points to GoodCo: http.set_cookie \"goodsession=abc\"");
    CHECK_CONTAINS(v.explanation, "; not enough to name the maker.");
}

TEST(conflict)
{
    /* equal evidence for a covered and a non-covered maker: the covered one is named, confidence drops */
    for (int order = 0; order < 2; order++) {
        CONTEXT("order %d", order);
        reset();
        if (order) {
            add("ssh.banner", "SSH-2.0-GoodOS");
            add("http.server", "Hik-Webs");
        } else {
            add("http.server", "Hik-Webs");
            add("ssh.banner", "SSH-2.0-GoodOS");
        }
        judge();
        CHECK_EQ_INT(v.kind, V_COVERED);
        CHECK_EQ_INT(v.maker, HIK);
        CHECK_EQ_INT(v.conflict_maker, GOODCO);
        CHECK_NEAR(v.confidence, 0.95 * (1 - 0.5 * 0.95), 1e-9);
        int g = ev_of("goodco-ssh"), h = ev_of("hik-webs");
        REQUIRE(g >= 0 && h >= 0);
        CHECK(v.ev[g].conflicting);
        CHECK(!v.ev[h].conflicting);
        CHECK_CONTAINS(v.explanation, ". Conflicting evidence for GoodCo: ssh.banner \"SSH-2.0-GoodOS\" (rule goodco-ssh, stack).");
    }
    /* two non-covered makers: the stronger one is clear, the other conflicts */
    reset();
    add("ssh.banner", "SSH-2.0-GoodOS");
    add("http.title", "OtherCam");
    judge();
    CHECK_EQ_INT(v.kind, V_CLEAR);
    CHECK_EQ_INT(v.maker, GOODCO);
    CHECK_EQ_INT(v.conflict_maker, OTHERCO);
    CHECK_NEAR(v.confidence, 0.95 * (1 - 0.5 * 0.6), 1e-9);
}

TEST(covered_medium_behind_clear)
{
    reset();
    add("ssh.banner", "SSH-2.0-GoodOS");
    add("snmp.sysobjectid", "1.3.6.1.4.1.99999.2");
    add("http.title", "DahuaWeb");
    judge();
    CHECK_EQ_INT(v.kind, V_SUSPECT);
    CHECK_EQ_INT(v.maker, DAHUA);
    CHECK(v.covered);
    CHECK_EQ_INT(v.conflict_maker, GOODCO);
    double good = 1 - 0.05 * 0.15;
    CHECK_NEAR(v.confidence, 0.6 * (1 - 0.5 * good), 1e-9);
    int t = ev_of("dahua-title"), s = ev_of("goodco-ssh");
    REQUIRE(t >= 0 && s >= 0);
    CHECK(!v.ev[t].conflicting);
    CHECK(v.ev[s].conflicting);
    CHECK_CONTAINS(v.explanation, "Conflicting evidence points to covered maker Dahua: http.title \"DahuaWeb\"");

    /* weak evidence for the covered maker does not override a clear verdict */
    reset();
    add("ssh.banner", "SSH-2.0-GoodOS");
    add("http.www_authenticate", "Basic realm=\"DVR\"");
    judge();
    CHECK_EQ_INT(v.kind, V_CLEAR);
    CHECK_EQ_INT(v.maker, GOODCO);
    CHECK_EQ_INT(v.conflict_maker, DAHUA);
    CHECK_NEAR(v.confidence, 0.95 * (1 - 0.5 * 0.2), 1e-9);
}

TEST(also_condition)
{
    reset();
    add("rtsp.server", "Rtsp Server/2.0");
    judge();
    CHECK_EQ_INT(v.kind, V_UNKNOWN);
    CHECK_EQ_INT(v.n_ev, 0);

    add("http.server", "Other-httpd");
    judge();
    CHECK_EQ_INT(v.kind, V_UNKNOWN);

    add("http.server", "GoodOS-httpd");
    judge();
    CHECK_EQ_INT(v.kind, V_CLEAR);
    CHECK_EQ_INT(v.maker, GOODCO);
    REQUIRE(v.n_ev == 1);
    CHECK_EQ_INT(v.ev[0].obs, 0); /* the evidence is the rule's own observation */

    /* the `also` value must come from its own field */
    reset();
    add("rtsp.server", "Rtsp Server/2.0");
    add("http.title", "GoodOS-httpd");
    judge();
    CHECK_EQ_INT(v.kind, V_UNKNOWN);
}

TEST(path_condition)
{
    reset();
    addp("http.body", "<html>hik-login</html>", "/doc/page/login.asp");
    judge();
    CHECK_EQ_INT(v.kind, V_COVERED);
    CHECK_EQ_INT(v.maker, HIK);
    CHECK_NEAR(v.confidence, 0.6, 1e-9);

    reset();
    add("http.body", "<html>hik-login</html>"); /* no path */
    judge();
    CHECK_EQ_INT(v.kind, V_UNKNOWN);

    reset();
    addp("http.body", "<html>hik-login</html>", "/other");
    judge();
    CHECK_EQ_INT(v.kind, V_UNKNOWN);
}

TEST(captures)
{
    reset();
    add("dahua.realm", "Login to 4C0ABCDEF");
    judge();
    CHECK_EQ_STR(v.serial, "4C0ABCDEF");
    CHECK(v.model == NULL);
    CHECK(v.firmware == NULL);

    reset();
    add("onvif.model", "From-ONVIF");
    add("isapi.model", "DS-2CD2143G0-I");
    add("isapi.firmware", "V5.7.3 build 220112");
    add("onvif.serial", "SER-1");
    judge();
    CHECK_EQ_INT(v.kind, V_COVERED);
    CHECK_EQ_STR(v.model, "DS-2CD2143G0-I"); /* a capture wins over a plain field */
    CHECK_EQ_STR(v.firmware, "5.7.3");
    CHECK_EQ_STR(v.serial, "SER-1");

    /* plain fields in vocabulary order, whatever the observation order; empty values skipped */
    reset();
    add("inventory.model", "Inv-Model");
    add("isapi.model", "");
    add("onvif.model", "Onvif-Model");
    add("dhip.version", "2.800");
    add("inventory.serial", "INV-SER");
    add("http.server", "Hik-Webs");
    judge();
    CHECK_EQ_STR(v.model, "Onvif-Model");
    CHECK_EQ_STR(v.firmware, "2.800");
    CHECK_EQ_STR(v.serial, "INV-SER");
}

TEST(derived_mac_org)
{
    static const char *const forms[][2] = {
        { "mac.address", "3c:ef:8c:11:22:33" },
        { "mac.address", "3C-EF-8C-11-22-33" },
        { "mac.address", "3cef.8c11.2233" },
        { "mac.oui", "3C:EF:8C" },
    };
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        CONTEXT("%s %s", forms[i][0], forms[i][1]);
        reset();
        add(forms[i][0], forms[i][1]);
        judge();
        CHECK_EQ_INT(v.kind, V_COVERED);
        CHECK_EQ_INT(v.maker, DAHUA);
        CHECK_NEAR(v.confidence, 0.85, 1e-9);
        REQUIRE(dev.n_obs == 2);
        const struct observation *o = &dev.obs[1];
        CHECK_EQ_STR(o->name, "mac.org");
        CHECK_EQ_STR(o->value, "Zhejiang Dahua Technology Co.,Ltd.");
        CHECK_EQ_STR(o->path, "3C:EF:8C");
        CHECK_EQ_INT(o->derived_from, 0);
        REQUIRE(v.n_ev == 1);
        CHECK_EQ_INT(v.ev[0].obs, 1);
    }

    /* without a registry nothing is derived */
    struct engine *e = engine_new(kb, NULL, 20261127);
    reset();
    add("mac.address", "3c:ef:8c:11:22:33");
    judge_with(e);
    CHECK_EQ_INT(v.kind, V_UNKNOWN);
    CHECK_EQ_INT(dev.n_obs, 1);
    engine_free(e);

    /* malformed addresses are ignored */
    reset();
    add("mac.address", "3c:ef:8c");
    add("mac.address", "zz:ef:8c:11:22:33");
    add("mac.oui", "3CEF");
    judge();
    CHECK_EQ_INT(dev.n_obs, 4); /* the first is a valid prefix */
    reset();
    add("mac.address", "zz:ef:8c:11:22:33");
    add("mac.oui", "3CEF");
    judge();
    CHECK_EQ_INT(dev.n_obs, 2);
    CHECK_EQ_INT(v.kind, V_UNKNOWN);
}

TEST(local_mac_ignored)
{
    reset();
    add("mac.address", "3e:ef:8c:11:22:33"); /* registered in the test registry, but locally administered */
    judge();
    CHECK_EQ_INT(dev.n_obs, 1);
    CHECK_EQ_INT(v.kind, V_UNKNOWN);
}

TEST(ownership_period)
{
    static const struct {
        int as_of;
        enum verdict_kind with_stack, label_only;
    } t[] = {
        { 20180531, V_WHITE_LABEL, V_SUSPECT }, /* before Dahua bought Lorex */
        { 20180601, V_COVERED, V_COVERED },
        { 20200101, V_COVERED, V_COVERED },
        { 20221124, V_COVERED, V_COVERED },     /* the last day is inside the period */
        { 20221125, V_WHITE_LABEL, V_SUSPECT },
        { 20261127, V_WHITE_LABEL, V_SUSPECT },
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        CONTEXT("as of %d", t[i].as_of);
        struct engine *e = engine_new(kb, ouidb, t[i].as_of);
        reset();
        add("onvif.manufacturer", "Lorex");
        add("dahua.realm", "Login to 4C0ABCDEF");
        judge_with(e);
        CHECK_EQ_INT(v.kind, t[i].with_stack);
        CHECK_EQ_INT(v.maker, DAHUA);
        CHECK_EQ_INT(v.brand, brand("lorex"));
        if (t[i].with_stack == V_WHITE_LABEL)
            CHECK_CONTAINS(v.explanation, "Sold as Lorex but made by Dahua");
        reset();
        add("onvif.manufacturer", "Lorex");
        judge_with(e);
        CHECK_EQ_INT(v.kind, t[i].label_only);
        CHECK_EQ_INT(v.maker, DAHUA);
        engine_free(e);
    }
}

TEST(each_rule_fires_once)
{
    reset();
    add("http.server", "Hik-Webs");
    add("http.server", "Hik-Webs");
    add("rtsp.server", "Hik-Webs");
    judge();
    CHECK_EQ_INT(v.n_ev, 1);
    CHECK_NEAR(v.confidence, 0.95, 1e-9);
    CHECK_CONTAINS(v.explanation, "1 piece of evidence");
}

/* One engine judges device after device; earlier devices leave nothing behind. */
TEST(engine_reuse)
{
    char first[1024];
    for (int round = 0; round < 3; round++) {
        reset();
        add("http.server", "Hik-Webs");
        add("onvif.manufacturer", "GoodLabel");
        judge();
        if (round == 0)
            snprintf(first, sizeof first, "%s", v.explanation);
        CHECK_EQ_INT(v.kind, V_WHITE_LABEL);
        CHECK_EQ_STR(v.explanation, first);
        reset();
        add("ssh.banner", "SSH-2.0-GoodOS");
        judge();
        CHECK_EQ_INT(v.kind, V_CLEAR);
        CHECK_EQ_INT(v.n_ev, 1);
        CHECK_EQ_INT(v.conflict_maker, -1);
    }
}

/* The memo of matches by (field, value) (engine.c): a value seen before gives the same evidence and
 * captures; what depends on the rest of the device (`also`, a rule already fired, a path) is decided
 * again for each device. A fresh engine, so that the first judgement of each value fills the memo. */
TEST(memo)
{
    struct engine *e = engine_new(kb, ouidb, 20261127);
    for (int round = 0; round < 2; round++) {
        CONTEXT("round %d", round);
        reset();
        add("dahua.realm", "Login to 4C0ABCDEF");
        add("isapi.model", "DS-2CD2143G0-I");
        judge_with(e);
        CHECK_EQ_STR(v.serial, "4C0ABCDEF");
        CHECK_EQ_STR(v.model, "DS-2CD2143G0-I");
        CHECK_EQ_INT(v.n_ev, 2);

        reset(); /* `also` holds */
        add("rtsp.server", "Rtsp Server/2.0");
        add("http.server", "GoodOS-httpd");
        judge_with(e);
        CHECK_EQ_INT(v.kind, V_CLEAR);
        reset(); /* the same value, `also` does not hold */
        add("rtsp.server", "Rtsp Server/2.0");
        judge_with(e);
        CHECK_EQ_INT(v.kind, V_UNKNOWN);

        reset(); /* filled while the rule had already fired on the first observation */
        add("http.server", "Hik-Webs");
        add("rtsp.server", "Hik-Webs");
        judge_with(e);
        REQUIRE(v.n_ev == 1);
        CHECK_EQ_INT(v.ev[0].obs, 0);
        reset(); /* ... so the memo of rtsp.server "Hik-Webs" must still name it */
        add("rtsp.server", "Hik-Webs");
        judge_with(e);
        CHECK_EQ_INT(v.kind, V_COVERED);
        CHECK_EQ_INT(v.n_ev, 1);

        reset(); /* a field whose rules test the path: never by value alone */
        addp("http.body", "<html>hik-login</html>", "/doc/page/login.asp");
        judge_with(e);
        CHECK_EQ_INT(v.kind, V_COVERED);
        reset();
        addp("http.body", "<html>hik-login</html>", "/other");
        judge_with(e);
        CHECK_EQ_INT(v.kind, V_UNKNOWN);
    }
    /* Values that never repeat turn the memo off for their field after a window of lookups (and on
     * again later): the answers stay the same throughout. */
    for (int i = 0; i < 3 * 4096; i++) {
        char realm[32];
        snprintf(realm, sizeof realm, "Login to 4C0A%05d", i % 9000);
        reset();
        add("dahua.realm", realm);
        judge_with(e);
        if (!CHECK_EQ_STR(v.serial, realm + 9) || !CHECK_EQ_INT(v.kind, V_COVERED))
            break;
    }
    engine_free(e);
}

/* Hostile values: long, control characters, NULs; the sentence stays bounded and terminated. */
TEST(explanation_bounded)
{
    reset();
    char big[3000];
    memset(big, 'x', sizeof big);
    memcpy(big, "SSH-2.0-GoodOS\r\n\t", 17);
    CHECK(obs_add(&dev, "ssh.banner", 10, big, sizeof big, NULL, 0, -1) >= 0);
    CHECK(obs_add(&dev, "http.server", 11, "Hik-Webs", 8, NULL, 0, -1) >= 0);
    judge();
    CHECK(strlen(v.explanation) < sizeof v.explanation);
    CHECK_CONTAINS(v.explanation, "ssh.banner \"SSH-2.0-GoodOS   xxx");
    CHECK_CONTAINS(v.explanation, "xxx...\"");
    CHECK(strchr(v.explanation, '\n') == NULL);
}

/* The explanation quotes at most 60 bytes of a value, cut on a character boundary: it stays UTF-8. */
TEST(explanation_utf8)
{
    reset();
    char val[80];
    memcpy(val, "SSH-2.0-GoodOS", 14);
    memset(val + 14, 'a', 45);
    memcpy(val + 59, "\xC3\xA9\xC3\xA9", 4);
    CHECK(obs_add(&dev, "ssh.banner", 10, val, 63, NULL, 0, -1) >= 0);
    judge();
    CHECK(utf8_valid(v.explanation, strlen(v.explanation)));
}


/* Regression (fixed): engine_judge decides "under its own brand" with `out->brand != best`, which
 * compares a brand index with a maker index; here EZVIZ (brand 1) and Hikvision (maker 1), and Lorex
 * (brand 0) and Dahua (maker 0), happen to share an index, so the phrase is missing. */
TEST(own_brand_explanation)
{
    reset();
    add("onvif.manufacturer", "EZVIZ");
    add("http.server", "Hik-Webs");
    judge();
    CHECK_EQ_INT(brand("ezviz"), HIK); /* the coincidence this test relies on */
    CHECK_CONTAINS(v.explanation, "Made by Hikvision under its own brand EZVIZ: 2 pieces of evidence");
    struct engine *e = engine_new(kb, ouidb, 20200101);
    reset();
    add("onvif.manufacturer", "Lorex");
    add("dahua.realm", "Login to 4C0ABCDEF");
    judge_with(e);
    CHECK_CONTAINS(v.explanation, "Made by Dahua under its own brand Lorex");
    engine_free(e);
}
#define KNOWN_BUG_TESTS , T(own_brand_explanation)

TEST(kind_names)
{
    static const char *const names[] = { "unknown", "clear", "suspect", "white-label", "covered" };
    for (int k = 0; k < V_N_KIND; k++) {
        CHECK_EQ_STR(verdict_kind_name((enum verdict_kind)k), names[k]);
        CHECK_EQ_INT(verdict_kind_parse(names[k]), k);
    }
    CHECK_EQ_STR(verdict_kind_name(V_N_KIND), "?");
    CHECK_EQ_INT(verdict_kind_parse("Covered"), -1);
    CHECK_EQ_INT(verdict_kind_parse(""), -1);
}

static void teardown(void)
{
    obs_device_deinit(&dev);
    engine_free(eng);
    oui_db_free(ouidb);
    kb_free(kb);
}

HARNESS_MAIN(T(setup), T(covered), T(white_label), T(covered_under_own_brand), T(suspect_weak_only),
             T(suspect_from_relationship), T(clear), T(unknown), T(conflict), T(covered_medium_behind_clear),
             T(also_condition), T(path_condition), T(captures), T(derived_mac_org), T(local_mac_ignored),
             T(ownership_period), T(each_rule_fires_once), T(engine_reuse), T(memo), T(explanation_bounded),
             T(explanation_utf8), T(kind_names) KNOWN_BUG_TESTS, T(teardown))
