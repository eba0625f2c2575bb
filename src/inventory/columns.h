/* columns.h: what the columns of an inventory mean, and a record as observations.
 *
 * The header row is recognised through a data table of header synonyms (columns.c: "Manufacturer",
 * "Mfr. Part #", "S/N", "MAC Address", ...), compared after normalisation (lower case, letters and
 * digits only, '#' read as "number"). Overrides (`--column model=HEADER`) take precedence. Each
 * column gets at most one role; roles that are evidence become observations (docs/OBSERVATIONS.md):
 *
 *     brand -> inventory.brand        model -> inventory.model      description -> inventory.description
 *     mac   -> mac.address            serial -> inventory.serial    supplier -> inventory.supplier
 *
 * The other roles are carried to the report: id (asset tag), address (IP address) and the FAR
 * 52.204-25(d) record fields contract, order, uei (supplier unique entity identifier) and cage.
 * Pure: no I/O; problems come back as text for the caller to print with file and line. */
#ifndef UNMASK_COLUMNS_H
#define UNMASK_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "../obs/obs.h"
#include "inv.h"

enum col_role {
    COL_NONE = 0,
    COL_BRAND,
    COL_MODEL,
    COL_DESCRIPTION,
    COL_MAC,
    COL_SERIAL,
    COL_SUPPLIER, /* the roles above are evidence (observations) */
    COL_ID,
    COL_ADDRESS,
    COL_CONTRACT,
    COL_ORDER,
    COL_UEI,
    COL_CAGE,
    COL_N
};

#define COLUMNS_MAX_OVERRIDES 16
#define COLUMNS_HEADER_SEARCH 5 /* records searched for the header row */

struct columns {
    /* read-only after columns_header */
    int *role;               /* per column: enum col_role */
    size_t n_cols;
    int first[COL_N];        /* per role: its first (strongest) column, or -1 */
    bool guessing;           /* no header: every cell is screened as model, description, serial */
    /* private */
    struct {
        int role;
        char *header; /* as given: header text, or a 1-based column number */
    } ov[COLUMNS_MAX_OVERRIDES];
    size_t n_ov;
    char **header_text;      /* the header cells (for skipping repeated header rows) */
};

/* A record's values by role (borrowed from the record's cells; NULL when empty). */
struct columns_values {
    const char *v[COL_N];
    size_t len[COL_N];
};

void columns_init(struct columns *c);
void columns_deinit(struct columns *c);
/* Adds an override "ROLE=HEADER" (HEADER: the header text, case and punctuation ignored, or a
 * 1-based column number; empty: no column has this role). Returns 0, or -1 with a message in err. */
int columns_override(struct columns *c, const char *spec, char *err, size_t errlen);
/* Name of a role ("model"), and the observation it becomes ("inventory.model"; NULL if none). */
const char *columns_role_name(int role);
const char *columns_role_obs(int role);

/* Tries cells as the header row. Returns true and fixes the column roles if the record names at
 * least one evidence column (or matches an override); false otherwise (nothing changes). */
bool columns_header(struct columns *c, const struct inv_cell *cells, size_t n);
/* No header row: columns come from numeric overrides only; without any, every non-empty cell is
 * screened as a model number, a description and a serial (and a MAC address when it reads as one). */
void columns_headerless(struct columns *c);
/* True if the record repeats the header row (a concatenated export). */
bool columns_is_header_again(const struct columns *c, const struct inv_cell *cells, size_t n);
/* Names of the recognised columns for a log line: "brand=Manufacturer, model=Part No". */
void columns_describe(const struct columns *c, const struct inv_cell *hdr, size_t n, char *out,
                      size_t cap);

/* Adds the observations of one record to d (which the caller has reset) and fills vals. Cells are
 * trimmed of blanks; empty cells add nothing. Returns the number of observations added. */
size_t columns_observe(const struct columns *c, const struct inv_cell *cells, size_t n,
                       struct device *d, struct columns_values *vals);

#endif
