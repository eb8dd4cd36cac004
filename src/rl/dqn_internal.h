/* dqn_internal.h — the DQN agent's struct, shared by its files:
 *   dqn.c          def, create/destroy, acting, evaluation, the learning loop
 *   dqn_update.c   one gradient update (sample, noise, target, loss, backward, clip, step, PER)
 *   dqn_rainbow.c  the Rainbow parts' keys, buffers, storing, target update and saved state
 *   dqn_io.c       weights and training-state files
 * Buffers marked "net dtype" hold def.dtype elements (float or double); the rest are float32. */
#ifndef DQ_RL_DQN_INTERNAL_H
#define DQ_RL_DQN_INTERNAL_H

#include "deepq/dqn.h"
#include "deepq/heads.h"
#include "deepq/noisy.h"
#include "deepq/nstep.h"
#include "deepq/per.h"
#include "deepq/safetensors.h"
#include "rl/offpolicy.h"

#define DQN_WINDOW DQ_OFFPOLICY_WINDOW

struct dq_dqn {
    dq_dqn_def def;
    int obs_dim, n_actions;
    int B;                     /* effective batch size (1 with no_replay) */
    dq_mlp q;                  /* online network */
    dq_mlp qt;                 /* target network */
    dq_optim opt;
    dq_pool *pool;             /* threads inside the update (def.threads > 1), else NULL */
    dq_replay *rb;
    dq_schedule_def sched;
    dq_rng rng_act;            /* epsilon draws and random actions */
    dq_rng rng_sample;         /* replay sampling */

    dq_offpolicy core;         /* the learn loop and its counters (saved for resume) */
    int64_t n_updates;         /* gradient updates so far (saved) */

    /* diagnostics accumulated since the last on_log */
    double acc_loss, acc_q, acc_qmax, acc_td, acc_gn;
    int acc_n;

    /* buffers, allocated once at create */
    void *x_act;               /* [n_envs, obs_dim] net dtype: rows to act on (n_envs > 1) */
    void *q_act;               /* [n_envs, n_raw] net dtype: their outputs */
    int32_t *a_act;            /* [n_envs] greedy actions */
    float *head_act, *probs_act, *qv_act; /* [n_envs, A * n_atoms] x2, [n_envs, A] heads */
    float *act_q;              /* [n_actions] */
    float *b_obs, *b_next;     /* [B, obs_dim] */
    int32_t *b_act;            /* [B] */
    float *b_rew, *b_term;     /* [B] */
    int64_t *b_idx;            /* [B] */
    void *x_obs, *x_next;      /* [B, obs_dim] in net dtype (alias b_obs/b_next for f32) */
    void *q_sa;                /* [B, n_raw] net dtype: online net(obs) */
    void *q_next;              /* [B, n_raw] net dtype: target net(next_obs) */
    void *q_next_on;           /* [B, n_raw] net dtype: online net(next_obs) (Double DQN) */
    void *dout;                /* [B, A * n_atoms] net dtype: d loss / d head outputs */
    void *b_disc;              /* [B] net dtype: bootstrap discount (gamma^k, 0 if terminal) */
    void *v_next;              /* [B] net dtype: Q_target(next_obs, a*) */
    void *pred, *target, *dpred, *td; /* [B] net dtype */
    int32_t *a_star;           /* [B] the bootstrap action a* */

    /* ---- Rainbow parts (dqn_rainbow.c); all zero/NULL when none is enabled ---- */
    bool ext;                  /* any of PER, n-step, dueling, C51, noisy (extra saved state) */
    int n_atoms;               /* C51 atoms (1 without the distributional head) */
    int n_raw;                 /* network outputs: (dueling ? 1 + A : A) * n_atoms */
    dq_c51_def c51;
    dq_per per;                /* prioritized replay over the replay's slots */
    bool has_per;
    dq_nstep *nstep;           /* [n_envs] n-step accumulators, one per env (n_step > 1) */
    dq_nstep_out *nstep_out;   /* [n_step] */
    float *slot_disc;          /* [buffer_size] discount gamma^k (0 if terminated) per slot */
    dq_noisy nz_q, nz_qt;      /* noisy parameters [mu | sigma] of online and target */
    dq_rng rng_noise;          /* noise draws (split 4 of the master seed) */
    float *noisy_keep;         /* [n_params] online weights held while evaluating with mu */
    float *b_w;                /* [B] PER importance weights */
    float *head, *head_t, *head_on; /* [B, A * n_atoms] after the dueling aggregation */
    float *probs_t, *probs_on; /* [B, A * n_atoms] C51 probabilities */
    float *qv_t, *qv_on, *qv;  /* [B, A] Q-values from the heads */
    float *m_proj;             /* [B, n_atoms] projected target distribution */
    float *p_next;             /* [B, n_atoms] target distribution at a* */
    float *draw;               /* [B, n_raw] gradient through the dueling aggregation */
    float *prio;               /* [B] new priorities source (|TD| or C51 loss) */
    float *act_raw, *act_head, *act_p; /* [n_raw], [A * n_atoms], [A * n_atoms] acting */
};

