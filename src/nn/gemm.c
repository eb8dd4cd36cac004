/* gemm.c — strided matrix products for the NN engine (see gemm.h).
 *
 * The float32 fast path blocks like BLIS (NC column blocks, KC depth blocks) around a 6x16
 * register-blocked AVX2/FMA micro-kernel (12 ymm accumulators). Packing was measured to cost a
 * third of the time at these small sizes, so it is done only where it pays: B is packed into
 * 16-wide panels only when its rows are not contiguous (W^T in the forward pass, packed with
 * 8x8 register transposes) or a panel is partial (zero padded); A is read in place through its
 * strides (6 row pointers; rows past the edge repeat the last row and are discarded). When N
 * is small and M large (the input layer's weight gradient) the product is computed
 * transposed, C^T = B^T A^T, so the wide side fills the 16-column panels; with N <= 4 and both
 * operands contiguous along k (the Q-value layer's forward X W^T) plain dot products are
 * cheaper still (gemm_thin: 4.2 -> 2.3 us at 64x2x256). The AVX2 functions are compiled with a
 * target attribute and chosen at run time with __builtin_cpu_supports, so the library still
 * runs on CPUs without AVX2. */
#include "nn/gemm.h"

#include <math.h>
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
#define NC DQ_GEMM_NC

static inline int imin(int a, int b) { return a < b ? a : b; }

/* packed B block, one packed A panel, and 16 floats of slack (keeps the size a multiple of 64 B) */
size_t dq_gemm_ws_floats(void) { return (size_t)NC * KC + (size_t)KC * MR + 16; }


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
/* 8x8 transpose of r0..r7 in place. */
#define DQ_TRANSPOSE8(r0, r1, r2, r3, r4, r5, r6, r7)                                          \
    do {                                                                                       \
        const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);         \
        const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);         \
        const __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);         \
        const __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);         \
        const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE); \
        const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE); \
        const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE); \
        const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE); \
        r0 = _mm256_permute2f128_ps(u0, u4, 0x20);                                             \
        r1 = _mm256_permute2f128_ps(u1, u5, 0x20);                                             \
        r2 = _mm256_permute2f128_ps(u2, u6, 0x20);                                             \
        r3 = _mm256_permute2f128_ps(u3, u7, 0x20);                                             \
        r4 = _mm256_permute2f128_ps(u0, u4, 0x31);                                             \
        r5 = _mm256_permute2f128_ps(u1, u5, 0x31);                                             \
        r6 = _mm256_permute2f128_ps(u2, u6, 0x31);                                             \
        r7 = _mm256_permute2f128_ps(u3, u7, 0x31);                                             \
    } while (0)

/* Bp[k][NR] <- B(k, 0..nr-1) for k < kc, zero columns past nr. When B is stored transposed
 * (rsb == 1: column c contiguous along k, as W^T in the forward pass) 8x8 register transposes
 * turn row reads into panel rows. */
__attribute__((target("avx2,fma"))) static void pack_b_panel(int kc, int nr, const float *B,
                                                             ptrdiff_t rsb, ptrdiff_t csb,
                                                             float *Bp) {
    int k0 = 0;
    if (rsb == 1 && csb != 1) {
        const __m256 z = _mm256_setzero_ps();
        for (; k0 + 8 <= kc; k0 += 8)
            for (int cb = 0; cb < NR; cb += 8) {
                const int rows = nr - cb;
#define LD(r) ((r) < rows ? _mm256_loadu_ps(B + (cb + (r)) * csb + k0) : z)
                __m256 r0 = LD(0), r1 = LD(1), r2 = LD(2), r3 = LD(3);
                __m256 r4 = LD(4), r5 = LD(5), r6 = LD(6), r7 = LD(7);
#undef LD
                DQ_TRANSPOSE8(r0, r1, r2, r3, r4, r5, r6, r7);
                float *o = Bp + (size_t)k0 * NR + cb;
                _mm256_store_ps(o + 0 * NR, r0);
                _mm256_store_ps(o + 1 * NR, r1);
                _mm256_store_ps(o + 2 * NR, r2);
                _mm256_store_ps(o + 3 * NR, r3);
                _mm256_store_ps(o + 4 * NR, r4);
                _mm256_store_ps(o + 5 * NR, r5);
                _mm256_store_ps(o + 6 * NR, r6);
                _mm256_store_ps(o + 7 * NR, r7);
            }
    }
    for (int k = k0; k < kc; k++) {
        float *o = Bp + (size_t)k * NR;
        int c = 0;
        for (; c < nr; c++) o[c] = B[k * rsb + c * csb];
        for (; c < NR; c++) o[c] = 0.0f;
    }
}

