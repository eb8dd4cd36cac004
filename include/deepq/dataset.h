/* deepq/dataset.h — offline transition data sets with the seed tutorial's fields, collecting
 * them from an env with a policy (random, epsilon-greedy), saving/loading them as .npz, and the
 * greedy evaluation shared by tabular Q-learning, FQI and DQN-style reports.
 *
 * A policy is a plain function (dq_action_fn) with a context pointer, so a Q table, a fitted
 * regressor or a network can all drive collection and evaluation. */
#ifndef DEEPQ_DATASET_H
#define DEEPQ_DATASET_H

#include "deepq/common.h"
#include "deepq/env.h"
#include "deepq/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Transitions with the tutorial's fields. All arrays owned by the data set. A data set holds
 * either Discrete actions (act_dim 0: `actions`) or Box actions (act_dim > 0: `box_actions`,
 * in the env's units, as Gymnasium steps them). */
typedef struct dq_dataset {
    int64_t n, cap;
    int obs_dim;
    int act_dim;      /* 0: Discrete actions; > 0: Box actions of act_dim values */
    float *obs;       /* [n, obs_dim] observations */
    float *next_obs;  /* [n, obs_dim] the true next observation (final one on truncation) */
    int64_t *actions; /* [n] Discrete actions (NULL for a Box data set) */
    float *box_actions; /* [n, act_dim] Box actions (NULL for a Discrete data set) */
    double *rewards;  /* [n] */
    bool *terminateds; /* [n] terminal transition: no bootstrap */
    bool *truncateds;  /* [n] time limit hit: bootstrap from next_obs */
} dq_dataset;

/* Empty data set for obs_dim-sized observations (cap rows reserved, grows as needed). */
DQ_API dq_status dq_dataset_init(dq_dataset *ds, int obs_dim, int64_t cap, dq_error *err);
/* Empty data set of Box actions with act_dim values each (1..64). */
DQ_API dq_status dq_dataset_init_box(dq_dataset *ds, int obs_dim, int act_dim, int64_t cap,
                                     dq_error *err);
/* Release the arrays (NULL-safe, idempotent). */
DQ_API void dq_dataset_free(dq_dataset *ds);
/* Append one transition (obs/next_obs are copied). */
DQ_API dq_status dq_dataset_push(dq_dataset *ds, const float *obs, int64_t action, double reward,
                          const float *next_obs, bool terminated, bool truncated, dq_error *err);

/* Append one Box transition (action: act_dim values, copied) to a Box data set. */
DQ_API dq_status dq_dataset_push_box(dq_dataset *ds, const float *obs, const float *action,
                                     double reward, const float *next_obs, bool terminated,
                                     bool truncated, dq_error *err);

/* Write ds as a .npz numpy opens (compressed): observations [n, obs_dim] float32,
 * next_observations [n, obs_dim] float32, actions [n] int64 (Box: [n, act_dim] float32),
 * rewards [n] float64, terminateds [n] bool, truncateds [n] bool. Atomic (temp file + rename). */
DQ_API dq_status dq_dataset_save(const dq_dataset *ds, const char *path, dq_error *err);
/* Load a .npz with those keys into ds (initialised here; dq_dataset_free). Float actions make
 * a Box data set ([n, act_dim], or [n] for one dimension). Also accepted, as numpy scripts write
 * them: float64 observations/rewards/actions (converted), int32 actions, uint8 or int64 flags;
 * truncateds may be missing (all false). Missing keys, other dtypes or mismatched lengths fail
 * with DQ_EFORMAT / DQ_ENOTFOUND naming the key and the file. */
DQ_API dq_status dq_dataset_load(dq_dataset *ds, const char *path, dq_error *err);

/* A policy: the action for obs (Discrete action spaces). ctx is the caller's. */
typedef int64_t (*dq_action_fn)(void *ctx, const float *obs);

/* Step env for n_steps with epsilon-greedy over policy (uniformly random actions when policy is
 * NULL or with probability epsilon), appending to ds. The first episode starts with
 * dq_env_reset(env, seed) (seed < 0: continue the env's stream); rng draws the exploration. */
DQ_API dq_status dq_dataset_collect(dq_dataset *ds, dq_env *env, int64_t n_steps, dq_action_fn policy,
                             void *ctx, double epsilon, int64_t seed, dq_rng *rng,
                             dq_error *err);

/* A Box policy: writes act_space.size actions (env units) for obs. ctx is the caller's. */
typedef void (*dq_box_action_fn)(void *ctx, const float *obs, double *action);

/* dq_dataset_collect for a Box action space: with probability epsilon (or always when policy is
 * NULL) the action is uniform over [low, high] drawn from rng, else policy's. ds must be a Box
 * data set of the env's action size. */
DQ_API dq_status dq_dataset_collect_box(dq_dataset *ds, dq_env *env, int64_t n_steps,
                                        dq_box_action_fn policy, void *ctx, double epsilon,
                                        int64_t seed, dq_rng *rng, dq_error *err);

/* Returns of a greedy evaluation. */
typedef struct dq_policy_stats {
    int episodes;
    double mean, std, min, max; /* of the episode returns (std: population, as numpy) */
    double mean_length;
    double reward_threshold;  /* the env's (dq_env_type.reward_threshold); NAN if it has none */
    double frac_at_threshold; /* fraction of returns >= reward_threshold; NAN if none */
} dq_policy_stats;

/* Run `episodes` episodes of policy (no exploration); episode i resets with seed + i. */
DQ_API dq_status dq_policy_eval(dq_env *env, dq_action_fn policy, void *ctx, int episodes, int64_t seed,
                      dq_policy_stats *out, dq_error *err);
/* dq_policy_eval for a Box action space. */
DQ_API dq_status dq_policy_eval_box(dq_env *env, dq_box_action_fn policy, void *ctx, int episodes,
                                    int64_t seed, dq_policy_stats *out, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
