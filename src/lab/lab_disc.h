/* lab_disc.h: recognisers for the UDP discovery requests the lab answers, and the mDNS answer encoder.
 *
 * Each recogniser is pure: it decides whether a datagram is the request a real device answers and
 * returns views of the fields a reply echoes (SADP Uuid, WS-Discovery MessageID, SSDP ST). Anything else
 * gets no answer, as on a real device. */
#ifndef UNMASK_LAB_DISC_H
#define UNMASK_LAB_DISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lab_req.h"

#define LAB_DISC_MAX 8192 /* longest datagram looked at */

/* Hikvision SADP inquiry: <Probe>...<Types>inquiry</Types>... (protocols.md 1.1). *uuid is the <Uuid>
 * text (may be empty). */
bool lab_sadp_match(const uint8_t *d, size_t n, struct lab_span *uuid);
/* Dahua DHIP discovery: 32-byte header 20 00 00 00 "DHIP" and a DHDiscover.search body (2.1). */
bool lab_dhip_match(const uint8_t *d, size_t n);
/* WS-Discovery Probe (3.1): a SOAP envelope with a Probe body; *msgid is the MessageID text. */
bool lab_wsd_match(const uint8_t *d, size_t n, struct lab_span *msgid);
/* SSDP M-SEARCH with MAN "ssdp:discover" (UPnP Device Architecture 1.1, 1.3.2); *st is the ST value. */
bool lab_ssdp_match(const uint8_t *d, size_t n, struct lab_span *st);

/* What one device publishes over mDNS / DNS-SD (RFC 6762, RFC 6763), already expanded. */
struct lab_mdns_rec {
    const char *service;  /* "_CGI._tcp.local" */
    const char *instance; /* "HIKVISION DS-2CD2386G2-IU - 123456789" */
    const char *target;   /* host label, "DS-2CD2386G2-IU20240801AAWR123456789" (".local" added) */
    uint16_t port;
    const char *txt;      /* one TXT string or NULL */
    uint32_t ipv4;        /* host byte order */
};

/* Answers the questions of the query q[0..qn) that concern rec. legacy (the query came from a port
 * other than 5353: RFC 6762 6.7) echoes the id and the questions. Returns the answer length, 0 when no
 * question concerns the device, or -1 if the query is malformed. */
long lab_mdns_answer(const uint8_t *q, size_t qn, const struct lab_mdns_rec *rec, bool legacy,
                     uint8_t *out, size_t cap);

#endif
