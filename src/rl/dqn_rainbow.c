/* dqn_rainbow.c — the DQN agent's Rainbow parts (Hessel et al. 2018) outside the update:
 * prioritized replay, n-step returns, dueling head, distributional C51 head and noisy layers,
 * each a switch of the dq_dqn_def, composable. Here: checking their keys, building their state
 * and buffers, storing transitions (through the n-step accumulator and PER), the target update
 * and evaluation with noisy nets, and their tensors in a training state. The gradient update
 * itself, with every part as a branch, is dqn_update.c. */
#include "rl/dqn_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static dq_per_def per_def_of(const dq_dqn_def *d) {
    dq_per_def pd = dq_per_def_default();
    pd.alpha = d->per_alpha;
    pd.beta0 = d->per_beta0;
    pd.eps = d->per_eps;
    pd.rank_based = d->per_rank_based;
    return pd;
}

dq_status dqn_rainbow_check(const dq_dqn_def *d, dq_error *err) {
#define REQ(cond, ...)                                                                         \
    if (!(cond)) return dq_fail(err, DQ_EINVAL, __VA_ARGS__)
    REQ(d->n_step >= 1 && d->n_step <= DQ_NSTEP_MAX, "n_step must be in [1, %d] (got %d)",
        DQ_NSTEP_MAX, d->n_step);
    const bool ext = d->prioritized_replay || d->n_step > 1 || d->dueling || d->distributional ||
                     d->noisy;
    if (d->prioritized_replay) {
        dq_per_def pd = per_def_of(d);
        dq_per per;
        dq_status st = dq_per_init(&per, &pd, 1, err); /* validates alpha, beta0, eps */
        dq_per_free(&per);
        if (st) return st;
    }
    if (d->distributional) {
        dq_c51_def c = {d->c51_atoms, d->v_min, d->v_max};
        dq_status st = dq_c51_check(&c, err);
        if (st) return st;
    }
    REQ(!d->noisy || (d->noisy_sigma0 >= 0 && d->noisy_sigma0 < 100),
        "noisy_sigma0 must be in [0, 100) (got %g)", d->noisy_sigma0);
    if (ext) {
        REQ(d->dtype == DQ_F32, "prioritized_replay, n_step, dueling, distributional and noisy "
                                "need dtype float32");
        REQ(!d->no_replay, "no_replay cannot be combined with prioritized_replay, n_step, "
                           "dueling, distributional or noisy");
    }
#undef REQ
    return DQ_OK;
}

int dqn_rainbow_outputs(const dq_dqn_def *d, int A) {
    return (d->dueling ? 1 + A : A) * (d->distributional ? d->c51_atoms : 1);
}

dq_mlp *dqn_param_handle(dq_dqn *ag) { return ag->def.noisy ? &ag->nz_q.view : &ag->q; }

dq_status dqn_rainbow_create(dq_dqn *ag, dq_rng *master, dq_error *err) {
    const dq_dqn_def *d = &ag->def;
    ag->rng_noise = dq_rng_split(master, 4);
    ag->n_atoms = d->distributional ? d->c51_atoms : 1;
    ag->n_raw = dqn_rainbow_outputs(d, ag->n_actions);
    ag->ext = d->prioritized_replay || d->n_step > 1 || d->dueling || d->distributional ||
              d->noisy;
    if (!ag->ext) return DQ_OK;
    dq_status st;
    if (d->distributional) {
        ag->c51.atoms = d->c51_atoms;
        ag->c51.v_min = d->v_min;
        ag->c51.v_max = d->v_max;
    }
    if (d->noisy) {
        if ((st = dq_noisy_init(&ag->nz_q, &ag->q, d->noisy_sigma0, d->noisy_layers, err)))
            return st;
        if ((st = dq_noisy_init(&ag->nz_qt, &ag->qt, d->noisy_sigma0, d->noisy_layers, err)))
            return st;
        dq_mlp_copy_params(&ag->nz_qt.view, &ag->nz_q.view);
        ag->noisy_keep = malloc(ag->nz_q.n * sizeof(float));
        if (!ag->noisy_keep) return dq_fail(err, DQ_ENOMEM, "out of memory for noisy nets");
    }
    if (d->prioritized_replay) {
        dq_per_def pd = per_def_of(d);
        if ((st = dq_per_init(&ag->per, &pd, d->buffer_size, err))) return st;
        ag->has_per = true;
    }
    if (d->n_step > 1) {
        /* one accumulator per env: each env's stream is its own sequence of steps */
        ag->nstep = calloc((size_t)d->n_envs, sizeof(dq_nstep));
        if (!ag->nstep) return dq_fail(err, DQ_ENOMEM, "out of memory for the n-step buffers");
        for (int i = 0; i < d->n_envs; i++)
            if ((st = dq_nstep_init(&ag->nstep[i], d->n_step, d->gamma, ag->obs_dim, err)))
                return st;
        ag->nstep_out = calloc((size_t)d->n_step, sizeof(dq_nstep_out));
        ag->slot_disc = calloc((size_t)d->buffer_size, sizeof(float));
        if (!ag->nstep_out || !ag->slot_disc)
            return dq_fail(err, DQ_ENOMEM, "out of memory for the n-step buffers");
    }
    const size_t B = (size_t)ag->B, A = (size_t)ag->n_actions, N = (size_t)ag->n_atoms;
    const size_t R = (size_t)ag->n_raw, H = A * N;
    float **bufs[] = {&ag->b_w,     &ag->head,  &ag->head_t, &ag->head_on, &ag->probs_t,
                      &ag->probs_on, &ag->qv_t, &ag->qv_on,  &ag->qv,      &ag->m_proj,
                      &ag->p_next,  &ag->draw,  &ag->prio,   &ag->act_raw, &ag->act_head,
                      &ag->act_p};
    const size_t len[] = {B, B * H, B * H, B * H, B * H, B * H, B * A, B * A,
                          B * A, B * N, B * N, B * R, B, R, H, H};
    for (size_t i = 0; i < sizeof len / sizeof len[0]; i++) {
        *bufs[i] = calloc(len[i], sizeof(float));
        if (!*bufs[i]) return dq_fail(err, DQ_ENOMEM, "out of memory for the Rainbow buffers");
    }
    for (size_t b = 0; b < B; b++) ag->b_w[b] = 1.0f;
    return DQ_OK;
}

