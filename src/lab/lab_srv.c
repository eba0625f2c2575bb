/* lab_srv.c: the lab's server engine: one epoll loop on one thread, in the manner of redis's ae.
 *
 * Scale comes from sockets per port, not per address: each TCP and UDP port the lab's personalities use
 * is one socket bound to 0.0.0.0 and to the loopback device (SO_BINDTODEVICE "lo"), so nothing outside
 * the machine can reach it. The device is the destination address of the connection (getsockname) or
 * datagram (IP_PKTINFO); an address outside the lab's range is refused with a reset. Inside a private
 * network namespace (--all-interfaces) the sockets are not tied to lo and the discovery sockets join
 * their multicast groups on every interface, so multicast discovery and ARP can be tested.
 *
 * Every connection has one deadline in a binary heap: the idle timeout, the next byte of a slow drip, or
 * the grace period after a half-close. Buffers are capped (request 80 KiB, reply 8 MiB); an endless
 * reply is produced 16 KiB at a time, only as fast as the client reads. */
#define _GNU_SOURCE /* accept4, SOCK_NONBLOCK on accepted sockets */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/xalloc.h"
#include "lab-int.h"
#include "lab_disc.h"
#include "lab_snmp.h"
#include "lab_tls.h"

#define IN_CAP (LAB_REQ_MAX_HEAD + LAB_REQ_MAX_BODY)
#define MAX_TARPIT 1024          /* tarpit connections held at once; older ones are dropped */
#define CLOSE_GRACE_MS 2000      /* after our half-close, wait this long for the peer's */
#define WRITE_BUDGET (1u << 20)  /* bytes written to one connection per wake-up */

enum ev_kind { EV_LISTEN = 1, EV_UDP, EV_CONN, EV_SIGNAL };

struct listener {
    enum ev_kind kind;
    int fd;
    uint16_t port;
};

struct conn {
    enum ev_kind kind; /* EV_CONN */
    int fd;
    struct lab_device *dev;
    enum lab_svc svc;
    uint16_t lport;
    uint32_t peer;
    SSL *ssl;
    bool handshaking;
    uint8_t *in;
    size_t in_len, in_alloc;
    struct sbuf out;
    size_t out_off;
    const struct lab_reply *endless; /* keeps producing its last part */
    unsigned drip_ms;
    bool close_after; /* close once the output is flushed */
    bool closing;     /* half-closed; waiting for the peer */
    bool tarpit;
    uint32_t events;
    uint64_t deadline;
    size_t heap_idx;
    uint64_t rng;
};

struct srv {
    struct lab *lab;
    int ep;
    struct listener *ls;
    size_t n_ls;
    struct listener sig;
    struct conn **heap;
    size_t n_heap, heap_cap;
    size_t n_tarpit;
    int spare_fd;
    uint64_t now, start;
    bool stop;
    /* counters, printed with -v on exit */
    unsigned long accepted, refused, exchanges, datagrams;
    struct {
        uint32_t addr;
        uint16_t port;
        uint64_t hash, at;
    } recent[64]; /* multicast duplicates seen through several interfaces */
    size_t recent_i;
};

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- the deadline heap ---- */

static void heap_swap(struct srv *s, size_t a, size_t b)
{
    struct conn *t = s->heap[a];
    s->heap[a] = s->heap[b];
    s->heap[b] = t;
    s->heap[a]->heap_idx = a;
    s->heap[b]->heap_idx = b;
}

