/* fuzz_wsd.c: WS-Discovery ProbeMatches and ONVIF SOAP answers (XML through libxml2), the scope
 * splitting and the XAddrs follow-up of the WS-Discovery probe. */
#include "fuzz_probe.inc"

#include "../../src/proto/onvif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct wsd_match *m = malloc(sizeof *m);
    struct onvif_info *in = malloc(sizeof *in);
    if (wsd_parse(data, size, m) == UNMASK_OK)
        FUZZ_ASSERT(memchr(m->scopes, '\0', sizeof m->scopes));
    onvif_parse(data, size, in);
    char host[64], path[256];
    int port;
    if (onvif_split_url((const char *)data, size, host, sizeof host, &port, path, sizeof path))
        FUZZ_ASSERT(port >= 1 && port <= 65535 && path[0] == '/');
    free(m);
    free(in);
    run_probe(&probe_wsd, data, size, 2);
    return 0;
}
