/* loop.c: epoll and a timer heap; see loop.h.
 *
 * Timers live in a binary min-heap of pointers ordered by deadline; each timer remembers its slot, so
 * stopping one is O(log n) without a search. Timers due in this turn run after the I/O callbacks, and
 * a timer re-armed from its own callback for "now" waits for the next turn, so a busy timer cannot
 * starve sockets. */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/xalloc.h"

#define LOOP_BATCH 256

struct loop {
    int epfd;
    uint64_t now;
    struct loop_timer **heap;
    size_t n_heap, cap_heap;
};

static uint64_t clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct loop *loop_new(void)
{
    int fd = epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct loop *l = xcalloc(1, sizeof *l);
    l->epfd = fd;
    l->now = clock_ms();
    return l;
}

void loop_free(struct loop *l)
{
    if (!l)
        return;
    close(l->epfd);
    free(l->heap);
    free(l);
}

uint64_t loop_now(const struct loop *l)
{
    return l->now;
}

uint64_t loop_update_time(struct loop *l)
{
    return l->now = clock_ms();
}

static uint32_t to_epoll(unsigned ev)
{
    return (ev & LOOP_READ ? EPOLLIN : 0u) | (ev & LOOP_WRITE ? EPOLLOUT : 0u);
}

int loop_io_start(struct loop *l, struct loop_io *io, int fd, unsigned events, loop_io_fn *cb)
{
    io->fd = fd;
    io->events = events;
    io->cb = cb;
    struct epoll_event e = { .events = to_epoll(events), .data.ptr = io };
    return epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &e) == 0 ? UNMASK_OK : UNMASK_EIO;
}

int loop_io_set(struct loop *l, struct loop_io *io, unsigned events)
{
    if (io->events == events)
        return UNMASK_OK;
    io->events = events;
    struct epoll_event e = { .events = to_epoll(events), .data.ptr = io };
    return epoll_ctl(l->epfd, EPOLL_CTL_MOD, io->fd, &e) == 0 ? UNMASK_OK : UNMASK_EIO;
}

void loop_io_stop(struct loop *l, struct loop_io *io)
{
    if (io->fd < 0)
        return;
    epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, NULL);
    io->events = 0;
}

/* Heap helpers: slot = index + 1. */
static void heap_set(struct loop *l, size_t i, struct loop_timer *t)
{
    l->heap[i] = t;
    t->slot = i + 1;
}

static void heap_up(struct loop *l, size_t i)
{
    struct loop_timer *t = l->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (l->heap[parent]->when <= t->when)
            break;
        heap_set(l, i, l->heap[parent]);
        i = parent;
    }
    heap_set(l, i, t);
}

static void heap_down(struct loop *l, size_t i)
{
    struct loop_timer *t = l->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= l->n_heap)
            break;
        if (c + 1 < l->n_heap && l->heap[c + 1]->when < l->heap[c]->when)
            c++;
        if (t->when <= l->heap[c]->when)
            break;
        heap_set(l, i, l->heap[c]);
        i = c;
    }
    heap_set(l, i, t);
}

void loop_timer_stop(struct loop *l, struct loop_timer *t)
{
    if (!t->slot)
        return;
    size_t i = t->slot - 1;
    t->slot = 0;
    struct loop_timer *last = l->heap[--l->n_heap];
    if (i == l->n_heap)
        return;
    heap_set(l, i, last);
    heap_up(l, i);
    heap_down(l, last->slot - 1);
}

void loop_timer_start(struct loop *l, struct loop_timer *t, uint64_t ms, loop_timer_fn *cb)
{
    loop_timer_stop(l, t);
    t->when = l->now + ms;
    t->cb = cb;
    xgrow((void **)&l->heap, &l->cap_heap, l->n_heap + 1, sizeof *l->heap);
    heap_set(l, l->n_heap++, t);
    heap_up(l, l->n_heap - 1);
}

int loop_run_once(struct loop *l, int max_ms)
{
    int wait = max_ms;
    if (l->n_heap) {
        uint64_t first = l->heap[0]->when;
        int until = first <= l->now ? 0 : (int)(first - l->now > 86400000 ? 86400000 : first - l->now);
        if (wait < 0 || until < wait)
            wait = until;
    }
    struct epoll_event ev[LOOP_BATCH];
    int n = epoll_wait(l->epfd, ev, LOOP_BATCH, wait);
    if (n < 0 && errno != EINTR)
        return UNMASK_EIO;
    l->now = clock_ms();
    int ran = 0;
    for (int i = 0; i < n; i++) {
        struct loop_io *io = ev[i].data.ptr;
        if (!io->events) /* stopped by an earlier callback of this batch; its memory is still valid
                          * because owners free handles only between turns */
            continue;
        unsigned got = (ev[i].events & (EPOLLIN | EPOLLRDHUP) ? LOOP_READ : 0u) |
                       (ev[i].events & EPOLLOUT ? LOOP_WRITE : 0u) |
                       (ev[i].events & (EPOLLERR | EPOLLHUP) ? LOOP_ERROR : 0u);
        io->cb(l, io, got);
        ran++;
    }
    /* Due timers; those armed during this loop for "now" have when == now and would run here too,
     * so take a snapshot of the deadline. */
    uint64_t due = l->now;
    while (l->n_heap && l->heap[0]->when <= due) {
        struct loop_timer *t = l->heap[0];
        loop_timer_stop(l, t);
        t->cb(l, t);
        ran++;
    }
    return ran;
}
