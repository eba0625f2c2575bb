/* rtsp.h: the RTSP probe (RFC 2326): OPTIONS, then DESCRIBE on the same connection. Responses are
 * parsed by http.c's head parser with the "RTSP/" version token. */
#ifndef UNMASK_RTSP_H
#define UNMASK_RTSP_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define RTSP_MAX_SDP_LINES 32

/* Pure: calls fn for each "a=" line of an SDP body (RFC 8866), at most RTSP_MAX_SDP_LINES; returns
 * the number of lines. */
size_t rtsp_sdp_attributes(const uint8_t *body, size_t len,
                           void (*fn)(void *ctx, const char *line, size_t n), void *ctx);

extern const struct probe probe_rtsp;

#endif
