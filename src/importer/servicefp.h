/* servicefp.h: decodes nmap's service fingerprint into the raw responses it records.
 *
 * When nmap cannot name a service it prints a fingerprint (the `servicefp` attribute of <service> in
 * -oX output; "SF-Port..." in the nmap-service-probes submission format):
 *
 *     SF-Port18080-TCP:V=7.93%I=7%D=11/27%Time=...%P=x86_64-pc-linux-gnu%r(GetRequest,A5,"HTTP/1\.1\x20200...");
 *
 * Each %r(PROBE,HEXLEN,"DATA") is what the port answered to one probe of nmap-service-probes, with
 * DATA escaped: \xHH, \0 \a \b \t \n \v \f \r, and a backslash before any other byte standing for
 * that byte ("\." is '.', "\\" is '\', "\"" is '"'). Pure: no I/O, no allocation. */
#ifndef UNMASK_SERVICEFP_H
#define UNMASK_SERVICEFP_H

#include <stddef.h>

#define SERVICEFP_MAX_PROBE 64

/* Decodes the next response of fp[0..n) from *pos on. On success returns 1, copies the probe name
 * (NUL-terminated, cut at SERVICEFP_MAX_PROBE - 1) to probe, the decoded bytes to out (capacity
 * cap; longer data is cut) with their count in *out_len, and advances *pos. Returns 0 when no
 * response is left, UNMASK_EPARSE for a malformed response (*pos is moved past it so that the
 * caller may go on). */
int servicefp_next(const char *fp, size_t n, size_t *pos, char probe[SERVICEFP_MAX_PROBE], char *out,
                   size_t cap, size_t *out_len);

/* Unescapes text that nmap escaped for output (\xHH, \r, \n, \t, \0, \\ and "\c" for c) from
 * s[0..n) into out (capacity at least n + 1; the result is never longer). Returns the length. */
size_t servicefp_unescape(const char *s, size_t n, char *out);

#endif
