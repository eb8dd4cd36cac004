/* learn_cartpole.c — DQN learns CartPole-v1: the `deepq` preset with a fixed seed, evaluated
 * greedily every 5000 steps; learning stops at the first evaluation of 20 episodes averaging
 * >= 475, and 100 fresh greedy episodes must then average >= 475 (Gymnasium's threshold). */
#include <stdio.h>
#include <string.h>

#include "deepq/config.h"
#include "deepq/dqn.h"
#include "cartpole_watch.h"
#include "test.h"

int main(void) {
    dq_error err;
    dq_run_config c;
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_preset(&c, "deepq", "CartPole-v1", &err));
    c.dqn.seed = 0;
    c.dqn.eval_freq = 5000;
    dq_env *env, *ev;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &ev, &err));
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &c.dqn, &env->obs_space, &env->act_space, &err));
    watch w = {ev, 0, -1};
    dq_dqn_callbacks cb = {&w, NULL, NULL, on_eval, NULL};
    CHECK_OK(dq_dqn_learn(ag, env, &cb, &err));
    CHECK_MSG(w.solved_at > 0, "never reached 475 in %lld steps (last eval %.1f)",
              (long long)c.dqn.n_timesteps, w.last);
    double m = eval_mean(ag, ev, 100, 777);
    printf("solved at step %lld; 100 fresh episodes: %.1f\n", (long long)w.solved_at, m);
    CHECK_MSG(m >= 475, "100-episode greedy mean %.1f < 475", m);
    dq_dqn_destroy(ag);
    dq_env_free(env);
    dq_env_free(ev);
    TEST_MAIN_END();
}
