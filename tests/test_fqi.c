/* test_fqi.c — Fitted Q Iteration and data sets: action encoding, the Bellman targets (a
 * truncated transition bootstraps, a terminated one does not), reuse of the kNN neighbour search
 * equal to refitting, collection bookkeeping and argument errors; Box actions: data sets
 * (save/load, collection inside the bounds), targets through the sampled max, the greedy
 * sampled argmax, online rounds, and FQI on random Pendulum data beating the random policy. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deepq/fqi.h"
#include "test.h"

static void test_encode(void) {
    float obs[2] = {0.5f, -1.0f};
    double x[5];
    CHECK(dq_fqi_action_features(2) == 1 && dq_fqi_action_features(4) == 4);
    dq_fqi_encode(x, obs, 2, 1, 2);
    CHECK(x[0] == 0.5 && x[1] == -1.0 && x[2] == 1.0);
    dq_fqi_encode(x, obs, 2, 2, 3);
    CHECK(x[2] == 0.0 && x[3] == 0.0 && x[4] == 1.0);
}

/* One state looping on itself with reward 1: Q_i = sum_{j<=i} gamma^j unless terminated. */
static void test_targets(void) {
    dq_error err;
    for (int terminal = 0; terminal < 2; terminal++) {
        dq_dataset ds;
        CHECK_OK(dq_dataset_init(&ds, 1, 4, &err));
        float s = 0.25f;
        for (int a = 0; a < 2; a++)
            CHECK_OK(dq_dataset_push(&ds, &s, a, 1.0, &s, terminal, !terminal, &err));
        dq_fqi_def def = dq_fqi_def_default();
        def.reg.k = 1;
        def.iterations = 3;
        def.gamma = 0.5;
        for (int reuse = 0; reuse < 2; reuse++) {
            def.knn_reuse = reuse;
            dq_fqi_q q;
            CHECK_OK(dq_fqi_run(&def, &ds, 2, NULL, NULL, NULL, &q, NULL, &err));
            double qv[2];
            CHECK_OK(dq_fqi_q_values(&q, &s, qv, &err));
            double want = terminal ? 1.0 : 1.875;
            CHECK_NEAR(qv[0], want, 1e-12);
            CHECK_NEAR(qv[1], want, 1e-12);
            dq_fqi_q_free(&q);
        }
        dq_dataset_free(&ds);
    }
}

static void test_reuse_equals_refit(void) {
    dq_error err;
    dq_env *env = NULL;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    if (!env) return;
    dq_dataset ds;
    dq_rng rng;
    dq_rng_seed(&rng, 3);
    CHECK_OK(dq_dataset_init(&ds, 4, 0, &err));
    CHECK_OK(dq_dataset_collect(&ds, env, 3000, NULL, NULL, 1.0, 7, &rng, &err));
    CHECK(ds.n == 3000);
    /* bookkeeping: a row that did not end an episode is followed by its next observation */
    int64_t ends = 0, bad = 0;
    for (int64_t i = 0; i + 1 < ds.n; i++) {
        if (ds.terminateds[i] || ds.truncateds[i]) ends++;
        else if (memcmp(ds.next_obs + i * 4, ds.obs + (i + 1) * 4, 4 * sizeof(float))) bad++;
    }
    CHECK(ends > 50 && bad == 0);
    float probe[8];
    memcpy(probe, ds.obs + 100 * 4, sizeof(float) * 4);
    memcpy(probe + 4, ds.next_obs + 2000 * 4, sizeof(float) * 4);
    for (int w = 0; w < 2; w++) {
        double qa[2][4];
        for (int reuse = 0; reuse < 2; reuse++) {
            dq_fqi_def def = dq_fqi_def_default();
            def.reg.k = 10;
            def.reg.distance_weights = w;
            def.iterations = 4;
            def.knn_reuse = reuse;
            dq_fqi_q q;
            CHECK_OK(dq_fqi_run(&def, &ds, 2, NULL, NULL, NULL, &q, NULL, &err));
            CHECK_OK(dq_fqi_q_values(&q, probe, qa[reuse], &err));
            CHECK_OK(dq_fqi_q_values(&q, probe + 4, qa[reuse] + 2, &err));
            /* Q grows from 1 toward the return: after 4 iterations it is between 1 and 5 */
            CHECK(qa[reuse][0] >= 1.0 && qa[reuse][0] <= 5.0);
            dq_fqi_q_free(&q);
        }
        CHECK(memcmp(qa[0], qa[1], sizeof qa[0]) == 0);
    }
    /* every regressor kind runs through FQI */
    for (int kind = 0; kind < DQ_REG_COUNT; kind++) {
        dq_fqi_def def = dq_fqi_def_default();
        def.reg = dq_regressor_def_default((dq_regressor_kind)kind);
        def.reg.n_estimators = 5;
        def.reg.min_samples_leaf = 5;
        def.iterations = 2;
        dq_fqi_q q;
        CHECK_OK(dq_fqi_run(&def, &ds, 2, NULL, NULL, NULL, &q, NULL, &err));
        CHECK(dq_fqi_greedy(&q, probe) >= 0);
        dq_fqi_q_free(&q);
    }
    /* bad actions are refused */
    ds.actions[5] = 3;
    dq_fqi_q q;
    dq_fqi_def def = dq_fqi_def_default();
    CHECK(dq_fqi_run(&def, &ds, 2, NULL, NULL, NULL, &q, NULL, &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "transition 5") != NULL);
    dq_dataset_free(&ds);
    dq_dataset_free(&ds); /* idempotent */
    dq_env_free(env);
}

