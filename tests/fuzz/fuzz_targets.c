/* fuzz_targets.c: target specs (targets_parse) and the list operations after them: every input line
 * is added (as a target or, every other line, an exclusion) without name resolution, the list is
 * finished, and a walk of the random order must stay inside the targets and outside the exclusions. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/net/targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct targets *t = targets_new();
    char err[256], *save = NULL;
    int k = 0;
    for (char *tok = strtok_r(text, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save), k++) {
        struct target_range r;
        bool cidr;
        targets_parse(tok, &r, &cidr);
        targets_add(t, tok, k % 2 == 1, false, k % 3 == 0, err, sizeof err);
    }
    if (targets_finish(t, err, sizeof err) == 0) {
        struct target_iter it;
        struct target_addr a;
        targets_iter_init(&it, t, (uint64_t)size, 0, 1 + (uint32_t)(size % 3));
        for (int i = 0; i < 1000 && targets_iter_next(&it, &a); i++)
            if (!targets_contains(t, &a) || targets_excluded(t, &a))
                abort();
    }
    targets_free(t);
    free(text);
    return 0;
}
