/* scanner.c: the scan engine; see scanner.h for the shape and the limits.
 *
 * Life of a host: admitted from the target iterator (while fewer than max_hosts are in flight), it
 * gets one job per port: UDP jobs first (they wait on silence, so they should start early), then TCP.
 * A host sits in the run queue while one of its jobs may start (UDP jobs always; TCP jobs while the
 * host has fewer than host_conns connections and no backoff pause). dispatch() takes hosts from the
 * queue round-robin, one exchange each, while the token bucket and the socket budget allow, so no
 * host gets a burst and no subnet is hammered (the iterator already spreads hosts at random).
 *
 * Life of an exchange (struct conn): connect (TCP) or one datagram through the shared UDP socket of
 * the family (replies matched by source address and port), TLS handshake (PROBE_TLS), send the probe's
 * request, read until the probe's frame() says the reply is complete, the peer closes, the reply
 * reaches the probe's cap, the probe's idle time passes, or the deadline. Then observe() decides: done
 * on this port (the next probe of the port runs), another step on a new connection, or another step
 * on the same one. Handles are freed only between turns of the loop, and finished hosts are handed
 * over between turns too, so no callback ever sees freed memory. */
#include "scanner.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/xalloc.h"
#include "../proto/tls.h"
#include "neigh.h"
#include "ratelimit.h"

#define JOB_MAX_PROBES 8
#define RX_INITIAL 2048
#define TX_CAP 4096
#define UDP_BUCKETS 65536 /* pending datagram exchanges, by (address, port) */
#define UDP_BATCH 256      /* datagrams read per wake-up */
#define BACKOFF_FIRST_MS 20
#define BACKOFF_MAX_MS 1000

enum job_state { J_WAIT, J_RUN, J_DONE };

struct job {
    uint16_t port;
    bool udp;
    bool open;            /* connected (TCP) or answered (UDP) */
    uint8_t n_probes, cur; /* probes of this port, and the one running */
    uint8_t tries;        /* tries of the current step */
    enum job_state state;
    const char *service;
    const struct probe *probes[JOB_MAX_PROBES];
    struct probe_exchange x;
};

struct host {
    struct scanner *s;
    struct host *next_run;     /* run queue */
    struct host *prev, *next;  /* hosts in flight */
    struct host *next_done;    /* finished, to hand over between turns */
    struct target_addr addr;
    char text[48];
    struct probe_host ph;
    struct device dev;
    struct job *jobs;
    size_t n_jobs;
    size_t n_followups; /* of ph.followups already turned into jobs */
    unsigned running, tcp_running;
    unsigned backoff_ms;
    uint64_t not_before;
    struct loop_timer wake;
    bool in_runq, done;
};

enum conn_state { C_CONNECT, C_HANDSHAKE, C_SEND, C_READ };

struct conn {
    struct loop_io io;
    struct loop_timer timer;
    struct scanner *s;
    struct host *h;
    struct job *j;
    const struct probe *p; /* NULL: connect only (a port no probe claims) */
    SSL *ssl;
    enum conn_state st;
    bool got_data;
    uint64_t deadline, last_data, read_start;
    uint64_t started; /* ms: the exchange began (for -v -v -v) */
    struct conn *prev, *next; /* open connections */
    struct conn *next_free;   /* graveyard */
    struct conn *next_hash;   /* UDP: pending exchanges by (address, port) */
    uint8_t *rx;
    size_t rx_len, rx_alloc;
    uint8_t *tx; /* the request, exactly its length (TCP; UDP sends at once) */
    size_t tx_len, tx_off;
};

/* UDP goes through one shared socket per family, as zmap and masscan do: a silent port costs a timer,
 * not a file descriptor. Replies are matched to exchanges by source address and port; ICMP port
 * unreachable comes back through the socket's error queue (IP_RECVERR) naming the original
 * destination. */
struct udp_sock {
    struct loop_io io;
    struct scanner *s;
    int family;
};

struct scanner {
    struct loop *l;
    struct scan_opts o;
    struct target_iter *it;
    scan_host_fn *on_host;
    scan_tick_fn *tick;
    void *ctx;
    struct ratelimit rl;
    struct loop_timer rate_timer, tick_timer;
    struct host *runq_head, *runq_tail;
    struct host *active;
    struct host *done_list;
    struct conn *conns;
    struct conn *graveyard;
    struct target_addr *extra;
    size_t n_extra, cap_extra, next_extra;
    bool iter_done;
    SSL_CTX *tls;
    struct neigh_cache *neigh;
    struct udp_sock udp4, udp6;
    struct conn **udp_hash;
    uint8_t scratch[TX_CAP]; /* requests are built here, then copied or sent */
    struct scan_stats st;
};

static const uint16_t default_tcp[] = { 80, 443, 554, 8000, 37777, 22, 23, 21, 7547 };
static const uint16_t default_udp[] = { 37020, 37810, 3702, 1900, 161, 5353 };