void dqn_rainbow_destroy(dq_dqn *ag) {
    dq_noisy_free(&ag->nz_q);
    dq_noisy_free(&ag->nz_qt);
    if (ag->has_per) dq_per_free(&ag->per);
    for (int i = 0; ag->nstep && i < ag->def.n_envs; i++) dq_nstep_free(&ag->nstep[i]);
    free(ag->nstep);
    free(ag->nstep_out);
    free(ag->slot_disc);
    free(ag->noisy_keep);
    float *bufs[] = {ag->b_w,    ag->head,  ag->head_t, ag->head_on, ag->probs_t, ag->probs_on,
                     ag->qv_t,   ag->qv_on, ag->qv,     ag->m_proj,  ag->p_next,  ag->draw,
                     ag->prio,   ag->act_raw, ag->act_head, ag->act_p};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) free(bufs[i]);
}

/* ---- storing transitions ---- */

static void store_one(dq_dqn *ag, const float *obs, int a, float r, const float *next_obs,
                      bool term, bool trunc, double discount) {
    dq_replay_add(ag->rb, obs, a, r, next_obs, term, trunc);
    const int64_t slot = dq_replay_last(ag->rb);
    if (ag->slot_disc) ag->slot_disc[slot] = (float)discount;
    if (ag->has_per) dq_per_add(&ag->per, slot);
}

void dqn_store(dq_dqn *ag, int env, const float *obs, int a, float r, const float *next_obs,
               bool term, bool trunc) {
    if (ag->def.n_step > 1) {
        const int m =
            dq_nstep_push(&ag->nstep[env], obs, a, r, next_obs, term, trunc, ag->nstep_out);
        for (int i = 0; i < m; i++) {
            const dq_nstep_out *o = &ag->nstep_out[i];
            store_one(ag, o->obs, o->action, o->reward, o->next_obs, o->terminated, o->truncated,
                      o->discount);
        }
    } else {
        store_one(ag, obs, a, r, next_obs, term, trunc, term ? 0.0 : ag->def.gamma);
    }
}

void dqn_store_abort_episode(dq_dqn *ag, int env) {
    if (ag->def.n_step > 1) dq_nstep_clear(&ag->nstep[env]);
}

void dqn_rainbow_target_update(dq_dqn *ag) {
    dq_mlp *dst = ag->def.noisy ? &ag->nz_qt.view : &ag->qt;
    dq_mlp *src = ag->def.noisy ? &ag->nz_q.view : &ag->q;
    if (ag->def.tau >= 1.0) dq_mlp_copy_params(dst, src);
    else dq_mlp_polyak(dst, src, ag->def.tau);
}

/* ---- evaluation ---- */

void dqn_rainbow_eval_begin(dq_dqn *ag) {
    if (!ag->def.noisy) return;
    memcpy(ag->noisy_keep, ag->q.params, ag->nz_q.n * sizeof(float));
    dq_noisy_apply_mean(&ag->nz_q, &ag->q);
}

