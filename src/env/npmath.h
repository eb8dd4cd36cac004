/* npmath.h — float64 sin and cos exactly as the Gymnasium golden recordings computed them.
 *
 * Gymnasium's CartPole, Acrobot and Pendulum call np.sin/np.cos. The recordings in
 * ../shared/golden were made with NumPy 1.24 on an AVX-512 machine, where those ufuncs run
 * Intel's SVML "low accuracy" kernels (__svml_sin8/__svml_cos8, < 4 ulp, shipped with NumPy as
 * numpy/SVML linux/avx512/svml_z0_{sin,cos}_d_la.s). They differ from glibc's sin/cos by an ulp
 * or two on many arguments, and an inverted pendulum replayed open-loop amplifies one ulp to
 * an O(1) error within 500 steps, so matching the recordings bit for bit needs the same
 * kernel. These functions re-express that kernel's fast path in scalar C (our own code, from the
 * algorithm and constants: Cody-Waite reduction by pi in three parts, odd polynomial of degree
 * 15 in r). Every operation is one correctly rounded IEEE operation or fma(), so the result is
 * the same on any machine. Arguments beyond the fast path's range (|x| > 2^23 pi, non-finite)
 * fall back to libm; no environment gets there.
 *
 * Build note: these need -ffp-contract=off (set for src/env in CMakeLists.txt).
 *
 * Speed: without -mfma every fma() here is a libm call. Callers that step an env mark their
 * step function DQ_NP_FMA_CLONES: GCC then compiles it twice, for FMA hardware and for the
 * baseline, and picks one at load time. fma() is exact by definition, so both clones give the
 * same bits; these helpers are always inlined so the FMA clone runs them as instructions. */
#ifndef DQ_ENV_NPMATH_H
#define DQ_ENV_NPMATH_H

#include <math.h>
#include <stdbool.h>

#include "deepq/env.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__FMA__) && \
    !defined(__SANITIZE_ADDRESS__)
#define DQ_NP_FMA_CLONES __attribute__((target_clones("fma", "default")))
#else
#define DQ_NP_FMA_CLONES
#endif
#define DQ_NP_INLINE static inline __attribute__((always_inline))

#define DQ_NP_INV_PI 0x1.45f306dc9c883p-2
#define DQ_NP_PI_HI 0x1.921fb54442d18p+1
#define DQ_NP_PI_MID 0x1.1a62633145c06p-53
#define DQ_NP_PI_LO 0x1.c1cd129024e09p-106

/* NumPy(SVML LA)-exact cos. */
DQ_NP_INLINE double dq_np_cos(double x) {
    double a = fabs(x);
    if (!(a <= 0x1p+25)) return cos(x);
    if (a < 0x1p-27) return 1.0;
    /* N = trunc(a / pi) as SVML's round-toward-zero fma(a, 1/pi, 2^52) gives it. */
    double hi = a * DQ_NP_INV_PI, lo = fma(a, DQ_NP_INV_PI, -hi);
    double n = floor(hi);
    if (n == hi && lo < 0.0) n -= 1.0;
    if (n > 8388606.0) return cos(x);
    double nh = n + 0.5; /* cos(a) = (-1)^N sin((N + 1/2) pi - a) */
    double r = fma(nh, DQ_NP_PI_HI, -a);
    r = fma(nh, DQ_NP_PI_MID, r);
    double r2 = r * r;
    double rr = fma(DQ_NP_PI_LO, nh, r);
    double p = fma(-0x1.9f0d60811aac8p-41, r2, 0x1.60e6857a2f220p-33);
    p = fma(r2, p, -0x1.ae63546002231p-26);
    p = fma(r2, p, 0x1.71de38030fea0p-19);
    p = fma(r2, p, -0x1.a01a019a5b87bp-13);
    p = fma(r2, p, 0x1.111111110a4a8p-7);
    p = fma(r2, p, -0x1.55555555554a7p-3);
    if ((long long)n & 1) rr = -rr;
    return fma(rr * r2, p, rr);
}

