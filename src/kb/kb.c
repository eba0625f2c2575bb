/* kb.c: the knowledge-base loader (grammar: docs/RULES.md).
 *
 * Parsing is line-oriented, in the spirit of nmap-service-probes readers: a line in column 0 opens a
 * block, indented lines are "key value" attributes of it. Attributes are stored as text first; all
 * cross-references (makers, brands, lists) and all pattern compilation wait for kb_finish, because a
 * rule may name a maker defined in a later file. */
#include "kb.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/err.h"
#include "../core/str.h"
#include "../core/utf8.h"
#include "../core/xalloc.h"

#define KB_MAX_FILE (16 * 1024 * 1024)
#define KB_MAX_VALUE 8192

enum block_kind { BK_NONE, BK_LIST, BK_MAKER, BK_BRAND, BK_RULE };

struct parser {
    struct kb *kb;
    const char *file;
    int file_idx;
    int line;
    enum block_kind kind;
    size_t idx;            /* index of the open block in its array */
    bool skip;             /* the open block was rejected: ignore its attributes */
    struct kb_example *last_ex; /* the example `yields`/`example-path` attach to */
    bool last_ex_is_also;
};

static const char *const strength_names[KB_N_STRENGTH] = { "weak", "label", "medium", "strong",
                                                           "stack" };
static const double strength_weights[KB_N_STRENGTH] = { 0.20, 0.50, 0.60, 0.85, 0.95 };

const char *kb_strength_name(enum kb_strength s)
{
    return s < KB_N_STRENGTH ? strength_names[s] : "?";
}

double kb_strength_weight(enum kb_strength s)
{
    return s < KB_N_STRENGTH ? strength_weights[s] : 0.0;
}

static void diag(struct kb *kb, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void diag(struct kb *kb, const char *file, int line, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kb->n_errors++;
    if (kb->diag)
        kb->diag(kb->diag_ctx, file, line, msg);
}

#define PERR(p, ...) diag((p)->kb, (p)->file, (p)->line, __VA_ARGS__)

struct kb *kb_new(void (*diagfn)(void *, const char *, int, const char *), void *ctx)
{
    struct kb *kb = xcalloc(1, sizeof *kb);
    kb->diag = diagfn;
    kb->diag_ctx = ctx;
    return kb;
}

static void strv_push(struct kb_strv *sv, const char *s)
{
    sv->v = xrealloc(sv->v, (sv->n + 1) * sizeof *sv->v);
    sv->v[sv->n++] = xstrdup(s);
}

static void strv_free(struct kb_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
}

static void examples_free(struct kb_example *ex, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ex[i].value);
        free(ex[i].path);
        strv_free(&ex[i].yields);
    }
    free(ex);
}

void kb_free(struct kb *kb)
{
    if (!kb)
        return;
    for (size_t i = 0; i < kb->n_lists; i++) {
        struct kb_list *l = &kb->lists[i];
        free(l->id), free(l->name), free(l->short_name), free(l->authority), free(l->url), free(l->note), free(l->date);
        strv_free(&l->sources);
    }
    for (size_t i = 0; i < kb->n_makers; i++) {
        struct kb_maker *m = &kb->makers[i];
        free(m->slug), free(m->name), free(m->note), free(m->date);
        strv_free(&m->legal), strv_free(&m->sources);
        for (size_t j = 0; j < m->n_on; j++)
            free(m->on[j].list_id), free(m->on[j].date_text), free(m->on[j].qualifier);
        free(m->on);
    }
    for (size_t i = 0; i < kb->n_brands; i++) {
        struct kb_brand *b = &kb->brands[i];
        free(b->slug), free(b->name), free(b->note), free(b->date);
        strv_free(&b->sources);
        struct kb_rel *sets[2] = { b->owners, b->oems };
        size_t ns[2] = { b->n_owners, b->n_oems };
        for (int s = 0; s < 2; s++) {
            for (size_t j = 0; j < ns[s]; j++)
                free(sets[s][j].maker_slug), free(sets[s][j].from_text), free(sets[s][j].to_text);
            free(sets[s]);
        }
    }
    for (size_t i = 0; i < kb->n_rules; i++) {
        struct kb_rule *r = &kb->rules[i];
        free(r->id), free(r->match_src), free(r->path_src), free(r->note), free(r->date);
        free(r->maker_slug), free(r->brand_slug);
        strv_free(&r->fields), strv_free(&r->sources);
        free(r->field_ids);
        pcre2_code_free(r->re);
        pcre2_code_free(r->path_re);
        for (size_t j = 0; j < r->n_also; j++) {
            free(r->also[j].field), free(r->also[j].src);
            pcre2_code_free(r->also[j].re);
            examples_free(r->also[j].ex, r->also[j].n_ex);
        }
        free(r->also);
        examples_free(r->ex, r->n_ex);
        examples_free(r->nomatch, r->n_nomatch);
    }
    free(kb->lists), free(kb->makers), free(kb->brands), free(kb->rules);
    for (size_t i = 0; i < kb->n_files; i++)
        free(kb->files[i]);
    free(kb->files);
    for (size_t i = 0; i < kb->n_fields; i++) {
        free(kb->fields[i]);
        free(kb->field_rules ? kb->field_rules[i] : NULL);
    }
    for (size_t i = 0; kb->field_always && i < kb->n_fields; i++) {
        free(kb->field_always[i]);
        for (int c = 0; c < 256; c++)
            free(kb->field_first[i][c]);
    }
    free(kb->field_always);
    free(kb->field_first);
    free(kb->pre);
    free(kb->fields);
    free(kb->field_rules);
    free(kb->field_hash);
    free(kb);
}

