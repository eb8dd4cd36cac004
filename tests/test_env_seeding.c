/* test_env_seeding.c — reset(seed) is Gymnasium's: for every built-in env (and option variant)
 * and seeds 0..99, the observation of reset(seed=s), of the reset() after it (the stream goes
 * on) and three action_space.sample() after action_space.seed(s) equal Gymnasium 1.0.0's
 * (tests/fixtures/reset_ref.txt from tests/ref/make_reset_ref.py): exact, except LunarLander's
 * first observation, which comes from Box2D 2.4 here and 2.3 there (1e-5; the draws themselves
 * are exact: a wrong terrain or push moves it by far more). Also: DQ_SEEDING_XOSHIRO gives the
 * streams training runs used before, and a bad space cannot be sampled. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/env.h"
#include "test.h"

enum { MAXV = 3 * DQ_SPACE_MAX };

typedef struct cached {
    char key[192];
    dq_env *env;
} cached;

static dq_env *env_for(cached *c, int *n, const char *id, const char *kw) {
    char key[192];
    snprintf(key, sizeof key, "%s|%s", id, kw);
    for (int i = 0; i < *n; i++)
        if (!strcmp(c[i].key, key)) return c[i].env;
    dq_env *env = NULL;
    dq_error err;
    dq_status s = dq_env_make(id, strcmp(kw, "-") ? kw : NULL, &env, &err);
    CHECK_MSG(s == DQ_OK, "%s %s: %s", id, kw, err.msg);
    if (s || *n >= 32) {
        dq_env_free(env);
        return NULL;
    }
    snprintf(c[*n].key, sizeof c[*n].key, "%s", key);
    c[(*n)++].env = env;
    return env;
}

static void fixtures(void) {
    const char *path = DQ_FIXTURE_DIR "/reset_ref.txt";
    FILE *f = fopen(path, "r");
    CHECK_MSG(f != NULL, "cannot open %s", path);
    if (!f) return;
    cached envs[32];
    int n_envs = 0, n_reset = 0, n_next = 0, n_action = 0, bad = 0;
    char kind[16], id[64], kw[128];
    long long seed;
    int n;
    while (fscanf(f, "%15s %63s %127s %lld %d", kind, id, kw, &seed, &n) == 5) {
        int total = !strcmp(kind, "action") ? 3 * n : n;
        double v[MAXV];
        for (int i = 0; i < total && i < MAXV; i++) {
            if (fscanf(f, "%lf", &v[i]) != 1) total = -1;
            v[i] = (double)(float)v[i]; /* float32 values written with 9 digits */
        }
        CHECK_MSG(total > 0 && total <= MAXV, "bad fixture line %s %s %lld", kind, id, seed);
        if (total <= 0 || total > MAXV) break;
        dq_env *env = env_for(envs, &n_envs, id, kw);
        if (!env) continue;
        float obs[DQ_SPACE_MAX];
        double tol = strncmp(id, "LunarLander", 11) ? 0.0 : 1e-5;
        if (!strcmp(kind, "action")) {
            dq_env_action_seed(env, (uint64_t)seed);
            dq_error err;
            for (int k = 0; k < 3; k++) {
                int64_t a = -1;
                double ca[DQ_SPACE_MAX];
                CHECK_OK(dq_env_action_sample(env, &a, ca, &err));
                for (int i = 0; i < n; i++) {
                    double got = env->act_space.kind == DQ_SPACE_DISCRETE ? (double)a : ca[i];
                    if (got != v[k * n + i]) {
                        if (bad++ < 10)
                            fprintf(stderr, "%s %s seed %lld sample %d[%d]: %.9g, Gymnasium %.9g\n",
                                    id, kw, seed, k, i, got, v[k * n + i]);
                    }
                }
            }
            n_action++;
            continue;
        }
        bool first = !strcmp(kind, "reset");
        CHECK_MSG(n == env->obs_space.size, "%s: %d values, env has %d", id, n, env->obs_space.size);
        dq_env_reset(env, first ? seed : -1, obs);
        for (int i = 0; i < n && i < env->obs_space.size; i++) {
            double e = fabs((double)obs[i] - v[i]);
            if (!(e <= tol)) {
                if (bad++ < 10)
                    fprintf(stderr, "%s %s %s seed %lld obs[%d]: %.9g, Gymnasium %.9g\n", kind, id,
                            kw, seed, i, (double)obs[i], v[i]);
            }
        }
        if (first) n_reset++;
        else n_next++;
    }
    fclose(f);
    CHECK_MSG(bad == 0, "%d values differ from Gymnasium's", bad);
    /* 14 env variants: 13 with seeds 0..99, FlappyBird's LIDAR with 0..9 */
    CHECK_MSG(n_reset == 1310 && n_next == 1310 && n_action == 1310, "%d/%d/%d lines", n_reset,
              n_next, n_action);
    for (int i = 0; i < n_envs; i++) dq_env_free(envs[i].env);
}

