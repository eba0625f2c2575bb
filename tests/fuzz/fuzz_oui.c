/* fuzz_oui.c: the IEEE registry reader and the MAC notations: arbitrary bytes are loaded as a
 * registry CSV (the registry kind chosen from the input size), then every line of the input and a few
 * fixed addresses are parsed and looked up.
 *
 * Oracles (abort on violation): oui_parse returns -1 or 6..12 digits with a value that fits them; a hit
 * names a registry, an organisation and a prefix that is a prefix of the address; a longer registered
 * prefix always wins over a shorter one. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/kb/oui.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(c)                                                                                  \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "fuzz_oui: %s:%d: %s\n", __FILE__, __LINE__, #c);                     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static const char *const registries[] = { "MA-L", "MA-M", "MA-S", "IAB" };

static void check_hit(const struct oui_hit *h, uint64_t v, int nib)
{
    ASSERT(h->org != NULL);
    ASSERT(h->registry != NULL);
    size_t pl = strlen(h->prefix);
    ASSERT(pl == 8 || pl == 10 || pl == 13); /* AA:BB:CC, AA:BB:CC:D, AA:BB:CC:DD:E */
    uint64_t p;
    int pn = oui_parse(h->prefix, pl, &p);
    ASSERT(pn == 6 || pn == 7 || pn == 9);
    ASSERT(pn <= nib);
    ASSERT(p == v >> ((nib - pn) * 4)); /* it is a prefix of the address */
}

static void lookup(const struct oui_db *db, const char *s, size_t n)
{
    uint64_t v = 0;
    int nib = oui_parse(s, n, &v);
    ASSERT(nib == -1 || (nib >= 6 && nib <= 12));
    if (nib < 0)
        return;
    ASSERT(v >> (nib * 4) == 0);
    (void)oui_is_local(v, nib);
    struct oui_hit h;
    if (oui_lookup(db, v, nib, &h)) {
        check_hit(&h, v, nib);
        /* the same address with more digits finds the same or a longer prefix */
        if (nib < 12) {
            struct oui_hit h2;
            uint64_t longer = v << ((12 - nib) * 4);
            ASSERT(oui_lookup(db, longer, 12, &h2));
            ASSERT(strlen(h2.prefix) >= strlen(h.prefix));
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct oui_db *db = oui_db_new();
    ASSERT(oui_db_load_buf(db, registries[size % 4], s, size) == UNMASK_OK);
    /* the same text once more as another kind: duplicates and mixed registries */
    ASSERT(oui_db_load_buf(db, registries[(size + 1) % 4], s, size / 2) == UNMASK_OK);
    oui_db_finish(db);
    ASSERT(oui_db_size(db) <= size + 1);
    (void)oui_db_bad_rows(db);

    lookup(db, s, size);
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || s[i] == '\n' || s[i] == ',') {
            lookup(db, s + start, i - start);
            start = i + 1;
        }
    }
    static const char *const fixed[] = { "44:19:B6:12:34:56", "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff",
                                         "40-2C-76-1", "4419.b612.3456", "70B3D5123" };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        lookup(db, fixed[i], strlen(fixed[i]));
    oui_db_free(db);
    return 0;
}
