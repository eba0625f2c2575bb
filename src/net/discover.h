/* discover.h: multicast discovery on one local segment (--discover IFACE).
 *
 * Sends, once each (and once more halfway through the wait), the SADP inquiry to 239.255.255.250:37020,
 * DHIP DHDiscover.search to 239.255.255.251:37810, the WS-Discovery Probe to 239.255.255.250:3702 and
 * an SSDP M-SEARCH to 239.255.255.250:1900, out of IFACE only (IP_MULTICAST_IF, TTL 1: the packets
 * never leave the segment), and collects who answers during wait_ms. SADP replies may come to the
 * group port, so a socket bound to 37020 joins the group too. Only IPv4. The scan then probes the
 * hosts that answered like any other target. */
#ifndef UNMASK_DISCOVER_H
#define UNMASK_DISCOVER_H

#include <stddef.h>

#include "targets.h"

enum discover_proto { DISC_SADP = 0, DISC_DHIP, DISC_WSD, DISC_SSDP, DISC_N };

struct discover_hit {
    struct target_addr addr;
    unsigned protos; /* 1 << enum discover_proto for each protocol it answered */
};

/* Runs discovery on iface for wait_ms. Hits excluded by t (may be NULL) are dropped. Returns the
 * number of hosts (*hits is an array the caller frees), or UNMASK_EUSAGE for an unknown interface
 * or UNMASK_EIO for socket errors (err says which). */
int discover_run(const char *iface, unsigned wait_ms, const struct targets *t, struct discover_hit **hits,
                 char *err, size_t errlen);
const char *discover_proto_name(enum discover_proto p);

#endif