void scan_opts_default(struct scan_opts *o)
{
    memset(o, 0, sizeof *o);
    memcpy(o->tcp_ports, default_tcp, sizeof default_tcp);
    o->n_tcp = sizeof default_tcp / sizeof *default_tcp;
    memcpy(o->udp_ports, default_udp, sizeof default_udp);
    o->n_udp = sizeof default_udp / sizeof *default_udp;
    o->rate = 2000;
    o->max_conns = 1024;
    o->max_hosts = 1024;
    o->host_conns = 2;
    o->timeout_ms = 2000;
    o->retries = 1;
    o->community = "public";
}

/* Connections. */

static void conn_io(struct loop *l, struct loop_io *io, unsigned ev);
static void conn_timer(struct loop *l, struct loop_timer *t);
static void host_kick(struct host *h);

/* A server-first step that may give up waiting early (probe silence_ms). */
static bool conn_awaits_silence(const struct conn *c)
{
    return c->p && c->p->silence_ms && c->st == C_READ && c->tx_len == 0 && !c->got_data &&
           !c->j->udp;
}

static void conn_arm(struct conn *c)
{
    struct scanner *s = c->s;
    uint64_t when = c->deadline;
    if (c->p && c->p->idle_ms && c->got_data && c->last_data + c->p->idle_ms < when)
        when = c->last_data + c->p->idle_ms;
    if (conn_awaits_silence(c) && c->read_start + c->p->silence_ms < when)
        when = c->read_start + c->p->silence_ms;
    uint64_t now = loop_now(s->l);
    loop_timer_start(s->l, &c->timer, when > now ? when - now : 0, conn_timer);
}

static size_t udp_bucket(const struct target_addr *a, uint16_t port)
{
    uint32_t hsh = 2166136261u ^ port;
    for (size_t i = 0; i < (a->family == AF_INET ? 4u : 16u); i++)
        hsh = (hsh ^ a->a[i]) * 16777619u;
    return hsh % UDP_BUCKETS;
}

static struct conn *udp_find(struct scanner *s, const struct target_addr *a, uint16_t port)
{
    size_t alen = a->family == AF_INET ? 4 : 16;
    for (struct conn *c = s->udp_hash[udp_bucket(a, port)]; c; c = c->next_hash)
        if (c->j->port == port && c->h->addr.family == a->family && !memcmp(c->h->addr.a, a->a, alen))
            return c;
    return NULL;
}

static void udp_unhash(struct conn *c)
{
    struct conn **pp = &c->s->udp_hash[udp_bucket(&c->h->addr, c->j->port)];
    while (*pp && *pp != c)
        pp = &(*pp)->next_hash;
    if (*pp)
        *pp = c->next_hash;
    c->next_hash = NULL;
}