static void heap_up(struct srv *s, size_t i)
{
    while (i && s->heap[(i - 1) / 2]->deadline > s->heap[i]->deadline) {
        heap_swap(s, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_down(struct srv *s, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->n_heap && s->heap[l]->deadline < s->heap[m]->deadline)
            m = l;
        if (r < s->n_heap && s->heap[r]->deadline < s->heap[m]->deadline)
            m = r;
        if (m == i)
            return;
        heap_swap(s, i, m);
        i = m;
    }
}

static void set_deadline(struct srv *s, struct conn *c, uint64_t at)
{
    uint64_t old = c->deadline;
    c->deadline = at;
    if (c->heap_idx == SIZE_MAX) {
        if (s->n_heap == s->heap_cap)
            xgrow((void **)&s->heap, &s->heap_cap, s->n_heap + 1, sizeof *s->heap);
        c->heap_idx = s->n_heap;
        s->heap[s->n_heap++] = c;
        heap_up(s, c->heap_idx);
    } else if (at < old) {
        heap_up(s, c->heap_idx);
    } else {
        heap_down(s, c->heap_idx);
    }
}

static void heap_remove(struct srv *s, struct conn *c)
{
    size_t i = c->heap_idx;
    if (i == SIZE_MAX)
        return;
    s->n_heap--;
    if (i != s->n_heap) {
        s->heap[i] = s->heap[s->n_heap];
        s->heap[i]->heap_idx = i;
        heap_down(s, i);
        heap_up(s, i);
    }
    c->heap_idx = SIZE_MAX;
}

/* ---- connections ---- */

static void reset_fd(int fd)
{
    struct linger l = { 1, 0 }; /* close with RST, as a closed port or a crashing daemon would */
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(fd);
}

static void conn_free(struct srv *s, struct conn *c, bool rst)
{
    heap_remove(s, c);
    if (c->ssl)
        SSL_free(c->ssl);
    if (rst)
        reset_fd(c->fd);
    else
        close(c->fd);
    if (c->tarpit)
        s->n_tarpit--;
    free(c->in);
    sbuf_deinit(&c->out);
    free(c);
}

static void set_events(struct srv *s, struct conn *c, uint32_t ev)
{
    if (ev == c->events)
        return;
    struct epoll_event e = { .events = ev, .data.ptr = c };
    epoll_ctl(s->ep, EPOLL_CTL_MOD, c->fd, &e);
    c->events = ev;
}

static struct lab_rctx rctx_of(struct srv *s, struct conn *c, const struct lab_req *req)
{
    return (struct lab_rctx){ .lab = s->lab, .dev = c->dev, .lport = c->lport, .peer = c->peer,
                              .req = req, .rng = c->rng++ ^ c->dev->seed };
}

/* Appends a reply and takes over its behaviour (close, drip, endless). */
static void emit(struct srv *s, struct conn *c, const struct lab_reply *r, const struct lab_req *req)
{
    struct lab_rctx rc = rctx_of(s, c, req);
    lab_reply_build(r, &rc, &c->out);
    s->exchanges++;
    if (r->close)
        c->close_after = true;
    if (r->drip_ms)
        c->drip_ms = r->drip_ms;
    if (r->endless)
        c->endless = r;
}

static bool head_says_close(const char *p, size_t n)
{
    static const char k[] = "\nconnection: close";
    for (size_t i = 0; i + sizeof k - 1 <= n; i++) {
        if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n' && i + 3 < n && p[i + 2] == '\r' &&
            p[i + 3] == '\n')
            return false; /* end of the head */
        if (!strncasecmp(p + i, k, sizeof k - 1))
            return true;
    }
    return false;
}

static void process(struct srv *s, struct conn *c)
{
    const struct lab_pers *p = c->dev->pi->p;
    if (c->svc == LAB_SVC_HTTP || c->svc == LAB_SVC_HTTPS || c->svc == LAB_SVC_RTSP) {
        while (c->in_len && !c->close_after && !c->closing) {
            struct lab_req req;
            int n = lab_req_parse(c->in, c->in_len, &req);
            if (n == UNMASK_EAGAIN)
                return;
            if (n < 0) { /* malformed or over the caps: devices hang up */
                c->close_after = true;
                c->in_len = 0;
                return;
            }
            bool rtsp = c->svc == LAB_SVC_RTSP;
            const struct lab_reply *r =
                lab_match_req(p, rtsp ? LAB_R_RTSP : LAB_R_HTTP, &req, c->lport);
            if (!r) {
                c->close_after = true;
            } else {
                size_t before = c->out.len;
                emit(s, c, r, &req);
                if (!rtsp) {
                    bool v10 = req.version.p && req.version.n == 8 &&
                               !memcmp(req.version.p, "HTTP/1.0", 8);
                    if (lab_span_icontains(req.connection, "close") ||
                        (v10 && !lab_span_icontains(req.connection, "keep-alive")) ||
                        head_says_close(c->out.p + before, c->out.len - before))
                        c->close_after = true;
                }
            }
            memmove(c->in, c->in + n, c->in_len - (size_t)n);
            c->in_len -= (size_t)n;
        }
        return;
    }
    if (c->svc == LAB_SVC_BANNER || c->svc == LAB_SVC_RAW) {
        bool more;
        const struct lab_reply *r = lab_match_bytes(p, LAB_R_TCP, c->lport, c->in, c->in_len, &more);
        if (r)
            emit(s, c, r, NULL);
        if (r || !more || c->in_len == IN_CAP)
            c->in_len = 0;
    }
}

static void begin_close(struct srv *s, struct conn *c)
{
    if (c->ssl && !c->handshaking)
        SSL_shutdown(c->ssl);
    shutdown(c->fd, SHUT_WR);
    c->closing = true;
    c->in_len = 0;
    set_events(s, c, EPOLLIN | EPOLLRDHUP);
    set_deadline(s, c, s->now + CLOSE_GRACE_MS);
}

