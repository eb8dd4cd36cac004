/* mountain_car.c — MountainCar-v0 and MountainCarContinuous-v0 exactly as Gymnasium 1.0.0.
 * Both use Python's math.cos (libm), not NumPy's. The continuous env stores its state as a
 * float32 array between steps (a float64 one after reset, as Gymnasium does) and takes float64
 * actions (force clipped to [-1, 1]); its step mixes np.float32, np.float64 and Python floats,
 * so it follows NumPy's promotion rules, NumPy 2's (NEP 50) by default, NumPy 1's with the
 * option numpy=1.x. */
#include "env/mountain_car.h"

#include <math.h>

#include "env/npmath.h"

#define MIN_POSITION -1.2
#define MAX_POSITION 0.6
#define MAX_SPEED 0.07

static const char *const OPTIONS[] = {"goal_velocity", NULL};
static const char *const OPTIONS_CONTINUOUS[] = {"goal_velocity", "numpy", NULL};

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
    dq_np_flavour fl;
    dq_status s = dq_np_flavour_read(kw, &fl, err);
    if (s) return s;
    c->nep50 = fl.nep50;
    return mc_init_common(c, kw, os, err);
}

static void mc_reset(void *st, dq_env_rand *rnd, float *obs) {
    dq_mountain_car_state *c = st;
    c->position = dq_env_rand_uniform(rnd, -0.6, -0.4);
    c->velocity = 0.0;
    c->state_f32 = false;
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

/* A number in Gymnasium's continuous step and the type NumPy sees: a np.float32 or np.float64
 * scalar, or a plain Python float. np.float32 values are held exactly in v. */
typedef enum { PY_FLOAT, NP_F32, NP_F64 } num_type;
typedef struct num {
    double v;
    num_type t;
} num;

/* a + b under NumPy's promotion: float64 wins; float32 with float32 stays float32; float32 with
 * a Python float stays float32 in NumPy 2 (NEP 50), goes to float64 in NumPy 1. */
static num num_add(num a, num b, bool nep50) {
    if (a.t == NP_F64 || b.t == NP_F64) return (num){a.v + b.v, NP_F64};
    if (a.t == PY_FLOAT && b.t == PY_FLOAT) return (num){a.v + b.v, PY_FLOAT};
    if ((a.t == NP_F32 && b.t == NP_F32) || nep50)
        return (num){dq_f32_round((double)((float)a.v + (float)b.v)), NP_F32};
    return (num){a.v + b.v, NP_F64};
}

/* a compared with a Python float x: NumPy 2 compares a float32 in float32 (x rounded to it). */
static int num_cmp(num a, double x, bool nep50) {
    double av = a.v, xv = x;
    if (a.t == NP_F32 && nep50) xv = dq_f32_round(x);
    return av < xv ? -1 : av > xv ? 1 : 0;
}

static void mcc_step(void *st, dq_env_rand *rnd, int64_t action, const double *caction,
                     float *obs, double *reward, bool *terminated) {
    dq_mountain_car_state *c = st;
    bool n2 = c->nep50;
    num_type st_t = c->state_f32 ? NP_F32 : NP_F64;
    num position = {c->position, st_t}, velocity = {c->velocity, st_t};
    /* force = min(max(action[0], -1.0), 1.0): a bound, when it wins, is a Python float. */
    double a = caction[0];
    num force = a < -1.0 ? (num){-1.0, PY_FLOAT} : a > 1.0 ? (num){1.0, PY_FLOAT} : (num){a, NP_F64};
    /* 3 * position: a Python int is weak in NumPy 2 (float32 stays float32); NumPy 1's scalar
     * rules made it int64, so float32 * int64 went to float64. */
    double p3 = position.t == NP_F32 && n2 ? dq_f32_round(3.0f * (float)position.v)
                                           : 3 * position.v;
    num rhs = {force.v * 0.0015 - 0.0025 * cos(p3), force.t};
    velocity = num_add(velocity, rhs, n2);
    if (num_cmp(velocity, MAX_SPEED, n2) > 0) velocity = (num){MAX_SPEED, PY_FLOAT};
    if (num_cmp(velocity, -MAX_SPEED, n2) < 0) velocity = (num){-MAX_SPEED, PY_FLOAT};
    position = num_add(position, velocity, n2);
    if (num_cmp(position, MAX_POSITION, n2) > 0) position = (num){MAX_POSITION, PY_FLOAT};
    if (num_cmp(position, MIN_POSITION, n2) < 0) position = (num){MIN_POSITION, PY_FLOAT};
    if (num_cmp(position, MIN_POSITION, n2) == 0 && velocity.v < 0) velocity = (num){0, PY_FLOAT};
    bool term = num_cmp(position, c->goal_position, n2) >= 0 &&
                num_cmp(velocity, c->goal_velocity, n2) >= 0;
    double r = term ? 100.0 : 0.0;
    r -= dq_py_sq(a) * 0.1; /* math.pow(action[0], 2), unclipped */
    *terminated = term;
    *reward = r;
    c->position = dq_f32_round(position.v), c->velocity = dq_f32_round(velocity.v);
    c->state_f32 = true;
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
    c->state_f32 = false; /* set like reset's float64 array */
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
    .options = OPTIONS_CONTINUOUS,
    .render_fps = 30,
    .state_size = sizeof(dq_mountain_car_state),
    .init = mcc_init,
    .reset = mc_reset,
    .step = mcc_step,
    .get_state = mc_get_state,
    .set_state = mc_set_state,
};
