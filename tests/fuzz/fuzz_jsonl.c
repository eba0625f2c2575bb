/* fuzz_jsonl.c: the identify input path end to end: one JSON line (and, through the line reader,
 * every line of the input) is parsed into a device, judged against a small fixed knowledge base with
 * an in-memory IEEE registry, and rendered as a verdict line that must parse back as JSON.
 *
 * Oracles (abort on violation): an error always has a message; stored values are valid UTF-8 and
 * NUL-terminated; the verdict's indices and confidence are in range; the JSON line is valid UTF-8 and
 * valid JSON. FUZZ_LENIENT_UTF8=1 in the environment skips the UTF-8 check of the output line (to
 * look past a known bug while it is being fixed). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "../../src/core/err.h"
#include "../../src/core/linereader.h"
#include "../../src/core/sbuf.h"
#include "../../src/core/utf8.h"
#include "../../src/engine/engine.h"
#include "../../src/obs/jsonl.h"
#include "../../src/report/report.h"
#include "../../src/report/text.h"
#include "../kb_pieces.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define META "  source s\n  date 2026-11-27\n"
static const char *const rules[] = {
    "list fcc\n  name FCC Covered List\n  short the FCC list\n" META
    "maker hik\n  name Hik\n  covered yes\n  on fcc 2021-03-12 video\n" META
    "maker dah\n  name Dah\n  covered yes\n  on fcc 2021-03-12\n" META
    "maker good\n  name Good\n  covered no\n" META
    "brand lorex\n  name Lorex\n  owner dah 2018-06 2022-11-24\n  oem dah - - M\n" META
    "brand relabel\n  name Relabel\n  oem hik - - H\n  oem good - - M\n" META
    "brand own\n  name Own\n  owner good - -\n" META,
    "rule hik-webs\n  field http.server,rtsp.server\n  match ^(?:Hik|DNVRS)-Webs(?:/(?<firmware>[0-9.]+))?$\n"
    "  maker hik\n  strength stack\n" META "  example Hik-Webs\n"
    "rule hik-model\n  field isapi.model,onvif.model\n  match ^(?<model>DS-[0-9A-Z-]{3,})\n  maker hik\n"
    "  strength strong\n" META "  example DS-2CD\n"
    "rule hik-page\n  field http.body\n  match (?i)hikvision\n  path ^/doc/\n  maker hik\n  strength medium\n"
    META "  example hikvision\n  example-path /doc/x\n"
    "rule dah-realm\n  field dahua.realm,http.www_authenticate\n  match Login to (?<serial>[0-9A-Z]{6,})\n"
    "  maker dah\n  strength stack\n" META "  example Login to ABCDEF\n"
    "rule dah-mac\n  field mac.org\n  match ^Zhejiang Dahua\n  maker dah\n  strength strong\n" META
    "  example Zhejiang Dahua Technology Co.,Ltd.\n"
    "rule dah-weak\n  field http.title,telnet.banner\n  match (?i)dvr|nvr\n  maker dah\n  strength weak\n" META
    "  example DVR\n",
    "rule good-ssh\n  field ssh.banner\n  match ^SSH-2\\.0-Good\n  also http.server ^GoodOS\n"
    "  also-example GoodOS\n  maker good\n  strength stack\n" META "  example SSH-2.0-Good\n"
    "rule good-any\n  field http.title,upnp.manufacturer,snmp.sysdescr\n  match Good|\\x{263A}\n  maker good\n"
    "  strength medium\n" META "  example Good\n"
    "rule lorex-label\n  field onvif.manufacturer,inventory.brand\n  match (?i)^lorex\n  brand lorex\n"
    "  strength label\n" META "  example Lorex\n"
    "rule relabel-label\n  field onvif.manufacturer\n  match ^Relabel\n  brand relabel\n  strength label\n"
    META "  example Relabel\n"
    "rule own-label\n  field onvif.manufacturer,inventory.brand\n  match ^Own\n  brand own\n  strength label\n"
    META "  example Own\n"
    "rule hik-label\n  field onvif.manufacturer\n  match ^HIK\n  brand hik\n  strength label\n" META
    "  example HIK\n",
};

static const char registry[] = "Registry,Assignment,Organization Name,Organization Address\n"
                               "MA-L,3CEF8C,\"Zhejiang Dahua Technology Co.,Ltd.\",x\n"
                               "MA-L,4419B6,Hik Vision,x\n"
                               "MA-M,4419B61,Hik Medium \xE2\x82\xAC,x\n"
                               "MA-S,4419B6123,Hik Small,x\n";

static struct kb *kb;
static struct oui_db *ouidb;
static struct engine *eng;
static struct report_cache *cache;
static struct sbuf out;
static int strict_utf8 = 1;

static void init(void)
{
    if (!(kb = kb_from_pieces(rules, sizeof rules / sizeof *rules, "fuzz.rules"))) {
        fprintf(stderr, "fuzz_jsonl: the built-in knowledge base does not load\n");
        abort();
    }
    ouidb = oui_db_new();
    oui_db_load_buf(ouidb, "MA-L", registry, sizeof registry - 1);
    oui_db_finish(ouidb);
    eng = engine_new(kb, ouidb, 20221124);
    cache = report_cache_new(kb);
    sbuf_init(&out, 64u * 1024 * 1024);
    strict_utf8 = !getenv("FUZZ_LENIENT_UTF8");
}

#define ASSERT(c)                                                                                  \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "fuzz_jsonl: %s:%d: %s\n", __FILE__, __LINE__, #c);                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void judge_and_render(struct device *d)
{
    for (size_t i = 0; i < d->n_obs; i++) {
        const struct observation *o = &d->obs[i];
        ASSERT(utf8_valid(o->value, o->value_len));
        ASSERT(o->value[o->value_len] == '\0');
        ASSERT(o->value_len <= OBS_MAX_VALUE);
        ASSERT(obs_name_valid(o->name, strlen(o->name)));
        ASSERT(!o->path || utf8_valid(o->path, strlen(o->path)));
        ASSERT(o->port >= -1 && o->port <= 65535);
    }
    ASSERT(d->n_obs <= OBS_MAX_PER_DEVICE);
    ASSERT(utf8_valid(d->id, strlen(d->id)));

    struct verdict v;
    engine_judge(eng, d, &v);
    ASSERT(v.kind >= V_UNKNOWN && v.kind < V_N_KIND);
    ASSERT(v.maker >= -1 && v.maker < (int)kb->n_makers);
    ASSERT(v.brand >= -1 && v.brand < (int)kb->n_brands);
    ASSERT(v.conflict_maker >= -1 && v.conflict_maker < (int)kb->n_makers);
    ASSERT(v.confidence >= 0.0 && v.confidence <= 1.0);
    ASSERT(memchr(v.explanation, '\0', sizeof v.explanation) != NULL);
    ASSERT((v.kind == V_COVERED || v.kind == V_WHITE_LABEL) ? v.covered : 1);
    for (size_t i = 0; i < v.n_ev; i++) {
        ASSERT(v.ev[i].rule == EV_RULE_RELATIONSHIP ? v.ev[i].obs == -1
                                                    : v.ev[i].obs >= 0 && (size_t)v.ev[i].obs < d->n_obs);
        ASSERT(v.ev[i].rule >= EV_RULE_RELATIONSHIP && v.ev[i].rule < (int)kb->n_rules);
    }

    sbuf_reset(&out);
    report_verdict_json(&out, cache, d, &v, NULL);
    ASSERT(!out.truncated);
    ASSERT(strlen(out.p) == out.len);
    ASSERT(!strict_utf8 || utf8_valid(out.p, out.len));
    char *text = out.p, *repaired = NULL;
    if (!strict_utf8 && !utf8_valid(out.p, out.len)) { /* check the structure all the same */
        repaired = malloc(3 * out.len + 1);
        utf8_repair(out.p, out.len, repaired);
        text = repaired;
    }
    char err[256];
    yajl_val root = yajl_tree_parse(text, err, sizeof err);
    if (!root)
        fprintf(stderr, "fuzz_jsonl: output is not JSON: %s\n%s\n", err, text);
    ASSERT(root != NULL);
    ASSERT(YAJL_IS_OBJECT(root));
    yajl_tree_free(root);
    free(repaired);

    char shown[256];
    text_clean(v.explanation, strlen(v.explanation), shown, sizeof shown, 80);
    for (size_t i = 0; shown[i]; i++)
        ASSERT((unsigned char)shown[i] >= 0x20 && shown[i] != 0x7f);
}