/* Writes pending output. Returns false if the connection was freed. */
static bool flush(struct srv *s, struct conn *c)
{
    if (c->drip_ms) {
        if (c->out_off < c->out.len && c->heap_idx != SIZE_MAX && c->deadline > s->now + c->drip_ms)
            set_deadline(s, c, s->now + c->drip_ms);
        set_events(s, c, EPOLLIN | EPOLLRDHUP);
        return true;
    }
    size_t budget = WRITE_BUDGET;
    for (;;) {
        while (c->out_off < c->out.len && budget) {
            size_t want = c->out.len - c->out_off;
            if (want > budget)
                want = budget;
            ssize_t w;
            if (c->ssl) {
                int r = SSL_write(c->ssl, c->out.p + c->out_off, (int)want);
                if (r <= 0) {
                    int e = SSL_get_error(c->ssl, r);
                    if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
                        set_events(s, c, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
                        return true;
                    }
                    ERR_clear_error();
                    conn_free(s, c, false);
                    return false;
                }
                w = r;
            } else {
                w = send(c->fd, c->out.p + c->out_off, want, MSG_NOSIGNAL);
                if (w < 0) {
                    if (errno == EAGAIN || errno == EWOULDBLOCK) {
                        set_events(s, c, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
                        return true;
                    }
                    conn_free(s, c, false);
                    return false;
                }
            }
            c->out_off += (size_t)w;
            budget -= (size_t)w;
        }
        if (c->out_off < c->out.len) { /* budget spent: come back when writable */
            set_events(s, c, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
            return true;
        }
        sbuf_reset(&c->out);
        c->out_off = 0;
        if (c->endless && budget) {
            struct lab_rctx rc = rctx_of(s, c, NULL);
            lab_reply_more(c->endless, &rc, &c->out);
            continue;
        }
        break;
    }
    if (c->endless) {
        set_events(s, c, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
        return true;
    }
    if (c->close_after && !c->closing) {
        begin_close(s, c);
        return true;
    }
    set_events(s, c, EPOLLIN | EPOLLRDHUP);
    return true;
}

/* Reads what is there. Returns -1 if the connection was freed, 1 on peer EOF, 0 otherwise. */
static int fill(struct srv *s, struct conn *c)
{
    for (;;) {
        if (c->in_alloc - c->in_len < 1024 && c->in_alloc < IN_CAP) {
            size_t a = c->in_alloc ? c->in_alloc * 2 : 4096;
            if (a > IN_CAP)
                a = IN_CAP;
            c->in = xrealloc(c->in, a);
            c->in_alloc = a;
        }
        uint8_t sink[4096];
        bool discard = c->closing || c->in_len == c->in_alloc;
        uint8_t *dst = discard ? sink : c->in + c->in_len;
        size_t room = discard ? sizeof sink : c->in_alloc - c->in_len;
        ssize_t r;
        if (c->ssl) {
            int k = SSL_read(c->ssl, dst, (int)room);
            if (k <= 0) {
                int e = SSL_get_error(c->ssl, k);
                ERR_clear_error();
                if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
                    return 0;
                return 1;
            }
            r = k;
        } else {
            r = recv(c->fd, dst, room, 0);
            if (r < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    return 0;
                if (errno == EINTR)
                    continue;
                conn_free(s, c, false);
                return -1;
            }
            if (r == 0)
                return 1;
        }
        if (!discard)
            c->in_len += (size_t)r;
        if (discard && !c->closing) /* a full buffer with no complete request: hang up */
            return 1;
    }
}

static void on_conn(struct srv *s, struct conn *c, uint32_t ev)
{
    if (c->tarpit) { /* never reads: only a hang-up ends it */
        if (ev & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            conn_free(s, c, false);
        return;
    }
    if (ev & EPOLLERR) {
        conn_free(s, c, false);
        return;
    }
    if (c->handshaking) {
        int r = SSL_accept(c->ssl);
        if (r != 1) {
            int e = SSL_get_error(c->ssl, r);
            ERR_clear_error();
            if (e == SSL_ERROR_WANT_READ)
                set_events(s, c, EPOLLIN | EPOLLRDHUP);
            else if (e == SSL_ERROR_WANT_WRITE)
                set_events(s, c, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
            else
                conn_free(s, c, false);
            return;
        }
        c->handshaking = false;
        set_deadline(s, c, s->now + (uint64_t)s->lab->o.idle_ms);
    }
    if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) {
        int eof = fill(s, c);
        if (eof < 0)
            return;
        if (c->closing) {
            if (eof)
                conn_free(s, c, false);
            return;
        }
        if (c->in_len) {
            process(s, c);
            if (!c->drip_ms)
                set_deadline(s, c, s->now + (uint64_t)s->lab->o.idle_ms);
        }
        if (eof) {
            if (c->out_off >= c->out.len && !c->endless) {
                conn_free(s, c, false);
                return;
            }
            c->close_after = true;
        }
    }
    flush(s, c);
}

static void on_timer(struct srv *s, struct conn *c)
{
    if (c->drip_ms && c->out_off < c->out.len && !c->closing) {
        ssize_t w = c->ssl ? SSL_write(c->ssl, c->out.p + c->out_off, 1)
                           : send(c->fd, c->out.p + c->out_off, 1, MSG_NOSIGNAL);
        if (w <= 0 && !c->ssl && (errno == EAGAIN || errno == EWOULDBLOCK))
            w = 0;
        else if (w <= 0) {
            ERR_clear_error();
            conn_free(s, c, false);
            return;
        }
        c->out_off += (size_t)w;
        if (c->out_off < c->out.len) {
            set_deadline(s, c, s->now + c->drip_ms);
            return;
        }
        sbuf_reset(&c->out);
        c->out_off = 0;
        if (c->endless) {
            struct lab_rctx rc = rctx_of(s, c, NULL);
            lab_reply_more(c->endless, &rc, &c->out);
            set_deadline(s, c, s->now + c->drip_ms);
            return;
        }
        c->drip_ms = 0;
        set_deadline(s, c, s->now + (uint64_t)s->lab->o.idle_ms);
        flush(s, c);
        return;
    }
    conn_free(s, c, false); /* idle, or the grace period after our half-close ran out */
}

static void accept_one(struct srv *s, struct listener *l, int fd, const struct sockaddr_in *peer)
{
    struct sockaddr_in local;
    socklen_t ll = sizeof local;
    if (getsockname(fd, (struct sockaddr *)&local, &ll) != 0 || local.sin_family != AF_INET) {
        reset_fd(fd);
        return;
    }
    struct lab_device *d = lab_device_at(s->lab, ntohl(local.sin_addr.s_addr));
    if (!d) {
        s->refused++;
        reset_fd(fd);
        return;
    }
    enum lab_svc svc = lab_pers_svc(d->pi->p, false, l->port);
    if (svc == LAB_SVC_NONE || svc == LAB_SVC_RESET) {
        reset_fd(fd);
        return;
    }
    s->accepted++;
    struct conn *c = xcalloc(1, sizeof *c);
    c->kind = EV_CONN;
    c->fd = fd;
    c->dev = d;
    c->svc = svc;
    c->lport = l->port;
    c->peer = ntohl(peer->sin_addr.s_addr);
    c->heap_idx = SIZE_MAX;
    c->rng = (uint64_t)s->accepted * 0x9e3779b97f4a7c15ull;
    sbuf_init(&c->out, LAB_MAX_REPLY);
    c->events = EPOLLIN | EPOLLRDHUP;
    if (svc == LAB_SVC_TARPIT) {
        if (s->n_tarpit >= MAX_TARPIT) {
            /* drop the oldest tarpit: the heap top is not necessarily it, so take any */
            for (size_t i = 0; i < s->n_heap; i++)
                if (s->heap[i]->tarpit) {
                    conn_free(s, s->heap[i], false);
                    break;
                }
        }
        c->tarpit = true;
        s->n_tarpit++;
        c->events = EPOLLRDHUP;
    }
    struct epoll_event e = { .events = c->events, .data.ptr = c };
    if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &e) != 0) {
        conn_free(s, c, true);
        return;
    }
    set_deadline(s, c, s->now + (uint64_t)s->lab->o.idle_ms * (c->tarpit ? 10 : 1));
    if (c->tarpit)
        return;
    if (svc == LAB_SVC_HTTPS) {
        SSL_CTX *ctx = lab_tls_ctx(s->lab, d);
        if (!ctx || !(c->ssl = SSL_new(ctx))) {
            conn_free(s, c, true);
            return;
        }
        SSL_set_fd(c->ssl, fd);
        c->handshaking = true;
        on_conn(s, c, EPOLLIN);
        return;
    }
    if (svc == LAB_SVC_BANNER) {
        bool more;
        const struct lab_reply *r = lab_match_bytes(d->pi->p, LAB_R_BANNER, l->port, NULL, 0, &more);
        if (r)
            emit(s, c, r, NULL);
        flush(s, c);
        return;
    }
    on_conn(s, c, EPOLLIN); /* the request is often there already */
}

static void on_listen(struct srv *s, struct listener *l)
{
    for (int k = 0; k < 64; k++) {
        struct sockaddr_in peer;
        socklen_t pl = sizeof peer;
        int fd = accept4(l->fd, (struct sockaddr *)&peer, &pl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE) {
                /* Out of descriptors: free the spare, take the connection and reset it, so the
                 * backlog drains instead of waking us in a loop (the libev trick). */
                close(s->spare_fd);
                fd = accept(l->fd, NULL, NULL);
                if (fd >= 0)
                    reset_fd(fd);
                s->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
                continue;
            }
            return;
        }
        if (pl < sizeof peer || peer.sin_family != AF_INET) {
            reset_fd(fd);
            continue;
        }
        accept_one(s, l, fd, &peer);
    }
}

/* ---- UDP ---- */

struct dgram_ctx {
    struct srv *s;
    struct lab_rctx rc;
};

static void snmp_value(void *ctx, const struct lab_snmp_obj *o, struct sbuf *out)
{
    lab_expand(ctx, o->value, strlen(o->value), out);
}

static void send_from(struct srv *s, int fd, uint32_t from, const struct sockaddr_in *to,
                      const void *buf, size_t len)
{
    struct iovec iov = { (void *)buf, len };
    char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
    memset(cbuf, 0, sizeof cbuf);
    struct msghdr m = { .msg_name = (void *)to, .msg_namelen = sizeof *to, .msg_iov = &iov,
                        .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    cm->cmsg_level = IPPROTO_IP;
    cm->cmsg_type = IP_PKTINFO;
    cm->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
    struct in_pktinfo pi = { 0 };
    pi.ipi_spec_dst.s_addr = htonl(from);
    memcpy(CMSG_DATA(cm), &pi, sizeof pi);
    if (sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
        log_debug("lab: udp reply: %s", strerror(errno));
    s->datagrams++;
}

static void send_replies(struct srv *s, int fd, struct lab_rctx *rc, const struct sockaddr_in *to,
                         uint16_t port, const uint8_t *d, size_t n)
{
    const struct lab_pers *p = rc->dev->pi->p;
    struct sbuf out;
    sbuf_init(&out, 65507);
    /* Every matching block of the first personality along the base chain that has blocks for this
     * port answers (a personality's own blocks replace its base's, as for TCP). */
    bool own = false;
    for (const struct lab_pers *q = p; q && !own; q = q->base_p)
        for (size_t i = 0; i < q->n_replies; i++) {
            const struct lab_reply *r = &q->replies[i];
            if (r->kind != LAB_R_UDP || r->port != port)
                continue;
            own = true;
            /* lab_match_bytes returns the first match; here every matching block answers */
            if (r->prefix && (n < r->prefix_len || memcmp(d, r->prefix, r->prefix_len)))
                continue;
            if (r->when_body) {
                size_t wl = strlen(r->when_body);
                bool found = false;
                for (size_t k = 0; k + wl <= n && !found; k++)
                    found = !memcmp(d + k, r->when_body, wl);
                if (!found)
                    continue;
            }
            sbuf_reset(&out);
            lab_reply_build(r, rc, &out);
            for (unsigned k = 0; k < r->repeat; k++)
                send_from(s, fd, rc->dev->addr, to, out.p, out.len);
            s->exchanges++;
        }
    sbuf_deinit(&out);
}

static void answer_dgram(struct srv *s, struct listener *l, struct lab_device *d,
                         const struct sockaddr_in *peer, const uint8_t *data, size_t n)
{
    enum lab_svc svc = lab_pers_svc(d->pi->p, true, l->port);
    struct lab_rctx rc = { .lab = s->lab, .dev = d, .lport = l->port,
                           .peer = ntohl(peer->sin_addr.s_addr),
                           .rng = d->seed ^ (s->datagrams * 0x9e3779b97f4a7c15ull) };
    switch (svc) {
    case LAB_SVC_SADP:
        if (!lab_sadp_match(data, n, &rc.uuid))
            return;
        break;
    case LAB_SVC_DHIP:
        if (!lab_dhip_match(data, n))
            return;
        break;
    case LAB_SVC_WSD:
        if (!lab_wsd_match(data, n, &rc.msgid))
            return;
        break;
    case LAB_SVC_SSDP:
        if (!lab_ssdp_match(data, n, &rc.st))
            return;
        if (rc.st.n == 8 && !memcmp(rc.st.p, "ssdp:all", 8))
            rc.st = (struct lab_span){ "upnp:rootdevice", 15 };
        break;
    case LAB_SVC_UDPRAW: break;
    case LAB_SVC_SNMP: {
        struct lab_snmp_req req;
        if (lab_snmp_parse(data, n, &req) != 0)
            return;
        const struct lab_pers *q = d->pi->p;
        while (q && !q->snmp_community)
            q = q->base_p;
        const char *comm = q ? q->snmp_community : "public";
        if (strlen(comm) != req.community.n || memcmp(comm, req.community.p, req.community.n))
            return; /* agents drop a wrong community silently (RFC 3584 5.2.1 counts it) */
        uint8_t out[LAB_SNMP_MAX_REPLY + 256];
        long len = lab_snmp_answer(&req, d->pi->p->mib, d->pi->p->n_mib, snmp_value, &rc,
                                   (uint32_t)((s->now - s->start) / 10), out, sizeof out);
        if (len > 0) {
            send_from(s, l->fd, d->addr, peer, out, (size_t)len);
            s->exchanges++;
        }
        return;
    }
    case LAB_SVC_MDNS: {
        const struct lab_pers *q = d->pi->p;
        while (q && !q->mdns.service)
            q = q->base_p;
        if (!q)
            return;
        struct sbuf inst, tgt, txt;
        sbuf_init(&inst, 256);
        sbuf_init(&tgt, 256);
        sbuf_init(&txt, 256);
        lab_expand(&rc, q->mdns.instance, strlen(q->mdns.instance), &inst);
        lab_expand(&rc, q->mdns.target, strlen(q->mdns.target), &tgt);
        if (q->mdns.txt)
            lab_expand(&rc, q->mdns.txt, strlen(q->mdns.txt), &txt);
        struct lab_mdns_rec rec = { .service = q->mdns.service, .instance = inst.p,
                                    .target = tgt.p, .port = q->mdns.port,
                                    .txt = q->mdns.txt ? txt.p : NULL, .ipv4 = d->addr };
        uint8_t out[2048];
        long len = lab_mdns_answer(data, n, &rec, ntohs(peer->sin_port) != 5353, out, sizeof out);
        if (len > 0) {
            send_from(s, l->fd, d->addr, peer, out, (size_t)len);
            s->exchanges++;
        }
        sbuf_deinit(&inst);
        sbuf_deinit(&tgt);
        sbuf_deinit(&txt);
        return;
    }
    default: return;
    }
    send_replies(s, l->fd, &rc, peer, l->port, data, n);
}

static bool seen_recently(struct srv *s, const struct sockaddr_in *peer, const uint8_t *d, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ d[i]) * 0x100000001b3ull;
    for (size_t i = 0; i < sizeof s->recent / sizeof *s->recent; i++)
        if (s->recent[i].hash == h && s->recent[i].addr == peer->sin_addr.s_addr &&
            s->recent[i].port == peer->sin_port && s->now - s->recent[i].at < 500)
            return true;
    size_t k = s->recent_i++ % (sizeof s->recent / sizeof *s->recent);
    s->recent[k].hash = h;
    s->recent[k].addr = peer->sin_addr.s_addr;
    s->recent[k].port = peer->sin_port;
    s->recent[k].at = s->now;
    return false;
}

static void on_udp(struct srv *s, struct listener *l)
{
    static uint8_t buf[65536];
    for (int k = 0; k < 64; k++) {
        struct sockaddr_in peer;
        char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
        struct iovec iov = { buf, sizeof buf };
        struct msghdr m = { .msg_name = &peer, .msg_namelen = sizeof peer, .msg_iov = &iov,
                            .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
        ssize_t n = recvmsg(l->fd, &m, MSG_DONTWAIT);
        if (n < 0)
            return;
        if (m.msg_namelen < sizeof peer || peer.sin_family != AF_INET || (m.msg_flags & MSG_TRUNC))
            continue;
        uint32_t dst = 0;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
            if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
                struct in_pktinfo pi;
                memcpy(&pi, CMSG_DATA(cm), sizeof pi);
                dst = ntohl(pi.ipi_addr.s_addr);
            }
        bool group = (dst >> 28) == 0xe || dst == 0xffffffffu ||
                     (s->lab->o.all_ifaces && (dst & 0xff) == 0xff && !lab_device_at(s->lab, dst));
        if (group) {
            /* Multicast and broadcast reach every device of the segment: only inside a private
             * namespace, where the lab joined the groups. */
            if (!s->lab->o.all_ifaces || seen_recently(s, &peer, buf, (size_t)n))
                continue;
            for (uint32_t i = 0; i < s->lab->n; i++) {
                struct lab_device *d = &s->lab->dev[i];
                if (ntohl(peer.sin_addr.s_addr) == d->addr)
                    continue; /* not to ourselves */
                if (lab_pers_svc(d->pi->p, true, l->port) != LAB_SVC_NONE)
                    answer_dgram(s, l, d, &peer, buf, (size_t)n);
            }
            continue;
        }
        struct lab_device *d = lab_device_at(s->lab, dst);
        if (!d) {
            s->refused++;
            continue;
        }
        answer_dgram(s, l, d, &peer, buf, (size_t)n);
    }
}

/* ---- setup ---- */

static const struct {
    enum lab_svc svc;
    const char *group;
} groups[] = {
    { LAB_SVC_SADP, "239.255.255.250" }, /* protocols.md 1.1 */
    { LAB_SVC_WSD, "239.255.255.250" },  /* WS-Discovery 2005/04, 3.1.1 */
    { LAB_SVC_SSDP, "239.255.255.250" }, /* UPnP Device Architecture 1.1 */
    { LAB_SVC_DHIP, "239.255.255.251" }, /* protocols.md 2.1 */
    { LAB_SVC_MDNS, "224.0.0.251" },     /* RFC 6762 */
};

static void join_groups(int fd, enum lab_svc svc)
{
    const char *g = NULL;
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
        if (groups[i].svc == svc)
            g = groups[i].group;
    if (!g)
        return;
    int zero = 0;
    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof zero);
    struct if_nameindex *ifs = if_nameindex();
    int q = socket(AF_INET, SOCK_DGRAM, 0);
    for (struct if_nameindex *i = ifs; i && i->if_index; i++) {
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", i->if_name);
        if (ioctl(q, SIOCGIFFLAGS, &ifr) != 0 || !(ifr.ifr_flags & IFF_UP) ||
            !(ifr.ifr_flags & IFF_MULTICAST) || (ifr.ifr_flags & IFF_LOOPBACK))
            continue;
        struct ip_mreqn mr;
        memset(&mr, 0, sizeof mr);
        inet_pton(AF_INET, g, &mr.imr_multiaddr);
        mr.imr_ifindex = (int)i->if_index;
        if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr) != 0)
            log_debug("lab: joining %s on %s: %s", g, i->if_name, strerror(errno));
    }
    if (q >= 0)
        close(q);
    if (ifs)
        if_freenameindex(ifs);
}

