/* test_tabular.c — value iteration against a hand-solved MDP, the three tabular algorithms on a
 * small chain env against its Q*, Q-table comparison, .npy round trip, arrows and errors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/dataset.h"
#include "deepq/tabular.h"
#include "test.h"

/* Two states, gamma 0.9. s0: a0 stays with reward 0.5; a1 moves to s1 or stays, each with
 * probability 0.5, reward 0. s1: a0 ends the episode with reward 10; a1 stays, reward 0.
 * By hand: V(s1) = 10, Q(s1,a1) = 9; a1 is optimal in s0: V(s0) = 4.5 / 0.55 = 90/11,
 * Q(s0,a0) = 0.5 + 0.9 * 90/11 = 86.5/11. */
static void test_value_iteration(void) {
    int32_t offset[5] = {0, 1, 3, 4, 5};
    dq_transition tr[5] = {
        {1.0, 0, 0.5, false}, {0.5, 1, 0.0, false}, {0.5, 0, 0.0, false},
        {1.0, 1, 10.0, true}, {1.0, 1, 0.0, false},
    };
    double init[2] = {1, 0};
    dq_tabular_model m = {2, 2, offset, tr, init};
    dq_qtable qs;
    dq_error err;
    int sweeps = 0;
    CHECK_OK(dq_value_iteration(&m, 0.9, 1e-13, 10000, &qs, &sweeps, &err));
    CHECK(sweeps > 10);
    CHECK_NEAR(qs.q[0], 86.5 / 11, 1e-10);
    CHECK_NEAR(qs.q[1], 90.0 / 11, 1e-10);
    CHECK_NEAR(qs.q[2], 10.0, 1e-10);
    CHECK_NEAR(qs.q[3], 9.0, 1e-10);
    dq_qtable_free(&qs);
    CHECK(dq_value_iteration(&m, 0.9, 1e-13, 3, &qs, NULL, &err) == DQ_EINVAL);
    CHECK(dq_value_iteration(NULL, 0.9, 1e-13, 3, &qs, NULL, &err) == DQ_EUNSUPPORTED);
}

/* Chain of N cells: start in cell 1, action 0 left / 1 right; with probability 0.1 the move is
 * reversed. Reaching cell N-1 ends with reward 1, cell 0 ends with reward 0. */
enum { CHAIN_N = 6 };
typedef struct chain {
    int s;
    dq_tabular_model m;
    int32_t offset[CHAIN_N * 2 + 1];
    dq_transition tr[CHAIN_N * 2 * 2];
    double initial[CHAIN_N];
} chain;

static dq_status chain_init(void *stp, const dq_kwargs *kw, dq_space *obs, dq_space *act,
                            dq_error *err) {
    chain *c = stp;
    memset(obs, 0, sizeof *obs);
    memset(act, 0, sizeof *act);
    obs->kind = act->kind = DQ_SPACE_DISCRETE;
    obs->n = CHAIN_N;
    act->n = 2;
    obs->size = act->size = 1;
    obs->dtype = act->dtype = DQ_I64;
    int k = 0;
    for (int s = 0; s < CHAIN_N; s++)
        for (int a = 0; a < 2; a++) {
            c->offset[s * 2 + a] = k;
            bool term = s == 0 || s == CHAIN_N - 1;
            if (term) {
                c->tr[k++] = (dq_transition){1.0, s, 0.0, true};
                continue;
            }
            int fwd = a ? s + 1 : s - 1, back = a ? s - 1 : s + 1;
            c->tr[k++] = (dq_transition){0.9, fwd, fwd == CHAIN_N - 1 ? 1.0 : 0.0,
                                         fwd == 0 || fwd == CHAIN_N - 1};
            c->tr[k++] = (dq_transition){0.1, back, back == CHAIN_N - 1 ? 1.0 : 0.0,
                                         back == 0 || back == CHAIN_N - 1};
        }
    c->offset[CHAIN_N * 2] = k;
    memset(c->initial, 0, sizeof c->initial);
    c->initial[1] = 1;
    c->m = (dq_tabular_model){CHAIN_N, 2, c->offset, c->tr, c->initial};
    return DQ_OK;
}
static void chain_reset(void *stp, dq_env_rand *rnd, float *obs) {
    chain *c = stp;
    c->s = 1;
    obs[0] = 1;
}
static void chain_step(void *stp, dq_env_rand *rnd, int64_t a, const double *ca, float *obs,
                       double *reward, bool *terminated) {
    chain *c = stp;
    const dq_transition *t = &c->tr[c->offset[c->s * 2 + a]];
    int n = c->offset[c->s * 2 + a + 1] - c->offset[c->s * 2 + a];
    if (n == 2 && dq_env_rand_uniform(rnd, 0, 1) >= t[0].prob) t++;
    c->s = t->next;
    obs[0] = (float)c->s;
    *reward = t->reward;
    *terminated = t->terminated;
}
static const dq_tabular_model *chain_model(const void *stp) { return &((const chain *)stp)->m; }

