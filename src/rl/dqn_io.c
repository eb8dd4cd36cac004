/* dqn_io.c — DQN checkpoints in safetensors: the weights file (loadable into a torch
 * nn.Sequential, see tools/load_checkpoint.py) and the full training state for exact resume.
 * Both are written atomically by the safetensors writer (temp file, fsync, rename). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/safetensors.h"
#include "rl/dqn_internal.h"

#define FORMAT_WEIGHTS "deepq-dqn"
#define FORMAT_STATE "deepq-dqn-state"

static size_t esize(dq_dtype t) { return t == DQ_F64 ? sizeof(double) : sizeof(float); }

static const char *act_name(dq_act a) {
    return a == DQ_ACT_TANH ? "tanh" : a == DQ_ACT_IDENTITY ? "identity" : "relu";
}

static void arch_text(const dq_dqn *ag, char *buf, size_t cap) {
    size_t k = (size_t)snprintf(buf, cap, "[");
    for (int i = 0; i < ag->def.n_hidden && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%d", i ? ", " : "", ag->def.net_arch[i]);
    if (k < cap) snprintf(buf + k, cap - k, "]");
}

/* Tensors "<prefix>.<2l>.weight" [out, in] and ".bias" [out] of network m. */
static dq_status add_net(dq_safetensors_writer *w, const dq_mlp *m, const char *prefix,
                         dq_error *err) {
    size_t es = esize(m->def.dtype);
    for (int l = 0; l < m->n_layers; l++) {
        char name[64];
        int64_t ws[2] = {m->dims[l + 1], m->dims[l]}, bs[1] = {m->dims[l + 1]};
        snprintf(name, sizeof name, "%s.%d.weight", prefix, 2 * l);
        dq_status st = dq_safetensors_writer_add(w, name, m->def.dtype, 2, ws,
                                                 (const char *)m->params + m->w_off[l] * es, err);
        if (st) return st;
        snprintf(name, sizeof name, "%s.%d.bias", prefix, 2 * l);
        st = dq_safetensors_writer_add(w, name, m->def.dtype, 1, bs,
                                       (const char *)m->params + m->b_off[l] * es, err);
        if (st) return st;
    }
    return DQ_OK;
}

static dq_status read_net(const dq_safetensors *f, dq_mlp *m, const char *prefix,
                          dq_error *err) {
    size_t es = esize(m->def.dtype);
    for (int l = 0; l < m->n_layers; l++) {
        char name[64];
        int64_t ws[2] = {m->dims[l + 1], m->dims[l]}, bs[1] = {m->dims[l + 1]};
        snprintf(name, sizeof name, "%s.%d.weight", prefix, 2 * l);
        dq_status st = dq_safetensors_read(f, name, m->def.dtype, 2, ws,
                                           (char *)m->params + m->w_off[l] * es, err);
        if (st) return st;
        snprintf(name, sizeof name, "%s.%d.bias", prefix, 2 * l);
        st = dq_safetensors_read(f, name, m->def.dtype, 1, bs,
                                 (char *)m->params + m->b_off[l] * es, err);
        if (st) return st;
    }
    return DQ_OK;
}

