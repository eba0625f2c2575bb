/* jsonw.c: see jsonw.h. */
#include "jsonw.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* True for the bytes RFC 8259 requires escaped: controls, quote, backslash. */
static inline bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

/* The length of the longest prefix of s[0..n) that needs no escape: sixteen bytes at a time with
 * GCC's portable vector extensions (SSE2 on x86-64, NEON on arm64), then byte by byte. */
static size_t clean_prefix(const char *s, size_t n)
{
    typedef unsigned char v16 __attribute__((vector_size(16)));
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        v16 w;
        memcpy(&w, s + i, 16);
        v16 bad = (v16)((w < 0x20) | (w == '"') | (w == '\\'));
        uint64_t half[2];
        memcpy(half, &bad, 16);
        if (half[0] | half[1])
            break;
    }
    while (i < n && !needs_escape((unsigned char)s[i]))
        i++;
    return i;
}

void jw_str(struct sbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (!s) {
        sbuf_lit(b, "null");
        return;
    }
    size_t i = clean_prefix(s, n);
    if (i == n && n + 2 < b->alloc - b->len && n + 2 <= b->cap - b->len) {
        /* Nothing to escape and room for it: the common case, in one copy. */
        char *o = b->p + b->len;
        o[0] = '"';
        memcpy(o + 1, s, n);
        o[n + 1] = '"';
        o[n + 2] = '\0';
        b->len += n + 2;
        return;
    }
    sbuf_addc(b, '"');
    size_t run = 0; /* start of the pending run of bytes that need no escape */
    while (i < n) { /* s[i] needs an escape */
        unsigned char c = (unsigned char)s[i];
        sbuf_add(b, s + run, i - run);
        char esc[6] = { '\\', 0 };
        size_t el = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            el = 6;
        }
        sbuf_add(b, esc, el);
        run = ++i;
        i += clean_prefix(s + i, n - i);
    }
    sbuf_add(b, s + run, n - run);
    sbuf_addc(b, '"');
}

void jw_cstr(struct sbuf *b, const char *s) { jw_str(b, s, s ? strlen(s) : 0); }