/* ---- dqn_update.c ---- */
/* One gradient update: sample, noise, target, loss, backward, clip, optimizer step, PER
 * priorities; accumulates the diagnostics and counts the update. */
dq_status dqn_update(dq_dqn *ag, dq_error *err);
/* Its steps, in order (tests call them one by one): 1. batch from the replay (PER: weights b_w);
 * 3. discounts b_disc and target[B] (C51: m_proj); 4-5. loss and backward, returns the loss;
 * 6-7. clip and optimizer step, returns the gradient norm before clipping. */
dq_status dqn_sample_batch(dq_dqn *ag, dq_error *err);
void dqn_compute_target(dq_dqn *ag);
double dqn_loss_backward(dq_dqn *ag);
double dqn_optimizer_step(dq_dqn *ag);
/* Q-values [B, A] from raw outputs [B, n_raw] through the dueling/C51 head (raw itself for a
 * plain head; head, probs, qv are the head's float32 scratch). Returns where Q is. */
const void *dqn_heads(const dq_dqn *ag, const void *raw, float *head, float *probs, float *qv,
                      int B);

/* ---- dqn_rainbow.c ---- */
/* Check the extension fields of a def (DQ_EINVAL naming the key). */
dq_status dqn_rainbow_check(const dq_dqn_def *d, dq_error *err);
/* Network outputs for A actions under d: (dueling ? 1 + A : A) * (distributional ? atoms : 1). */
int dqn_rainbow_outputs(const dq_dqn_def *d, int A);
/* After the networks exist, before the optimizer: noisy wrappers, PER, n-step, buffers. */
dq_status dqn_rainbow_create(dq_dqn *ag, dq_rng *master, dq_error *err);
/* Free what dqn_rainbow_create made (safe on a partly built agent). */
void dqn_rainbow_destroy(dq_dqn *ag);
/* The parameter handle the optimizer steps on: the noisy [mu | sigma] view or the network. */
dq_mlp *dqn_param_handle(dq_dqn *ag);
/* Store one step of env `env` in the replay (through that env's n-step accumulator and PER
 * when enabled). */
void dqn_store(dq_dqn *ag, int env, const float *obs, int a, float r, const float *next_obs,
               bool term, bool trunc);
/* Forget env's partial episode in its n-step accumulator (reset without a done). */
void dqn_store_abort_episode(dq_dqn *ag, int env);
/* Target network update (hard copy / Polyak), on the noisy parameters when noisy. */
void dqn_rainbow_target_update(dq_dqn *ag);
/* Noisy nets: evaluate with the mean weights (begin) and put the noise back (end). */
void dqn_rainbow_eval_begin(dq_dqn *ag);
void dqn_rainbow_eval_end(dq_dqn *ag);

/* The network to save as weights: for noisy nets a copy of m whose params point at mu. */
dq_mlp dqn_rainbow_mean_net(const dq_dqn *ag, bool target);
/* After weights were loaded into q/qt: noisy nets take them as mu. */
void dqn_rainbow_after_load_weights(dq_dqn *ag);
/* Extra tensors of a training state: noisy [mu | sigma] and noise stream, n-step discounts
 * per slot and each env's n-step window, PER priorities (+ the running max). No-ops for plain
 * DQN. */
dq_status dqn_rainbow_save_state(const dq_dqn *ag, dq_safetensors_writer *w, dq_error *err);
dq_status dqn_rainbow_load_state(dq_dqn *ag, const dq_safetensors *f, dq_error *err);

/* DQN's part of a training state (the algorithm table's save_state/load_state entries): the
 * networks, optimizer moments, acting/sampling streams, counters, diagnostics, replay and the
 * Rainbow tensors; load checks them all (dqn_state_check) before copying (dqn_io.c). */
dq_status dqn_save_algo_state(const void *self, dq_safetensors_writer *w, dq_error *err);
dq_status dqn_load_algo_state(void *self, const dq_safetensors *f, const char *path,
                              dq_error *err);

/* Validate every tensor of a training state file against the agent (dtype, shape, ranges,
 * finiteness, counts vs capacity) before dq_dqn_load_state copies any (dqn_state_check.c). */
dq_status dqn_state_check(const dq_dqn *ag, const dq_safetensors *f, const char *path,
                          dq_error *err);

/* ---- dqn.c ---- */
/* DQN's function table for the off-policy core. */
extern const dq_offpolicy_algo dqn_algo;
/* gradient_steps calls of dqn_update. */
dq_status dqn_train(dq_dqn *ag, int gradient_steps, dq_error *err);

#endif
