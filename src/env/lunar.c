/* lunar.c — LunarLander-v3 exactly as Gymnasium 1.0.0's lunar_lander.py: terrain, lander and
 * legs (built by the Box2D shim in lunar_box2d.cpp), wind and turbulence, main and side engine
 * impulses with dispersion, shaping reward, fuel costs, crash (-100) and rest (+100).
 *
 * Random draws go through dq_env_rand in Gymnasium's order so recorded draws can be injected:
 * reset draws 12 terrain heights, 2 initial-force components, (wind: wind_idx, torque_idx) and
 * then takes one no-op step; every step draws 2 dispersion values, engine or not.
 * Arithmetic is float64 on the float32 values Box2D holds, as in Python. */
#include <math.h>
#include <string.h>

#include "deepq/env.h"
#include "deepq/lunar.h"
#include "env/lunar.h"

#define W (DQ_LUNAR_VIEWPORT_W / DQ_LUNAR_SCALE)
#define H (DQ_LUNAR_VIEWPORT_H / DQ_LUNAR_SCALE)

static const char *const lunar_options[] = {"continuous", "gravity", "enable_wind", "wind_power",
                                            "turbulence_power", NULL};

static dq_status lunar_init(void *vst, const dq_kwargs *kw, dq_space *obs_space,
                            dq_space *act_space, dq_error *err) {
    dq_lunar_state *st = vst;
    st->continuous = false;
    st->gravity = -10.0;
    st->enable_wind = false;
    st->wind_power = 15.0;
    st->turbulence_power = 1.5;
    dq_status s;
    if ((s = dq_kwargs_bool(kw, "continuous", &st->continuous, err))) return s;
    if ((s = dq_kwargs_double(kw, "gravity", &st->gravity, err))) return s;
    if ((s = dq_kwargs_bool(kw, "enable_wind", &st->enable_wind, err))) return s;
    if ((s = dq_kwargs_double(kw, "wind_power", &st->wind_power, err))) return s;
    if ((s = dq_kwargs_double(kw, "turbulence_power", &st->turbulence_power, err))) return s;
    if (!(st->gravity > -12.0 && st->gravity < 0.0))
        return dq_fail(err, DQ_EINVAL, "LunarLander-v3: gravity=%g must be between -12 and 0",
                       st->gravity);
    /* Gymnasium only warns outside [0, 20] / [0, 2]; non-finite values are rejected. */
    if (!isfinite(st->wind_power))
        return dq_fail(err, DQ_EINVAL, "LunarLander-v3: wind_power must be a finite number");
    if (!isfinite(st->turbulence_power))
        return dq_fail(err, DQ_EINVAL, "LunarLander-v3: turbulence_power must be a finite number");

    static const double lo[8] = {-2.5, -2.5, -10.0, -10.0, -2 * M_PI, -10.0, -0.0, -0.0};
    static const double hi[8] = {2.5, 2.5, 10.0, 10.0, 2 * M_PI, 10.0, 1.0, 1.0};
    memset(obs_space, 0, sizeof *obs_space);
    obs_space->kind = DQ_SPACE_BOX;
    obs_space->ndim = 1;
    obs_space->shape[0] = 8;
    obs_space->size = 8;
    obs_space->dtype = DQ_F32;
    for (int i = 0; i < 8; i++) {
        obs_space->low[i] = (float)lo[i];
        obs_space->high[i] = (float)hi[i];
    }
    memset(act_space, 0, sizeof *act_space);
    if (st->continuous) {
        act_space->kind = DQ_SPACE_BOX;
        act_space->ndim = 1;
        act_space->shape[0] = 2;
        act_space->size = 2;
        act_space->dtype = DQ_F32;
        for (int i = 0; i < 2; i++) {
            act_space->low[i] = -1.0;
            act_space->high[i] = 1.0;
        }
    } else {
        act_space->kind = DQ_SPACE_DISCRETE;
        act_space->n = 4;
        act_space->size = 1;
        act_space->dtype = DQ_I64;
    }
    return DQ_OK;
}

static void lunar_free(void *vst) {
    dq_lunar_state *st = vst;
    dq_lunar_b2_destroy(st->b2);
    st->b2 = NULL;
}