void dqn_rainbow_eval_end(dq_dqn *ag) {
    /* put back the exact noisy weights (not re-derived: the noise factors are not saved) */
    if (ag->def.noisy) memcpy(ag->q.params, ag->noisy_keep, ag->nz_q.n * sizeof(float));
}

/* ---- checkpoints ---- */

dq_mlp dqn_rainbow_mean_net(const dq_dqn *ag, bool target) {
    dq_mlp m = target ? ag->qt : ag->q;
    if (ag->def.noisy) m.params = target ? ag->nz_qt.params : ag->nz_q.params; /* mu first */
    return m;
}

void dqn_rainbow_after_load_weights(dq_dqn *ag) {
    if (!ag->def.noisy) return;
    const size_t bytes = ag->nz_q.n * sizeof(float);
    memcpy(ag->nz_q.params, ag->q.params, bytes);   /* mu = loaded weights; sigma kept */
    memcpy(ag->nz_qt.params, ag->qt.params, bytes);
}

/* The n-step windows of the n_envs envs: "rainbow.nstep.pending" [n_envs, 2] (ring head,
 * pending steps), then the rings' start observations, actions and rewards. With one env the
 * state is saved between episodes, when nothing is pending; with several, each env's window
 * holds the steps of its running episode. */
static dq_status nstep_save(const dq_dqn *ag, dq_safetensors_writer *w, dq_error *err) {
    const int E = ag->def.n_envs, N = ag->def.n_step, D = ag->obs_dim;
    int64_t *pend = malloc((size_t)E * 2 * sizeof(int64_t));
    float *obs = malloc((size_t)E * (size_t)N * (size_t)D * sizeof(float));
    int32_t *act = malloc((size_t)E * (size_t)N * sizeof(int32_t));
    float *rew = malloc((size_t)E * (size_t)N * sizeof(float));
    dq_status st = pend && obs && act && rew
                       ? DQ_OK : dq_fail(err, DQ_ENOMEM, "out of memory saving n-step windows");
    for (int i = 0; !st && i < E; i++) {
        const dq_nstep *ns = &ag->nstep[i];
        pend[2 * i] = ns->head, pend[2 * i + 1] = ns->count;
        memcpy(obs + (size_t)i * N * D, ns->obs, (size_t)N * D * sizeof(float));
        memcpy(act + (size_t)i * N, ns->action, (size_t)N * sizeof(int32_t));
        memcpy(rew + (size_t)i * N, ns->reward, (size_t)N * sizeof(float));
    }
    const int64_t ps[2] = {E, 2}, os[3] = {E, N, D}, vs[2] = {E, N};
    if (!st) st = dq_safetensors_writer_add(w, "rainbow.nstep.pending", DQ_I64, 2, ps, pend, err);
    if (!st) st = dq_safetensors_writer_add(w, "rainbow.nstep.obs", DQ_F32, 3, os, obs, err);
    if (!st) st = dq_safetensors_writer_add(w, "rainbow.nstep.action", DQ_I32, 2, vs, act, err);
    if (!st) st = dq_safetensors_writer_add(w, "rainbow.nstep.reward", DQ_F32, 2, vs, rew, err);
    free(pend), free(obs), free(act), free(rew);
    return st;
}

/* Restore the windows (checked by dqn_state_check). */
static void nstep_load(dq_dqn *ag, const dq_safetensors *f) {
    const int N = ag->def.n_step, D = ag->obs_dim;
    const int64_t *pend = dq_safetensors_find(f, "rainbow.nstep.pending")->data;
    const float *obs = dq_safetensors_find(f, "rainbow.nstep.obs")->data;
    const int32_t *act = dq_safetensors_find(f, "rainbow.nstep.action")->data;
    const float *rew = dq_safetensors_find(f, "rainbow.nstep.reward")->data;
    for (int i = 0; i < ag->def.n_envs; i++) {
        dq_nstep *ns = &ag->nstep[i];
        ns->head = (int)pend[2 * i], ns->count = (int)pend[2 * i + 1];
        memcpy(ns->obs, obs + (size_t)i * N * D, (size_t)N * D * sizeof(float));
        memcpy(ns->action, act + (size_t)i * N, (size_t)N * sizeof(int32_t));
        memcpy(ns->reward, rew + (size_t)i * N, (size_t)N * sizeof(float));
    }
}

