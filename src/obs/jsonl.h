/* jsonl.h: the identify input reader: one device per JSON line (docs/OBSERVATIONS.md), via yajl.
 *
 * Pure with respect to I/O: it parses one line that the caller read. */
#ifndef UNMASK_JSONL_H
#define UNMASK_JSONL_H

#include <stddef.h>

#include "obs.h"

#define JSONL_MAX_LINE (1024 * 1024)

/* Parses line[0..len) into d (which is reset first). lineno names the default id ("line-N").
 * Returns UNMASK_OK, 1 for a blank line (nothing to judge), or UNMASK_EPARSE with a message in
 * err[0..errlen) (no file or line prefix: the caller adds them). Observations with a missing or
 * non-string proto/field/value are errors; unknown members are ignored. */
int jsonl_parse_device(const char *line, size_t len, long lineno, struct device *d, char *err,
                       size_t errlen);

#endif