static void test_eval_and_online(void) {
    dq_error err;
    dq_env *env = NULL, *ev = NULL;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &ev, &err));
    if (!env || !ev) return;
    dq_online_def od = dq_online_def_default();
    od.initial_steps = 1000;
    od.steps_per_round = 500;
    od.rounds = 2;
    od.fqi.iterations = 2;
    od.fqi.reg.k = 5;
    od.fqi.eval_episodes = 3;
    dq_dataset ds;
    dq_fqi_q q;
    dq_policy_stats st;
    CHECK_OK(dq_fqi_online(&od, env, ev, NULL, NULL, &ds, &q, &st, &err));
    CHECK(ds.n == 2000);
    CHECK(st.episodes == 3 && st.min >= 1 && st.max <= 500 && st.min <= st.mean &&
          st.mean <= st.max);
    dq_fqi_q_free(&q);
    dq_dataset_free(&ds);
    dq_env_free(env);
    dq_env_free(ev);
}

static void test_box_dataset(void) {
    dq_error err;
    dq_dataset ds;
    CHECK_OK(dq_dataset_init_box(&ds, 2, 2, 1, &err));
    CHECK(ds.act_dim == 2 && ds.box_actions && !ds.actions);
    for (int i = 0; i < 3; i++) {
        float o[2] = {(float)i, -(float)i}, a[2] = {0.25f * (float)i, -0.5f}, no[2] = {1, 2};
        CHECK_OK(dq_dataset_push_box(&ds, o, a, (double)i, no, i == 2, false, &err));
    }
    float o[2] = {0, 0};
    CHECK(dq_dataset_push(&ds, o, 1, 0.0, o, false, false, &err) == DQ_EINVAL);
    char path[] = "/tmp/dq_test_fqi_box_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) close(fd);
    CHECK_OK(dq_dataset_save(&ds, path, &err));
    dq_dataset back;
    CHECK_OK(dq_dataset_load(&back, path, &err));
    CHECK(back.n == 3 && back.act_dim == 2 && back.obs_dim == 2 && !back.actions);
    if (back.n == 3) {
        CHECK(memcmp(back.box_actions, ds.box_actions, 6 * sizeof(float)) == 0);
        CHECK(memcmp(back.obs, ds.obs, 6 * sizeof(float)) == 0);
        CHECK(back.rewards[2] == 2.0 && back.terminateds[2] && !back.terminateds[1]);
    }
    dq_dataset_free(&back);
    remove(path);
    dq_dataset plain;
    CHECK_OK(dq_dataset_init(&plain, 2, 0, &err));
    CHECK(dq_dataset_push_box(&plain, o, o, 0.0, o, false, false, &err) == DQ_EINVAL);
    dq_dataset_free(&plain);
    dq_dataset_free(&ds);
}

