/* targets.h: what a scan may touch: addresses, CIDR blocks, ranges and host names, minus exclusions,
 * visited in a random order (zmap's cyclic group) and optionally split into shards.
 *
 * Every address lives in one 128-bit space: IPv6 as is, IPv4 as ::ffff:a.b.c.d, so merging and
 * subtracting ranges is one algorithm for both families. After targets_finish() the list holds only
 * addresses that may receive packets: exclusions are subtracted before anything is counted or visited,
 * so an excluded address can never be produced by the iterator. */
#ifndef UNMASK_TARGETS_H
#define UNMASK_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The most addresses one scan holds: the whole IPv4 space. Larger IPv6 blocks are refused. */
#define TARGETS_MAX (UINT64_C(1) << 32)
/* The longest target line (-iL, --exclude-file). */
#define TARGETS_MAX_LINE 1024

struct target_addr {
    int family;    /* AF_INET or AF_INET6 */
    uint8_t a[16]; /* AF_INET: a[0..4), network order */
};

/* An inclusive range [lo, hi] in the 128-bit space, split into two 64-bit halves. */
struct target_range {
    uint64_t lo_hi, lo_lo, hi_hi, hi_lo;
};

struct targets;

struct targets *targets_new(void);
void targets_free(struct targets *t);

/* Pure: parses an address form without name resolution: "192.0.2.7", "192.0.2.0/24",
 * "192.0.2.1-192.0.2.9", "192.0.2.1-9" (last octet), "2001:db8::1", "2001:db8::/120",
 * "2001:db8::1-2001:db8::ff". Sets *out and *cidr (true for a CIDR block of at least 4 addresses,
 * whose first and last are the network and broadcast addresses). Returns UNMASK_OK or UNMASK_EPARSE. */
int targets_parse(const char *spec, struct target_range *out, bool *cidr);

/* Adds one spec to the targets (exclude false) or the exclusions (exclude true). A spec that is not
 * an address form is resolved as a host name when resolve is true (all its addresses). Multicast
 * addresses, 255.255.255.255 and a CIDR block's network and broadcast addresses are left out unless
 * allow_broadcast. On failure returns UNMASK_EUSAGE with a message in err. */
int targets_add(struct targets *t, const char *spec, bool exclude, bool resolve, bool allow_broadcast,
                char *err, size_t errlen);
/* Adds every whitespace-separated spec of a file ('#' starts a comment). name is used in errors
 * ("FILE:LINE: ..."). */
int targets_add_file(struct targets *t, FILE *f, const char *name, bool exclude, bool resolve,
                     bool allow_broadcast, char *err, size_t errlen);
/* Merges, subtracts the exclusions and counts. Returns UNMASK_OK or UNMASK_ELIMIT (more than
 * TARGETS_MAX addresses; err says so). No adds after this. */
int targets_finish(struct targets *t, char *err, size_t errlen);

/* Number of addresses that may be scanned (after targets_finish). */
uint64_t targets_count(const struct targets *t);
/* The index-th address in sorted order, 0 <= index < targets_count. */
void targets_get(const struct targets *t, uint64_t index, struct target_addr *out);
/* True if a is excluded (for addresses learned outside the target list, such as --discover). */
bool targets_excluded(const struct targets *t, const struct target_addr *a);
/* True if a is inside the (finished) target list. */
bool targets_contains(const struct targets *t, const struct target_addr *a);
/* Number of ranges after finishing, and each one (for --dry-run plans). */
size_t targets_n_ranges(const struct targets *t);
void targets_range(const struct targets *t, size_t i, struct target_addr *first, struct target_addr *last,
                   uint64_t *count);

/* Writes a as text (inet_ntop) into out, which holds at least 46 bytes. */
void target_addr_str(const struct target_addr *a, char *out, size_t cap);
/* Parses a literal address; returns UNMASK_OK or UNMASK_EPARSE. */
int target_addr_parse(const char *s, struct target_addr *out);

/* The random order: a walk through the multiplicative group of integers modulo a prime p > N, as
 * zmap does (zmap/lib cyclic.c): x <- x * g mod p from a random start, with g a random primitive
 * root, visits every x in 1..p-1 once; values above N are skipped. Shard i of n takes the walk's
 * elements i, i+n, i+2n, ...: shards are disjoint, together complete, and the same for the same
 * seed on every sensor. */
struct target_iter {
    const struct targets *t; /* borrowed */
    uint64_t n;              /* addresses in the list */
    uint64_t p;              /* the prime */
    uint64_t step;           /* g^n_shards mod p */
    uint64_t cur;            /* current group element */
    uint64_t left;           /* walk elements this shard still has to visit */
};

/* Starts an iterator for shard (0-based) of n_shards over t (finished). seed picks the generator
 * and the start. */
void targets_iter_init(struct target_iter *it, const struct targets *t, uint64_t seed, uint32_t shard,
                       uint32_t n_shards);
/* Produces the next address; false when this shard is done. */
bool targets_iter_next(struct target_iter *it, struct target_addr *out);
/* The number of addresses this shard will produce (walks the cycle's arithmetic, not the addresses). */
uint64_t targets_shard_count(uint64_t n, uint32_t shard, uint32_t n_shards, uint64_t seed);

#endif