static void parse_one(const char *line, size_t len, long lineno, struct device *d)
{
    char err[256];
    err[0] = 'X';
    int rc = jsonl_parse_device(line, len, lineno, d, err, sizeof err);
    ASSERT(rc == UNMASK_OK || rc == 1 || rc == UNMASK_EPARSE);
    if (rc == UNMASK_EPARSE)
        ASSERT(err[0] != '\0' && memchr(err, '\0', sizeof err) != NULL);
    if (rc == UNMASK_OK)
        judge_and_render(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!kb)
        init();
    struct device d;
    obs_device_init(&d);
    /* the whole input as one line */
    parse_one((const char *)data, size, 1, &d);
    /* and line by line, as identify reads it, with a small cap */
    if (size > 0 && memchr(data, '\n', size)) {
        FILE *f = fmemopen((void *)data, size, "r");
        if (f) {
            struct linereader lr;
            linereader_init(&lr, f, 4096);
            char *line;
            size_t len;
            int rc;
            while ((rc = linereader_next(&lr, &line, &len)) != 1 && rc != UNMASK_EIO) {
                ASSERT(rc == UNMASK_OK || rc == UNMASK_ELIMIT);
                if (rc == UNMASK_OK) {
                    ASSERT(len <= 4096 && line[len] == '\0');
                    parse_one(line, len, lr.lineno, &d);
                }
            }
            linereader_deinit(&lr);
            fclose(f);
        }
    }
    obs_device_deinit(&d);
    return 0;
}