/* Ap[k][MR] <- A(r, k) = A[r + k*csa] for r < mr (A stored transposed, as delta^T in the weight
 * gradient). Read in place, the panel's kc rows lie csa floats apart, and with a power-of-two
 * width they fall into a few L1 sets and evict each other (and B) on every tile; a contiguous
 * copy, reused by all the tiles of the row block, measured 71 -> 86 GFLOP/s at 256x256x64.
 * Each step stores 8 floats of which the next step overwrites 2 (Ap has 8 floats of slack). */
__attribute__((target("avx2,fma"))) static void pack_at_panel(int kc, int mr, const float *A,
                                                              ptrdiff_t csa, float *Ap) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(mr), lane);
    for (int k = 0; k < kc; k++)
        _mm256_storeu_ps(Ap + (size_t)k * MR, _mm256_maskload_ps(A + k * csa, mask));
}

/* The epilogue of one tile: pointers already offset to the tile's first row / column; float. */
typedef struct tile_epi {
    const float *bias_col, *bias_row, *mask;
    ptrdiff_t rsm, csm;
    bool relu;
} tile_epi;

#define UKR_ROW(r)                                                                             \
    a = _mm256_broadcast_ss(a##r + i);                                                         \
    c##r##0 = _mm256_fmadd_ps(a, b0, c##r##0);                                                 \
    c##r##1 = _mm256_fmadd_ps(a, b1, c##r##1);

/* C[mr, nr] (+)= A[mr, kc] * B[kc, 16]: a 6x16 tile in 12 ymm accumulators. A is read in place
 * (element (r, k) at A[r*rsa + k*csa]; rows past mr repeat row mr-1 and are discarded), B rows
 * are 16 contiguous floats ldb apart (a packed panel, or B itself when its rows are contiguous). */
__attribute__((target("avx2,fma"))) static void ukr_6x16(int kc, const float *A, ptrdiff_t rsa,
                                                         ptrdiff_t csa, const float *Bq,
                                                         ptrdiff_t ldb, float *C, ptrdiff_t rsc,
                                                         ptrdiff_t csc, int mr, int nr, bool acc,
                                                         const tile_epi *e) {
    const float *a0 = A, *a1 = A + (mr > 1 ? 1 : 0) * rsa, *a2 = A + (mr > 2 ? 2 : mr - 1) * rsa;
    const float *a3 = A + (mr > 3 ? 3 : mr - 1) * rsa, *a4 = A + (mr > 4 ? 4 : mr - 1) * rsa;
    const float *a5 = A + (mr > 5 ? 5 : mr - 1) * rsa;
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    ptrdiff_t i = 0;
#pragma GCC unroll 4
    for (int k = 0; k < kc; k++, i += csa, Bq += ldb) {
        const __m256 b0 = _mm256_loadu_ps(Bq), b1 = _mm256_loadu_ps(Bq + 8);
        __m256 a;
        UKR_ROW(0) UKR_ROW(1) UKR_ROW(2) UKR_ROW(3) UKR_ROW(4) UKR_ROW(5)
    }
    if (mr == MR && nr == NR && csc == 1 && (!e || !e->mask || e->csm == 1)) {
        const __m256 z = _mm256_setzero_ps();
        __m256 bc0 = z, bc1 = z;
        if (e && e->bias_col) {
            bc0 = _mm256_loadu_ps(e->bias_col);
            bc1 = _mm256_loadu_ps(e->bias_col + 8);
        }
#define UKR_STORE(r)                                                                           \
    if (acc) {                                                                                 \
        c##r##0 = _mm256_add_ps(c##r##0, _mm256_loadu_ps(C + (r) * rsc));                      \
        c##r##1 = _mm256_add_ps(c##r##1, _mm256_loadu_ps(C + (r) * rsc + 8));                  \
    }                                                                                          \
    if (e) {                                                                                   \
        if (e->bias_col) {                                                                     \
            c##r##0 = _mm256_add_ps(c##r##0, bc0);                                             \
            c##r##1 = _mm256_add_ps(c##r##1, bc1);                                             \
        }                                                                                      \
        if (e->bias_row) {                                                                     \
            const __m256 br = _mm256_broadcast_ss(e->bias_row + (r));                          \
            c##r##0 = _mm256_add_ps(c##r##0, br);                                              \
            c##r##1 = _mm256_add_ps(c##r##1, br);                                              \
        }                                                                                      \
        if (e->mask) {                                                                         \
            const float *mk = e->mask + (r) * e->rsm;                                          \
            c##r##0 = _mm256_and_ps(c##r##0, _mm256_cmp_ps(_mm256_loadu_ps(mk), z, _CMP_GT_OQ)); \
            c##r##1 = _mm256_and_ps(c##r##1,                                                   \
                                    _mm256_cmp_ps(_mm256_loadu_ps(mk + 8), z, _CMP_GT_OQ));    \
        }                                                                                      \
        if (e->relu) {                                                                         \
            c##r##0 = _mm256_max_ps(c##r##0, z);                                               \
            c##r##1 = _mm256_max_ps(c##r##1, z);                                               \
        }                                                                                      \
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
            float v = acc ? *c + t[r * NR + j] : t[r * NR + j];
            if (e) {
                if (e->bias_col) v = v + e->bias_col[j];
                if (e->bias_row) v = v + e->bias_row[r];
                if (e->mask && !(e->mask[r * e->rsm + j * e->csm] > 0)) v = 0.0f;
                if (e->relu) v = v > 0 ? v : 0.0f;
            }
            *c = v;
        }
}
#undef UKR_ROW

/* Thin products C[M, N<=4] = A B with A's rows and B's columns contiguous along k (the Q-value
 * layer's forward X W^T): dot products, R rows x N columns of 8-lane accumulators per block,
 * each reduced by the same fixed tree, then the epilogue. The packed path would pack all of A
 * transposed to fill 16-wide panels for 2..4 useful columns. Rows past M repeat the last row
 * and are discarded. N and R are constants in each call (see gemm_thin). */
__attribute__((target("avx2,fma"), always_inline)) static inline void
thin_block(const int N, const int R, int rr, int K, const float *A, ptrdiff_t rsa,
           const float *B, ptrdiff_t csb, float *C, ptrdiff_t rsc, ptrdiff_t csc, bool acc,
           const float *bias_col, const float *bias_row, bool relu) {
    const float *a[8];
#pragma GCC unroll 8
    for (int r = 0; r < R; r++) a[r] = A + (r < rr ? r : rr - 1) * rsa;
    __m256 s[8];
#pragma GCC unroll 8
    for (int q = 0; q < R * N; q++) s[q] = _mm256_setzero_ps();
    const int K8 = K & ~7;
    for (int k = 0; k < K8; k += 8) {
        __m256 b[4];
#pragma GCC unroll 4
        for (int j = 0; j < N; j++) b[j] = _mm256_loadu_ps(B + j * csb + k);
#pragma GCC unroll 8
        for (int r = 0; r < R; r++) {
            const __m256 av = _mm256_loadu_ps(a[r] + k);
#pragma GCC unroll 4
            for (int j = 0; j < N; j++) s[r * N + j] = _mm256_fmadd_ps(av, b[j], s[r * N + j]);
        }
    }
    for (int r = 0; r < rr; r++)
        for (int j = 0; j < N; j++) {
            const __m128 h = _mm_add_ps(_mm256_castps256_ps128(s[r * N + j]),
                                        _mm256_extractf128_ps(s[r * N + j], 1));
            const __m128 h2 = _mm_add_ps(h, _mm_movehl_ps(h, h));
            float v = _mm_cvtss_f32(_mm_add_ss(h2, _mm_shuffle_ps(h2, h2, 1)));
            for (int k = K8; k < K; k++) v += a[r][k] * B[j * csb + k];
            float *c = C + r * rsc + j * csc;
            if (acc) v = *c + v;
            if (bias_col) v = v + bias_col[j];
            if (bias_row) v = v + bias_row[r];
            if (relu) v = v > 0 ? v : 0.0f;
            *c = v;
        }
}

__attribute__((target("avx2,fma"))) static void gemm_thin(int M, int N, int K, const float *A,
                                                          ptrdiff_t rsa, const float *B,
                                                          ptrdiff_t csb, float *C, ptrdiff_t rsc,
                                                          ptrdiff_t csc, bool acc,
                                                          const dq_gemm_epi *epi) {
    const float *bc = epi ? epi->bias_col : NULL, *br = epi ? epi->bias_row : NULL;
    const bool relu = epi && epi->relu;
    for (int i = 0; i < M; i += 8 / N) {
        const int rr = imin(8 / N, M - i);
        const float *Ai = A + i * rsa, *bri = br ? br + i : NULL;
        float *Ci = C + i * rsc;
        switch (N) {
        case 1: thin_block(1, 8, rr, K, Ai, rsa, B, csb, Ci, rsc, csc, acc, bc, bri, relu); break;
        case 2: thin_block(2, 4, rr, K, Ai, rsa, B, csb, Ci, rsc, csc, acc, bc, bri, relu); break;
        case 3: thin_block(3, 2, rr, K, Ai, rsa, B, csb, Ci, rsc, csc, acc, bc, bri, relu); break;
        default: thin_block(4, 2, rr, K, Ai, rsa, B, csb, Ci, rsc, csc, acc, bc, bri, relu); break;
        }
    }
}

/* For each NC column block and KC depth block: B panels are packed only when B's rows are not
 * contiguous or the panel is partial; A is read in place (its 6 rows stay in L1 while the
 * kernel sweeps the column panels). */
__attribute__((target("avx2,fma"))) static void gemm_packed(int M, int N, int K, const float *A,
                                                            ptrdiff_t rsa, ptrdiff_t csa,
                                                            const float *B, ptrdiff_t rsb,
                                                            ptrdiff_t csb, float *C,
                                                            ptrdiff_t rsc, ptrdiff_t csc,
                                                            bool acc, const dq_gemm_epi *epi,
                                                            bool swapped, float *ws) {
    float *Bp = ws, *Ap = ws + (size_t)NC * KC;
    for (int jc = 0; jc < N; jc += NC) {
        const int nc = imin(NC, N - jc);
        for (int pc = 0; pc < K; pc += KC) {
            const int kc = imin(KC, K - pc);
            const bool acc_blk = acc || pc > 0;
            const bool last = pc + kc >= K;
            const float *Bb = B + pc * rsb + jc * csb;
            const bool direct = csb == 1;
            for (int jr = 0; jr < nc; jr += NR) {
                const int nr = imin(NR, nc - jr);
                if (!direct || nr < NR)
                    pack_b_panel(kc, nr, Bb + jr * csb, rsb, csb, Bp + (size_t)jr * kc);
            }
            for (int ir = 0; ir < M; ir += MR) {
                const int mr = imin(MR, M - ir);
                const float *Ai = A + ir * rsa + pc * csa;
                ptrdiff_t ra = rsa, ca = csa;
                if (rsa == 1 && csa != 1) { /* A^T stored: copy the panel, see pack_at_panel */
                    pack_at_panel(kc, mr, Ai, csa, Ap);
                    Ai = Ap;
                    ca = MR;
                }
                for (int jr = 0; jr < nc; jr += NR) {
                    const int nr = imin(NR, nc - jr);
                    const bool d = direct && nr == NR;
                    tile_epi te, *tep = NULL;
                    if (epi && last) {
                        /* in a swapped product C's rows are the caller's columns */
                        const float *bc = epi->bias_col, *br = epi->bias_row;
                        if (swapped) {
                            const float *t = bc;
                            bc = br;
                            br = t;
                        }
                        const ptrdiff_t rsm = swapped ? epi->csm : epi->rsm;
                        const ptrdiff_t csm = swapped ? epi->rsm : epi->csm;
                        te.bias_col = bc ? bc + jc + jr : NULL;
                        te.bias_row = br ? br + ir : NULL;
                        te.mask = epi->mask ? (const float *)epi->mask + ir * rsm + (jc + jr) * csm
                                            : NULL;
                        te.rsm = rsm;
                        te.csm = csm;
                        te.relu = epi->relu;
                        tep = &te;
                    }
                    ukr_6x16(kc, Ai, ra, ca, d ? Bb + jr : Bp + (size_t)jr * kc,
                             d ? rsb : NR, C + ir * rsc + (jc + jr) * csc, rsc, csc,
                             mr, nr, acc_blk, tep);
                }
            }
        }
    }
}

/* y = W x + b for inputs narrower than 8 (CartPole's 4): eight rows at a time, each row one
 * masked load and one FMA, the eight row products reduced with one hadd tree. Rows past `out`
 * repeat the last row and are dropped. (Measured 135 -> 90 ns at 64x4 against the scalar loop;
 * for wide inputs the 4-row version below is faster: 160 vs 185 ns at 64x64.) */
__attribute__((target("avx2,fma"))) static void matvec_narrow(float *y, const float *W,
                                                            const float *b, const float *x,
                                                            int out, int in) {
    const int in8 = in & ~7, rem = in - in8;
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(rem), lane);
    const __m256 xr = rem ? _mm256_maskload_ps(x + in8, mask) : _mm256_setzero_ps();
    for (int j = 0; j < out; j += 8) {
        const float *w[8];
        for (int r = 0; r < 8; r++) w[r] = W + (size_t)(j + r < out ? j + r : out - 1) * in;
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps();
        __m256 s3 = _mm256_setzero_ps(), s4 = _mm256_setzero_ps(), s5 = _mm256_setzero_ps();
        __m256 s6 = _mm256_setzero_ps(), s7 = _mm256_setzero_ps();
        for (int k = 0; k < in8; k += 8) {
            const __m256 xv = _mm256_loadu_ps(x + k);
            s0 = _mm256_fmadd_ps(_mm256_loadu_ps(w[0] + k), xv, s0);
            s1 = _mm256_fmadd_ps(_mm256_loadu_ps(w[1] + k), xv, s1);
            s2 = _mm256_fmadd_ps(_mm256_loadu_ps(w[2] + k), xv, s2);
            s3 = _mm256_fmadd_ps(_mm256_loadu_ps(w[3] + k), xv, s3);
            s4 = _mm256_fmadd_ps(_mm256_loadu_ps(w[4] + k), xv, s4);
            s5 = _mm256_fmadd_ps(_mm256_loadu_ps(w[5] + k), xv, s5);
            s6 = _mm256_fmadd_ps(_mm256_loadu_ps(w[6] + k), xv, s6);
            s7 = _mm256_fmadd_ps(_mm256_loadu_ps(w[7] + k), xv, s7);
        }
        if (rem) {
            s0 = _mm256_fmadd_ps(_mm256_maskload_ps(w[0] + in8, mask), xr, s0);
            s1 = _mm256_fmadd_ps(_mm256_maskload_ps(w[1] + in8, mask), xr, s1);
            s2 = _mm256_fmadd_ps(_mm256_maskload_ps(w[2] + in8, mask), xr, s2);
            s3 = _mm256_fmadd_ps(_mm256_maskload_ps(w[3] + in8, mask), xr, s3);
            s4 = _mm256_fmadd_ps(_mm256_maskload_ps(w[4] + in8, mask), xr, s4);
            s5 = _mm256_fmadd_ps(_mm256_maskload_ps(w[5] + in8, mask), xr, s5);
            s6 = _mm256_fmadd_ps(_mm256_maskload_ps(w[6] + in8, mask), xr, s6);
            s7 = _mm256_fmadd_ps(_mm256_maskload_ps(w[7] + in8, mask), xr, s7);
        }
        /* g0 = [sum0..3 of the low halves | of the high halves], g1 the same for rows 4..7 */
        const __m256 g0 = _mm256_hadd_ps(_mm256_hadd_ps(s0, s1), _mm256_hadd_ps(s2, s3));
        const __m256 g1 = _mm256_hadd_ps(_mm256_hadd_ps(s4, s5), _mm256_hadd_ps(s6, s7));
        __m256 sum = _mm256_add_ps(_mm256_permute2f128_ps(g0, g1, 0x20),
                                   _mm256_permute2f128_ps(g0, g1, 0x31));
        if (j + 8 <= out) {
            _mm256_storeu_ps(y + j, _mm256_add_ps(sum, _mm256_loadu_ps(b + j)));
        } else {
            float t[8];
            _mm256_storeu_ps(t, sum);
            for (int r = 0; j + r < out; r++) y[j + r] = t[r] + b[j + r];
        }
    }
}
/* Horizontal sums of four vectors: lane r of the result = sum of v_r. */
__attribute__((target("avx2,fma"))) static inline __m128 hsum4(__m256 v0, __m256 v1, __m256 v2,
                                                               __m256 v3) {
    const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(v0, v1), _mm256_hadd_ps(v2, v3));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

