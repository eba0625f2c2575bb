/* jsonw.c: see jsonw.h. */
#include "jsonw.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* True for the bytes RFC 8259 requires escaped: controls, quote, backslash. */
static inline bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

typedef unsigned char v16 __attribute__((vector_size(16)));

/* True if one of the 16 bytes of w needs an escape: GCC's portable vector extensions (SSE2 on
 * x86-64, NEON on arm64). */
static inline bool bad16(v16 w)
{
    v16 bad = (v16)((w < 0x20) | (w == '"') | (w == '\\'));
    uint64_t half[2];
    memcpy(half, &bad, 16);
    return (half[0] | half[1]) != 0;
}

/* The same for the 8 bytes of w: a byte is below 0x20, or equals '"' or '\\', when the classic
 * "has zero byte" test (Hacker's Delight 6-1) fires on w, w ^ '"'*k or w ^ '\\'*k. */
static inline bool bad8(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
    return (((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((bs - ones) & ~bs)) & highs;
}

/* Copies s[0..n) to o (room for n bytes) if no byte of it needs an escape, and says so; otherwise
 * returns false with o partly written. Checks and copies in blocks, the last block overlapping the
 * one before, so that no byte is read outside s and clean strings of 8 bytes or more never reach
 * the byte loop. */
static bool copy_clean(char *o, const char *s, size_t n)
{
    if (n >= 16) {
        v16 w;
        size_t i = 0;
        for (; i + 16 <= n; i += 16) {
            memcpy(&w, s + i, 16);
            if (bad16(w))
                return false;
            memcpy(o + i, &w, 16);
        }
        if (i < n) {
            memcpy(&w, s + n - 16, 16);
            if (bad16(w))
                return false;
            memcpy(o + n - 16, &w, 16);
        }
        return true;
    }
    if (n >= 8) {
        uint64_t a, z;
        memcpy(&a, s, 8);
        memcpy(&z, s + n - 8, 8);
        if (bad8(a) || bad8(z))
            return false;
        memcpy(o, &a, 8);
        memcpy(o + n - 8, &z, 8);
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        if (needs_escape((unsigned char)s[i]))
            return false;
        o[i] = s[i];
    }
    return true;
}

/* The length of the longest prefix of s[0..n) that needs no escape (the slow path's scan). */
static size_t clean_prefix(const char *s, size_t n)
{
    size_t i = 0;
    while (i + 16 <= n) {
        v16 w;
        memcpy(&w, s + i, 16);
        if (bad16(w))
            break;
        i += 16;
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
    if (n + 2 < b->alloc - b->len && n + 2 <= b->cap - b->len) {
        /* Room for it unescaped: the common case, nothing to escape, takes one pass. */
        char *o = b->p + b->len;
        if (copy_clean(o + 1, s, n)) {
            o[0] = '"';
            o[n + 1] = '"';
            o[n + 2] = '\0';
            b->len += n + 2;
            return;
        }
        o[0] = '\0'; /* undo the partial copy */
    }
    sbuf_addc(b, '"');
    size_t run = 0; /* start of the pending run of bytes that need no escape */
    size_t i = clean_prefix(s, n);
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
