/* deepq/dqn.h — Deep Q-Network agent (Mnih et al. 2015) with the semantics of Stable-Baselines3's
 * DQN, plus Double DQN, a choice of loss/optimizer/schedule, and the seed tutorials' teaching
 * baselines (no replay, no target network).
 *
 * Configuration is a dq_dqn_def made by dq_dqn_def_default() and then edited; field names follow
 * RL-Zoo's hyperparameter keys where one exists. The agent owns its networks, optimizer, replay
 * buffer and random streams; the environment is the caller's and is passed to dq_dqn_learn.
 *
 *   dq_dqn_def d = dq_dqn_def_default(); d.n_timesteps = 50000; ...
 *   dq_dqn *ag; dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err);
 *   dq_dqn_learn(ag, env, &callbacks, &err);
 *   int a = dq_dqn_act(ag, obs, 0.0);
 *   dq_dqn_destroy(ag);
 *
 * Semantics (as SB3; with n_envs > 1, n_timesteps, learning_starts and the log/eval/checkpoint
 * intervals count transitions, train_freq counts steps of all envs at once, and the target moves
 * every target_update_interval / n_envs such steps): the first learning_starts steps act
 * uniformly at random; otherwise epsilon-greedy with epsilon from the schedule at the current
 * step. Every target_update_interval env steps the target moves by tau (tau = 1 is a hard copy).
 * Every train_freq steps (or episodes), once more than learning_starts steps were taken,
 * gradient_steps updates run (-1: as many as env steps in that rollout). The TD target is
 * r + gamma * (1 - terminated) * max_a Q_target(next_obs, a): truncation bootstraps, termination
 * does not. Nothing allocates inside the step loop. */
#ifndef DEEPQ_DQN_H
#define DEEPQ_DQN_H

#include "deepq/common.h"
#include "deepq/env.h"
#include "deepq/nn.h"
#include "deepq/replay.h"
#include "deepq/safetensors.h"
#include "deepq/rng.h"
#include "deepq/schedule.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dq_freq_unit { DQ_UNIT_STEP = 0, DQ_UNIT_EPISODE = 1 } dq_freq_unit;

typedef struct dq_dqn_def {
    /* ---- RL-Zoo / SB3 keys (SB3 DQN defaults in brackets) ---- */
    int64_t n_timesteps;            /* env steps to learn for [100000] */
    double learning_rate;           /* optimizer step size [1e-4] */
    bool learning_rate_linear;      /* RL-Zoo "lin_X": lr * (1 - step / n_timesteps) [false] */
    int batch_size;                 /* transitions per update [32] */
    int64_t buffer_size;            /* replay capacity [1000000] */
    int64_t learning_starts;        /* random-action steps before updates [100] */
    double gamma;                   /* discount [0.99] */
    int64_t target_update_interval; /* env steps between target updates [10000] */
    int train_freq;                 /* rollout length between trainings [4] */
    dq_freq_unit train_freq_unit;   /* train_freq counted in steps or episodes [steps] */
    int gradient_steps;             /* updates per training; -1 = env steps in the rollout [1] */
    double exploration_fraction;    /* linear schedule: fraction of n_timesteps [0.1] */
    double exploration_initial_eps; /* [1.0] */
    double exploration_final_eps;   /* [0.05] */
    double tau;                     /* target update coefficient, 1 = hard copy [1.0] */
    double max_grad_norm;           /* global L2 clip; <= 0 disables [10] */
    int n_hidden;                   /* policy_kwargs net_arch: number of hidden layers [2] */
    int net_arch[DQ_MLP_MAX_HIDDEN];/* hidden widths [64, 64] */
    dq_act activation;              /* policy_kwargs activation_fn [ReLU] */
    int n_envs;                     /* envs stepped together (a dq_vecenv when > 1); train_freq
                                       counts steps of all of them, SB3's rule [1] */
    /* ---- deepq keys ---- */
    bool double_q;                  /* Double DQN target (van Hasselt 2016) [false] */
    dq_loss loss;                   /* huber (SB3) or mse [huber] */
    dq_optim_kind optimizer;        /* adam, sgd or rmsprop [adam] */
    double adam_eps;                /* Adam/RMSprop epsilon [1e-8] */
    double momentum;                /* SGD / RMSprop momentum [0] */
    double rmsprop_alpha;           /* RMSprop smoothing [0.99] */
    dq_schedule_kind exploration_schedule; /* linear, exponential, constant [linear] */
    double exploration_decay;       /* exponential: time constant [1000] */
    bool exploration_per_episode;   /* exponential: count episodes instead of steps [false] */
    double eval_eps;                /* epsilon while evaluating [0] */
    bool replay_with_replacement;   /* uniform sampling with replacement (SB3) [true] */
    int64_t prefill;                /* random-policy transitions stored before step 0 [0] */
    bool no_replay;                 /* teaching baseline: learn from the last transition only */
    bool no_target;                 /* teaching baseline: bootstrap from the online network */
    int threads;                    /* threads inside each update (dq_pool); results are
                                       bit-identical for any count [1] */
    /* ---- Rainbow extensions (deepq/per.h, nstep.h, heads.h, noisy.h; float32 only) ---- */
    bool prioritized_replay;        /* PER (Schaul et al. 2016), proportional by default [false] */
    bool per_rank_based;            /* rank-based PER instead (YAML per_kind: rank) [false] */
    double per_alpha;               /* priority exponent [0.6] */
    double per_beta0;               /* importance-weight exponent at step 0, -> 1 at the end [0.4] */
    double per_eps;                 /* priority = |TD| + per_eps [1e-6] */
    int n_step;                     /* n-step returns; 1 = plain DQN [1] */
    bool dueling;                   /* dueling head V + (A - mean A) [false] */
    bool distributional;            /* C51 head and categorical cross-entropy loss [false] */
    int c51_atoms;                  /* support size [51] */
    double v_min, v_max;            /* support bounds [-10, 10] */
    bool noisy;                     /* factorised noisy layers; replaces epsilon-greedy [false] */
    double noisy_sigma0;            /* initial sigma scale sigma0 / sqrt(fan_in) [0.5] */
    int noisy_layers;               /* how many of the last linear layers are noisy; -1 all [-1] */
    uint64_t seed;                  /* master seed of every random stream [0] */
    dq_dtype dtype;                 /* network element type: DQ_F32 or DQ_F64 [f32] */
    /* ---- run control (used by dq_dqn_learn's callbacks) ---- */
    int64_t log_interval;           /* env steps between on_log calls [1000] */
    int64_t eval_freq;              /* env steps between on_eval calls; 0 = never [10000] */
    int n_eval_episodes;            /* episodes per evaluation [10] */
    int64_t checkpoint_freq;        /* env steps between on_checkpoint calls; 0 = never [0] */
    uint32_t magic_;                /* set by dq_dqn_def_default; create rejects a def without */
} dq_dqn_def;

