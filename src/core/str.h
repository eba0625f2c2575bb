/* str.h: small bounded string helpers shared by the parsers. */
#ifndef UNMASK_STR_H
#define UNMASK_STR_H

#include <stddef.h>
#include <string.h>

/* Copies s[0..n) into dst (capacity cap > 0), cut to cap - 1 bytes, and NUL-terminates it. Returns the
 * number of bytes copied. The cut may split a UTF-8 character: callers hand the result to obs_add,
 * which repairs it. */
size_t str_copy(char *dst, size_t cap, const char *s, size_t n);

/* The value of the hexadecimal digit c (either case), or -1: locale-free, unlike isxdigit. */
static inline int str_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Room str_ulong needs: the digits of the largest unsigned long and a NUL. */
#define STR_ULONG_MAX 21
/* Writes v in decimal and a NUL into out, without printf (writers number every record). Returns the
 * number of digits. */
static inline size_t str_ulong(char out[STR_ULONG_MAX], unsigned long v)
{
    char num[STR_ULONG_MAX];
    size_t i = sizeof num;
    do
        num[--i] = (char)('0' + v % 10);
    while ((v /= 10) && i);
    size_t n = sizeof num - i;
    memcpy(out, num + i, n);
    out[n] = '\0';
    return n;
}

#endif
