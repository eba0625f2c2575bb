/* targets.c: target lists, exclusions and the random visiting order.
 *
 * Specs are parsed into inclusive ranges of a 128-bit space (IPv4 mapped as ::ffff:0:0/96). At
 * targets_finish() both lists are sorted and merged, the exclusions (the user's, plus multicast and
 * the limited broadcast unless allowed) are subtracted, and prefix sums are built so that the index-th
 * address is found by a binary search. Nothing is expanded: a /8 costs one range, not 16 million
 * entries.
 *
 * The order is zmap's (lib/cyclic.c): the multiplicative group modulo the smallest prime above the
 * address count is cyclic; a random primitive root g walks it from a random start, and each group
 * element x <= N names the address of index x-1. Sharding takes every n-th step of the same walk. */
#include "targets.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../core/err.h"
#include "../core/xalloc.h"

__extension__ typedef unsigned __int128 u128;

struct range {
    u128 lo, hi; /* inclusive */
};

struct rlist {
    struct range *v;
    size_t n, cap;
};

struct targets {
    struct rlist inc, exc;
    uint64_t *prefix; /* prefix[i]: addresses in ranges before i */
    uint64_t total;
    bool finished;
    bool allow_bcast; /* some add allowed multicast and broadcast targets */
};

static const u128 V4_BASE = (u128)0xffff << 32;

static u128 to_u128(const struct target_range *r, bool hi)
{
    return hi ? ((u128)r->hi_hi << 64 | r->hi_lo) : ((u128)r->lo_hi << 64 | r->lo_lo);
}

static void from_u128(struct target_range *r, u128 lo, u128 hi)
{
    r->lo_hi = (uint64_t)(lo >> 64);
    r->lo_lo = (uint64_t)lo;
    r->hi_hi = (uint64_t)(hi >> 64);
    r->hi_lo = (uint64_t)hi;
}

static u128 addr_to_u128(const struct target_addr *a)
{
    u128 v = 0;
    if (a->family == AF_INET)
        return V4_BASE | (u128)((uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 |
                                (uint32_t)a->a[2] << 8 | a->a[3]);
    for (int i = 0; i < 16; i++)
        v = v << 8 | a->a[i];
    return v;
}

static bool is_v4(u128 v)
{
    return (v >> 32) == 0xffff;
}

static void u128_to_addr(u128 v, struct target_addr *a)
{
    memset(a, 0, sizeof *a);
    if (is_v4(v)) {
        a->family = AF_INET;
        for (int i = 3; i >= 0; i--, v >>= 8)
            a->a[i] = (uint8_t)v;
        return;
    }
    a->family = AF_INET6;
    for (int i = 15; i >= 0; i--, v >>= 8)
        a->a[i] = (uint8_t)v;
}

void target_addr_str(const struct target_addr *a, char *out, size_t cap)
{
    if (!inet_ntop(a->family, a->a, out, (socklen_t)cap) && cap)
        out[0] = '\0';
}

int target_addr_parse(const char *s, struct target_addr *out)
{
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, s, out->a) == 1) {
        out->family = AF_INET;
        return UNMASK_OK;
    }
    if (inet_pton(AF_INET6, s, out->a) == 1) {
        out->family = AF_INET6;
        /* An IPv4-mapped literal is the IPv4 address. */
        static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
        if (!memcmp(out->a, mapped, 12)) {
            memmove(out->a, out->a + 12, 4);
            memset(out->a + 4, 0, 12);
            out->family = AF_INET;
        }
        return UNMASK_OK;
    }
    return UNMASK_EPARSE;
}

/* Parses a literal of at most 63 bytes from s[0..n). */
static int parse_addr_n(const char *s, size_t n, struct target_addr *a)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return UNMASK_EPARSE;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return target_addr_parse(buf, a);
}

static int parse_uint(const char *s, unsigned max, unsigned *out)
{
    unsigned v = 0;
    if (!*s)
        return UNMASK_EPARSE;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s))
            return UNMASK_EPARSE;
        v = v * 10 + (unsigned)(*s - '0');
        if (v > max)
            return UNMASK_EPARSE;
    }
    *out = v;
    return UNMASK_OK;
}