static dq_status add_common_meta(dq_safetensors_writer *w, const dq_dqn *ag, const char *format,
                                 dq_error *err) {
    char buf[256];
    dq_status st = dq_safetensors_writer_add_meta(w, "format", format, err);
    if (!st) st = dq_safetensors_writer_add_meta(w, "deepq_version", DQ_VERSION, err);
    snprintf(buf, sizeof buf, "%d", ag->obs_dim);
    if (!st) st = dq_safetensors_writer_add_meta(w, "obs_dim", buf, err);
    snprintf(buf, sizeof buf, "%d", ag->n_actions);
    if (!st) st = dq_safetensors_writer_add_meta(w, "n_actions", buf, err);
    arch_text(ag, buf, sizeof buf);
    if (!st) st = dq_safetensors_writer_add_meta(w, "net_arch", buf, err);
    if (!st) st = dq_safetensors_writer_add_meta(w, "activation", act_name(ag->def.activation), err);
    if (!st)
        st = dq_safetensors_writer_add_meta(w, "dtype", ag->def.dtype == DQ_F64 ? "float64"
                                                                             : "float32", err);
    snprintf(buf, sizeof buf, "%" PRId64, ag->core.c.num_timesteps);
    if (!st) st = dq_safetensors_writer_add_meta(w, "step", buf, err);
    snprintf(buf, sizeof buf, "%" PRId64, ag->core.c.episodes);
    if (!st) st = dq_safetensors_writer_add_meta(w, "episodes", buf, err);
    snprintf(buf, sizeof buf, "%" PRId64, ag->n_updates);
    if (!st) st = dq_safetensors_writer_add_meta(w, "n_updates", buf, err);
    /* How the last layer's outputs become Q-values (tools/load_checkpoint.py reads these):
     * "q" (they are Q), "dueling" (V | A_0..A_{A-1}, per atom), and for C51 the support. */
    const char *head = ag->def.distributional ? (ag->def.dueling ? "dueling_c51" : "c51")
                                              : (ag->def.dueling ? "dueling" : "q");
    if (!st) st = dq_safetensors_writer_add_meta(w, "head", head, err);
    if (ag->def.distributional) {
        snprintf(buf, sizeof buf, "%d", ag->def.c51_atoms);
        if (!st) st = dq_safetensors_writer_add_meta(w, "atoms", buf, err);
        snprintf(buf, sizeof buf, "%.17g", ag->def.v_min);
        if (!st) st = dq_safetensors_writer_add_meta(w, "v_min", buf, err);
        snprintf(buf, sizeof buf, "%.17g", ag->def.v_max);
        if (!st) st = dq_safetensors_writer_add_meta(w, "v_max", buf, err);
    }
    return st;
}

static dq_status add_meta_opt(dq_safetensors_writer *w, const char *k, const char *v,
                              dq_error *err) {
    return v ? dq_safetensors_writer_add_meta(w, k, v, err) : DQ_OK;
}

dq_status dq_dqn_save(const dq_dqn *ag, const char *path, const dq_dqn_meta *meta,
                      dq_error *err) {
    dq_safetensors_writer *w;
    dq_status st = dq_safetensors_writer_create(&w, err);
    if (st) return st;
    const dq_mlp q = dqn_rainbow_mean_net(ag, false), qt = dqn_rainbow_mean_net(ag, true);
    st = add_net(w, &q, "q_net", err);
    if (!st) st = add_net(w, &qt, "q_net_target", err);
    if (!st) st = add_common_meta(w, ag, FORMAT_WEIGHTS, err);
    if (meta && !st) st = add_meta_opt(w, "env_id", meta->env_id, err);
    if (meta && !st) st = add_meta_opt(w, "env_kwargs", meta->env_kwargs, err);
    if (meta && !st) st = add_meta_opt(w, "config", meta->config_yaml, err);
    if (!st) st = dq_safetensors_writer_save(w, path, err);
    dq_safetensors_writer_destroy(w);
    return st;
}

/* Checks shared by both loaders: format, env id, observation/action sizes. */
static dq_status check_meta(const dq_dqn *ag, const dq_safetensors *f, const char *path,
                            const char *format, const char *env_id, dq_error *err) {
    const char *fmt = dq_safetensors_meta(f, "format");
    if (!fmt || strcmp(fmt, format))
        return dq_fail(err, DQ_EFORMAT, "%s: not a %s file (format '%s')", path, format,
                       fmt ? fmt : "missing");
    const char *e = dq_safetensors_meta(f, "env_id");
    if (env_id && e && strcmp(e, env_id))
        return dq_fail(err, DQ_EFORMAT, "%s: checkpoint is for %s, not %s", path, e, env_id);
    const char *od = dq_safetensors_meta(f, "obs_dim"), *na = dq_safetensors_meta(f, "n_actions");
    if (!od || !na || atoi(od) != ag->obs_dim || atoi(na) != ag->n_actions)
        return dq_fail(err, DQ_EFORMAT,
                       "%s: checkpoint has obs_dim %s and %s actions, the agent %d and %d", path,
                       od ? od : "?", na ? na : "?", ag->obs_dim, ag->n_actions);
    return DQ_OK;
}

dq_status dq_dqn_load_weights(dq_dqn *ag, const char *path, const char *env_id, dq_error *err) {
    dq_safetensors *f;
    dq_status st = dq_safetensors_load(&f, path, err);
    if (st) return st;
    st = check_meta(ag, f, path, FORMAT_WEIGHTS, env_id, err);
    if (!st) st = read_net(f, &ag->q, "q_net", err);
    if (!st) st = read_net(f, &ag->qt, "q_net_target", err);
    if (!st) dqn_rainbow_after_load_weights(ag);
    dq_safetensors_free(f);
    return st;
}

