/* utf8.h: UTF-8 validation and repair for bytes that came from outside. */
#ifndef UNMASK_UTF8_H
#define UNMASK_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True if s[0..n) is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, max U+10FFFF). */
bool utf8_valid(const char *s, size_t n);
/* Copies s[0..n) to out (capacity at least 3*n+1), replacing every ill-formed byte with U+FFFD.
 * Returns the output length; out is NUL-terminated. */
size_t utf8_repair(const char *s, size_t n, char *out);
/* Length of the longest prefix of s[0..n) that is at most max bytes and ends on a character boundary. */
size_t utf8_prefix(const char *s, size_t n, size_t max);

#endif
