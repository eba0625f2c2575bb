/* fuzz_nmapxml.c: the nmap XML importer (libxml2 xmlTextReader, service fingerprints, banners) on
 * any bytes. Oracles (abort on violation): every host's observations are valid UTF-8 with valid
 * names, its line is positive, problems carry a message, and reading ends (an entity bomb must be
 * refused, not expanded: the time limit of the fuzzer catches that). Also fuzzes the service
 * fingerprint decoder directly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/utf8.h"
#include "../../src/importer/nmapxml.h"
#include "../../src/importer/servicefp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_host(void *ctx, const struct nmap_host *h)
{
    (void)ctx;
    if (h->line <= 0 || !h->d->id)
        abort();
    for (size_t i = 0; i < h->d->n_obs; i++) {
        const struct observation *o = &h->d->obs[i];
        if (!obs_name_valid(o->name, strlen(o->name)) || !utf8_valid(o->value, o->value_len))
            abort();
    }
    return 0;
}

static void on_problem(void *ctx, long line, const char *msg)
{
    (void)ctx;
    if (line < 0 || !msg || !*msg)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    struct nmapxml_sink sink = { .host = on_host, .problem = on_problem };
    nmapxml_read_buf((const char *)data, size, &sink);

    size_t pos = 0;
    char probe[SERVICEFP_MAX_PROBE], out[512];
    for (int i = 0; i < 64; i++) {
        size_t len, before = pos;
        int rc = servicefp_next((const char *)data, size, &pos, probe, out, sizeof out, &len);
        if (rc == 0)
            break;
        if (pos <= before || pos > size || (rc == 1 && len > sizeof out))
            abort();
    }
    return 0;
}
