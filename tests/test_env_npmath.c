/* test_env_npmath.c — the speed paths of src/env/npmath.h give the same bits as the plain ones:
 * dq_py_sq (x*x unless near a rounding midpoint) equals libm pow(x, 2) on random arguments of
 * every scale, and dq_np_sin/dq_np_cos compiled for FMA hardware (what the target_clones "fma"
 * clones of the step functions run) equal the baseline build where fma() is a libm call. */
/* Same rule as src/env (CMakeLists.txt): the compiler must not fuse a*b+c on its own here. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "deepq/rng.h"
#include "env/npmath.h"
#include "test.h"

static double ref_sq(double x) {
    volatile double two = 2.0;
    return pow(x, two);
}

static void py_sq_is_pow(void) {
    dq_rng rng;
    dq_rng_seed(&rng, 11);
    int64_t bad = 0, differ = 0, n = 2000000;
    for (int64_t i = 0; i < n; i++) {
        double x = (dq_rng_uniform(&rng) - 0.5) * ldexp(1.0, (int)dq_rng_below(&rng, 120) - 60);
        double a = dq_py_sq(x), b = ref_sq(x);
        bad += memcmp(&a, &b, sizeof a) != 0;
        differ += b != x * x;
    }
    CHECK_MSG(bad == 0, "%lld of %lld differ from pow", (long long)bad, (long long)n);
    CHECK(differ > 0); /* pow really is not x*x everywhere: the shortcut matters */
    const double edge[] = {0.0, -0.0, 1.0, 0x1p-600, 0x1p+600, 1e-160, 3e200, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
        double a = dq_py_sq(edge[i]), b = ref_sq(edge[i]);
        CHECK(!memcmp(&a, &b, sizeof a));
    }
    CHECK(isnan(dq_py_sq(NAN)));
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define HAVE_FMA_TEST 1
__attribute__((target("fma"), noinline)) static void trig_fma(const double *x, double *out,
                                                             int n) {
    for (int i = 0; i < n; i++) out[2 * i] = dq_np_sin(x[i]), out[2 * i + 1] = dq_np_cos(x[i]);
}
#endif

__attribute__((noinline)) static void trig_plain(const double *x, double *out, int n) {
    for (int i = 0; i < n; i++) out[2 * i] = dq_np_sin(x[i]), out[2 * i + 1] = dq_np_cos(x[i]);
}

static void trig_fma_same_bits(void) {
#ifdef HAVE_FMA_TEST
    if (!__builtin_cpu_supports("fma")) return;
    enum { N = 200000 };
    static double x[N], a[2 * N], b[2 * N];
    dq_rng rng;
    dq_rng_seed(&rng, 12);
    for (int i = 0; i < N; i++)
        x[i] = (dq_rng_uniform(&rng) - 0.5) * ldexp(1.0, (int)dq_rng_below(&rng, 60) - 30);
    x[0] = 0.0, x[1] = -0.0, x[2] = 1e-300, x[3] = 3.141592653589793;
    trig_fma(x, a, N);
    trig_plain(x, b, N);
    CHECK(!memcmp(a, b, sizeof a));
#endif
}

int main(void) {
    py_sq_is_pow();
    trig_fma_same_bits();
    TEST_MAIN_END();
}
