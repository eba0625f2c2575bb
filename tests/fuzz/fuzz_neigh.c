/* fuzz_neigh.c: rtnetlink neighbour dumps (neigh_parse): lengths and attributes from the kernel are
 * bounds-checked like any other input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/net/neigh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void add(void *ctx, const struct neigh_entry *e)
{
    (void)e;
    ++*(size_t *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Netlink buffers are 4-byte aligned: copy into an aligned, exact-size buffer. */
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    size_t n = 0;
    neigh_parse(copy, size, add, &n);
    free(copy);
    return 0;
}
