/* lab_load.c: a small closed-loop load generator for bench/lab_bench.sh.
 *
 *   lab_load FIRST-ADDR N-HOSTS PORT CONCURRENCY SECONDS [PATH]
 *
 * Keeps CONCURRENCY connections busy, spread round-robin over N-HOSTS consecutive addresses. Without
 * PATH each exchange is one TCP connection: connect, send "GET / HTTP/1.0", read until the server
 * closes, close with a reset (no TIME_WAIT on the client side). With PATH the connections stay open
 * and each exchange is one "GET PATH HTTP/1.1" and its response (read by its Content-Length). Prints
 * exchanges per second, errors and its own CPU time. Written for the bench only (one thread, epoll). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static char req[512] = "GET / HTTP/1.0\r\n\r\n";
static size_t req_len;
static int keepalive;

struct c {
    int fd;
    int sent;
    size_t got;
    char head[4096]; /* keep-alive: the start of the response, to find its length */
    size_t want;     /* keep-alive: total bytes of the response, 0 until known */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t base, nhosts, next;
static unsigned short port;
static int ep;
static unsigned long errors;

static void start(struct c *c)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    a.sin_addr.s_addr = htonl(base + next++ % nhosts);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    c->sent = 0;
    c->got = 0;
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS) {
        errors++;
        close(c->fd);
        c->fd = -1;
        return;
    }
    struct epoll_event e = { .events = EPOLLOUT | EPOLLIN, .data.ptr = c };
    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e);
}

static void finish(struct c *c, int ok)
{
    struct linger l = { 1, 0 };
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(c->fd);
    if (!ok)
        errors++;
    start(c);
}

int main(int argc, char **argv)
{
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: lab_load FIRST-ADDR N-HOSTS PORT CONCURRENCY SECONDS [PATH]\n");
        return 2;
    }
    struct in_addr a;
    if (inet_pton(AF_INET, argv[1], &a) != 1)
        return 2;
    base = ntohl(a.s_addr);
    nhosts = (uint32_t)atoi(argv[2]);
    port = (unsigned short)atoi(argv[3]);
    int conc = atoi(argv[4]);
    double secs = atof(argv[5]);
    ep = epoll_create1(0);
    struct c *cs = calloc((size_t)conc, sizeof *cs);
    for (int i = 0; i < conc; i++)
        start(&cs[i]);
    if (argc == 7) {
        keepalive = 1;
        snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: lab\r\n\r\n", argv[6]);
    }
    req_len = strlen(req);
    unsigned long done = 0, bytes = 0;
    double t0 = now(), end = t0 + secs;
    struct epoll_event evs[512];
    while (now() < end) {
        int n = epoll_wait(ep, evs, 512, 100);
        for (int i = 0; i < n; i++) {
            struct c *c = evs[i].data.ptr;
            if (!c->sent && (evs[i].events & EPOLLOUT)) {
                if (send(c->fd, req, req_len, MSG_NOSIGNAL) != (ssize_t)req_len) {
                    finish(c, 0);
                    continue;
                }
                c->sent = 1;
                struct epoll_event e = { .events = EPOLLIN, .data.ptr = c };
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
                continue;
            }
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                char buf[16384];
                for (;;) {
                    ssize_t r = recv(c->fd, buf, sizeof buf, 0);
                    if (r > 0) {
                        if (keepalive && c->got < sizeof c->head) {
                            size_t k = (size_t)r < sizeof c->head - c->got ? (size_t)r
                                                                            : sizeof c->head - c->got;
                            memcpy(c->head + c->got, buf, k);
                        }
                        c->got += (size_t)r;
                        if (keepalive && !c->want) {
                            char *e = memmem(c->head, c->got < sizeof c->head ? c->got : sizeof c->head,
                                             "\r\n\r\n", 4);
                            char *cl = e ? memmem(c->head, (size_t)(e - c->head), "Content-Length: ", 16)
                                         : NULL;
                            if (e)
                                c->want = (size_t)(e + 4 - c->head) + (cl ? strtoul(cl + 16, NULL, 10) : 0);
                        }
                        if (keepalive && c->want && c->got >= c->want) {
                            bytes += c->got;
                            done++;
                            c->got = c->want = 0;
                            if (send(c->fd, req, req_len, MSG_NOSIGNAL) != (ssize_t)req_len) {
                                finish(c, 0);
                                break;
                            }
                        }
                        continue;
                    }
                    if (r == 0) {
                        bytes += c->got;
                        done++;
                        finish(c, c->got > 0);
                    } else if (errno != EAGAIN) {
                        finish(c, 0);
                    }
                    break;
                }
            }
        }
    }
    double t = now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    printf("%lu exchanges in %.2f s: %.0f/s (%.0f bytes each), %lu errors; load generator CPU %.0f%%\n",
           done, t, done / t, done ? (double)bytes / done : 0.0, errors, 100 * cpu / t);
    return errors > done / 100 ? 1 : 0;
}
