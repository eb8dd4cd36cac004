/* deepq/cont_math.h — the math of Q-learning with continuous actions, as plain functions over
 * float32 batches (outputs first, shape comments on every pointer).
 *
 * Three ways to take max_a Q(s, a) over a Box action (CLAI tutorial, last chapter):
 *   1. sampled max: evaluate a critic Q(s, a) at N candidate actions (uniform, or the cross-
 *      entropy method) and keep the best  -> dq_sampled_max, dq_qmax_candidates;
 *   2. NAF: a head whose max is closed-form, Q = V(s) - 1/2 (a - mu)^T P (a - mu), P = L L^T
 *      -> dq_naf_q, dq_naf_backward, dq_naf_P;
 *   3. a learnt maximiser (DDPG's actor mu(s), trained by dQ/da through the critic)
 *      -> dq_ddpg_actor_grad; TD3's clipped double-Q target with target policy smoothing
 *      -> dq_td3_smooth, dq_td3_target.
 *
 * Actions inside the agents live in the "scaled" space [-1, 1]^D, as SB3 keeps them (its actor
 * ends in tanh and its replay buffer stores scaled actions); dq_action_unscale maps them to the
 * env's Box [low, high] and dq_action_scale back (SB3's unscale_action / scale_action).
 *
 * A critic is a dq_mlp with n_in = obs_dim + act_dim (the observation first, then the action:
 * SB3's th.cat([obs, actions], dim=1)) and n_out = 1. Checked against PyTorch fixtures in
 * tests/test_cont_ref.c (tests/ref/make_cont_ref.py). */
#ifndef DEEPQ_CONT_MATH_H
#define DEEPQ_CONT_MATH_H

#include "deepq/common.h"
#include "deepq/nn.h"
#include "deepq/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* env[D] = low + (a + 1) / 2 * (high - low)  (SB3 unscale_action; a in [-1, 1]). */
DQ_API void dq_action_unscale(double *env /*[D]*/, const float *a /*[D]*/,
                              const double *low /*[D]*/, const double *high /*[D]*/, int D);
/* a[D] = 2 (env - low) / (high - low) - 1  (SB3 scale_action). */
DQ_API void dq_action_scale(float *a /*[D]*/, const double *env /*[D]*/, const double *low /*[D]*/,
                            const double *high /*[D]*/, int D);

/* x[B, O + D] = [s | a] row by row (the critic's input). */
DQ_API void dq_concat_rows(float *x /*[B,O+D]*/, const float *s /*[B,O]*/, const float *a /*[B,D]*/,
                           int B, int O, int D);

/* Target policy smoothing (TD3): out = clip(mu + clip(sigma * eps, -c, c), -1, 1) with eps
 * standard normal draws given by the caller (so the function is deterministic). */
DQ_API void dq_td3_smooth(float *out /*[B,D]*/, const float *mu /*[B,D]*/,
                          const float *eps /*[B,D]*/, float sigma, float noise_clip, int B, int D);
/* y = r + gamma (1 - terminated) min(q1, q2); q2 may be NULL (DDPG's single critic). */
DQ_API void dq_td3_target(float *y /*[B]*/, const float *q1 /*[B]*/,
                          const float *q2 /*[B] or NULL*/, const float *reward /*[B]*/,
                          const float *terminated /*[B]*/, float gamma, int B);

/* Scratch of dq_ddpg_actor_grad for batches up to B rows. */
typedef struct dq_ddpg_scratch {
    float *a;  /* [B, D] actor output */
    float *x;  /* [B, O + D] critic input */
    float *q;  /* [B] */
    float *dq; /* [B] */
    float *dx; /* [B, O + D] */
    float *da; /* [B, D] */
} dq_ddpg_scratch;

/* DDPG / TD3 actor step's gradient: loss = -mean_i Q(s_i, mu(s_i)); dQ/da is backpropagated
 * through the critic into the actor, whose grads receive d loss / d theta_mu (added: zero them
 * first). The critic's own grads are left untouched (its input gradient only). Returns the
 * loss. actor: n_in O, n_out D (tanh output); critic: n_in O + D, n_out 1. */
DQ_API double dq_ddpg_actor_grad(dq_mlp *actor, dq_mlp *critic, const float *obs /*[B,O]*/, int B,
                                 const dq_ddpg_scratch *s);

/* NAF head. Each row of head holds [V, m_0..m_{D-1}, l_0..l_{T-1}] with T = D(D+1)/2:
 * mu = tanh(m), and L lower triangular filled row by row (L_00, L_10, L_11, L_20, ...) with
 * exp() on its diagonal, so P = L L^T is positive definite. Width of a head row: */
DQ_API int dq_naf_width(int D);
#define DQ_NAF_MAX_ACT 16 /* largest D the NAF head takes */
/* q = V - 1/2 (a - mu)^T P (a - mu) = V - 1/2 |L^T (a - mu)|^2; mu[B, D] (may be NULL)
 * receives the greedy actions tanh(m). */
DQ_API void dq_naf_q(float *q /*[B]*/, float *mu /*[B,D] or NULL*/, const float *head /*[B,H]*/,
                     const float *a /*[B,D]*/, int B, int D);
/* dhead = dq * d q / d head (dq[B] the loss gradient wrt q; overwrites dhead). */
DQ_API void dq_naf_backward(float *dhead /*[B,H]*/, const float *dq /*[B]*/,
                            const float *head /*[B,H]*/, const float *a /*[B,D]*/, int B, int D);
/* P[B, D, D] = L L^T of each row (for tests and inspection). */
DQ_API void dq_naf_P(float *P /*[B,D,D]*/, const float *head /*[B,H]*/, int B, int D);

/* Max of the critic over N given candidate actions per row: best_q[i] = max_n Q(s_i, cand_in),
 * best_a[i] the candidate reaching it (first on ties), best_n[i] its index (may be NULL).
 * x[chunk, O + D] and q[chunk] are scratch; chunk <= critic->max_batch rows are evaluated per
 * forward. */
DQ_API void dq_qmax_candidates(float *best_q /*[B]*/, float *best_a /*[B,D]*/,
                               int32_t *best_n /*[B]*/, dq_mlp *critic, const float *obs /*[B,O]*/,
                               const float *cand /*[B,N,D]*/, int B, int N, int D,
                               float *x /*[chunk,O+D]*/, float *q /*[chunk]*/, int chunk);

/* Sampled maximisation of a critic over [-1, 1]^D. cem_iters = 0: N uniform samples (random
 * shooting). cem_iters = k > 0: the cross-entropy method, k rounds of N draws from a per-row
 * diagonal normal (clipped to [-1, 1]; starts at mean 0, std 0.5) refitted to the n_elite best;
 * the answer is the best action evaluated in any round. cand[B, N, D] and the x/q chunk as in
 * dq_qmax_candidates, mean/std[B, D], score[B, N] and order[N] scratch. */
typedef struct dq_sampled_scratch {
    float *cand;    /* [B, N, D] */
    float *score;   /* [B, N] */
    float *mean;    /* [B, D] */
    float *std;     /* [B, D] */
    float *x;       /* [chunk, O + D] */
    float *q;       /* [chunk] */
    int32_t *order; /* [N] */
    int chunk;
} dq_sampled_scratch;
DQ_API void dq_sampled_max(float *best_q /*[B]*/, float *best_a /*[B,D]*/, dq_mlp *critic,
                           const float *obs /*[B,O]*/, int B, int D, int N, int cem_iters,
                           int n_elite, dq_rng *rng, const dq_sampled_scratch *s);

#ifdef __cplusplus
}
#endif
#endif
