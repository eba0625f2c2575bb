/* kb.h: the knowledge base: lists, makers, brands and fingerprint rules loaded from rules/NN-name.rules.
 *
 * The grammar is docs/RULES.md. Loading is two steps: kb_load_buf/kb_load_file/kb_load_path add blocks
 * (syntax is checked line by line), then kb_finish resolves references across files, compiles every
 * pattern once (PCRE2, JIT where available) and builds the field index the engine uses. Every problem
 * is reported through the diagnostic callback as file, line and message; loading goes on after an
 * error so that one run reports them all. The knowledge base is read-only after kb_finish and may be
 * shared by any number of engines. */
#ifndef UNMASK_KB_H
#define UNMASK_KB_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum kb_strength { KB_WEAK = 0, KB_LABEL, KB_MEDIUM, KB_STRONG, KB_STACK, KB_N_STRENGTH };

/* A date as yyyymmdd; KB_DATE_OPEN_FROM / KB_DATE_OPEN_TO for "-". */
#define KB_DATE_OPEN_FROM 0
#define KB_DATE_OPEN_TO 99999999

struct kb_strv {
    char **v;
    size_t n;
};

struct kb_list {
    char *id, *name, *short_name, *authority, *url, *note, *date;
    struct kb_strv sources;
    int file, line;
};

struct kb_on {
    int list;        /* index into kb->lists */
    char *list_id;
    int date;        /* yyyymmdd */
    char *date_text;
    char *qualifier; /* may be NULL */
};

struct kb_maker {
    char *slug, *name, *note, *date;
    struct kb_strv legal, sources;
    bool covered;
    struct kb_on *on;
    size_t n_on;
    int file, line;
};

struct kb_rel {
    int maker;        /* index into kb->makers, resolved by kb_finish */
    char *maker_slug;
    int from, to;     /* yyyymmdd, open bounds as above */
    char *from_text, *to_text;
    char grade;       /* 'H', 'M', 'L'; 0 for owner relations */
};

struct kb_brand {
    char *slug, *name, *note, *date;
    struct kb_rel *owners, *oems;
    size_t n_owners, n_oems;
    struct kb_strv sources;
    int implicit_maker; /* >= 0: this brand is the maker's own label, made by kb_finish */
    int file, line;
};

struct kb_example {
    char *value;
    size_t len;
    char *path;            /* may be NULL */
    struct kb_strv yields; /* "key=value" */
    int line;
};

struct kb_also {
    char *field, *src;
    int field_id;
    pcre2_code *re;
    struct kb_example *ex;
    size_t n_ex;
    int line;
};

struct kb_rule {
    char *id, *match_src, *path_src, *note, *date;
    char *maker_slug, *brand_slug;
    struct kb_strv fields;
    int *field_ids;
    pcre2_code *re, *path_re;
    struct kb_also *also;
    size_t n_also;
    int maker, brand;       /* resolved indices; exactly one is >= 0 */
    enum kb_strength strength;
    struct kb_strv sources;
    struct kb_example *ex, *nomatch;
    size_t n_ex, n_nomatch;
    int grp_model, grp_firmware, grp_serial; /* capture group numbers, 0 when absent */
    int file, line;
    /* Prefilter facts PCRE2 reports about the match pattern (kb_rule_may_match): */
    unsigned char first[32]; /* possible first bytes of the subject, for anchored patterns */
    bool use_first;
    uint32_t min_len;        /* minimum match length in characters (so at most bytes) */
    int req[2];              /* a byte every match contains (either case), -1 if unknown */
};

/* The part of a rule the engine reads for every candidate, packed so that trying many rules touches
 * few cache lines (kb->pre, indexed like kb->rules). The first-byte test is done by the buckets. */
struct kb_prefilter {
    const pcre2_code *re; /* NULL when the pattern did not compile */
    uint32_t min_len;
    int16_t req[2];
};