static int open_port(struct srv *s, uint16_t port, bool udp, enum lab_svc any_svc)
{
    int fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        log_error("lab: socket: %s", strerror(errno));
        return UNMASK_EIO;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (!s->lab->o.all_ifaces &&
        setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) != 0) {
        log_error("lab: binding %s port %u to the loopback device: %s", udp ? "UDP" : "TCP", port,
                  strerror(errno));
        close(fd);
        return UNMASK_EIO;
    }
    if (udp) {
        setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
        setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
        int big = 1 << 20;
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    }
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        int e = errno;
        log_error("lab: cannot bind %s port %u: %s", udp ? "UDP" : "TCP", port, strerror(e));
        if (e == EACCES)
            fputs("unmask: hint: ports below 1024 need root or a user network namespace:\n"
                  "unmask: hint:   unshare -rn sh -c 'ip link set lo up; unmask lab ...'\n",
                  stderr);
        else if (e == EADDRINUSE)
            fputs("unmask: hint: another program (or lab) holds the port; run the lab in its own "
                  "network namespace (unshare -rn)\n", stderr);
        close(fd);
        return UNMASK_EIO;
    }
    if (!udp && listen(fd, 4096) != 0) {
        log_error("lab: listen on port %u: %s", port, strerror(errno));
        close(fd);
        return UNMASK_EIO;
    }
    if (udp && s->lab->o.all_ifaces)
        join_groups(fd, any_svc);
    s->ls = xrealloc(s->ls, (s->n_ls + 1) * sizeof *s->ls);
    struct listener *l = &s->ls[s->n_ls++];
    l->kind = udp ? EV_UDP : EV_LISTEN;
    l->fd = fd;
    l->port = port;
    return 0;
}

