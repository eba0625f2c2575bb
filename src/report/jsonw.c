/* jsonw.c: see jsonw.h. */
#include "jsonw.h"

#include <stdint.h>
#include <string.h>

void jw_str(struct sbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (!s) {
        sbuf_add(b, "null", 4);
        return;
    }
    /* 1 for the bytes RFC 8259 requires escaped: controls, quote, backslash. */
    static const unsigned char needs[256] = {
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        ['"'] = 1, ['\\'] = 1,
    };
    sbuf_addc(b, '"');
    size_t run = 0; /* start of the pending run of bytes that need no escape */
    for (size_t i = 0; i < n; i++) {
        /* Skip eight clean bytes at a time: a word has none of the special bytes when no byte is
         * below 0x20 and none equals '"' or '\\' (the classic "has zero byte" test, Hacker's Delight
         * 6-1, applied to w, w ^ '"'*k and w ^ '\\'*k). */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
            uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
            if (((w - ones * 0x20) & ~w & highs) || ((q - ones) & ~q & highs) ||
                ((bs - ones) & ~bs & highs))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (!needs[c])
            continue;
        sbuf_add(b, s + run, i - run);
        run = i + 1;
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
    }
    sbuf_add(b, s + run, n - run);
    sbuf_addc(b, '"');
}

void jw_cstr(struct sbuf *b, const char *s) { jw_str(b, s, s ? strlen(s) : 0); }

void jw_key_n(struct sbuf *b, const char *quoted, size_t n, int first)
{
    if (!first)
        sbuf_addc(b, ',');
    sbuf_add(b, quoted, n);
}
