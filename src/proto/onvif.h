/* onvif.h: ONVIF: the device service over HTTP (GetSystemDateAndTime, then GetDeviceInformation)
 * and WS-Discovery over UDP 3702 (protocols.md 3). */
#ifndef UNMASK_ONVIF_H
#define UNMASK_ONVIF_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define ONVIF_MAX_VALUE 256
#define ONVIF_MAX_SCOPES 32

struct onvif_info {
    char manufacturer[ONVIF_MAX_VALUE], model[ONVIF_MAX_VALUE], firmware[ONVIF_MAX_VALUE],
        serial[ONVIF_MAX_VALUE], hardware_id[ONVIF_MAX_VALUE];
    bool datetime;  /* a GetSystemDateAndTimeResponse */
    bool fault;     /* a SOAP Fault */
};

struct wsd_match {
    char scopes[2048]; /* space-separated, as sent */
    char xaddrs[512];
    char types[256];
    bool fault;
};

/* Pure: parses a device-service SOAP answer. Returns UNMASK_OK or UNMASK_EPARSE (not XML). */
int onvif_parse(const uint8_t *body, size_t len, struct onvif_info *out);
/* Pure: parses a WS-Discovery ProbeMatches answer. Returns UNMASK_OK or UNMASK_EPARSE. */
int wsd_parse(const uint8_t *buf, size_t len, struct wsd_match *out);
/* Splits an http URL into host, port and path; false if it is not one. */
bool onvif_split_url(const char *url, size_t n, char *host, size_t hcap, int *port, char *path,
                     size_t pcap);

extern const struct probe probe_onvif, probe_wsd;

#endif
