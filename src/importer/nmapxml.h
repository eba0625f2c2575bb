/* nmapxml.h: reads nmap's XML output (-oX, DTD nmap.dtd 1.05) into one device per <host>.
 *
 * Streaming (libxml2's xmlTextReader): memory holds one host, not the file. The parser runs with
 * network access off (XML_PARSE_NONET), without entity substitution (no XML_PARSE_NOENT), without
 * loading external DTDs and without XML_PARSE_HUGE (libxml2's default limits on names and text
 * stay on); a document that declares entities is refused outright, because nmap never writes one
 * and that is where entity bombs live. Input beyond NMAPXML_MAX_BYTES is refused.
 *
 * What becomes observations (docs/OBSERVATIONS.md; ports that are not open are skipped):
 *   <address addrtype="mac" vendor=...>  mac.address; nmap's vendor name as mac.org (path "nmap")
 *   <service>     nmap.service, nmap.product, nmap.version, nmap.extrainfo, nmap.devicetype,
 *                 nmap.cpe; the raw responses of `servicefp` through banner.h
 *   <script>      http-server-header -> http.server; http-title -> http.title; http-headers ->
 *                 http.header (+ http.server, ...); rtsp-methods -> rtsp.header "Public: ...";
 *                 ssl-cert -> tls.subject, tls.issuer; snmp-sysdescr -> snmp.sysdescr; upnp-info ->
 *                 upnp.server, upnp.manufacturer, upnp.model; banner -> through banner.h;
 *                 http-favicon -> http.favicon_md5
 * A malformed or truncated document is reported with its line; the hosts completed before the
 * problem have been delivered. */
#ifndef UNMASK_NMAPXML_H
#define UNMASK_NMAPXML_H

#include <stddef.h>

#include "../obs/obs.h"

#define NMAPXML_MAX_BYTES (1024L * 1024 * 1024) /* 1 GiB of XML */

struct nmap_host {
    long line;           /* line of the <host> element */
    const char *address; /* first IPv4 or IPv6 address, or NULL */
    const char *mac;     /* MAC address, or NULL */
    struct device *d;    /* its observations; id is the address (or "host-LINE") */
};

struct nmapxml_sink {
    /* One host; h and its device are valid until the callback returns. Return non-zero to stop. */
    int (*host)(void *ctx, const struct nmap_host *h);
    /* A problem at line (0: the whole input). */
    void (*problem)(void *ctx, long line, const char *msg);
    void *ctx;
};

/* Reads an nmap XML document from fd (not closed). Returns UNMASK_OK, UNMASK_EPARSE (malformed,
 * truncated, not nmap output or declaring entities; reported), UNMASK_ELIMIT (larger than
 * NMAPXML_MAX_BYTES; reported) or UNMASK_EIO. */
int nmapxml_read_fd(int fd, const struct nmapxml_sink *sink);
/* The same for a document in memory (tests and fuzzing). */
int nmapxml_read_buf(const char *buf, size_t len, const struct nmapxml_sink *sink);

#endif
