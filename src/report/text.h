/* text.h: making untrusted text safe for a terminal. */
#ifndef UNMASK_TEXT_H
#define UNMASK_TEXT_H

#include <stddef.h>

/* Copies at most max_chars characters of UTF-8 s[0..n) to out (capacity cap, NUL-terminated),
 * replacing control characters with '?' and marking a cut with an ellipsis. Returns the number of
 * characters (display width, approximately) written. */
size_t text_clean(const char *s, size_t n, char *out, size_t cap, size_t max_chars);

#endif
