/* fuzz_lab_snmp.c: the lab agent's BER decoder and its Response encoder on a small MIB.
 *
 * Oracles: an answer fits the buffer; an answer decodes as a well-framed SEQUENCE whose length covers
 * it exactly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/lab/lab_snmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void value(void *ctx, const struct lab_snmp_obj *o, struct sbuf *out)
{
    (void)ctx;
    sbuf_adds(out, o->value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct lab_snmp_obj objs[] = {
        { { 1, 3, 6, 1, 2, 1, 1, 1, 0 }, 9, LAB_SNMP_STRING, (char *)"Hikvision company products" },
        { { 1, 3, 6, 1, 2, 1, 1, 2, 0 }, 9, LAB_SNMP_OID, (char *)"1.3.6.1.4.1.50001" },
        { { 1, 3, 6, 1, 2, 1, 1, 3, 0 }, 9, LAB_SNMP_UPTIME, (char *)"0" },
        { { 1, 3, 6, 1, 4, 1, 50001, 1, 1, 0 }, 10, LAB_SNMP_IPADDR, (char *)"192.168.1.64" },
        { { 1, 3, 6, 1, 4, 1, 50001, 1, 100, 0 }, 10, LAB_SNMP_INT, (char *)"-2" },
    };
    static const struct lab_snmp_obj *mib[] = { &objs[0], &objs[1], &objs[2], &objs[3], &objs[4] };
    struct lab_snmp_req req;
    if (lab_snmp_parse(data, size, &req) != 0)
        return 0;
    uint8_t out[LAB_SNMP_MAX_REPLY + 256];
    long n = lab_snmp_answer(&req, mib, 5, value, NULL, 12345, out, sizeof out);
    if (n > (long)sizeof out)
        abort();
    if (n > 0) {
        if (out[0] != 0x30 || n < 2)
            abort();
        size_t len = out[1], hdr = 2;
        if (len & 0x80) {
            size_t k = len & 0x7f;
            len = 0;
            for (size_t i = 0; i < k; i++)
                len = len << 8 | out[2 + i];
            hdr += k;
        }
        if (hdr + len != (size_t)n)
            abort();
    }
    return 0;
}
