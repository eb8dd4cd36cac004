/* offpolicy.h — the off-policy learning core: one learn loop (act, step, store, when to train,
 * target updates, evaluation/log/checkpoint hooks, stop and resume counters) shared by every
 * replay-based algorithm, with the algorithm plugged in as a small table of functions.
 *
 * How an algorithm plugs in
 * -------------------------
 * 1. Its agent struct embeds a dq_offpolicy (by value) next to its own networks and buffers:
 *        struct my_agent { dq_offpolicy core; ... };
 *    The core owns the counters (steps, episodes, rollout, episode window) and the env-facing
 *    buffers; the algorithm owns networks, optimizers, replay and its random streams.
 * 2. It fills a const dq_offpolicy_algo table (below) and calls dq_offpolicy_init once in its
 *    create function, with the loop's keys in a dq_offpolicy_def (its own def converts to one).
 * 3. Its learn function is dq_offpolicy_learn(&ag->core, env, hooks, err). Its own public
 *    callbacks (dq_dqn_callbacks, ...) are adapted to dq_offpolicy_hooks by a few lines.
 * 4. Its save_state/load_state entries write and read its own tensors (networks, optimizer
 *    moments, replay, random streams); dq_offpolicy_save_state/load_state write the loop's part
 *    (counters, episode window, the env's stream or the whole env batch) around them, so a
 *    resume continues bit for bit and the loop knows nothing of the algorithm's insides.
 *
 * What the loop does per env step (SB3's OffPolicyAlgorithm.collect_rollouts + train):
 *   explore = algo->exploration(self, clock)             (DQN: epsilon from its schedule;
 *                                                          DDPG/TD3: action-noise scale)
 *   act:   algo->act(self, obs[n_envs, obs_dim], n_envs, explore, random, out)
 *          random = (steps < learning_starts): the algorithm draws uniform actions from its
 *          action space with its own acting stream (SB3's _sample_action warm-up).
 *          out.discrete[n_envs] (Discrete) or out.box[n_envs, act_dim] (Box, float64 in the
 *          env's action bounds: the algorithm scales/clips its tanh output itself).
 *   step:  the env (or each env of the batch), counters += n_envs
 *   store: algo->store(self, transitions): n_envs rows of (obs, action, reward, next_obs =
 *          the true final observation on a done, terminated, truncated)
 *   target update: every target_update_interval calls of step, algo->target_update(self)
 *          (NULL = the algorithm updates its targets inside update, as TD3's policy_delay)
 *   train: a rollout ends after train_freq calls of step (DQ_UNIT_STEP; with n_envs envs that
 *          is n_envs * train_freq transitions, as SB3) or train_freq finished episodes
 *          (DQ_UNIT_EPISODE); if steps > learning_starts, algo->update(self, g, clock) with
 *          g = gradient_steps, or (gradient_steps = -1) the transitions of the rollout.
 *   hooks: on_log every log_interval steps, on_eval every eval_freq, on_checkpoint every
 *          checkpoint_freq, on_episode per finished episode; any non-zero return stops after
 *          the step (a later learn call continues).
 * Evaluation code brackets greedy play with algo->eval_begin/eval_end (noisy nets swap in their
 * mean weights; NULL = nothing to do).
 *
 * Nothing here knows Q-values, actors or critics; nothing in an algorithm knows the env. */
#ifndef DQ_RL_OFFPOLICY_H
#define DQ_RL_OFFPOLICY_H

#include "deepq/common.h"
#include "deepq/dqn.h" /* dq_freq_unit */
#include "deepq/env.h"
#include "deepq/safetensors.h"

#define DQ_OFFPOLICY_WINDOW 100 /* episodes in ep_rew_mean, as SB3's ep_info_buffer */

/* The loop's keys (RL-Zoo names), filled from the algorithm's def. */
typedef struct dq_offpolicy_def {
    int64_t n_timesteps;            /* env transitions to learn for */
    int64_t learning_starts;        /* transitions with uniform random actions before training */
    int train_freq;                 /* rollout length: calls of step, or episodes */
    dq_freq_unit train_freq_unit;   /* DQ_UNIT_STEP or DQ_UNIT_EPISODE */
    int gradient_steps;             /* updates per rollout; -1 = transitions collected */
    int64_t target_update_interval; /* calls of step between algo->target_update */
    int n_envs;                     /* envs stepped together (1: today's single env) */
    int64_t prefill;                /* random transitions stored before step 0 */
    uint64_t seed;                  /* env i is first reset with seed + i */
    int64_t log_interval, eval_freq, checkpoint_freq; /* in transitions; 0 = never (eval/ckpt) */
} dq_offpolicy_def;

