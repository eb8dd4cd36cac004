/* deepq/heads.h — Q-network output heads on top of a plain dq_mlp: the dueling aggregation
 * (Wang et al. 2016) and the distributional C51 head (Bellemare et al. 2017), with their
 * backward passes. They are pure kernels over the MLP's output buffer: the MLP produces raw
 * outputs h, the head turns them into Q-values (or atom logits) and, on the way back, turns
 * d loss / d head-output into d loss / d h for dq_mlp_backward. Every kernel exists in float32
 * (training) and float64 (reference tests).
 *
 * Layouts (row-major, B rows):
 *   dueling:       h[B, (1 + A) * N] = [V(N) | A_0(N) | ... | A_{A-1}(N)]
 *                  out[B, A * N],  out[a*N + j] = V_j + A_{a,j} - mean_a A_{a,j}
 *                  (N = 1 for plain DQN; N = atoms for dueling C51 — the aggregation is per
 *                  atom on the logits, as in Rainbow).
 *   C51:           logits[B, A * N]; p = softmax over the N atoms of each action;
 *                  support z_j = v_min + j * (v_max - v_min) / (N - 1); Q[b, a] = sum_j p z_j. */
#ifndef DEEPQ_HEADS_H
#define DEEPQ_HEADS_H

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DQ_HEADS_MAX_ATOMS 1024 /* largest N (C51 atoms) the kernels accept */

/* ---- dueling ---------------------------------------------------------------------------- */

/* out[B, A*N] = dueling aggregation of h[B, (1+A)*N] (see layout above). */
DQ_API void dq_dueling_forward_f32(float *out, const float *h, int B, int A, int N);
DQ_API void dq_dueling_forward_f64(double *out, const double *h, int B, int A, int N);
/* dh[B, (1+A)*N] = d loss/d h given dout[B, A*N] (overwrites dh). */
DQ_API void dq_dueling_backward_f32(float *dh, const float *dout, int B, int A, int N);
DQ_API void dq_dueling_backward_f64(double *dh, const double *dout, int B, int A, int N);

/* ---- C51 -------------------------------------------------------------------------------- */

typedef struct dq_c51_def {
    int atoms;    /* N, number of support points (51) */
    double v_min; /* lowest return on the support (-10) */
    double v_max; /* highest return on the support (10) */
} dq_c51_def;

/* Defaults of the paper: 51 atoms on [-10, 10]. */
DQ_API dq_c51_def dq_c51_def_default(void);
/* DQ_EINVAL unless atoms in [2, DQ_HEADS_MAX_ATOMS] and v_min < v_max (finite). */
DQ_API dq_status dq_c51_check(const dq_c51_def *def, dq_error *err);
/* z[N] = support atoms. */
DQ_API void dq_c51_support(const dq_c51_def *def, double *z);

/* p[B, A*N] = per-action softmax of logits[B, A*N]; q[B, A] = sum_j p z_j (q may be NULL). */
DQ_API void dq_c51_probs_f32(float *p, float *q, const float *logits, int B, int A,
                      const dq_c51_def *def);
DQ_API void dq_c51_probs_f64(double *p, double *q, const double *logits, int B, int A,
                      const dq_c51_def *def);

/* Categorical projection of the Bellman-updated target distribution onto the support:
 * atom j of row b moves to Tz = clamp(reward_b + discount_b z_j, v_min, v_max) and its mass
 * p_next[b, j] is split between the two neighbouring atoms in proportion to closeness (all of it
 * to one atom when Tz falls on it). discount_b = gamma^k, or 0 at termination.
 * m[B, N] (overwritten) sums to sum_j p_next[b, j] per row. */
DQ_API void dq_c51_project_f32(float *m, const float *p_next /*[B,N]*/, const float *reward /*[B]*/,
                        const float *discount /*[B]*/, int B, const dq_c51_def *def);
DQ_API void dq_c51_project_f64(double *m, const double *p_next, const double *reward,
                        const double *discount, int B, const dq_c51_def *def);

/* Cross-entropy of the target m[B, N] against the predicted distribution of the taken action:
 * loss_b = -sum_j m[b,j] log softmax(logits[b, a_b, :])_j, returns mean_b weight_b loss_b
 * (weight NULL = 1). dlogits[B, A*N] (overwritten) = d(mean)/d logits: weight_b / B *
 * (p - m) on the taken action's atoms (for target rows summing to 1), 0 elsewhere.
 * loss_out[B] receives loss_b when non-NULL (Rainbow's priority for PER). */
DQ_API double dq_c51_loss_f32(float *dlogits, float *loss_out, const float *logits,
                       const int32_t *action, const float *m, const float *weight, int B, int A,
                       int N);
DQ_API double dq_c51_loss_f64(double *dlogits, double *loss_out, const double *logits,
                       const int32_t *action, const double *m, const double *weight, int B,
                       int A, int N);

#ifdef __cplusplus
}
#endif
#endif
