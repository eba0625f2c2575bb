/* arena.c: see arena.h. Blocks are chained; a request larger than the block size gets its own block. */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct arena_block {
    struct arena_block *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
};

static struct arena_block *block_new(size_t size, struct arena_block *next)
{
    struct arena_block *b = xmalloc(sizeof(*b) + size);
    b->next = next;
    b->used = 0;
    b->size = size;
    return b;
}

void arena_init(struct arena *a, size_t block_size)
{
    a->block_size = block_size ? block_size : 16384;
    a->head = NULL;
}

void arena_deinit(struct arena *a)
{
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
}

void arena_reset(struct arena *a)
{
    if (!a->head)
        return;
    struct arena_block *b = a->head;
    /* Keep the oldest block (the one at the tail), free the rest. */
    while (b->next) {
        struct arena_block *n = b->next;
        free(b);
        b = n;
    }
    b->used = 0;
    a->head = b;
}

void *arena_alloc(struct arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    if (!a->head || a->head->size - a->head->used < n) {
        size_t size = n > a->block_size ? n : a->block_size;
        a->head = block_new(size, a->head);
    }
    void *p = a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}