/* Where training stands, passed to the algorithm (exploration, lr and PER-beta schedules). */
typedef struct dq_offpolicy_clock {
    int64_t num_timesteps; /* transitions so far */
    int64_t n_timesteps;   /* the run's total */
    int64_t episodes;      /* finished episodes so far */
} dq_offpolicy_clock;

/* Actions for n envs: exactly one of the two is used, by the action space's kind. */
typedef struct dq_offpolicy_actions {
    int64_t *discrete; /* [n] Discrete action indices */
    double *box;       /* [n, act_dim] Box actions, in the env's bounds */
} dq_offpolicy_actions;

/* n transitions from one call of step (row i from env i). */
typedef struct dq_offpolicy_transitions {
    int n, obs_dim, act_dim;
    const float *obs;         /* [n, obs_dim] observation acted on */
    const dq_offpolicy_actions *act;
    const double *reward;     /* [n] */
    const float *next_obs;    /* [n, obs_dim] next observation (the true last one on a done) */
    const bool *terminated;   /* [n] terminal state: do not bootstrap */
    const bool *truncated;    /* [n] time limit: bootstrap from next_obs */
} dq_offpolicy_transitions;

/* The algorithm's table. self is the algorithm's agent. Functions marked "may be NULL" are
 * optional. None allocates inside the loop. */
typedef struct dq_offpolicy_algo {
    const char *name; /* "dqn", "ddpg", ... (error messages) */
    /* Current exploration parameter given the clock (epsilon, noise scale); reported to
     * on_episode. May be NULL (0). */
    double (*exploration)(void *self, const dq_offpolicy_clock *clock);
    /* Actions for obs[n, obs_dim] into out; random: uniform from the action space (warm-up). */
    void (*act)(void *self, const float *obs, int n, double explore, bool random,
                dq_offpolicy_actions *out);
    /* Store n transitions (through n-step accumulators, priorities, ...). */
    void (*store)(void *self, const dq_offpolicy_transitions *t);
    /* Forget env i's partial episode (the loop reset it without a done, e.g. after prefill).
     * May be NULL. */
    void (*abort_episode)(void *self, int env);
    /* Run gradient_steps updates; progress in clock (lr schedules, PER beta). */
    dq_status (*update)(void *self, int gradient_steps, const dq_offpolicy_clock *clock,
                        dq_error *err);
    /* Move the target networks (hard copy or Polyak). May be NULL. */
    void (*target_update)(void *self);
    /* Bracket greedy evaluation (noisy nets: mean weights in, noise back out). May be NULL. */
    void (*eval_begin)(void *self);
    void (*eval_end)(void *self);
    /* The algorithm's tensors of a training state (everything but the loop's "loop.*" ones).
     * load_state checks every tensor it reads before changing self (DQ_EFORMAT, one line
     * naming path and the tensor), so a refused file leaves the agent as it was. */
    dq_status (*save_state)(const void *self, dq_safetensors_writer *w, dq_error *err);
    dq_status (*load_state)(void *self, const dq_safetensors *f, const char *path,
                            dq_error *err);
} dq_offpolicy_algo;

/* A finished episode (to on_episode). */
typedef struct dq_offpolicy_episode {
    int env;             /* which env of the batch */
    int64_t episode;     /* 1-based count over all envs */
    int64_t length;
    double ret;          /* undiscounted return */
    bool terminated, truncated;
    int64_t total_steps; /* transitions so far */
    double explore;      /* exploration at the episode's last step */
} dq_offpolicy_episode;

/* The loop's hooks; user is the algorithm's adapter state. Any may be NULL. Non-zero: stop. */
typedef struct dq_offpolicy_hooks {
    void *user;
    int (*on_episode)(void *user, const dq_offpolicy_episode *ep);
    int (*on_log)(void *user);
    int (*on_eval)(void *user);
    int (*on_checkpoint)(void *user);
} dq_offpolicy_hooks;

