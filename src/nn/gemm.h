/* gemm.h — internal strided matrix products for the NN engine.
 *
 * C[M,N] = A[M,K] * B[K,N] (or C += when acc), every operand addressed through a row stride and
 * a column stride, so transposed views (W^T in forward, delta^T in the weight gradient) cost no
 * copy. float32 runs a packed, blocked AVX2/FMA micro-kernel when the CPU has it (checked at run
 * time) and a portable loop otherwise; float64 always runs the portable loop. For a given build
 * and CPU the summation order is fixed, so results are bit-reproducible. */
#ifndef DQ_NN_GEMM_H
#define DQ_NN_GEMM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/cpu.h" /* dq_cpu_has_avx2 */

/* Blocking of the packed float32 path (elements). */
#define DQ_GEMM_MR 6
#define DQ_GEMM_NR 16
#define DQ_GEMM_KC 256
#define DQ_GEMM_NC 256

/* Floats of scratch the float32 path needs (a multiple of 16); ws must be 32-byte aligned. */
size_t dq_gemm_ws_floats(void);

/* C(i,j) = [C(i,j) +] sum_k A(i,k) B(k,j); X(r,c) lives at X[r*rs + c*cs].
 * ws: scratch of dq_gemm_ws_floats() floats (may be NULL only on the portable path). */
void dq_gemm_f32(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                 const float *B, ptrdiff_t rsb, ptrdiff_t csb, float *C, ptrdiff_t rsc,
                 ptrdiff_t csc, bool acc, float *ws);
void dq_gemm_f64(int M, int N, int K, const double *A, ptrdiff_t rsa, ptrdiff_t csa,
                 const double *B, ptrdiff_t rsb, ptrdiff_t csb, double *C, ptrdiff_t rsc,
                 ptrdiff_t csc, bool acc);

/* Optional epilogue applied to C after the product (in this order): add a bias per column or
 * per row, zero the entries whose mask element is not > 0 (ReLU backward: mask = the layer's
 * output), clamp at zero (ReLU forward). Fused into the AVX2 kernel's stores. */
typedef struct dq_gemm_epi {
    const void *bias_col;     /* [N] C(i,j) += bias_col[j], or NULL */
    const void *bias_row;     /* [M] C(i,j) += bias_row[i], or NULL */
    const void *mask;         /* mask(i,j) at mask[i*rsm + j*csm], or NULL */
    ptrdiff_t rsm, csm;
    bool relu;
} dq_gemm_epi;

/* dq_gemm_f32 / dq_gemm_f64 followed by the epilogue epi (NULL = none); element type of the
 * epilogue's pointers is the product's. */
void dq_gemm_f32_epi(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                     const float *B, ptrdiff_t rsb, ptrdiff_t csb, float *C, ptrdiff_t rsc,
                     ptrdiff_t csc, bool acc, const dq_gemm_epi *epi, float *ws);
void dq_gemm_f64_epi(int M, int N, int K, const double *A, ptrdiff_t rsa, ptrdiff_t csa,
                     const double *B, ptrdiff_t rsb, ptrdiff_t csb, double *C, ptrdiff_t rsc,
                     ptrdiff_t csc, bool acc, const dq_gemm_epi *epi);

/* The portable float32 loop (exposed for tests and the bench to compare against). */
void dq_gemm_f32_ref(int M, int N, int K, const float *A, ptrdiff_t rsa, ptrdiff_t csa,
                     const float *B, ptrdiff_t rsb, ptrdiff_t csb, float *C, ptrdiff_t rsc,
                     ptrdiff_t csc, bool acc);


/* y[out] = W[out,in] x[in] + b[out] for one float32 observation (the acting path). */
void dq_matvec_f32(float *y, const float *W, const float *b, const float *x, int out, int in);

#endif