/* ---- small lexical helpers ---- */

static bool is_slug(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == '-'))
            return false;
    return strlen(s) <= 64;
}

int kb_parse_date(const char *s, bool as_to)
{
    if (strcmp(s, "-") == 0)
        return as_to ? KB_DATE_OPEN_TO : KB_DATE_OPEN_FROM;
    int y = 0, m = 0, d = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (!(isdigit((unsigned char)s[i]) || ((i == 4 || i == 7) && s[i] == '-')))
            return -1;
    if (n == 4 && sscanf(s, "%4d", &y) == 1) {
        m = as_to ? 12 : 1;
        d = as_to ? 31 : 1;
    } else if (n == 7 && sscanf(s, "%4d-%2d", &y, &m) == 2) {
        d = as_to ? 31 : 1;
    } else if (n == 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3) {
    } else {
        return -1;
    }
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    return y * 10000 + m * 100 + d;
}

/* Decodes the C escapes of docs/RULES.md into a new buffer; NULL on a bad escape. */
static char *unescape(const char *s, size_t *out_len)
{
    size_t n = strlen(s);
    char *o = xmalloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            o[j++] = s[i];
            continue;
        }
        char c = s[++i];
        switch (c) {
        case 'n': o[j++] = '\n'; break;
        case 'r': o[j++] = '\r'; break;
        case 't': o[j++] = '\t'; break;
        case '\\': o[j++] = '\\'; break;
        case 'x': {
            int v = 0;
            for (int k = 0; k < 2; k++) {
                char h = s[i + 1];
                int d = str_hexval(h);
                if (d < 0) {
                    free(o);
                    return NULL;
                }
                v = v * 16 + d;
                i++;
            }
            o[j++] = (char)v;
            break;
        }
        default: free(o); return NULL;
        }
    }
    o[j] = '\0';
    *out_len = j;
    return o;
}

/* Splits "a b c" into at most max whitespace-separated words; the last word takes the rest of the
 * line when rest_last is set. Modifies s. Returns the number of words. */
static int split_words(char *s, char **w, int max, bool rest_last)
{
    int n = 0;
    while (*s && n < max) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        if (n == max - 1 && rest_last) {
            w[n++] = s;
            break;
        }
        w[n++] = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
        if (*s)
            *s++ = '\0';
    }
    return n;
}

static char **set_once(struct parser *p, char **slot, const char *key, const char *val)
{
    if (*slot) {
        PERR(p, "duplicate '%s'", key);
        return NULL;
    }
    *slot = xstrdup(val);
    return slot;
}

/* ---- blocks ---- */

static bool id_taken(struct kb *kb, enum block_kind kind, const char *id)
{
    switch (kind) {
    case BK_LIST:
        for (size_t i = 0; i < kb->n_lists; i++)
            if (!strcmp(kb->lists[i].id, id))
                return true;
        break;
    case BK_MAKER:
    case BK_BRAND:
        for (size_t i = 0; i < kb->n_makers; i++)
            if (!strcmp(kb->makers[i].slug, id))
                return true;
        for (size_t i = 0; i < kb->n_brands; i++)
            if (!strcmp(kb->brands[i].slug, id))
                return true;
        break;
    case BK_RULE:
        for (size_t i = 0; i < kb->n_rules; i++)
            if (!strcmp(kb->rules[i].id, id))
                return true;
        break;
    case BK_NONE: break;
    }
    return false;
}

static void open_block(struct parser *p, const char *kw, const char *id)
{
    struct kb *kb = p->kb;
    enum block_kind kind = !strcmp(kw, "list") ? BK_LIST
                           : !strcmp(kw, "maker") ? BK_MAKER
                           : !strcmp(kw, "brand") ? BK_BRAND
                           : !strcmp(kw, "rule") ? BK_RULE : BK_NONE;
    p->kind = kind;
    p->skip = true;
    p->last_ex = NULL;
    if (kind == BK_NONE) {
        PERR(p, "unknown block '%s' (expected list, maker, brand or rule)", kw);
        return;
    }
    if (!id || !*id) {
        PERR(p, "%s: missing identifier", kw);
        return;
    }
    if (!is_slug(id)) {
        PERR(p, "%s '%s': identifiers are [a-z0-9][a-z0-9._-]* (at most 64)", kw, id);
        return;
    }
    if (id_taken(kb, kind, id)) {
        PERR(p, "%s '%s' is defined twice%s", kw, id,
             kind == BK_BRAND || kind == BK_MAKER ? " (makers and brands share one namespace)" : "");
        return;
    }
    p->skip = false;
    switch (kind) {
    case BK_LIST:
        xgrow((void **)&kb->lists, &kb->cap_lists, kb->n_lists + 1, sizeof *kb->lists);
        p->idx = kb->n_lists++;
        memset(&kb->lists[p->idx], 0, sizeof *kb->lists);
        kb->lists[p->idx].id = xstrdup(id);
        kb->lists[p->idx].file = p->file_idx;
        kb->lists[p->idx].line = p->line;
        break;
    case BK_MAKER: {
        xgrow((void **)&kb->makers, &kb->cap_makers, kb->n_makers + 1, sizeof *kb->makers);
        p->idx = kb->n_makers++;
        struct kb_maker *m = &kb->makers[p->idx];
        memset(m, 0, sizeof *m);
        m->slug = xstrdup(id);
        m->file = p->file_idx;
        m->line = p->line;
        break;
    }
    case BK_BRAND: {
        xgrow((void **)&kb->brands, &kb->cap_brands, kb->n_brands + 1, sizeof *kb->brands);
        p->idx = kb->n_brands++;
        struct kb_brand *b = &kb->brands[p->idx];
        memset(b, 0, sizeof *b);
        b->slug = xstrdup(id);
        b->implicit_maker = -1;
        b->file = p->file_idx;
        b->line = p->line;
        break;
    }
    case BK_RULE: {
        xgrow((void **)&kb->rules, &kb->cap_rules, kb->n_rules + 1, sizeof *kb->rules);
        p->idx = kb->n_rules++;
        struct kb_rule *r = &kb->rules[p->idx];
        memset(r, 0, sizeof *r);
        r->id = xstrdup(id);
        r->maker = r->brand = -1;
        r->strength = KB_N_STRENGTH; /* unset */
        r->file = p->file_idx;
        r->line = p->line;
        break;
    }
    case BK_NONE: break;
    }
}

