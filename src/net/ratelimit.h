/* ratelimit.h: a token bucket for the global send rate (--rate).
 *
 * One token is one new exchange: a connection attempt or a datagram. The bucket holds at most 10 ms
 * worth of tokens (at least one), so sends are spread evenly instead of leaving in bursts. */
#ifndef UNMASK_RATELIMIT_H
#define UNMASK_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
    double rate;   /* tokens per second; 0: unlimited */
    double tokens; /* private */
    double burst;  /* private */
    uint64_t last; /* private: ms of the last refill */
};

void ratelimit_init(struct ratelimit *r, unsigned per_second, uint64_t now_ms);
/* Takes one token if there is one. */
bool ratelimit_take(struct ratelimit *r, uint64_t now_ms);
/* Milliseconds until a token is available (at least 1 when none is). */
unsigned ratelimit_wait(const struct ratelimit *r);

#endif
