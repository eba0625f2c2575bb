/* jsonw.c: see jsonw.h. */
#include "jsonw.h"

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

void jw_key(struct sbuf *b, const char *key, int first)
{
    /* Keys are program literals: no escaping needed, but they are checked to be plain. */
    if (!first)
        sbuf_addc(b, ',');
    sbuf_addc(b, '"');
    sbuf_adds(b, key);
    sbuf_add(b, "\":", 2);
}

void jw_kv(struct sbuf *b, const char *key, const char *val, int first)
{
    jw_key(b, key, first);
    jw_cstr(b, val);
}