/* y = W x + b for inputs of 8 or more: four rows at a time, one FMA chain per row along k. */
__attribute__((target("avx2,fma"))) static void matvec_wide(float *y, const float *W,
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
        /* the tail as explicit FMAs: left to the compiler, whether a*b+c fuses depended on the
         * optimisation level (and the export in src/rl/export_c.c must know the order) */
        for (int k = in8; k < in; k++) {
            s[0] = fmaf(w0[k], x[k], s[0]);
            s[1] = fmaf(w1[k], x[k], s[1]);
            s[2] = fmaf(w2[k], x[k], s[2]);
            s[3] = fmaf(w3[k], x[k], s[3]);
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
        for (int k = in8; k < in; k++) acc = fmaf(w[k], x[k], acc);
        y[j] = acc;
    }
}
#endif /* DQ_HAVE_X86 */

/* Scalar epilogue over C[M, N] (the portable paths). */
#define DQ_EPI_BODY(T)                                                                         \
    if (!epi) return;                                                                          \
    const T *bc = epi->bias_col, *br = epi->bias_row, *mk = epi->mask;                         \
    for (int i = 0; i < M; i++)                                                                \
        for (int j = 0; j < N; j++) {                                                          \
            T *c = C + i * rsc + j * csc;                                                      \
            T v = *c;                                                                          \
            if (bc) v = v + bc[j];                                                             \
            if (br) v = v + br[i];                                                             \
            if (mk && !(mk[i * epi->rsm + j * epi->csm] > 0)) v = 0;                           \
            if (epi->relu) v = v > 0 ? v : 0;                                                  \
            *c = v;                                                                            \
        }