int targets_parse(const char *spec, struct target_range *out, bool *cidr)
{
    struct target_addr a, b;
    size_t n = strlen(spec);
    *cidr = false;
    const char *slash = strchr(spec, '/');
    const char *dash = strchr(spec, '-');
    if (slash && !dash) {
        unsigned bits;
        if (parse_addr_n(spec, (size_t)(slash - spec), &a) < 0)
            return UNMASK_EPARSE;
        unsigned width = a.family == AF_INET ? 32 : 128;
        if (parse_uint(slash + 1, width, &bits) < 0 || (slash[1] == '0' && slash[2]))
            return UNMASK_EPARSE;
        u128 v = addr_to_u128(&a);
        unsigned host = width - bits;
        u128 mask = host >= 128 ? ~(u128)0 : (((u128)1 << host) - 1);
        u128 lo = v & ~mask, hi = v | mask;
        if (a.family == AF_INET) {
            lo |= V4_BASE;
            hi = (hi & 0xffffffffu) | V4_BASE;
        }
        from_u128(out, lo, hi);
        *cidr = host >= 2;
        return UNMASK_OK;
    }
    if (dash && !slash) {
        if (parse_addr_n(spec, (size_t)(dash - spec), &a) < 0)
            return UNMASK_EPARSE;
        const char *r = dash + 1;
        unsigned last;
        if (a.family == AF_INET && strlen(r) <= 3 && parse_uint(r, 255, &last) == 0) {
            b = a;
            b.a[3] = (uint8_t)last;
        } else if (parse_addr_n(r, n - (size_t)(r - spec), &b) < 0 || b.family != a.family) {
            return UNMASK_EPARSE;
        }
        u128 lo = addr_to_u128(&a), hi = addr_to_u128(&b);
        if (hi < lo)
            return UNMASK_EPARSE;
        from_u128(out, lo, hi);
        return UNMASK_OK;
    }
    if (slash || dash || parse_addr_n(spec, n, &a) < 0)
        return UNMASK_EPARSE;
    u128 v = addr_to_u128(&a);
    from_u128(out, v, v);
    return UNMASK_OK;
}

struct targets *targets_new(void)
{
    return xcalloc(1, sizeof(struct targets));
}

void targets_free(struct targets *t)
{
    if (!t)
        return;
    free(t->inc.v);
    free(t->exc.v);
    free(t->prefix);
    free(t);
}

static void rlist_add(struct rlist *l, u128 lo, u128 hi)
{
    xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
    l->v[l->n++] = (struct range){ lo, hi };
}

static bool host_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 253)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.' && *s != '_')
            return false;
    return true;
}

int targets_add(struct targets *t, const char *spec, bool exclude, bool resolve, bool allow_broadcast,
                char *err, size_t errlen)
{
    struct rlist *l = exclude ? &t->exc : &t->inc;
    struct target_range r;
    if (allow_broadcast)
        t->allow_bcast = true;
    bool cidr;
    if (targets_parse(spec, &r, &cidr) == 0) {
        u128 lo = to_u128(&r, false), hi = to_u128(&r, true);
        /* A block's network and broadcast addresses are not hosts (IPv4 only: IPv6 has no
         * broadcast). Exclusions are kept whole. */
        if (cidr && !exclude && !allow_broadcast && is_v4(lo)) {
            lo++;
            hi--;
        }
        rlist_add(l, lo, hi);
        return UNMASK_OK;
    }
    if (!resolve || !host_name_ok(spec)) {
        snprintf(err, errlen, "'%s' is not an address, block (a.b.c.d/n), range (a-b) or host name",
                 spec);
        return UNMASK_EUSAGE;
    }
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res, *ai;
    int rc = getaddrinfo(spec, NULL, &hints, &res);
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", spec, gai_strerror(rc));
        return UNMASK_EUSAGE;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        struct target_addr a = { .family = ai->ai_family };
        if (ai->ai_family == AF_INET)
            memcpy(a.a, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
        else if (ai->ai_family == AF_INET6)
            memcpy(a.a, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
        else
            continue;
        u128 v = addr_to_u128(&a);
        rlist_add(l, v, v);
    }
    freeaddrinfo(res);
    return UNMASK_OK;
}

int targets_add_file(struct targets *t, FILE *f, const char *name, bool exclude, bool resolve,
                     bool allow_broadcast, char *err, size_t errlen)
{
    char line[TARGETS_MAX_LINE + 2];
    long lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            snprintf(err, errlen, "%s:%ld: line longer than %d bytes", name, lineno, TARGETS_MAX_LINE);
            return UNMASK_EUSAGE;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *save = NULL;
        for (char *tok = strtok_r(line, " \t\r\n,", &save); tok; tok = strtok_r(NULL, " \t\r\n,", &save)) {
            char msg[384];
            if (targets_add(t, tok, exclude, resolve, allow_broadcast, msg, sizeof msg) < 0) {
                snprintf(err, errlen, "%s:%ld: %s", name, lineno, msg);
                return UNMASK_EUSAGE;
            }
        }
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error", name);
        return UNMASK_EUSAGE;
    }
    return UNMASK_OK;
}

