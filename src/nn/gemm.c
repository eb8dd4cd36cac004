/* gemm.c — strided matrix products for the NN engine (see gemm.h).
 *
 * The float32 fast path follows the BLIS layering: for each NC column block and KC depth block,
 * B is packed into NR-wide panels, then for each MC row block A is packed into MR-tall panels,
 * and a 6x16 register-blocked AVX2/FMA micro-kernel (12 accumulators) walks the panel pairs.
 * Packing pads with zeros, so the kernel always runs full tiles and only the edge stores are
 * masked. When N is small and M large (the Q-value output layer, or the input layer's weight
 * gradient) the product is computed transposed, C^T = B^T A^T, so the wide side fills the
 * 16-column panels. The AVX2 functions are compiled with a target attribute and chosen at run
 * time with __builtin_cpu_supports, so the library still runs on CPUs without AVX2. */
#include "nn/gemm.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DQ_HAVE_X86 1
#else
#define DQ_HAVE_X86 0
#endif

#define MR DQ_GEMM_MR
#define NR DQ_GEMM_NR
#define KC DQ_GEMM_KC
#define MC DQ_GEMM_MC
#define NC DQ_GEMM_NC

static inline int imin(int a, int b) { return a < b ? a : b; }

size_t dq_gemm_ws_floats(void) { return (size_t)(MC + NC) * KC; }