/* NumPy(SVML LA)-exact sin. */
DQ_NP_INLINE double dq_np_sin(double x) {
    if (x == 0.0) return x; /* keeps the sign of zero */
    if (!(fabs(x) <= 0x1p+24)) return sin(x);
    /* N = round-to-nearest(x / pi) via the 1.5 * 2^52 shifter; sin(x) = (-1)^N sin(x - N pi). */
    double t = fma(x, DQ_NP_INV_PI, 0x1.8p+52);
    double n = t - 0x1.8p+52;
    double r = fma(-n, DQ_NP_PI_HI, x);
    r = fma(-DQ_NP_PI_MID, n, r);
    double r2 = r * r;
    double rr = fma(-DQ_NP_PI_LO, n, r);
    double p = fma(-0x1.9f1517e9f65f0p-41, r2, 0x1.60e6bee01d83ep-33);
    p = fma(r2, p, -0x1.ae6355aaa4a53p-26);
    p = fma(r2, p, 0x1.71de3806add1ap-19);
    p = fma(r2, p, -0x1.a01a019a659ddp-13);
    p = fma(r2, p, 0x1.111111110a573p-7);
    p = fma(r2, p, -0x1.55555555554a8p-3);
    double s = fma(rr * r2, p, rr);
    return ((long long)n & 1) ? -s : s;
}

/* Python's x ** 2 on a float: libm pow(x, 2.0), which is not always x * x rounded (glibc's pow
 * is within 0.52 ulp, not correctly rounded). Shortcut, exact by that bound: p = x * x and its
 * exact error e = fma(x, x, -p); when |e| < 3/8 ulp(p) (and p is a normal number, not a power of
 * two), the exact square is more than 0.62 ulp from every other double, so pow must return p.
 * Only the remaining cases (about a quarter) call pow. The volatile exponent stops the compiler
 * turning pow into x * x. */
DQ_NP_INLINE double dq_py_sq(double x) {
    double p = x * x;
    union { double d; unsigned long long u; } b = {p};
    unsigned long long ex = (b.u >> 52) & 0x7ff, man = b.u & 0xfffffffffffffull;
    if (ex > 60 && ex < 0x7ff && man != 0) {
        union { double d; unsigned long long u; } ulp = {.u = (ex - 52) << 52};
        double e = fma(x, x, -p);
        if (fabs(e) < 0.375 * ulp.d) return p;
    }
    volatile double two = 2.0;
    return pow(x, two);
}

/* ---- which NumPy an env reproduces ------------------------------------------------------
 *
 * Gymnasium's results depend on the NumPy it runs on and the CPU (docs/ENVIRONMENTS.md, "Math
 * flavours"): NumPy 1.22-1.24 on a CPU with AVX512_SKX computes float64 np.sin/np.cos with the
 * SVML kernels above, every other NumPy (1.25+ and all of 2.x) and CPU with glibc's sin/cos; and
 * NumPy 2 (NEP 50) keeps np.float32 op Python float in float32 where NumPy 1 went to float64.
 * Envs that depend on either read the options `math` (numpy | svml | libm) and `numpy` (the
 * version to follow, default 2) into a dq_np_flavour at init. */
typedef struct dq_np_flavour {
    bool svml;  /* float64 sin/cos: the SVML kernels (true) or libm (false) */
    bool nep50; /* NumPy >= 2 promotion: np.float32 with a Python float stays float32 */
} dq_np_flavour;

/* Read options math and numpy from kw (absent: math=numpy, numpy=2) and resolve math=numpy by
 * NumPy's own dispatch on this CPU. DQ_EINVAL naming the option on a bad value. */
dq_status dq_np_flavour_read(const dq_kwargs *kw, dq_np_flavour *out, dq_error *err);
/* Whether this CPU has AVX512_SKX (AVX-512 F, CD, BW, DQ, VL), NumPy's condition for SVML. */
bool dq_np_cpu_avx512_skx(void);

/* x rounded to float32 and back: NumPy's float32 storage. The empty asm keeps the float in a
 * register the optimizer cannot see through: GCC 12's SLP vectorizer dropped the round trip of
 * two adjacent `(double)(float)v` stores (MountainCarContinuous's state) at -O2. */
DQ_NP_INLINE double dq_f32_round(double x) {
    float f = (float)x;
#if defined(__GNUC__) && defined(__x86_64__)
    __asm__("" : "+x"(f));
#else
    volatile float g = f;
    f = g;
#endif
    return (double)f;
}

/* sin and cos of the flavour: SVML-exact or libm. */
DQ_NP_INLINE double dq_np_sin_as(bool svml, double x) { return svml ? dq_np_sin(x) : sin(x); }
DQ_NP_INLINE double dq_np_cos_as(bool svml, double x) { return svml ? dq_np_cos(x) : cos(x); }

#endif
