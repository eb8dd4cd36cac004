/* cartpole.h — CartPole-v1 state (for renderers and the batched path) and its dynamics.
 * Gymnasium 1.0.0's CartPoleEnv: Euler integration in float64, tau = 0.02 s. */
#ifndef DQ_ENV_CARTPOLE_H
#define DQ_ENV_CARTPOLE_H

#include <math.h>
#include <stdbool.h>

#include "deepq/env.h"
#include "env/npmath.h"

#define DQ_CARTPOLE_GRAVITY 9.8
#define DQ_CARTPOLE_MASSCART 1.0
#define DQ_CARTPOLE_MASSPOLE 0.1
#define DQ_CARTPOLE_LENGTH 0.5 /* half the pole's length, m */
#define DQ_CARTPOLE_FORCE 10.0
#define DQ_CARTPOLE_TAU 0.02
#define DQ_CARTPOLE_X_THRESHOLD 2.4
/* 12 degrees, computed in Gymnasium's order (12 * 2 * pi / 360). */
#define DQ_CARTPOLE_THETA_THRESHOLD (12 * 2 * M_PI / 360)

typedef struct dq_cartpole_state {
    double x, x_dot, theta, theta_dot; /* Gymnasium's env.unwrapped.state */
    int steps_beyond_terminated;       /* -1 = None (episode still running) */
    bool sutton_barto_reward;          /* option: 0 per step, -1 on termination */
    int last_action;                   /* for renderers; -1 after reset */
    bool svml;                         /* options math/numpy: SVML (true) or libm sin/cos */
} dq_cartpole_state;

extern const dq_env_type dq_env_cartpole;

/* Whether dq_cartpole_advance4 can run here (x86-64 with AVX2 and FMA). */
bool dq_cartpole_simd_available(void);
/* Four dq_cartpole_advance steps (SVML flavour) at once on SoA arrays (4 lanes each; action[k] is 0 or 1),
 * bit-identical to the scalar one. Returns a 4-bit mask of terminated lanes, or -1 (nothing
 * changed) when some |theta| >= 2^20 or is NaN: then use the scalar step. cartpole_simd.c. */
int dq_cartpole_advance4(double *x, double *x_dot, double *theta, double *theta_dot,
                         const int64_t *action);
/* The same given cos_theta[4] and sin_theta[4] of the lanes' theta, any finite theta: with
 * libm's cos/sin (dq_cartpole_cos_sin) bit-identical to dq_cartpole_advance(s, a, false).
 * Returns the mask, or -1 (nothing changed) without AVX2, for a theta that is not finite or a
 * |theta_dot| >= 2^500. */
int dq_cartpole_advance4_sc(double *x, double *x_dot, double *theta, double *theta_dot,
                            const int64_t *action, const double *cos_theta,
                            const double *sin_theta);
/* c[n] = cos(theta), s[n] = sin(theta): libm's values (the libm flavour). cartpole_simd.c. */
void dq_cartpole_cos_sin(double *c, double *s, const double *theta, int n);
/* The float32 observations of 4 SoA lanes as 4 rows of 4 (rows: [4, 4]), each value rounded as
 * (float)v. Only after dq_cartpole_simd_available(). */
void dq_cartpole_obs4(const double *x, const double *x_dot, const double *theta,
                      const double *theta_dot, float *rows);

/* One Euler step of the state s = {x, x_dot, theta, theta_dot} under action 0 (push left) or
 * 1 (push right), with Gymnasium's operation order and the flavour's sin/cos (svml: the SVML
 * kernels, else libm); returns whether the episode terminated. */
DQ_NP_INLINE bool dq_cartpole_advance(double *s, int action, bool svml) {
    const double total_mass = DQ_CARTPOLE_MASSPOLE + DQ_CARTPOLE_MASSCART;
    const double polemass_length = DQ_CARTPOLE_MASSPOLE * DQ_CARTPOLE_LENGTH;
    double x = s[0], x_dot = s[1], theta = s[2], theta_dot = s[3];
    double force = action == 1 ? DQ_CARTPOLE_FORCE : -DQ_CARTPOLE_FORCE;
    double costheta = dq_np_cos_as(svml, theta), sintheta = dq_np_sin_as(svml, theta);
    double temp = (force + polemass_length * (theta_dot * theta_dot) * sintheta) / total_mass;
    double thetaacc =
        (DQ_CARTPOLE_GRAVITY * sintheta - costheta * temp) /
        (DQ_CARTPOLE_LENGTH *
         (4.0 / 3.0 - DQ_CARTPOLE_MASSPOLE * (costheta * costheta) / total_mass));
    double xacc = temp - polemass_length * thetaacc * costheta / total_mass;
    x = x + DQ_CARTPOLE_TAU * x_dot;
    x_dot = x_dot + DQ_CARTPOLE_TAU * xacc;
    theta = theta + DQ_CARTPOLE_TAU * theta_dot;
    theta_dot = theta_dot + DQ_CARTPOLE_TAU * thetaacc;
    s[0] = x, s[1] = x_dot, s[2] = theta, s[3] = theta_dot;
    return x < -DQ_CARTPOLE_X_THRESHOLD || x > DQ_CARTPOLE_X_THRESHOLD ||
           theta < -DQ_CARTPOLE_THETA_THRESHOLD || theta > DQ_CARTPOLE_THETA_THRESHOLD;
}

#endif
