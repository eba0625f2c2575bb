/* xalloc.h: allocation that aborts on out-of-memory, as zmap, masscan and redis do for programs.
 * No NULL checks follow these calls. */
#ifndef UNMASK_XALLOC_H
#define UNMASK_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* The out-of-line part of xgrow: the reallocation. */
void xgrow_slow(void **p, size_t *cap, size_t need, size_t elem);
/* Grows *p (an array of *cap elements of size elem) so that it holds at least need elements. Inline:
 * hot loops call it for every element they append. */
static inline void xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need > *cap)
        xgrow_slow(p, cap, need, elem);
}

#endif
