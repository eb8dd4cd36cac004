/* deepq/vecenv.h — N copies of one environment stepped together into contiguous arrays
 * (observations [n, obs_dim], rewards, flags), for batched acting and benchmarks.
 *
 * Seeding: dq_vecenv_reset(v, seed) resets env i with seed + i (seed < 0: each env continues
 * its own stream), so env i behaves exactly like a single dq_env made with the same id and
 * options, reset with seed + i and stepped with the same actions.
 *
 * Autoreset rule (Stable-Baselines3's, never losing the true final observation): when env i
 * ends an episode in a step (terminated or truncated), final_obs row i holds the episode's true
 * last observation, env i is immediately reset (no seed: its stream continues) and obs row i
 * holds the new episode's first observation; rewards[i], terminated[i], truncated[i],
 * ep_return[i] and ep_length[i] describe the finished step and episode. When env i did not end,
 * final_obs row i equals obs row i. So a learner stores (obs_before, action, rewards[i],
 * final_obs[i], terminated[i]) — bootstrapping from final_obs when only truncated — and acts
 * on obs next.
 *
 * Next-step autoreset (def.autoreset_next_step, Gymnasium 1.0's vector-env rule): when env i
 * ends an episode, obs row i holds the episode's last observation (as final_obs) and env i is
 * not reset; on the next step its action is ignored, env i is reset (no seed: its stream
 * continues) and obs row i holds the new first observation with reward 0 and both flags false.
 * Both rules draw the same random numbers in the same order, so env i's episodes are the same.
 *
 * Shared generator (def.shared_rng, CartPole-v1 only: Gymnasium 1.0's CartPoleVectorEnv, what
 * gymnasium.make_vec("CartPole-v1", n, vectorization_mode="vector_entry_point") builds): one
 * generator for the whole batch instead of one per env. dq_vecenv_reset(v, seed) seeds it with
 * seed (seed < 0: it continues) and draws the n start states as NumPy's
 * uniform(-0.05, 0.05, size=(4, n)): x of every env, then x_dot, theta, theta_dot. The envs
 * that start an episode in a step draw, after every env was stepped, uniform(size=(4, k)) in
 * env order the same way. With next-step autoreset this is Gymnasium's CartPoleVectorEnv bit
 * for bit (for the same flavour of sin/cos); implies the SoA path.
 *
 * Threads: with def.threads > 1 the envs are split into fixed contiguous blocks, one per
 * thread; every env's computation is the same whatever the split, so results never depend on
 * the thread count. CartPole-v1 also has a structure-of-arrays path (def.soa) giving the same
 * results as the generic one. */
#ifndef DEEPQ_VECENV_H
#define DEEPQ_VECENV_H

#include "deepq/env.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_vecenv_def {
    int n;       /* number of envs, >= 1 */
    int threads; /* worker threads including the caller's, 1..64; 1 = no threads */
    bool soa;    /* use the structure-of-arrays path when the env has one (CartPole-v1) */
    bool autoreset_next_step; /* Gymnasium 1.0's next-step autoreset instead of SB3's [false] */
    dq_env_seeding seeding;   /* how seed + i seeds env i [DQ_SEEDING_NUMPY: Gymnasium's] */
    bool shared_rng; /* one generator for the batch, as Gymnasium's CartPoleVectorEnv [false] */
} dq_vecenv_def;

/* Defaults: n = 8, threads = 1, soa = true, autoreset_next_step = false, seeding NumPy's,
 * shared_rng = false. */
DQ_API dq_vecenv_def dq_vecenv_def_default(void);

typedef struct dq_vecenv_impl dq_vecenv_impl;

