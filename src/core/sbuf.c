/* sbuf.c: see sbuf.h. */
#include "sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void sbuf_init(struct sbuf *b, size_t cap)
{
    b->alloc = 256;
    b->p = xmalloc(b->alloc);
    b->p[0] = '\0';
    b->len = 0;
    b->cap = cap;
    b->truncated = false;
}

void sbuf_deinit(struct sbuf *b)
{
    free(b->p);
    b->p = NULL;
}

void sbuf_reset(struct sbuf *b)
{
    b->len = 0;
    b->p[0] = '\0';
    b->truncated = false;
}

void sbuf_reserve(struct sbuf *b, size_t n)
{
    if (b->len + n + 1 > b->alloc) {
        size_t a = b->alloc;
        while (a < b->len + n + 1)
            a *= 2;
        b->p = xrealloc(b->p, a);
        b->alloc = a;
    }
}

void sbuf_add_slow(struct sbuf *b, const char *s, size_t n)
{
    if (n > b->cap - b->len) {
        n = b->cap - b->len;
        b->truncated = true;
    }
    sbuf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void sbuf_adds(struct sbuf *b, const char *s) { sbuf_add(b, s, strlen(s)); }

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        sbuf_add(b, tmp, (size_t)n);
        return;
    }
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sbuf_add(b, big, (size_t)n);
    free(big);
}
