/* ratelimit.c: see ratelimit.h. */
#include "ratelimit.h"

void ratelimit_init(struct ratelimit *r, unsigned per_second, uint64_t now_ms)
{
    r->rate = per_second;
    r->burst = per_second / 100.0 < 1.0 ? 1.0 : per_second / 100.0;
    r->tokens = r->burst;
    r->last = now_ms;
}

bool ratelimit_take(struct ratelimit *r, uint64_t now_ms)
{
    if (r->rate <= 0)
        return true;
    if (now_ms > r->last) {
        r->tokens += (double)(now_ms - r->last) * r->rate / 1000.0;
        if (r->tokens > r->burst)
            r->tokens = r->burst;
        r->last = now_ms;
    }
    if (r->tokens < 1.0)
        return false;
    r->tokens -= 1.0;
    return true;
}

unsigned ratelimit_wait(const struct ratelimit *r)
{
    if (r->rate <= 0 || r->tokens >= 1.0)
        return 0;
    double ms = (1.0 - r->tokens) * 1000.0 / r->rate;
    return ms < 1.0 ? 1u : (unsigned)(ms + 0.999);
}
