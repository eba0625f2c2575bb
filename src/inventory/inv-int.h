/* inv-int.h: inside the inventory readers, for their tests and fuzz targets (not for other modules). */
#ifndef UNMASK_INV_INT_H
#define UNMASK_INV_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "inv.h"

/* The CSV/TSV reader with its knobs: delim is ',', ';' or '\t', or 0 to detect it from the first
 * line; fast false sends every line through libcsv (the reference the fast path is compared with). */
int invcsv_read(FILE *fp, const struct inv_sink *sink, int delim, bool fast);

#endif
