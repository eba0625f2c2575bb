/* str.c: see str.h. */
#include "str.h"

#include <string.h>

size_t str_copy(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return n;
}
