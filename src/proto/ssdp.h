/* ssdp.h: SSDP M-SEARCH (UPnP Device Architecture 1.1, 1.3.2) unicast to the host's UDP 1900, and the
 * fetch of the UPnP device description its LOCATION names (on the same host only). */
#ifndef UNMASK_SSDP_H
#define UNMASK_SSDP_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define UPNP_MAX_VALUE 256

struct upnp_description {
    char manufacturer[UPNP_MAX_VALUE], model_name[UPNP_MAX_VALUE], model_number[UPNP_MAX_VALUE],
        friendly_name[UPNP_MAX_VALUE], serial[UPNP_MAX_VALUE];
};

/* Pure: the first <device> of a UPnP description. Returns UNMASK_OK or UNMASK_EPARSE. */
int upnp_parse(const uint8_t *body, size_t len, struct upnp_description *out);

extern const struct probe probe_ssdp, probe_upnp;

#endif
