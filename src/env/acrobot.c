/* acrobot.c — Acrobot-v1 exactly as Gymnasium 1.0.0: float32-rounded reset state, "book"
 * dynamics integrated by one classical RK4 step (dt = 0.2 s) in float64 with NumPy's sin/cos,
 * angles wrapped, velocities bounded; observation (cos t1, sin t1, cos t2, sin t2, dt1, dt2).
 * Expressions keep Gymnasium's operation order (and its ** 2 as libm pow): the results match
 * it bit for bit. */
#include "env/acrobot.h"

#include "env/npmath.h"

#define PI 3.141592653589793
#define MAX_VEL_1 (4 * PI)
#define MAX_VEL_2 (9 * PI)

static const char *const OPTIONS[] = {"math", "numpy", NULL};

/* Time derivative of (theta1, theta2, dtheta1, dtheta2) under torque a ("book" equations). */
DQ_NP_INLINE void dsdt(const double *s, double a, bool svml, double *ds) {
    const double m1 = 1.0, m2 = 1.0, l1 = 1.0, lc1 = 0.5, lc2 = 0.5, I1 = 1.0, I2 = 1.0;
    const double g = 9.8;
    double theta1 = s[0], theta2 = s[1], dtheta1 = s[2], dtheta2 = s[3];
    double cos2 = dq_np_cos_as(svml, theta2), sin2 = dq_np_sin_as(svml, theta2);
    double d1 = m1 * (lc1 * lc1) + m2 * ((l1 * l1) + (lc2 * lc2) + 2 * l1 * lc2 * cos2) + I1 + I2;
    double d2 = m2 * ((lc2 * lc2) + l1 * lc2 * cos2) + I2;
    double phi2 = m2 * lc2 * g * dq_np_cos_as(svml, theta1 + theta2 - PI / 2.0);
    double phi1 = -m2 * l1 * lc2 * dq_py_sq(dtheta2) * sin2 -
                  2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin2 +
                  (m1 * lc1 + m2 * l1) * g * dq_np_cos_as(svml, theta1 - PI / 2) + phi2;
    double ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * dq_py_sq(dtheta1) * sin2 - phi2) /
                      (m2 * (lc2 * lc2) + I2 - dq_py_sq(d2) / d1);
    double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
    ds[0] = dtheta1, ds[1] = dtheta2, ds[2] = ddtheta1, ds[3] = ddtheta2;
}

static double wrap(double x, double m, double M) {
    double diff = M - m;
    while (x > M) x = x - diff;
    while (x < m) x = x + diff;
    return x;
}

static double bound(double x, double m, double M) {
    double y = x < m ? m : x; /* Python's max(x, m) keeps x unless m is larger */
    return M < y ? M : y;
}

DQ_NP_INLINE void write_obs(const dq_acrobot_state *c, float *obs) {
    bool svml = c->svml;
    obs[0] = (float)dq_np_cos_as(svml, c->s[0]);
    obs[1] = (float)dq_np_sin_as(svml, c->s[0]);
    obs[2] = (float)dq_np_cos_as(svml, c->s[1]);
    obs[3] = (float)dq_np_sin_as(svml, c->s[1]);
    obs[4] = (float)c->s[2];
    obs[5] = (float)c->s[3];
}

static dq_status ac_init(void *st, const dq_kwargs *kw, dq_space *os, dq_space *as,
                         dq_error *err) {
    const double high[6] = {1.0, 1.0, 1.0, 1.0, MAX_VEL_1, MAX_VEL_2};
    const double low[6] = {-1.0, -1.0, -1.0, -1.0, -MAX_VEL_1, -MAX_VEL_2};
    dq_space_box(os, 6, low, high, DQ_F32);
    dq_space_discrete(as, 3);
    dq_acrobot_state *c = st;
    c->last_action = -1;
    dq_np_flavour fl;
    dq_status s = dq_np_flavour_read(kw, &fl, err);
    if (!s) c->svml = fl.svml;
    return s;
}

DQ_NP_FMA_CLONES
static void ac_reset(void *st, dq_env_rand *rnd, float *obs) {
    dq_acrobot_state *c = st;
    for (int i = 0; i < 4; i++) c->s[i] = (double)(float)dq_env_rand_uniform(rnd, -0.1, 0.1);
    c->last_action = -1;
    write_obs(c, obs);
}

DQ_NP_FMA_CLONES
static void ac_step(void *st, dq_env_rand *rnd, int64_t action, const double *caction,
                    float *obs, double *reward, bool *terminated) {
    dq_acrobot_state *c = st;
    bool svml = c->svml;
    static const double TORQUE[3] = {-1.0, 0.0, 1.0};
    double a = TORQUE[action];
    const double dt = 0.2 - 0.0, dt2 = dt / 2.0;
    double *y0 = c->s, k1[4], k2[4], k3[4], k4[4], y[4];
    dsdt(y0, a, svml, k1);
    for (int i = 0; i < 4; i++) y[i] = y0[i] + dt2 * k1[i];
    dsdt(y, a, svml, k2);
    for (int i = 0; i < 4; i++) y[i] = y0[i] + dt2 * k2[i];
    dsdt(y, a, svml, k3);
    for (int i = 0; i < 4; i++) y[i] = y0[i] + dt * k3[i];
    dsdt(y, a, svml, k4);
    double ns[4];
    for (int i = 0; i < 4; i++) ns[i] = y0[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    c->s[0] = wrap(ns[0], -PI, PI);
    c->s[1] = wrap(ns[1], -PI, PI);
    c->s[2] = bound(ns[2], -MAX_VEL_1, MAX_VEL_1);
    c->s[3] = bound(ns[3], -MAX_VEL_2, MAX_VEL_2);
    c->last_action = (int)action;
    bool term = -dq_np_cos_as(svml, c->s[0]) - dq_np_cos_as(svml, c->s[1] + c->s[0]) > 1.0;
    *terminated = term;
    *reward = term ? 0.0 : -1.0;
    write_obs(c, obs);
}

static int ac_get_state(const void *st, double *out, int cap) {
    const dq_acrobot_state *c = st;
    for (int i = 0; i < 4 && i < cap; i++) out[i] = c->s[i];
    return 4;
}

static dq_status ac_set_state(void *st, const double *s, int n, float *obs, dq_error *err) {
    if (n != 4) return dq_fail(err, DQ_EINVAL, "Acrobot-v1 state has 4 values, got %d", n);
    dq_acrobot_state *c = st;
    for (int i = 0; i < 4; i++) c->s[i] = s[i];
    write_obs(c, obs);
    return DQ_OK;
}

const dq_env_type dq_env_acrobot = {
    .id = "Acrobot-v1",
    .summary = "swing a two-link arm's tip above a height by torquing the middle joint",
    .max_episode_steps = 500,
    .reward_threshold = -100.0,
    .options = OPTIONS,
    .render_fps = 15,
    .state_size = sizeof(dq_acrobot_state),
    .init = ac_init,
    .reset = ac_reset,
    .step = ac_step,
    .get_state = ac_get_state,
    .set_state = ac_set_state,
};
