/* test_env_lunar.c — LunarLander-v3: options and spaces, bad input, determinism (same seed =>
 * same trajectory bits), the built-in heuristic landing, and the first steps of the Gymnasium
 * golden recordings (recorded draws injected) up to the first ground contact. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/env.h"
#include "deepq/lunar.h"
#include "deepq/rng.h"
#include "env/lunar.h"
#include "test.h"

/* Golden steps are compared up to the first ground contact of the recording (issue 7's
 * target: every observation component within 1e-3). With the 2.3-style leg joints of
 * lunar_box2d.cpp the measured worst error there is ~4e-5 (float32 rounding of Box2D 2.4's
 * other code paths); Box2D 2.4's own joint would exceed 1e-3 from step ~23. */
#define GOLDEN_TOL 1e-3
#define REWARD_TOL 1e-2 /* shaping is 100 x obs differences */

static void test_options(void) {
    dq_error err;
    dq_env *env = NULL;
    CHECK_OK(dq_env_make("LunarLander-v3", NULL, &env, &err));
    CHECK(env && env->obs_space.size == 8 && env->act_space.kind == DQ_SPACE_DISCRETE &&
          env->act_space.n == 4 && env->max_episode_steps == 1000);
    CHECK(env && env->type->reward_threshold == 200.0);
    dq_env_free(env);
    env = NULL;
    CHECK_OK(dq_env_make("LunarLander-v3", "continuous=true,gravity=-5,enable_wind=true", &env,
                         &err));
    CHECK(env && env->act_space.kind == DQ_SPACE_BOX && env->act_space.size == 2);
    dq_env_free(env);
    env = NULL;
    CHECK(dq_env_make("LunarLander-v3", "gravity=0", &env, &err) == DQ_EINVAL && !env);
    CHECK(strstr(err.msg, "gravity") != NULL);
    CHECK(dq_env_make("LunarLander-v3", "gravity=-12.5", &env, &err) == DQ_EINVAL);
    CHECK(dq_env_make("LunarLander-v3", "wind_power=inf", &env, &err) != DQ_OK);
    CHECK(dq_env_make("LunarLander-v3", "continuous=maybe", &env, &err) == DQ_EINVAL);
    CHECK(dq_env_make("LunarLander-v3", "wings=2", &env, &err) != DQ_OK);

    CHECK_OK(dq_env_make("LunarLander-v3", NULL, &env, &err));
    float obs[8];
    dq_step st;
    dq_env_reset(env, 1, obs);
    CHECK(dq_env_step(env, 4, obs, &st, &err) == DQ_EINVAL);
    CHECK(dq_env_step(env, -1, obs, &st, &err) == DQ_EINVAL);
    CHECK_OK(dq_env_step(env, 2, obs, &st, &err));
    dq_env_free(env);
}

/* Run one episode with the heuristic (or a fixed action cycle); return the return and hash. */
static double run_episode(const char *kwargs, int64_t seed, bool heuristic, uint64_t *hash,
                          int64_t *len) {
    dq_error err;
    dq_env *env = NULL;
    if (dq_env_make("LunarLander-v3", kwargs, &env, &err)) return NAN;
    bool cont = env->act_space.kind == DQ_SPACE_BOX;
    float obs[8];
    dq_env_reset(env, seed, obs);
    uint64_t h = 1469598103934665603ull;
    double ret = 0;
    dq_step st = {0};
    for (int64_t t = 0;; t++) {
        double ca[2];
        int64_t a = heuristic ? dq_lunar_heuristic(obs, ca) : t % 4;
        if (!heuristic) ca[0] = 0.3 * (double)(t % 7) - 1.0, ca[1] = 0.25 * (double)(t % 9) - 1.0;
        dq_status s = cont ? dq_env_step_cont(env, ca, obs, &st, &err)
                           : dq_env_step(env, a, obs, &st, &err);
        if (s) break;
        ret += st.reward;
        unsigned char b[8 * sizeof(float) + sizeof(double)];
        memcpy(b, obs, 8 * sizeof(float));
        memcpy(b + 8 * sizeof(float), &st.reward, sizeof(double));
        for (size_t i = 0; i < sizeof b; i++) h = (h ^ b[i]) * 1099511628211ull;
        if (st.terminated || st.truncated) break;
    }
    *hash = h;
    *len = st.ep_length;
    dq_env_free(env);
    return ret;
}

static void test_determinism_and_heuristic(void) {
    const char *variants[] = {NULL, "enable_wind=true", "continuous=true"};
    for (int v = 0; v < 3; v++) {
        uint64_t h1, h2, h3;
        int64_t l1, l2, l3;
        double r1 = run_episode(variants[v], 7, false, &h1, &l1);
        double r2 = run_episode(variants[v], 7, false, &h2, &l2);
        run_episode(variants[v], 8, false, &h3, &l3);
        CHECK(h1 == h2 && l1 == l2 && r1 == r2);
        CHECK(h1 != h3);
    }
    /* The heuristic lands: positive return on every one of these seeds (no wind). */
    for (int v = 0; v < 3; v += 2)
        for (int64_t seed = 0; seed < 4; seed++) {
            uint64_t h;
            int64_t len;
            double r = run_episode(variants[v], seed, true, &h, &len);
            CHECK_MSG(r > 100.0, "%s seed %lld: heuristic return %g", variants[v] ? variants[v] : "",
                      (long long)seed, r);
        }
}