/* Counters saved in a training state (all int64 so they pack into one tensor). */
typedef struct dq_offpolicy_counters {
    int64_t num_timesteps, episodes, n_calls; /* transitions, episodes, calls of step */
    int64_t rollout_steps, rollout_episodes;  /* since the last training */
    bool need_reset, env_seeded, prefilled;
    double explore;                           /* at the last step */
    double win_ret[DQ_OFFPOLICY_WINDOW];      /* last episodes' returns and lengths */
    int64_t win_len[DQ_OFFPOLICY_WINDOW];
    int win_n, win_pos;
} dq_offpolicy_counters;

/* The core, embedded in the algorithm's agent. */
typedef struct dq_offpolicy {
    dq_offpolicy_def def;
    const dq_offpolicy_algo *algo;
    void *self;                     /* the algorithm's agent, passed to every algo function */
    dq_space obs_space, act_space;
    int obs_dim, act_dim;           /* act_dim: 1 for Discrete */
    dq_offpolicy_counters c;
    /* per-step buffers, row i = env i, allocated at init */
    float *obs, *next_obs;          /* [n_envs, obs_dim] acted on / after the step */
    int64_t *act_i;                 /* [n_envs] Discrete actions */
    double *act_f;                  /* [n_envs, act_dim] Box actions */
    double *reward;                 /* [n_envs] */
    bool *terminated, *truncated;   /* [n_envs] */
    double *ep_return;              /* [n_envs] return of the episode a done ended */
    int64_t *ep_length;             /* [n_envs] its length */
    struct dq_vecenv *vec;          /* n_envs > 1: the batch, made on the first learn call */
    bool in_step;                   /* inside a step (its hooks run): not a saving point */
} dq_offpolicy;

/* Version of the training state layout written by dq_offpolicy_save_state (meta
 * "state_version"); files of another version are refused with one line. */
#define DQ_OFFPOLICY_STATE_VERSION "2"

/* Check the loop's keys (DQ_EINVAL naming the key) and allocate its buffers for these spaces.
 * algo and self are borrowed for the core's lifetime. */
dq_status dq_offpolicy_init(dq_offpolicy *op, const dq_offpolicy_def *def,
                            const dq_offpolicy_algo *algo, void *self, const dq_space *obs_space,
                            const dq_space *act_space, dq_error *err);
/* Free the core's buffers (NULL-safe; the algorithm is not freed). */
void dq_offpolicy_free(dq_offpolicy *op);
/* Learn on env until def.n_timesteps transitions in total (continues a previous call or a
 * loaded state). env's spaces must match. n_envs > 1 collects from a dq_vecenv of env's type
 * (vectorized collection: the interface above already passes n rows everywhere). */
dq_status dq_offpolicy_learn(dq_offpolicy *op, dq_env *env, const dq_offpolicy_hooks *hooks,
                             dq_error *err);
/* Whether a training state can be saved now: n_envs 1 between episodes (the env is reset
 * on the next step, so only its random stream is saved); n_envs > 1 between steps (outside
 * the hooks: a hook that wants a state returns non-zero and the caller saves after
 * dq_offpolicy_learn returns). */
bool dq_offpolicy_at_boundary(const dq_offpolicy *op);
/* Write a training state into w: meta state_version, the loop's tensors ("loop.*": counters,
 * exploration, episode window, the single env's random stream or the env batch's whole
 * state), then algo->save_state. env is the single env (n_envs 1). DQ_EINVAL when not at a
 * boundary; DQ_EUNSUPPORTED when the batch's env has no state vector. */
dq_status dq_offpolicy_save_state(const dq_offpolicy *op, const dq_env *env,
                                  dq_safetensors_writer *w, dq_error *err);
/* Read a state written by dq_offpolicy_save_state: every loop tensor and the env batch are
 * checked, then algo->load_state (which checks its own), and only then is anything copied;
 * a refused file (DQ_EFORMAT, one line naming path) leaves op and the agent unchanged. */
dq_status dq_offpolicy_load_state(dq_offpolicy *op, dq_env *env, const dq_safetensors *f,
                                  const char *path, dq_error *err);
/* Mean return / length over the window (0 when no episode finished). */
double dq_offpolicy_ep_rew_mean(const dq_offpolicy *op);
double dq_offpolicy_ep_len_mean(const dq_offpolicy *op);

#endif
