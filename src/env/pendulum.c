/* pendulum.c — Pendulum-v1 exactly as Gymnasium 1.0.0 (float64, NumPy's sin/cos; reward is
 * -(angle^2 + 0.1 thdot^2 + 0.001 u^2); never terminates, truncated at 200 steps). */
#include "env/pendulum.h"

#include <math.h>

#include "env/npmath.h"

#define PI 3.141592653589793

static const char *const OPTIONS[] = {"g", "math", "numpy", NULL};

DQ_NP_INLINE void write_obs(const dq_pendulum_state *p, float *obs) {
    obs[0] = (float)dq_np_cos_as(p->svml, p->th);
    obs[1] = (float)dq_np_sin_as(p->svml, p->th);
    obs[2] = (float)p->thdot;
}

/* ((x + pi) mod 2 pi) - pi with Python's float modulo (result takes the divisor's sign). */
static double angle_normalize(double x) {
    double a = x + PI, b = 2 * PI;
    double mod = fmod(a, b);
    if (mod != 0.0) {
        if ((b < 0) != (mod < 0)) mod += b;
    } else {
        mod = copysign(0.0, b);
    }
    return mod - PI;
}

static dq_status pe_init(void *st, const dq_kwargs *kw, dq_space *os, dq_space *as,
                         dq_error *err) {
    dq_pendulum_state *p = st;
    p->g = 10.0;
    dq_status s = dq_kwargs_double(kw, "g", &p->g, err);
    dq_np_flavour fl;
    if (!s) s = dq_np_flavour_read(kw, &fl, err);
    if (s) return s;
    p->svml = fl.svml;
    const double high[3] = {1.0, 1.0, 8.0}, low[3] = {-1.0, -1.0, -8.0};
    dq_space_box(os, 3, low, high, DQ_F32);
    const double lo = -2.0, hi = 2.0;
    dq_space_box(as, 1, &lo, &hi, DQ_F32);
    p->last_u = NAN;
    return DQ_OK;
}

DQ_NP_FMA_CLONES
static void pe_reset(void *st, dq_env_rand *rnd, float *obs) {
    dq_pendulum_state *p = st;
    p->th = dq_env_rand_uniform(rnd, -PI, PI);
    p->thdot = dq_env_rand_uniform(rnd, -1.0, 1.0);
    p->last_u = NAN;
    write_obs(p, obs);
}

DQ_NP_FMA_CLONES
static void pe_step(void *st, dq_env_rand *rnd, int64_t action, const double *caction,
                    float *obs, double *reward, bool *terminated) {
    dq_pendulum_state *p = st;
    const double m = 1.0, l = 1.0, dt = 0.05, g = p->g;
    double th = p->th, thdot = p->thdot;
    double u = caction[0] < -2.0 ? -2.0 : caction[0] > 2.0 ? 2.0 : caction[0];
    p->last_u = u;
    double an = angle_normalize(th);
    double costs = dq_py_sq(an) + 0.1 * dq_py_sq(thdot) + 0.001 * dq_py_sq(u);
    double newthdot = thdot + (3 * g / (2 * l) * dq_np_sin_as(p->svml, th) + 3.0 / (m * (l * l)) * u) * dt;
    newthdot = newthdot < -8.0 ? -8.0 : newthdot > 8.0 ? 8.0 : newthdot;
    p->th = th + newthdot * dt;
    p->thdot = newthdot;
    *reward = -costs;
    *terminated = false;
    write_obs(p, obs);
}

static int pe_get_state(const void *st, double *out, int cap) {
    const dq_pendulum_state *p = st;
    if (cap > 0) out[0] = p->th;
    if (cap > 1) out[1] = p->thdot;
    return 2;
}

static dq_status pe_set_state(void *st, const double *s, int n, float *obs, dq_error *err) {
    if (n != 2) return dq_fail(err, DQ_EINVAL, "Pendulum-v1 state has 2 values, got %d", n);
    dq_pendulum_state *p = st;
    p->th = s[0], p->thdot = s[1];
    write_obs(p, obs);
    return DQ_OK;
}

const dq_env_type dq_env_pendulum = {
    .id = "Pendulum-v1",
    .summary = "swing a pendulum upright with a torque in [-2, 2] (continuous actions)",
    .max_episode_steps = 200,
    .reward_threshold = NAN,
    .options = OPTIONS,
    .render_fps = 30,
    .state_size = sizeof(dq_pendulum_state),
    .init = pe_init,
    .reset = pe_reset,
    .step = pe_step,
    .get_state = pe_get_state,
    .set_state = pe_set_state,
};
