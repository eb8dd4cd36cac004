/* dqn_update.c — one DQN gradient update, written once, in the order of the math:
 *
 *   1. sample     B transitions: uniform (SB3) or prioritized (PER, with importance weights),
 *                 and each one's bootstrap discount (gamma^k of its n-step return, 0 if terminal)
 *   2. noise      noisy nets: fresh factorised noise for the online and the target network
 *   3. target     y = r + disc * Q_target(s', a*), a* = argmax of Q_target(s') or, for Double
 *                 DQN, of Q_online(s'); C51: the target distribution at a* projected on the support
 *   4. loss       online forward on s through the head, Q(s, a) gathered, (weighted) MSE/Huber
 *                 against y, or the C51 cross-entropy
 *   5. backward   the loss gradient scattered back to Q(s, .), through the head, into the MLP
 *   6. clip       global L2 norm of the gradients (torch clip_grad_norm_)
 *   7. step       the optimizer (on [mu | sigma] for noisy nets)
 *   8. priorities PER: |TD| (or the per-sample cross-entropy, as Rainbow) of the batch
 *
 * Every Rainbow part is a branch on the def; plain DQN is the path with none taken. Float64
 * networks run the same code: the network-typed buffers are void pointers and the NN engine's
 * dtype-generic ops (dq_gather, dq_argmax, dq_td_target, dq_td_loss, dq_scatter) dispatch on
 * the element type; the Rainbow heads and noise are float32 only (dq_dqn_def_check).
 * The update matches SB3's DQN.train() operation for operation (tests/test_dqn.c,
 * tests/ref/ fixtures). */
#include "rl/dqn_internal.h"

#include <math.h>
#include <string.h>

/* Q-values [B, A] from raw network outputs raw[B, n_raw]: raw itself for a plain head; the
 * dueling aggregation V + A - mean(A) (per atom) into head[B, A*N]; C51: the atoms' softmax into
 * probs[B, A*N] and Q = sum_j p_j z_j into qv[B, A]. Returns the pointer holding Q. */
const void *dqn_heads(const dq_dqn *ag, const void *raw, float *head, float *probs, float *qv,
                      int B) {
    if (!ag->def.dueling && !ag->def.distributional) return raw;
    const int A = ag->n_actions, N = ag->n_atoms;
    const float *h = raw;
    if (ag->def.dueling) {
        dq_dueling_forward_f32(head, raw, B, A, N);
        h = head;
    }
    if (!ag->def.distributional) return h;
    dq_c51_probs_f32(probs, qv, h, B, A, &ag->c51);
    return qv;
}

/* 1. B transitions into the b_* buffers (x_obs/x_next: in the net dtype), importance weights
 * b_w (PER). */
dq_status dqn_sample_batch(dq_dqn *ag, dq_error *err) {
    const int B = ag->B;
    const dq_dtype dt = ag->def.dtype;
    dq_replay_batch b = {ag->b_obs, ag->b_next, ag->b_act, ag->b_rew, ag->b_term, NULL, ag->b_idx};
    dq_status st = DQ_OK;
    if (ag->def.no_replay) { /* teaching baseline: the last transition only */
        const int64_t last = dq_replay_last(ag->rb);
        dq_replay_gather(ag->rb, &last, 1, &b);
        ag->b_idx[0] = last;
    } else if (ag->has_per) { /* beta anneals from beta0 to 1 over the run */
        const double beta =
            dq_per_beta(&ag->per.def, ag->core.c.num_timesteps, ag->def.n_timesteps);
        st = dq_per_sample(&ag->per, &ag->rng_sample, B, beta, ag->b_idx, ag->b_w, err);
        if (!st) dq_replay_gather(ag->rb, ag->b_idx, B, &b);
    } else {
        st = dq_replay_sample(ag->rb, &ag->rng_sample, B, &b, NULL, err);
    }
    if (st) return st;
    if (dt == DQ_F64) { /* observations are stored as float32; the network reads float64 */
        const size_t n = (size_t)B * (size_t)ag->obs_dim;
        for (size_t i = 0; i < n; i++) {
            dq_elem_set(dt, ag->x_obs, i, ag->b_obs[i]);
            dq_elem_set(dt, ag->x_next, i, ag->b_next[i]);
        }
    }
    return DQ_OK;
}

/* 2. Noisy nets: new noise for both networks, written into their weights. */
static void resample_noise(dq_dqn *ag) {
    dq_noisy_sample(&ag->nz_q, &ag->rng_noise);
    dq_noisy_apply(&ag->nz_q, &ag->q);
    dq_noisy_sample(&ag->nz_qt, &ag->rng_noise);
    dq_noisy_apply(&ag->nz_qt, &ag->qt);
}

/* 3. target[B] = r + disc * Q_target(s', a*) (C51: m_proj[B, N], the projected distribution).
 * Next-state values come from the online net itself under no_target. */