bool dq_cpu_has_avx2(void) {
#if DQ_HAVE_X86
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

/* Portable i-k-j loop; the j loop is contiguous (and vectorised by the compiler) when the column
 * strides of B and C are 1. */
#define DQ_GEMM_REF_BODY(T)                                                                    \
    for (int i = 0; i < M; i++) {                                                              \
        T *c = C + i * rsc;                                                                    \
        if (!acc)                                                                              \
            for (int j = 0; j < N; j++) c[j * csc] = 0;                                        \
        for (int k = 0; k < K; k++) {                                                          \
            const T a = A[i * rsa + k * csa];                                                  \
            const T *b = B + k * rsb;                                                          \
            if (csb == 1 && csc == 1)                                                          \
                for (int j = 0; j < N; j++) c[j] += a * b[j];                                  \
            else                                                                               \
                for (int j = 0; j < N; j++) c[j * csc] += a * b[j * csb];                      \
        }                                                                                      \
    }

void dq_gemm_f32_ref(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                     const float *B, ptrdiff_t rsb, ptrdiff_t csb, float *C, ptrdiff_t rsc,
                     ptrdiff_t csc, bool acc) {
    DQ_GEMM_REF_BODY(float)
}

void dq_gemm_f64(int M, int N, int K, const double *A, ptrdiff_t rsa, ptrdiff_t csa,
                 const double *B, ptrdiff_t rsb, ptrdiff_t csb, double *C, ptrdiff_t rsc,
                 ptrdiff_t csc, bool acc) {
    DQ_GEMM_REF_BODY(double)
}

#if DQ_HAVE_X86
/* Ap[panel][k][MR] <- A[mc, kc] (zero rows past mc). */
__attribute__((target("avx2,fma"))) static void pack_a(int mc, int kc, const float *A,
                                                       ptrdiff_t rsa, ptrdiff_t csa, float *Ap) {
    for (int p = 0; p < mc; p += MR) {
        const int mr = imin(MR, mc - p);
        const float *a = A + p * rsa;
        for (int k = 0; k < kc; k++) {
            int r = 0;
            for (; r < mr; r++) Ap[r] = a[r * rsa + k * csa];
            for (; r < MR; r++) Ap[r] = 0.0f;
            Ap += MR;
        }
    }
}

/* Bp[panel][k][NR] <- B[kc, nc] (zero columns past nc). */
__attribute__((target("avx2,fma"))) static void pack_b(int kc, int nc, const float *B,
                                                       ptrdiff_t rsb, ptrdiff_t csb, float *Bp) {
    for (int q = 0; q < nc; q += NR) {
        const int nr = imin(NR, nc - q);
        const float *b = B + q * csb;
        if (csb == 1 && nr == NR) {
            for (int k = 0; k < kc; k++, Bp += NR) {
                _mm256_store_ps(Bp, _mm256_loadu_ps(b + k * rsb));
                _mm256_store_ps(Bp + 8, _mm256_loadu_ps(b + k * rsb + 8));
            }
        } else {
            for (int k = 0; k < kc; k++, Bp += NR) {
                int c = 0;
                for (; c < nr; c++) Bp[c] = b[k * rsb + c * csb];
                for (; c < NR; c++) Bp[c] = 0.0f;
            }
        }
    }
}

#define UKR_ROW(r)                                                                             \
    a = _mm256_broadcast_ss(Ap + (r));                                                         \
    c##r##0 = _mm256_fmadd_ps(a, b0, c##r##0);                                                 \
    c##r##1 = _mm256_fmadd_ps(a, b1, c##r##1);

/* C[mr, nr] (+)= Ap[kc][MR] * Bp[kc][NR]: 6x16 tile in 12 ymm accumulators. */
__attribute__((target("avx2,fma"))) static void ukr_6x16(int kc, const float *restrict Ap,
                                                         const float *restrict Bp, float *C,
                                                         ptrdiff_t rsc, ptrdiff_t csc, int mr,
                                                         int nr, bool acc) {
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
#pragma GCC unroll 4
    for (int k = 0; k < kc; k++) {
        const __m256 b0 = _mm256_load_ps(Bp), b1 = _mm256_load_ps(Bp + 8);
        __m256 a;
        UKR_ROW(0) UKR_ROW(1) UKR_ROW(2) UKR_ROW(3) UKR_ROW(4) UKR_ROW(5)
        Ap += MR;
        Bp += NR;
    }
    if (mr == MR && nr == NR && csc == 1) {
#define UKR_STORE(r)                                                                           \
    if (acc) {                                                                                 \
        c##r##0 = _mm256_add_ps(c##r##0, _mm256_loadu_ps(C + (r) * rsc));                      \
        c##r##1 = _mm256_add_ps(c##r##1, _mm256_loadu_ps(C + (r) * rsc + 8));                  \
    }                                                                                          \
    _mm256_storeu_ps(C + (r) * rsc, c##r##0);                                                  \
    _mm256_storeu_ps(C + (r) * rsc + 8, c##r##1);
        UKR_STORE(0) UKR_STORE(1) UKR_STORE(2) UKR_STORE(3) UKR_STORE(4) UKR_STORE(5)
#undef UKR_STORE
        return;
    }
    float t[MR * NR] __attribute__((aligned(32)));
    _mm256_store_ps(t + 0 * NR, c00); _mm256_store_ps(t + 0 * NR + 8, c01);
    _mm256_store_ps(t + 1 * NR, c10); _mm256_store_ps(t + 1 * NR + 8, c11);
    _mm256_store_ps(t + 2 * NR, c20); _mm256_store_ps(t + 2 * NR + 8, c21);
    _mm256_store_ps(t + 3 * NR, c30); _mm256_store_ps(t + 3 * NR + 8, c31);
    _mm256_store_ps(t + 4 * NR, c40); _mm256_store_ps(t + 4 * NR + 8, c41);
    _mm256_store_ps(t + 5 * NR, c50); _mm256_store_ps(t + 5 * NR + 8, c51);
    for (int r = 0; r < mr; r++)
        for (int j = 0; j < nr; j++) {
            float *c = C + r * rsc + j * csc;
            *c = acc ? *c + t[r * NR + j] : t[r * NR + j];
        }
}
#undef UKR_ROW

__attribute__((target("avx2,fma"))) static void gemm_packed(int M, int N, int K, const float *A,
                                                            ptrdiff_t rsa, ptrdiff_t csa,
                                                            const float *B, ptrdiff_t rsb,
                                                            ptrdiff_t csb, float *C,
                                                            ptrdiff_t rsc, ptrdiff_t csc,
                                                            bool acc, float *ws) {
    float *Ap = ws;            /* [MC * KC] */
    float *Bp = ws + MC * KC;  /* [NC * KC] */
    for (int jc = 0; jc < N; jc += NC) {
        const int nc = imin(NC, N - jc);
        for (int pc = 0; pc < K; pc += KC) {
            const int kc = imin(KC, K - pc);
            const bool acc_blk = acc || pc > 0;
            pack_b(kc, nc, B + pc * rsb + jc * csb, rsb, csb, Bp);
            for (int ic = 0; ic < M; ic += MC) {
                const int mc = imin(MC, M - ic);
                pack_a(mc, kc, A + ic * rsa + pc * csa, rsa, csa, Ap);
                for (int jr = 0; jr < nc; jr += NR)
                    for (int ir = 0; ir < mc; ir += MR)
                        ukr_6x16(kc, Ap + ir * kc, Bp + jr * kc,
                                 C + (ic + ir) * rsc + (jc + jr) * csc, rsc, csc,
                                 imin(MR, mc - ir), imin(NR, nc - jr), acc_blk);
            }
        }
    }
}

/* Horizontal sums of four vectors: lane r of the result = sum of v_r. */
__attribute__((target("avx2,fma"))) static inline __m128 hsum4(__m256 v0, __m256 v1, __m256 v2,
                                                               __m256 v3) {
    const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(v0, v1), _mm256_hadd_ps(v2, v3));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

__attribute__((target("avx2,fma"))) static void matvec_avx2(float *y, const float *W,
                                                            const float *b, const float *x,
                                                            int out, int in) {
    const int in8 = in & ~7;
    int j = 0;
    for (; j + 4 <= out; j += 4) {
        const float *w0 = W + (size_t)j * in, *w1 = w0 + in, *w2 = w1 + in, *w3 = w2 + in;
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
        __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
        for (int k = 0; k < in8; k += 8) {
            const __m256 xv = _mm256_loadu_ps(x + k);
            s0 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + k), xv, s0);
            s1 = _mm256_fmadd_ps(_mm256_loadu_ps(w1 + k), xv, s1);
            s2 = _mm256_fmadd_ps(_mm256_loadu_ps(w2 + k), xv, s2);
            s3 = _mm256_fmadd_ps(_mm256_loadu_ps(w3 + k), xv, s3);
        }
        float s[4];
        _mm_storeu_ps(s, _mm_add_ps(hsum4(s0, s1, s2, s3), _mm_loadu_ps(b + j)));
        for (int k = in8; k < in; k++) {
            s[0] += w0[k] * x[k];
            s[1] += w1[k] * x[k];
            s[2] += w2[k] * x[k];
            s[3] += w3[k] * x[k];
        }
        memcpy(y + j, s, sizeof s);
    }
    for (; j < out; j++) {
        const float *w = W + (size_t)j * in;
        __m256 s0 = _mm256_setzero_ps();
        for (int k = 0; k < in8; k += 8)
            s0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + k), _mm256_loadu_ps(x + k), s0);
        float s[4];
        _mm_storeu_ps(s, hsum4(s0, s0, s0, s0));
        float acc = s[0] + b[j];
        for (int k = in8; k < in; k++) acc += w[k] * x[k];
        y[j] = acc;
    }
}
#endif /* DQ_HAVE_X86 */

