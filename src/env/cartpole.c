/* cartpole.c — CartPole-v1 exactly as Gymnasium 1.0.0 (float64 state, float32 observation,
 * reset state uniform(-0.05, 0.05) x4, reward 1 per step including the terminating one). */
#include "env/cartpole.h"

#include <string.h>

static const char *const OPTIONS[] = {"sutton_barto_reward", "math", "numpy", NULL};

static void write_obs(const dq_cartpole_state *c, float *obs) {
    obs[0] = (float)c->x;
    obs[1] = (float)c->x_dot;
    obs[2] = (float)c->theta;
    obs[3] = (float)c->theta_dot;
}

static dq_status cp_init(void *st, const dq_kwargs *kw, dq_space *os, dq_space *as,
                         dq_error *err) {
    dq_cartpole_state *c = st;
    dq_status s = dq_kwargs_bool(kw, "sutton_barto_reward", &c->sutton_barto_reward, err);
    dq_np_flavour fl;
    if (!s) s = dq_np_flavour_read(kw, &fl, err);
    if (s) return s;
    c->svml = fl.svml;
    const double high[4] = {DQ_CARTPOLE_X_THRESHOLD * 2, INFINITY,
                            DQ_CARTPOLE_THETA_THRESHOLD * 2, INFINITY};
    const double low[4] = {-high[0], -INFINITY, -high[2], -INFINITY};
    dq_space_box(os, 4, low, high, DQ_F32);
    dq_space_discrete(as, 2);
    c->steps_beyond_terminated = -1;
    c->last_action = -1;
    return DQ_OK;
}

static void cp_reset(void *st, dq_env_rand *rnd, float *obs) {
    dq_cartpole_state *c = st;
    c->x = dq_env_rand_uniform(rnd, -0.05, 0.05);
    c->x_dot = dq_env_rand_uniform(rnd, -0.05, 0.05);
    c->theta = dq_env_rand_uniform(rnd, -0.05, 0.05);
    c->theta_dot = dq_env_rand_uniform(rnd, -0.05, 0.05);
    c->steps_beyond_terminated = -1;
    c->last_action = -1;
    write_obs(c, obs);
}

DQ_NP_FMA_CLONES
static void cp_step(void *st, dq_env_rand *rnd, int64_t action, const double *caction,
                    float *obs, double *reward, bool *terminated) {
    dq_cartpole_state *c = st;
    double s[4] = {c->x, c->x_dot, c->theta, c->theta_dot};
    bool term = dq_cartpole_advance(s, (int)action, c->svml);
    c->x = s[0], c->x_dot = s[1], c->theta = s[2], c->theta_dot = s[3];
    c->last_action = (int)action;
    if (!term) {
        *reward = c->sutton_barto_reward ? 0.0 : 1.0;
    } else if (c->steps_beyond_terminated < 0) {
        c->steps_beyond_terminated = 0;
        *reward = c->sutton_barto_reward ? -1.0 : 1.0;
    } else {
        c->steps_beyond_terminated++;
        *reward = c->sutton_barto_reward ? -1.0 : 0.0;
    }
    *terminated = term;
    write_obs(c, obs);
}

static int cp_get_state(const void *st, double *out, int cap) {
    const dq_cartpole_state *c = st;
    const double v[4] = {c->x, c->x_dot, c->theta, c->theta_dot};
    for (int i = 0; i < 4 && i < cap; i++) out[i] = v[i];
    return 4;
}

static dq_status cp_set_state(void *st, const double *s, int n, float *obs, dq_error *err) {
    if (n != 4) return dq_fail(err, DQ_EINVAL, "CartPole-v1 state has 4 values, got %d", n);
    dq_cartpole_state *c = st;
    c->x = s[0], c->x_dot = s[1], c->theta = s[2], c->theta_dot = s[3];
    c->steps_beyond_terminated = -1;
    write_obs(c, obs);
    return DQ_OK;
}

const dq_env_type dq_env_cartpole = {
    .id = "CartPole-v1",
    .summary = "balance a pole on a cart by pushing it left or right",
    .max_episode_steps = 500,
    .reward_threshold = 475.0,
    .options = OPTIONS,
    .render_fps = 50,
    .state_size = sizeof(dq_cartpole_state),
    .init = cp_init,
    .reset = cp_reset,
    .step = cp_step,
    .get_state = cp_get_state,
    .set_state = cp_set_state,
};
