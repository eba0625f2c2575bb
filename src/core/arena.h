/* arena.h: a bump allocator for everything that lives as long as one device.
 *
 * Observations, derived values and captures of one device are allocated here and released together with
 * arena_reset(): one free for a whole device, no scattered ownership (STYLE R4). */
#ifndef UNMASK_ARENA_H
#define UNMASK_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head; /* private: current block, linked to older ones */
    size_t block_size;        /* private */
};

void arena_init(struct arena *a, size_t block_size);
void arena_deinit(struct arena *a);
/* Frees everything but the first block. */
void arena_reset(struct arena *a);
/* Returns n bytes aligned for any type; never NULL (aborts on OOM). */
void *arena_alloc(struct arena *a, size_t n);
/* Copies n bytes of s and a NUL into the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);

#endif
