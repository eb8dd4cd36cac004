/* test_env_core.c — the gym.make layer: options, seeding, truncation vs termination, action
 * checks, injection and state access, on CartPole-v1 and on a tiny custom env type. */
#include <string.h>

#include "deepq/env.h"
#include "test.h"

/* A 1-D corridor: action 1 moves right, 0 left; reaching cell 3 terminates with reward 1. */
typedef struct corridor { int pos, length; } corridor;
static const char *const CORRIDOR_OPTS[] = {"length", NULL};
static dq_status cor_init(void *st, const dq_kwargs *kw, dq_space *os, dq_space *as,
                          dq_error *err) {
    corridor *c = st;
    int64_t len = 4;
    dq_status s = dq_kwargs_int(kw, "length", &len, err);
    if (s) return s;
    if (len < 2) return dq_fail(err, DQ_EINVAL, "option length=%lld: need at least 2", (long long)len);
    c->length = (int)len;
    dq_space_discrete(os, len);
    dq_space_discrete(as, 2);
    return DQ_OK;
}
static void cor_reset(void *st, dq_env_rand *rnd, float *obs) {
    corridor *c = st;
    c->pos = 0;
    obs[0] = 0;
}
static void cor_step(void *st, dq_env_rand *rnd, int64_t a, const double *ca, float *obs,
                     double *r, bool *term) {
    corridor *c = st;
    c->pos += a ? 1 : (c->pos > 0 ? -1 : 0);
    *term = c->pos == c->length - 1;
    *r = *term ? 1.0 : 0.0;
    obs[0] = (float)c->pos;
}
static const dq_env_type CORRIDOR = {
    .id = "Corridor-v0", .summary = "test corridor", .max_episode_steps = 5,
    .reward_threshold = NAN, .options = CORRIDOR_OPTS, .state_size = sizeof(corridor),
    .init = cor_init, .reset = cor_reset, .step = cor_step,
};

static void test_kwargs(void) {
    dq_kwargs kw;
    dq_error err;
    CHECK_OK(dq_kwargs_parse(&kw, " a = 1 , b=true,desc=SFFF,FHFH,FFFH,HFFG, a=2", &err));
    CHECK(kw.n == 3);
    CHECK(!strcmp(dq_kwargs_get(&kw, "a"), "2"));
    CHECK(!strcmp(dq_kwargs_get(&kw, "desc"), "SFFF,FHFH,FFFH,HFFG"));
    bool b = false;
    CHECK_OK(dq_kwargs_bool(&kw, "b", &b, &err));
    CHECK(b);
    int64_t i = 0;
    CHECK_OK(dq_kwargs_int(&kw, "a", &i, &err));
    CHECK(i == 2);
    double d = 7;
    CHECK_OK(dq_kwargs_double(&kw, "missing", &d, &err));
    CHECK(d == 7);
    CHECK(dq_kwargs_bool(&kw, "desc", &b, &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "desc") != NULL);
    CHECK(dq_kwargs_parse(&kw, "novalue", &err) == DQ_EINVAL);
    CHECK(dq_kwargs_parse(&kw, "9x=1", &err) == DQ_EINVAL);
    CHECK_OK(dq_kwargs_parse(&kw, NULL, &err));
    CHECK(kw.n == 0);
}

static void test_make_errors(void) {
    dq_env *env = NULL;
    dq_error err;
    CHECK(dq_env_make("NoSuchEnv-v0", NULL, &env, &err) == DQ_ENOTFOUND);
    CHECK(env == NULL && strstr(err.msg, "NoSuchEnv-v0") && strstr(err.msg, "CartPole-v1"));
    CHECK(dq_env_make("CartPole-v1", "gravity=3", &env, &err) == DQ_EINVAL);
    CHECK(env == NULL && strstr(err.msg, "gravity"));
    CHECK(dq_env_make("CartPole-v1", "sutton_barto_reward=maybe", &env, &err) == DQ_EINVAL);
    CHECK(dq_env_make("CartPole-v1", "max_episode_steps=-1", &env, &err) == DQ_EINVAL);
    CHECK(dq_env_make_type(&CORRIDOR, "length=1", &env, &err) == DQ_EINVAL);
    CHECK(env == NULL);
    dq_env_free(NULL);
}

