/* lab.h: the device lab (`unmask lab`): N simulated devices on consecutive loopback addresses.
 *
 * lab_new assigns a personality to every address (reproducibly from the seed and the mix), derives each
 * device's variables and MAC address, and can write the ground truth. lab_serve binds one socket per
 * port (not per address), bound to the loopback device, answers as the device whose address the client
 * reached, and returns when SIGINT or SIGTERM arrives. docs/LAB.md is the user's documentation. */
#ifndef UNMASK_LAB_H
#define UNMASK_LAB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lab_dev.h"

#define LAB_MAX_HOSTS (1u << 20)

struct lab_opts {
    uint32_t base;        /* first address, host byte order */
    uint32_t n_hosts;
    uint64_t seed;
    const char *mix;      /* "NAME=W,NAME=W": weights replacing the personalities' own; NULL: theirs */
    const char *only;     /* --personality NAME[,NAME...]: only these, equal weights */
    bool all_ifaces;      /* serve on every interface (only inside a private network namespace) */
    const char *ready_file;
    const char *pidfile;
    int idle_ms;          /* close idle connections after this long (tarpits: 10x) */
};

struct lab;

/* Builds the lab. Returns 0, or UNMASK_EUSAGE with a message printed (bad mix, unknown personality,
 * range leaving 127.0.0.0/8 without all_ifaces). The set must outlive the lab. */
int lab_new(const struct lab_set *set, const struct lab_opts *o, struct lab **out);
void lab_free(struct lab *lab);
/* Writes the ground truth as JSON Lines (docs/LAB.md). Returns 0 or UNMASK_EIO. */
int lab_write_truth(const struct lab *lab, FILE *f);
/* Serves until SIGINT/SIGTERM. Prints "unmask lab: ready N devices A-B" on stdout once every socket is
 * bound. Returns 0 after a clean stop, or a negative code if a socket cannot be bound (message printed). */
int lab_serve(struct lab *lab);

#endif
