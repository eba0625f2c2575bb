/* fuzz_mdns.c: DNS message parsing with name compression (mdns_parse) and the mDNS probe. */
#include "fuzz_probe.inc"

#include "../../src/proto/mdns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mdns_msg *m = malloc(sizeof *m);
    if (mdns_parse(data, size, m) == UNMASK_OK) {
        FUZZ_ASSERT(m->n_rr <= MDNS_MAX_RECORDS);
        for (size_t i = 0; i < m->n_rr; i++) {
            FUZZ_ASSERT(memchr(m->rr[i].name, '\0', sizeof m->rr[i].name));
            FUZZ_ASSERT(memchr(m->rr[i].target, '\0', sizeof m->rr[i].target));
        }
    }
    free(m);
    run_probe(&probe_mdns, data, size, 1);
    return 0;
}