/* Read one line of at most a few MB. */
static char *read_line(FILE *f) {
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    int c;
    while (buf && (c = fgetc(f)) != EOF && c != '\n') {
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) free(buf);
            buf = nb;
        }
        if (buf) buf[n++] = (char)c;
    }
    if (!buf || (n == 0 && c == EOF)) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static int load_doubles(const cJSON *arr, double *out, int cap) {
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) if (n < cap) out[n++] = it->valuedouble;
    return n;
}

static void test_golden(const char *file) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", DQ_GOLDEN_DIR, file);
    FILE *f = fopen(path, "r");
    CHECK_MSG(f != NULL, "cannot open %s", path);
    if (!f) return;
    char *line;
    int episodes = 0;
    double worst = 0;
    while ((line = read_line(f))) {
        cJSON *j = cJSON_Parse(line);
        free(line);
        CHECK(j != NULL);
        if (!j) break;
        char kw[256] = "";
        const cJSON *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "kwargs")) {
            size_t l = strlen(kw);
            snprintf(kw + l, sizeof kw - l, "%s%s=%s", l ? "," : "", it->string,
                     cJSON_IsTrue(it) ? "true" : cJSON_IsFalse(it) ? "false" : "?");
        }
        dq_error err;
        dq_env *env = NULL;
        CHECK_OK(dq_env_make("LunarLander-v3", kw, &env, &err));
        if (!env) {
            cJSON_Delete(j);
            break;
        }
        double draws[32], ref[8];
        float obs[8];
        int nd = load_doubles(cJSON_GetObjectItem(j, "reset_draws"), draws, 32);
        dq_env_inject(env, draws, nd);
        dq_env_reset(env, -1, obs);
        CHECK(env->rand.inject == NULL); /* every recorded draw consumed */
        load_doubles(cJSON_GetObjectItem(j, "init_obs"), ref, 8);
        for (int k = 0; k < 8; k++) worst = fmax(worst, fabs(obs[k] - ref[k]));
        const cJSON *steps = cJSON_GetObjectItem(j, "steps");
        cJSON_ArrayForEach(it, steps) {
            const cJSON *a = cJSON_GetObjectItem(it, "a");
            double ca[2];
            nd = load_doubles(cJSON_GetObjectItem(it, "draws"), draws, 32);
            dq_env_inject(env, draws, nd);
            dq_step st;
            if (cJSON_IsArray(a)) {
                load_doubles(a, ca, 2);
                CHECK_OK(dq_env_step_cont(env, ca, obs, &st, &err));
            } else {
                CHECK_OK(dq_env_step(env, (int64_t)a->valuedouble, obs, &st, &err));
            }
            load_doubles(cJSON_GetObjectItem(it, "obs"), ref, 8);
            if (ref[6] != 0.0 || ref[7] != 0.0) break; /* first ground contact */
            for (int k = 0; k < 8; k++) worst = fmax(worst, fabs(obs[k] - ref[k]));
            CHECK(st.terminated == cJSON_IsTrue(cJSON_GetObjectItem(it, "term")));
            CHECK_NEAR(st.reward, cJSON_GetObjectItem(it, "r")->valuedouble, REWARD_TOL);
            if (st.terminated) break;
        }
        dq_env_free(env);
        cJSON_Delete(j);
        episodes++;
    }
    fclose(f);
    CHECK(episodes >= 10);
    CHECK_MSG(worst <= GOLDEN_TOL, "%s: max |obs error| %g before ground contact", file, worst);
}

/* dq_env_step_many: every env is checked before any steps; then the run's step equals single
 * steps (test_vecenv compares whole batches). */
