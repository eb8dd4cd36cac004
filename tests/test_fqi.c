/* test_fqi.c — Fitted Q Iteration and data sets: action encoding, the Bellman targets (a
 * truncated transition bootstraps, a terminated one does not), reuse of the kNN neighbour search
 * equal to refitting, collection bookkeeping and argument errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

int main(void) {
    test_encode();
    test_targets();
    test_reuse_equals_refit();
    test_eval_and_online();
    TEST_MAIN_END();
}
