/* scanner.h: the scan engine: hosts in a random order, probes on their ports, politely and fast.
 *
 * One thread, one event loop (loop.h). Hosts come from a target iterator (or are added, for
 * --discover); each host gets one job per port, and each job runs the probes of that port in registry
 * order (proto.h), one exchange at a time. Four limits shape the traffic:
 *   - rate: new exchanges (connection attempts and datagrams) per second over the whole scan;
 *   - max_conns: TCP sockets open at once (UDP shares one socket per family: a pending datagram
 *     costs a timer, not a descriptor);
 *   - host_conns: TCP connections open at once to one host (politeness: cameras are fragile);
 *   - max_hosts: hosts in flight, which bounds memory (each host owns its observations).
 * Every exchange has a deadline; a connect that times out and a datagram that gets no answer are
 * tried again (retries); a connection reset before the device said anything ends the port and gets
 * the host a growing pause (backoff); a port that refuses is closed for all its probes. Replies are
 * capped per probe.
 *
 * When a host's jobs are all done, its MAC address is looked up in the kernel's neighbour table
 * (on-link hosts only) and the host is handed to on_host; the scanner never judges. */
#ifndef UNMASK_SCANNER_H
#define UNMASK_SCANNER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../obs/obs.h"
#include "../proto/proto.h"
#include "loop.h"
#include "targets.h"

#define SCAN_MAX_PORTS 64 /* ports per transport */

struct scan_opts {
    uint16_t tcp_ports[SCAN_MAX_PORTS];
    size_t n_tcp;
    uint16_t udp_ports[SCAN_MAX_PORTS];
    size_t n_udp;
    unsigned rate;        /* exchanges per second; 0: unlimited */
    unsigned max_conns;   /* TCP sockets at once */
    unsigned max_hosts;   /* hosts in flight */
    unsigned host_conns;  /* TCP connections at once per host */
    unsigned timeout_ms;  /* connect deadline, and the deadline of each reply */
    unsigned retries;     /* extra tries after a timeout or a reset */
    const char *community;            /* SNMP community */
    const struct probe *const *probes; /* NULL-terminated list to use (default: the registry) */
};

struct scan_port {
    uint16_t port;
    bool udp;
    const char *service; /* a probe's service name, or "unknown" for an open port nothing spoke on */
};

/* What the scanner hands over for each host that answered anything. Valid during the callback. */
struct scan_result {
    const char *address;     /* text */
    const struct target_addr *addr;
    struct device *dev;      /* observations; the callback may judge (and extend) it */
    const char *mac;         /* "aa:bb:cc:dd:ee:ff" from the neighbour table, or NULL */
    const struct scan_port *ports;
    size_t n_ports;
    bool interrupted;        /* the scan was stopped while this host was in flight */
};

struct scan_stats {
    uint64_t hosts_done;      /* hosts finished (answered or not) */
    uint64_t hosts_found;     /* hosts that answered something */
    uint64_t hosts_admitted;
    uint64_t exchanges;       /* connection attempts and datagrams sent */
    uint64_t timeouts, resets, refused;
    size_t conns_open, hosts_active; /* TCP sockets open now, hosts in flight now */
};

typedef void scan_host_fn(void *ctx, const struct scan_result *r);
typedef void scan_tick_fn(void *ctx, const struct scan_stats *s);

struct scanner;

/* Fills defaults: the lab's TCP and UDP ports, rate 2000, 1024 sockets, 1024 hosts, 2 connections
 * per host, 2000 ms, 1 retry, community "public". */
void scan_opts_default(struct scan_opts *o);

/* Creates a scanner on loop l. it may be NULL (hosts only through scanner_add_host). Both are
 * borrowed. on_host is called once per answering host; tick about every 250 ms (may be NULL). */
struct scanner *scanner_new(struct loop *l, const struct scan_opts *o, struct target_iter *it,
                            scan_host_fn *on_host, scan_tick_fn *tick, void *ctx);
void scanner_free(struct scanner *s);
/* Queues one more host (copied), scanned before the iterator's next ones. */
void scanner_add_host(struct scanner *s, const struct target_addr *a);
/* Runs until every host is done, or *stop becomes non-zero: then open exchanges are abandoned and
 * the hosts in flight are handed over with what they gave so far (interrupted). Returns UNMASK_OK,
 * or UNMASK_EIO if the event loop failed. */
int scanner_run(struct scanner *s, volatile sig_atomic_t *stop);
void scanner_stats(const struct scanner *s, struct scan_stats *out);

#endif
