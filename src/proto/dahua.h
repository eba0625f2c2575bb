/* dahua.h: Dahua's own unauthenticated answers: the /RPC2_Login challenge (JSON, protocols.md 5.3)
 * and the DVRIP realm on TCP 37777 (protocols.md 2.3), and the DVRIP probe. */
#ifndef UNMASK_DAHUA_H
#define UNMASK_DAHUA_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define DAHUA_MAX_VALUE 128

struct dahua_challenge {
    char realm[DAHUA_MAX_VALUE]; /* "Login to 4C045ADPAG60CD" */
    char mac[DAHUA_MAX_VALUE];   /* as sent: "3CEF8C6101C0" */
    char random[DAHUA_MAX_VALUE];
    char encryption[DAHUA_MAX_VALUE];
    long long code; /* error.code, 0 when absent (268632079: login challenge) */
};

/* Pure: parses the JSON answer of /RPC2_Login. Returns UNMASK_OK (realm may still be empty) or
 * UNMASK_EPARSE for anything that is not a JSON object. */
int dahua_rpc2_parse(const uint8_t *body, size_t len, struct dahua_challenge *out);
/* dahua.realm and mac.address from an RPC2_Login answer; returns 1 if it carried a realm. */
int dahua_rpc2_observe(struct probe_host *h, int port, const uint8_t *body, size_t len);

/* Pure: the DVRIP reply to the realm request: a 32-byte binary header, then "Realm:...\r\n
 * Random:...\r\n". Fills realm and random; returns UNMASK_OK, UNMASK_EAGAIN (incomplete) or
 * UNMASK_EPARSE. */
int dahua_dvrip_parse(const uint8_t *buf, size_t len, struct dahua_challenge *out);

extern const struct probe probe_dvrip;

#endif
