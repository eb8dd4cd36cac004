/* test.h — tiny test macros. A failed CHECK prints file:line and the expression and counts a
 * failure; TEST_MAIN_END prints "N passed, N failed" and returns non-zero on any failure. */
#ifndef DQ_TEST_H
#define DQ_TEST_H
#include <math.h>
#include <stdio.h>

static int dq_t_pass, dq_t_fail;

#define CHECK(cond)                                                                            \
    do {                                                                                       \
        if (cond) dq_t_pass++;                                                                 \
        else {                                                                                 \
            dq_t_fail++;                                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);           \
        }                                                                                      \
    } while (0)

#define CHECK_MSG(cond, ...)                                                                   \
    do {                                                                                       \
        if (cond) dq_t_pass++;                                                                 \
        else {                                                                                 \
            dq_t_fail++;                                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);           \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
        }                                                                                      \
    } while (0)

/* |a - b| <= tol, NaN fails. */
#define CHECK_NEAR(a, b, tol)                                                                  \
    CHECK_MSG(fabs((double)(a) - (double)(b)) <= (tol), "%.17g vs %.17g (tol %g)", (double)(a), \
              (double)(b), (double)(tol))

/* call returns DQ_OK (0). */
#define CHECK_OK(call)                                                                         \
    do {                                                                                       \
        int s_ = (int)(call);                                                                  \
        CHECK_MSG(s_ == 0, "status %d", s_);                                                   \
    } while (0)

#define TEST_MAIN_END()                                                                        \
    do {                                                                                       \
        printf("%d passed, %d failed\n", dq_t_pass, dq_t_fail);                                \
        return dq_t_fail ? 1 : 0;                                                              \
    } while (0)

#endif
