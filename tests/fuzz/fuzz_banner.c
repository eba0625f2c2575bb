/* fuzz_banner.c: the server-first protocols: SSH identification, Telnet option stripping and
 * replies, the FTP greeting, and the Hikvision SDK port. */
#include "fuzz_probe.inc"

#include "../../src/proto/banner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *line;
    size_t n;
    int rc = ssh_parse_banner(data, size, &line, &n);
    if (rc > 0)
        FUZZ_ASSERT((size_t)rc <= size && line >= data && line + n <= data + size);
    rc = ftp_parse_greeting(data, size);
    FUZZ_ASSERT(rc == UNMASK_EAGAIN || rc == UNMASK_EPARSE || (rc > 0 && (size_t)rc <= size));
    uint8_t text[256], reply[64];
    size_t rl, answered = 0;
    FUZZ_ASSERT(telnet_strip(data, size, text, sizeof text, reply, sizeof reply, &rl, &answered) <= sizeof text);
    FUZZ_ASSERT(rl <= sizeof reply && rl % 3 == 0);
    run_probe(&probe_ssh, data, size, 1);
    run_probe(&probe_telnet, data, size, 1);
    run_probe(&probe_ftp, data, size, 1);
    run_probe(&probe_hiksdk, data, size, 2);
    return 0;
}