static void test_box_collect(void) {
    dq_error err;
    dq_env *env = NULL;
    CHECK_OK(dq_env_make("Pendulum-v1", NULL, &env, &err));
    if (!env) return;
    dq_dataset ds[2];
    for (int r = 0; r < 2; r++) {
        dq_rng rng;
        dq_rng_seed(&rng, 5);
        CHECK_OK(dq_dataset_init_box(&ds[r], 3, 1, 0, &err));
        CHECK_OK(dq_dataset_collect_box(&ds[r], env, 450, NULL, NULL, 1.0, 9, &rng, &err));
    }
    CHECK(ds[0].n == 450 && ds[1].n == 450);
    int outside = 0, wide = 0, trunc = 0;
    for (int64_t i = 0; i < ds[0].n; i++) {
        outside += fabsf(ds[0].box_actions[i]) > 2.0f;
        wide += fabsf(ds[0].box_actions[i]) > 1.0f; /* scaled to the Box, not [-1, 1] */
        trunc += ds[0].truncateds[i];
    }
    CHECK(outside == 0 && wide > 100 && trunc == 2); /* episodes of 200 steps */
    CHECK(memcmp(ds[0].box_actions, ds[1].box_actions, 450 * sizeof(float)) == 0);
    CHECK(memcmp(ds[0].obs, ds[1].obs, 450 * 3 * sizeof(float)) == 0);
    dq_rng rng;
    dq_rng_seed(&rng, 5);
    dq_dataset disc;
    CHECK_OK(dq_dataset_init(&disc, 3, 0, &err));
    CHECK(dq_dataset_collect(&disc, env, 10, NULL, NULL, 1.0, 0, &rng, &err) == DQ_EUNSUPPORTED);
    CHECK(dq_dataset_collect_box(&disc, env, 10, NULL, NULL, 1.0, 0, &rng, &err) == DQ_EINVAL);
    dq_dataset_free(&disc);
    for (int r = 0; r < 2; r++) dq_dataset_free(&ds[r]);
    dq_env_free(env);
}

/* One state looping on itself with reward 1, Box actions: every candidate a' has the same Q, so
 * Q_3 = 1 + 0.5 + 0.25 + 0.125 (truncated) or 1 (terminated), for any action. */
static void test_box_targets(void) {
    dq_error err;
    dq_space box;
    const double lo[1] = {-1}, hi[1] = {1};
    dq_space_box(&box, 1, lo, hi, DQ_F32);
    for (int terminal = 0; terminal < 2; terminal++) {
        dq_dataset ds;
        CHECK_OK(dq_dataset_init_box(&ds, 1, 1, 4, &err));
        float s = 0.25f;
        for (int i = 0; i < 3; i++) {
            float a = -0.5f + 0.5f * (float)i;
            CHECK_OK(dq_dataset_push_box(&ds, &s, &a, 1.0, &s, terminal, !terminal, &err));
        }
        dq_fqi_def def = dq_fqi_def_default();
        def.reg.k = 1;
        def.iterations = 3;
        def.gamma = 0.5;
        def.n_samples = 5;
        for (int reuse = 0; reuse < 2; reuse++) {
            def.knn_reuse = reuse;
            dq_fqi_q q;
            CHECK_OK(dq_fqi_run_box(&def, &ds, &box, NULL, NULL, NULL, &q, NULL, &err));
            double x[2], qv;
            float a = 0.9f;
            dq_fqi_encode_box(x, &s, 1, &a, 1);
            CHECK_OK(dq_regressor_predict(q.reg, x, 1, &qv, &err));
            CHECK_NEAR(qv, terminal ? 1.0 : 1.875, 1e-12);
            dq_fqi_q_free(&q);
        }
        dq_dataset_free(&ds);
    }
    dq_dataset ds;
    CHECK_OK(dq_dataset_init(&ds, 1, 4, &err));
    float s = 0;
    CHECK_OK(dq_dataset_push(&ds, &s, 0, 1.0, &s, false, false, &err));
    dq_fqi_def def = dq_fqi_def_default();
    dq_fqi_q q;
    CHECK(dq_fqi_run_box(&def, &ds, &box, NULL, NULL, NULL, &q, NULL, &err) == DQ_EINVAL);
    dq_dataset_free(&ds);
}

/* Reward -(a - 0.5)^2 whatever the state: the greedy sampled argmax lands near 0.5. */
static void test_box_greedy(void) {
    dq_error err;
    dq_space box;
    const double lo[1] = {-1}, hi[1] = {1};
    dq_space_box(&box, 1, lo, hi, DQ_F32);
    dq_dataset ds;
    CHECK_OK(dq_dataset_init_box(&ds, 1, 1, 0, &err));
    dq_rng rng;
    dq_rng_seed(&rng, 11);
    for (int i = 0; i < 800; i++) {
        float s = (float)(2 * dq_rng_uniform(&rng) - 1), a = (float)(2 * dq_rng_uniform(&rng) - 1);
        CHECK_OK(dq_dataset_push_box(&ds, &s, &a, -(a - 0.5) * (a - 0.5), &s, true, false, &err));
    }
    dq_fqi_def def = dq_fqi_def_default();
    def.reg.k = 5;
    def.iterations = 1;
    def.n_samples = 64;
    dq_fqi_q q;
    CHECK_OK(dq_fqi_run_box(&def, &ds, &box, NULL, NULL, NULL, &q, NULL, &err));
    int far = 0;
    for (int i = 0; i < 20; i++) {
        float s = -0.95f + 0.1f * (float)i;
        double a;
        dq_fqi_greedy_box(&q, &s, &a);
        far += fabs(a - 0.5) > 0.2 || a < -1 || a > 1;
    }
    CHECK_MSG(far == 0, "%d of 20 greedy actions away from 0.5", far);
    dq_fqi_q_free(&q);
    dq_dataset_free(&ds);
}

