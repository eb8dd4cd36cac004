/* fuzz_state.h — the agents fuzz_state.c loads resume states into, shared with
 * make_state_seeds.c which writes the seed corpus from short runs of the same configs:
 * 0 plain DQN, 1 Rainbow (C51 + dueling + noisy + 3-step + proportional PER), 2 rank-based PER,
 * 3 n_envs 2 with 3-step windows (its state holds both envs' states and windows). */
#ifndef DQ_FUZZ_STATE_H
#define DQ_FUZZ_STATE_H

#include "deepq/config.h"

#define FUZZ_STATE_AGENTS 4

static inline void fuzz_state_config(dq_run_config *c, int which) {
    dq_run_config_default(c);
    if (which == 1) dq_config_apply_preset(c, "rainbow", "CartPole-v1", NULL);
    dq_config_set(c, "n_timesteps", "400", NULL);
    dq_config_set(c, "learning_starts", "50", NULL);
    dq_config_set(c, "buffer_size", "300", NULL);
    dq_config_set(c, "batch_size", "8", NULL);
    dq_config_set(c, "eval_freq", "0", NULL);
    dq_config_set(c, "net_arch", "[8]", NULL);
    if (which == 1) dq_config_set(c, "c51_atoms", "5", NULL);
    if (which == 3) {
        dq_config_set(c, "n_envs", "2", NULL);
        dq_config_set(c, "n_step", "3", NULL);
    }
    if (which == 2) {
        dq_config_set(c, "prioritized_replay", "true", NULL);
        dq_config_set(c, "per_kind", "rank", NULL);
    }
}

#endif
