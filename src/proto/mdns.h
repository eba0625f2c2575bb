/* mdns.h: multicast DNS (RFC 6762) asked by unicast ("legacy unicast", RFC 6762 6.7): the host
 * answers to our port with the names of its services and itself. DNS messages per RFC 1035. */
#ifndef UNMASK_MDNS_H
#define UNMASK_MDNS_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define MDNS_MAX_NAME 256
#define MDNS_MAX_RECORDS 64

struct mdns_record {
    char name[MDNS_MAX_NAME];
    uint16_t type;
    char target[MDNS_MAX_NAME]; /* PTR and SRV targets; empty for other types */
    uint16_t port;              /* SRV */
};

struct mdns_msg {
    uint16_t id, flags;
    struct mdns_record rr[MDNS_MAX_RECORDS]; /* answers, authority and additional records */
    size_t n_rr, n_dropped;
};

/* Pure: parses a DNS message (names with compression; at most 32 jumps per name). Returns
 * UNMASK_OK or UNMASK_EPARSE. */
int mdns_parse(const uint8_t *buf, size_t len, struct mdns_msg *out);
/* Builds a query for PTR records of the given names into buf; returns its length. */
int mdns_build_query(uint8_t *buf, size_t cap, uint16_t id, const char *const *names, size_t n);

extern const struct probe probe_mdns;

#endif
