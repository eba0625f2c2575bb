/* fuzz_rtsp.c: RTSP replies (the HTTP head parser with the RTSP token, SDP attributes) through the
 * RTSP probe's OPTIONS and DESCRIBE steps. */
#include "fuzz_probe.inc"

#include "../../src/proto/rtsp.h"

static void count(void *ctx, const char *line, size_t n)
{
    (void)line;
    FUZZ_ASSERT(n >= 2);
    ++*(size_t *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = 0;
    FUZZ_ASSERT(rtsp_sdp_attributes(data, size, count, &n) <= RTSP_MAX_SDP_LINES);
    run_probe(&probe_rtsp, data, size, 2);
    return 0;
}
