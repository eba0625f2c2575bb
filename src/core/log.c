/* log.c: see log.h. One global level; the program is single-threaded where it logs. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static enum log_level current = LOG_WARN;

void log_set_level(enum log_level level) { current = level; }
enum log_level log_get_level(void) { return current; }

static void vlog(enum log_level level, const char *fmt, va_list ap)
{
    static const char *const tag[] = { "", "warning: ", "", "debug: " };
    if (level > current)
        return;
    fprintf(stderr, "unmask: %s", tag[level]);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

#define DEFINE_LOG(name, level)                                                                   \
    void name(const char *fmt, ...)                                                               \
    {                                                                                             \
        va_list ap;                                                                               \
        va_start(ap, fmt);                                                                        \
        vlog(level, fmt, ap);                                                                     \
        va_end(ap);                                                                               \
    }

DEFINE_LOG(log_error, LOG_ERROR)
DEFINE_LOG(log_warn, LOG_WARN)
DEFINE_LOG(log_info, LOG_INFO)
DEFINE_LOG(log_debug, LOG_DEBUG)
