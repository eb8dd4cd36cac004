/* dqn_internal.h — the DQN agent's struct and its update pieces, shared by dqn.c (learning),
 * dqn_io.c (checkpoints) and extensions (prioritized replay, n-step, distributional heads).
 *
 * One gradient step is four separate functions so an extension can replace one of them:
 *   dqn_sample_batch   replay -> batch buffers (and network-dtype copies of the observations)
 *   dqn_compute_target batch -> target[B] = r + gamma (1 - terminated) Q_target(next_obs, .)
 *   dqn_loss_backward  online forward, gather Q(s, a), loss vs target, backward into grads
 *   dqn_optimizer_step clip the global grad norm, optimizer step */
#ifndef DQ_RL_DQN_INTERNAL_H
#define DQ_RL_DQN_INTERNAL_H

#include "deepq/dqn.h"
#include "deepq/heads.h"
#include "deepq/noisy.h"
#include "deepq/nstep.h"
#include "deepq/per.h"
#include "deepq/safetensors.h"

#define DQN_WINDOW 100 /* episodes in ep_rew_mean, as SB3's ep_info_buffer */

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

    /* counters (all saved for resume) */
    int64_t num_timesteps, episodes, n_updates, n_calls;
    int64_t rollout_steps, rollout_episodes;
    double epsilon;
    bool need_reset, env_seeded, prefilled;
    int64_t ep_len;
    double ep_ret;
    double win_ret[DQN_WINDOW];
    int64_t win_len[DQN_WINDOW];
    int win_n, win_pos;

    /* diagnostics accumulated since the last on_log */
    double acc_loss, acc_q, acc_qmax, acc_td, acc_gn;
    int acc_n;

    /* buffers, allocated once at create */
    float *obs, *next_obs;     /* [obs_dim] current and next observation */
    float *act_q;              /* [n_actions] */
    float *b_obs, *b_next;     /* [B, obs_dim] */
    int32_t *b_act;            /* [B] */
    float *b_rew, *b_term;     /* [B] */
    int64_t *b_idx;            /* [B] */
    void *x_obs, *x_next;      /* [B, obs_dim] in net dtype (alias b_obs/b_next for f32) */
    void *q_sa;                /* [B, A] online Q(obs, .) */
    void *q_next;              /* [B, A] target Q(next_obs, .) */
    void *q_next_on;           /* [B, A] online Q(next_obs, .) (Double DQN) */
    void *dout;                /* [B, A] d loss / d Q(obs, .) */
    void *pred, *target, *dpred, *td; /* [B] */
    int32_t *a_star;           /* [B] argmax of online Q(next_obs, .) */

    /* ---- Rainbow extensions (dqn_rainbow.c); all zero/NULL when none is enabled ---- */
    bool ext;                  /* any of PER, n-step, dueling, C51, noisy: dqn_rainbow_train */
    int n_atoms;               /* C51 atoms (1 without the distributional head) */
    int n_raw;                 /* network outputs: (dueling ? 1 + A : A) * n_atoms */
    dq_c51_def c51;
    dq_per per;                /* prioritized replay over the replay's slots */
    bool has_per;
    dq_nstep nstep;            /* n-step accumulator (n_step > 1) */
    dq_nstep_out *nstep_out;   /* [n_step] */
    float *slot_disc;          /* [buffer_size] discount gamma^k (0 if terminated) per slot */
    dq_noisy nz_q, nz_qt;      /* noisy parameters [mu | sigma] of online and target */
    dq_rng rng_noise;          /* noise draws (split 4 of the master seed) */
    float *noisy_keep;         /* [n_params] online weights held while evaluating with mu */
    float *b_w;                /* [B] importance weights (1 without PER) */
    float *b_disc;             /* [B] bootstrap discount per sample */
    float *raw, *raw_t, *raw_on; /* [B, n_raw] online(obs), target(next), online(next) */
    float *head, *head_t, *head_on; /* [B, A * n_atoms] after the dueling aggregation */
    float *probs_t, *probs_on; /* [B, A * n_atoms] C51 probabilities */
    float *qv_t, *qv_on, *qv;  /* [B, A] Q-values from the heads */
    float *m_proj;             /* [B, n_atoms] projected target distribution */
    float *p_next;             /* [B, n_atoms] target distribution at a* */
    float *dhead, *draw;       /* [B, A * n_atoms], [B, n_raw] gradients */
    float *prio;               /* [B] new priorities source (|TD| or C51 loss) */
    float *act_raw, *act_head, *act_p; /* [n_raw], [A * n_atoms], [A * n_atoms] acting */
};

dq_status dqn_sample_batch(dq_dqn *ag, dq_error *err);
void dqn_compute_target(dq_dqn *ag);
double dqn_loss_backward(dq_dqn *ag);
double dqn_optimizer_step(dq_dqn *ag);
/* Rainbow extensions (dqn_rainbow.c). */
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
/* Store one env step in the replay (through the n-step accumulator and PER when enabled). */
void dqn_store(dq_dqn *ag, const float *obs, int a, float r, const float *next_obs, bool term,
               bool trunc);
/* Forget a partial episode in the n-step accumulator (the env is reset without a done). */
void dqn_store_abort_episode(dq_dqn *ag);
/* Target network update (hard copy / Polyak), on the noisy parameters when noisy. */
void dqn_rainbow_target_update(dq_dqn *ag);
/* One gradient step with the enabled extensions (sample, target, loss, step, priorities). */
dq_status dqn_rainbow_step(dq_dqn *ag, dq_error *err);
/* Greedy action through the heads (dueling / C51), Q-values to q[A] if non-NULL. */
int dqn_rainbow_greedy(dq_dqn *ag, const float *obs, float *q);
/* Noisy nets: evaluate with the mean weights (begin) and put the noise back (end). */
void dqn_rainbow_eval_begin(dq_dqn *ag);
void dqn_rainbow_eval_end(dq_dqn *ag);

/* The network to save as weights: for noisy nets a copy of m whose params point at mu. */
dq_mlp dqn_rainbow_mean_net(const dq_dqn *ag, bool target);
/* After weights were loaded into q/qt: noisy nets take them as mu. */
void dqn_rainbow_after_load_weights(dq_dqn *ag);
/* Extra tensors of a training state: noisy [mu | sigma] and noise stream, n-step discounts
 * per slot, PER priorities (+ the running max). No-ops for plain DQN. */
dq_status dqn_rainbow_save_state(const dq_dqn *ag, dq_safetensors_writer *w, dq_error *err);
dq_status dqn_rainbow_load_state(dq_dqn *ag, const dq_safetensors *f, dq_error *err);

/* Validate every tensor of a training state file against the agent (dtype, shape, ranges,
 * finiteness, counts vs capacity) before dq_dqn_load_state copies any (dqn_state_check.c). */
dq_status dqn_state_check(const dq_dqn *ag, const dq_safetensors *f, const char *path,
                          dq_error *err);

/* gradient_steps updates (sample, target, loss, step each), accumulating diagnostics. */
dq_status dqn_train(dq_dqn *ag, int gradient_steps, dq_error *err);

#endif
