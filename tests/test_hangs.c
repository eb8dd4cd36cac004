/* test_hangs.c — inputs that used to hang finish quickly (an alarm turns a hang into a failure):
 * evaluating a policy that never ends an episode in an env without a TimeLimit (CliffWalking-v0)
 * stops at DQ_DQN_EVAL_STEP_CAP, and a small YAML file whose merge keys re-apply aliases
 * exponentially is refused with one line instead of being expanded. */
#include "deepq/config.h"
#include "deepq/dqn.h"
#include "deepq/env.h"
#include "rl/dqn_internal.h"
#include "test.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "test_hangs: still running after 60 s (a hang)\n";
    if (write(2, msg, sizeof msg - 1) < 0) _exit(3);
    _exit(2);
}

/* All-zero weights: every Q-value ties and the greedy action is 0 (up), which from
 * CliffWalking's start never reaches the goal; the env has no TimeLimit. */
static void test_eval_cap(void) {
    dq_error err;
    dq_env *env;
    CHECK_OK(dq_env_make("CliffWalking-v0", NULL, &env, &err));
    CHECK(env->max_episode_steps == 0);
    dq_dqn_def d = dq_dqn_def_default();
    d.net_arch[0] = d.net_arch[1] = 8;
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
    memset(ag->q.params, 0, ag->q.n_params * sizeof(float));
    double ret[2];
    int64_t len[2];
    dq_rng rng;
    dq_rng_seed(&rng, 1);
    CHECK_OK(dq_dqn_evaluate(ag, env, 2, 0.0, &rng, 0, ret, len, &err));
    CHECK(len[0] == DQ_DQN_EVAL_STEP_CAP && len[1] == DQ_DQN_EVAL_STEP_CAP);
    CHECK(ret[0] == -1.0 * DQ_DQN_EVAL_STEP_CAP); /* -1 per step, never the cliff */
    dq_dqn_destroy(ag);
    dq_env_free(env);
    /* an env with a TimeLimit still stops at its own limit */
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
    CHECK_OK(dq_dqn_evaluate(ag, env, 1, 0.0, &rng, 0, ret, len, &err));
    CHECK(len[0] >= 1 && len[0] <= 500);
    dq_dqn_destroy(ag);
    dq_env_free(env);
}

/* 8 levels of `<<: [*x] * 8`: 8^8 = 16.7M mapping applications if expanded. */
static void test_yaml_merge_bomb(void) {
    char text[2048];
    size_t k = (size_t)snprintf(text, sizeof text, "l0: &l0 {learning_rate: 0.001}\n");
    for (int l = 1; l < 8; l++) {
        k += (size_t)snprintf(text + k, sizeof text - k, "l%d: &l%d {<<: [", l, l);
        for (int i = 0; i < 8; i++)
            k += (size_t)snprintf(text + k, sizeof text - k, "%s*l%d", i ? ", " : "", l - 1);
        k += (size_t)snprintf(text + k, sizeof text - k, "]}\n");
    }
    k += (size_t)snprintf(text + k, sizeof text - k, "CartPole-v1: {<<: [*l7, *l7, *l7, *l7]}\n");
    CHECK(k < sizeof text - 1);
    dq_run_config c;
    dq_run_config_default(&c);
    dq_error err = {0};
    dq_status st = dq_config_apply_yaml(&c, text, "bomb.yml", "CartPole-v1", &err);
    CHECK_MSG(st == DQ_EINVAL && strstr(err.msg, "bomb.yml") && strstr(err.msg, "<<") &&
                  !strchr(err.msg, '\n'),
              "status %d: %s", (int)st, err.msg);
    /* ordinary merges still work */
    const char *ok = "base: &b {learning_rate: 0.002, gamma: 0.9}\n"
                     "mid: &m {<<: *b, gamma: 0.95}\n"
                     "CartPole-v1: {<<: [*m, *b], batch_size: 16}\n";
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_yaml(&c, ok, "ok.yml", "CartPole-v1", &err));
    CHECK(c.dqn.learning_rate == 0.002 && c.dqn.gamma == 0.95 && c.dqn.batch_size == 16);
}

int main(void) {
    signal(SIGALRM, on_alarm);
    alarm(60);
    test_eval_cap();
    test_yaml_merge_bomb();
    TEST_MAIN_END();
}
