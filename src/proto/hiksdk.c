/* hiksdk.c: Hikvision's SDK port (8000). nmap 7.93 nmap-service-probes line 1801 matches, in its NULL
 * probe (nothing sent), the 16 bytes 00 00 00 10 00 00 00 1e 00 00 00 1e 00 00 00 00 as "Hikvision
 * IPCam control port" (protocols.md 4.6, marked unverified: it may come unasked or only after client
 * bytes). So this probe first listens (silence_ms); if the port says nothing it sends nmap's
 * GenericLines probe ("\r\n\r\n") on the same connection, and records the first bytes that come
 * back, as hex, in hiksdk.banner. */
#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "banner.h"

#define HIKSDK_KEEP 32

static int hiksdk_request(struct probe_host *h, struct probe_exchange *x, uint8_t *buf, size_t cap)
{
    (void)h;
    if (x->step == 0)
        return 0;
    if (cap < 4)
        return UNMASK_ELIMIT;
    memcpy(buf, "\r\n\r\n", 4);
    return 4;
}

static int hiksdk_frame(const struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    (void)x;
    (void)buf;
    return len >= 16 ? (int)len : UNMASK_EAGAIN;
}

static int hiksdk_observe(struct probe_host *h, struct probe_exchange *x, const uint8_t *buf, size_t len)
{
    if (len == 0 && x->step == 0) {
        x->step = 1;
        return PROBE_NEXT_SAME;
    }
    char hex[2 * HIKSDK_KEEP + 1];
    size_t n = len < HIKSDK_KEEP ? len : HIKSDK_KEEP;
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", buf[i]);
    hex[2 * n] = '\0';
    if (n)
        probe_obss(h, "hiksdk.banner", hex, NULL, x->port);
    return PROBE_DONE;
}

static const uint16_t hiksdk_ports[] = { 8000, 0 };

static const struct probe_field hiksdk_fields[] = {
    { "hiksdk.banner", "hex of the first bytes the port sends unasked (at most 32)" },
    { NULL, NULL },
};

const struct probe probe_hiksdk = {
    .name = "hiksdk",
    .service = "hik-sdk",
    .transport = PROBE_TCP,
    .ports = hiksdk_ports,
    .max_reply = 4096,
    .idle_ms = 300,
    .silence_ms = 150,
    .request = hiksdk_request,
    .frame = hiksdk_frame,
    .observe = hiksdk_observe,
    .fields = hiksdk_fields,
    .help = "Hikvision SDK port 8000: the bytes it sends unasked",
};
