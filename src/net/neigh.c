/* neigh.c: the neighbour table over rtnetlink (rtnetlink(7), RTM_GETNEIGH with NLM_F_DUMP).
 *
 * Why not /proc/net/arp: it has no IPv6 entries; one netlink dump answers for both families. */
#include "neigh.h"

#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/xalloc.h"

struct neigh_cache {
    struct neigh_entry *v;
    size_t n, cap;
    uint64_t loaded; /* ms; 0 never */
};

struct neigh_cache *neigh_new(void)
{
    return xcalloc(1, sizeof(struct neigh_cache));
}

void neigh_free(struct neigh_cache *c)
{
    if (!c)
        return;
    free(c->v);
    free(c);
}

int neigh_parse(const uint8_t *buf, size_t len, void (*add)(void *ctx, const struct neigh_entry *e),
                void *ctx)
{
    size_t off = 0;
    while (len - off >= sizeof(struct nlmsghdr)) {
        struct nlmsghdr h;
        memcpy(&h, buf + off, sizeof h);
        if (h.nlmsg_len < sizeof h || h.nlmsg_len > len - off)
            return UNMASK_EPARSE;
        if (h.nlmsg_type == NLMSG_DONE)
            return 1;
        if (h.nlmsg_type == NLMSG_ERROR)
            return UNMASK_EPARSE;
        size_t body = off + NLMSG_HDRLEN, end = off + h.nlmsg_len;
        if (h.nlmsg_type == RTM_NEWNEIGH && end - body >= sizeof(struct ndmsg)) {
            struct ndmsg nd;
            memcpy(&nd, buf + body, sizeof nd);
            struct neigh_entry e = { .addr.family = 0 };
            bool have_mac = false;
            size_t a = body + NLMSG_ALIGN(sizeof nd);
            while (a + sizeof(struct rtattr) <= end) {
                struct rtattr ra;
                memcpy(&ra, buf + a, sizeof ra);
                if (ra.rta_len < sizeof ra || ra.rta_len > end - a)
                    break;
                const uint8_t *p = buf + a + RTA_LENGTH(0);
                size_t plen = ra.rta_len - RTA_LENGTH(0);
                if (ra.rta_type == NDA_DST && nd.ndm_family == AF_INET && plen == 4) {
                    e.addr.family = AF_INET;
                    memcpy(e.addr.a, p, 4);
                } else if (ra.rta_type == NDA_DST && nd.ndm_family == AF_INET6 && plen == 16) {
                    e.addr.family = AF_INET6;
                    memcpy(e.addr.a, p, 16);
                } else if (ra.rta_type == NDA_LLADDR && plen == 6) {
                    memcpy(e.mac, p, 6);
                    have_mac = true;
                }
                a += RTA_ALIGN(ra.rta_len);
            }
            bool usable = !(nd.ndm_state & (NUD_INCOMPLETE | NUD_FAILED | NUD_NOARP));
            if (e.addr.family && have_mac && usable)
                add(ctx, &e);
        }
        off += NLMSG_ALIGN(h.nlmsg_len);
        if (off > len)
            break;
    }
    return 0;
}

static void cache_add(void *ctx, const struct neigh_entry *e)
{
    struct neigh_cache *c = ctx;
    if (c->n >= NEIGH_MAX)
        return;
    xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v);
    c->v[c->n++] = *e;
}

static int entry_cmp(const void *a, const void *b)
{
    return memcmp(&((const struct neigh_entry *)a)->addr, &((const struct neigh_entry *)b)->addr,
                  sizeof(struct target_addr));
}

static void reload(struct neigh_cache *c)
{
    c->n = 0;
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0)
        return;
    struct {
        struct nlmsghdr h;
        struct ndmsg nd;
    } req = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ndmsg)), .nlmsg_type = RTM_GETNEIGH,
                     .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
              .nd = { .ndm_family = AF_UNSPEC } };
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
    if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(fd);
        return;
    }
    static uint8_t buf[32768];
    struct timeval tv = { .tv_sec = 1 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    for (int parts = 0; parts < 4096; parts++) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0 || neigh_parse(buf, (size_t)n, cache_add, c) != 0)
            break;
    }
    close(fd);
    if (c->n)
        qsort(c->v, c->n, sizeof *c->v, entry_cmp);
}

int neigh_lookup(struct neigh_cache *c, const struct target_addr *a, uint64_t now_ms,
                 unsigned max_age_ms, char *mac)
{
    if (!c->loaded || now_ms - c->loaded >= max_age_ms) {
        reload(c);
        c->loaded = now_ms ? now_ms : 1;
    }
    struct neigh_entry key = { .addr.family = a->family };
    memcpy(key.addr.a, a->a, a->family == AF_INET ? 4 : 16);
    const struct neigh_entry *e = c->n ? bsearch(&key, c->v, c->n, sizeof *c->v, entry_cmp) : NULL;
    if (!e)
        return 0;
    snprintf(mac, 18, "%02x:%02x:%02x:%02x:%02x:%02x", e->mac[0], e->mac[1], e->mac[2], e->mac[3],
             e->mac[4], e->mac[5]);
    return 1;
}