/* DQ_SEEDING_XOSHIRO: reset(seed) draws from xoshiro256** seeded with the seed, as every
 * training run did before Gymnasium's seeding existed (CartPole: 4 uniforms in +-0.05). */
static void xoshiro_seeding(void) {
    dq_env *env;
    dq_error err;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    dq_env_set_seeding(env, DQ_SEEDING_XOSHIRO);
    float obs[4];
    dq_env_reset(env, 0, obs);
    dq_rng r;
    dq_rng_seed(&r, 0);
    for (int i = 0; i < 4; i++) CHECK(obs[i] == (float)dq_rng_range(&r, -0.05, 0.05));
    /* and back: NumPy's, the same first state as reset(seed=0) in Gymnasium */
    dq_env_set_seeding(env, DQ_SEEDING_NUMPY);
    dq_env_reset(env, 0, obs);
    dq_np_random g;
    dq_np_random_seed(&g, 0);
    for (int i = 0; i < 4; i++) CHECK(obs[i] == (float)dq_np_random_uniform(&g, -0.05, 0.05));
    dq_env_free(env);
}

/* The options math and numpy: checked values, the flavour they resolve to, refused elsewhere. */
static void flavour_options(void) {
    dq_env *env = NULL;
    dq_error err;
    CHECK(dq_env_make("CartPole-v1", "math=fast", &env, &err) == DQ_EINVAL && !env);
    CHECK(strstr(err.msg, "math=fast") && strstr(err.msg, "numpy, svml or libm"));
    CHECK(dq_env_make("Pendulum-v1", "numpy=1", &env, &err) == DQ_EINVAL && !env);
    CHECK(dq_env_make("Acrobot-v1", "numpy=two", &env, &err) == DQ_EINVAL && !env);
    CHECK(dq_env_make("MountainCar-v0", "math=svml", &env, &err) == DQ_EINVAL && !env);
    char text[256];
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    dq_env_flavour(env, text, sizeof text);
    CHECK_MSG(!strncmp(text, "libm sin/cos (math=numpy, numpy=2", 33), "%s", text);
    CHECK(strstr(text, "NumPy 2 promotion") != NULL);
    dq_env_free(env);
    CHECK_OK(dq_env_make("Acrobot-v1", "numpy=1.24.4,math=svml", &env, &err));
    dq_env_flavour(env, text, sizeof text);
    CHECK_MSG(!strncmp(text, "SVML sin/cos (math=svml, numpy=1.24.4)", 38), "%s", text);
    CHECK(strstr(text, "NumPy 1 promotion") != NULL);
    dq_env_free(env);
    CHECK_OK(dq_env_make("MountainCar-v0", NULL, &env, &err));
    dq_env_flavour(env, text, sizeof text);
    CHECK(text[0] == '\0');
    dq_env_free(env);
}

int main(void) {
    flavour_options();
    fixtures();
    xoshiro_seeding();
    TEST_MAIN_END();
}
