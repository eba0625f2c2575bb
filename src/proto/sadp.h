/* sadp.h: Hikvision SADP, the XML-over-UDP discovery on port 37020 (protocols.md 1.1). */
#ifndef UNMASK_SADP_H
#define UNMASK_SADP_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define SADP_MAX_FIELDS 48
#define SADP_MAX_VALUE 256

struct sadp_field {
    char name[64]; /* snake_case of the element: "device_sn" */
    char value[SADP_MAX_VALUE];
};

struct sadp_match {
    bool probe_match; /* the root is <ProbeMatch> */
    struct sadp_field f[SADP_MAX_FIELDS];
    size_t n;
};

/* Pure: parses a SADP reply. Returns UNMASK_OK (probe_match false for other XML) or UNMASK_EPARSE. */
int sadp_parse(const uint8_t *buf, size_t len, struct sadp_match *out);
/* Builds the inquiry with the given UUID text into buf; returns its length. */
int sadp_build_inquiry(uint8_t *buf, size_t cap, const char *uuid);

extern const struct probe probe_sadp;

#endif