static void attr_common(struct parser *p, const char *key, const char *val, struct kb_strv *sources,
                        char **note, char **date)
{
    if (!strcmp(key, "source")) {
        strv_push(sources, val);
    } else if (!strcmp(key, "note")) {
        if (*note) { /* several note lines join into one paragraph */
            size_t a = strlen(*note), b = strlen(val);
            *note = xrealloc(*note, a + b + 2);
            (*note)[a] = ' ';
            memcpy(*note + a + 1, val, b + 1);
        } else {
            *note = xstrdup(val);
        }
    } else if (!strcmp(key, "date")) {
        if (kb_parse_date(val, false) < 0 || !strcmp(val, "-"))
            PERR(p, "date: '%s' is not YYYY, YYYY-MM or YYYY-MM-DD", val);
        else
            set_once(p, date, key, val);
    } else {
        PERR(p, "unknown attribute '%s'", key);
    }
}

static bool parse_rel(struct parser *p, char *val, struct kb_rel *rel, bool want_grade)
{
    char *w[4];
    int n = split_words(val, w, 4, false);
    if (n != (want_grade ? 4 : 3)) {
        PERR(p, want_grade ? "oem: expected MAKER FROM TO GRADE" : "owner: expected MAKER FROM TO");
        return false;
    }
    memset(rel, 0, sizeof *rel);
    rel->maker = -1;
    rel->from = kb_parse_date(w[1], false);
    rel->to = kb_parse_date(w[2], true);
    if (rel->from < 0 || rel->to < 0) {
        PERR(p, "bad date in '%s %s' (YYYY, YYYY-MM, YYYY-MM-DD or -)", w[1], w[2]);
        return false;
    }
    if (rel->from > rel->to) {
        PERR(p, "period ends before it starts");
        return false;
    }
    if (want_grade) {
        if (strlen(w[3]) != 1 || !strchr("HML", w[3][0])) {
            PERR(p, "grade must be H, M or L");
            return false;
        }
        rel->grade = w[3][0];
    }
    rel->maker_slug = xstrdup(w[0]);
    rel->from_text = xstrdup(w[1]);
    rel->to_text = xstrdup(w[2]);
    return true;
}

static struct kb_example *push_example(struct kb_example **arr, size_t *n, const char *val, int line,
                                       struct parser *p)
{
    size_t len;
    char *v = unescape(val, &len);
    if (!v) {
        PERR(p, "bad escape in '%s' (\\r \\n \\t \\\\ \\xHH)", val);
        return NULL;
    }
    *arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
    struct kb_example *e = &(*arr)[(*n)++];
    memset(e, 0, sizeof *e);
    e->value = v;
    e->len = len;
    e->line = line;
    return e;
}