static void test_step_many(void) {
    enum { M = 11 };
    dq_env *e[M], *solo[M];
    dq_error err;
    float o[M][8], so[8];
    float *obs[M];
    for (int k = 0; k < M; k++) {
        CHECK_OK(dq_env_make("LunarLander-v3", NULL, &e[k], &err));
        CHECK_OK(dq_env_make("LunarLander-v3", NULL, &solo[k], &err));
        dq_env_reset(e[k], 3 + k, o[k]);
        dq_env_reset(solo[k], 3 + k, so);
        obs[k] = o[k];
    }
    dq_step st[M], one;
    int64_t a[M] = {0};
    a[M - 1] = 4;
    CHECK(dq_env_step_many(M, e, a, NULL, obs, st, &err) == DQ_EINVAL &&
          strstr(err.msg, "action 4 out of range"));
    CHECK(e[0]->elapsed == 0 && e[M - 2]->elapsed == 0);
    const double *cact[M] = {NULL};
    CHECK(dq_env_step_many(M, e, NULL, cact, obs, st, &err) == DQ_EINVAL &&
          strstr(err.msg, "Discrete action space"));
    a[M - 1] = 0;
    dq_env *twice[3] = {e[0], e[1], e[0]};
    CHECK(dq_env_step_many(3, twice, a, NULL, obs, st, &err) == DQ_EINVAL &&
          strstr(err.msg, "envs 0 and 2 are the same env"));
    CHECK(e[0]->elapsed == 0 && e[1]->elapsed == 0);
    int ended = 0;
    for (int t = 0; t < 200 && !ended; t++) {
        for (int k = 0; k < M; k++) a[k] = (t + k) % 4;
        CHECK_OK(dq_env_step_many(M, e, a, NULL, obs, st, &err));
        for (int k = 0; k < M; k++) {
            CHECK_OK(dq_env_step(solo[k], a[k], so, &one, &err));
            CHECK(memcmp(so, o[k], sizeof so) == 0 && one.reward == st[k].reward &&
                  one.terminated == st[k].terminated);
            ended += st[k].terminated;
        }
    }
    CHECK(ended > 0); /* the steps went on to ground contacts */
    for (int k = 0; k < M; k++) dq_env_free(e[k]), dq_env_free(solo[k]);
}

/* dq_lunar_b2_step_many with 1, 2, 3, 4, 8 and the CPU's lanes: every body of 9 worlds, every
 * step, the same floats as dq_lunar_b2_step (both solve_group widths, and the lone world). */
static bool same_body(const dq_lunar_body *a, const dq_lunar_body *b) {
    return a->x == b->x && a->y == b->y && a->angle == b->angle && a->vx == b->vx &&
           a->vy == b->vy && a->omega == b->omega && a->awake == b->awake;
}

static void test_step_many_lanes(void) {
    enum { W = 9, T = 150 };
    const int lanes[] = {1, 2, 3, 4, 8, 0};
    for (size_t l = 0; l < sizeof lanes / sizeof lanes[0]; l++) {
        dq_lunar_b2 *solo[W], *many[W];
        dq_rng rng;
        dq_rng_seed(&rng, 5);
        for (int k = 0; k < W; k++) {
            double x[DQ_LUNAR_CHUNKS], y[DQ_LUNAR_CHUNKS];
            for (int i = 0; i < DQ_LUNAR_CHUNKS; i++)
                x[i] = 20.0 / (DQ_LUNAR_CHUNKS - 1) * i, y[i] = dq_rng_range(&rng, 0.5, 4.5);
            solo[k] = dq_lunar_b2_create(-10.0, x, y, DQ_LUNAR_CHUNKS);
            many[k] = dq_lunar_b2_create(-10.0, x, y, DQ_LUNAR_CHUNKS);
            const double fx = dq_rng_range(&rng, -1000, 1000), fy = dq_rng_range(&rng, -1000, 1000);
            dq_lunar_b2_force_center(solo[k], fx, fy);
            dq_lunar_b2_force_center(many[k], fx, fy);
        }
        int bad = 0, contact = 0;
        for (int t = 0; t < T; t++) {
            for (int k = 0; k < W; k++) {
                const double ix = dq_rng_range(&rng, -0.6, 0.6), iy = dq_rng_range(&rng, 0, 1.2);
                dq_lunar_b2_impulse(solo[k], ix, iy, 10.0, 13.4);
                dq_lunar_b2_impulse(many[k], ix, iy, 10.0, 13.4);
                dq_lunar_b2_step(solo[k], 1.0 / DQ_LUNAR_FPS, DQ_LUNAR_VEL_ITERS,
                                 DQ_LUNAR_POS_ITERS);
            }
            dq_lunar_b2_step_many(many, W, lanes[l], 1.0 / DQ_LUNAR_FPS, DQ_LUNAR_VEL_ITERS,
                                  DQ_LUNAR_POS_ITERS);
            for (int k = 0; k < W; k++) {
                for (int b = 0; b < 3; b++) {
                    dq_lunar_body p, q;
                    dq_lunar_b2_body(solo[k], b, &p);
                    dq_lunar_b2_body(many[k], b, &q);
                    bad += !same_body(&p, &q);
                }
                contact += dq_lunar_b2_leg_contact(solo[k], 0) || dq_lunar_b2_game_over(solo[k]);
                bad += dq_lunar_b2_leg_contact(solo[k], 1) != dq_lunar_b2_leg_contact(many[k], 1);
            }
        }
        CHECK_MSG(bad == 0, "lanes %d: %d bodies differ", lanes[l], bad);
        CHECK(contact > 0); /* the worlds reached the ground: the contact path ran too */
        for (int k = 0; k < W; k++) dq_lunar_b2_destroy(solo[k]), dq_lunar_b2_destroy(many[k]);
    }
}

int main(void) {
    test_options();
    test_step_many();
    test_step_many_lanes();
    test_determinism_and_heuristic();
    test_golden("LunarLander-v3.jsonl");
    test_golden("LunarLander-v3-wind.jsonl");
    test_golden("LunarLander-v3-continuous.jsonl");
    TEST_MAIN_END();
}