static int write_file(const char *path, const char *text)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f || fputs(text, f) == EOF || fclose(f) != 0 || rename(tmp, path) != 0) {
        log_error("lab: %s: %s", path, strerror(errno));
        unlink(tmp);
        return UNMASK_EIO;
    }
    return 0;
}

static int open_all(struct srv *s)
{
    /* The union of the ports of the personalities in use. */
    struct lab *lab = s->lab;
    bool *used = xcalloc(lab->n_pinfo ? lab->n_pinfo : 1, sizeof *used);
    for (uint32_t i = 0; i < lab->n; i++)
        used[lab->dev[i].pi - lab->pinfo] = true;
    static enum lab_svc tcp_svc[65536], udp_svc[65536];
    memset(tcp_svc, 0, sizeof tcp_svc);
    memset(udp_svc, 0, sizeof udp_svc);
    for (size_t i = 0; i < lab->n_pinfo; i++) {
        if (!used[i])
            continue;
        for (const struct lab_pers *p = lab->pinfo[i].p; p; p = p->base_p) {
            for (size_t k = 0; k < p->n_tcp; k++)
                if (!tcp_svc[p->tcp_port[k]])
                    tcp_svc[p->tcp_port[k]] = p->tcp_svc[k];
            for (size_t k = 0; k < p->n_udp; k++)
                if (!udp_svc[p->udp_port[k]])
                    udp_svc[p->udp_port[k]] = p->udp_svc[k];
        }
    }
    free(used);
    for (unsigned port = 1; port < 65536; port++) {
        if (tcp_svc[port] && open_port(s, (uint16_t)port, false, tcp_svc[port]) != 0)
            return UNMASK_EIO;
        if (udp_svc[port] && open_port(s, (uint16_t)port, true, udp_svc[port]) != 0)
            return UNMASK_EIO;
    }
    for (size_t i = 0; i < s->n_ls; i++) {
        struct epoll_event e = { .events = EPOLLIN, .data.ptr = &s->ls[i] };
        if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->ls[i].fd, &e) != 0)
            return UNMASK_EIO;
    }
    return 0;
}

