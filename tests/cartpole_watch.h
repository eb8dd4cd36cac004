/* cartpole_watch.h — the greedy-evaluation watcher of the CartPole learning tests
 * (learn_cartpole.c, learn_cartpole_nenvs.c): evaluate 20 greedy episodes at each of the agent's
 * evaluations and stop learning at the first mean >= 475. Included once per test program. */
#ifndef DQ_TESTS_CARTPOLE_WATCH_H
#define DQ_TESTS_CARTPOLE_WATCH_H

#include <stdio.h>

#include "deepq/dqn.h"

typedef struct watch {
    dq_env *eval_env;
    double last;
    int64_t solved_at;
} watch;

static double eval_mean(dq_dqn *ag, dq_env *env, int n, int64_t seed) {
    double r[100];
    dq_rng rng;
    dq_rng_seed(&rng, 1);
    dq_error err;
    if (dq_dqn_evaluate(ag, env, n, 0.0, &rng, seed, r, NULL, &err)) return -1;
    double m = 0;
    for (int i = 0; i < n; i++) m += r[i] / n;
    return m;
}

static int on_eval(void *u, dq_dqn *ag) {
    watch *w = u;
    w->last = eval_mean(ag, w->eval_env, 20, 1000);
    printf("step %lld: greedy mean %.1f\n", (long long)dq_dqn_steps(ag), w->last);
    if (w->last >= 475) {
        w->solved_at = dq_dqn_steps(ag);
        return 1;
    }
    return 0;
}

#endif