struct kb {
    struct kb_list *lists;
    struct kb_maker *makers;
    struct kb_brand *brands;
    struct kb_rule *rules;
    size_t n_lists, n_makers, n_brands, n_rules;
    char **files; /* names of loaded files, indexed by the `file` members */
    size_t n_files;
    char **fields; /* distinct observation names rules read; index = field id */
    size_t n_fields;
    int **field_rules; /* per field id: rule indices, terminated by -1 */
    struct kb_prefilter *pre; /* per rule, built by kb_finish */
    /* Per field id, the same rules split by the first byte of the value: rules whose pattern is
     * anchored with known first bytes sit in the buckets of those bytes, the rest in `always`; each
     * list is ascending and -1-terminated. The engine merges always[f] with first[f][value[0]]. */
    int **field_always;
    int *(*field_first)[256];
    bool finished;
    size_t n_errors;
    /* private */
    size_t cap_lists, cap_makers, cap_brands, cap_rules, cap_files, cap_fields;
    int *field_hash;
    size_t field_hash_cap;
    void (*diag)(void *ctx, const char *file, int line, const char *msg);
    void *diag_ctx;
};

/* Creates an empty knowledge base. diag receives every problem (file may be "-"; line 0 means the
 * whole file); NULL discards them. */
struct kb *kb_new(void (*diag)(void *ctx, const char *file, int line, const char *msg), void *ctx);
void kb_free(struct kb *kb);

/* Adds the blocks of one buffer named `name`. Returns UNMASK_OK or UNMASK_ERULES (problems were
 * reported; the good blocks are kept). */
int kb_load_buf(struct kb *kb, const char *name, const char *buf, size_t len);
/* Reads and adds one file; UNMASK_ENOENT/UNMASK_EIO if it cannot be read (reported too). Files are
 * capped at 16 MiB. */
int kb_load_file(struct kb *kb, const char *path);
/* A directory (every *.rules file in name order) or a single file. */
int kb_load_path(struct kb *kb, const char *path);
/* Resolves references, compiles patterns, builds the index. Returns UNMASK_OK or UNMASK_ERULES. */
int kb_finish(struct kb *kb);
/* Runs every rule's examples and nomatch lines (after kb_finish). Returns the number of failures,
 * each reported through diag. */
size_t kb_check_examples(struct kb *kb);

/* A cheap, conservative test run before the pattern: false means the rule's match pattern cannot match
 * value[0..len); true means it may. It saves most PCRE2 calls for fields with many anchored rules. */
static inline bool kb_rule_may_match(const struct kb_rule *r, const char *value, size_t len)
{
    if (len < r->min_len)
        return false;
    if (r->use_first && len && !(r->first[(unsigned char)value[0] >> 3] & (1u << (value[0] & 7))))
        return false;
    if (r->req[0] >= 0 && !memchr(value, r->req[0], len) &&
        (r->req[1] < 0 || !memchr(value, r->req[1], len)))
        return false;
    return true;
}

/* kb_rule_may_match without the first-byte test, from the packed prefilter. */
static inline bool kb_pre_may_match(const struct kb_prefilter *p, const char *value, size_t len)
{
    if (len < p->min_len)
        return false;
    if (p->req[0] >= 0 && !memchr(value, p->req[0], len) &&
        (p->req[1] < 0 || !memchr(value, p->req[1], len)))
        return false;
    return true;
}

/* Field id of an observation name, or -1 if no rule reads it. */
int kb_field_id(const struct kb *kb, const char *name);
int kb_maker_find(const struct kb *kb, const char *slug);
int kb_brand_find(const struct kb *kb, const char *slug);
const char *kb_strength_name(enum kb_strength s);
double kb_strength_weight(enum kb_strength s);
/* Parses "YYYY", "YYYY-MM", "YYYY-MM-DD"; as_to selects the last day of a partial date.
 * Returns yyyymmdd, the open bound for "-", or -1 if malformed. */
int kb_parse_date(const char *s, bool as_to);

#endif