static void random_box(void *rng, const float *obs, double *action) {
    (void)obs;
    action[0] = 4 * dq_rng_uniform(rng) - 2;
}

/* FQI (kNN, max over 8 sampled actions) on 20k random Pendulum transitions against the random
 * policy on the same evaluation episodes. */
static void test_box_pendulum(void) {
    dq_error err;
    dq_env *env = NULL, *ev = NULL;
    CHECK_OK(dq_env_make("Pendulum-v1", NULL, &env, &err));
    CHECK_OK(dq_env_make("Pendulum-v1", NULL, &ev, &err));
    if (!env || !ev) return;
    dq_rng rng;
    dq_rng_seed(&rng, 1);
    dq_dataset ds;
    CHECK_OK(dq_dataset_init_box(&ds, 3, 1, 0, &err));
    CHECK_OK(dq_dataset_collect_box(&ds, env, 20000, NULL, NULL, 1.0, 3, &rng, &err));
    dq_fqi_def def = dq_fqi_def_default();
    def.reg.k = 30;
    def.iterations = 30;
    def.eval_episodes = 10;
    def.eval_seed = 100;
    def.n_samples = 8;
    dq_fqi_q q;
    dq_policy_stats fqi, rnd;
    CHECK_OK(dq_fqi_run_box(&def, &ds, &env->act_space, ev, NULL, NULL, &q, &fqi, &err));
    CHECK_OK(dq_policy_eval_box(ev, random_box, &rng, 10, 100, &rnd, &err));
    CHECK_MSG(fqi.mean > rnd.mean + 300, "FQI %.1f, random %.1f", fqi.mean, rnd.mean);
    printf("Pendulum FQI (kNN, 8 samples): %.1f; random: %.1f\n", fqi.mean, rnd.mean);
    dq_fqi_q_free(&q);
    dq_dataset_free(&ds);
    dq_env_free(env);
    dq_env_free(ev);
}

/* Online Q-iteration on a Box env: a Box data set grows by the rounds' greedy steps. */
static void test_box_online(void) {
    dq_error err;
    dq_env *env = NULL, *ev = NULL;
    CHECK_OK(dq_env_make("Pendulum-v1", NULL, &env, &err));
    CHECK_OK(dq_env_make("Pendulum-v1", NULL, &ev, &err));
    if (!env || !ev) return;
    dq_online_def od = dq_online_def_default();
    od.initial_steps = 400;
    od.steps_per_round = 200;
    od.rounds = 1;
    od.epsilon = 0;
    od.fqi.iterations = 2;
    od.fqi.reg.k = 5;
    od.fqi.n_samples = 4;
    od.fqi.eval_episodes = 1;
    dq_dataset ds;
    dq_fqi_q q;
    dq_policy_stats st;
    CHECK_OK(dq_fqi_online(&od, env, ev, NULL, NULL, &ds, &q, &st, &err));
    CHECK(ds.n == 600 && ds.act_dim == 1 && !ds.actions);
    int outside = 0;
    for (int64_t i = 0; i < ds.n; i++) outside += fabsf(ds.box_actions[i]) > 2.0f;
    CHECK(outside == 0);
    /* Pendulum's reward per step is in [-16.27, 0]: 200 steps */
    CHECK(st.episodes == 1 && st.mean <= 0 && st.mean >= -16.3 * 200);
    dq_fqi_q_free(&q);
    dq_dataset_free(&ds);
    dq_env_free(env);
    dq_env_free(ev);
}

int main(void) {
    test_box_online();
    test_box_dataset();
    test_box_collect();
    test_box_targets();
    test_box_greedy();
    test_box_pendulum();
    test_encode();
    test_targets();
    test_reuse_equals_refit();
    test_eval_and_online();
    TEST_MAIN_END();
}
