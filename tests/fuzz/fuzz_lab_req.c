/* fuzz_lab_req.c: the lab's request parser (lab_req_parse).
 *
 * Oracles: a positive return never exceeds the input; every view lies inside the input; a request
 * parsed whole is parsed the same when fed with one byte more of anything (consumed length stable). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/err.h"
#include "../../src/lab/lab_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(struct lab_span s, const uint8_t *b, size_t n)
{
    if (s.p && s.n && ((const uint8_t *)s.p < b || (const uint8_t *)s.p + s.n > b + n) &&
        !(s.n == 1 && s.p[0] == '/'))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lab_req r;
    int n = lab_req_parse(data, size, &r);
    if (n > 0) {
        if ((size_t)n > size)
            abort();
        inside(r.method, data, size);
        inside(r.uri, data, size);
        inside(r.version, data, size);
        inside(r.cseq, data, size);
        inside(r.host, data, size);
        inside(r.body, data, size);
        inside(r.path, data, size);
        uint8_t *more = malloc(size + 1);
        memcpy(more, data, size);
        more[size] = 'x';
        struct lab_req r2;
        if (lab_req_parse(more, size + 1, &r2) != n)
            abort();
        free(more);
    } else if (n != UNMASK_EAGAIN && n != UNMASK_EPARSE) {
        abort();
    }
    return 0;
}
