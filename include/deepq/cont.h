/* deepq/cont.h — Q-learning with continuous (Box) actions: DDPG (Lillicrap et al. 2016), TD3
 * (Fujimoto et al. 2018), NAF (Gu et al. 2016) and a sampled-max Q-learner (random shooting or
 * the cross-entropy method), with Stable-Baselines3's semantics where SB3 has the algorithm.
 *
 *   dq_cont_def d = dq_cont_def_default(DQ_ALGO_TD3); d.n_timesteps = 20000; ...
 *   dq_cont *ag; dq_cont_create(&ag, &d, &env->obs_space, &env->act_space, &err);
 *   dq_cont_learn(ag, env, &callbacks, &err);
 *   dq_cont_act(ag, obs, env_action);   (greedy, in the env's Box units)
 *   dq_cont_destroy(ag);
 *
 * Semantics (SB3 OffPolicyAlgorithm / TD3 / DDPG): one env step at a time. Actions live in the
 * scaled space [-1, 1]^D inside the agent (the replay buffer stores them so) and are mapped to
 * the Box on the way to the env. The first learning_starts steps act uniformly at random over
 * the Box; afterwards the policy acts (actor output; NAF's mu; the sampled max). Exploration
 * noise (normal or Ornstein-Uhlenbeck, reset at every episode end) is added to the scaled
 * action, also to the random ones, then clipped to [-1, 1]. Every train_freq steps (or episodes),
 * once more than learning_starts steps were taken, gradient_steps updates run (-1: as many as
 * env steps in that rollout). Each update samples batch_size transitions uniformly with
 * replacement; the target is r + gamma (1 - terminated) * [min of the twin target critics at the
 * smoothed target action (TD3) | the target critic at the target actor's action (DDPG) |
 * V_target(s') (NAF) | the sampled max of the target critic (sampled)]; critics minimise MSE.
 * TD3 updates the actor and moves every target by tau every policy_delay-th update; DDPG is
 * TD3 with one critic, policy_delay 1 and no target smoothing. NAF and sampled move their target
 * by tau after every update. Adam throughout (SB3's default).
 *
 * The learn loop is the shared off-policy core (src/rl/offpolicy.c, the one DQN uses); these
 * algorithms plug into it as a table of functions (src/rl/cont_learn.c). */
#ifndef DEEPQ_CONT_H
#define DEEPQ_CONT_H

#include "deepq/action_noise.h"
#include "deepq/common.h"
#include "deepq/cont_math.h"
#include "deepq/dqn.h"
#include "deepq/env.h"
#include "deepq/nn.h"
#include "deepq/rng.h"
#include "deepq/safetensors.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dq_cont_algo {
    DQ_ALGO_DDPG = 0,
    DQ_ALGO_TD3 = 1,
    DQ_ALGO_NAF = 2,
    DQ_ALGO_SAMPLED = 3,
} dq_cont_algo;

/* "ddpg", "td3", "naf", "sampled". */
DQ_API const char *dq_cont_algo_name(dq_cont_algo a);
/* Algorithm by name; DQ_ENOTFOUND listing the names otherwise. */
DQ_API dq_status dq_cont_algo_parse(const char *name, dq_cont_algo *out, dq_error *err);

typedef struct dq_cont_def {
    dq_cont_algo algo;
    /* ---- RL-Zoo / SB3 keys (SB3 TD3 defaults in brackets) ---- */
    int64_t n_timesteps;          /* env steps to learn for [1000000] */
    double learning_rate;         /* Adam step size of actor and critics [1e-3] */
    int batch_size;               /* transitions per update [256] */
    int64_t buffer_size;          /* replay capacity [1000000] */
    int64_t learning_starts;      /* random-action steps before updates [100] */
    double gamma;                 /* discount [0.99] */
    double tau;                   /* Polyak coefficient of every target network [0.005] */
    int train_freq;               /* rollout length between trainings [1] */
    dq_freq_unit train_freq_unit; /* steps or episodes [steps] */
    int gradient_steps;           /* updates per training; -1 = env steps in the rollout [1] */
    int policy_delay;             /* TD3: critic updates per actor update [2; DDPG 1] */
    double target_policy_noise;   /* TD3 smoothing noise std [0.2; DDPG 0] */
    double target_noise_clip;     /* TD3 smoothing noise clip [0.5; DDPG 0] */
    dq_noise_kind noise_type;     /* exploration noise: none, normal, ornstein-uhlenbeck [none] */
    double noise_std;             /* its sigma in scaled units [0.1] */
    int n_hidden;                 /* policy_kwargs net_arch: hidden layers [2] */
    int net_arch[DQ_MLP_MAX_HIDDEN]; /* widths, actor and critics alike [400, 300] */
    dq_act activation;               /* hidden activation [ReLU] */
    /* ---- deepq keys ---- */
    int n_critics; /* TD3's twin critics [2; DDPG 1] */
    int n_samples; /* sampled: candidate actions per state and round [64] */
    int cem_iters; /* sampled: CEM rounds, 0 = one uniform round [0] */
    int cem_elite; /* sampled: CEM elite size [6] */
    /* NAF: weight of an L2 penalty on mu's pre-tanh outputs (rlkit's policy_pre_activation_weight
     * for DDPG): keeps tanh(m) off +-1, where dQ/dm vanishes and mu can stay stuck [0] */
    double naf_preact_weight;
    uint64_t seed; /* master seed of every random stream [0] */
    int threads;   /* threads inside each update (bit-identical for any) [1] */
    /* ---- run control (dq_cont_learn's callbacks) ---- */
    int64_t log_interval; /* env steps between on_log calls [1000] */
    int64_t eval_freq;    /* env steps between on_eval calls; 0 = never [10000] */
    int n_eval_episodes;  /* episodes per evaluation [10] */
    uint32_t magic_;      /* set by dq_cont_def_default */
} dq_cont_def;