dq_status dqn_rainbow_save_state(const dq_dqn *ag, dq_safetensors_writer *w, dq_error *err) {
    if (!ag->ext) return DQ_OK;
    dq_status st = DQ_OK;
    if (ag->def.noisy) {
        int64_t ns[1] = {(int64_t)(2 * ag->nz_q.n)}, rs[1] = {6};
        int64_t rw[DQ_RNG_WORDS];
        dq_rng_pack(rw, &ag->rng_noise);
        st = dq_safetensors_writer_add(w, "rainbow.noisy_q", DQ_F32, 1, ns, ag->nz_q.params, err);
        if (!st)
            st = dq_safetensors_writer_add(w, "rainbow.noisy_q_target", DQ_F32, 1, ns,
                                           ag->nz_qt.params, err);
        if (!st) st = dq_safetensors_writer_add(w, "rainbow.rng_noise", DQ_I64, 1, rs, rw, err);
    }
    const int64_t n = ag->rb->size;
    if (!st && ag->slot_disc && n > 0) {
        int64_t vs[1] = {n};
        st = dq_safetensors_writer_add(w, "rainbow.slot_discount", DQ_F32, 1, vs, ag->slot_disc,
                                       err);
    }
    if (!st && ag->def.n_step > 1) st = nstep_save(ag, w, err);
    if (!st && ag->has_per && n > 0) {
        /* per slot: the leaf p^alpha (proportional) or the key p (rank-based); then the max */
        const bool rank = ag->per.def.rank_based;
        double *leaves = malloc((size_t)(n + 1) * sizeof(double));
        if (!leaves) return dq_fail(err, DQ_ENOMEM, "out of memory saving PER priorities");
        for (int64_t i = 0; i < n; i++)
            leaves[i] = rank ? dq_per_rank_key(&ag->per, i) : dq_sumtree_get(&ag->per.tree, i);
        leaves[n] = ag->per.max_priority;
        int64_t vs[1] = {n + 1};
        st = dq_safetensors_writer_add(w, "rainbow.per_priority", DQ_F64, 1, vs, leaves, err);
        free(leaves);
        if (!st && rank) { /* the heap order and the updates since the last sort */
            int64_t *order = malloc((size_t)(n + 1) * sizeof(int64_t));
            if (!order) return dq_fail(err, DQ_ENOMEM, "out of memory saving PER ranks");
            memcpy(order, ag->per.heap, (size_t)n * sizeof(int64_t));
            order[n] = ag->per.since_sort;
            st = dq_safetensors_writer_add(w, "rainbow.per_rank_heap", DQ_I64, 1, vs, order, err);
            free(order);
        }
    }
    return st;
}

dq_status dqn_rainbow_load_state(dq_dqn *ag, const dq_safetensors *f, dq_error *err) {
    if (!ag->ext) return DQ_OK;
    dq_status st = DQ_OK;
    if (ag->def.noisy) {
        int64_t ns[1] = {(int64_t)(2 * ag->nz_q.n)}, rs[1] = {6};
        int64_t rw[DQ_RNG_WORDS];
        st = dq_safetensors_read(f, "rainbow.noisy_q", DQ_F32, 1, ns, ag->nz_q.params, err);
        if (!st)
            st = dq_safetensors_read(f, "rainbow.noisy_q_target", DQ_F32, 1, ns, ag->nz_qt.params,
                                     err);
        if (!st) st = dq_safetensors_read(f, "rainbow.rng_noise", DQ_I64, 1, rs, rw, err);
        if (st) return st;
        dq_rng_unpack(&ag->rng_noise, rw);
    }
    const int64_t n = ag->rb->size;
    if (ag->slot_disc && n > 0) {
        int64_t vs[1] = {n};
        st = dq_safetensors_read(f, "rainbow.slot_discount", DQ_F32, 1, vs, ag->slot_disc, err);
        if (st) return st;
    }
    if (ag->def.n_step > 1) nstep_load(ag, f);
    if (ag->has_per && n > 0) {
        double *leaves = malloc((size_t)(n + 1) * sizeof(double));
        if (!leaves) return dq_fail(err, DQ_ENOMEM, "out of memory loading PER priorities");
        int64_t vs[1] = {n + 1};
        st = dq_safetensors_read(f, "rainbow.per_priority", DQ_F64, 1, vs, leaves, err);
        if (!st && ag->per.def.rank_based) {
            int64_t *order = malloc((size_t)(n + 1) * sizeof(int64_t));
            if (!order) st = dq_fail(err, DQ_ENOMEM, "out of memory loading PER ranks");
            if (!st) st = dq_safetensors_read(f, "rainbow.per_rank_heap", DQ_I64, 1, vs, order, err);
            if (!st) st = dq_per_rank_restore(&ag->per, n, leaves, order, order[n], err);
            if (!st) ag->per.max_priority = leaves[n];
            free(order);
        } else if (!st) {
            dq_sumtree_clear(&ag->per.tree);
            for (int64_t i = 0; i < n; i++) dq_sumtree_set(&ag->per.tree, i, leaves[i]);
            ag->per.max_priority = leaves[n];
        }
        free(leaves);
    }
    return st;
}