static void attr_rule(struct parser *p, const char *key, char *val)
{
    struct kb_rule *r = &p->kb->rules[p->idx];
    if (!strcmp(key, "field")) {
        if (r->fields.n) {
            PERR(p, "duplicate 'field' (list several fields on one line, separated by commas)");
            return;
        }
        for (char *tok = strtok(val, ", \t"); tok; tok = strtok(NULL, ", \t"))
            strv_push(&r->fields, tok);
    } else if (!strcmp(key, "match")) {
        set_once(p, &r->match_src, key, val);
    } else if (!strcmp(key, "path")) {
        set_once(p, &r->path_src, key, val);
    } else if (!strcmp(key, "also")) {
        char *w[2];
        if (split_words(val, w, 2, true) != 2) {
            PERR(p, "also: expected FIELD PATTERN");
            return;
        }
        r->also = xrealloc(r->also, (r->n_also + 1) * sizeof *r->also);
        struct kb_also *a = &r->also[r->n_also++];
        memset(a, 0, sizeof *a);
        a->field = xstrdup(w[0]);
        a->src = xstrdup(w[1]);
        a->field_id = -1;
        a->line = p->line;
        p->last_ex = NULL;
    } else if (!strcmp(key, "also-example")) {
        if (!r->n_also) {
            PERR(p, "also-example without a preceding 'also'");
            return;
        }
        struct kb_also *a = &r->also[r->n_also - 1];
        push_example(&a->ex, &a->n_ex, val, p->line, p);
    } else if (!strcmp(key, "maker")) {
        set_once(p, &r->maker_slug, key, val);
    } else if (!strcmp(key, "brand")) {
        set_once(p, &r->brand_slug, key, val);
    } else if (!strcmp(key, "strength")) {
        int s = -1;
        for (int i = 0; i < KB_N_STRENGTH; i++)
            if (!strcmp(val, strength_names[i]))
                s = i;
        if (s < 0)
            PERR(p, "strength must be stack, strong, medium, label or weak");
        else if (r->strength != KB_N_STRENGTH)
            PERR(p, "duplicate 'strength'");
        else
            r->strength = (enum kb_strength)s;
    } else if (!strcmp(key, "example")) {
        p->last_ex = push_example(&r->ex, &r->n_ex, val, p->line, p);
    } else if (!strcmp(key, "nomatch")) {
        push_example(&r->nomatch, &r->n_nomatch, val, p->line, p);
    } else if (!strcmp(key, "example-path")) {
        if (!p->last_ex) {
            PERR(p, "example-path must follow an example");
            return;
        }
        size_t len;
        char *v = unescape(val, &len);
        if (!v)
            PERR(p, "bad escape in example-path");
        else {
            free(p->last_ex->path);
            p->last_ex->path = v;
        }
    } else if (!strcmp(key, "yields")) {
        if (!p->last_ex) {
            PERR(p, "yields must follow an example");
            return;
        }
        /* key=value pairs; a value may be "quoted with spaces". */
        char *s = val;
        while (*s) {
            while (*s == ' ' || *s == '\t')
                s++;
            if (!*s)
                break;
            char *eq = strchr(s, '=');
            if (!eq) {
                PERR(p, "yields: expected KEY=VALUE");
                return;
            }
            char *v = eq + 1, *end;
            if (*v == '"') {
                end = strchr(v + 1, '"');
                if (!end) {
                    PERR(p, "yields: unterminated quote");
                    return;
                }
                v++;
            } else {
                end = v + strcspn(v, " \t");
            }
            char buf[KB_MAX_VALUE];
            snprintf(buf, sizeof buf, "%.*s=%.*s", (int)(eq - s), s, (int)(end - v), v);
            strv_push(&p->last_ex->yields, buf);
            s = *end == '"' ? end + 1 : end;
        }
    } else {
        attr_common(p, key, val, &r->sources, &r->note, &r->date);
    }
}

static void attr(struct parser *p, char *key, char *val)
{
    struct kb *kb = p->kb;
    switch (p->kind) {
    case BK_LIST: {
        struct kb_list *l = &kb->lists[p->idx];
        if (!strcmp(key, "name"))
            set_once(p, &l->name, key, val);
        else if (!strcmp(key, "short"))
            set_once(p, &l->short_name, key, val);
        else if (!strcmp(key, "authority"))
            set_once(p, &l->authority, key, val);
        else if (!strcmp(key, "url"))
            set_once(p, &l->url, key, val);
        else
            attr_common(p, key, val, &l->sources, &l->note, &l->date);
        break;
    }
    case BK_MAKER: {
        struct kb_maker *m = &kb->makers[p->idx];
        if (!strcmp(key, "name")) {
            set_once(p, &m->name, key, val);
        } else if (!strcmp(key, "legal")) {
            strv_push(&m->legal, val);
        } else if (!strcmp(key, "covered")) {
            if (strcmp(val, "yes") && strcmp(val, "no"))
                PERR(p, "covered must be yes or no");
            m->covered = !strcmp(val, "yes");
        } else if (!strcmp(key, "on")) {
            char *w[3];
            int n = split_words(val, w, 3, true);
            if (n < 2) {
                PERR(p, "on: expected LIST DATE [QUALIFIER]");
                return;
            }
            int d = kb_parse_date(w[1], false);
            if (d < 0 || d == KB_DATE_OPEN_FROM) {
                PERR(p, "on: bad date '%s'", w[1]);
                return;
            }
            m->on = xrealloc(m->on, (m->n_on + 1) * sizeof *m->on);
            struct kb_on *o = &m->on[m->n_on++];
            o->list = -1;
            o->list_id = xstrdup(w[0]);
            o->date = d;
            o->date_text = xstrdup(w[1]);
            o->qualifier = n == 3 ? xstrdup(w[2]) : NULL;
        } else {
            attr_common(p, key, val, &m->sources, &m->note, &m->date);
        }
        break;
    }
    case BK_BRAND: {
        struct kb_brand *b = &kb->brands[p->idx];
        if (!strcmp(key, "name")) {
            set_once(p, &b->name, key, val);
        } else if (!strcmp(key, "owner") || !strcmp(key, "oem")) {
            bool oem = key[1] == 'e';
            struct kb_rel rel;
            if (!parse_rel(p, val, &rel, oem))
                return;
            struct kb_rel **arr = oem ? &b->oems : &b->owners;
            size_t *n = oem ? &b->n_oems : &b->n_owners;
            *arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
            (*arr)[(*n)++] = rel;
        } else {
            attr_common(p, key, val, &b->sources, &b->note, &b->date);
        }
        break;
    }
    case BK_RULE: attr_rule(p, key, val); break;
    case BK_NONE: break;
    }
}

