/* fuzz_lab_disc.c: the lab's discovery recognisers (SADP, DHIP, WS-Discovery, SSDP) and the mDNS
 * answer encoder, on the same bytes.
 *
 * Oracles: echoed views lie inside the datagram and hold no control characters or quotes; an mDNS
 * answer fits its buffer and starts with the response flags. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/lab/lab_disc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void echo_ok(struct lab_span s, const uint8_t *d, size_t n)
{
    if (!s.p || !s.n)
        return;
    if ((const uint8_t *)s.p < d || (const uint8_t *)s.p + s.n > d + n)
        abort();
    for (size_t i = 0; i < s.n; i++)
        if ((unsigned char)s.p[i] < 0x20 || s.p[i] == '"')
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lab_span s;
    if (lab_sadp_match(data, size, &s))
        echo_ok(s, data, size);
    if (lab_wsd_match(data, size, &s))
        echo_ok(s, data, size);
    if (lab_ssdp_match(data, size, &s))
        echo_ok(s, data, size);
    (void)lab_dhip_match(data, size);
    struct lab_mdns_rec rec = { "_CGI._tcp.local", "HIKVISION DS-2CD2386G2-IU - 123456789",
                                "DS-2CD2386G2-IU20240801AAWR123456789", 80, "path=/", 0x7f4d0001 };
    uint8_t out[2048];
    long n = lab_mdns_answer(data, size, &rec, size & 1, out, sizeof out);
    if (n > (long)sizeof out || (n > 0 && (n < 12 || out[2] != 0x84)))
        abort();
    return 0;
}