/* A batch of envs. Arrays are owned by the vecenv and rewritten by every step/reset. */
typedef struct dq_vecenv {
    int n, obs_dim, act_dim;  /* act_dim: 1 for Discrete, act_space.size for Box */
    dq_space obs_space, act_space; /* of one env */
    int max_episode_steps;
    float *obs;               /* [n, obs_dim] observation to act on next */
    float *final_obs;         /* [n, obs_dim] observation the last step ended in (see rule) */
    double *rewards;          /* [n] */
    bool *terminated;         /* [n] */
    bool *truncated;          /* [n] time limit */
    double *ep_return;        /* [n] return of the episode finished by the last step */
    int64_t *ep_length;       /* [n] its length */
    dq_info *infos;           /* [n] Gymnasium's info of each env's last reset or step, taken
                                 before a same-step autoreset (dq_env_info); NULL for types
                                 without info keys */
    dq_vecenv_impl *impl;
} dq_vecenv;

/* Create n envs of built-in id with "k=v,..." options. *out owned by caller. */
DQ_API dq_status dq_vecenv_create(const char *id, const char *kwargs, const dq_vecenv_def *def,
                           dq_vecenv **out, dq_error *err);
/* Create n envs of any type (your own included, see examples/custom_env.c). */
DQ_API dq_status dq_vecenv_create_type(const dq_env_type *type, const char *kwargs,
                                const dq_vecenv_def *def, dq_vecenv **out, dq_error *err);
/* Free v (NULL-safe); joins its threads. */
DQ_API void dq_vecenv_destroy(dq_vecenv *v);
/* Reset every env (env i with seed + i, or the shared generator with seed; seed < 0
 * continues the streams); fills obs and final_obs, clears rewards and flags. */
DQ_API void dq_vecenv_reset(dq_vecenv *v, int64_t seed);
/* Step every env: actions [n] for Discrete envs, cactions [n, act_dim] for Box envs (the
 * other NULL). Checks every action first: DQ_EINVAL (nothing stepped) on an out-of-range one,
 * or when the batch was never reset. Autoresets as described above. */
DQ_API dq_status dq_vecenv_step(dq_vecenv *v, const int64_t *actions, const double *cactions,
                         dq_error *err);
/* Saved state of the batch (exact resume of a run collecting from it): per env one row of
 * n_f64 float64 values (the observation to act on next, the running episode return, the env
 * type's state vector, see dq_env_type.get_state) and one row of DQ_VECENV_STATE_I64 int64
 * values (steps into the episode, the wrapper's needs_reset/seeded flags, the next-step
 * autoreset flag, the random stream's kind, its xoshiro and NumPy states, the action space's
 * generator). Only for env types whose state vector is their whole dynamic state
 * (dq_vecenv_env_state_exact); otherwise, or when recorded draws are queued, DQ_EUNSUPPORTED
 * naming the env. */
enum { DQ_VECENV_STATE_I64 = 23 };
/* Whether type is a built-in env whose get_state vector continues an episode exactly through
 * set_state: classic control (not MountainCarContinuous) and toy text; not LunarLander (Box2D
 * world) nor FlappyBird. */
DQ_API bool dq_vecenv_env_state_exact(const dq_env_type *type);
DQ_API dq_status dq_vecenv_state_size(const dq_vecenv *v, int *n_f64, dq_error *err);
/* Write the state: f64 [n, n_f64], i64 [n, DQ_VECENV_STATE_I64] (caller-owned). */
DQ_API dq_status dq_vecenv_get_state(const dq_vecenv *v, double *f64, int64_t *i64,
                                     dq_error *err);
/* Restore a state written by dq_vecenv_get_state for a batch of the same type, options and n
 * (continues bit for bit). Every row is checked first: DQ_EINVAL naming the env and the value
 * (nothing changed) on a bad one. */
DQ_API dq_status dq_vecenv_set_state(dq_vecenv *v, const double *f64, const int64_t *i64,
                                     dq_error *err);
/* Env i of the generic path (NULL on the SoA path): for state access and rendering. */
DQ_API dq_env *dq_vecenv_env(dq_vecenv *v, int i);

#ifdef __cplusplus
}
#endif
#endif