/* SB3 DQN's defaults plus deepq's (see the brackets above). */
DQ_API dq_dqn_def dq_dqn_def_default(void);
/* Check every field; DQ_EINVAL with a message naming the key. */
DQ_API dq_status dq_dqn_def_check(const dq_dqn_def *d, dq_error *err);

/* A finished episode, passed to on_episode. */
typedef struct dq_dqn_episode {
    int64_t episode;     /* 1-based count */
    int64_t length;
    double ret;          /* undiscounted return */
    bool terminated, truncated;
    int64_t total_steps; /* env steps so far */
    double epsilon;      /* exploration rate at the episode's last step */
} dq_dqn_episode;

/* Training diagnostics averaged over the updates since the last on_log. */
typedef struct dq_dqn_stats {
    int64_t step, episodes, n_updates;
    double epsilon;
    int n;               /* updates averaged (0: nothing below is meaningful) */
    double loss;         /* mean loss */
    double q_mean;       /* mean Q(s, a) of the batch */
    double q_max;        /* largest Q(s, a) of the batches */
    double td_abs;       /* mean |Q(s, a) - target| */
    double grad_norm;    /* mean global gradient norm before clipping */
    double terminal_frac;/* fraction of terminal transitions in the buffer now */
} dq_dqn_stats;

typedef struct dq_dqn dq_dqn;

/* Hooks called by dq_dqn_learn; any may be NULL. Return 0 to go on, non-zero to stop learning
 * after the current step (dq_dqn_learn then returns DQ_OK; a later call continues). */
typedef struct dq_dqn_callbacks {
    void *user;
    /* After an episode ends, before the env is reset (a resumable point: dq_dqn_save_state). */
    int (*on_episode)(void *user, dq_dqn *ag, const dq_dqn_episode *ep);
    /* Every log_interval steps, with diagnostics since the previous call. */
    int (*on_log)(void *user, dq_dqn *ag, const dq_dqn_stats *st);
    /* Every eval_freq steps (the callback evaluates, e.g. with dq_dqn_evaluate). */
    int (*on_eval)(void *user, dq_dqn *ag);
    /* Every checkpoint_freq steps. */
    int (*on_checkpoint)(void *user, dq_dqn *ag);
} dq_dqn_callbacks;

/* Build the agent for these spaces (Box observations, Discrete actions): networks initialised
 * from the seed, empty replay. *out owned by the caller (dq_dqn_destroy). */
DQ_API dq_status dq_dqn_create(dq_dqn **out, const dq_dqn_def *def, const dq_space *obs_space,
                        const dq_space *act_space, dq_error *err);
/* Free everything the agent owns (NULL-safe). */
DQ_API void dq_dqn_destroy(dq_dqn *ag);
/* Learn on env until n_timesteps steps in total (continues where a previous call or a loaded
 * state stopped). env must match the spaces given to create. */
