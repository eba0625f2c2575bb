/* jsonw.h: writing JSON text into a capped buffer (struct sbuf).
 *
 * Written by hand rather than with yajl_gen because the JSON Lines writer splices pre-rendered
 * fragments (each rule's static evidence members, each maker's lists) into every verdict, which a
 * generator's state machine does not allow; that halves the cost of a verdict line. Strings are
 * escaped per RFC 8259 section 7; the inputs are valid UTF-8 (obs_add repairs device data, kb_load
 * rejects files that are not UTF-8). tests/fuzz/fuzz_writers.c parses every output back with yajl. */
#ifndef UNMASK_JSONW_H
#define UNMASK_JSONW_H

#include <stddef.h>

#include "../core/sbuf.h"

/* Appends s[0..n) as a JSON string literal (with quotes). NULL appends null. */
void jw_str(struct sbuf *b, const char *s, size_t n);
/* Same for a NUL-terminated string (NULL appends null). */
void jw_cstr(struct sbuf *b, const char *s);
/* Appends ,"key": (the comma only when not first) followed by the string value. */
#define jw_kv(b, key, val, first) (jw_key((b), key, (first)), jw_cstr((b), (val)))
/* Appends ,"key": and nothing else: the caller writes the value. key must be a string literal of
 * letters, digits and '_' (it is not escaped; the "" concatenation refuses anything but a literal,
 * and its length is known at compile time). */
#define jw_key(b, key, first) jw_key_n((b), "\"" key "\":", sizeof("\"" key "\":") - 1, (first))
static inline void jw_key_n(struct sbuf *b, const char *quoted, size_t n, int first)
{
    if (!first)
        sbuf_addc(b, ',');
    sbuf_add(b, quoted, n);
}

#endif