static double clip(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* A step without a world (it could not be allocated at reset): the episode ends. */
static void lunar_no_world(float *obs, double *reward, bool *terminated) {
    memset(obs, 0, 8 * sizeof *obs);
    *reward = 0.0;
    *terminated = true;
}

/* The part of a Gymnasium step before world.Step: wind, engine impulses (discrete action a
 * when !continuous, else ca[2]), st->engines. False when there is no world. */
static bool lunar_pre(dq_lunar_state *st, dq_env_rand *rnd, int64_t a, const double *ca) {
    dq_lunar_b2 *w = st->b2;
    dq_lunar_body lander;
    if (!w) return false;

    if (st->enable_wind && !(st->leg_contact[0] || st->leg_contact[1])) {
        double wi = (double)st->wind_idx, ti = (double)st->torque_idx;
        double wind_mag = tanh(sin(0.02 * wi) + sin(M_PI * 0.01 * wi)) * st->wind_power;
        st->wind_idx++;
        dq_lunar_b2_force_center(w, wind_mag, 0.0);
        double torque_mag = tanh(sin(0.02 * ti) + sin(M_PI * 0.01 * ti)) * st->turbulence_power;
        st->torque_idx++;
        dq_lunar_b2_torque(w, torque_mag);
    }

    double act[2] = {0.0, 0.0};
    if (st->continuous) {
        act[0] = clip(ca[0], -1.0, 1.0);
        act[1] = clip(ca[1], -1.0, 1.0);
    }

    dq_lunar_b2_body(w, 0, &lander);
    const double tip[2] = {sin((double)lander.angle), cos((double)lander.angle)};
    const double side[2] = {-tip[1], tip[0]};
    double disp[2];
    for (int k = 0; k < 2; k++) disp[k] = dq_env_rand_uniform(rnd, -1.0, 1.0) / DQ_LUNAR_SCALE;

    dq_lunar_engines *eng = &st->engines;
    memset(eng, 0, sizeof *eng);
    eng->dispersion[0] = disp[0];
    eng->dispersion[1] = disp[1];

    double m_power = 0.0;
    if ((st->continuous && act[0] > 0.0) || (!st->continuous && a == 2)) {
        m_power = st->continuous ? (clip(act[0], 0.0, 1.0) + 1.0) * 0.5 : 1.0;
        double ox = tip[0] * (DQ_LUNAR_MAIN_ENGINE_Y_LOCATION / DQ_LUNAR_SCALE + 2 * disp[0]) +
                    side[0] * disp[1];
        double oy = -tip[1] * (DQ_LUNAR_MAIN_ENGINE_Y_LOCATION / DQ_LUNAR_SCALE + 2 * disp[0]) -
                    side[1] * disp[1];
        double px = (double)lander.x + ox, py = (double)lander.y + oy;
        double ix = ox * DQ_LUNAR_MAIN_ENGINE_POWER * m_power;
        double iy = oy * DQ_LUNAR_MAIN_ENGINE_POWER * m_power;
        dq_lunar_b2_impulse(w, -ix, -iy, px, py);
        eng->main_pos[0] = px;
        eng->main_pos[1] = py;
        eng->main_impulse[0] = ix;
        eng->main_impulse[1] = iy;
    }

    double s_power = 0.0;
    if ((st->continuous && fabs(act[1]) > 0.5) || (!st->continuous && (a == 1 || a == 3))) {
        double direction;
        if (st->continuous) {
            direction = act[1] > 0 ? 1.0 : act[1] < 0 ? -1.0 : 0.0;
            s_power = clip(fabs(act[1]), 0.5, 1.0);
        } else {
            direction = (double)(a - 2);
            s_power = 1.0;
        }
        double ox = tip[0] * disp[0] +
                    side[0] * (3 * disp[1] + direction * DQ_LUNAR_SIDE_ENGINE_AWAY / DQ_LUNAR_SCALE);
        double oy = -tip[1] * disp[0] -
                    side[1] * (3 * disp[1] + direction * DQ_LUNAR_SIDE_ENGINE_AWAY / DQ_LUNAR_SCALE);
        /* Gymnasium offsets x by 17 (not SIDE_ENGINE_HEIGHT = 14): kept as is. */
        double px = (double)lander.x + ox - tip[0] * 17 / DQ_LUNAR_SCALE;
        double py = (double)lander.y + oy + tip[1] * DQ_LUNAR_SIDE_ENGINE_HEIGHT / DQ_LUNAR_SCALE;
        double ix = ox * DQ_LUNAR_SIDE_ENGINE_POWER * s_power;
        double iy = oy * DQ_LUNAR_SIDE_ENGINE_POWER * s_power;
        dq_lunar_b2_impulse(w, -ix, -iy, px, py);
        eng->side_direction = (int)direction;
        eng->side_pos[0] = px;
        eng->side_pos[1] = py;
        eng->side_impulse[0] = ix;
        eng->side_impulse[1] = iy;
    }
    eng->m_power = m_power;
    eng->s_power = s_power;
    return true;
}

/* The part after world.Step: bodies, contacts, observation, reward, termination. */
static void lunar_post(dq_lunar_state *st, float *obs, double *reward, bool *terminated) {
    dq_lunar_b2 *w = st->b2;
    const double m_power = st->engines.m_power, s_power = st->engines.s_power;
    dq_lunar_b2_body(w, 0, &st->lander);
    dq_lunar_b2_body(w, 1, &st->legs[0]);
    dq_lunar_b2_body(w, 2, &st->legs[1]);
    st->leg_contact[0] = dq_lunar_b2_leg_contact(w, 0);
    st->leg_contact[1] = dq_lunar_b2_leg_contact(w, 1);
    st->game_over = dq_lunar_b2_game_over(w);

    const dq_lunar_body *L = &st->lander;
    double s[8];
    s[0] = ((double)L->x - DQ_LUNAR_VIEWPORT_W / DQ_LUNAR_SCALE / 2) /
           (DQ_LUNAR_VIEWPORT_W / DQ_LUNAR_SCALE / 2);
    s[1] = ((double)L->y - (st->helipad_y + DQ_LUNAR_LEG_DOWN / DQ_LUNAR_SCALE)) /
           (DQ_LUNAR_VIEWPORT_H / DQ_LUNAR_SCALE / 2);
    s[2] = (double)L->vx * (DQ_LUNAR_VIEWPORT_W / DQ_LUNAR_SCALE / 2) / DQ_LUNAR_FPS;
    s[3] = (double)L->vy * (DQ_LUNAR_VIEWPORT_H / DQ_LUNAR_SCALE / 2) / DQ_LUNAR_FPS;
    s[4] = (double)L->angle;
    s[5] = 20.0 * (double)L->omega / DQ_LUNAR_FPS;
    s[6] = st->leg_contact[0] ? 1.0 : 0.0;
    s[7] = st->leg_contact[1] ? 1.0 : 0.0;
    for (int k = 0; k < 8; k++) obs[k] = (float)s[k];

    double shaping = -100 * sqrt(s[0] * s[0] + s[1] * s[1]) - 100 * sqrt(s[2] * s[2] + s[3] * s[3]) -
                     100 * fabs(s[4]) + 10 * s[6] + 10 * s[7];
    double r = 0.0;
    if (st->has_prev_shaping) r = shaping - st->prev_shaping;
    st->prev_shaping = shaping;
    st->has_prev_shaping = true;
    r -= m_power * 0.30;
    r -= s_power * 0.03;

    bool term = false;
    if (st->game_over || fabs(s[0]) >= 1.0) {
        term = true;
        r = -100;
    }
    if (!L->awake) {
        term = true;
        r = +100;
    }
    *reward = r;
    *terminated = term;
}

/* One Gymnasium step. Discrete action a (when !continuous) or ca[2]. */
static void lunar_advance(dq_lunar_state *st, dq_env_rand *rnd, int64_t a, const double *ca,
                          float *obs, double *reward, bool *terminated) {
    if (!lunar_pre(st, rnd, a, ca)) {
        lunar_no_world(obs, reward, terminated);
        return;
    }
    dq_lunar_b2_step(st->b2, 1.0 / DQ_LUNAR_FPS, DQ_LUNAR_VEL_ITERS, DQ_LUNAR_POS_ITERS);
    lunar_post(st, obs, reward, terminated);
}

static void lunar_reset(void *vst, dq_env_rand *rnd, float *obs) {
    dq_lunar_state *st = vst;
    dq_lunar_b2_destroy(st->b2);
    st->b2 = NULL;
    st->game_over = false;
    st->leg_contact[0] = st->leg_contact[1] = false;
    st->has_prev_shaping = false;
    st->prev_shaping = 0.0;

    enum { CHUNKS = DQ_LUNAR_CHUNKS };
    double height[CHUNKS + 1];
    for (int i = 0; i < CHUNKS + 1; i++) height[i] = dq_env_rand_uniform(rnd, 0.0, H / 2);
    for (int i = 0; i < CHUNKS; i++) st->chunk_x[i] = W / (CHUNKS - 1) * i;
    st->helipad_x1 = st->chunk_x[CHUNKS / 2 - 1];
    st->helipad_x2 = st->chunk_x[CHUNKS / 2 + 1];
    st->helipad_y = H / 4;
    for (int k = -2; k <= 2; k++) height[CHUNKS / 2 + k] = st->helipad_y;
    /* Python's height[i - 1] wraps to the last element for i = 0. */
    for (int i = 0; i < CHUNKS; i++)
        st->smooth_y[i] = 0.33 * (height[i == 0 ? CHUNKS : i - 1] + height[i] + height[i + 1]);

    /* Out of memory here leaves b2 NULL: lunar_advance then ends the episode at once. */
    st->b2 = dq_lunar_b2_create(st->gravity, st->chunk_x, st->smooth_y, CHUNKS);

    double fx = dq_env_rand_uniform(rnd, -DQ_LUNAR_INITIAL_RANDOM, DQ_LUNAR_INITIAL_RANDOM);
    double fy = dq_env_rand_uniform(rnd, -DQ_LUNAR_INITIAL_RANDOM, DQ_LUNAR_INITIAL_RANDOM);
    if (st->b2) dq_lunar_b2_force_center(st->b2, fx, fy);
    if (st->enable_wind) {
        st->wind_idx = dq_env_rand_int(rnd, -9999, 9999);
        st->torque_idx = dq_env_rand_int(rnd, -9999, 9999);
    }

    double r, zero[2] = {0.0, 0.0};
    bool term;
    lunar_advance(st, rnd, 0, zero, obs, &r, &term);
}

static void lunar_step(void *vst, dq_env_rand *rnd, int64_t action, const double *caction,
                       float *obs, double *reward, bool *terminated) {
    lunar_advance(vst, rnd, action, caction, obs, reward, terminated);
}

/* n <= DQ_ENV_STEP_MANY_MAX envs' steps with one dq_lunar_b2_step_many: the results of n
 * lunar_step calls (the envs share nothing), in less time (docs/BENCHMARKS.md). */
static void lunar_step_many(int n, void *const *vst, dq_env_rand *const *rnd,
                            const int64_t *action, const double *const *caction, float *const *obs,
                            double *reward, bool *terminated) {
    dq_lunar_b2 *worlds[DQ_ENV_STEP_MANY_MAX] = {NULL};
    bool ok[DQ_ENV_STEP_MANY_MAX];
    int m = 0;
    for (int i = 0; i < n; i++) {
        dq_lunar_state *st = vst[i];
        ok[i] = lunar_pre(st, rnd[i], action ? action[i] : 0, caction ? caction[i] : NULL);
        if (ok[i]) worlds[m++] = st->b2;
    }
    dq_lunar_b2_step_many(worlds, m, 0, 1.0 / DQ_LUNAR_FPS, DQ_LUNAR_VEL_ITERS,
                          DQ_LUNAR_POS_ITERS);
    for (int i = 0; i < n; i++) {
        if (ok[i]) lunar_post(vst[i], obs[i], &reward[i], &terminated[i]);
        else lunar_no_world(obs[i], &reward[i], &terminated[i]);
    }
}

const dq_env_type dq_env_lunar_lander = {
    .id = "LunarLander-v3",
    .summary = "land on the pad (Box2D 2.4): 4 engines actions or continuous=true for Box(2)",
    .max_episode_steps = 1000,
    .reward_threshold = 200.0,
    .default_kwargs = NULL,
    .options = lunar_options,
    .render_fps = DQ_LUNAR_FPS,
    .state_size = sizeof(dq_lunar_state),
    .init = lunar_init,
    .free = lunar_free,
    .reset = lunar_reset,
    .step = lunar_step,
    .step_many = lunar_step_many,
};

int64_t dq_lunar_heuristic(const float *obs, double *caction) {
    double s[8];
    for (int i = 0; i < 8; i++) s[i] = (double)obs[i];
    double angle_targ = s[0] * 0.5 + s[2] * 1.0; /* point towards the centre */
    if (angle_targ > 0.4) angle_targ = 0.4;
    if (angle_targ < -0.4) angle_targ = -0.4;
    double hover_targ = 0.55 * fabs(s[0]);
    double angle_todo = (angle_targ - s[4]) * 0.5 - s[5] * 1.0;
    double hover_todo = (hover_targ - s[1]) * 0.5 - s[3] * 0.5;
    if (s[6] != 0.0 || s[7] != 0.0) { /* legs down: only slow the fall */
        angle_todo = 0;
        hover_todo = -s[3] * 0.5;
    }
    if (caction) {
        caction[0] = clip(hover_todo * 20 - 1, -1.0, 1.0);
        caction[1] = clip(-angle_todo * 20, -1.0, 1.0);
    }
    if (hover_todo > fabs(angle_todo) && hover_todo > 0.05) return 2;
    if (angle_todo < -0.05) return 3;
    if (angle_todo > +0.05) return 1;
    return 0;
}
