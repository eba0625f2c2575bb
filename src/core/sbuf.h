/* sbuf.h: a growable text buffer for building output, with a hard cap.
 *
 * Writers build one record here and write it in one call. Appends past the cap are dropped and
 * remembered in `truncated`, so hostile data cannot grow a record without bound. */
#ifndef UNMASK_SBUF_H
#define UNMASK_SBUF_H

#include <stdbool.h>
#include <stddef.h>

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
void sbuf_add(struct sbuf *b, const char *s, size_t n);
void sbuf_adds(struct sbuf *b, const char *s);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
