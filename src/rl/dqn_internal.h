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

#define DQN_WINDOW 100 /* episodes in ep_rew_mean, as SB3's ep_info_buffer */

struct dq_dqn {
    dq_dqn_def def;
    int obs_dim, n_actions;
    int B;                     /* effective batch size (1 with no_replay) */
    dq_mlp q;                  /* online network */
    dq_mlp qt;                 /* target network */
    dq_optim opt;
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
};

dq_status dqn_sample_batch(dq_dqn *ag, dq_error *err);
void dqn_compute_target(dq_dqn *ag);
double dqn_loss_backward(dq_dqn *ag);
double dqn_optimizer_step(dq_dqn *ag);
/* gradient_steps updates (sample, target, loss, step each), accumulating diagnostics. */
dq_status dqn_train(dq_dqn *ag, int gradient_steps, dq_error *err);

#endif