static int range_cmp(const void *a, const void *b)
{
    const struct range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void rlist_merge(struct rlist *l)
{
    if (l->n == 0)
        return;
    qsort(l->v, l->n, sizeof *l->v, range_cmp);
    size_t w = 0;
    for (size_t i = 1; i < l->n; i++) {
        struct range *cur = &l->v[w];
        if (l->v[i].lo <= cur->hi || (cur->hi != ~(u128)0 && l->v[i].lo == cur->hi + 1)) {
            if (l->v[i].hi > cur->hi)
                cur->hi = l->v[i].hi;
        } else {
            l->v[++w] = l->v[i];
        }
    }
    l->n = w + 1;
}

int targets_finish(struct targets *t, char *err, size_t errlen)
{
    if (!t->allow_bcast) {
        /* Never a group or the limited broadcast unless asked: 224.0.0.0/4, 255.255.255.255, ff00::/8. */
        rlist_add(&t->exc, V4_BASE | 0xe0000000u, V4_BASE | 0xefffffffu);
        rlist_add(&t->exc, V4_BASE | 0xffffffffu, V4_BASE | 0xffffffffu);
        rlist_add(&t->exc, (u128)0xff << 120, ~(u128)0);
    }
    rlist_merge(&t->inc);
    rlist_merge(&t->exc);
    /* Sweep: the included ranges minus the excluded ones. */
    struct rlist out = { 0 };
    size_t j = 0;
    for (size_t i = 0; i < t->inc.n; i++) {
        u128 lo = t->inc.v[i].lo, hi = t->inc.v[i].hi;
        bool alive = true;
        while (j < t->exc.n && t->exc.v[j].hi < lo)
            j++;
        for (size_t k = j; k < t->exc.n && t->exc.v[k].lo <= hi; k++) {
            const struct range *e = &t->exc.v[k];
            if (e->lo > lo)
                rlist_add(&out, lo, e->lo - 1);
            if (e->hi >= hi) {
                alive = false;
                break;
            }
            lo = e->hi + 1;
        }
        if (alive)
            rlist_add(&out, lo, hi);
    }
    free(t->inc.v);
    t->inc = out;
    t->prefix = xmalloc((t->inc.n + 1) * sizeof *t->prefix);
    u128 total = 0;
    for (size_t i = 0; i < t->inc.n; i++) {
        t->prefix[i] = (uint64_t)total;
        u128 span = t->inc.v[i].hi - t->inc.v[i].lo;
        if (span >= TARGETS_MAX || (total += span + 1) > TARGETS_MAX) {
            snprintf(err, errlen, "more than %llu addresses to scan; split the scan or narrow the blocks",
                     (unsigned long long)TARGETS_MAX);
            return UNMASK_ELIMIT;
        }
    }
    t->prefix[t->inc.n] = (uint64_t)total;
    t->total = (uint64_t)total;
    t->finished = true;
    return UNMASK_OK;
}

uint64_t targets_count(const struct targets *t)
{
    return t->total;
}

void targets_get(const struct targets *t, uint64_t index, struct target_addr *out)
{
    size_t lo = 0, hi = t->inc.n; /* find the last range whose prefix <= index */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->prefix[mid] <= index)
            lo = mid;
        else
            hi = mid;
    }
    u128_to_addr(t->inc.v[lo].lo + (index - t->prefix[lo]), out);
}

static bool rlist_has(const struct rlist *l, u128 v)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid].hi < v)
            lo = mid + 1;
        else if (l->v[mid].lo > v)
            hi = mid;
        else
            return true;
    }
    return false;
}

bool targets_excluded(const struct targets *t, const struct target_addr *a)
{
    return rlist_has(&t->exc, addr_to_u128(a));
}

bool targets_contains(const struct targets *t, const struct target_addr *a)
{
    return rlist_has(&t->inc, addr_to_u128(a));
}

size_t targets_n_ranges(const struct targets *t)
{
    return t->inc.n;
}

