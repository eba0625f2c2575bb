/* fuzz_rules.c: the knowledge-file loader: kb_load_buf + kb_finish + kb_check_examples on arbitrary
 * text, then, for a knowledge base that loads cleanly, the engine and the JSON writer on its examples.
 *
 * Oracles (abort on violation): every diagnostic has a message and a sane line; kb_check_examples
 * never reports an internal error; for a rule without `also`, the engine finds evidence from that rule
 * exactly when PCRE2 says its pattern (and its `path` pattern) matches the stored value, so no
 * prefilter or index shortcut may lose a match; the verdict line is JSON (its UTF-8 is checked by
 * fuzz_jsonl). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "../../src/core/err.h"
#include "../../src/core/sbuf.h"
#include "../../src/core/utf8.h"
#include "../../src/engine/engine.h"
#include "../../src/kb/kb.h"
#include "../../src/report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(c)                                                                                  \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "fuzz_rules: %s:%d: %s\n", __FILE__, __LINE__, #c);                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

struct diag_ctx {
    size_t n, n_lines;
    bool checking; /* inside kb_check_examples: every message names a loaded rule */
};

static void on_diag(void *ctx, const char *file, int line, const char *msg)
{
    struct diag_ctx *c = ctx;
    c->n++;
    ASSERT(file && msg && msg[0]);
    ASSERT(line >= 0 && (size_t)line <= c->n_lines + 1);
    /* "rule 'ID': internal: ...": in kb_check_examples ID is a loaded rule's id, a slug, so the text
     * of the file cannot forge this shape there */
    const char *p = msg + 6;
    if (c->checking && !strncmp(msg, "rule '", 6))
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-')
            p++;
    if (c->checking && !strncmp(msg, "rule '", 6) && !strncmp(p, "': internal:", 12)) {
        fprintf(stderr, "fuzz_rules: %s:%d: %s\n", file, line, msg);
        abort();
    }
}

static bool fired(const struct verdict *v, int rule)
{
    for (size_t i = 0; i < v->n_ev; i++)
        if (v->ev[i].rule == rule)
            return true;
    return false;
}

static void render(const struct report_cache *cache, const struct device *d, const struct verdict *v)
{
    struct sbuf b;
    sbuf_init(&b, 64u * 1024 * 1024);
    report_verdict_json(&b, cache, d, v, NULL);
    ASSERT(!b.truncated);
    /* kb text is not checked for UTF-8 here: judge the JSON structure on a repaired copy */
    char *fixed = malloc(3 * b.len + 1);
    utf8_repair(b.p, b.len, fixed);
    char err[256];
    yajl_val root = yajl_tree_parse(fixed, err, sizeof err);
    if (!root)
        fprintf(stderr, "fuzz_rules: output is not JSON: %s\n%s\n", err, fixed);
    ASSERT(root != NULL);
    yajl_tree_free(root);
    free(fixed);
    sbuf_deinit(&b);
}

/* Judges a one-observation device per example and nomatch value of every plain rule. */
static void check_engine(struct kb *kb)
{
    struct engine *e = engine_new(kb, NULL, 20261127);
    struct report_cache *cache = report_cache_new(kb);
    pcre2_match_data *md = pcre2_match_data_create(16, NULL);
    struct device d;
    obs_device_init(&d);
    for (size_t i = 0; i < kb->n_rules; i++) {
        const struct kb_rule *r = &kb->rules[i];
        if (!r->re || !r->fields.n)
            continue;
        for (int pass = 0; pass < 2; pass++) {
            const struct kb_example *ex = pass ? r->nomatch : r->ex;
            size_t n = pass ? r->n_nomatch : r->n_ex;
            for (size_t j = 0; j < n && j < 8; j++) {
                obs_device_reset(&d);
                const char *f = r->fields.v[j % r->fields.n];
                const char *path = ex[j].path;
                if (obs_add(&d, f, strlen(f), ex[j].value, ex[j].len, path, path ? strlen(path) : 0, -1) < 0)
                    continue;
                for (size_t a = 0; a < r->n_also; a++)
                    for (size_t k = 0; k < r->also[a].n_ex && k < 4; k++)
                        obs_add(&d, r->also[a].field, strlen(r->also[a].field), r->also[a].ex[k].value,
                                r->also[a].ex[k].len, NULL, 0, -1);
                struct verdict v;
                engine_judge(e, &d, &v);
                ASSERT(v.kind < V_N_KIND);
                ASSERT(v.confidence >= 0.0 && v.confidence <= 1.0);
                if (!r->n_also) {
                    const struct observation *o = &d.obs[0];
                    bool want = pcre2_match(r->re, (PCRE2_SPTR)o->value, o->value_len, 0, 0, md, NULL) >= 0;
                    if (r->path_re)
                        want = want && o->path &&
                               pcre2_match(r->path_re, (PCRE2_SPTR)o->path, strlen(o->path), 0, 0, md, NULL) >= 0;
                    if (want != fired(&v, (int)i)) {
                        fprintf(stderr, "fuzz_rules: rule '%s' (%s) on %s value of %zu bytes: pcre2 %s, engine %s\n",
                                r->id, r->match_src, o->name, o->value_len, want ? "matches" : "does not",
                                want ? "lost it" : "fired anyway");
                        abort();
                    }
                }
                render(cache, &d, &v);
            }
        }
    }
    obs_device_deinit(&d);
    pcre2_match_data_free(md);
    report_cache_free(cache);
    engine_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag_ctx ctx = { 0, 1, false };
    for (size_t i = 0; i < size; i++)
        ctx.n_lines += data[i] == '\n';
    struct kb *kb = kb_new(on_diag, &ctx);
    int rl = kb_load_buf(kb, "fuzz.rules", (const char *)data, size);
    ASSERT(rl == UNMASK_OK || rl == UNMASK_ERULES);
    int rf = kb_finish(kb);
    ASSERT(rf == UNMASK_OK || rf == UNMASK_ERULES);
    ASSERT(kb->finished);
    ctx.checking = true;
    size_t fails = kb_check_examples(kb);
    ctx.checking = false;
    ASSERT(kb->n_errors == ctx.n);
    (void)fails;
    if (rf == UNMASK_OK) {
        /* kb_finish found every reference and pattern (load errors only dropped lines): every index
         * answers, and the engine agrees with PCRE2 */
        for (size_t f = 0; f < kb->n_fields; f++) {
            ASSERT(kb_field_id(kb, kb->fields[f]) == (int)f);
            for (const int *rp = kb->field_rules[f]; *rp >= 0; rp++)
                ASSERT(*rp < (int)kb->n_rules);
        }
        for (size_t i = 0; i < kb->n_rules; i++)
            ASSERT((kb->rules[i].maker >= 0) != (kb->rules[i].brand >= 0));
        check_engine(kb);
    }
    kb_free(kb);
    return 0;
}