/* SB3's defaults for algo (TD3's; DDPG: one critic, policy_delay 1, no smoothing; NAF and
 * sampled: TD3's optimiser/replay settings with one critic). */
DQ_API dq_cont_def dq_cont_def_default(dq_cont_algo algo);
/* Check every field; DQ_EINVAL with a message naming the key. */
DQ_API dq_status dq_cont_def_check(const dq_cont_def *d, dq_error *err);

/* Diagnostics averaged over the updates since the last on_log (SB3's train/ names). */
typedef struct dq_cont_stats {
    int64_t step, episodes, n_updates;
    int n_critic, n_actor; /* critic / actor updates averaged */
    double critic_loss;    /* train/critic_loss (TD3: sum over the twin critics) */
    double actor_loss;     /* train/actor_loss (DDPG/TD3 only) */
    double q_mean;         /* mean Q(s, a) of the sampled batches (first critic) */
} dq_cont_stats;

typedef struct dq_cont dq_cont;

/* Hooks of dq_cont_learn; any may be NULL. Non-zero return stops after the current step. */
typedef struct dq_cont_callbacks {
    void *user;
    int (*on_episode)(void *user, dq_cont *ag, const dq_dqn_episode *ep);
    int (*on_log)(void *user, dq_cont *ag, const dq_cont_stats *st);
    int (*on_eval)(void *user, dq_cont *ag);
} dq_cont_callbacks;

/* Build the agent for Box observations and Box actions; *out owned by the caller. */
DQ_API dq_status dq_cont_create(dq_cont **out, const dq_cont_def *def, const dq_space *obs_space,
                                const dq_space *act_space, dq_error *err);
/* Free (NULL-safe). */
DQ_API void dq_cont_destroy(dq_cont *ag);
/* Learn until n_timesteps steps in total (continues a previous call or a loaded state). */
DQ_API dq_status dq_cont_learn(dq_cont *ag, dq_env *env, const dq_cont_callbacks *cb,
                               dq_error *err);
/* Greedy action for one observation, in the env's units (act_space.size values). The sampled
 * algorithm draws its candidates from the agent's evaluation stream. */
DQ_API void dq_cont_act(dq_cont *ag, const float *obs, double *env_action);
/* Run n greedy episodes on env (first reset with seed; seed < 0 continues the env's stream). */
DQ_API dq_status dq_cont_evaluate(dq_cont *ag, dq_env *env, int n, int64_t seed, double *returns,
                                  int64_t *lengths, dq_error *err);

/* Read access. */
DQ_API const dq_cont_def *dq_cont_get_def(const dq_cont *ag);
DQ_API int64_t dq_cont_steps(const dq_cont *ag);
DQ_API int64_t dq_cont_episodes(const dq_cont *ag);
DQ_API int64_t dq_cont_updates(const dq_cont *ag);
DQ_API bool dq_cont_at_boundary(const dq_cont *ag);
DQ_API double dq_cont_ep_rew_mean(const dq_cont *ag);
/* The networks: "actor", "actor_target", "critic0", "critic1", "critic0_target", ...,
 * "naf", "naf_target" — NULL when the algorithm has no such network. */
DQ_API dq_mlp *dq_cont_net(dq_cont *ag, const char *name);

/* ---- checkpoints (safetensors) ---- */
/* Weights + metadata, atomically. Tensor names follow SB3's TD3Policy state_dict:
 * "actor.mu.<i>.weight", "critic.qf<k>.<i>.weight", "actor_target.mu.*", "critic_target.qf<k>.*"
 * (i the nn.Sequential index); NAF: "naf.<i>.*" and "naf_target.<i>.*". Metadata "algo",
 * "act_low", "act_high" beside env_id/env_kwargs/config_yaml. */
DQ_API dq_status dq_cont_save(const dq_cont *ag, const char *path, const dq_dqn_meta *meta,
                              dq_error *err);
/* Load weights written by dq_cont_save into an agent of the same algo and shapes. */
DQ_API dq_status dq_cont_load_weights(dq_cont *ag, const char *path, const char *env_id,
                                      dq_error *err);
/* Full state for an exact resume (weights, targets, Adam moments, counters, random streams,
 * noise state, replay, the env's stream); only at an episode boundary. Atomic. */
DQ_API dq_status dq_cont_save_state(const dq_cont *ag, const dq_env *env, const char *path,
                                    int n_meta, const char *const *meta, dq_error *err);
/* Restore a state written by dq_cont_save_state into a fresh agent built from the same def. */
DQ_API dq_status dq_cont_load_state(dq_cont *ag, dq_env *env, const char *path,
                                    dq_safetensors **meta_out, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
