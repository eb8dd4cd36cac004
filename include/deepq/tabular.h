/* deepq/tabular.h — tabular control on envs with a Discrete observation space (FrozenLake, Taxi,
 * CliffWalking): Q-learning, SARSA and expected SARSA with epsilon-greedy exploration on a
 * deepq/schedule.h schedule; value iteration on the env's transition model (Gymnasium's
 * env.unwrapped.P) giving Q*; comparison of a learned table with Q*; .npy save/load of the table
 * (numpy.load reads it as float64 [n_states, n_actions]); the greedy policy as arrows.
 *
 *   dq_tabular_def def = dq_tabular_def_default();
 *   dq_qtable q;
 *   dq_tabular_train(&def, env, &q, NULL, NULL, &err);
 *   dq_policy_eval(env, dq_qtable_greedy, &q, 1000, 0, &stats, &err);   // deepq/dataset.h
 *   dq_qtable_free(&q); */
#ifndef DEEPQ_TABULAR_H
#define DEEPQ_TABULAR_H

#include "deepq/common.h"
#include "deepq/env.h"
#include "deepq/schedule.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dq_tabular_algo {
    DQ_TAB_Q = 0,           /* target r + gamma max_a' Q(s', a') */
    DQ_TAB_SARSA,           /* target r + gamma Q(s', a'), a' the next action taken */
    DQ_TAB_EXPECTED_SARSA,  /* target r + gamma sum_a' pi(a'|s') Q(s', a'), pi epsilon-greedy */
} dq_tabular_algo;

typedef struct dq_tabular_def {
    dq_tabular_algo algo;
    double alpha;            /* learning rate (0, 1]; 0.1 */
    double alpha_end;        /* alpha decays linearly to this over the budget; = alpha: constant */
    double gamma;            /* discount [0, 1]; 0.99 */
    dq_schedule_def epsilon; /* exploration; t counts episodes when the budget is in episodes */
    int64_t episodes;        /* budget in episodes (used when steps == 0); 10000 */
    int64_t steps;           /* budget in env steps (0 = use episodes) */
    double q_init;           /* initial table value; 0 */
    uint64_t seed;           /* env reset seed of the first episode and the exploration stream */
} dq_tabular_def;

/* Defaults: Q-learning, alpha 0.1 constant, gamma 0.99, epsilon linear 1 -> 0.01 over the first
 * half of 10000 episodes. */
DQ_API dq_tabular_def dq_tabular_def_default(void);
/* Defaults tuned per env id (FrozenLake-v1, FrozenLake8x8-v1, Taxi-v3, CliffWalking-v0) that reach
 * the targets of docs/TUTORIAL.md; the plain defaults for any other id. */
DQ_API dq_tabular_def dq_tabular_def_preset(const char *env_id);
/* "q", "sarsa", "expected_sarsa" <-> algo; DQ_ENOTFOUND otherwise. */
DQ_API dq_status dq_tabular_algo_parse(const char *name, dq_tabular_algo *out, dq_error *err);
DQ_API const char *dq_tabular_algo_name(dq_tabular_algo algo);

/* A Q table. q is owned. */
typedef struct dq_qtable {
    int n_states, n_actions;
    double *q; /* [n_states, n_actions] */
} dq_qtable;

/* Allocate a table filled with value. */
DQ_API dq_status dq_qtable_init(dq_qtable *t, int n_states, int n_actions, double value, dq_error *err);
/* Free the table (NULL-safe, idempotent). */
DQ_API void dq_qtable_free(dq_qtable *t);
/* Greedy action for obs[0] = state (first maximum): a dq_action_fn with ctx = dq_qtable*. */
DQ_API int64_t dq_qtable_greedy(void *t, const float *obs);
/* Save as .npy float64 [n_states, n_actions], atomically. */
DQ_API dq_status dq_qtable_save(const dq_qtable *t, const char *path, dq_error *err);
/* Load a 2-D .npy (float64 or float32) into t (initialised here). */
DQ_API dq_status dq_qtable_load(dq_qtable *t, const char *path, dq_error *err);

/* Progress after each finished episode (for logs). */
typedef struct dq_tabular_progress {
    int64_t episode, steps;
    double ep_return, epsilon, alpha;
} dq_tabular_progress;
typedef void (*dq_tabular_callback)(void *ctx, const dq_tabular_progress *p);

/* Learn a table on env (Discrete observations and actions) with def; *t is initialised here
 * and owned by the caller. cb (may be NULL) is called after every episode. */
DQ_API dq_status dq_tabular_train(const dq_tabular_def *def, dq_env *env, dq_qtable *t,
                           dq_tabular_callback cb, void *cb_ctx, dq_error *err);

/* Value iteration on a transition model: Q*(s,a) = sum p (r + gamma (1 - terminated) V*(s'))
 * repeated until the largest change of a sweep is <= tol; DQ_EINVAL if max_iter sweeps do not
 * get there. *qstar initialised here; *sweeps (may be NULL) gets the sweep count. */
DQ_API dq_status dq_value_iteration(const dq_tabular_model *m, double gamma, double tol, int max_iter,
                             dq_qtable *qstar, int *sweeps, dq_error *err);

/* max |Q - Q*| over all entries, and the fraction of states where Q's greedy action is optimal
 * for Q* (within 1e-9 of max_a Q*(s, a); states with all-equal Q* always agree). */
DQ_API void dq_qtable_compare(const dq_qtable *q, const dq_qtable *qstar, double *max_abs,
                       double *agreement);

/* Greedy policy drawn on an nrow x ncol grid (state = row * ncol + col): glyphs[a] for the
 * greedy action, or cells[s] where cells is non-NULL and cells[s] is not '.' (holes, goals).
 * *text (rows ended by '\n') is owned by the caller (free()). */
DQ_API dq_status dq_qtable_arrows(const dq_qtable *q, int nrow, int ncol, const char *glyphs,
                           const char *cells, char **text, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