static void raise_nofile(void)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

int lab_serve(struct lab *lab)
{
    struct srv s = { .lab = lab, .spare_fd = -1 };
    int rc = 0;
    bool wrote_pid = false, wrote_ready = false;
    sigset_t mask, old;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, &old);
    signal(SIGPIPE, SIG_IGN);
    raise_nofile();
    s.ep = epoll_create1(EPOLL_CLOEXEC);
    s.sig.kind = EV_SIGNAL;
    s.sig.fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    s.spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    struct epoll_event se = { .events = EPOLLIN, .data.ptr = &s.sig };
    if (s.ep < 0 || s.sig.fd < 0 || epoll_ctl(s.ep, EPOLL_CTL_ADD, s.sig.fd, &se) != 0) {
        log_error("lab: epoll/signalfd: %s", strerror(errno));
        rc = UNMASK_EIO;
        goto out;
    }
    if ((rc = open_all(&s)) != 0)
        goto out;
    if (lab->o.pidfile) {
        char pid[32];
        snprintf(pid, sizeof pid, "%d\n", (int)getpid());
        if ((rc = write_file(lab->o.pidfile, pid)) != 0)
            goto out;
        wrote_pid = true;
    }
    char first[INET_ADDRSTRLEN], last[INET_ADDRSTRLEN], line[128];
    struct in_addr a = { htonl(lab->o.base) }, b = { htonl(lab->o.base + lab->n - 1) };
    inet_ntop(AF_INET, &a, first, sizeof first);
    inet_ntop(AF_INET, &b, last, sizeof last);
    snprintf(line, sizeof line, "unmask lab: ready %u devices %s-%s\n", lab->n, first, last);
    if (lab->o.ready_file) {
        if ((rc = write_file(lab->o.ready_file, line)) != 0)
            goto out;
        wrote_ready = true;
    }
    fputs(line, stdout);
    fflush(stdout);
    s.start = s.now = mono_ms();
    struct epoll_event evs[256];
    while (!s.stop) {
        int timeout = -1;
        if (s.n_heap)
            timeout = s.heap[0]->deadline <= s.now ? 0 : (int)(s.heap[0]->deadline - s.now);
        int n = epoll_wait(s.ep, evs, 256, timeout);
        if (n < 0 && errno != EINTR) {
            log_error("lab: epoll_wait: %s", strerror(errno));
            rc = UNMASK_EIO;
            break;
        }
        s.now = mono_ms();
        for (int i = 0; i < n; i++) {
            enum ev_kind *k = evs[i].data.ptr;
            switch (*k) {
            case EV_LISTEN: on_listen(&s, (struct listener *)k); break;
            case EV_UDP: on_udp(&s, (struct listener *)k); break;
            case EV_CONN: on_conn(&s, (struct conn *)k, evs[i].events); break;
            case EV_SIGNAL: {
                struct signalfd_siginfo si;
                while (read(s.sig.fd, &si, sizeof si) == sizeof si)
                    s.stop = true;
                break;
            }
            }
        }
        while (s.n_heap && s.heap[0]->deadline <= s.now)
            on_timer(&s, s.heap[0]);
    }
    log_info("lab: stopped: %lu connections, %lu refused, %lu exchanges, %lu datagrams sent",
             s.accepted, s.refused, s.exchanges, s.datagrams);
out:
    while (s.n_heap)
        conn_free(&s, s.heap[0], false);
    free(s.heap);
    for (size_t i = 0; i < s.n_ls; i++)
        close(s.ls[i].fd);
    free(s.ls);
    if (s.sig.fd >= 0)
        close(s.sig.fd);
    if (s.ep >= 0)
        close(s.ep);
    if (s.spare_fd >= 0)
        close(s.spare_fd);
    if (wrote_pid)
        unlink(lab->o.pidfile);
    if (wrote_ready)
        unlink(lab->o.ready_file);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}
