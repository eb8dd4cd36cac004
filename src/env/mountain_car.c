/* mountain_car.c — MountainCar-v0 and MountainCarContinuous-v0 exactly as Gymnasium 1.0.0.
 * Both use Python's math.cos (libm), not NumPy's. The continuous env stores its state as
 * float32 between steps (Gymnasium does) and takes float64 actions (force clipped to [-1, 1]). */
#include "env/mountain_car.h"

#include <math.h>

#define MIN_POSITION -1.2
#define MAX_POSITION 0.6
#define MAX_SPEED 0.07

static const char *const OPTIONS[] = {"goal_velocity", NULL};

static void write_obs(const dq_mountain_car_state *c, float *obs) {
    obs[0] = (float)c->position;
    obs[1] = (float)c->velocity;
}

static dq_status mc_init_common(dq_mountain_car_state *c, const dq_kwargs *kw, dq_space *os,
                                dq_error *err) {
    c->goal_velocity = 0.0;
    dq_status s = dq_kwargs_double(kw, "goal_velocity", &c->goal_velocity, err);
    if (s) return s;
    const double low[2] = {MIN_POSITION, -MAX_SPEED}, high[2] = {MAX_POSITION, MAX_SPEED};
    dq_space_box(os, 2, low, high, DQ_F32);
    return DQ_OK;
}

static dq_status mc_init(void *st, const dq_kwargs *kw, dq_space *os, dq_space *as,
                         dq_error *err) {
    dq_mountain_car_state *c = st;
    c->goal_position = 0.5;
    dq_space_discrete(as, 3);
    return mc_init_common(c, kw, os, err);
}

static dq_status mcc_init(void *st, const dq_kwargs *kw, dq_space *os, dq_space *as,
                          dq_error *err) {
    dq_mountain_car_state *c = st;
    c->goal_position = 0.45;
    c->continuous = true;
    const double lo = -1.0, hi = 1.0;
    dq_space_box(as, 1, &lo, &hi, DQ_F32);
    return mc_init_common(c, kw, os, err);
}

static void mc_reset(void *st, dq_env_rand *rnd, float *obs) {
    dq_mountain_car_state *c = st;
    c->position = dq_env_rand_uniform(rnd, -0.6, -0.4);
    c->velocity = 0.0;
    write_obs(c, obs);
}

static void mc_step(void *st, dq_env_rand *rnd, int64_t action, const double *caction,
                    float *obs, double *reward, bool *terminated) {
    dq_mountain_car_state *c = st;
    double position = c->position, velocity = c->velocity;
    velocity += (double)(action - 1) * 0.001 + cos(3 * position) * (-0.0025);
    velocity = velocity < -MAX_SPEED ? -MAX_SPEED : velocity > MAX_SPEED ? MAX_SPEED : velocity;
    position += velocity;
    position = position < MIN_POSITION ? MIN_POSITION
               : position > MAX_POSITION ? MAX_POSITION : position;
    if (position == MIN_POSITION && velocity < 0) velocity = 0;
    *terminated = position >= c->goal_position && velocity >= c->goal_velocity;
    *reward = -1.0;
    c->position = position, c->velocity = velocity;
    write_obs(c, obs);
}

static void mcc_step(void *st, dq_env_rand *rnd, int64_t action, const double *caction,
                     float *obs, double *reward, bool *terminated) {
    dq_mountain_car_state *c = st;
    double position = c->position, velocity = c->velocity;
    double force = caction[0] < -1.0 ? -1.0 : caction[0] > 1.0 ? 1.0 : caction[0];
    /* 3 * position is float32 arithmetic in Gymnasium (the state is a float32 array). */
    velocity += force * 0.0015 - 0.0025 * cos((double)(3.0f * (float)position));
    if (velocity > MAX_SPEED) velocity = MAX_SPEED;
    if (velocity < -MAX_SPEED) velocity = -MAX_SPEED;
    position += velocity;
    if (position > MAX_POSITION) position = MAX_POSITION;
    if (position < MIN_POSITION) position = MIN_POSITION;
    if (position == MIN_POSITION && velocity < 0) velocity = 0;
    bool term = position >= c->goal_position && velocity >= c->goal_velocity;
    double r = term ? 100.0 : 0.0;
    r -= pow(caction[0], 2) * 0.1;
    *terminated = term;
    *reward = r;
    c->position = (double)(float)position, c->velocity = (double)(float)velocity;
    write_obs(c, obs);
}

static int mc_get_state(const void *st, double *out, int cap) {
    const dq_mountain_car_state *c = st;
    if (cap > 0) out[0] = c->position;
    if (cap > 1) out[1] = c->velocity;
    return 2;
}

static dq_status mc_set_state(void *st, const double *s, int n, float *obs, dq_error *err) {
    if (n != 2) return dq_fail(err, DQ_EINVAL, "MountainCar state has 2 values, got %d", n);
    dq_mountain_car_state *c = st;
    c->position = s[0], c->velocity = s[1];
    write_obs(c, obs);
    return DQ_OK;
}

const dq_env_type dq_env_mountain_car = {
    .id = "MountainCar-v0",
    .summary = "drive an underpowered car up a hill by rocking it (push left, none, right)",
    .max_episode_steps = 200,
    .reward_threshold = -110.0,
    .options = OPTIONS,
    .render_fps = 30,
    .state_size = sizeof(dq_mountain_car_state),
    .init = mc_init,
    .reset = mc_reset,
    .step = mc_step,
    .get_state = mc_get_state,
    .set_state = mc_set_state,
};

const dq_env_type dq_env_mountain_car_continuous = {
    .id = "MountainCarContinuous-v0",
    .summary = "MountainCar with a continuous force in [-1, 1]; +100 at the goal, -0.1 a^2 per step",
    .max_episode_steps = 999,
    .reward_threshold = 90.0,
    .options = OPTIONS,
    .render_fps = 30,
    .state_size = sizeof(dq_mountain_car_state),
    .init = mcc_init,
    .reset = mc_reset,
    .step = mcc_step,
    .get_state = mc_get_state,
    .set_state = mc_set_state,
};
