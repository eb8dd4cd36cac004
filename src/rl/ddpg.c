/* ddpg.c — the pieces DDPG and TD3 add to Q-learning: actions scaled to the Box as SB3 does, the
 * critic's [s | a] input, TD3's clipped double-Q target with target policy smoothing, and the
 * actor's gradient dQ/da backpropagated through the critic (deepq/cont_math.h). */
#include <math.h>
#include <string.h>

#include "deepq/cont_math.h"

void dq_action_unscale(double *env, const float *a, const double *low, const double *high, int D) {
    for (int j = 0; j < D; j++) env[j] = low[j] + 0.5 * ((double)a[j] + 1.0) * (high[j] - low[j]);
}

void dq_action_scale(float *a, const double *env, const double *low, const double *high, int D) {
    for (int j = 0; j < D; j++)
        a[j] = (float)(2.0 * ((env[j] - low[j]) / (high[j] - low[j])) - 1.0);
}

void dq_concat_rows(float *x, const float *s, const float *a, int B, int O, int D) {
    for (int i = 0; i < B; i++) {
        memcpy(x + (size_t)i * (O + D), s + (size_t)i * O, sizeof(float) * O);
        memcpy(x + (size_t)i * (O + D) + O, a + (size_t)i * D, sizeof(float) * D);
    }
}

static inline float clampf(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }

void dq_td3_smooth(float *out, const float *mu, const float *eps, float sigma, float noise_clip,
                   int B, int D) {
    /* SB3: noise = N(0, sigma).clamp(-c, c); next = (mu' + noise).clamp(-1, 1) */
    for (size_t i = 0; i < (size_t)B * D; i++)
        out[i] = clampf(mu[i] + clampf(sigma * eps[i], -noise_clip, noise_clip), -1.0f, 1.0f);
}

void dq_td3_target(float *y, const float *q1, const float *q2, const float *reward,
                   const float *terminated, float gamma, int B) {
    for (int i = 0; i < B; i++) {
        const float q = q2 && q2[i] < q1[i] ? q2[i] : q1[i];
        y[i] = reward[i] + (1.0f - terminated[i]) * gamma * q;
    }
}

double dq_ddpg_actor_grad(dq_mlp *actor, dq_mlp *critic, const float *obs, int B,
                          const dq_ddpg_scratch *s) {
    const int O = actor->dims[0], D = actor->dims[actor->n_layers];
    dq_mlp_forward(actor, obs, B, s->a);      /* a = mu(s), [B, D] */
    dq_concat_rows(s->x, obs, s->a, B, O, D); /* [B, O + D] */
    dq_mlp_forward(critic, s->x, B, s->q);    /* Q(s, mu(s)), [B] */
    double loss = 0;
    for (int i = 0; i < B; i++) {
        loss -= s->q[i];
        s->dq[i] = -1.0f / (float)B; /* d(-mean Q)/dQ_i */
    }
    dq_mlp_backward_input(critic, s->dq, B, s->dx); /* d loss/d[s | a] */
    for (int i = 0; i < B; i++)
        memcpy(s->da + (size_t)i * D, s->dx + (size_t)i * (O + D) + O, sizeof(float) * D);
    dq_mlp_backward(actor, s->da, B, NULL); /* through tanh into theta_mu */
    return loss / B;
}
