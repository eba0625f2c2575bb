/* linereader.h: reads lines from a FILE with a hard cap on line length.
 *
 * A line longer than the cap is reported once as UNMASK_ELIMIT and the rest of it is skipped, so a
 * hostile 10 GB line costs the cap in memory, not 10 GB. */
#ifndef UNMASK_LINEREADER_H
#define UNMASK_LINEREADER_H

#include <stddef.h>
#include <stdio.h>

struct linereader {
    FILE *fp;          /* borrowed */
    char *buf;         /* private: the line being returned */
    size_t cap;        /* the cap: longest line kept, without its newline */
    size_t alloc;      /* private */
    char *chunk;       /* private: bytes read ahead from fp */
    size_t pos, fill;  /* private */
    long lineno;       /* read-only: number of the line last returned (1-based) */
};

void linereader_init(struct linereader *lr, FILE *fp, size_t cap);
void linereader_deinit(struct linereader *lr);
/* Reads the next line. On success returns UNMASK_OK and sets *line (NUL-terminated, without "\n" or
 * "\r\n"; valid until the next call; it may contain NUL bytes, so use *len) and *len. The reader
 * reads ahead from fp's descriptor (read(2), so a stalled pipe still yields the lines it has sent):
 * do not mix it with other reads of the same FILE. Returns 1 at end of input, UNMASK_ELIMIT for an
 * overlong line (skipped; lineno counts it), UNMASK_EIO on a read error. */
int linereader_next(struct linereader *lr, char **line, size_t *len);

#endif
