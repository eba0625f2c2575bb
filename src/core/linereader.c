/* linereader.c: see linereader.h. getc_unlocked-free design: fgets into a growing buffer. */
#include "linereader.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

void linereader_init(struct linereader *lr, FILE *fp, size_t cap)
{
    lr->fp = fp;
    lr->cap = cap;
    lr->alloc = cap < 4096 ? cap + 2 : 4096;
    lr->buf = xmalloc(lr->alloc);
    lr->lineno = 0;
}

void linereader_deinit(struct linereader *lr)
{
    free(lr->buf);
    lr->buf = NULL;
}

int linereader_next(struct linereader *lr, char **line, size_t *len)
{
    size_t n = 0;
    int too_long = 0;
    for (;;) {
        if (!too_long && lr->alloc - n < 2) {
            size_t want = lr->alloc * 2;
            if (want > lr->cap + 2)
                want = lr->cap + 2;
            if (want <= lr->alloc) {
                too_long = 1;
            } else {
                lr->buf = xrealloc(lr->buf, want);
                lr->alloc = want;
            }
        }
        char *dst = too_long ? lr->buf : lr->buf + n;
        size_t room = too_long ? lr->alloc : lr->alloc - n;
        if (!fgets(dst, (int)(room > 1 << 30 ? 1 << 30 : room), lr->fp)) {
            if (ferror(lr->fp))
                return UNMASK_EIO;
            if (n == 0 && !too_long)
                return 1;
            break; /* last line without a newline */
        }
        size_t got = strlen(dst);
        int eol = got > 0 && dst[got - 1] == '\n';
        if (!too_long)
            n += got;
        if (eol)
            break;
        if (!too_long && n > lr->cap)
            too_long = 1;
    }
    lr->lineno++;
    if (too_long || n > lr->cap + 1 || (n == lr->cap + 1 && lr->buf[n - 1] != '\n'))
        return UNMASK_ELIMIT;
    if (n > 0 && lr->buf[n - 1] == '\n')
        n--;
    if (n > 0 && lr->buf[n - 1] == '\r')
        n--;
    lr->buf[n] = '\0';
    *line = lr->buf;
    *len = n;
    return UNMASK_OK;
}
