/* fuzz_lab_dev.c: the personality file reader (lab_dev_parse + lab_dev_finish) and, for a set that
 * loads, template expansion of every reply through lab_reply_build on a small lab.
 *
 * Oracles (abort on violation): diagnostics have a message; a set without errors builds replies
 * within the reply cap; nothing leaks or overreads (ASan). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/lab/lab-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void diag(void *ctx, const char *file, int line, const char *msg)
{
    (void)file;
    (void)line;
    if (!msg || !*msg)
        abort();
    ++*(int *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    int n_diag = 0;
    struct lab_set set;
    lab_set_init(&set, diag, &n_diag);
    lab_dev_parse(&set, "fuzz.dev", (const char *)data, size);
    lab_dev_finish(&set);
    if (set.n_errors != n_diag)
        abort();
    if (!set.n_errors && set.n_pers) {
        struct lab_opts o = { .base = 0x7f4d0001, .n_hosts = 4, .seed = 1, .idle_ms = 1000 };
        for (size_t i = 0; i < set.n_pers; i++)
            set.pers[i].weight = 1;
        struct lab *lab;
        if (lab_new(&set, &o, &lab) == 0) {
            struct sbuf out;
            sbuf_init(&out, LAB_MAX_REPLY);
            struct lab_req req = { .method = { "GET", 3 }, .path = { "/", 1 }, .uri = { "/", 1 },
                                   .cseq = { "42 OPTIONS", 10 } };
            for (uint32_t d = 0; d < lab->n; d++) {
                struct lab_device *dv = &lab->dev[d];
                for (const struct lab_pers *p = dv->pi->p; p; p = p->base_p)
                    for (size_t r = 0; r < p->n_replies; r++) {
                        struct lab_rctx c = { .lab = lab, .dev = dv, .lport = 80, .req = &req,
                                              .rng = 7 };
                        sbuf_reset(&out);
                        lab_reply_build(&p->replies[r], &c, &out);
                        if (out.len > LAB_MAX_REPLY)
                            abort();
                        if (p->replies[r].endless)
                            lab_reply_more(&p->replies[r], &c, &out);
                    }
            }
            sbuf_deinit(&out);
            lab_free(lab);
        }
    }
    lab_set_deinit(&set);
    return 0;
}