static void conn_close(struct conn *c)
{
    struct scanner *s = c->s;
    loop_io_stop(s->l, &c->io);
    loop_timer_stop(s->l, &c->timer);
    if (c->ssl) {
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    if (c->io.fd >= 0)
        close(c->io.fd);
    c->io.fd = -1;
    free(c->rx);
    c->rx = NULL;
    free(c->tx);
    c->tx = NULL;
    if (c->j->udp)
        udp_unhash(c);
    else
        s->st.conns_open--;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->next_free = s->graveyard;
    s->graveyard = c;
    struct host *h = c->h;
    h->running--;
    if (!c->j->udp)
        h->tcp_running--;
}

/* The job moves on to its next probe. */
static void job_next_probe(struct job *j)
{
    j->cur++;
    j->tries = 0;
    memset(&j->x, 0, sizeof j->x);
    j->x.port = j->port;
    j->state = j->cur < j->n_probes ? J_WAIT : J_DONE;
}

/* Ends an exchange and decides what the job does next. */
enum outcome {
    OUT_NEXT_PROBE, /* this probe is over on this port */
    OUT_STEP,       /* the probe wants another step on a new connection */
    OUT_RETRY,      /* the same step again, if tries remain; else the next probe */
    OUT_PORT_DONE,  /* the port is closed or silent: no more probes there */
};

static void conn_end(struct conn *c, enum outcome out)
{
    struct job *j = c->j;
    struct host *h = c->h;
    struct scanner *s = c->s;
    if (log_get_level() >= LOG_DEBUG) {
        static const char *const names[] = { "done", "next step", "retry", "port done" };
        log_debug("scan: %s %s/%u %s step %d: %s (%zu bytes, %llu ms)", h->text, j->udp ? "udp" : "tcp",
                  j->port, c->p ? c->p->name : "connect", j->x.step, names[out], c->rx_len,
                  (unsigned long long)(loop_now(s->l) - c->started));
    }
    conn_close(c);
    switch (out) {
    case OUT_NEXT_PROBE: job_next_probe(j); break;
    case OUT_STEP:
        j->tries = 0;
        j->state = J_WAIT;
        break;
    case OUT_RETRY:
        if (++j->tries <= s->o.retries)
            j->state = J_WAIT;
        else if (j->udp || !j->open)
            j->state = J_DONE; /* silent port: the other probes of the port would wait too */
        else
            job_next_probe(j);
        break;
    case OUT_PORT_DONE: j->state = J_DONE; break;
    }
    host_kick(h);
}

/* A successful exchange halves the pause again: backoff follows the host's current state. */
static void host_recover(struct host *h)
{
    h->backoff_ms /= 2;
    if (h->backoff_ms < BACKOFF_FIRST_MS)
        h->backoff_ms = 0;
}

static void host_backoff(struct host *h)
{
    struct scanner *s = h->s;
    h->backoff_ms = h->backoff_ms ? h->backoff_ms * 2 : BACKOFF_FIRST_MS;
    if (h->backoff_ms > BACKOFF_MAX_MS)
        h->backoff_ms = BACKOFF_MAX_MS;
    h->not_before = loop_now(s->l) + h->backoff_ms;
}

/* Turns the follow-ups probes asked for into jobs (the jobs array has room for them). */
static void host_take_followups(struct host *h)
{
    for (; h->n_followups < h->ph.n_followups; h->n_followups++) {
        const struct probe_followup *f = &h->ph.followups[h->n_followups];
        struct job *j = &h->jobs[h->n_jobs++];
        memset(j, 0, sizeof *j);
        j->port = f->port;
        j->udp = f->probe->transport == PROBE_UDP;
        j->x.port = f->port;
        memcpy(j->x.text, f->text, sizeof j->x.text);
        j->probes[0] = f->probe;
        j->n_probes = 1;
        j->state = J_WAIT;
    }
}

/* Hands the reply to the probe; returns true if the connection goes on (same-connection step). */
static bool conn_observe(struct conn *c, size_t len, bool partial)
{
    struct job *j = c->j;
    if (!c->p) {
        conn_end(c, OUT_NEXT_PROBE);
        return false;
    }
    if (!partial && len && !j->service)
        j->service = c->p->service;
    j->x.partial = partial;
    if (len)
        host_recover(c->h);
    int next = c->p->observe(&c->h->ph, &j->x, c->rx, len);
    host_take_followups(c->h);
    if (next == PROBE_NEXT_SAME && !partial && !j->udp) {
        int n = c->p->request(&c->h->ph, &j->x, c->s->scratch, sizeof c->s->scratch);
        if (n > 0) {
            /* What followed the reply is dropped (pipelined bytes are rare; dropping them is safe). */
            c->rx_len = 0;
            c->got_data = false;
            free(c->tx);
            c->tx = xmalloc((size_t)n);
            memcpy(c->tx, c->s->scratch, (size_t)n);
            c->tx_len = (size_t)n;
            c->tx_off = 0;
            c->st = C_SEND;
            c->deadline = loop_now(c->s->l) + c->s->o.timeout_ms;
            loop_io_set(c->s->l, &c->io, LOOP_WRITE);
            conn_arm(c);
            return true;
        }
        next = PROBE_DONE;
    }
    conn_end(c, next == PROBE_DONE ? OUT_NEXT_PROBE : OUT_STEP);
    return false;
}

/* Builds the request of the current step; false when the probe has nothing to send. */
static bool conn_build(struct conn *c)
{
    c->tx_len = c->tx_off = 0;
    if (!c->p)
        return true;
    int n = c->p->request(&c->h->ph, &c->j->x, c->s->scratch, sizeof c->s->scratch);
    if (n < 0)
        return false;
    c->tx_len = (size_t)n;
    free(c->tx);
    c->tx = NULL;
    if (n > 0) {
        c->tx = xmalloc((size_t)n);
        memcpy(c->tx, c->s->scratch, (size_t)n);
    }
    return true;
}

static void conn_start_io(struct conn *c)
{
    struct scanner *s = c->s;
    c->deadline = loop_now(s->l) + s->o.timeout_ms;
    if (c->tx_len) {
        c->st = C_SEND;
        loop_io_set(s->l, &c->io, LOOP_WRITE);
    } else {
        c->st = C_READ;
        c->read_start = loop_now(s->l);
        loop_io_set(s->l, &c->io, LOOP_READ);
    }
    conn_arm(c);
}

static void conn_connected(struct conn *c)
{
    struct scanner *s = c->s;
    c->j->open = true;
    if (!c->p) {
        conn_end(c, OUT_NEXT_PROBE);
        return;
    }
    if (c->p->transport == PROBE_TLS) {
        c->ssl = s->tls ? SSL_new(s->tls) : NULL;
        if (!c->ssl || !SSL_set_fd(c->ssl, c->io.fd)) {
            conn_end(c, OUT_NEXT_PROBE);
            return;
        }
        SSL_set_connect_state(c->ssl);
        c->st = C_HANDSHAKE;
        c->deadline = loop_now(s->l) + s->o.timeout_ms;
        conn_arm(c);
        conn_io(s->l, &c->io, LOOP_WRITE);
        return;
    }
    if (!conn_build(c)) {
        conn_end(c, OUT_NEXT_PROBE);
        return;
    }
    conn_start_io(c);
}

static void conn_handshake(struct conn *c)
{
    struct scanner *s = c->s;
    ERR_clear_error();
    int r = SSL_do_handshake(c->ssl);
    if (r == 1) {
        /* The certificate is the port's, not the step's: read it once. */
        if (c->j->x.step == 0) {
            X509 *cert = SSL_get1_peer_certificate(c->ssl);
            if (cert) {
                unsigned char *der = NULL;
                int n = i2d_X509(cert, &der);
                if (n > 0)
                    tls_observe_cert(&c->h->ph, c->j->port, der, (size_t)n);
                OPENSSL_free(der);
                X509_free(cert);
            }
        }
        if (!conn_build(c)) {
            conn_end(c, OUT_NEXT_PROBE);
            return;
        }
        conn_start_io(c);
        return;
    }
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_READ)
        loop_io_set(s->l, &c->io, LOOP_READ);
    else if (e == SSL_ERROR_WANT_WRITE)
        loop_io_set(s->l, &c->io, LOOP_WRITE);
    else
        conn_end(c, OUT_NEXT_PROBE); /* not TLS, or nothing we can speak */
}