/* ---- full state ---- */

/* DQN's counters in a fixed order; the count is part of the format (dqn_state_check.c). */
enum { N_COUNTERS = 7, N_DIAG = 5 };

dq_status dqn_save_algo_state(const void *self, dq_safetensors_writer *w, dq_error *err) {
    const dq_dqn *ag = self;
    const dq_dtype dt = ag->def.dtype;
    const int64_t np[1] = {(int64_t)ag->q.n_params};
    dq_status st = dq_safetensors_writer_add(w, "q_net.params", dt, 1, np, ag->q.params, err);
    if (!st) st = dq_safetensors_writer_add(w, "q_net_target.params", dt, 1, np, ag->qt.params, err);
    if (!st && ag->opt.n_moments > 0) {
        int64_t os[2] = {ag->opt.n_moments, (int64_t)ag->opt.n};
        st = dq_safetensors_writer_add(w, "optim.state", dt, 2, os, ag->opt.state, err);
    }
    int64_t rngs[2 * DQ_RNG_WORDS];
    dq_rng_pack(rngs, &ag->rng_act);
    dq_rng_pack(rngs + DQ_RNG_WORDS, &ag->rng_sample);
    const int64_t rs[2] = {2, DQ_RNG_WORDS};
    if (!st) st = dq_safetensors_writer_add(w, "rng", DQ_I64, 2, rs, rngs, err);
    const int64_t cnt[N_COUNTERS] = {ag->n_updates, ag->opt.t,       ag->rb->size,
                                     ag->rb->pos,   ag->rb->n_added, ag->rb->n_terminal,
                                     ag->acc_n};
    const int64_t cs[1] = {N_COUNTERS};
    if (!st) st = dq_safetensors_writer_add(w, "counters", DQ_I64, 1, cs, cnt, err);
    const double acc[N_DIAG] = {ag->acc_loss, ag->acc_q, ag->acc_qmax, ag->acc_td, ag->acc_gn};
    const int64_t as[1] = {N_DIAG};
    if (!st) st = dq_safetensors_writer_add(w, "diag", DQ_F64, 1, as, acc, err);
    const int64_t n = ag->rb->size, D = ag->obs_dim;
    if (n > 0) {
        int64_t os[2] = {n, D}, vs[1] = {n};
        if (!st) st = dq_safetensors_writer_add(w, "replay.obs", DQ_F32, 2, os, ag->rb->obs, err);
        if (!st)
            st = dq_safetensors_writer_add(w, "replay.next_obs", DQ_F32, 2, os, ag->rb->next_obs,
                                           err);
        if (!st)
            st = dq_safetensors_writer_add(w, "replay.action", DQ_I32, 1, vs, ag->rb->action, err);
        if (!st)
            st = dq_safetensors_writer_add(w, "replay.reward", DQ_F32, 1, vs, ag->rb->reward, err);
        if (!st)
            st = dq_safetensors_writer_add(w, "replay.terminated", DQ_U8, 1, vs,
                                           ag->rb->terminated, err);
        if (!st)
            st = dq_safetensors_writer_add(w, "replay.truncated", DQ_U8, 1, vs,
                                           ag->rb->truncated, err);
    }
    if (!st) st = dqn_rainbow_save_state(ag, w, err);
    return st;
}

