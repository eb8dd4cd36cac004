/* deepq/nstep.h — n-step returns from a stream of 1-step transitions.
 *
 * Push each environment step (obs, action, reward, next_obs, terminated, truncated); the
 * accumulator emits finished n-step transitions
 *     (s_t, a_t, R = sum_{j<k} gamma^j r_{t+j}, s_{t+k}, terminated, truncated, k)
 * ready to store in any replay buffer (uniform or prioritized: one emitted transition = one
 * slot). Normally k = n. At an episode end every pending transition is flushed with the k it
 * actually has (1..n):
 *   - termination: terminated = 1, no bootstrap (discount 0);
 *   - truncation: bootstrap from the TRUE final observation with gamma^k (discount = gamma^k).
 * The learner's target is R + discount * Q_target(s_{t+k}) with discount as emitted.
 * n = 1 reproduces the plain 1-step transitions. Nothing allocates after init.
 *
 * Usage:
 *   dq_nstep ns; dq_nstep_init(&ns, 3, 0.99, obs_dim, &err);
 *   dq_nstep_out out[3];
 *   int m = dq_nstep_push(&ns, obs, a, r, next_obs, term, trunc, out);
 *   for (i < m) replay_add(out[i].obs, out[i].action, out[i].reward, out[i].next_obs, ...);
 *   dq_nstep_free(&ns); */
#ifndef DEEPQ_NSTEP_H
#define DEEPQ_NSTEP_H

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DQ_NSTEP_MAX 64

/* One emitted n-step transition. obs points into the accumulator (valid until the next push),
 * next_obs is the caller's pointer passed to that push. */
typedef struct dq_nstep_out {
    const float *obs;      /* [obs_dim] s_t */
    int32_t action;        /* a_t */
    float reward;          /* sum_{j<k} gamma^j r_{t+j} (accumulated in float64) */
    const float *next_obs; /* [obs_dim] s_{t+k} (true final observation at episode ends) */
    bool terminated;       /* the episode terminated within these k steps: no bootstrap */
    bool truncated;        /* the time limit cut the episode at s_{t+k} (bootstrap) */
    int k;                 /* steps covered, 1..n */
    double discount;       /* gamma^k, or 0 when terminated */
} dq_nstep_out;

typedef struct dq_nstep {
    int n;
    double gamma;
    int obs_dim;
    int head, count;    /* ring of pending steps: oldest at head */
    float *obs;         /* [n, obs_dim] pending start observations */
    int32_t *action;    /* [n] */
    float *reward;      /* [n] */
} dq_nstep;

/* Allocate for n in [1, DQ_NSTEP_MAX], gamma in [0, 1], obs_dim >= 1. */
DQ_API dq_status dq_nstep_init(dq_nstep *ns, int n, double gamma, int obs_dim, dq_error *err);
/* Release (NULL-safe). */
DQ_API void dq_nstep_free(dq_nstep *ns);
/* Drop pending steps (e.g. the caller abandons an episode without a terminal step). */
DQ_API void dq_nstep_clear(dq_nstep *ns);
/* Add one env step; writes the finished transitions, oldest first, to out[0..ret) (out has
 * room for n) and returns how many: 0 while filling, 1 in steady state, all pending at an
 * episode end (terminated or truncated), after which the accumulator is empty. */
DQ_API int dq_nstep_push(dq_nstep *ns, const float *obs, int32_t action, float reward,
                  const float *next_obs, bool terminated, bool truncated, dq_nstep_out *out);

#ifdef __cplusplus
}
#endif
#endif
