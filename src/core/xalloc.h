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
/* Grows *p (an array of *cap elements of size elem) so that it holds at least need elements. */
void xgrow(void **p, size_t *cap, size_t need, size_t elem);

#endif
