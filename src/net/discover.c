/* discover.c: see discover.h. Request bytes come from the probe files (sadp.c, dhip.c, onvif.c's
 * WS-Discovery text through the probe's request function, ssdp.c), so discovery and the unicast
 * probes send exactly the same messages. */
#include "discover.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/xalloc.h"
#include "../proto/dhip.h"
#include "../proto/onvif.h"
#include "../proto/sadp.h"
#include "../proto/ssdp.h"

static const struct {
    const char *group;
    uint16_t port;
    const struct probe *probe;
} sends[DISC_N] = {
    [DISC_SADP] = { "239.255.255.250", 37020, &probe_sadp },
    [DISC_DHIP] = { "239.255.255.251", 37810, &probe_dhip },
    [DISC_WSD] = { "239.255.255.250", 3702, &probe_wsd },
    [DISC_SSDP] = { "239.255.255.250", 1900, &probe_ssdp },
};

const char *discover_proto_name(enum discover_proto p)
{
    static const char *const names[DISC_N] = { "sadp", "dhip", "ws-discovery", "ssdp" };
    return p < DISC_N ? names[p] : "?";
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int iface_addr(const char *iface, struct in_addr *out)
{
    struct ifaddrs *ifa, *i;
    if (getifaddrs(&ifa) < 0)
        return UNMASK_EIO;
    int rc = UNMASK_ENOENT;
    for (i = ifa; i; i = i->ifa_next)
        if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET && !strcmp(i->ifa_name, iface)) {
            *out = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
            rc = UNMASK_OK;
            break;
        }
    freeifaddrs(ifa);
    return rc;
}

static void add_hit(struct discover_hit **hits, size_t *n, size_t *cap, const struct in_addr *a,
                    enum discover_proto p)
{
    for (size_t i = 0; i < *n; i++)
        if (!memcmp((*hits)[i].addr.a, a, 4)) {
            (*hits)[i].protos |= 1u << p;
            return;
        }
    xgrow((void **)hits, cap, *n + 1, sizeof **hits);
    struct discover_hit *h = &(*hits)[(*n)++];
    memset(h, 0, sizeof *h);
    h->addr.family = AF_INET;
    memcpy(h->addr.a, a, 4);
    h->protos = 1u << p;
}

int discover_run(const char *iface, unsigned wait_ms, const struct targets *t, struct discover_hit **hits,
                 char *err, size_t errlen)
{
    *hits = NULL;
    unsigned idx = if_nametoindex(iface);
    struct in_addr local;
    if (!idx || iface_addr(iface, &local) < 0) {
        snprintf(err, errlen, "--discover: no interface '%s' with an IPv4 address", iface);
        return UNMASK_EUSAGE;
    }
    int fds[DISC_N + 1];
    for (int i = 0; i <= DISC_N; i++)
        fds[i] = -1;
    int rc = UNMASK_OK;
    /* One sending socket per protocol (replies come back to its port), plus the SADP group port. */
    for (int i = 0; i < DISC_N && rc == 0; i++) {
        fds[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        struct ip_mreqn mr = { .imr_ifindex = (int)idx };
        unsigned char ttl = 1, loop = 0;
        if (fds[i] < 0 || setsockopt(fds[i], IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr) < 0 ||
            setsockopt(fds[i], IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl) < 0 ||
            setsockopt(fds[i], IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop) < 0 ||
            setsockopt(fds[i], SOL_SOCKET, SO_BINDTODEVICE, iface, (socklen_t)strlen(iface)) < 0) {
            /* SO_BINDTODEVICE needs CAP_NET_RAW before Linux 5.7; without it the multicast
             * interface option alone keeps the packets on the segment. */
            if (fds[i] < 0 || errno != EPERM) {
                snprintf(err, errlen, "--discover: socket options on %s: %s", iface, strerror(errno));
                rc = UNMASK_EIO;
            }
        }
    }
    int g = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    fds[DISC_N] = g;
    if (rc == 0 && g >= 0) {
        int one = 1;
        setsockopt(g, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        setsockopt(g, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(37020) };
        struct ip_mreqn mr = { .imr_ifindex = (int)idx };
        inet_pton(AF_INET, "239.255.255.250", &mr.imr_multiaddr);
        if (bind(g, (struct sockaddr *)&sa, sizeof sa) < 0 ||
            setsockopt(g, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) {
            close(g); /* the group port is busy (another SADP tool): unicast replies still count */
            fds[DISC_N] = -1;
        }
    }
    size_t n = 0, cap = 0;
    if (rc == 0) {
        struct device dummy;
        obs_device_init(&dummy);
        struct probe_host ph = { .addr = "0.0.0.0", .dev = &dummy };
        uint64_t start = now_ms(), deadline = start + wait_ms;
        int rounds = 0;
        uint64_t next_send = start;
        while (now_ms() < deadline) {
            if (rounds < 2 && now_ms() >= next_send) {
                for (int i = 0; i < DISC_N; i++) {
                    uint8_t buf[4096];
                    struct probe_exchange x = { .port = sends[i].port };
                    x.state[0] = (uint32_t)rounds;
                    ph.addr = sends[i].group; /* SSDP's HOST header names the group */
                    int len = sends[i].probe->request(&ph, &x, buf, sizeof buf);
                    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(sends[i].port) };
                    inet_pton(AF_INET, sends[i].group, &to.sin_addr);
                    if (len > 0)
                        (void)!sendto(fds[i], buf, (size_t)len, 0, (struct sockaddr *)&to, sizeof to);
                }
                rounds++;
                next_send = start + wait_ms / 2;
            }
            struct pollfd pfd[DISC_N + 1];
            for (int i = 0; i <= DISC_N; i++)
                pfd[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
            uint64_t now = now_ms();
            uint64_t until = rounds < 2 && next_send < deadline ? next_send : deadline;
            int r = poll(pfd, DISC_N + 1, until > now ? (int)(until - now) : 0);
            if (r < 0 && errno != EINTR)
                break;
            for (int i = 0; i <= DISC_N && r > 0; i++) {
                if (!(pfd[i].revents & POLLIN))
                    continue;
                uint8_t buf[65536];
                struct sockaddr_in from;
                socklen_t fl = sizeof from;
                ssize_t got;
                while ((got = recvfrom(fds[i], buf, sizeof buf, 0, (struct sockaddr *)&from, &fl)) >= 0) {
                    fl = sizeof from;
                    if (from.sin_addr.s_addr == local.s_addr)
                        continue; /* our own multicast, looped back */
                    enum discover_proto p = i == DISC_N ? DISC_SADP : (enum discover_proto)i;
                    /* On the shared group port only SADP answers count, not other tools' probes. */
                    if (i == DISC_N && (got < 12 || !probe_memcasemem(buf, (size_t)got, "<ProbeMatch")))
                        continue;
                    struct target_addr a = { .family = AF_INET };
                    memcpy(a.a, &from.sin_addr, 4);
                    if (t && targets_excluded(t, &a))
                        continue;
                    add_hit(hits, &n, &cap, &from.sin_addr, p);
                }
            }
        }
        obs_device_deinit(&dummy);
    }
    for (int i = 0; i <= DISC_N; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    if (rc < 0) {
        free(*hits);
        *hits = NULL;
        return rc;
    }
    return (int)n;
}
