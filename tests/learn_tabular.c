/* learn_tabular.c — tabular control reaches the targets with the per-env presets and fixed
 * seeds: FrozenLake-v1 (4x4, slippery) greedy success >= 0.70 over 1000 episodes (optimum 0.74)
 * with the greedy policy equal to Q*'s on every state, and Taxi-v3 scoring what Q*'s greedy
 * policy scores on the same 1000 episodes (within 0.05). Taxi's exact optimal expected return is
 * 7.93 (policy evaluation on Gymnasium's P), so the 8.0 "threshold" is only reached by lucky
 * evaluation seeds; we check optimality instead, and a mean >= 7.7. CliffWalking-v0 must walk
 * the optimal path (-13). */
#include <string.h>

#include "deepq/dataset.h"
#include "deepq/tabular.h"
#include "test.h"

static void run(const char *id, dq_tabular_algo algo, uint64_t seed, double target,
                bool check_agreement, bool check_optimal) {
    dq_error err;
    dq_env *env = NULL;
    CHECK_OK(dq_env_make(id, NULL, &env, &err));
    if (!env) return;
    dq_tabular_def def = dq_tabular_def_preset(id);
    def.algo = algo;
    def.seed = seed;
    dq_qtable q, qs;
    CHECK_OK(dq_tabular_train(&def, env, &q, NULL, NULL, &err));
    dq_policy_stats st;
    CHECK_OK(dq_policy_eval(env, dq_qtable_greedy, &q, 1000, 1000000 + 1000 * (int64_t)seed, &st,
                            &err));
    CHECK_MSG(st.mean >= target, "%s %s seed %llu: greedy mean %.4f < %.2f", id,
              dq_tabular_algo_name(algo), (unsigned long long)seed, st.mean, target);
    if (check_agreement) {
        CHECK_OK(dq_value_iteration(dq_env_model(env), def.gamma, 1e-10, 100000, &qs, NULL, &err));
        double mx, agree;
        dq_qtable_compare(&q, &qs, &mx, &agree);
        CHECK_MSG(agree == 1.0, "%s seed %llu: agreement %.3f", id, (unsigned long long)seed,
                  agree);
        dq_qtable_free(&qs);
    }
    if (check_optimal) {
        CHECK_OK(dq_value_iteration(dq_env_model(env), def.gamma, 1e-10, 100000, &qs, NULL, &err));
        dq_policy_stats opt;
        CHECK_OK(dq_policy_eval(env, dq_qtable_greedy, &qs, 1000, 1000000 + 1000 * (int64_t)seed,
                                &opt, &err));
        CHECK_MSG(st.mean >= opt.mean - 0.05, "%s seed %llu: %.4f vs Q*'s %.4f", id,
                  (unsigned long long)seed, st.mean, opt.mean);
        dq_qtable_free(&qs);
    }
    dq_qtable_free(&q);
    dq_env_free(env);
}

int main(void) {
    for (uint64_t seed = 0; seed < 3; seed++) run("FrozenLake-v1", DQ_TAB_Q, seed, 0.70, true, false);
    run("FrozenLake-v1", DQ_TAB_EXPECTED_SARSA, 0, 0.70, false, false);
    if (dq_env_find("CliffWalking-v0")) run("CliffWalking-v0", DQ_TAB_Q, 0, -13.0, false, false);
    if (dq_env_find("Taxi-v3"))
        for (uint64_t seed = 0; seed < 3; seed++) run("Taxi-v3", DQ_TAB_Q, seed, 7.7, false, true);
    else
        printf("Taxi-v3 not in this build: its check is skipped\n");
    TEST_MAIN_END();
}