void dqn_compute_target(dq_dqn *ag) {
    const int B = ag->B, A = ag->n_actions, N = ag->n_atoms;
    const dq_dtype dt = ag->def.dtype;
    /* n-step transitions carry their own gamma^k (0 if terminated); else gamma (1 - done) */
    for (int i = 0; i < B; i++)
        dq_elem_set(dt, ag->b_disc, (size_t)i,
                    ag->slot_disc ? (double)ag->slot_disc[ag->b_idx[i]]
                                  : ag->def.gamma * (1.0 - (double)ag->b_term[i]));
    dq_mlp *tnet = ag->def.no_target ? &ag->q : &ag->qt;
    dq_mlp_forward(tnet, ag->x_next, B, ag->q_next);
    const void *q_next = dqn_heads(ag, ag->q_next, ag->head_t, ag->probs_t, ag->qv_t, B);
    const void *q_select = q_next; /* the values a* maximises */
    if (ag->def.double_q && !ag->def.no_target) {
        dq_mlp_forward(&ag->q, ag->x_next, B, ag->q_next_on);
        q_select = dqn_heads(ag, ag->q_next_on, ag->head_on, ag->probs_on, ag->qv_on, B);
    }
    dq_argmax(dt, ag->a_star, q_select, B, A);
    if (ag->def.distributional) {
        for (int b = 0; b < B; b++)
            memcpy(ag->p_next + (size_t)b * N, ag->probs_t + ((size_t)b * A + ag->a_star[b]) * N,
                   sizeof(float) * N);
        dq_c51_project_f32(ag->m_proj, ag->p_next, ag->b_rew, ag->b_disc, B, &ag->c51);
    } else {
        dq_gather(dt, ag->v_next, q_next, ag->a_star, B, A);
        dq_td_target(dt, ag->target, ag->b_rew, ag->b_disc, ag->v_next, B);
    }
}

/* 4 + 5. Online forward on s, loss against the target, its gradient back into the (zeroed)
 * gradients. Writes pred[B] = Q(s, a), td[B], the new priorities prio[B] (PER); accumulates
 * the diagnostics; returns the loss. */
double dqn_loss_backward(dq_dqn *ag) {
    const int B = ag->B, A = ag->n_actions, N = ag->n_atoms;
    const dq_dtype dt = ag->def.dtype;
    const float *w = ag->has_per ? ag->b_w : NULL;
    dq_mlp_zero_grad(&ag->q);
    dq_mlp_forward(&ag->q, ag->x_obs, B, ag->q_sa);
    double loss, tds = 0;
    if (ag->def.distributional) {
        const float *logits = ag->q_sa; /* [B, A*N] after the dueling aggregation */
        if (ag->def.dueling) {
            dq_dueling_forward_f32(ag->head, ag->q_sa, B, A, N);
            logits = ag->head;
        }
        float *pred = ag->pred; /* Q(s, a) of the taken action, for the diagnostics */
        for (int b = 0; b < B; b++)
            dq_c51_probs_f32(ag->probs_on, &pred[b], logits + ((size_t)b * A + ag->b_act[b]) * N,
                             1, 1, &ag->c51);
        loss = dq_c51_loss_f32(ag->dout, ag->prio, logits, ag->b_act, ag->m_proj, w, B, A, N);
        /* |TD| for the diagnostics: Q(s, a) against the mean of the projected target */
        const double zstep = (ag->c51.v_max - ag->c51.v_min) / (N - 1);
        for (int b = 0; b < B; b++) {
            double ev = 0;
            for (int j = 0; j < N; j++)
                ev += ag->m_proj[(size_t)b * N + j] * (ag->c51.v_min + j * zstep);
            tds += fabs(pred[b] - ev);
        }
    } else {
        const void *q = dqn_heads(ag, ag->q_sa, ag->head, ag->probs_on, ag->qv, B);
        dq_gather(dt, ag->pred, q, ag->b_act, B, A);
        loss = dq_td_loss(dt, ag->def.loss, ag->dpred, ag->td, ag->pred, ag->target, w, B);
        dq_scatter(dt, ag->dout, ag->dpred, ag->b_act, B, A);
        for (int b = 0; b < B; b++) {
            const double td = dq_elem(dt, ag->td, (size_t)b);
            if (ag->has_per) ag->prio[b] = (float)td;
            tds += fabs(td);
        }
    }
    const void *draw = ag->dout; /* d loss / d raw outputs */
    if (ag->def.dueling) {
        dq_dueling_backward_f32(ag->draw, ag->dout, B, A, N);
        draw = ag->draw;
    }
    dq_mlp_backward(&ag->q, draw, B, NULL);

    double qsum = 0, qmax = -INFINITY;
    for (int b = 0; b < B; b++) {
        const double v = dq_elem(dt, ag->pred, (size_t)b);
        qsum += v;
        if (v > qmax) qmax = v;
    }
    ag->acc_loss += loss;
    ag->acc_q += qsum / B;
    if (qmax > ag->acc_qmax || ag->acc_n == 0) ag->acc_qmax = qmax;
    ag->acc_td += tds / B;
    return loss;
}

/* 6 + 7. Clip and step; returns the gradient norm before clipping. Noisy nets step
 * [mu | sigma]: dmu = dW, dsigma = dW * noise. */
double dqn_optimizer_step(dq_dqn *ag) {
    dq_mlp *h = dqn_param_handle(ag);
    if (ag->def.noisy) {
        dq_mlp_zero_grad(h);
        dq_noisy_accum_grads(&ag->nz_q, &ag->q);
    }
    /* torch clip_grad_norm_ with an infinite max only measures */
    const double gn = dq_mlp_clip_grad_norm(h, ag->def.max_grad_norm > 0 ? ag->def.max_grad_norm
                                                                         : INFINITY);
    dq_optim_step(&ag->opt, h);
    if (ag->def.noisy) dq_noisy_apply(&ag->nz_q, &ag->q); /* acting uses the new mu */
    ag->acc_gn += gn;
    return gn;
}

dq_status dqn_update(dq_dqn *ag, dq_error *err) {
    dq_status st = dqn_sample_batch(ag, err);                         /* 1 */
    if (st) return st;
    if (ag->def.noisy) resample_noise(ag);                            /* 2 */
    dqn_compute_target(ag);                                           /* 3 */
    dqn_loss_backward(ag);                                            /* 4, 5 */
    dqn_optimizer_step(ag);                                           /* 6, 7 */
    if (ag->has_per) dq_per_update(&ag->per, ag->b_idx, ag->prio, ag->B); /* 8 */
    ag->acc_n++;
    ag->n_updates++;
    return DQ_OK;
}
