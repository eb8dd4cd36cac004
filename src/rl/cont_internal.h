/* cont_internal.h — the dq_cont agent's struct, shared by cont.c (networks, updates),
 * cont_learn.c (the learn loop) and cont_io.c (checkpoints, resume). Not public. */
#ifndef DQ_CONT_INTERNAL_H
#define DQ_CONT_INTERNAL_H

#include "deepq/cont.h"
#include "rl/offpolicy.h"

#define CONT_WINDOW DQ_OFFPOLICY_WINDOW /* episodes in ep_rew_mean (SB3's stats window) */

struct dq_cont {
    dq_offpolicy core;             /* the learn loop (rl/offpolicy.h): counters, episode window */
    dq_cont_def def;
    int O, D;                      /* observation and action sizes */
    double low[DQ_NOISE_MAX_DIM], high[DQ_NOISE_MAX_DIM]; /* the action Box */
    int n_q;                       /* critics: TD3 2, DDPG/sampled 1, NAF 0 */
    dq_mlp actor, actor_t;         /* DDPG/TD3 */
    dq_mlp critic[2], critic_t[2]; /* DDPG/TD3/sampled */
    dq_mlp naf, naf_t;             /* NAF: head [V, m, l] */
    dq_optim opt_actor, opt_critic[2], opt_naf;
    dq_pool *pool;
    dq_action_noise noise;
    dq_rng rng_act;                /* random actions, exploration noise, acting search */
    dq_rng rng_sample;             /* replay indices */
    dq_rng rng_update;             /* target smoothing noise, the target's sampled max */
    dq_rng rng_eval;               /* greedy sampled max while evaluating */
    /* replay of scaled actions, a ring of capacity rows */
    int64_t cap, size, pos;
    float *r_obs, *r_next, *r_act, *r_rew; /* [cap, O], [cap, O], [cap, D], [cap] */
    uint8_t *r_term;               /* [cap] terminated (truncation bootstraps) */
    /* batch buffers ([B, .] rows) */
    int B;
    float *b_obs, *b_next, *b_act, *b_rew, *b_term;
    float *x, *mu, *eps, *sm, *q1, *q2, *y, *pred, *dpred, *head, *dhead, *vnext;
    dq_ddpg_scratch ddpg;
    dq_sampled_scratch samp, samp1; /* batch search (target), one-state search (acting) */
    float last_a[DQ_NOISE_MAX_DIM]; /* scaled action of the last act, stored by store */
    int64_t n_updates;
    /* diagnostics since the last on_log */
    double acc_closs, acc_aloss, acc_q;
    int acc_nc, acc_na;
};

/* The algorithm table the core calls (cont_learn.c). */
extern const dq_offpolicy_algo cont_algo;
/* The agent's tensors of a training state: networks, optimizers, streams, counters, noise,
 * diagnostics, replay (cont_algo's save_state/load_state; load checks before copying). */
dq_status cont_save_algo_state(const void *self, dq_safetensors_writer *w, dq_error *err);
dq_status cont_load_algo_state(void *self, const dq_safetensors *f, const char *path,
                               dq_error *err);
/* One update (sample, critic step, maybe actor step and targets). */
void cont_update(dq_cont *ag);
/* Scaled action in [-1, 1]^D of the current policy for one observation (no noise); search
 * draws (sampled) come from rng. */
void cont_policy(dq_cont *ag, const float *obs, float *a, dq_rng *rng);

#endif