/* Sends what is left of tx. Returns 1 when all is sent, 0 to wait, -1 on error. */
static int conn_send(struct conn *c)
{
    while (c->tx_off < c->tx_len) {
        ssize_t n;
        if (c->ssl) {
            ERR_clear_error();
            int r = SSL_write(c->ssl, c->tx + c->tx_off, (int)(c->tx_len - c->tx_off));
            if (r <= 0) {
                int e = SSL_get_error(c->ssl, r);
                if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ)
                    return 0;
                return -1;
            }
            n = r;
        } else {
            n = send(c->io.fd, c->tx + c->tx_off, c->tx_len - c->tx_off, MSG_NOSIGNAL);
            if (n < 0)
                return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
        }
        c->tx_off += (size_t)n;
    }
    return 1;
}

/* After new bytes: a complete reply is observed. Returns true if the conn is still alive. */
static bool conn_check(struct conn *c, bool eof)
{
    struct job *j = c->j;
    size_t cap = c->p->max_reply;
    j->x.eof = eof;
    int r = c->p->frame(&j->x, c->rx, c->rx_len);
    if (r > 0)
        return conn_observe(c, (size_t)r > c->rx_len ? c->rx_len : (size_t)r, false);
    if (r == UNMASK_EPARSE || c->rx_len >= cap || eof) {
        if (c->rx_len)
            return conn_observe(c, c->rx_len, true);
        conn_end(c, OUT_NEXT_PROBE);
        return false;
    }
    return true;
}

static void conn_read(struct conn *c)
{
    struct scanner *s = c->s;
    struct job *j = c->j;
    size_t cap = c->p ? c->p->max_reply : 1;
    for (int rounds = 0; rounds < 16; rounds++) {
        if (c->rx_len == c->rx_alloc) {
            size_t want = c->rx_alloc ? c->rx_alloc * 2 : RX_INITIAL;
            if (want > cap)
                want = cap;
            if (want <= c->rx_alloc) {
                conn_check(c, false);
                return;
            }
            c->rx = xrealloc(c->rx, want);
            c->rx_alloc = want;
        }
        ssize_t n;
        int err = 0;
        if (c->ssl) {
            ERR_clear_error();
            int r = SSL_read(c->ssl, c->rx + c->rx_len, (int)(c->rx_alloc - c->rx_len));
            if (r > 0) {
                n = r;
            } else {
                int e = SSL_get_error(c->ssl, r);
                if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
                    return;
                n = e == SSL_ERROR_ZERO_RETURN ? 0 : -1;
                err = ECONNRESET;
                if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && r == 0) ||
                    (e == SSL_ERROR_SSL && c->rx_len))
                    n = 0; /* a close without close_notify is an end, as for plain TCP */
            }
        } else {
            n = recv(c->io.fd, c->rx + c->rx_len, c->rx_alloc - c->rx_len, 0);
            if (n < 0)
                err = errno;
        }
        if (n < 0) {
            if (err == EAGAIN || err == EWOULDBLOCK || err == EINTR)
                return;
            s->st.resets++;
            if (c->rx_len) {
                conn_check(c, true);
            } else {
                /* Accepted, then reset without a word: the port refuses (firewalls and proxies
                 * answer closed ports this way). The host gets a pause before its next exchange. */
                host_backoff(c->h);
                conn_end(c, OUT_PORT_DONE);
            }
            return;
        }
        if (n == 0) {
            conn_check(c, true);
            return;
        }
        c->rx_len += (size_t)n;
        c->got_data = true;
        c->last_data = loop_now(s->l);
        if (!c->p) {
            conn_end(c, OUT_NEXT_PROBE);
            return;
        }
        if (c->p->interim) {
            uint8_t out[256];
            size_t m = c->p->interim(&j->x, c->rx, c->rx_len, out, sizeof out);
            if (m && !c->ssl)
                (void)!send(c->io.fd, out, m, MSG_NOSIGNAL | MSG_DONTWAIT);
        }
        if (!conn_check(c, false))
            return;
        conn_arm(c);
    }
}

