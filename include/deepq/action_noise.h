/* deepq/action_noise.h — exploration noise added to a deterministic policy's (scaled) action,
 * with the semantics of SB3's NormalActionNoise and OrnsteinUhlenbeckActionNoise:
 *   normal: noise = mean + sigma * N(0, 1), independent draws each step;
 *   OU:     noise_t = noise_{t-1} + theta (mean - noise_{t-1}) dt + sigma sqrt(dt) N(0, 1),
 *           back to the initial value (0) by dq_action_noise_reset at every episode end.
 * Draws come from the caller's dq_rng (the agent's acting stream). */
#ifndef DEEPQ_ACTION_NOISE_H
#define DEEPQ_ACTION_NOISE_H

#include "deepq/common.h"
#include "deepq/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DQ_NOISE_MAX_DIM 64

typedef enum dq_noise_kind {
    DQ_NOISE_NONE = 0,
    DQ_NOISE_NORMAL = 1, /* RL-Zoo noise_type: normal */
    DQ_NOISE_OU = 2,     /* RL-Zoo noise_type: ornstein-uhlenbeck */
} dq_noise_kind;

typedef struct dq_action_noise {
    dq_noise_kind kind;
    int dim;
    double mean, sigma;            /* same for every dimension (RL-Zoo's noise_std) */
    double theta, dt;              /* OU: SB3 defaults 0.15, 1e-2 */
    double prev[DQ_NOISE_MAX_DIM]; /* OU state */
} dq_action_noise;

/* Set up noise of kind for dim dimensions (OU with SB3's theta 0.15, dt 1e-2, state 0). */
DQ_API dq_status dq_action_noise_init(dq_action_noise *n, dq_noise_kind kind, int dim, double sigma,
                                      dq_error *err);
/* out[dim] = next noise sample (zeros for DQ_NOISE_NONE, drawing nothing). */
DQ_API void dq_action_noise_sample(dq_action_noise *n, dq_rng *rng, double *out);
/* Episode end: the OU state goes back to 0 (normal noise has no state). */
DQ_API void dq_action_noise_reset(dq_action_noise *n);

#ifdef __cplusplus
}
#endif
#endif
