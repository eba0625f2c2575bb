/* lab-int.h: what the lab's modules share and nothing outside src/lab/ uses. */
#ifndef UNMASK_LAB_INT_H
#define UNMASK_LAB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/sbuf.h"
#include "lab.h"
#include "lab_dev.h"
#include "lab_req.h"

#define LAB_MAX_REPLY (8u << 20) /* one expanded reply (the 1 MB-of-headers personality fits) */

/* A personality's variables, flattened along its base chain (own definitions first). */
struct lab_pinfo {
    const struct lab_pers *p;
    const struct lab_var **vars;
    size_t n_vars;
};

struct lab_device {
    uint32_t addr;   /* host byte order */
    uint32_t index;  /* addr - base */
    const struct lab_pinfo *pi;
    uint8_t mac[6];
    bool has_mac;
    const char **vals; /* expanded values, parallel to pi->vars; NULL until first used */
    uint8_t *busy;     /* cycle guard while a value is being expanded */
    uint64_t seed;
    void *tls;         /* SSL_CTX *, made on the first TLS connection (lab_tls.c) */
};

struct lab {
    const struct lab_set *set;
    struct lab_opts o;
    struct lab_pinfo *pinfo;
    size_t n_pinfo;
    struct lab_device *dev;
    uint32_t n;
    struct arena arena; /* device values */
    struct lab_tls *tls;
};

/* Everything a reply template may refer to. */
struct lab_rctx {
    struct lab *lab;
    struct lab_device *dev;
    uint16_t lport;
    uint32_t peer;           /* host byte order */
    const struct lab_req *req; /* HTTP/RTSP request, or NULL */
    struct lab_span uuid, msgid, st, reqid; /* from discovery and JSON requests */
    uint64_t rng;
};

/* The device at a host-order address, or NULL outside the lab. */
struct lab_device *lab_device_at(struct lab *lab, uint32_t addr);
/* Template lookup over context and device variables (struct lab_tmpl_env.lookup; ctx is lab_rctx). */
bool lab_lookup(void *ctx, const char *name, size_t n, const char *arg, size_t arg_len,
                struct sbuf *out);
/* Expands a whole template with c as context into out. */
void lab_expand(struct lab_rctx *c, const char *t, size_t n, struct sbuf *out);

/* Reply selection: the first matching reply along the personality's base chain, or NULL. */
const struct lab_reply *lab_match_req(const struct lab_pers *p, enum lab_reply_kind kind,
                                      const struct lab_req *req, uint16_t lport);
/* For banner/tcp/udp replies: matches data against `prefix` and `when-body`. *more is set when some
 * reply's prefix could still match if more bytes arrived. */
const struct lab_reply *lab_match_bytes(const struct lab_pers *p, enum lab_reply_kind kind,
                                        uint16_t port, const uint8_t *data, size_t len, bool *more);
/* Expands a reply (head, body and hex parts, framing) into out. */
void lab_reply_build(const struct lab_reply *r, struct lab_rctx *c, struct sbuf *out);
/* Appends one more chunk of an endless reply's last part. */
void lab_reply_more(const struct lab_reply *r, struct lab_rctx *c, struct sbuf *out);

#endif
