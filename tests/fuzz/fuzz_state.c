/* fuzz_state.c — dq_dqn_load_state (resume.safetensors) on arbitrary bytes, into a fresh agent
 * of each fuzz_state.h config (plain, Rainbow, rank-based PER, n_envs 2 with n-step windows). A state the validation layer
 * (src/rl/dqn_state_check.c) accepts is then trained on for 40 steps, which is where a bad
 * action, reward, count or priority would read or write out of bounds. */
#include "deepq/dqn.h"
#include "deepq/env.h"
#include "rl/dqn_internal.h"
#include "fuzz.h"
#include "fuzz_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = fuzz_file(data, size, ".safetensors");
    for (int which = 0; which < FUZZ_STATE_AGENTS; which++) {
        dq_run_config c;
        fuzz_state_config(&c, which);
        dq_env *env;
        dq_dqn *ag;
        dq_error err;
        if (dq_env_make("CartPole-v1", NULL, &env, &err)) abort();
        if (dq_dqn_create(&ag, &c.dqn, &env->obs_space, &env->act_space, &err)) abort();
        if (!dq_dqn_load_state(ag, env, path, NULL, &err)) {
            ag->def.n_timesteps = dq_dqn_steps(ag) + 40;
            dq_dqn_learn(ag, env, NULL, &err);
        }
        dq_dqn_destroy(ag);
        dq_env_free(env);
    }
    return 0;
}
