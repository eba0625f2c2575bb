/* isapi.h: Hikvision ISAPI XML answers (protocols.md 4.4, 4.5): SessionLoginCap and DeviceInfo. */
#ifndef UNMASK_ISAPI_H
#define UNMASK_ISAPI_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define ISAPI_MAX_VALUE 128

enum isapi_kind { ISAPI_NONE = 0, ISAPI_SESSION_CAP, ISAPI_DEVICE_INFO, ISAPI_USER_CHECK };

struct isapi_info {
    enum isapi_kind kind;
    char ns[ISAPI_MAX_VALUE]; /* the root element's namespace URI */
    char model[ISAPI_MAX_VALUE], firmware[ISAPI_MAX_VALUE], device_type[ISAPI_MAX_VALUE],
        serial[ISAPI_MAX_VALUE], manufacturer[ISAPI_MAX_VALUE], device_name[ISAPI_MAX_VALUE],
        oem_code[ISAPI_MAX_VALUE], system_contact[ISAPI_MAX_VALUE], telecontrol_id[ISAPI_MAX_VALUE],
        mac[ISAPI_MAX_VALUE];
};

/* Pure: parses an ISAPI XML body. Returns UNMASK_OK (kind says which answer; ISAPI_NONE for other
 * XML) or UNMASK_EPARSE when it is not XML. */
int isapi_parse(const uint8_t *body, size_t len, struct isapi_info *out);
/* Adds the isapi.* observations (and mac.address) of body; returns 1 for an ISAPI answer, else 0. */
int isapi_observe(struct probe_host *h, int port, const char *path, const uint8_t *body, size_t len);

#endif