int kb_load_buf(struct kb *kb, const char *name, const char *buf, size_t len)
{
    size_t errors_before = kb->n_errors;
    struct parser p = { .kb = kb, .file = name, .kind = BK_NONE, .skip = true };
    xgrow((void **)&kb->files, &kb->cap_files, kb->n_files + 1, sizeof *kb->files);
    p.file_idx = (int)kb->n_files;
    kb->files[kb->n_files++] = xstrdup(name);
    p.file = kb->files[p.file_idx];

    if (memchr(buf, '\0', len)) {
        diag(kb, p.file, 0, "file contains a NUL byte");
        return UNMASK_ERULES;
    }
    size_t pos = 0;
    char line[KB_MAX_VALUE + 64];
    while (pos < len) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - (buf + pos)) : len - pos;
        p.line++;
        if (ll >= sizeof line) {
            PERR(&p, "line longer than %d bytes", KB_MAX_VALUE);
            pos += ll + 1;
            continue;
        }
        memcpy(line, buf + pos, ll);
        line[ll] = '\0';
        pos += ll + 1;
        if (!utf8_valid(line, ll)) { /* writers copy knowledge text into output unescaped-as-UTF-8 */
            PERR(&p, "line is not valid UTF-8");
            continue;
        }
        while (ll && (line[ll - 1] == ' ' || line[ll - 1] == '\t' || line[ll - 1] == '\r'))
            line[--ll] = '\0';
        char *s = line;
        bool indented = *s == ' ' || *s == '\t';
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#')
            continue;
        char *w[2];
        int n = split_words(s, w, 2, true);
        if (!indented) {
            open_block(&p, w[0], n > 1 ? w[1] : NULL);
            continue;
        }
        if (p.kind == BK_NONE) {
            PERR(&p, "attribute outside of a block");
            continue;
        }
        if (p.skip)
            continue;
        if (n < 2) {
            PERR(&p, "'%s' needs a value", w[0]);
            continue;
        }
        attr(&p, w[0], w[1]);
    }
    return kb->n_errors == errors_before ? UNMASK_OK : UNMASK_ERULES;
}

int kb_load_file(struct kb *kb, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag(kb, path, 0, "cannot open: %s", strerror(errno));
        return errno == ENOENT ? UNMASK_ENOENT : UNMASK_EIO;
    }
    char *buf = xmalloc(KB_MAX_FILE + 1);
    size_t n = fread(buf, 1, KB_MAX_FILE + 1, f);
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        diag(kb, path, 0, "read error");
        return UNMASK_EIO;
    }
    if (n > KB_MAX_FILE) {
        free(buf);
        diag(kb, path, 0, "larger than %d bytes", KB_MAX_FILE);
        return UNMASK_ELIMIT;
    }
    int rc = kb_load_buf(kb, path, buf, n);
    free(buf);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int kb_load_path(struct kb *kb, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag(kb, path, 0, "cannot open: %s", strerror(errno));
        return UNMASK_ENOENT;
    }
    if (!S_ISDIR(st.st_mode))
        return kb_load_file(kb, path);
    DIR *d = opendir(path);
    if (!d) {
        diag(kb, path, 0, "cannot open directory: %s", strerror(errno));
        return UNMASK_EIO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 6 && !strcmp(e->d_name + l - 6, ".rules") && e->d_name[0] != '.') {
            xgrow((void **)&names, &cap, n + 1, sizeof *names);
            names[n++] = xstrdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    int rc = n ? UNMASK_OK : UNMASK_ENOENT;
    if (!n)
        diag(kb, path, 0, "no *.rules files in this directory");
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(path) + strlen(names[i]) + 2;
        char *full = xmalloc(l);
        snprintf(full, l, "%s/%s", path, names[i]);
        int r = kb_load_file(kb, full);
        if (r < 0 && rc == UNMASK_OK)
            rc = r;
        free(full);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* ---- finish: resolve, compile, index ---- */

static unsigned long hash_str(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 ^ (unsigned char)*s++;
    return h;
}

int kb_field_id(const struct kb *kb, const char *name)
{
    if (!kb->field_hash_cap)
        return -1;
    size_t mask = kb->field_hash_cap - 1;
    for (size_t i = hash_str(name) & mask;; i = (i + 1) & mask) {
        int id = kb->field_hash[i];
        if (id < 0)
            return -1;
        if (!strcmp(kb->fields[id], name))
            return id;
    }
}

static int field_intern(struct kb *kb, const char *name)
{
    for (size_t i = 0; i < kb->n_fields; i++)
        if (!strcmp(kb->fields[i], name))
            return (int)i;
    xgrow((void **)&kb->fields, &kb->cap_fields, kb->n_fields + 1, sizeof *kb->fields);
    kb->fields[kb->n_fields] = xstrdup(name);
    return (int)kb->n_fields++;
}

int kb_maker_find(const struct kb *kb, const char *slug)
{
    for (size_t i = 0; i < kb->n_makers; i++)
        if (!strcmp(kb->makers[i].slug, slug))
            return (int)i;
    return -1;
}

int kb_brand_find(const struct kb *kb, const char *slug)
{
    for (size_t i = 0; i < kb->n_brands; i++)
        if (!strcmp(kb->brands[i].slug, slug))
            return (int)i;
    return -1;
}

static pcre2_code *compile(struct kb *kb, const char *file, int line, const char *what,
                           const char *src)
{
    int ec;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec, &off,
                                   NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        diag(kb, file, line, "%s: pattern error at offset %zu: %s", what, (size_t)off, msg);
        return NULL;
    }
    /* JIT is an optimisation: where it is unavailable the interpreter gives the same answers. */
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    return re;
}

