/* harness.h: the in-house unit-test harness (STYLE R8): a table of test functions, checks that print
 * both values with file:line, a final line "unit: N passed, N failed" and a non-zero exit on failure.
 *
 *     TEST(utf8_good) { CHECK(utf8_valid("a", 1)); CHECK_EQ_INT(utf8_prefix("ab", 2, 1), 1); }
 *     HARNESS_MAIN(T(utf8_good), T(utf8_bad))
 *
 * A failed check marks the current test failed and goes on; REQUIRE(cond) also returns from the test.
 * CONTEXT("case %zu", i) names the table row being checked in every failure message that follows. */
#ifndef UNMASK_HARNESS_H
#define UNMASK_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

struct harness_test {
    const char *name;
    void (*fn)(void);
};

bool harness_check(bool ok, const char *file, int line, const char *expr);
bool harness_eq_int(long long a, long long b, const char *ea, const char *eb, const char *file,
                    int line);
bool harness_eq_str(const char *a, const char *b, const char *ea, const char *eb, const char *file,
                    int line);
bool harness_eq_mem(const void *a, size_t alen, const void *b, size_t blen, const char *ea,
                    const char *eb, const char *file, int line);
bool harness_contains(const char *hay, const char *needle, const char *eh, const char *en,
                      const char *file, int line);
bool harness_near(double a, double b, double eps, const char *ea, const char *eb, const char *file,
                  int line);
void harness_context(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int harness_run(const struct harness_test *t, size_t n);

#define TEST(name) static void name(void)
#define T(name) { #name, name }
#define HARNESS_MAIN(...)                                                                          \
    int main(void)                                                                                 \
    {                                                                                              \
        static const struct harness_test tests_[] = { __VA_ARGS__ };                              \
        return harness_run(tests_, sizeof tests_ / sizeof *tests_);                                \
    }

#define CHECK(c) harness_check(!!(c), __FILE__, __LINE__, #c)
#define REQUIRE(c)                                                                                 \
    do {                                                                                           \
        if (!CHECK(c))                                                                             \
            return;                                                                                \
    } while (0)
#define CHECK_EQ_INT(a, b) harness_eq_int((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_EQ_STR(a, b) harness_eq_str((a), (b), #a, #b, __FILE__, __LINE__)
#define CHECK_EQ_MEM(a, alen, b, blen)                                                             \
    harness_eq_mem((a), (alen), (b), (blen), #a, #b, __FILE__, __LINE__)
#define CHECK_CONTAINS(hay, needle) harness_contains((hay), (needle), #hay, #needle, __FILE__, __LINE__)
#define CHECK_NEAR(a, b, eps) harness_near((a), (b), (eps), #a, #b, __FILE__, __LINE__)
#define CONTEXT(...) harness_context(__VA_ARGS__)

#endif