void targets_range(const struct targets *t, size_t i, struct target_addr *first, struct target_addr *last,
                   uint64_t *count)
{
    u128_to_addr(t->inc.v[i].lo, first);
    u128_to_addr(t->inc.v[i].hi, last);
    *count = t->prefix[i + 1] - t->prefix[i];
}

/* The cyclic group. */

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)((u128)a * b % m);
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
    uint64_t r = 1 % m;
    for (b %= m; e; e >>= 1, b = mulmod(b, b, m))
        if (e & 1)
            r = mulmod(r, b, m);
    return r;
}

/* Deterministic Miller-Rabin for 64-bit n (these bases suffice below 3.3e24). */
static bool is_prime(uint64_t n)
{
    static const uint64_t bases[] = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37 };
    if (n < 2)
        return false;
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++)
        if (n % bases[i] == 0)
            return n == bases[i];
    uint64_t d = n - 1;
    int s = 0;
    for (; !(d & 1); d >>= 1)
        s++;
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++) {
        uint64_t x = powmod(bases[i], d, n);
        if (x == 1 || x == n - 1)
            continue;
        bool composite = true;
        for (int r = 1; r < s && composite; r++) {
            x = mulmod(x, x, n);
            if (x == n - 1)
                composite = false;
        }
        if (composite)
            return false;
    }
    return true;
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* The prime, a random primitive root and a random start for n elements. */
static void cycle_params(uint64_t n, uint64_t seed, uint64_t *p, uint64_t *g, uint64_t *start)
{
    uint64_t q = n + 1;
    while (!is_prime(q))
        q++;
    *p = q;
    uint64_t rng = seed;
    if (q <= 3) {
        *g = q - 1;
        *start = 1;
        return;
    }
    /* The distinct prime factors of p-1 (trial division: p-1 <= 2^32 + a few). */
    uint64_t f[64], m = q - 1;
    size_t nf = 0;
    for (uint64_t d = 2; d * d <= m; d++)
        if (m % d == 0) {
            f[nf++] = d;
            while (m % d == 0)
                m /= d;
        }
    if (m > 1)
        f[nf++] = m;
    for (;;) {
        uint64_t cand = 2 + splitmix(&rng) % (q - 2);
        bool ok = true;
        for (size_t i = 0; i < nf && ok; i++)
            ok = powmod(cand, (q - 1) / f[i], q) != 1;
        if (ok) {
            *g = cand;
            break;
        }
    }
    *start = 1 + splitmix(&rng) % (q - 1);
}

static uint64_t shard_len(uint64_t cycle, uint32_t shard, uint32_t n_shards)
{
    return cycle > shard ? (cycle - shard - 1) / n_shards + 1 : 0;
}

void targets_iter_init(struct target_iter *it, const struct targets *t, uint64_t seed, uint32_t shard,
                       uint32_t n_shards)
{
    memset(it, 0, sizeof *it);
    it->t = t;
    it->n = t->total;
    if (it->n == 0 || n_shards == 0 || shard >= n_shards)
        return;
    uint64_t g, start;
    cycle_params(it->n, seed, &it->p, &g, &start);
    it->cur = mulmod(start, powmod(g, shard, it->p), it->p);
    it->step = powmod(g, n_shards, it->p);
    it->left = shard_len(it->p - 1, shard, n_shards);
}

bool targets_iter_next(struct target_iter *it, struct target_addr *out)
{
    while (it->left > 0) {
        uint64_t v = it->cur;
        it->cur = mulmod(it->cur, it->step, it->p);
        it->left--;
        if (v <= it->n) {
            targets_get(it->t, v - 1, out);
            return true;
        }
    }
    return false;
}

uint64_t targets_shard_count(uint64_t n, uint32_t shard, uint32_t n_shards, uint64_t seed)
{
    if (n == 0 || n_shards == 0 || shard >= n_shards)
        return 0;
    if (n_shards == 1)
        return n;
    uint64_t p, g, start;
    cycle_params(n, seed, &p, &g, &start);
    if (p > (UINT64_C(1) << 24)) /* too long to walk for a progress line: the expected share */
        return n / n_shards + (shard < n % n_shards);
    uint64_t cur = mulmod(start, powmod(g, shard, p), p), step = powmod(g, n_shards, p), c = 0;
    for (uint64_t left = shard_len(p - 1, shard, n_shards); left; left--) {
        c += cur <= n;
        cur = mulmod(cur, step, p);
    }
    return c;
}
