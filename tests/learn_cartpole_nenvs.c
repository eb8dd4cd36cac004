/* learn_cartpole_nenvs.c — vectorized collection learns: the `deepq` CartPole preset with
 * n_envs = 4 (one batched forward per step of the 4 envs), gradient_steps = -1 (SB3: as many
 * updates as transitions collected) and tau 0.02 (the target moves once per step of the batch,
 * i.e. every 4 transitions), fixed seed. Learning stops at the first greedy evaluation of 20
 * episodes averaging >= 475 within 50k transitions; 100 fresh greedy episodes must then average
 * >= 400. Also checks SB3's counting: updates = transitions after learning_starts. */
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
    CHECK_OK(dq_config_set(&c, "n_envs", "4", &err));
    c.dqn.gradient_steps = -1;
    c.dqn.tau = 0.02;
    c.dqn.seed = 1;
    c.dqn.eval_freq = 5000;
    dq_env *env, *ev;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &ev, &err));
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &c.dqn, &env->obs_space, &env->act_space, &err));
    watch w = {ev, 0, -1};
    dq_dqn_callbacks cb = {&w, NULL, NULL, on_eval, NULL};
    CHECK_OK(dq_dqn_learn(ag, env, &cb, &err));
    CHECK(dq_dqn_steps(ag) % 4 == 0);
    CHECK_MSG(dq_dqn_updates(ag) == dq_dqn_steps(ag) - c.dqn.learning_starts,
              "updates %lld, steps %lld", (long long)dq_dqn_updates(ag),
              (long long)dq_dqn_steps(ag));
    CHECK_MSG(w.solved_at > 0, "never reached 475 in %lld steps (last eval %.1f)",
              (long long)c.dqn.n_timesteps, w.last);
    double m = eval_mean(ag, ev, 100, 777);
    printf("solved at step %lld; 100 fresh episodes: %.1f\n", (long long)w.solved_at, m);
    CHECK_MSG(m >= 400, "100-episode greedy mean %.1f < 400", m);
    /* after learn returned the batch stands between steps: its state saves (every env) */
    CHECK_OK(dq_dqn_save_state(ag, env, "learn_cartpole_nenvs.safetensors", 0, NULL, &err));
    remove("learn_cartpole_nenvs.safetensors");
    dq_dqn_destroy(ag);
    dq_env_free(env);
    dq_env_free(ev);
    TEST_MAIN_END();
}
