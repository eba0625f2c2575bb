/* fuzz_snmp.c: the BER reader (snmp_parse), value formatting, and the SNMP probe's observe. */
#include "fuzz_probe.inc"

#include "../../src/proto/snmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    struct snmp_msg m;
    if (snmp_parse(copy, size, &m) == UNMASK_OK) {
        FUZZ_ASSERT(m.n_vb <= SNMP_MAX_VARBINDS);
        for (size_t i = 0; i < m.n_vb; i++) {
            char text[64];
            FUZZ_ASSERT(snmp_value_text(&m.vb[i], text, sizeof text) < sizeof text);
            FUZZ_ASSERT(memchr(m.vb[i].oid, '\0', sizeof m.vb[i].oid));
            FUZZ_ASSERT(m.vb[i].value + m.vb[i].value_len <= copy + size);
        }
    }
    free(copy);
    run_probe(&probe_snmp, data, size, 2);
    return 0;
}
