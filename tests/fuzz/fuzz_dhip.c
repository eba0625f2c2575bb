/* fuzz_dhip.c: DHIP datagrams (header, NUL padding, JSON through yajl) and the DHIP probe. The input
 * is also tried behind a valid header, so the JSON path is reached. */
#include "fuzz_probe.inc"

#include "../../src/proto/dhip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dhip_reply *r = malloc(sizeof *r);
    int rc = dhip_parse(data, size, r);
    FUZZ_ASSERT(rc == UNMASK_OK || rc == UNMASK_EAGAIN || rc == UNMASK_EPARSE);
    if (size < 60000) {
        uint8_t *framed = malloc(32 + size);
        memset(framed, 0, 32);
        framed[0] = 0x20;
        memcpy(framed + 4, "DHIP", 4);
        framed[16] = (uint8_t)size;
        framed[17] = (uint8_t)(size >> 8);
        memcpy(framed + 32, data, size);
        if (dhip_parse(framed, 32 + size, r) == UNMASK_OK)
            FUZZ_ASSERT(r->n <= DHIP_MAX_FIELDS);
        run_probe(&probe_dhip, framed, 32 + size, 1);
        free(framed);
    }
    free(r);
    run_probe(&probe_dhip, data, size, 1);
    return 0;
}
