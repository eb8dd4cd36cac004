/* heads.c — dueling aggregation and the C51 distributional head (deepq/heads.h). The kernels
 * are written once in heads_impl.h and instantiated here for float32 and float64. */
#include "deepq/heads.h"

#include "core/cpu.h"

#include <math.h>

dq_c51_def dq_c51_def_default(void) {
    dq_c51_def d = {.atoms = 51, .v_min = -10.0, .v_max = 10.0};
    return d;
}

dq_status dq_c51_check(const dq_c51_def *def, dq_error *err) {
    if (def->atoms < 2 || def->atoms > DQ_HEADS_MAX_ATOMS)
        return dq_fail(err, DQ_EINVAL, "c51_atoms: %d must be in [2, %d]", def->atoms,
                       DQ_HEADS_MAX_ATOMS);
    if (!(isfinite(def->v_min) && isfinite(def->v_max) && def->v_min < def->v_max))
        return dq_fail(err, DQ_EINVAL, "v_min %g must be below v_max %g (both finite)",
                       def->v_min, def->v_max);
    return DQ_OK;
}

void dq_c51_support(const dq_c51_def *def, double *z) {
    const double dz = (def->v_max - def->v_min) / (def->atoms - 1);
    for (int j = 0; j < def->atoms; j++) z[j] = def->v_min + j * dz;
}

/* ---- out[j] = exp(l[j] - max l), returns sum_j out[j] (in double), *mx = max l ---- */

static double exp_row_f64(double *out, const double *l, int N, double *mx) {
    double m = l[0];
    for (int j = 1; j < N; j++) m = l[j] > m ? l[j] : m;
    double s = 0.0;
    for (int j = 0; j < N; j++) s += (out[j] = exp(l[j] - m));
    *mx = m;
    return s;
}

static double exp_row_f32_scalar(float *out, const float *l, int N, float *mx) {
    float m = l[0];
    for (int j = 1; j < N; j++) m = l[j] > m ? l[j] : m;
    double s = 0.0;
    for (int j = 0; j < N; j++) s += (double)(out[j] = expf(l[j] - m));
    *mx = m;
    return s;
}

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && !defined(DQ_FORCE_PORTABLE)
#include <immintrin.h>
#define HEADS_AVX2 1

/* exp(x) for x <= 0 in float32, 8 lanes: x = n ln2 + r with |r| <= ln2/2 (ln2 split in two
 * for an exact n ln2), e^r by a degree-6 polynomial (the classic Cephes expf coefficients,
 * ~1 ulp), times 2^n built in the exponent bits. x is clamped at -87.3 so 2^n stays normal:
 * e^-87.3 ~ 1e-38 instead of 0, invisible next to the row's maximum term (1). */
__attribute__((target("avx2,fma"))) static inline __m256 exp_neg_ps(__m256 x) {
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.3f));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    const __m256 r2 = _mm256_mul_ps(r, r);
    p = _mm256_fmadd_ps(p, r2, _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n),
                                                         _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

/* The row in 8-lane blocks; a masked tail (the lanes past N read nothing and add 0). The sum is
 * taken in double in lane order, so the result does not depend on N's remainder. */
__attribute__((target("avx2,fma"))) static double exp_row_f32_avx2(float *out, const float *l,
                                                                   int N, float *mx) {
    float m = l[0];
    for (int j = 1; j < N; j++) m = l[j] > m ? l[j] : m;
    const __m256 vm = _mm256_set1_ps(m);
    __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
    int j = 0;
    for (; j + 8 <= N; j += 8) {
        const __m256 e = exp_neg_ps(_mm256_sub_ps(_mm256_loadu_ps(l + j), vm));
        _mm256_storeu_ps(out + j, e);
        s0 = _mm256_add_pd(s0, _mm256_cvtps_pd(_mm256_castps256_ps128(e)));
        s1 = _mm256_add_pd(s1, _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1)));
    }
    if (j < N) {
        const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(N - j), idx);
        const __m256 x = _mm256_maskload_ps(l + j, mask);
        __m256 e = exp_neg_ps(_mm256_sub_ps(x, vm));
        e = _mm256_and_ps(e, _mm256_castsi256_ps(mask));
        _mm256_maskstore_ps(out + j, mask, e);
        s0 = _mm256_add_pd(s0, _mm256_cvtps_pd(_mm256_castps256_ps128(e)));
        s1 = _mm256_add_pd(s1, _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1)));
    }
    double t[4];
    _mm256_storeu_pd(t, _mm256_add_pd(s0, s1));
    *mx = m;
    return (t[0] + t[1]) + (t[2] + t[3]);
}

#endif

static double exp_row_f32(float *out, const float *l, int N, float *mx) {
#ifdef HEADS_AVX2
    if (dq_cpu_has_avx2()) return exp_row_f32_avx2(out, l, N, mx);
#endif
    return exp_row_f32_scalar(out, l, N, mx);
}

#define T float
#define SFX f32
#include "heads_impl.h"
#undef T
#undef SFX

#define T double
#define SFX f64
#include "heads_impl.h"
#undef T
#undef SFX