static void epi_f32(int M, int N, float *C, ptrdiff_t rsc, ptrdiff_t csc, const dq_gemm_epi *epi) {
    DQ_EPI_BODY(float)
}

static void epi_f64(int M, int N, double *C, ptrdiff_t rsc, ptrdiff_t csc,
                    const dq_gemm_epi *epi) {
    DQ_EPI_BODY(double)
}

void dq_gemm_f64_epi(int M, int N, int K, const double *A, ptrdiff_t rsa, ptrdiff_t csa,
                     const double *B, ptrdiff_t rsb, ptrdiff_t csb, double *C, ptrdiff_t rsc,
                     ptrdiff_t csc, bool acc, const dq_gemm_epi *epi) {
    dq_gemm_f64(M, N, K, A, rsa, csa, B, rsb, csb, C, rsc, csc, acc);
    epi_f64(M, N, C, rsc, csc, epi);
}

void dq_gemm_f32_epi(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                     const float *B, ptrdiff_t rsb, ptrdiff_t csb, float *C, ptrdiff_t rsc,
                     ptrdiff_t csc, bool acc, const dq_gemm_epi *epi, float *ws) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        if (!acc)
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++) C[i * rsc + j * csc] = 0.0f;
        epi_f32(M, N, C, rsc, csc, epi);
        return;
    }
