/* deepq/fqi.h — Fitted Q Iteration (Ernst
 * et al. 2005) with any dq_regressor, plus online Q-iteration (FQI on a growing data set
 * collected epsilon-greedily with the current Q).
 *
 * FQI, as the seed tutorial runs it: x = (s, a) with the action as one feature when the env has
 * two actions and one-hot otherwise. Iteration 0 fits y = r; iteration i > 0 fits
 *     y = r + gamma * (1 - terminated) * max_a' Q_{i-1}(s', a')
 * with a fresh regressor. Truncated transitions (time limit) still bootstrap from s'.
 * Box actions (the CLAI tutorial's first way to take a continuous max): x = (s, a) with the
 * action's values as features, and max_a' is the max over n_samples actions drawn uniformly
 * from the Box for each s' (drawn once, so every iteration maximises over the same candidates);
 * the greedy policy takes the best of n_samples fresh uniform draws at each step.
 * For kNN the neighbour search of every (s', a') is done once and reused (the training inputs
 * never change, only the targets), which gives exactly the result of refitting each time.
 * Data sets, policies and greedy evaluation are in deepq/dataset.h. */
#ifndef DEEPQ_FQI_H
#define DEEPQ_FQI_H

#include "deepq/common.h"
#include "deepq/dataset.h"
#include "deepq/env.h"
#include "deepq/regress.h"
#include "deepq/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_fqi_def {
    dq_regressor_def reg; /* regressor for every iteration (seed advanced per iteration) */
    int iterations;       /* fits after the first one (y = r); the tutorial's 20 */
    double gamma;         /* discount, 0.99 */
    int eval_every;       /* greedy evaluation every k iterations (0 = only at the end) */
    int eval_episodes;    /* episodes per evaluation (100) */
    int64_t eval_seed;    /* seed of the first evaluation episode */
    bool knn_reuse;       /* reuse the kNN neighbour search across iterations (exact; default on) */
    int n_samples;        /* Box actions: candidate actions per max (16); unused for Discrete */
} dq_fqi_def;

/* Defaults: kNN(30), 20 iterations, gamma 0.99, eval only at the end over 100 episodes. */
DQ_API dq_fqi_def dq_fqi_def_default(void);

/* Progress of one iteration, passed to the optional callback. */
typedef struct dq_fqi_progress {
    int round;            /* online Q-iteration round (0 for plain FQI) */
    int iteration;        /* 0 = the y = r fit */
    int64_t transitions;  /* size of the data set fitted */
    double fit_seconds;   /* wall time of this iteration's target computation and fit */
    double mean_q;        /* mean of the fitted targets */
    bool evaluated;
    dq_policy_stats eval;  /* when evaluated */
} dq_fqi_progress;
typedef void (*dq_fqi_callback)(void *ctx, const dq_fqi_progress *p);

/* A fitted Q function: the regressor over encoded (s, a). */
typedef struct dq_fqi_q {
    dq_regressor *reg;    /* owned */
    int obs_dim, n_actions; /* n_actions 0 for Box actions */
    double *xbuf;         /* [n_actions or n_samples, obs_dim + features] scratch for greedy */
    int act_dim;          /* Box: values per action (0 for Discrete) */
    int n_samples;        /* Box: uniform candidates per greedy action */
    double act_low[DQ_SPACE_MAX], act_high[DQ_SPACE_MAX]; /* Box bounds */
    dq_rng rng;           /* Box: draws the greedy candidates */
} dq_fqi_q;

/* Number of action features: 1 for two actions (the action itself), else n_actions (one-hot). */
DQ_API int dq_fqi_action_features(int n_actions);
/* Encode (obs, a) into x [obs_dim + dq_fqi_action_features(n_actions)]. */
DQ_API void dq_fqi_encode(double *x, const float *obs, int obs_dim, int64_t a, int n_actions);
/* Encode (obs, Box action) into x [obs_dim + act_dim]. */
DQ_API void dq_fqi_encode_box(double *x, const float *obs, int obs_dim, const float *act,
                              int act_dim);
/* Greedy Box action of q for obs: the best of q->n_samples uniform draws (first maximum), a
 * dq_box_action_fn with ctx = dq_fqi_q*. */
DQ_API void dq_fqi_greedy_box(void *q, const float *obs, double *action);
/* Greedy action of q for obs (first maximum): a dq_action_fn with ctx = dq_fqi_q*. */
DQ_API int64_t dq_fqi_greedy(void *q, const float *obs);
/* Q values of obs for every action into out [n_actions]. */
DQ_API dq_status dq_fqi_q_values(dq_fqi_q *q, const float *obs, double *out, dq_error *err);
/* Free q's regressor and scratch (NULL-safe). */
DQ_API void dq_fqi_q_free(dq_fqi_q *q);

/* Run FQI on ds for an env with n_actions discrete actions. eval_env may be NULL (no
 * evaluation). On success *q owns the final Q function (dq_fqi_q_free) and *final_eval (may be
 * NULL) holds the last evaluation if eval_env was given. */
DQ_API dq_status dq_fqi_run(const dq_fqi_def *def, const dq_dataset *ds, int n_actions, dq_env *eval_env,
                     dq_fqi_callback cb, void *cb_ctx, dq_fqi_q *q, dq_policy_stats *final_eval,
                     dq_error *err);

/* Run FQI on a Box data set ds (dq_dataset_init_box) for an env whose actions are act_space
 * (a Box of ds->act_dim values with finite bounds). As dq_fqi_run otherwise. */
DQ_API dq_status dq_fqi_run_box(const dq_fqi_def *def, const dq_dataset *ds,
                                const dq_space *act_space, dq_env *eval_env, dq_fqi_callback cb,
                                void *cb_ctx, dq_fqi_q *q, dq_policy_stats *final_eval,
                                dq_error *err);

/* Online Q-iteration: start from `initial_steps` random transitions, then for `rounds` rounds
 * run FQI on all data so far and collect `steps_per_round` more epsilon-greedy transitions with
 * the new Q. The callback sees each round's FQI iterations. Discrete or Box actions (then
 * random = uniform over the bounds, greedy = best of fqi.n_samples draws). */
typedef struct dq_online_def {
    dq_fqi_def fqi;
    int64_t initial_steps;
    int64_t steps_per_round;
    int rounds;
    double epsilon;
    uint64_t seed;
} dq_online_def;
DQ_API dq_online_def dq_online_def_default(void);
DQ_API dq_status dq_fqi_online(const dq_online_def *def, dq_env *env, dq_env *eval_env,
                        dq_fqi_callback cb, void *cb_ctx, dq_dataset *ds, dq_fqi_q *q,
                        dq_policy_stats *final_eval, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
