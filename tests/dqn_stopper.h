/* dqn_stopper.h — a DQN on_episode callback for resume tests (test_dqn.c,
 * test_rainbow_agent.c): at the first episode end at or after step `at`, save the training
 * state to `path` and stop the run. Include after test.h. */
#ifndef DEEPQ_TESTS_DQN_STOPPER_H
#define DEEPQ_TESTS_DQN_STOPPER_H

#include "deepq/dqn.h"
#include "deepq/env.h"

typedef struct stopper {
    int64_t at;
    const char *path;
    dq_env *env;
    bool saved;
} stopper;

static int stop_cb(void *u, dq_dqn *ag, const dq_dqn_episode *ep) {
    stopper *s = u;
    if (ep->total_steps < s->at) return 0;
    dq_error err;
    CHECK_OK(dq_dqn_save_state(ag, s->env, s->path, 0, NULL, &err));
    s->saved = true;
    return 1;
}

#endif
