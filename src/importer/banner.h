/* banner.h: what a raw service response gives away, as observations (docs/OBSERVATIONS.md).
 *
 * Used for the responses recorded in nmap's service fingerprints and banner script. Only the first
 * bytes decide the protocol, never a guess from the port number:
 *
 *     "HTTP/1.x "  -> http.server, http.www_authenticate, http.location, http.set_cookie,
 *                     http.header (every header line), http.title (HTML <title>)
 *     "RTSP/1.0 "  -> rtsp.server, rtsp.www_authenticate, rtsp.header
 *     "SSH-"       -> ssh.banner (the identification line, RFC 4253 section 4.2)
 *     service ftp, or "220" -> ftp.banner
 *     service telnet, or IAC WILL/WONT/DO/DONT first -> telnet.banner (option negotiation, RFC 854
 *                     IAC sequences, removed)
 *
 * An observation already on the device (same name, value and port) is not added again. */
#ifndef UNMASK_BANNER_H
#define UNMASK_BANNER_H

#include <stddef.h>

#include "../obs/obs.h"

#define BANNER_MAX 65536 /* bytes of one response that are read */

/* Adds the observations of response buf[0..len) that port gave. service is nmap's service name
 * (may be NULL); path is the request path for HTTP ("/" for nmap's GetRequest; may be NULL).
 * Returns the number of observations added. */
size_t banner_observe(struct device *d, const char *buf, size_t len, int port, const char *service,
                      const char *path);
/* Adds one observation unless the device has it already (same name, value and port). */
void banner_add(struct device *d, const char *name, const char *v, size_t n, int port,
                const char *path);

#endif