/* Reads what PCRE2 learnt about a pattern's start and required bytes into the rule's prefilter.
 * Everything here over-approximates: a letter stands for both cases, a non-ASCII unit disables the
 * test, so the prefilter never rejects a value the pattern would match. */
static void set_prefilter(struct kb_rule *r)
{
    uint32_t opts = 0, type = 0, unit = 0;
    r->use_first = false;
    r->req[0] = r->req[1] = -1;
    pcre2_pattern_info(r->re, PCRE2_INFO_MINLENGTH, &r->min_len);
    pcre2_pattern_info(r->re, PCRE2_INFO_ALLOPTIONS, &opts);
    if (opts & PCRE2_ANCHORED) {
        const uint8_t *bitmap = NULL;
        pcre2_pattern_info(r->re, PCRE2_INFO_FIRSTCODETYPE, &type);
        if (type == 1) {
            pcre2_pattern_info(r->re, PCRE2_INFO_FIRSTCODEUNIT, &unit);
            if (unit < 0x80) {
                memset(r->first, 0, sizeof r->first);
                int u = (int)unit;
                r->first[u >> 3] |= (unsigned char)(1u << (u & 7));
                int alt = (u >= 'a' && u <= 'z') ? u - 32 : (u >= 'A' && u <= 'Z') ? u + 32 : u;
                r->first[alt >> 3] |= (unsigned char)(1u << (alt & 7));
                r->use_first = true;
            }
        } else if (pcre2_pattern_info(r->re, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap) {
            memcpy(r->first, bitmap, sizeof r->first);
            r->use_first = true;
        }
    }
    if (pcre2_pattern_info(r->re, PCRE2_INFO_LASTCODETYPE, &type) == 0 && type == 1) {
        pcre2_pattern_info(r->re, PCRE2_INFO_LASTCODEUNIT, &unit);
        if (unit < 0x80) {
            int u = (int)unit;
            r->req[0] = u;
            if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z'))
                r->req[1] = u ^ 32;
        }
    }
}

static void require_meta(struct kb *kb, const char *file, int line, const char *what,
                         const char *id, const struct kb_strv *sources, const char *date)
{
    if (!sources->n)
        diag(kb, file, line, "%s '%s': needs at least one 'source'", what, id);
    if (!date)
        diag(kb, file, line, "%s '%s': needs a 'date'", what, id);
}

static bool check_field_name(struct kb *kb, const char *file, int line, const char *name)
{
    size_t n = strlen(name);
    bool ok = n > 2 && n <= 64 && strchr(name, '.') && name[0] != '.' && name[n - 1] != '.';
    for (size_t i = 0; ok && i < n; i++)
        ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
             name[i] == '_' || name[i] == '.';
    if (!ok)
        diag(kb, file, line, "field '%s' is not a proto.field name (lower case)", name);
    return ok;
}

int kb_finish(struct kb *kb)
{
    size_t errors_before = kb->n_errors;
    for (size_t i = 0; i < kb->n_lists; i++) {
        struct kb_list *l = &kb->lists[i];
        const char *f = kb->files[l->file];
        if (!l->name)
            diag(kb, f, l->line, "list '%s': needs a 'name'", l->id);
        require_meta(kb, f, l->line, "list", l->id, &l->sources, l->date);
    }
    for (size_t i = 0; i < kb->n_makers; i++) {
        struct kb_maker *m = &kb->makers[i];
        const char *f = kb->files[m->file];
        if (!m->name)
            diag(kb, f, m->line, "maker '%s': needs a 'name'", m->slug);
        require_meta(kb, f, m->line, "maker", m->slug, &m->sources, m->date);
        if (m->covered && !m->n_on)
            diag(kb, f, m->line, "maker '%s': covered makers need an 'on LIST DATE' line", m->slug);
        for (size_t j = 0; j < m->n_on; j++) {
            m->on[j].list = -1;
            for (size_t k = 0; k < kb->n_lists; k++)
                if (!strcmp(kb->lists[k].id, m->on[j].list_id))
                    m->on[j].list = (int)k;
            if (m->on[j].list < 0)
                diag(kb, f, m->line, "maker '%s': unknown list '%s'", m->slug, m->on[j].list_id);
        }
    }
    for (size_t i = 0; i < kb->n_brands; i++) {
        struct kb_brand *b = &kb->brands[i];
        const char *f = kb->files[b->file];
        if (!b->name)
            diag(kb, f, b->line, "brand '%s': needs a 'name'", b->slug);
        require_meta(kb, f, b->line, "brand", b->slug, &b->sources, b->date);
        struct kb_rel *sets[2] = { b->owners, b->oems };
        size_t ns[2] = { b->n_owners, b->n_oems };
        for (int s = 0; s < 2; s++)
            for (size_t j = 0; j < ns[s]; j++) {
                sets[s][j].maker = kb_maker_find(kb, sets[s][j].maker_slug);
                if (sets[s][j].maker < 0)
                    diag(kb, f, b->line, "brand '%s': unknown maker '%s'", b->slug,
                         sets[s][j].maker_slug);
            }
    }
    /* Every maker is a brand of its own (docs/RULES.md). */
    size_t n_makers = kb->n_makers;
    for (size_t i = 0; i < n_makers; i++) {
        struct kb_maker *m = &kb->makers[i];
        xgrow((void **)&kb->brands, &kb->cap_brands, kb->n_brands + 1, sizeof *kb->brands);
        struct kb_brand *b = &kb->brands[kb->n_brands++];
        memset(b, 0, sizeof *b);
        b->slug = xstrdup(m->slug);
        b->name = xstrdup(m->name ? m->name : m->slug);
        b->implicit_maker = (int)i;
        b->owners = xcalloc(1, sizeof *b->owners);
        b->n_owners = 1;
        b->owners[0] = (struct kb_rel){ .maker = (int)i, .maker_slug = xstrdup(m->slug),
                                        .from = KB_DATE_OPEN_FROM, .to = KB_DATE_OPEN_TO,
                                        .from_text = xstrdup("-"), .to_text = xstrdup("-") };
        b->file = m->file;
        b->line = m->line;
    }
    for (size_t i = 0; i < kb->n_rules; i++) {
        struct kb_rule *r = &kb->rules[i];
        const char *f = kb->files[r->file];
        require_meta(kb, f, r->line, "rule", r->id, &r->sources, r->date);
        if (!r->fields.n)
            diag(kb, f, r->line, "rule '%s': needs a 'field'", r->id);
        if (!r->match_src)
            diag(kb, f, r->line, "rule '%s': needs a 'match'", r->id);
        if (r->strength == KB_N_STRENGTH) {
            diag(kb, f, r->line, "rule '%s': needs a 'strength'", r->id);
            r->strength = KB_WEAK;
        }
        if (!!r->maker_slug == !!r->brand_slug)
            diag(kb, f, r->line, "rule '%s': needs exactly one of 'maker' or 'brand'", r->id);
        if (r->maker_slug && (r->maker = kb_maker_find(kb, r->maker_slug)) < 0)
            diag(kb, f, r->line, "rule '%s': unknown maker '%s'", r->id, r->maker_slug);
        if (r->brand_slug && (r->brand = kb_brand_find(kb, r->brand_slug)) < 0)
            diag(kb, f, r->line, "rule '%s': unknown brand '%s'", r->id, r->brand_slug);
        if (!r->n_ex)
            diag(kb, f, r->line, "rule '%s': needs at least one 'example'", r->id);
        r->field_ids = xmalloc((r->fields.n ? r->fields.n : 1) * sizeof *r->field_ids);
        for (size_t j = 0; j < r->fields.n; j++) {
            check_field_name(kb, f, r->line, r->fields.v[j]);
            r->field_ids[j] = field_intern(kb, r->fields.v[j]);
        }
        if (r->match_src && (r->re = compile(kb, f, r->line, "match", r->match_src))) {
            uint32_t n;
            pcre2_pattern_info(r->re, PCRE2_INFO_NAMECOUNT, &n);
            int g;
            r->grp_model = (g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "model")) > 0 ? g : 0;
            r->grp_firmware = (g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "firmware")) > 0 ? g : 0;
            r->grp_serial = (g = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR) "serial")) > 0 ? g : 0;
            set_prefilter(r);
        }
        if (r->path_src)
            r->path_re = compile(kb, f, r->line, "path", r->path_src);
        for (size_t j = 0; j < r->n_also; j++) {
            struct kb_also *a = &r->also[j];
            if (check_field_name(kb, f, a->line, a->field))
                a->field_id = field_intern(kb, a->field);
            a->re = compile(kb, f, a->line, "also", a->src);
            if (!a->n_ex)
                diag(kb, f, a->line, "rule '%s': 'also' needs an 'also-example'", r->id);
        }
        if (r->path_src)
            for (size_t j = 0; j < r->n_ex; j++)
                if (!r->ex[j].path)
                    diag(kb, f, r->ex[j].line, "rule '%s': the rule has 'path', so each example needs an 'example-path'", r->id);
    }
    /* Index: field id -> rules reading it, in file order. */
    kb->field_rules = xcalloc(kb->n_fields ? kb->n_fields : 1, sizeof *kb->field_rules);
    size_t *counts = xcalloc(kb->n_fields ? kb->n_fields : 1, sizeof *counts);
    for (size_t i = 0; i < kb->n_rules; i++)
        for (size_t j = 0; j < kb->rules[i].fields.n; j++)
            counts[kb->rules[i].field_ids[j]]++;
    for (size_t f = 0; f < kb->n_fields; f++) {
        kb->field_rules[f] = xmalloc((counts[f] + 1) * sizeof **kb->field_rules);
        counts[f] = 0;
    }
    for (size_t i = 0; i < kb->n_rules; i++)
        for (size_t j = 0; j < kb->rules[i].fields.n; j++) {
            int f = kb->rules[i].field_ids[j];
            kb->field_rules[f][counts[f]++] = (int)i;
        }
    for (size_t f = 0; f < kb->n_fields; f++)
        kb->field_rules[f][counts[f]] = -1;
    free(counts);
    kb->pre = xcalloc(kb->n_rules + 1, sizeof *kb->pre);
    for (size_t i = 0; i < kb->n_rules; i++) {
        const struct kb_rule *r = &kb->rules[i];
        kb->pre[i] = (struct kb_prefilter){ r->re, r->min_len, { (int16_t)r->req[0], (int16_t)r->req[1] } };
    }
    kb->field_always = xcalloc(kb->n_fields ? kb->n_fields : 1, sizeof *kb->field_always);
    kb->field_first = xcalloc(kb->n_fields ? kb->n_fields : 1, sizeof *kb->field_first);
    for (size_t f = 0; f < kb->n_fields; f++) {
        size_t n = 0;
        while (kb->field_rules[f][n] >= 0)
            n++;
        int *always = xmalloc((n + 1) * sizeof *always);
        size_t na = 0;
        for (size_t k = 0; k < n; k++)
            if (!kb->rules[kb->field_rules[f][k]].use_first)
                always[na++] = kb->field_rules[f][k];
        always[na] = -1;
        kb->field_always[f] = always;
        for (int c = 0; c < 256; c++) {
            int *bucket = xmalloc((n + 1) * sizeof *bucket);
            size_t nb = 0;
            for (size_t k = 0; k < n; k++) {
                const struct kb_rule *r = &kb->rules[kb->field_rules[f][k]];
                if (r->use_first && (r->first[c >> 3] & (1u << (c & 7))))
                    bucket[nb++] = kb->field_rules[f][k];
            }
            bucket[nb] = -1;
            kb->field_first[f][c] = bucket;
        }
    }
    size_t cap = 16;
    while (cap < kb->n_fields * 2)
        cap *= 2;
    kb->field_hash = xmalloc(cap * sizeof *kb->field_hash);
    for (size_t i = 0; i < cap; i++)
        kb->field_hash[i] = -1;
    kb->field_hash_cap = cap;
    for (size_t f = 0; f < kb->n_fields; f++) {
        size_t k = hash_str(kb->fields[f]) & (cap - 1);
        while (kb->field_hash[k] >= 0)
            k = (k + 1) & (cap - 1);
        kb->field_hash[k] = (int)f;
    }
    kb->finished = true;
    return kb->n_errors == errors_before ? UNMASK_OK : UNMASK_ERULES;
}

