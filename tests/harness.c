/* harness.c: see harness.h. */
#include "harness.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *current;   /* name of the running test */
static int current_failures; /* failed checks in it */
static char ctx[256];         /* CONTEXT() text, cleared per test */

static void fail_head(const char *file, int line)
{
    current_failures++;
    fprintf(stderr, "%s:%d: %s%s%s: ", file, line, current, ctx[0] ? " " : "", ctx);
}

/* Prints up to 200 bytes of a[0..n) with C escapes, or NULL. */
static void show(const char *a, size_t n)
{
    if (!a) {
        fputs("NULL", stderr);
        return;
    }
    fputc('"', stderr);
    for (size_t i = 0; i < n && i < 200; i++) {
        unsigned char c = (unsigned char)a[i];
        if (c == '"' || c == '\\')
            fprintf(stderr, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(stderr, "\\x%02x", c);
        else
            fputc(c, stderr);
    }
    fputs(n > 200 ? "\"..." : "\"", stderr);
    fprintf(stderr, " (%zu bytes)", n);
}

bool harness_check(bool ok, const char *file, int line, const char *expr)
{
    if (!ok) {
        fail_head(file, line);
        fprintf(stderr, "CHECK(%s) failed\n", expr);
    }
    return ok;
}

bool harness_eq_int(long long a, long long b, const char *ea, const char *eb, const char *file,
                    int line)
{
    if (a == b)
        return true;
    fail_head(file, line);
    fprintf(stderr, "%s == %s: %lld != %lld\n", ea, eb, a, b);
    return false;
}

bool harness_eq_str(const char *a, const char *b, const char *ea, const char *eb, const char *file,
                    int line)
{
    if ((!a && !b) || (a && b && !strcmp(a, b)))
        return true;
    fail_head(file, line);
    fprintf(stderr, "%s == %s: ", ea, eb);
    show(a, a ? strlen(a) : 0);
    fputs(" != ", stderr);
    show(b, b ? strlen(b) : 0);
    fputc('\n', stderr);
    return false;
}

bool harness_eq_mem(const void *a, size_t alen, const void *b, size_t blen, const char *ea,
                    const char *eb, const char *file, int line)
{
    if ((!a && !b) || (a && b && alen == blen && (alen == 0 || !memcmp(a, b, alen))))
        return true;
    fail_head(file, line);
    fprintf(stderr, "%s == %s: ", ea, eb);
    show(a, alen);
    fputs(" != ", stderr);
    show(b, blen);
    fputc('\n', stderr);
    return false;
}

bool harness_contains(const char *hay, const char *needle, const char *eh, const char *en,
                      const char *file, int line)
{
    if (hay && needle && strstr(hay, needle))
        return true;
    fail_head(file, line);
    fprintf(stderr, "%s contains %s: ", eh, en);
    show(hay, hay ? strlen(hay) : 0);
    fputs(" lacks ", stderr);
    show(needle, needle ? strlen(needle) : 0);
    fputc('\n', stderr);
    return false;
}

bool harness_near(double a, double b, double eps, const char *ea, const char *eb, const char *file,
                  int line)
{
    if (fabs(a - b) <= eps)
        return true;
    fail_head(file, line);
    fprintf(stderr, "%s == %s (within %g): %.6f != %.6f\n", ea, eb, eps, a, b);
    return false;
}

void harness_context(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx, sizeof ctx, fmt, ap);
    va_end(ap);
}

int harness_run(const struct harness_test *t, size_t n)
{
    int passed = 0, failed = 0;
    alarm(60); /* a hung test ends the binary (SIGALRM) rather than the CI job */
    for (size_t i = 0; i < n; i++) {
        current = t[i].name;
        current_failures = 0;
        ctx[0] = '\0';
        t[i].fn();
        if (current_failures) {
            fprintf(stderr, "FAIL %s (%d failed check%s)\n", current, current_failures,
                    current_failures == 1 ? "" : "s");
            failed++;
        } else {
            passed++;
        }
    }
    printf("unit: %d passed, %d failed\n", passed, failed);
    fflush(stdout);
    return failed ? 1 : 0;
}
