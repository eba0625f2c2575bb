/* fuzz_dahua.c: the RPC2_Login challenge (JSON) and the DVRIP realm reply, and the DVRIP probe. */
#include "fuzz_probe.inc"

#include "../../src/proto/dahua.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dahua_challenge ch;
    if (dahua_rpc2_parse(data, size, &ch) == UNMASK_OK)
        FUZZ_ASSERT(memchr(ch.realm, '\0', sizeof ch.realm) && memchr(ch.mac, '\0', sizeof ch.mac));
    int rc = dahua_dvrip_parse(data, size, &ch);
    FUZZ_ASSERT(rc == UNMASK_OK || rc == UNMASK_EAGAIN || rc == UNMASK_EPARSE);
    run_probe(&probe_dvrip, data, size, 1);
    return 0;
}
