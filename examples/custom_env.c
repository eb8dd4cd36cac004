/* custom_env.c — how to add an environment of your own in C, in one file.
 *
 * "Corridor-v0": the agent stands on cell 0 of a corridor of `length` cells (option, default
 * 8) and moves left (action 0) or right (action 1); each step costs -1, reaching the last cell
 * gives +10 and ends the episode. With option slip=p a move goes the other way with
 * probability p, drawn from the env's random stream (so seeds and golden-style replays work).
 * The observation is Box(2): position / (length - 1) and the fraction of the time limit used.
 *
 * What you write: a state struct, init (read options, declare spaces), reset, step, optionally
 * get_state/set_state; then a dq_env_type table. dq_env_make_type() wraps it exactly as the
 * built-in envs are wrapped (time limit, truncation flag, episode statistics, seeding, action
 * checks), and dq_vecenv_create_type() batches it. To make it known to `deepq` by id, add the
 * table to src/env/registry.c instead.
 *
 * Build: part of the CMake build (each examples/NAME.c becomes build/examples/example_NAME; it also
 * runs under ctest). Run: ./build/examples/example_custom_env */
#include <stdio.h>

#include "deepq/env.h"
#include "deepq/vecenv.h"

typedef struct corridor {
    int64_t length;
    double slip;
    int64_t pos, t;
    int max_t;
} corridor;

static const char *const CORRIDOR_OPTIONS[] = {"length", "slip", NULL};

static void corridor_obs(const corridor *c, float *obs) {
    obs[0] = (float)((double)c->pos / (double)(c->length - 1));
    obs[1] = (float)((double)c->t / c->max_t);
}

/* Read and check options (a clear error naming the key), declare both spaces. */
static dq_status corridor_init(void *st, const dq_kwargs *kw, dq_space *obs_space,
                               dq_space *act_space, dq_error *err) {
    corridor *c = st;
    c->length = 8;
    c->slip = 0.0;
    c->max_t = 50; /* must agree with .max_episode_steps below, only used for the observation */
    dq_status s = dq_kwargs_int(kw, "length", &c->length, err);
    if (!s) s = dq_kwargs_double(kw, "slip", &c->slip, err);
    if (s) return s;
    if (c->length < 2 || c->length > 1000)
        return dq_fail(err, DQ_EINVAL, "option length=%lld: expected 2..1000",
                       (long long)c->length);
    if (!(c->slip >= 0.0 && c->slip <= 1.0))
        return dq_fail(err, DQ_EINVAL, "option slip=%g: expected a probability", c->slip);
    const double low[2] = {0.0, 0.0}, high[2] = {1.0, 1.0};
    dq_space_box(obs_space, 2, low, high, DQ_F32);
    dq_space_discrete(act_space, 2);
    return DQ_OK;
}

static void corridor_reset(void *st, dq_env_rand *rnd, float *obs) {
    corridor *c = st;
    c->pos = 0;
    c->t = 0;
    corridor_obs(c, obs);
}

/* The action is already checked to be 0 or 1. Draw randomness only from rnd. */
static void corridor_step(void *st, dq_env_rand *rnd, int64_t action, const double *caction,
                          float *obs, double *reward, bool *terminated) {
    corridor *c = st;
    int64_t dir = action == 1 ? 1 : -1;
    if (c->slip > 0.0 && dq_env_rand_uniform(rnd, 0.0, 1.0) < c->slip) dir = -dir;
    c->pos += dir;
    if (c->pos < 0) c->pos = 0;
    c->t++;
    *terminated = c->pos == c->length - 1;
    *reward = *terminated ? 10.0 : -1.0;
    corridor_obs(c, obs);
}

/* Optional: expose and set the internal state (golden replays and tests use these). */
static int corridor_get_state(const void *st, double *out, int cap) {
    if (cap > 0) out[0] = (double)((const corridor *)st)->pos;
    return 1;
}

static dq_status corridor_set_state(void *st, const double *s, int n, float *obs,
                                    dq_error *err) {
    corridor *c = st;
    if (n != 1 || !(s[0] >= 0 && s[0] < (double)c->length))
        return dq_fail(err, DQ_EINVAL, "Corridor-v0 state is one cell in 0..%lld",
                       (long long)c->length - 1);
    c->pos = (int64_t)s[0];
    corridor_obs(c, obs);
    return DQ_OK;
}

static const dq_env_type CORRIDOR = {
    .id = "Corridor-v0",
    .summary = "walk right along a corridor to its end (-1 per step, +10 at the end)",
    .max_episode_steps = 50,
    .reward_threshold = 3.0,
    .options = CORRIDOR_OPTIONS,
    .render_fps = 4,
    .state_size = sizeof(corridor),
    .init = corridor_init,
    .reset = corridor_reset,
    .step = corridor_step,
    .get_state = corridor_get_state,
    .set_state = corridor_set_state,
};

int main(void) {
    dq_env *env;
    dq_error err;
    if (dq_env_make_type(&CORRIDOR, "length=6,slip=0.2", &env, &err)) {
        fprintf(stderr, "custom_env: %s\n", err.msg);
        return 1;
    }
    /* A bad option is refused with a message naming it. */
    dq_env *bad;
    if (dq_env_make_type(&CORRIDOR, "lenght=6", &bad, &err) != DQ_EINVAL) return 1;
    printf("bad option -> %s\n", err.msg);

    float obs[2];
    int ok = 0;
    for (int ep = 0; ep < 5; ep++) {
        dq_env_reset(env, ep == 0 ? 42 : -1, obs); /* seed once, then continue the stream */
        dq_step st = {0};
        while (!st.terminated && !st.truncated)
            if (dq_env_step(env, 1, obs, &st, &err)) {
                fprintf(stderr, "custom_env: %s\n", err.msg);
                return 1;
            }
        printf("episode %d: return %.0f, length %lld, %s\n", ep, st.ep_return,
               (long long)st.ep_length, st.terminated ? "reached the end" : "time limit");
        ok += st.terminated && st.ep_return == 10.0 - (double)(st.ep_length - 1);
    }
    dq_env_free(env);

    /* The same type, 4 copies in one batch (env i seeded 0 + i, autoreset on episode end). */
    dq_vecenv_def def = dq_vecenv_def_default();
    def.n = 4;
    dq_vecenv *v;
    if (dq_vecenv_create_type(&CORRIDOR, "length=6", &def, &v, &err)) {
        fprintf(stderr, "custom_env: %s\n", err.msg);
        return 1;
    }
    dq_vecenv_reset(v, 0);
    const int64_t right[4] = {1, 1, 1, 1};
    int finished = 0;
    for (int t = 0; t < 10; t++) {
        if (dq_vecenv_step(v, right, NULL, &err)) return 1;
        for (int i = 0; i < v->n; i++) finished += v->terminated[i];
    }
    printf("batch of %d: %d episodes finished in 10 steps\n", v->n, finished);
    dq_vecenv_destroy(v);
    return ok == 5 && finished == 8 ? 0 : 1;
}
