/* test_net.c: the event loop's timers and sockets, the token bucket, and the neighbour-table parser
 * (src/net/loop.c, ratelimit.c, neigh.c). */
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../src/core/err.h"
#include "../../src/net/loop.h"
#include "../../src/net/neigh.h"
#include "../../src/net/ratelimit.h"
#include "../harness.h"

static int fired[8], n_fired;

static void on_timer(struct loop *l, struct loop_timer *t)
{
    (void)l;
    fired[n_fired++] = (int)(t->when % 1000);
}

struct tagged {
    struct loop_timer t;
    int id;
};

static void on_tagged(struct loop *l, struct loop_timer *t)
{
    (void)l;
    fired[n_fired++] = ((struct tagged *)t)->id;
}

TEST(timers_in_deadline_order)
{
    struct loop *l = loop_new();
    REQUIRE(l);
    struct tagged t[5] = { { .id = 0 }, { .id = 1 }, { .id = 2 }, { .id = 3 }, { .id = 4 } };
    static const int ms[5] = { 30, 10, 20, 5, 15 };
    n_fired = 0;
    for (int i = 0; i < 5; i++)
        loop_timer_start(l, &t[i].t, (uint64_t)ms[i], on_tagged);
    loop_timer_stop(l, &t[4].t); /* stopped: never fires */
    CHECK(!loop_timer_armed(&t[4].t));
    for (int turns = 0; turns < 100 && n_fired < 4; turns++)
        loop_run_once(l, 50);
    CHECK_EQ_INT(n_fired, 4);
    static const int order[4] = { 3, 1, 2, 0 };
    CHECK_EQ_MEM(fired, 4 * sizeof(int), order, sizeof order);
    loop_free(l);
    (void)on_timer;
}

static int io_events;
static void on_io(struct loop *l, struct loop_io *io, unsigned ev)
{
    char buf[16];
    CHECK(ev & LOOP_READ);
    CHECK_EQ_INT(read(io->fd, buf, sizeof buf), 3);
    io_events++;
    loop_io_stop(l, io);
}

TEST(sockets)
{
    struct loop *l = loop_new();
    int sv[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    struct loop_io io;
    CHECK_EQ_INT(loop_io_start(l, &io, sv[0], LOOP_READ, on_io), UNMASK_OK);
    CHECK_EQ_INT(write(sv[1], "abc", 3), 3);
    io_events = 0;
    for (int i = 0; i < 10 && !io_events; i++)
        loop_run_once(l, 100);
    CHECK_EQ_INT(io_events, 1);
    close(sv[0]);
    close(sv[1]);
    loop_free(l);
}

TEST(token_bucket)
{
    struct ratelimit r;
    ratelimit_init(&r, 1000, 0); /* burst: 10 ms worth */
    int got = 0;
    for (int i = 0; i < 100; i++)
        got += ratelimit_take(&r, 0);
    CHECK_EQ_INT(got, 10);
    CHECK(ratelimit_wait(&r) >= 1);
    got = 0;
    for (uint64_t ms = 1; ms <= 1000; ms++)
        while (ratelimit_take(&r, ms))
            got++;
    CHECK(got >= 990 && got <= 1010);
    ratelimit_init(&r, 0, 0); /* unlimited */
    for (int i = 0; i < 10000; i++)
        CHECK(ratelimit_take(&r, 0));
}

static int n_entries;
static struct neigh_entry last;
static void on_entry(void *ctx, const struct neigh_entry *e)
{
    (void)ctx;
    n_entries++;
    last = *e;
}

static size_t add_neigh(uint8_t *buf, size_t off, int family, const uint8_t *dst, size_t dlen,
                        const uint8_t *mac, uint16_t state)
{
    struct nlmsghdr h = { .nlmsg_type = RTM_NEWNEIGH };
    struct ndmsg nd = { .ndm_family = (uint8_t)family, .ndm_state = state };
    size_t body = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof nd);
    size_t a1 = RTA_SPACE(dlen), a2 = mac ? RTA_SPACE(6) : 0;
    h.nlmsg_len = (uint32_t)(body + a1 + a2);
    memcpy(buf + off, &h, sizeof h);
    memcpy(buf + off + NLMSG_HDRLEN, &nd, sizeof nd);
    struct rtattr ra = { .rta_len = (unsigned short)RTA_LENGTH(dlen), .rta_type = NDA_DST };
    memcpy(buf + off + body, &ra, sizeof ra);
    memcpy(buf + off + body + RTA_LENGTH(0), dst, dlen);
    if (mac) {
        ra = (struct rtattr){ .rta_len = (unsigned short)RTA_LENGTH(6), .rta_type = NDA_LLADDR };
        memcpy(buf + off + body + a1, &ra, sizeof ra);
        memcpy(buf + off + body + a1 + RTA_LENGTH(0), mac, 6);
    }
    return off + NLMSG_ALIGN(h.nlmsg_len);
}

TEST(neighbour_dump)
{
    uint8_t buf[1024] = { 0 };
    static const uint8_t v4[4] = { 10, 0, 0, 7 }, mac[6] = { 0x44, 0x19, 0xb6, 1, 2, 3 };
    size_t off = add_neigh(buf, 0, AF_INET, v4, 4, mac, NUD_REACHABLE);
    off = add_neigh(buf, off, AF_INET, v4, 4, mac, NUD_FAILED);  /* not usable */
    off = add_neigh(buf, off, AF_INET, v4, 4, NULL, NUD_STALE);  /* no MAC */
    struct nlmsghdr done = { .nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_DONE };
    memcpy(buf + off, &done, sizeof done);
    off += NLMSG_HDRLEN;
    n_entries = 0;
    CHECK_EQ_INT(neigh_parse(buf, off, on_entry, NULL), 1);
    CHECK_EQ_INT(n_entries, 1);
    CHECK_EQ_MEM(last.mac, 6, mac, 6);
    CHECK_EQ_MEM(last.addr.a, 4, v4, 4);
    for (size_t cut = 1; cut < off; cut++) /* never an over-read */
        neigh_parse(buf, cut, on_entry, NULL);
    struct nlmsghdr bad = { .nlmsg_len = 4000, .nlmsg_type = RTM_NEWNEIGH };
    memcpy(buf, &bad, sizeof bad);
    CHECK_EQ_INT(neigh_parse(buf, off, on_entry, NULL), UNMASK_EPARSE);
}

HARNESS_MAIN(T(timers_in_deadline_order), T(sockets), T(token_bucket), T(neighbour_dump))