void dq_gemm_f32(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                 const float *B, ptrdiff_t rsb, ptrdiff_t csb, float *C, ptrdiff_t rsc,
                 ptrdiff_t csc, bool acc, float *ws) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        if (!acc)
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++) C[i * rsc + j * csc] = 0.0f;
        return;
    }
#if DQ_HAVE_X86
    if (ws && dq_cpu_has_avx2()) {
        if (N < NR && M > N) /* thin C: compute C^T = B^T A^T so the wide side is N */
            gemm_packed(N, M, K, B, csb, rsb, A, csa, rsa, C, csc, rsc, acc, ws);
        else
            gemm_packed(M, N, K, A, rsa, csa, B, rsb, csb, C, rsc, csc, acc, ws);
        return;
    }
#endif
    dq_gemm_f32_ref(M, N, K, A, rsa, csa, B, rsb, csb, C, rsc, csc, acc);
}

void dq_matvec_f32(float *y, const float *W, const float *b, const float *x, int out, int in) {
#if DQ_HAVE_X86
    if (in >= 8 && dq_cpu_has_avx2()) {
        matvec_avx2(y, W, b, x, out, in);
        return;
    }
#endif
    for (int j = 0; j < out; j++) {
        const float *w = W + (size_t)j * in;
        float acc = b[j];
        for (int k = 0; k < in; k++) acc += w[k] * x[k];
        y[j] = acc;
    }
}