static const dq_env_type CHAIN = {
    .id = "Chain-v0", .summary = "test chain", .max_episode_steps = 100,
    .reward_threshold = NAN, .state_size = sizeof(chain), .init = chain_init,
    .reset = chain_reset, .step = chain_step, .model = chain_model,
};

static void test_learning(void) {
    dq_error err;
    dq_env *env = NULL;
    CHECK_OK(dq_env_make_type(&CHAIN, NULL, &env, &err));
    if (!env) return;
    dq_qtable qs;
    CHECK_OK(dq_value_iteration(dq_env_model(env), 0.9, 1e-12, 1000, &qs, NULL, &err));
    for (int algo = 0; algo < 3; algo++) {
        dq_tabular_def def = dq_tabular_def_default();
        def.algo = (dq_tabular_algo)algo;
        def.gamma = 0.9;
        def.episodes = 3000;
        def.alpha = 0.2;
        def.alpha_end = 0.01;
        def.epsilon.fraction = 0.8;
        def.epsilon.end = 0.05;
        def.seed = 3;
        dq_qtable q;
        CHECK_OK(dq_tabular_train(&def, env, &q, NULL, NULL, &err));
        double mx, agree;
        dq_qtable_compare(&q, &qs, &mx, &agree);
        CHECK_MSG(agree == 1.0, "%s: agreement %g", dq_tabular_algo_name(def.algo), agree);
        /* SARSA learns the epsilon-greedy policy's values, a little below Q* */
        CHECK_MSG(mx < (algo == DQ_TAB_Q ? 0.05 : 0.1), "%s: max |Q - Q*| %g",
                  dq_tabular_algo_name(def.algo), mx);
        dq_policy_stats st;
        CHECK_OK(dq_policy_eval(env, dq_qtable_greedy, &q, 200, 0, &st, &err));
        CHECK(st.mean > 0.8); /* success probability of always-right from cell 1 is ~0.88 */
        /* same seed, same table */
        dq_qtable q2;
        CHECK_OK(dq_tabular_train(&def, env, &q2, NULL, NULL, &err));
        CHECK(memcmp(q.q, q2.q, sizeof(double) * CHAIN_N * 2) == 0);
        dq_qtable_free(&q2);
        dq_qtable_free(&q);
    }
    /* arrows: terminal cells drawn from cells, others by the greedy action */
    char *text = NULL;
    CHECK_OK(dq_qtable_arrows(&qs, 1, CHAIN_N, "<>", "X....G", &text, &err));
    CHECK(text && !strcmp(text, "X>>>>G\n"));
    free(text);
    CHECK(dq_qtable_arrows(&qs, 2, 2, "<>", NULL, &text, &err) == DQ_EINVAL);
    /* .npy round trip */
    CHECK_OK(dq_qtable_save(&qs, "test_tabular_q.npy", &err));
    dq_qtable back;
    CHECK_OK(dq_qtable_load(&back, "test_tabular_q.npy", &err));
    CHECK(back.n_states == CHAIN_N && back.n_actions == 2 &&
          memcmp(back.q, qs.q, sizeof(double) * CHAIN_N * 2) == 0);
    dq_qtable_free(&back);
    CHECK(dq_qtable_load(&back, "no_such_table.npy", &err) != DQ_OK);
    remove("test_tabular_q.npy");
    dq_qtable_free(&qs);
    dq_qtable_free(&qs); /* idempotent */
    /* bad definitions */
    dq_tabular_def def = dq_tabular_def_default();
    def.alpha = 0;
    dq_qtable q;
    CHECK(dq_tabular_train(&def, env, &q, NULL, NULL, &err) == DQ_EINVAL);
    dq_tabular_algo al;
    CHECK(dq_tabular_algo_parse("double_q", &al, &err) == DQ_ENOTFOUND);
    CHECK_OK(dq_tabular_algo_parse("expected_sarsa", &al, &err));
    dq_env_free(env);
    /* continuous observations are refused */
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    if (env) CHECK(dq_tabular_train(&def, env, &q, NULL, NULL, &err) == DQ_EUNSUPPORTED);
    dq_env_free(env);
}

int main(void) {
    test_value_iteration();
    test_learning();
    TEST_MAIN_END();
}
