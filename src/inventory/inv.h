/* inv.h: inventory readers: asset registers and purchase records as records of text cells.
 *
 * A reader (STYLE R6: a const struct in one registry, inv.c) turns a file into records and nothing
 * more: it knows delimiters, quoting and encodings, not what the columns mean (columns.h does that).
 * Every record carries the line number it starts on (the header row is line 1). Cells are capped at
 * INV_MAX_CELL bytes (longer ones are cut and reported), records at INV_MAX_CELLS cells and
 * INV_MAX_RECORD raw bytes. A malformed record is reported through the sink with its line and skipped,
 * and reading goes on with the next record: one bad line never costs the rest of the file. */
#ifndef UNMASK_INV_H
#define UNMASK_INV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define INV_MAX_CELL (64 * 1024)          /* bytes kept of one cell; the rest is cut */
#define INV_MAX_CELLS 1024                /* cells kept of one record; the rest are dropped */
#define INV_MAX_RECORD (16 * 1024 * 1024) /* raw bytes of one record; a longer record is skipped */
#define INV_MAX_RECORD_LINES 64           /* a quoted cell still open after this many lines is
                                           * taken for an unbalanced quote */

struct inv_cell {
    const char *s; /* NUL-terminated; may contain NUL bytes, so use len */
    size_t len;
    bool cut;      /* the cell was longer than INV_MAX_CELL */
};

/* Where a reader delivers what it finds. */
struct inv_sink {
    /* One record that starts on `line`. cells[] and their text are valid until the callback returns.
     * Return 0 to go on, non-zero to stop reading. */
    int (*record)(void *ctx, long line, const struct inv_cell *cells, size_t n);
    /* A problem with the record on `line` (0: the whole input). Reading goes on. */
    void (*problem)(void *ctx, long line, const char *msg);
    void *ctx;
};

struct inv_reader {
    const char *name;       /* "csv", "tsv" */
    const char *extensions; /* file name endings it is chosen for, space-separated: ".csv .txt" */
    const char *help;       /* one line for usage texts */
    /* Reads fp to its end, delivering records and problems to sink. Returns UNMASK_OK (problems with
     * single records are reported, not returned), UNMASK_EPARSE if the input is not this format at
     * all (reported too), or UNMASK_EIO on a read error. */
    int (*read)(FILE *fp, const struct inv_sink *sink);
};

/* Looks a reader up by name; NULL if unknown. */
const struct inv_reader *inv_reader_find(const char *name);
/* The reader for a file name by its extension (case-insensitive); the CSV reader (which detects
 * comma, semicolon and tab delimiters itself) when none fits. Never NULL. */
const struct inv_reader *inv_reader_for_path(const char *path);
/* Names of all readers, for usage texts: "csv, tsv". */
const char *inv_reader_names(void);

#endif
