/* lab_tmpl.c: see lab_tmpl.h. A single left-to-right pass; no recursion, no allocation beyond the output
 * buffer, so a hostile or mistaken template costs at most the buffer's cap. */
#include "lab_tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/str.h"

#define REPEAT_MAX (16u << 20)

uint64_t lab_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

long lab_unescape(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            out[o++] = s[i];
            continue;
        }
        if (++i >= n)
            return -1;
        switch (s[i]) {
        case 'r': out[o++] = '\r'; break;
        case 'n': out[o++] = '\n'; break;
        case 't': out[o++] = '\t'; break;
        case '0': out[o++] = '\0'; break;
        case '\\': out[o++] = '\\'; break;
        case 'x': {
            if (i + 2 >= n)
                return -1;
            int hi = str_hexval((unsigned char)s[i + 1]), lo = str_hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            out[o++] = (char)(hi << 4 | lo);
            i += 2;
            break;
        }
        default: return -1;
        }
    }
    return (long)o;
}

/* One ${...} reference: name and optional argument, as offsets into the template. */
struct ref {
    const char *name;
    size_t name_len;
    const char *arg; /* NULL: none */
    size_t arg_len;
    size_t end;      /* offset just past the closing brace */
};

/* Parses the reference starting at t[i] == '$', t[i+1] == '{'. Returns false if unterminated or the name
 * is not [a-z0-9_]+. */
static bool parse_ref(const char *t, size_t n, size_t i, struct ref *r)
{
    size_t j = i + 2, k = j;
    while (k < n && ((t[k] >= 'a' && t[k] <= 'z') || (t[k] >= '0' && t[k] <= '9') || t[k] == '_'))
        k++;
    if (k == j || k >= n)
        return false;
    r->name = t + j;
    r->name_len = k - j;
    r->arg = NULL;
    r->arg_len = 0;
    if (t[k] == ':') {
        size_t a = k + 1, e = a;
        while (e < n && t[e] != '}')
            e++;
        if (e >= n)
            return false;
        r->arg = t + a;
        r->arg_len = e - a;
        k = e;
    }
    if (t[k] != '}')
        return false;
    r->end = k + 1;
    return true;
}

static bool is(const struct ref *r, const char *name)
{
    size_t l = strlen(name);
    return r->name_len == l && !memcmp(r->name, name, l);
}

static const char *const builtins[] = { "x", "crlf", "cr", "lf", "tab", "nul", "date", "date_lc",
                                        "rand", "len", "repeat" };

static bool is_builtin(const struct ref *r)
{
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        if (is(r, builtins[i]))
            return true;
    return false;
}

static bool parse_rand(const char *a, size_t n, char *cls, unsigned *count)
{
    if (n < 2 || a[0] == '\0' || !strchr("dxXaA", a[0]))
        return false;
    unsigned v = 0;
    for (size_t i = 1; i < n; i++) {
        if (a[i] < '0' || a[i] > '9' || v > 100000)
            return false;
        v = v * 10 + (unsigned)(a[i] - '0');
    }
    if (v == 0 || v > 4096)
        return false;
    *cls = a[0];
    *count = v;
    return true;
}

/* repeat:N:TEXT -> count and the TEXT span. */
static bool parse_repeat(const char *a, size_t n, unsigned long *count, const char **text,
                         size_t *text_len)
{
    size_t i = 0;
    unsigned long v = 0;
    while (i < n && a[i] >= '0' && a[i] <= '9') {
        v = v * 10 + (unsigned long)(a[i] - '0');
        if (v > REPEAT_MAX)
            return false;
        i++;
    }
    if (i == 0 || i >= n || a[i] != ':' || i + 1 >= n)
        return false;
    *count = v;
    *text = a + i + 1;
    *text_len = n - i - 1;
    return true;
}

