/* make_state_seeds.c — writes the seed corpus of fuzz_state.c: one resume state per
 * fuzz_state.h config, saved at the end of the step with the first episode end after step 200
 * of a short run (the callback stops the run; the state is saved after dq_dqn_learn returns,
 * where n_envs > 1 allows it too).
 * Usage: make_state_seeds OUT_DIR */
#include <stdio.h>

#include "deepq/dqn.h"
#include "deepq/env.h"
#include "fuzz_state.h"

typedef struct saver {
    const char *path;
    dq_env *env;
    int done;
} saver;

static int on_episode(void *u, dq_dqn *ag, const dq_dqn_episode *ep) {
    (void)u, (void)ag;
    return ep->total_steps >= 200;
}

int main(int argc, char **argv) {
    if (argc != 2) return fprintf(stderr, "usage: make_state_seeds OUT_DIR\n"), 2;
    static const char *names[FUZZ_STATE_AGENTS] = {"dqn", "rainbow", "rank_per", "nenvs2"};
    for (int which = 0; which < FUZZ_STATE_AGENTS; which++) {
        dq_run_config c;
        fuzz_state_config(&c, which);
        char path[512];
        snprintf(path, sizeof path, "%s/%s.safetensors", argv[1], names[which]);
        dq_env *env;
        dq_dqn *ag;
        dq_error err;
        if (dq_env_make("CartPole-v1", NULL, &env, &err) ||
            dq_dqn_create(&ag, &c.dqn, &env->obs_space, &env->act_space, &err))
            return fprintf(stderr, "%s\n", err.msg), 1;
        saver s = {path, env, 0};
        dq_dqn_callbacks cb = {&s, on_episode, NULL, NULL, NULL};
        if (dq_dqn_learn(ag, env, &cb, &err) || dq_dqn_steps(ag) >= c.dqn.n_timesteps)
            return fprintf(stderr, "%s: the run did not stop early\n", names[which]), 1;
        if (dq_dqn_save_state(ag, s.env, s.path, 0, NULL, &err)) fprintf(stderr, "%s\n", err.msg);
        else s.done = 1;
        dq_dqn_destroy(ag);
        dq_env_free(env);
        if (!s.done) return fprintf(stderr, "no state saved for %s\n", names[which]), 1;
        printf("wrote %s\n", path);
    }
    return 0;
}