static void conn_io(struct loop *l, struct loop_io *io, unsigned ev)
{
    struct conn *c = (struct conn *)io;
    struct scanner *s = c->s;
    (void)l;
    switch (c->st) {
    case C_CONNECT: {
        int err = 0;
        socklen_t el = sizeof err;
        if (getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
            err = errno;
        if (err == 0 && !(ev & LOOP_WRITE) && (ev & LOOP_ERROR))
            err = ECONNREFUSED;
        if (err == 0) {
            conn_connected(c);
        } else if (err == ECONNREFUSED) {
            s->st.refused++;
            conn_end(c, OUT_PORT_DONE);
        } else if (err == ECONNRESET) {
            s->st.resets++;
            host_backoff(c->h);
            conn_end(c, OUT_PORT_DONE);
        } else {
            conn_end(c, OUT_PORT_DONE); /* unreachable: nothing will answer */
        }
        return;
    }
    case C_HANDSHAKE: conn_handshake(c); return;
    case C_SEND: {
        int r = conn_send(c);
        if (r < 0) {
            s->st.resets++;
            host_backoff(c->h);
            conn_end(c, c->ssl ? OUT_NEXT_PROBE : OUT_PORT_DONE);
        } else if (r > 0) {
            c->st = C_READ;
            c->read_start = loop_now(s->l);
            c->deadline = loop_now(s->l) + s->o.timeout_ms;
            loop_io_set(s->l, &c->io, LOOP_READ);
            conn_arm(c);
        }
        return;
    }
    case C_READ: conn_read(c); return;
    }
}

static void conn_timer(struct loop *l, struct loop_timer *t)
{
    struct conn *c = (struct conn *)((char *)t - offsetof(struct conn, timer));
    struct scanner *s = c->s;
    uint64_t now = loop_now(l);
    if (now < c->deadline && conn_awaits_silence(c)) {
        conn_observe(c, 0, false); /* the probe may speak first now */
        return;
    }
    if (now < c->deadline && c->got_data && c->p && c->p->idle_ms) {
        /* The banner stopped: that is its end. */
        conn_observe(c, c->rx_len, false);
        return;
    }
    s->st.timeouts++;
    if (c->st == C_CONNECT) {
        conn_end(c, OUT_RETRY);
    } else if (c->got_data && c->rx_len && c->p) {
        conn_observe(c, c->rx_len, !c->p->idle_ms);
    } else if (c->j->udp) {
        conn_end(c, OUT_RETRY);
    } else {
        /* Connected but silent: no retry (silence is its answer), the next probe may speak. */
        c->j->tries = (uint8_t)s->o.retries;
        conn_end(c, OUT_RETRY);
    }
}

static socklen_t make_sockaddr(const struct target_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (a->family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        memcpy(&sin->sin_addr, a->a, 4);
        return sizeof *sin;
    }
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    memcpy(&sin6->sin6_addr, a->a, 16);
    return sizeof *sin6;
}

static void udp_io(struct loop *l, struct loop_io *io, unsigned ev);

/* The shared datagram socket of a family, made on first use. */
static int udp_socket(struct scanner *s, int family)
{
    struct udp_sock *u = family == AF_INET ? &s->udp4 : &s->udp6;
    if (u->io.fd >= 0)
        return u->io.fd;
    int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1, size = 4 << 20;
    if (family == AF_INET6) {
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one);
    } else {
        setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one);
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    u->s = s;
    u->family = family;
    if (loop_io_start(s->l, &u->io, fd, LOOP_READ, udp_io) < 0) {
        close(fd);
        u->io.fd = -1;
        return -1;
    }
    return fd;
}

static void addr_from_sockaddr(const struct sockaddr_storage *ss, struct target_addr *a, uint16_t *port)
{
    memset(a, 0, sizeof *a);
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
        a->family = AF_INET;
        memcpy(a->a, &sin->sin_addr, 4);
        *port = ntohs(sin->sin_port);
    } else {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
        a->family = AF_INET6;
        memcpy(a->a, &sin6->sin6_addr, 16);
        *port = ntohs(sin6->sin6_port);
    }
}

/* ICMP errors for datagrams we sent: port unreachable closes the port, other unreachables too. */
static void udp_errors(struct scanner *s, int fd)
{
    for (int i = 0; i < UDP_BATCH; i++) {
        struct sockaddr_storage to;
        char ctrl[512];
        uint8_t dummy[64];
        struct iovec iov = { dummy, sizeof dummy };
        struct msghdr m = { .msg_name = &to, .msg_namelen = sizeof to, .msg_iov = &iov, .msg_iovlen = 1,
                            .msg_control = ctrl, .msg_controllen = sizeof ctrl };
        if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
            return;
        bool unreachable = false;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
            if (!((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_RECVERR) ||
                  (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_RECVERR)))
                continue;
            struct sock_extended_err ee;
            memcpy(&ee, CMSG_DATA(cm), sizeof ee);
            unreachable = (ee.ee_origin == SO_EE_ORIGIN_ICMP && ee.ee_type == 3) ||
                          (ee.ee_origin == SO_EE_ORIGIN_ICMP6 && ee.ee_type == 1);
        }
        struct target_addr a;
        uint16_t port;
        addr_from_sockaddr(&to, &a, &port);
        struct conn *c = unreachable ? udp_find(s, &a, port) : NULL;
        if (c) {
            s->st.refused++;
            conn_end(c, OUT_PORT_DONE);
        }
    }
}

