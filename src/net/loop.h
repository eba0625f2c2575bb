/* loop.h: a small event loop: epoll for sockets, a binary heap for timers (in the spirit of redis ae).
 *
 * Handles are embedded in the caller's structs (libuv style): struct loop_io for a file descriptor,
 * struct loop_timer for a deadline. The loop never allocates per event, keeps no pointer to a handle
 * once it is removed, and calls back on one thread. Time is a monotonic clock in milliseconds, read
 * once per turn of the loop. */
#ifndef UNMASK_LOOP_H
#define UNMASK_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOOP_READ 1u
#define LOOP_WRITE 2u
#define LOOP_ERROR 4u /* reported only: EPOLLERR or EPOLLHUP */

struct loop;
struct loop_io;
struct loop_timer;

typedef void loop_io_fn(struct loop *l, struct loop_io *io, unsigned events);
typedef void loop_timer_fn(struct loop *l, struct loop_timer *t);

struct loop_io {
    int fd;
    unsigned events; /* read-only: what is being watched */
    loop_io_fn *cb;
};

struct loop_timer {
    uint64_t when;     /* read-only: deadline (loop_now() scale) */
    size_t slot;       /* private: heap index + 1, 0 when not armed */
    loop_timer_fn *cb;
};

struct loop *loop_new(void);
void loop_free(struct loop *l);
/* Milliseconds of the monotonic clock as of this turn. */
uint64_t loop_now(const struct loop *l);
/* Reads the clock again (after long work inside a callback). */
uint64_t loop_update_time(struct loop *l);

/* Starts watching io->fd for events (LOOP_READ|LOOP_WRITE). Returns 0 or UNMASK_EIO. */
int loop_io_start(struct loop *l, struct loop_io *io, int fd, unsigned events, loop_io_fn *cb);
/* Changes the watched events. */
int loop_io_set(struct loop *l, struct loop_io *io, unsigned events);
/* Stops watching; the caller then closes the fd. Safe on a handle that is not started (fd < 0).
 * Events of this turn already fetched for io are dropped; the handle's memory must stay valid until
 * loop_run_once returns (free handles between turns). */
void loop_io_stop(struct loop *l, struct loop_io *io);

/* Arms (or re-arms) t to fire after ms milliseconds. */
void loop_timer_start(struct loop *l, struct loop_timer *t, uint64_t ms, loop_timer_fn *cb);
void loop_timer_stop(struct loop *l, struct loop_timer *t);
static inline bool loop_timer_armed(const struct loop_timer *t)
{
    return t->slot != 0;
}

/* Waits for events at most max_ms (or until the next timer), runs their callbacks and the due
 * timers. Returns the number of callbacks run, or UNMASK_EIO when epoll failed (not on EINTR). */
int loop_run_once(struct loop *l, int max_ms);

#endif