/* ---- examples ---- */

static int run(const pcre2_code *re, const char *s, size_t n, pcre2_match_data *md)
{
    return pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
}

static void ex_text(const struct kb_example *e, char *out, size_t outlen)
{
    size_t j = 0;
    for (size_t i = 0; i < e->len && j + 5 < outlen; i++) {
        unsigned char c = (unsigned char)e->value[i];
        if (c < 0x20 || c == 0x7f)
            j += (size_t)snprintf(out + j, outlen - j, "\\x%02x", c);
        else
            out[j++] = (char)c;
    }
    out[j] = '\0';
}

size_t kb_check_examples(struct kb *kb)
{
    size_t fails = 0;
    pcre2_match_data *md = pcre2_match_data_create(64, NULL);
    char shown[256];
    for (size_t i = 0; i < kb->n_rules; i++) {
        struct kb_rule *r = &kb->rules[i];
        const char *f = kb->files[r->file];
        if (!r->re)
            continue;
        for (size_t j = 0; j < r->n_ex; j++) {
            struct kb_example *e = &r->ex[j];
            ex_text(e, shown, sizeof shown);
            int rc = run(r->re, e->value, e->len, md);
            if (rc >= 0 && !kb_rule_may_match(r, e->value, e->len)) {
                diag(kb, f, e->line, "rule '%s': internal: the prefilter rejects a matching example: %s", r->id, shown);
                fails++;
                continue;
            }
            if (rc < 0) {
                diag(kb, f, e->line, "rule '%s': example does not match: %s", r->id, shown);
                fails++;
                continue;
            }
            if (r->path_re && e->path &&
                run(r->path_re, e->path, strlen(e->path), md) < 0) {
                diag(kb, f, e->line, "rule '%s': example-path does not match: %s", r->id, e->path);
                fails++;
                continue;
            }
            if (r->path_re) /* re-run the value match: the path match overwrote md */
                run(r->re, e->value, e->len, md);
            for (size_t k = 0; k < e->yields.n; k++) {
                const char *kv = e->yields.v[k];
                const char *eq = strchr(kv, '=');
                char name[64];
                snprintf(name, sizeof name, "%.*s", (int)(eq - kv), kv);
                PCRE2_UCHAR *got = NULL;
                PCRE2_SIZE gl;
                if (pcre2_substring_get_byname(md, (PCRE2_SPTR)name, &got, &gl) != 0) {
                    diag(kb, f, e->line, "rule '%s': example yields no '%s'", r->id, name);
                    fails++;
                    continue;
                }
                if (strlen(eq + 1) != gl || memcmp(got, eq + 1, gl) != 0) {
                    diag(kb, f, e->line, "rule '%s': %s is '%.*s', expected '%s'", r->id, name,
                         (int)gl, (const char *)got, eq + 1);
                    fails++;
                }
                pcre2_substring_free(got);
            }
        }
        for (size_t j = 0; j < r->n_nomatch; j++) {
            struct kb_example *e = &r->nomatch[j];
            bool hit = run(r->re, e->value, e->len, md) >= 0;
            if (hit && r->path_re && r->n_ex && r->ex[0].path)
                hit = run(r->path_re, r->ex[0].path, strlen(r->ex[0].path), md) >= 0;
            if (hit) {
                ex_text(e, shown, sizeof shown);
                diag(kb, f, e->line, "rule '%s': nomatch value matches: %s", r->id, shown);
                fails++;
            }
        }
        for (size_t a = 0; a < r->n_also; a++)
            for (size_t j = 0; j < r->also[a].n_ex && r->also[a].re; j++) {
                struct kb_example *e = &r->also[a].ex[j];
                if (run(r->also[a].re, e->value, e->len, md) < 0) {
                    ex_text(e, shown, sizeof shown);
                    diag(kb, f, e->line, "rule '%s': also-example does not match: %s", r->id,
                         shown);
                    fails++;
                }
            }
    }
    pcre2_match_data_free(md);
    return fails;
}