DQ_API dq_status dq_dqn_learn(dq_dqn *ag, dq_env *env, const dq_dqn_callbacks *cb, dq_error *err);
/* Epsilon-greedy action for one observation, drawing from the agent's acting stream;
 * eps = 0 is greedy and draws nothing. */
DQ_API int dq_dqn_act(dq_dqn *ag, const float *obs, double eps);
/* Greedy action from the online network, writing Q-values to q[n_actions] if non-NULL. */
DQ_API int dq_dqn_greedy(dq_dqn *ag, const float *obs, float *q);
/* Greedy actions[n] (and Q-values q[n, n_actions] when q is not NULL) of obs[n, obs_dim] with
 * the mean weights of noisy layers, as dq_dqn_evaluate and a loaded checkpoint act (the same
 * as dq_dqn_greedy row by row for agents without noisy layers). */
DQ_API void dq_dqn_greedy_mean(dq_dqn *ag, const float *obs, int n, int64_t *actions, float *q);
/* Evaluation episodes of an env without a TimeLimit end after this many steps (as truncated):
 * a greedy policy may never reach a terminal state (CliffWalking-v0 walking into a wall). */
#define DQ_DQN_EVAL_STEP_CAP 10000
/* Run n episodes with eps-greedy actions from rng on env (first reset with seed, seed < 0
 * continues the env's stream); returns[i], lengths[i] (may be NULL) per episode. Each episode
 * stops at the env's max_episode_steps, or after DQ_DQN_EVAL_STEP_CAP steps if it has none. */
DQ_API dq_status dq_dqn_evaluate(dq_dqn *ag, dq_env *env, int n, double eps, dq_rng *rng, int64_t seed,
                          double *returns, int64_t *lengths, dq_error *err);

/* Read access. */
DQ_API const dq_dqn_def *dq_dqn_get_def(const dq_dqn *ag);
DQ_API int64_t dq_dqn_steps(const dq_dqn *ag);
DQ_API int64_t dq_dqn_episodes(const dq_dqn *ag);
DQ_API int64_t dq_dqn_updates(const dq_dqn *ag);
DQ_API double dq_dqn_epsilon(const dq_dqn *ag);
DQ_API dq_mlp *dq_dqn_online(dq_dqn *ag);
DQ_API dq_mlp *dq_dqn_target(dq_dqn *ag);
DQ_API const dq_replay *dq_dqn_replay(const dq_dqn *ag);
/* The points dq_dqn_save_state accepts: with n_envs 1 between an episode's end and the next
 * reset; with n_envs > 1 between steps (not from inside a callback: stop the run from it and
 * save after dq_dqn_learn returns). */
DQ_API bool dq_dqn_at_boundary(const dq_dqn *ag);
/* Mean return and length of the last (up to) 100 episodes; 0 when none (SB3 ep_rew_mean). */
DQ_API double dq_dqn_ep_rew_mean(const dq_dqn *ag);
DQ_API double dq_dqn_ep_len_mean(const dq_dqn *ag);

/* ---- checkpoints (safetensors) ---- */
/* Metadata strings saved with the weights (each may be NULL). */
typedef struct dq_dqn_meta {
    const char *env_id, *env_kwargs, *config_yaml;
} dq_dqn_meta;
/* Write online and target weights + metadata atomically to path (tensors "q_net.<i>.weight",
 * "q_net.<i>.bias" with i the nn.Sequential index, and "q_net_target.*"). */
DQ_API dq_status dq_dqn_save(const dq_dqn *ag, const char *path, const dq_dqn_meta *meta, dq_error *err);
/* Load weights saved by dq_dqn_save into an agent of the same architecture; a mismatch in
 * shapes or env id (when env_id non-NULL) is DQ_EFORMAT with a clear message. */
DQ_API dq_status dq_dqn_load_weights(dq_dqn *ag, const char *path, const char *env_id, dq_error *err);
/* Full training state for an exact resume (weights, target, optimizer moments, counters, all
 * random streams, replay buffer, the env's stream; with n_envs > 1 every env's state and
 * n-step window); only where dq_dqn_at_boundary holds. Atomic. DQ_EUNSUPPORTED with
 * n_envs > 1 on an env without a state vector (LunarLander). */
/* meta: n_meta (key, value) string pairs stored beside (e.g. the CLI's log offsets). */
DQ_API dq_status dq_dqn_save_state(const dq_dqn *ag, const dq_env *env, const char *path,
                            int n_meta, const char *const *meta, dq_error *err);
/* Restore a state written by dq_dqn_save_state into a fresh agent built from the same def
 * and the env (its random stream is restored). *meta_out (may be NULL) receives the loaded
 * file for reading its metadata; the caller frees it with dq_safetensors_free. */
DQ_API dq_status dq_dqn_load_state(dq_dqn *ag, dq_env *env, const char *path,
                            dq_safetensors **meta_out, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
