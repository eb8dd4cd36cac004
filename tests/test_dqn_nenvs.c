/* test_dqn_nenvs.c — vectorized collection (n_envs > 1): the batched greedy action of n rows
 * equals dq_dqn_greedy row by row (plain, float64, dueling + C51 heads); SB3's counting of
 * train_freq in calls of the batch step and gradient_steps -1 as transitions collected; the
 * n_envs key reads, is written to config.yml only when not 1, and refuses what it cannot do. */
#include <stdlib.h>
#include <string.h>

#include "deepq/config.h"
#include "rl/dqn_internal.h"
#include "test.h"

static void test_batched_greedy(const char *set1, const char *set2) {
    dq_error err;
    dq_run_config c;
    dq_run_config_default(&c);
    CHECK_OK(dq_config_set(&c, "n_envs", "5", &err));
    if (set1) CHECK_OK(dq_config_set(&c, set1, set2, &err));
    dq_space os = {0}, as = {0};
    os.kind = DQ_SPACE_BOX;
    os.size = 3;
    os.dtype = DQ_F32;
    as.kind = DQ_SPACE_DISCRETE;
    as.n = 4;
    as.size = 1;
    as.dtype = DQ_I64;
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &c.dqn, &os, &as, &err));
    dq_rng r;
    dq_rng_seed(&r, 9);
    float obs[5 * 3];
    for (int i = 0; i < 15; i++) obs[i] = (float)dq_rng_normal(&r);
    int64_t a[5];
    dq_offpolicy_actions out = {a, NULL};
    dqn_algo.act(ag, obs, 5, 0.0, false, &out);
    for (int i = 0; i < 5; i++)
        CHECK_MSG(a[i] == dq_dqn_greedy(ag, obs + 3 * i, NULL), "%s row %d", set1 ? set1 : "", i);
    dq_dqn_destroy(ag);
}

static void test_counting(void) {
    dq_error err;
    dq_env *env;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    dq_dqn_def d = dq_dqn_def_default();
    d.n_envs = 4;
    d.n_timesteps = 64;
    d.learning_starts = 0;
    d.batch_size = 8;
    d.train_freq = 2;        /* every 2 steps of the batch = 8 transitions */
    d.gradient_steps = -1;   /* 8 updates each */
    d.target_update_interval = 8; /* every 8 / 4 = 2 calls */
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    CHECK(dq_dqn_steps(ag) == 64);
    CHECK(dq_dqn_updates(ag) == 64);
    CHECK(ag->core.c.n_calls == 16);
    CHECK(ag->rb->size == 64);
    dq_dqn_destroy(ag);
    d.gradient_steps = 3;
    CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    CHECK(dq_dqn_updates(ag) == 8 * 3);
    dq_dqn_destroy(ag);
    dq_env_free(env);
}

static void test_key(void) {
    dq_error err;
    dq_run_config c;
    dq_run_config_default(&c);
    char *y;
    CHECK_OK(dq_config_to_yaml(&c, &y, &err));
    CHECK(strstr(y, "n_envs") == NULL);
    free(y);
    CHECK_OK(dq_config_set(&c, "n_envs", "8", &err));
    CHECK(c.dqn.n_envs == 8);
    CHECK_OK(dq_config_to_yaml(&c, &y, &err));
    CHECK(strstr(y, "\nn_envs: 8\n") != NULL);
    free(y);
    CHECK(dq_config_set(&c, "n_envs", "0", &err) == DQ_EINVAL);
    c.dqn.n_step = 3; /* per-env n-step windows (test_dqn_nenvs_store.c) */
    c.dqn.prefill = 100;
    CHECK_OK(dq_dqn_def_check(&c.dqn, &err));
    c.dqn.no_replay = true; /* online learning needs one env's stream: refused, saying why */
    CHECK(dq_dqn_def_check(&c.dqn, &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "n_envs") != NULL && strstr(err.msg, "no_replay") != NULL);
}

int main(void) {
    test_batched_greedy(NULL, NULL);
    test_batched_greedy("dtype", "float64");
    test_batched_greedy("distributional", "true");
    test_batched_greedy("dueling", "true");
    test_counting();
    test_key();
    TEST_MAIN_END();
}