static void udp_io(struct loop *l, struct loop_io *io, unsigned ev)
{
    struct udp_sock *u = (struct udp_sock *)io;
    struct scanner *s = u->s;
    static uint8_t buf[65536];
    (void)l;
    if (ev & LOOP_ERROR)
        udp_errors(s, io->fd);
    for (int i = 0; i < UDP_BATCH; i++) {
        struct sockaddr_storage from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(io->fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            udp_errors(s, io->fd); /* an error was queued (ECONNREFUSED and the like) */
            continue;
        }
        struct target_addr a;
        uint16_t port;
        addr_from_sockaddr(&from, &a, &port);
        struct conn *c = udp_find(s, &a, port);
        if (!c || !c->p)
            continue; /* not asked, or too late: dropped */
        /* Each datagram is one reply; a new one replaces an incomplete one. */
        size_t keep = (size_t)n < c->p->max_reply ? (size_t)n : c->p->max_reply;
        if (c->rx_alloc < keep) {
            c->rx = xrealloc(c->rx, keep);
            c->rx_alloc = keep;
        }
        memcpy(c->rx, buf, keep);
        c->rx_len = keep;
        c->got_data = true;
        c->last_data = loop_now(s->l);
        c->j->open = true;
        conn_check(c, false);
    }
}

