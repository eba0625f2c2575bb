/* neigh.h: MAC addresses of on-link hosts from the kernel's neighbour table (ARP and NDP).
 *
 * The table is read over rtnetlink (RTM_GETNEIGH dump, both families) and cached; a lookup re-reads
 * it when the cache is older than max_age_ms, so the entries that the probes themselves caused are
 * seen. Hosts behind a router have no entry: their MAC is unknowable from here. */
#ifndef UNMASK_NEIGH_H
#define UNMASK_NEIGH_H

#include <stddef.h>
#include <stdint.h>

#include "targets.h"

#define NEIGH_MAX 65536 /* entries kept from one dump */

struct neigh_entry {
    struct target_addr addr;
    uint8_t mac[6];
};

struct neigh_cache;

struct neigh_cache *neigh_new(void);
void neigh_free(struct neigh_cache *c);
/* Looks a up; on a hit writes "aa:bb:cc:dd:ee:ff" into mac (at least 18 bytes) and returns 1;
 * returns 0 when unknown. now_ms is the caller's clock. */
int neigh_lookup(struct neigh_cache *c, const struct target_addr *a, uint64_t now_ms,
                 unsigned max_age_ms, char *mac);

/* Pure: parses one buffer of rtnetlink messages (a part of an RTM_GETNEIGH dump), calling add for
 * every entry with a 6-byte link-layer address in a usable state. Returns 1 when the dump's
 * NLMSG_DONE was seen, 0 when more parts follow, UNMASK_EPARSE for a malformed buffer. */
int neigh_parse(const uint8_t *buf, size_t len, void (*add)(void *ctx, const struct neigh_entry *e),
                void *ctx);

#endif
