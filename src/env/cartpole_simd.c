/* cartpole_simd.c — four CartPole-v1 Euler steps at once with AVX2+FMA, for the batched SoA
 * path, with the SVML flavour's sin/cos in vector form or libm's called per lane. Bit-identical to dq_cartpole_advance (scalar) by construction: the same IEEE operations
 * in the same order, lane by lane (no contraction: src/env builds with -ffp-contract=off; every
 * fma of the scalar code is one vfmadd here), with npmath.h's sin/cos kernels written in
 * vector form for |theta| < 2^20 (the caller uses the scalar code for anything else). */
#include "env/cartpole.h"

#include "core/cpu.h"

#if defined(__GLIBC__) && defined(__GNUC__)
/* glibc's sincos under another C name: GCC rewrites a call to the builtin sincos into separate
 * sin and cos calls here, which costs a second argument reduction. */
extern void dq_glibc_sincos(double x, double *s, double *c) __asm__("sincos");
#endif

void dq_cartpole_cos_sin(double *c, double *s, const double *theta, int n) {
#if defined(__GLIBC__) && defined(__GNUC__)
    /* glibc's sincos runs the code of its sin and cos once for both and returns exactly their
     * values (checked on 3e7 arguments, glibc 2.36; GCC itself turns sin(x) and cos(x) of one
     * x into sincos in dq_cartpole_advance). */
    for (int i = 0; i < n; i++) dq_glibc_sincos(theta[i], &s[i], &c[i]);
#else
    for (int i = 0; i < n; i++) c[i] = cos(theta[i]), s[i] = sin(theta[i]);
#endif
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>

bool dq_cartpole_simd_available(void) { return dq_cpu_has_avx2(); }

#define TGT __attribute__((target("avx2,fma")))
#define V(c) _mm256_set1_pd(c)

/* Lanes where n (an integer-valued double, |n| < 2^31) is odd, as a full 64-bit mask. */
TGT static inline __m256d odd_mask(__m256d n) {
    __m128i k = _mm256_cvtpd_epi32(n);
    __m128i odd = _mm_cmpeq_epi32(_mm_and_si128(k, _mm_set1_epi32(1)), _mm_set1_epi32(1));
    return _mm256_castsi256_pd(_mm256_cvtepi32_epi64(odd));
}

TGT static inline __m256d flip_sign(__m256d v, __m256d mask) {
    return _mm256_xor_pd(v, _mm256_and_pd(mask, V(-0.0)));
}

/* dq_np_cos, lane by lane, for |x| < 2^20. */
TGT static inline __m256d np_cos4(__m256d x) {
    __m256d a = _mm256_andnot_pd(V(-0.0), x);
    __m256d hi = _mm256_mul_pd(a, V(DQ_NP_INV_PI));
    __m256d lo = _mm256_fmsub_pd(a, V(DQ_NP_INV_PI), hi);
    __m256d n = _mm256_floor_pd(hi);
    __m256d adj = _mm256_and_pd(_mm256_cmp_pd(n, hi, _CMP_EQ_OQ),
                                _mm256_cmp_pd(lo, V(0.0), _CMP_LT_OQ));
    n = _mm256_sub_pd(n, _mm256_and_pd(adj, V(1.0)));
    __m256d nh = _mm256_add_pd(n, V(0.5));
    __m256d r = _mm256_fmsub_pd(nh, V(DQ_NP_PI_HI), a);
    r = _mm256_fmadd_pd(nh, V(DQ_NP_PI_MID), r);
    __m256d r2 = _mm256_mul_pd(r, r);
    __m256d rr = _mm256_fmadd_pd(V(DQ_NP_PI_LO), nh, r);
    __m256d p = _mm256_fmadd_pd(V(-0x1.9f0d60811aac8p-41), r2, V(0x1.60e6857a2f220p-33));
    p = _mm256_fmadd_pd(r2, p, V(-0x1.ae63546002231p-26));
    p = _mm256_fmadd_pd(r2, p, V(0x1.71de38030fea0p-19));
    p = _mm256_fmadd_pd(r2, p, V(-0x1.a01a019a5b87bp-13));
    p = _mm256_fmadd_pd(r2, p, V(0x1.111111110a4a8p-7));
    p = _mm256_fmadd_pd(r2, p, V(-0x1.55555555554a7p-3));
    rr = flip_sign(rr, odd_mask(n));
    __m256d c = _mm256_fmadd_pd(_mm256_mul_pd(rr, r2), p, rr);
    return _mm256_blendv_pd(c, V(1.0), _mm256_cmp_pd(a, V(0x1p-27), _CMP_LT_OQ));
}

/* dq_np_sin, lane by lane, for |x| < 2^20. */
TGT static inline __m256d np_sin4(__m256d x) {
    __m256d t = _mm256_fmadd_pd(x, V(DQ_NP_INV_PI), V(0x1.8p+52));
    __m256d n = _mm256_sub_pd(t, V(0x1.8p+52));
    __m256d r = _mm256_fnmadd_pd(n, V(DQ_NP_PI_HI), x);
    r = _mm256_fnmadd_pd(V(DQ_NP_PI_MID), n, r);
    __m256d r2 = _mm256_mul_pd(r, r);
    __m256d rr = _mm256_fnmadd_pd(V(DQ_NP_PI_LO), n, r);
    __m256d p = _mm256_fmadd_pd(V(-0x1.9f1517e9f65f0p-41), r2, V(0x1.60e6bee01d83ep-33));
    p = _mm256_fmadd_pd(r2, p, V(-0x1.ae6355aaa4a53p-26));
    p = _mm256_fmadd_pd(r2, p, V(0x1.71de3806add1ap-19));
    p = _mm256_fmadd_pd(r2, p, V(-0x1.a01a019a659ddp-13));
    p = _mm256_fmadd_pd(r2, p, V(0x1.111111110a573p-7));
    p = _mm256_fmadd_pd(r2, p, V(-0x1.55555555554a8p-3));
    __m256d s = flip_sign(_mm256_fmadd_pd(_mm256_mul_pd(rr, r2), p, rr), odd_mask(n));
    return _mm256_blendv_pd(s, x, _mm256_cmp_pd(x, V(0.0), _CMP_EQ_OQ)); /* sign of zero */
}

/* a / (masspole + masscart), correctly rounded, without a division: q = a * RN(1/b), then
 * one Newton correction with the exact remainder fma(-q, b, a). By Markstein's theorem (y =
 * RN(1/b) within half an ulp, q within one ulp of a/b, the remainder exact) the result is
 * RN(a/b), the same bits as the scalar code's division, for all a away from overflow and
 * underflow; 4e8 random a of every magnitude gave no difference. A 4-lane vdivpd has a
 * throughput of one per 8 cycles: three of them per step were ~15% of a batched step. */
TGT static inline __m256d div_total_mass(__m256d a) {
    const double b = DQ_CARTPOLE_MASSPOLE + DQ_CARTPOLE_MASSCART;
    const __m256d vb = V(b), y = V(1.0 / b);
    __m256d q = _mm256_mul_pd(a, y);
    return _mm256_fmadd_pd(_mm256_fnmadd_pd(q, vb, a), y, q);
}

/* The Euler step of 4 lanes given cos and sin of their theta (th): the rest of
 * dq_cartpole_advance, lane by lane. Returns the 4-bit mask of terminated lanes, or -1 with
 * nothing written when a lane is outside div_total_mass's range (theta not finite, or
 * |theta_dot| >= 2^500, where theta_dot^2 could overflow): the caller steps those scalar. */
TGT static inline int advance4_sc(double *x, double *x_dot, double *theta, double *theta_dot,
                                  const int64_t *action, __m256d th, __m256d c, __m256d s) {
    const double polemass_length = DQ_CARTPOLE_MASSPOLE * DQ_CARTPOLE_LENGTH;
    __m256d thd = _mm256_loadu_pd(theta_dot);
    __m256d ok = _mm256_and_pd(
        _mm256_cmp_pd(_mm256_andnot_pd(V(-0.0), th), V(INFINITY), _CMP_LT_OQ),
        _mm256_cmp_pd(_mm256_andnot_pd(V(-0.0), thd), V(0x1p+500), _CMP_LT_OQ));
    if (_mm256_movemask_pd(ok) != 0xf) return -1;
    __m256d xx = _mm256_loadu_pd(x), xd = _mm256_loadu_pd(x_dot);
    __m256i act = _mm256_loadu_si256((const __m256i *)action);
    __m256d push = _mm256_castsi256_pd(_mm256_cmpeq_epi64(act, _mm256_set1_epi64x(1)));
    __m256d force = _mm256_blendv_pd(V(-DQ_CARTPOLE_FORCE), V(DQ_CARTPOLE_FORCE), push);
    __m256d temp = div_total_mass(
        _mm256_add_pd(force, _mm256_mul_pd(_mm256_mul_pd(V(polemass_length),
                                                         _mm256_mul_pd(thd, thd)), s)));
    __m256d den = _mm256_mul_pd(
        V(DQ_CARTPOLE_LENGTH),
        _mm256_sub_pd(V(4.0 / 3.0), div_total_mass(_mm256_mul_pd(V(DQ_CARTPOLE_MASSPOLE),
                                                                  _mm256_mul_pd(c, c)))));
    __m256d thacc = _mm256_div_pd(
        _mm256_sub_pd(_mm256_mul_pd(V(DQ_CARTPOLE_GRAVITY), s), _mm256_mul_pd(c, temp)), den);
    __m256d xacc = _mm256_sub_pd(
        temp, div_total_mass(_mm256_mul_pd(_mm256_mul_pd(V(polemass_length), thacc), c)));
    xx = _mm256_add_pd(xx, _mm256_mul_pd(V(DQ_CARTPOLE_TAU), xd));
    xd = _mm256_add_pd(xd, _mm256_mul_pd(V(DQ_CARTPOLE_TAU), xacc));
    th = _mm256_add_pd(th, _mm256_mul_pd(V(DQ_CARTPOLE_TAU), thd));
    thd = _mm256_add_pd(thd, _mm256_mul_pd(V(DQ_CARTPOLE_TAU), thacc));
    _mm256_storeu_pd(x, xx), _mm256_storeu_pd(x_dot, xd);
    _mm256_storeu_pd(theta, th), _mm256_storeu_pd(theta_dot, thd);
    __m256d out = _mm256_or_pd(
        _mm256_or_pd(_mm256_cmp_pd(xx, V(-DQ_CARTPOLE_X_THRESHOLD), _CMP_LT_OQ),
                     _mm256_cmp_pd(xx, V(DQ_CARTPOLE_X_THRESHOLD), _CMP_GT_OQ)),
        _mm256_or_pd(_mm256_cmp_pd(th, V(-DQ_CARTPOLE_THETA_THRESHOLD), _CMP_LT_OQ),
                     _mm256_cmp_pd(th, V(DQ_CARTPOLE_THETA_THRESHOLD), _CMP_GT_OQ)));
    return _mm256_movemask_pd(out);
}

TGT int dq_cartpole_advance4(double *x, double *x_dot, double *theta, double *theta_dot,
                             const int64_t *action) {
    __m256d th = _mm256_loadu_pd(theta);
    __m256d ath = _mm256_andnot_pd(V(-0.0), th);
    if (_mm256_movemask_pd(_mm256_cmp_pd(ath, V(0x1p+20), _CMP_LT_OQ)) != 0xf) return -1;
    return advance4_sc(x, x_dot, theta, theta_dot, action, th, np_cos4(th), np_sin4(th));
}

TGT int dq_cartpole_advance4_sc(double *x, double *x_dot, double *theta, double *theta_dot,
                                const int64_t *action, const double *cos_theta,
                                const double *sin_theta) {
    return advance4_sc(x, x_dot, theta, theta_dot, action, _mm256_loadu_pd(theta),
                       _mm256_loadu_pd(cos_theta), _mm256_loadu_pd(sin_theta));
}

TGT void dq_cartpole_obs4(const double *x, const double *x_dot, const double *theta,
                          const double *theta_dot, float *rows) {
    __m128 a = _mm256_cvtpd_ps(_mm256_loadu_pd(x)), b = _mm256_cvtpd_ps(_mm256_loadu_pd(x_dot));
    __m128 c = _mm256_cvtpd_ps(_mm256_loadu_pd(theta));
    __m128 d = _mm256_cvtpd_ps(_mm256_loadu_pd(theta_dot));
    _MM_TRANSPOSE4_PS(a, b, c, d);
    _mm_storeu_ps(rows, a), _mm_storeu_ps(rows + 4, b);
    _mm_storeu_ps(rows + 8, c), _mm_storeu_ps(rows + 12, d);
    /* GCC adds no vzeroupper here (no ymm register is written), but the 256-bit converts leave
     * the upper state dirty on Intel cores, and the legacy-SSE code that follows (the scalar
     * bookkeeping, the per-lane sincos loop) then merges into every register's upper half:
     * the chunk's 64 sincos calls ran as one dependency chain, the SoA path at 5.8M steps/s
     * instead of 67M (tests/avx_upper.sh checks every function of the library for this). */
    _mm256_zeroupper();
}

#else
bool dq_cartpole_simd_available(void) { return false; }
void dq_cartpole_obs4(const double *x, const double *x_dot, const double *theta,
                      const double *theta_dot, float *rows) {
    for (int k = 0; k < 4; k++) {
        rows[4 * k] = (float)x[k], rows[4 * k + 1] = (float)x_dot[k];
        rows[4 * k + 2] = (float)theta[k], rows[4 * k + 3] = (float)theta_dot[k];
    }
}
int dq_cartpole_advance4(double *x, double *x_dot, double *theta, double *theta_dot,
                         const int64_t *action) {
    return -1;
}
int dq_cartpole_advance4_sc(double *x, double *x_dot, double *theta, double *theta_dot,
                            const int64_t *action, const double *cos_theta,
                            const double *sin_theta) {
    return -1;
}
#endif
