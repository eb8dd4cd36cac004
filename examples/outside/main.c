/* main.c — a program outside the deepq tree, built against an installed deepq (see README.md
 * beside it): train DQN on CartPole-v1 for a few thousand steps and evaluate the greedy policy.
 * It uses the public API only (deepq/dqn.h, deepq/env.h) and the core library only. */
#include <stdio.h>

#include <deepq/dqn.h>
#include <deepq/env.h>

int main(void) {
    dq_error err;
    dq_env *env = NULL, *eval_env = NULL;
    if (dq_env_make("CartPole-v1", NULL, &env, &err) ||
        dq_env_make("CartPole-v1", NULL, &eval_env, &err)) {
        fprintf(stderr, "outside: %s\n", err.msg);
        dq_env_free(env);
        return 1;
    }
    dq_dqn_def def = dq_dqn_def_default();
    def.n_timesteps = 3000;
    def.learning_starts = 500;
    def.seed = 1;
    dq_dqn *ag = NULL;
    if (dq_dqn_create(&ag, &def, &env->obs_space, &env->act_space, &err) || dq_dqn_learn(ag, env, NULL, &err)) {
        fprintf(stderr, "outside: %s\n", err.msg);
        dq_dqn_destroy(ag);
        dq_env_free(env);
        dq_env_free(eval_env);
        return 1;
    }
    double ret[5];
    int64_t len[5];
    dq_rng rng;
    dq_rng_seed(&rng, 7);
    dq_status st = dq_dqn_evaluate(ag, eval_env, 5, 0.0, &rng, 7, ret, len, &err);
    if (!st) {
        double mean = 0;
        for (int i = 0; i < 5; i++) mean += ret[i] / 5;
        printf("deepq %s from outside: %lld steps trained, greedy return %.1f over 5 episodes\n",
               DQ_VERSION, (long long)dq_dqn_steps(ag), mean);
    } else {
        fprintf(stderr, "outside: %s\n", err.msg);
    }
    dq_dqn_destroy(ag);
    dq_env_free(env);
    dq_env_free(eval_env);
    return st ? 1 : 0;
}
