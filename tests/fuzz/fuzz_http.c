/* fuzz_http.c: the HTTP response parser, framing, dechunking and title (src/proto/http.c), and every
 * HTTP-borne probe's observe path (http with each follow-up step, onvif, upnp). */
#include "fuzz_probe.inc"

#include "../../src/proto/http.h"
#include "../../src/proto/onvif.h"
#include "../../src/proto/ssdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    struct http_response r;
    int h = http_parse_head(copy, size, "HTTP/", &r);
    FUZZ_ASSERT(h == UNMASK_EAGAIN || h == UNMASK_EPARSE || h == UNMASK_ELIMIT || (h > 0 && (size_t)h <= size));
    if (h > 0) {
        FUZZ_ASSERT(r.n_headers <= HTTP_MAX_HEADERS);
        for (size_t i = 0; i < r.n_headers; i++) {
            FUZZ_ASSERT((const uint8_t *)r.headers[i].line >= copy);
            FUZZ_ASSERT((const uint8_t *)r.headers[i].line + r.headers[i].line_len <= copy + size);
            FUZZ_ASSERT(r.headers[i].value + r.headers[i].value_len <= r.headers[i].line + r.headers[i].line_len);
        }
        uint8_t scratch[4096];
        size_t n;
        const uint8_t *b = http_body(copy, size, &r, scratch, sizeof scratch, &n);
        FUZZ_ASSERT(b == scratch ? n <= sizeof scratch : b + n <= copy + size);
    }
    for (int eof = 0; eof < 2; eof++) {
        int f = http_frame_message(copy, size, "HTTP/", eof);
        FUZZ_ASSERT(f == UNMASK_EAGAIN || f == UNMASK_EPARSE || (f > 0 && (size_t)f <= size));
    }
    uint8_t out[1024];
    FUZZ_ASSERT(http_dechunk(copy, size, out, sizeof out) <= sizeof out);
    size_t tl;
    const char *t = http_title(copy, size, &tl);
    FUZZ_ASSERT(!t || ((const uint8_t *)t >= copy && (const uint8_t *)t + tl <= copy + size));
    free(copy);
    run_probe(&probe_http, data, size, 6);
    run_probe(&probe_onvif, data, size, 2);
    run_probe(&probe_upnp, data, size, 1);
    return 0;
}
