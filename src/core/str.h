/* str.h: small bounded string helpers shared by the parsers. */
#ifndef UNMASK_STR_H
#define UNMASK_STR_H

#include <stddef.h>

/* Copies s[0..n) into dst (capacity cap > 0), cut to cap - 1 bytes, and NUL-terminates it. Returns the
 * number of bytes copied. The cut may split a UTF-8 character: callers hand the result to obs_add,
 * which repairs it. */
size_t str_copy(char *dst, size_t cap, const char *s, size_t n);

#endif
