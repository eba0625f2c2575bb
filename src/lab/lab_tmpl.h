/* lab_tmpl.h: the template language of personality replies (docs/LAB.md, "Templates").
 *
 * Text is copied as is, except:
 *   $$                 a dollar sign
 *   ${NAME}            a variable: a personality `set` variable or a context value (ip, mac, cseq, ...)
 *   ${NAME:ARG}        a variable with an argument (mac:DASH, ...), as the lookup callback defines
 *   ${x:HEX}           raw bytes, e.g. ${x:fffb01} (telnet IAC WILL ECHO)
 *   ${crlf} ${cr} ${lf} ${tab} ${nul}
 *   ${date:FORMAT}     the current UTC time through strftime(3), e.g. ${date:%a, %d %b %Y %H:%M:%S GMT}
 *   ${date_lc:FORMAT}  the same in lower case (the GMT too: write it outside)
 *   ${rand:CN}         N fresh random characters of class C: d digits, x/X hex, a/A alphanumerics
 *   ${len}             the length of the reply's body (meant for Content-Length in a head)
 *   ${repeat:N:TEXT}   TEXT (C escapes \r \n \t \\ \xHH allowed) N times, N <= 16 MiB / len(TEXT)
 * Expansion is bounded by the output buffer's cap; the checker runs at load time so a typo in a
 * variable name is a load error, not a silent empty string on the wire. */
#ifndef UNMASK_LAB_TMPL_H
#define UNMASK_LAB_TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../core/sbuf.h"

struct lab_tmpl_env {
    /* Appends the value of NAME (with ARG, or arg == NULL) to out; returns false if NAME is unknown. */
    bool (*lookup)(void *ctx, const char *name, size_t name_len, const char *arg, size_t arg_len,
                   struct sbuf *out);
    void *ctx;
    uint64_t *rng;   /* state of ${rand:..}; never NULL */
    time_t now;      /* for ${date:..} */
    size_t body_len; /* for ${len} */
};

/* Appends the expansion of t[0..n) to out. Unknown variables expand to nothing (the checker reports them
 * at load time). */
void lab_tmpl_expand(const char *t, size_t n, const struct lab_tmpl_env *env, struct sbuf *out);

/* Checks syntax and names: known(ctx, name, len) tells whether a variable exists. Returns NULL if fine,
 * else a static message; *bad (may be NULL) receives the offending offset. */
const char *lab_tmpl_check(const char *t, size_t n, bool (*known)(void *, const char *, size_t),
                           void *ctx, size_t *bad);

/* Decodes C escapes (\r \n \t \0 \\ \xHH) of s[0..n) into out (capacity n). Returns the output length or
 * -1 on a malformed escape. */
long lab_unescape(const char *s, size_t n, char *out);

/* splitmix64: the lab's deterministic generator (seeded from --seed and the device index). */
uint64_t lab_rng_next(uint64_t *state);

#endif
