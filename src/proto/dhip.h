/* dhip.h: Dahua DHIP discovery, DHDiscover.search on UDP 37810 (protocols.md 2.1). */
#ifndef UNMASK_DHIP_H
#define UNMASK_DHIP_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define DHIP_HEADER 32
#define DHIP_MAX_FIELDS 48
#define DHIP_MAX_VALUE 256

struct dhip_field {
    char name[64]; /* snake_case: "serial_no", "ipv4_address" */
    char value[DHIP_MAX_VALUE];
};

struct dhip_reply {
    char method[64];
    char mac[DHIP_MAX_VALUE]; /* the top-level "mac" */
    struct dhip_field f[DHIP_MAX_FIELDS]; /* params.deviceInfo members */
    size_t n;
};

/* Pure: parses a DHIP datagram (32-byte header, "DHIP" magic, JSON body, NUL padding allowed).
 * Returns UNMASK_OK, UNMASK_EAGAIN (shorter than its header says) or UNMASK_EPARSE. */
int dhip_parse(const uint8_t *buf, size_t len, struct dhip_reply *out);
/* Builds the DHDiscover.search request; returns its length. */
int dhip_build_search(uint8_t *buf, size_t cap);

extern const struct probe probe_dhip;

#endif