static void test_cartpole_api(void) {
    dq_env *env = NULL;
    dq_error err;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    if (!env) return;
    CHECK(env->obs_space.kind == DQ_SPACE_BOX && env->obs_space.size == 4);
    CHECK(env->act_space.kind == DQ_SPACE_DISCRETE && env->act_space.n == 2);
    CHECK(env->max_episode_steps == 500);
    float obs[4], obs2[4];
    dq_step st;
    CHECK(dq_env_step(env, 0, obs, &st, &err) == DQ_EINVAL); /* no reset yet */
    dq_env_reset(env, 42, obs);
    for (int i = 0; i < 4; i++) CHECK(obs[i] >= -0.05f && obs[i] < 0.05f);
    CHECK(dq_env_step(env, 2, obs, &st, &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "out of range") != NULL);
    CHECK(dq_env_step(env, -1, obs, &st, &err) == DQ_EINVAL);
    double ca = 0.5;
    CHECK(dq_env_step_cont(env, &ca, obs, &st, &err) == DQ_EINVAL);
    /* Seeding: the same seed gives the same reset; no seed continues the stream. */
    dq_env_reset(env, 7, obs);
    dq_env_reset(env, -1, obs2);
    CHECK(memcmp(obs, obs2, sizeof obs) != 0);
    dq_env_reset(env, 7, obs2);
    CHECK(memcmp(obs, obs2, sizeof obs) == 0);
    /* Pushing right forever terminates (pole falls) well before the time limit. */
    int n = 0;
    do CHECK_OK(dq_env_step(env, 1, obs, &st, &err));
    while (!st.terminated && ++n < 600);
    CHECK(st.terminated && !st.truncated);
    CHECK(st.ep_length == n + 1 && st.ep_return == (double)(n + 1));
    CHECK(dq_env_step(env, 1, obs, &st, &err) == DQ_EINVAL); /* must reset */
    /* State access and injection. */
    const double s0[4] = {0.01, -0.02, 0.03, -0.04};
    dq_env_reset(env, 1, obs);
    CHECK_OK(dq_env_set_state(env, s0, 4, obs, &err));
    CHECK(obs[2] == (float)0.03);
    double got[4];
    CHECK(dq_env_get_state(env, got, 4) == 4 && got[3] == -0.04);
    CHECK(dq_env_set_state(env, s0, 3, obs, &err) == DQ_EINVAL);
    const double draws[4] = {0.01, 0.02, 0.03, 0.04};
    dq_env_inject(env, draws, 4);
    dq_env_reset(env, -1, obs);
    CHECK(obs[0] == 0.01f && obs[3] == 0.04f);
    CHECK(dq_env_model(env) == NULL);
    dq_env_free(env);
    /* TimeLimit override and truncation. */
    CHECK_OK(dq_env_make("CartPole-v1", "max_episode_steps=3", &env, &err));
    if (!env) return;
    dq_env_reset(env, 0, obs);
    for (int i = 0; i < 3; i++) CHECK_OK(dq_env_step(env, i & 1, obs, &st, &err));
    CHECK(st.truncated && !st.terminated && st.ep_length == 3 && st.ep_return == 3.0);
    dq_env_free(env);
}

static void test_custom_type(void) {
    dq_env *env = NULL;
    dq_error err;
    CHECK_OK(dq_env_make_type(&CORRIDOR, "length=3", &env, &err));
    if (!env) return;
    CHECK(dq_env_find("Corridor-v0") == NULL);
    float obs[1];
    dq_step st;
    dq_env_reset(env, 0, obs);
    CHECK_OK(dq_env_step(env, 1, obs, &st, &err));
    CHECK_OK(dq_env_step(env, 1, obs, &st, &err));
    CHECK(st.terminated && st.reward == 1.0 && obs[0] == 2.0f);
    dq_env_reset(env, -1, obs);
    for (int i = 0; i < 5; i++) CHECK_OK(dq_env_step(env, 0, obs, &st, &err));
    CHECK(st.truncated && !st.terminated && st.ep_return == 0.0);
    CHECK(dq_env_get_state(env, NULL, 0) == -1);
    CHECK(dq_env_set_state(env, NULL, 0, obs, &err) == DQ_EUNSUPPORTED);
    dq_env_free(env);
}

static void test_frozen_lake(void) {
    dq_env *env = NULL;
    dq_error err;
    CHECK_OK(dq_env_make("FrozenLake8x8-v1", NULL, &env, &err));
    if (env) CHECK(env->obs_space.n == 64 && env->max_episode_steps == 200);
    dq_env_free(env);
    CHECK(dq_env_make("FrozenLake-v1", "map_name=5x5", &env, &err) == DQ_EINVAL);
    CHECK(dq_env_make("FrozenLake-v1", "desc=SFX,FFG", &env, &err) == DQ_EINVAL);
    CHECK_OK(dq_env_make("FrozenLake-v1", "desc=SFF,FHF,FFG,is_slippery=false", &env, &err));
    if (!env) return;
    const dq_tabular_model *m = dq_env_model(env);
    CHECK(m && m->n_states == 9 && m->n_actions == 4);
    float obs[1];
    dq_step st;
    dq_env_reset(env, 3, obs);
    CHECK(obs[0] == 0.0f);
    const int path[4] = {2, 2, 1, 1}; /* right, right, down, down */
    for (int i = 0; i < 4; i++) CHECK_OK(dq_env_step(env, path[i], obs, &st, &err));
    CHECK(st.terminated && st.reward == 1.0 && obs[0] == 8.0f);
    dq_env_free(env);
}

int main(void) {
    test_frozen_lake();
    test_kwargs();
    test_make_errors();
    test_cartpole_api();
    test_custom_type();
    TEST_MAIN_END();
}