/* Starts the current step of job j on host h. */
static void job_start(struct scanner *s, struct host *h, struct job *j)
{
    const struct probe *p = j->n_probes ? j->probes[j->cur] : NULL;
    struct sockaddr_storage ss;
    socklen_t sl = make_sockaddr(&h->addr, j->port, &ss);
    int fd = j->udp ? udp_socket(s, h->addr.family)
                    : socket(h->addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    s->st.exchanges++;
    if (fd < 0) {
        log_warn("socket: %s", strerror(errno));
        j->state = J_DONE;
        return;
    }
    struct conn *c = xcalloc(1, sizeof *c);
    c->s = s;
    c->h = h;
    c->j = j;
    c->p = p;
    c->started = loop_now(s->l);
    c->io.fd = j->udp ? -1 : fd;
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    h->running++;
    j->state = J_RUN;
    if (j->udp) {
        size_t b = udp_bucket(&h->addr, j->port);
        c->next_hash = s->udp_hash[b];
        s->udp_hash[b] = c;
        int n = p ? p->request(&h->ph, &j->x, s->scratch, sizeof s->scratch) : 0;
        if (n <= 0) {
            conn_end(c, OUT_NEXT_PROBE);
            return;
        }
        /* An unconnected socket reports a pending ICMP error on the next send instead of sending:
         * take the queued errors in, then send again. A full send buffer looks like a lost datagram
         * (the timeout retries it). */
        for (int tries = 0; tries < 8; tries++) {
            if (sendto(fd, s->scratch, (size_t)n, 0, (struct sockaddr *)&ss, sl) >= 0 || errno == EAGAIN ||
                errno == EWOULDBLOCK || errno == ENOBUFS)
                break;
            udp_errors(s, fd);
        }
        c->st = C_READ;
        /* A datagram waits half the timeout per try: with the default retry the whole wait is the
         * timeout, as for a TCP reply. */
        c->deadline = loop_now(s->l) + (s->o.timeout_ms + 1) / 2;
        conn_arm(c);
        return;
    }
    s->st.conns_open++;
    h->tcp_running++;
    if (loop_io_start(s->l, &c->io, fd, LOOP_WRITE, conn_io) < 0) {
        conn_end(c, OUT_PORT_DONE);
        return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->st = C_CONNECT;
    c->deadline = loop_now(s->l) + s->o.timeout_ms;
    conn_arm(c);
    if (connect(fd, (struct sockaddr *)&ss, sl) == 0) {
        conn_connected(c);
    } else if (errno != EINPROGRESS) {
        if (errno == ECONNREFUSED)
            s->st.refused++;
        conn_end(c, OUT_PORT_DONE);
    }
}

/* Hosts. */

static bool job_may_start(const struct host *h, const struct job *j)
{
    return j->state == J_WAIT && (j->udp || h->tcp_running < h->s->o.host_conns);
}

static struct job *host_pick(struct host *h)
{
    if (h->not_before > loop_now(h->s->l))
        return NULL;
    for (size_t i = 0; i < h->n_jobs; i++)
        if (job_may_start(h, &h->jobs[i]))
            return &h->jobs[i];
    return NULL;
}

static void runq_push(struct scanner *s, struct host *h)
{
    h->in_runq = true;
    h->next_run = NULL;
    if (s->runq_tail)
        s->runq_tail->next_run = h;
    else
        s->runq_head = h;
    s->runq_tail = h;
}

static struct host *runq_pop(struct scanner *s)
{
    struct host *h = s->runq_head;
    if (!h)
        return NULL;
    s->runq_head = h->next_run;
    if (!s->runq_head)
        s->runq_tail = NULL;
    h->in_runq = false;
    return h;
}

static void host_wake(struct loop *l, struct loop_timer *t)
{
    (void)l;
    host_kick((struct host *)((char *)t - offsetof(struct host, wake)));
}

/* Re-examines a host after a change: queue it, wait for its backoff, or finish it. */
static void host_kick(struct host *h)
{
    struct scanner *s = h->s;
    if (h->done || h->in_runq)
        return;
    bool waiting = false, all_done = true;
    for (size_t i = 0; i < h->n_jobs; i++) {
        if (h->jobs[i].state != J_DONE)
            all_done = false;
        if (job_may_start(h, &h->jobs[i]))
            waiting = true;
    }
    if (all_done && h->running == 0) {
        h->done = true;
        loop_timer_stop(s->l, &h->wake);
        h->next_done = s->done_list;
        s->done_list = h;
        return;
    }
    if (!waiting)
        return;
    uint64_t now = loop_now(s->l);
    if (h->not_before > now)
        loop_timer_start(s->l, &h->wake, h->not_before - now, host_wake);
    else
        runq_push(s, h);
}

static bool probe_allowed(const struct scanner *s, const struct probe *p)
{
    if (!s->o.probes)
        return true;
    for (size_t i = 0; s->o.probes[i]; i++)
        if (s->o.probes[i] == p)
            return true;
    return false;
}

static void job_init(struct scanner *s, struct job *j, uint16_t port, bool udp)
{
    j->port = port;
    j->udp = udp;
    j->x.port = port;
    for (size_t i = 0; probe_registry[i] && j->n_probes < JOB_MAX_PROBES; i++) {
        const struct probe *p = probe_registry[i];
        if ((p->transport == PROBE_UDP) == udp && probe_has_port(p, port) && probe_allowed(s, p))
            j->probes[j->n_probes++] = p;
    }
    /* A UDP port no probe speaks to gets nothing: there is no polite empty datagram. */
    j->state = udp && !j->n_probes ? J_DONE : J_WAIT;
}

static bool admit(struct scanner *s)
{
    if (s->st.hosts_active >= s->o.max_hosts)
        return false;
    struct target_addr a;
    if (s->next_extra < s->n_extra) {
        a = s->extra[s->next_extra++];
    } else if (s->it && !s->iter_done && targets_iter_next(s->it, &a)) {
        /* from the iterator */
    } else {
        s->iter_done = true;
        return false;
    }
    struct host *h = xcalloc(1, sizeof *h);
    h->s = s;
    h->addr = a;
    target_addr_str(&a, h->text, sizeof h->text);
    obs_device_init(&h->dev);
    obs_device_set_id(&h->dev, h->text, strlen(h->text));
    h->ph.addr = h->text;
    h->ph.ipv6 = a.family == AF_INET6;
    h->ph.community = s->o.community;
    h->ph.dev = &h->dev;
    h->jobs = xcalloc(s->o.n_udp + s->o.n_tcp + PROBE_MAX_FOLLOWUPS, sizeof *h->jobs);
    for (size_t i = 0; i < s->o.n_udp; i++)
        job_init(s, &h->jobs[h->n_jobs++], s->o.udp_ports[i], true);
    for (size_t i = 0; i < s->o.n_tcp; i++)
        job_init(s, &h->jobs[h->n_jobs++], s->o.tcp_ports[i], false);
    h->next = s->active;
    if (s->active)
        s->active->prev = h;
    s->active = h;
    s->st.hosts_active++;
    s->st.hosts_admitted++;
    host_kick(h);
    return true;
}

static void host_free(struct scanner *s, struct host *h)
{
    if (h->prev)
        h->prev->next = h->next;
    else
        s->active = h->next;
    if (h->next)
        h->next->prev = h->prev;
    loop_timer_stop(s->l, &h->wake);
    obs_device_deinit(&h->dev);
    free(h->jobs);
    free(h);
    s->st.hosts_active--;
}

/* Hands a finished (or interrupted) host over and frees it. */
static void host_report(struct scanner *s, struct host *h, bool interrupted)
{
    struct scan_port ports[2 * SCAN_MAX_PORTS + PROBE_MAX_FOLLOWUPS];
    size_t n = 0;
    for (size_t i = 0; i < h->n_jobs; i++) {
        const struct job *j = &h->jobs[i];
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = ports[k].port == j->port && ports[k].udp == j->udp;
        if (j->open && !seen)
            ports[n++] = (struct scan_port){ j->port, j->udp, j->service ? j->service : "unknown" };
    }
    s->st.hosts_done++;
    if (n > 0 || h->dev.n_obs > 0) {
        s->st.hosts_found++;
        char mac[18];
        const char *macp = NULL;
        if (neigh_lookup(s->neigh, &h->addr, loop_update_time(s->l), 1000, mac) == 1) {
            macp = mac;
            obs_add(&h->dev, "mac.address", 11, mac, strlen(mac), NULL, 0, -1);
        }
        struct scan_result r = { .address = h->text, .addr = &h->addr, .dev = &h->dev, .mac = macp,
                                 .ports = ports, .n_ports = n, .interrupted = interrupted };
        s->on_host(s->ctx, &r);
    }
    host_free(s, h);
}

/* Between turns: free dead connections, hand over finished hosts. */
static void reap(struct scanner *s)
{
    while (s->graveyard) {
        struct conn *c = s->graveyard;
        s->graveyard = c->next_free;
        free(c);
    }
    while (s->done_list) {
        struct host *h = s->done_list;
        s->done_list = h->next_done;
        host_report(s, h, false);
    }
}

static void rate_wake(struct loop *l, struct loop_timer *t)
{
    (void)l;
    (void)t; /* waking the loop is all it takes: dispatch() runs every turn */
}

static void dispatch(struct scanner *s)
{
    while (s->st.conns_open < s->o.max_conns) {
        if (!s->runq_head && !admit(s))
            break;
        if (!s->runq_head)
            continue;
        if (!ratelimit_take(&s->rl, loop_now(s->l))) {
            if (!loop_timer_armed(&s->rate_timer))
                loop_timer_start(s->l, &s->rate_timer, ratelimit_wait(&s->rl), rate_wake);
            break;
        }
        struct host *h = runq_pop(s);
        struct job *j = host_pick(h);
        if (j)
            job_start(s, h, j);
        else
            s->rl.tokens += s->rl.rate > 0 ? 1.0 : 0.0; /* nothing started: give the token back */
        host_kick(h);
    }
}

static void tick(struct loop *l, struct loop_timer *t)
{
    struct scanner *s = (struct scanner *)((char *)t - offsetof(struct scanner, tick_timer));
    if (s->tick)
        s->tick(s->ctx, &s->st);
    loop_timer_start(l, t, 250, tick);
}

struct scanner *scanner_new(struct loop *l, const struct scan_opts *o, struct target_iter *it,
                            scan_host_fn *on_host, scan_tick_fn *tickfn, void *ctx)
{
    struct scanner *s = xcalloc(1, sizeof *s);
    s->l = l;
    s->o = *o;
    if (!s->o.host_conns)
        s->o.host_conns = 1;
    if (!s->o.max_hosts)
        s->o.max_hosts = 1;
    /* Sockets: raise the soft limit to the hard one, keep 64 for everything else. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
            getrlimit(RLIMIT_NOFILE, &rl);
        }
        if (rl.rlim_cur != RLIM_INFINITY && s->o.max_conns + 64 > rl.rlim_cur)
            s->o.max_conns = rl.rlim_cur > 128 ? (unsigned)rl.rlim_cur - 64 : 64;
    }
    if (!s->o.max_conns)
        s->o.max_conns = 1;
    s->it = it;
    s->on_host = on_host;
    s->tick = tickfn;
    s->ctx = ctx;
    ratelimit_init(&s->rl, s->o.rate, loop_now(l));
    s->neigh = neigh_new();
    s->udp4.io.fd = s->udp6.io.fd = -1;
    s->udp_hash = xcalloc(UDP_BUCKETS, sizeof *s->udp_hash);
    s->tls = SSL_CTX_new(TLS_client_method());
    if (s->tls) {
        /* Cameras speak old TLS with old ciphers: accept anything, verify nothing (the certificate is
         * evidence to read, not an identity to trust). */
        SSL_CTX_set_verify(s->tls, SSL_VERIFY_NONE, NULL);
        SSL_CTX_set_security_level(s->tls, 0);
        SSL_CTX_set_min_proto_version(s->tls, 0);
        SSL_CTX_set_cipher_list(s->tls, "ALL:@SECLEVEL=0");
        SSL_CTX_set_options(s->tls, SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_IGNORE_UNEXPECTED_EOF);
    }
    return s;
}

void scanner_free(struct scanner *s)
{
    if (!s)
        return;
    while (s->conns)
        conn_close(s->conns);
    s->done_list = NULL;
    while (s->active)
        host_free(s, s->active);
    reap(s);
    loop_timer_stop(s->l, &s->rate_timer);
    loop_timer_stop(s->l, &s->tick_timer);
    SSL_CTX_free(s->tls);
    neigh_free(s->neigh);
    for (int i = 0; i < 2; i++) {
        struct udp_sock *u = i ? &s->udp6 : &s->udp4;
        if (u->io.fd >= 0) {
            loop_io_stop(s->l, &u->io);
            close(u->io.fd);
        }
    }
    free(s->udp_hash);
    free(s->extra);
    free(s);
}

void scanner_add_host(struct scanner *s, const struct target_addr *a)
{
    xgrow((void **)&s->extra, &s->cap_extra, s->n_extra + 1, sizeof *s->extra);
    s->extra[s->n_extra++] = *a;
}

int scanner_run(struct scanner *s, volatile sig_atomic_t *stop)
{
    loop_update_time(s->l);
    if (s->tick)
        loop_timer_start(s->l, &s->tick_timer, 250, tick);
    int rc = UNMASK_OK;
    while (!(stop && *stop)) {
        dispatch(s);
        if (!s->active && !s->done_list && (s->iter_done || (!s->it && s->next_extra >= s->n_extra)))
            break;
        if (loop_run_once(s->l, 250) < 0) {
            rc = UNMASK_EIO;
            break;
        }
        reap(s);
    }
    loop_timer_stop(s->l, &s->tick_timer);
    /* Stopped (or failed): abandon open exchanges, hand over what the hosts in flight gave. */
    while (s->conns) {
        struct conn *c = s->conns;
        c->j->state = J_DONE;
        conn_close(c);
    }
    reap(s);
    while (s->active)
        host_report(s, s->active, true);
    if (s->tick)
        s->tick(s->ctx, &s->st);
    return rc;
}

void scanner_stats(const struct scanner *s, struct scan_stats *out)
{
    *out = s->st;
}
