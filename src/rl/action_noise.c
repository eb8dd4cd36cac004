/* action_noise.c — SB3's NormalActionNoise and OrnsteinUhlenbeckActionNoise over dq_rng
 * (deepq/action_noise.h). */
#include <math.h>
#include <string.h>

#include "deepq/action_noise.h"

dq_status dq_action_noise_init(dq_action_noise *n, dq_noise_kind kind, int dim, double sigma,
                               dq_error *err) {
    memset(n, 0, sizeof *n);
    if (dim < 1 || dim > DQ_NOISE_MAX_DIM)
        return dq_fail(err, DQ_EINVAL, "action noise: %d action dimensions (1..%d supported)", dim,
                       DQ_NOISE_MAX_DIM);
    if (!(sigma >= 0) || !isfinite(sigma))
        return dq_fail(err, DQ_EINVAL, "noise_std must be a finite number >= 0, got %g", sigma);
    n->kind = kind;
    n->dim = dim;
    n->sigma = sigma;
    n->theta = 0.15;
    n->dt = 1e-2;
    return DQ_OK;
}

void dq_action_noise_sample(dq_action_noise *n, dq_rng *rng, double *out) {
    for (int j = 0; j < n->dim; j++) {
        if (n->kind == DQ_NOISE_NORMAL) {
            out[j] = n->mean + n->sigma * dq_rng_normal(rng);
        } else if (n->kind == DQ_NOISE_OU) {
            const double x = n->prev[j] + n->theta * (n->mean - n->prev[j]) * n->dt +
                             n->sigma * sqrt(n->dt) * dq_rng_normal(rng);
            n->prev[j] = x;
            out[j] = x;
        } else {
            out[j] = 0.0;
        }
    }
}

void dq_action_noise_reset(dq_action_noise *n) { memset(n->prev, 0, sizeof n->prev); }