dq_status dqn_load_algo_state(void *self, const dq_safetensors *f, const char *path,
                              dq_error *err) {
    dq_dqn *ag = self;
    /* every tensor is validated (dqn_state_check.c) before anything is copied into the agent */
    dq_status st = dqn_state_check(ag, f, path, err);
    if (st) return st;
    const dq_dtype dt = ag->def.dtype;
    const int64_t np[1] = {(int64_t)ag->q.n_params};
    st = dq_safetensors_read(f, "q_net.params", dt, 1, np, ag->q.params, err);
    if (!st) st = dq_safetensors_read(f, "q_net_target.params", dt, 1, np, ag->qt.params, err);
    if (!st && ag->opt.n_moments > 0) {
        int64_t os[2] = {ag->opt.n_moments, (int64_t)ag->opt.n};
        st = dq_safetensors_read(f, "optim.state", dt, 2, os, ag->opt.state, err);
    }
    int64_t rngs[2 * DQ_RNG_WORDS], c[N_COUNTERS];
    double acc[N_DIAG];
    const int64_t rs[2] = {2, DQ_RNG_WORDS}, cs[1] = {N_COUNTERS}, as[1] = {N_DIAG};
    if (!st) st = dq_safetensors_read(f, "rng", DQ_I64, 2, rs, rngs, err);
    if (!st) st = dq_safetensors_read(f, "counters", DQ_I64, 1, cs, c, err);
    if (!st) st = dq_safetensors_read(f, "diag", DQ_F64, 1, as, acc, err);
    if (st) return st;
    const int64_t size = c[2];
    if (size > 0) {
        int64_t os[2] = {size, ag->obs_dim}, vs[1] = {size};
        st = dq_safetensors_read(f, "replay.obs", DQ_F32, 2, os, ag->rb->obs, err);
        if (!st)
            st = dq_safetensors_read(f, "replay.next_obs", DQ_F32, 2, os, ag->rb->next_obs, err);
        if (!st) st = dq_safetensors_read(f, "replay.action", DQ_I32, 1, vs, ag->rb->action, err);
        if (!st) st = dq_safetensors_read(f, "replay.reward", DQ_F32, 1, vs, ag->rb->reward, err);
        if (!st)
            st = dq_safetensors_read(f, "replay.terminated", DQ_U8, 1, vs, ag->rb->terminated, err);
        if (!st)
            st = dq_safetensors_read(f, "replay.truncated", DQ_U8, 1, vs, ag->rb->truncated, err);
        if (st) return st;
    }
    ag->n_updates = c[0];
    ag->opt.t = c[1];
    ag->rb->size = size;
    ag->rb->pos = c[3];
    ag->rb->n_added = c[4];
    ag->rb->n_terminal = c[5];
    ag->acc_n = (int)c[6];
    ag->acc_loss = acc[0];
    ag->acc_q = acc[1];
    ag->acc_qmax = acc[2];
    ag->acc_td = acc[3];
    ag->acc_gn = acc[4];
    dq_rng_unpack(&ag->rng_act, rngs);
    dq_rng_unpack(&ag->rng_sample, rngs + DQ_RNG_WORDS);
    return dqn_rainbow_load_state(ag, f, err);
}

dq_status dq_dqn_save_state(const dq_dqn *ag, const dq_env *env, const char *path,
                            int n_meta, const char *const *meta, dq_error *err) {
    dq_safetensors_writer *w;
    dq_status st = dq_safetensors_writer_create(&w, err);
    if (st) return st;
    /* the loop's tensors, then DQN's through its table (dqn_save_algo_state) */
    st = dq_offpolicy_save_state(&ag->core, env, w, err);
    if (!st) st = add_common_meta(w, ag, FORMAT_STATE, err);
    char buf[64];
    snprintf(buf, sizeof buf, "%" PRId64, ag->rb->def.capacity);
    if (!st) st = dq_safetensors_writer_add_meta(w, "buffer_capacity", buf, err);
    if (!st) st = dq_safetensors_writer_add_meta(w, "env_id", env->type->id, err);
    for (int i = 0; i < n_meta && !st; i++)
        st = dq_safetensors_writer_add_meta(w, meta[2 * i], meta[2 * i + 1], err);
    if (!st) st = dq_safetensors_writer_save(w, path, err);
    dq_safetensors_writer_destroy(w);
    return st;
}

dq_status dq_dqn_load_state(dq_dqn *ag, dq_env *env, const char *path, dq_safetensors **meta_out,
                            dq_error *err) {
    if (meta_out) *meta_out = NULL;
    dq_safetensors *f;
    dq_status st = dq_safetensors_load(&f, path, err);
    if (st) return st;
    st = check_meta(ag, f, path, FORMAT_STATE, env->type->id, err);
    const char *cap = dq_safetensors_meta(f, "buffer_capacity");
    if (!st && (!cap || strtoll(cap, NULL, 10) != ag->rb->def.capacity))
        st = dq_fail(err, DQ_EFORMAT, "%s: replay capacity %s differs from buffer_size %lld",
                     path, cap ? cap : "?", (long long)ag->rb->def.capacity);
    if (!st) st = dq_offpolicy_load_state(&ag->core, env, f, path, err);
    if (!st && meta_out) *meta_out = f;
    else dq_safetensors_free(f);
    return st;
}
