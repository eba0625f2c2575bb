/* sbuf.h: a growable text buffer for building output, with a hard cap.
 *
 * Writers build one record here and write it in one call. Appends past the cap are dropped and
 * remembered in `truncated`, so hostile data cannot grow a record without bound. */
#ifndef UNMASK_SBUF_H
#define UNMASK_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "str.h"

struct sbuf {
    char *p;        /* NUL-terminated contents */
    size_t len;
    size_t alloc;   /* private */
    size_t cap;     /* hard maximum of len */
    bool truncated; /* an append was cut at the cap */
};

void sbuf_init(struct sbuf *b, size_t cap);
void sbuf_deinit(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
/* The out-of-line part of sbuf_add: growth and the cap. */
void sbuf_add_slow(struct sbuf *b, const char *s, size_t n);

/* Appends s[0..n); past the cap the rest is dropped and `truncated` set. Inline: writers call it
 * for every small piece of a record. */
static inline void sbuf_add(struct sbuf *b, const char *s, size_t n)
{
    if (n < b->alloc - b->len && n <= b->cap - b->len) {
        memcpy(b->p + b->len, s, n);
        b->len += n;
        b->p[b->len] = '\0';
        return;
    }
    sbuf_add_slow(b, s, n);
}

static inline void sbuf_addc(struct sbuf *b, char c) { sbuf_add(b, &c, 1); }
void sbuf_adds(struct sbuf *b, const char *s);
/* Makes room for n more bytes and the NUL without changing the contents (for writers that fill the
 * space themselves, then advance len); the cap is the caller's to check. */
void sbuf_reserve(struct sbuf *b, size_t n);
/* Appends v in decimal, without printf (writers number every record). */
static inline void sbuf_addu(struct sbuf *b, unsigned long v)
{
    char num[STR_ULONG_MAX];
    sbuf_add(b, num, str_ulong(num, v));
}
/* Appends a string literal without measuring it. */
#define sbuf_lit(b, lit) sbuf_add((b), (lit), sizeof(lit) - 1)
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
