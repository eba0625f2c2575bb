/* linereader.c: see linereader.h.
 *
 * Reads the FILE in chunks of up to 64 KiB and splits on '\n' with memchr, so a line may contain NUL
 * bytes (fgets could not tell them from the end of the string) and the cost per byte stays at a
 * memchr and a memcpy. Bytes beyond the cap are counted, not kept. */
#include "linereader.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "xalloc.h"

#define CHUNK (64 * 1024)

void linereader_init(struct linereader *lr, FILE *fp, size_t cap)
{
    memset(lr, 0, sizeof *lr);
    lr->fp = fp;
    lr->cap = cap;
    lr->alloc = cap + 2 < 4096 ? cap + 2 : 4096;
    lr->buf = xmalloc(lr->alloc);
    lr->chunk = xmalloc(CHUNK);
}

void linereader_deinit(struct linereader *lr)
{
    free(lr->buf);
    free(lr->chunk);
    lr->buf = lr->chunk = NULL;
}

/* Reads what is there, up to CHUNK bytes: read(2) on the descriptor, so that a stream that stalls (a
 * pipe behind `tail -f`) hands over the lines it has sent instead of waiting for a full chunk, as
 * fread would. A FILE without a descriptor (fmemopen) never stalls and goes through fread. Returns
 * the count, 0 at the end, -1 on an error. */
static ssize_t fill(struct linereader *lr)
{
    int fd = fileno(lr->fp);
    if (fd < 0) {
        size_t n = fread(lr->chunk, 1, CHUNK, lr->fp);
        return n ? (ssize_t)n : ferror(lr->fp) ? -1 : 0;
    }
    for (;;) {
        ssize_t n = read(fd, lr->chunk, CHUNK);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

int linereader_next(struct linereader *lr, char **line, size_t *len)
{
    size_t n = 0;
    bool too_long = false, any = false;
    for (;;) {
        if (lr->pos == lr->fill) {
            ssize_t got = fill(lr);
            lr->fill = got > 0 ? (size_t)got : 0;
            lr->pos = 0;
            if (lr->fill == 0) {
                if (got < 0)
                    return UNMASK_EIO;
                if (!any)
                    return 1;
                break; /* the last line has no newline */
            }
        }
        any = true;
        const char *start = lr->chunk + lr->pos;
        const char *nl = memchr(start, '\n', lr->fill - lr->pos);
        size_t take = nl ? (size_t)(nl - start) : lr->fill - lr->pos;
        lr->pos += take + (nl ? 1 : 0);
        /* One byte beyond the cap is kept: it may be the '\r' of a CRLF line of exactly cap bytes. */
        if (!too_long && n + take > lr->cap + 1)
            too_long = true;
        if (!too_long) {
            if (n + take + 1 > lr->alloc) {
                size_t a = lr->alloc;
                while (a < n + take + 1)
                    a *= 2;
                if (a > lr->cap + 2)
                    a = lr->cap + 2;
                lr->buf = xrealloc(lr->buf, a);
                lr->alloc = a;
            }
            memcpy(lr->buf + n, start, take);
            n += take;
        }
        if (nl)
            break;
    }
    lr->lineno++;
    if (!too_long && n > 0 && lr->buf[n - 1] == '\r')
        n--;
    if (too_long || n > lr->cap)
        return UNMASK_ELIMIT;
    lr->buf[n] = '\0';
    *line = lr->buf;
    *len = n;
    return UNMASK_OK;
}
