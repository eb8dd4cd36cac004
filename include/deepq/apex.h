/* deepq/apex.h — the MPI-free parts of Ape-X (Horgan et al. 2018, "Distributed Prioritized
 * Experience Replay"): the actors' epsilons, the versioned message layouts, and the hooks a
 * learner needs on a dq_dqn fed from outside (store with a given priority, train, move the
 * target, priorities of a block computed by an actor). `deepq train --distributed apex` moves
 * these messages over MPI (cli/mpi/apex_mpi.c); nothing here depends on the rank count except
 * through the arguments.
 *
 * A transition block (actor -> learner) is one contiguous buffer:
 *   dq_apex_header (kind DQ_APEX_BLOCK, n transitions, cap, obs_dim, n_eps episodes)
 *   obs f32[cap, obs_dim] | next_obs f32[cap, obs_dim] | action i32[cap] | reward f32[cap]
 *   discount f32[cap] (gamma^k of the n-step return, 0 when terminated) | priority f32[cap]
 *   ep_return f64[cap] | ep_length i64[cap]
 * A parameter message (learner -> actors): dq_apex_header (kind DQ_APEX_PARAMS, n = n_params,
 * updates) then f32[n_params]. A control message (learner -> actor: stop; actor -> learner:
 * bye) is the header alone. Every receiver checks magic, version, kind and sizes first. */
#ifndef DEEPQ_APEX_H
#define DEEPQ_APEX_H

#include "deepq/dqn.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    DQ_APEX_MAGIC = 0x58415144, /* "DQAX" little-endian */
    DQ_APEX_VERSION = 1,        /* bump on any layout change */
};

typedef enum dq_apex_kind {
    DQ_APEX_BLOCK = 1,  /* actor -> learner: transitions */
    DQ_APEX_PARAMS = 2, /* learner -> actor: online network parameters */
    DQ_APEX_STOP = 3,   /* learner -> actor: stop acting, send BYE */
    DQ_APEX_BYE = 4,    /* actor -> learner: no more blocks from me */
} dq_apex_kind;

/* Fixed 64-byte head of every message. */
typedef struct dq_apex_header {
    uint32_t magic, version;
    int32_t kind, actor;      /* sender's actor index (0.. for actors; -1 learner) */
    int32_t n, cap;           /* BLOCK: transitions and capacity; PARAMS: n_params, 0 */
    int32_t obs_dim, n_eps;   /* BLOCK: observation size, finished episodes in the block */
    int64_t env_steps;        /* BLOCK: the actor's env steps so far */
    int64_t updates;          /* PARAMS: learner updates when sent */
    double epsilon;           /* BLOCK: the actor's epsilon */
    double reserved;
} dq_apex_header;

/* A block's arrays as views into its buffer (see the layout above). */
typedef struct dq_apex_block {
    dq_apex_header *h;
    float *obs, *next_obs;  /* [cap, obs_dim] */
    int32_t *action;        /* [cap] */
    float *reward, *discount, *priority; /* [cap] */
    double *ep_return;      /* [cap] */
    int64_t *ep_length;     /* [cap] */
} dq_apex_block;

/* Ape-X settings; the CLI's --apex-* options edit these. */
typedef struct dq_apex_def {
    int n_envs;          /* envs each actor steps together (dq_vecenv) [4] */
    double eps_base;     /* epsilon of actor 0 (Ape-X's epsilon) [0.4] */
    double eps_alpha;    /* spread of the actors' epsilons (Ape-X's alpha) [7] */
    int block;           /* transitions per message [64] */
    int param_every;     /* learner updates between parameter broadcasts (K) [50] */
    int max_inflight;    /* blocks an actor may have in flight before it waits [4] */
    uint32_t magic_;     /* set by dq_apex_def_default */
} dq_apex_def;

/* Defaults (brackets above). */
DQ_API dq_apex_def dq_apex_def_default(void);
/* Check a def (made by dq_apex_def_default, values in range). */
DQ_API dq_status dq_apex_def_check(const dq_apex_def *d, dq_error *err);
/* Epsilon of actor i of n: eps_base^(1 + eps_alpha i / (n - 1)); eps_base when n == 1. */
DQ_API double dq_apex_epsilon(const dq_apex_def *d, int i, int n);

/* Bytes of a block of capacity cap for obs_dim-sized observations. */
DQ_API size_t dq_apex_block_bytes(int cap, int obs_dim);
/* Lay a block of capacity cap out over buf (dq_apex_block_bytes(cap, obs_dim) bytes, 8-byte
 * aligned): header filled (n = 0, n_eps = 0), views set. */
DQ_API void dq_apex_block_init(dq_apex_block *b, void *buf, int cap, int obs_dim, int actor);
/* Check a received message of len bytes (magic, version, kind, sizes against obs_dim and
 * n_params; 0 skips that check) and, for a block, set the views. DQ_EFORMAT with what differs. */
DQ_API dq_status dq_apex_parse(void *buf, size_t len, int obs_dim, int64_t n_params, dq_apex_block *b,
                        dq_error *err);
/* Fill a header-only message (STOP, BYE) or the head of a PARAMS message. */
DQ_API void dq_apex_header_init(dq_apex_header *h, dq_apex_kind kind, int actor);

/* ---- learner / actor hooks on a dq_dqn (src/rl/dqn_apex.c) ---- */

/* Check that ag can be fed from outside: float32, proportional PER, plain Q head. */
DQ_API dq_status dq_dqn_apex_check(const dq_dqn *ag, dq_error *err);
/* Learner: store one (n-step) transition with bootstrap discount and priority |TD| + eps
 * (priority <= 0: the largest seen so far, as a new transition in PER). */
DQ_API void dq_dqn_store_prioritized(dq_dqn *ag, const float *obs, int action, float reward,
                              const float *next_obs, bool terminated, double discount,
                              double priority);
/* Learner: n gradient steps (PER sample, update, new priorities); lr and PER beta follow
 * env_steps of the def's n_timesteps. */
DQ_API dq_status dq_dqn_train_steps(dq_dqn *ag, int n, int64_t env_steps, dq_error *err);
/* Learner: move the target network toward the online one (tau; 1 = copy). */
DQ_API void dq_dqn_update_target(dq_dqn *ag);
/* Actor: priority[i] = |reward + discount * max_a Q(next_obs, a) - Q(obs, action)| + per_eps
 * for n transitions, with the online network (Ape-X's actors have no target network). */
DQ_API void dq_dqn_block_priorities(dq_dqn *ag, float *priority /*[n]*/, const float *obs /*[n, od]*/,
                             const int32_t *action /*[n]*/, const float *reward /*[n]*/,
                             const float *next_obs /*[n, od]*/, const float *discount /*[n]*/,
                             int n);

#ifdef __cplusplus
}
#endif
#endif