static void expand_builtin(const struct ref *r, const struct lab_tmpl_env *env, struct sbuf *out)
{
    if (is(r, "crlf"))
        sbuf_add(out, "\r\n", 2);
    else if (is(r, "cr"))
        sbuf_addc(out, '\r');
    else if (is(r, "lf"))
        sbuf_addc(out, '\n');
    else if (is(r, "tab"))
        sbuf_addc(out, '\t');
    else if (is(r, "nul"))
        sbuf_add(out, "", 1);
    else if (is(r, "len"))
        sbuf_printf(out, "%zu", env->body_len);
    else if (is(r, "x")) {
        for (size_t i = 0; r->arg && i + 1 < r->arg_len; i += 2) {
            int hi = str_hexval((unsigned char)r->arg[i]), lo = str_hexval((unsigned char)r->arg[i + 1]);
            if (hi < 0 || lo < 0)
                break;
            sbuf_addc(out, (char)(hi << 4 | lo));
        }
    } else if (is(r, "date") || is(r, "date_lc")) {
        char fmt[128], buf[256];
        size_t fl = r->arg_len < sizeof fmt - 1 ? r->arg_len : sizeof fmt - 1;
        memcpy(fmt, r->arg ? r->arg : "", fl);
        fmt[fl] = '\0';
        struct tm tm;
        gmtime_r(&env->now, &tm);
        size_t l = strftime(buf, sizeof buf, fmt, &tm);
        if (r->name_len == 7) /* date_lc: some devices print names in lower case */
            for (size_t k = 0; k < l; k++)
                if (buf[k] >= 'A' && buf[k] <= 'Z')
                    buf[k] = (char)(buf[k] - 'A' + 'a');
        sbuf_add(out, buf, l);
    } else if (is(r, "rand")) {
        char cls;
        unsigned count;
        if (!r->arg || !parse_rand(r->arg, r->arg_len, &cls, &count))
            return;
        static const char digits[] = "0123456789", lhex[] = "0123456789abcdef",
                          uhex[] = "0123456789ABCDEF", lan[] = "0123456789abcdefghijklmnopqrstuvwxyz",
                          uan[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        const char *set = cls == 'd' ? digits : cls == 'x' ? lhex : cls == 'X' ? uhex
                        : cls == 'a' ? lan : uan;
        size_t m = strlen(set);
        for (unsigned i = 0; i < count; i++)
            sbuf_addc(out, set[lab_rng_next(env->rng) % m]);
    } else if (is(r, "repeat")) {
        unsigned long count;
        const char *text;
        size_t tl;
        if (!r->arg || !parse_repeat(r->arg, r->arg_len, &count, &text, &tl))
            return;
        char tmp[256];
        if (tl > sizeof tmp)
            return;
        long ul = lab_unescape(text, tl, tmp);
        if (ul <= 0)
            return;
        for (unsigned long i = 0; i < count && !out->truncated; i++)
            sbuf_add(out, tmp, (size_t)ul);
    }
}

void lab_tmpl_expand(const char *t, size_t n, const struct lab_tmpl_env *env, struct sbuf *out)
{
    size_t i = 0, lit = 0;
    while (i < n) {
        if (t[i] != '$' || i + 1 >= n || (t[i + 1] != '$' && t[i + 1] != '{')) {
            i++;
            continue;
        }
        sbuf_add(out, t + lit, i - lit);
        if (t[i + 1] == '$') {
            sbuf_addc(out, '$');
            i += 2;
            lit = i;
            continue;
        }
        struct ref r;
        if (!parse_ref(t, n, i, &r)) { /* the checker rejects this; copy it through */
            i += 2;
            lit = i - 2;
            continue;
        }
        if (is_builtin(&r))
            expand_builtin(&r, env, out);
        else if (env->lookup)
            env->lookup(env->ctx, r.name, r.name_len, r.arg, r.arg_len, out);
        i = r.end;
        lit = i;
        if (out->truncated)
            return;
    }
    sbuf_add(out, t + lit, n - lit);
}

const char *lab_tmpl_check(const char *t, size_t n, bool (*known)(void *, const char *, size_t),
                           void *ctx, size_t *bad)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (t[i] != '$')
            continue;
        if (t[i + 1] == '$') {
            i++;
            continue;
        }
        if (t[i + 1] != '{')
            continue;
        struct ref r;
        if (bad)
            *bad = i;
        if (!parse_ref(t, n, i, &r))
            return "malformed ${...} reference";
        if (is(&r, "rand")) {
            char c;
            unsigned k;
            if (!r.arg || !parse_rand(r.arg, r.arg_len, &c, &k))
                return "${rand:CN}: C is one of d x X a A, N is 1..4096";
        } else if (is(&r, "repeat")) {
            unsigned long c;
            const char *tx;
            size_t tl;
            char tmp[256];
            if (!r.arg || !parse_repeat(r.arg, r.arg_len, &c, &tx, &tl) || tl > sizeof tmp ||
                lab_unescape(tx, tl, tmp) <= 0)
                return "${repeat:N:TEXT}: N a count, TEXT 1..256 characters with valid escapes";
        } else if (is(&r, "x")) {
            if (!r.arg || r.arg_len % 2)
                return "${x:HEX}: an even number of hex digits";
            for (size_t k = 0; k < r.arg_len; k++)
                if (str_hexval((unsigned char)r.arg[k]) < 0)
                    return "${x:HEX}: an even number of hex digits";
        } else if (is(&r, "date") || is(&r, "date_lc")) {
            if (!r.arg || r.arg_len == 0 || r.arg_len > 120)
                return "${date:FORMAT}: a strftime format of 1..120 characters";
        } else if (!is_builtin(&r) && !known(ctx, r.name, r.name_len)) {
            return "unknown variable";
        }
        i = r.end - 1;
    }
    return NULL;
}
