/* fuzz_sadp.c: SADP replies (XML through libxml2, snake_case names) and the SADP probe. */
#include "fuzz_probe.inc"

#include "../../src/proto/sadp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sadp_match *m = malloc(sizeof *m);
    if (sadp_parse(data, size, m) == UNMASK_OK) {
        FUZZ_ASSERT(m->n <= SADP_MAX_FIELDS);
        for (size_t i = 0; i < m->n; i++)
            FUZZ_ASSERT(memchr(m->f[i].value, '\0', sizeof m->f[i].value));
    }
    free(m);
    run_probe(&probe_sadp, data, size, 1);
    return 0;
}
