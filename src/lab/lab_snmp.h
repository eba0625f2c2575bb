/* lab_snmp.h: the lab's SNMP agent: BER (X.690) decoding of v1/v2c GetRequest, GetNextRequest and
 * GetBulkRequest messages (RFC 1157, RFC 3416), and encoding of the Response from a sorted table of
 * objects. Pure: bytes in, bytes out; values come through a callback so templates stay in lab_world.c. */
#ifndef UNMASK_LAB_SNMP_H
#define UNMASK_LAB_SNMP_H

#include <stddef.h>
#include <stdint.h>

#include "../core/sbuf.h"
#include "lab_dev.h"
#include "lab_req.h"

#define LAB_SNMP_MAX_VB 32    /* varbinds read from one request */
#define LAB_SNMP_MAX_OID 32   /* arcs of one OID */
#define LAB_SNMP_MAX_REPLY 1400

enum { LAB_SNMP_GET = 0xa0, LAB_SNMP_GETNEXT = 0xa1, LAB_SNMP_RESPONSE = 0xa2,
       LAB_SNMP_GETBULK = 0xa5 };

struct lab_snmp_req {
    long version;             /* 0: v1, 1: v2c */
    struct lab_span community;
    int pdu;                  /* LAB_SNMP_GET, _GETNEXT or _GETBULK */
    long request_id;
    long non_repeaters, max_repetitions; /* GETBULK (error-status and error-index fields) */
    size_t n_vb;
    uint32_t oid[LAB_SNMP_MAX_VB][LAB_SNMP_MAX_OID];
    size_t oid_len[LAB_SNMP_MAX_VB];
};

/* Decodes one message. Returns 0, or UNMASK_EPARSE for anything malformed, truncated, of another
 * version (v3) or another PDU type. Views point into buf. */
int lab_snmp_parse(const uint8_t *buf, size_t len, struct lab_snmp_req *out);

/* Appends the value of an object (a template for strings) to out. */
typedef void (*lab_snmp_value_fn)(void *ctx, const struct lab_snmp_obj *o, struct sbuf *out);

/* Encodes the Response to req from mib (sorted by OID, as lab_dev_finish leaves it). uptime_cs is
 * sysUpTime in centiseconds for `uptime` objects. Returns the length written to out, or UNMASK_ELIMIT
 * when the reply would exceed cap (then the agent answers tooBig, as RFC 3416 4.2.1 says). */
long lab_snmp_answer(const struct lab_snmp_req *req, const struct lab_snmp_obj *const *mib,
                     size_t n_mib, lab_snmp_value_fn value, void *ctx, uint32_t uptime_cs,
                     uint8_t *out, size_t cap);

#endif
