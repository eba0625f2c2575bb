/* snmp.h: SNMPv2c GetRequest and GetResponse (RFC 3416, RFC 1901), BER per X.690, and the probe.
 *
 * The BER reader is written by hand (about 150 lines): SNMP needs four universal types and a few
 * context tags, and the Debian SNMP libraries (net-snmp) bring a whole agent/manager stack with
 * global state and MIB loading. It is bounded: definite lengths only, at most 4 length bytes, every
 * read checked against its enclosing TLV. */
#ifndef UNMASK_SNMP_H
#define UNMASK_SNMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define SNMP_MAX_VARBINDS 16
#define SNMP_MAX_OID_TEXT 256

struct snmp_varbind {
    char oid[SNMP_MAX_OID_TEXT]; /* dotted, no leading dot */
    uint8_t tag;                 /* BER tag of the value (0x04 string, 0x06 OID, 0x80.. exceptions) */
    const uint8_t *value;        /* content octets; a view into the message */
    size_t value_len;
};

struct snmp_msg {
    long version;
    const uint8_t *community;
    size_t community_len;
    uint8_t pdu;       /* 0xa0 get, 0xa2 response, ... */
    long request_id, error_status, error_index;
    struct snmp_varbind vb[SNMP_MAX_VARBINDS];
    size_t n_vb, n_dropped;
};

/* Pure: parses one SNMP message. Returns UNMASK_OK or UNMASK_EPARSE. */
int snmp_parse(const uint8_t *buf, size_t len, struct snmp_msg *out);
/* Builds a v2c GetRequest for n dotted OIDs into buf. Returns its length or UNMASK_ELIMIT /
 * UNMASK_EPARSE (a malformed OID). */
int snmp_build_get(uint8_t *buf, size_t cap, const char *community, long request_id,
                   const char *const *oids, size_t n);
/* Text of a value: strings as they are, integers in decimal, OIDs dotted, IpAddress dotted, others
 * hex. Returns the length written (NUL-terminated, cut at cap-1). */
size_t snmp_value_text(const struct snmp_varbind *vb, char *out, size_t cap);
/* True for noSuchObject, noSuchInstance and endOfMibView. */
bool snmp_is_exception(const struct snmp_varbind *vb);

extern const struct probe probe_snmp;

#endif