#if DQ_HAVE_X86
    if (ws && dq_cpu_has_avx2()) {
        if (N <= 4 && K >= 32 && csa == 1 && rsb == 1 && (!epi || !epi->mask)) {
            gemm_thin(M, N, K, A, rsa, B, csb, C, rsc, csc, acc, epi);
            return;
        }
        if (N < NR && M > N) /* thin C: compute C^T = B^T A^T so the wide side is N */
            gemm_packed(N, M, K, B, csb, rsb, A, csa, rsa, C, csc, rsc, acc, epi, true, ws);
        else
            gemm_packed(M, N, K, A, rsa, csa, B, rsb, csb, C, rsc, csc, acc, epi, false, ws);
        return;
    }
#endif
    if (ws && csb != 1 && (size_t)K * N <= dq_gemm_ws_floats()) {
        /* portable path: copy B to row-major first so the inner loop is contiguous (the
         * compiler vectorises it); W^T in the forward pass went from 1.4 to ~16 GFLOP/s */
        for (int k = 0; k < K; k++)
            for (int j = 0; j < N; j++) ws[(size_t)k * N + j] = B[k * rsb + j * csb];
        B = ws;
        rsb = N;
        csb = 1;
    }
    dq_gemm_f32_ref(M, N, K, A, rsa, csa, B, rsb, csb, C, rsc, csc, acc);
    epi_f32(M, N, C, rsc, csc, epi);
}

void dq_gemm_f32(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                 const float *B, ptrdiff_t rsb, ptrdiff_t csb, float *C, ptrdiff_t rsc,
                 ptrdiff_t csc, bool acc, float *ws) {
    dq_gemm_f32_epi(M, N, K, A, rsa, csa, B, rsb, csb, C, rsc, csc, acc, NULL, ws);
}

void dq_matvec_f32(float *y, const float *W, const float *b, const float *x, int out, int in) {
#if DQ_HAVE_X86
    if (dq_cpu_has_avx2()) {
        if (in < 8) matvec_narrow(y, W, b, x, out, in);
        else matvec_wide(y, W, b, x, out, in);
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
