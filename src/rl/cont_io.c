/* cont_io.c — checkpoints of the continuous-action agents in safetensors: the weights file
 * (SB3 TD3Policy state_dict names, loadable into torch nn.Sequentials by
 * tools/load_checkpoint.py) and the full training state for an exact resume. Both are written
 * atomically by the safetensors writer. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cont_internal.h"

#define FORMAT_WEIGHTS "deepq-cont"
#define FORMAT_STATE   "deepq-cont-state"

/* Each network, its tensor prefix and (for the state) its optimizer. */
typedef struct net_ref {
    dq_mlp *m;
    char prefix[40];
    dq_optim *opt;
} net_ref;

static int nets_of(const dq_cont *ag_c, net_ref *out) {
    dq_cont *ag = (dq_cont *)ag_c;
    int n = 0;
    if (ag->def.algo == DQ_ALGO_DDPG || ag->def.algo == DQ_ALGO_TD3) {
        out[n++] = (net_ref){&ag->actor, "actor.mu", &ag->opt_actor};
        out[n++] = (net_ref){&ag->actor_t, "actor_target.mu", NULL};
    }
    for (int k = 0; k < ag->n_q; k++) {
        out[n] = (net_ref){&ag->critic[k], "", &ag->opt_critic[k]};
        snprintf(out[n++].prefix, sizeof out->prefix, "critic.qf%d", k);
        out[n] = (net_ref){&ag->critic_t[k], "", NULL};
        snprintf(out[n++].prefix, sizeof out->prefix, "critic_target.qf%d", k);
    }
    if (ag->def.algo == DQ_ALGO_NAF) {
        out[n++] = (net_ref){&ag->naf, "naf", &ag->opt_naf};
        out[n++] = (net_ref){&ag->naf_t, "naf_target", NULL};
    }
    return n;
}

/* "<prefix>.<2l>.weight" [out, in] and ".bias" [out] (2l: nn.Sequential's index with the
 * activations between the linear layers). */
static dq_status add_net(dq_safetensors_writer *w, const dq_mlp *m, const char *prefix,
                         dq_error *err) {
    const float *p = m->params;
    for (int l = 0; l < m->n_layers; l++) {
        char name[80];
        int64_t ws[2] = {m->dims[l + 1], m->dims[l]}, bs[1] = {m->dims[l + 1]};
        snprintf(name, sizeof name, "%s.%d.weight", prefix, 2 * l);
        dq_status st = dq_safetensors_writer_add(w, name, DQ_F32, 2, ws, p + m->w_off[l], err);
        if (st) return st;
        snprintf(name, sizeof name, "%s.%d.bias", prefix, 2 * l);
        if ((st = dq_safetensors_writer_add(w, name, DQ_F32, 1, bs, p + m->b_off[l], err)))
            return st;
    }
    return DQ_OK;
}

static dq_status read_net(const dq_safetensors *f, dq_mlp *m, const char *prefix, dq_error *err) {
    float *p = m->params;
    for (int l = 0; l < m->n_layers; l++) {
        char name[80];
        int64_t ws[2] = {m->dims[l + 1], m->dims[l]}, bs[1] = {m->dims[l + 1]};
        snprintf(name, sizeof name, "%s.%d.weight", prefix, 2 * l);
        dq_status st = dq_safetensors_read(f, name, DQ_F32, 2, ws, p + m->w_off[l], err);
        if (st) return st;
        snprintf(name, sizeof name, "%s.%d.bias", prefix, 2 * l);
        if ((st = dq_safetensors_read(f, name, DQ_F32, 1, bs, p + m->b_off[l], err))) return st;
    }
    return DQ_OK;
}

static void bounds_text(const double *v, int D, char *buf, size_t cap) {
    size_t k = (size_t)snprintf(buf, cap, "[");
    for (int j = 0; j < D && k < cap; j++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%.17g", j ? ", " : "", v[j]);
    if (k < cap) snprintf(buf + k, cap - k, "]");
}

static dq_status add_meta(dq_safetensors_writer *w, const dq_cont *ag, const char *format,
                          const dq_dqn_meta *meta, dq_error *err) {
    char arch[128], lo[1024], hi[1024], dims[64];
    size_t k = (size_t)snprintf(arch, sizeof arch, "[");
    for (int i = 0; i < ag->def.n_hidden; i++)
        k +=
            (size_t)snprintf(arch + k, sizeof arch - k, "%s%d", i ? ", " : "", ag->def.net_arch[i]);
    snprintf(arch + k, sizeof arch - k, "]");
    bounds_text(ag->low, ag->D, lo, sizeof lo);
    bounds_text(ag->high, ag->D, hi, sizeof hi);
    snprintf(dims, sizeof dims, "%d %d", ag->O, ag->D);
    const char *kv[][2] = {{"format", format},
                           {"algo", dq_cont_algo_name(ag->def.algo)},
                           {"net_arch", arch},
                           {"activation", ag->def.activation == DQ_ACT_TANH ? "tanh" : "relu"},
                           {"obs_act_dims", dims},
                           {"act_low", lo},
                           {"act_high", hi},
                           {"env_id", meta && meta->env_id ? meta->env_id : ""},
                           {"env_kwargs", meta && meta->env_kwargs ? meta->env_kwargs : ""},
                           {"config_yaml", meta && meta->config_yaml ? meta->config_yaml : ""}};
    for (size_t i = 0; i < sizeof kv / sizeof *kv; i++) {
        dq_status st = dq_safetensors_writer_add_meta(w, kv[i][0], kv[i][1], err);
        if (st) return st;
    }
    return DQ_OK;
}

dq_status dq_cont_save(const dq_cont *ag, const char *path, const dq_dqn_meta *meta,
                       dq_error *err) {
    dq_safetensors_writer *w;
    dq_status st = dq_safetensors_writer_create(&w, err);
    if (st) return st;
    net_ref nets[8];
    const int n = nets_of(ag, nets);
    for (int i = 0; !st && i < n; i++) st = add_net(w, nets[i].m, nets[i].prefix, err);
    if (!st) st = add_meta(w, ag, FORMAT_WEIGHTS, meta, err);
    if (!st) st = dq_safetensors_writer_save(w, path, err);
    dq_safetensors_writer_destroy(w);
    return st;
}

static dq_status check_file(const dq_cont *ag, const dq_safetensors *f, const char *path,
                            const char *format, const char *env_id, dq_error *err) {
    const char *fmt = dq_safetensors_meta(f, "format"), *algo = dq_safetensors_meta(f, "algo");
    if (!fmt || strcmp(fmt, format))
        return dq_fail(err, DQ_EFORMAT, "%s is not a deepq %s file (format '%s')", path,
                       strcmp(format, FORMAT_STATE) ? "continuous-agent weights" : "training state",
                       fmt ? fmt : "none");
    if (!algo || strcmp(algo, dq_cont_algo_name(ag->def.algo)))
        return dq_fail(err, DQ_EFORMAT, "%s holds a %s agent, not %s", path, algo ? algo : "?",
                       dq_cont_algo_name(ag->def.algo));
    const char *e = dq_safetensors_meta(f, "env_id");
    if (env_id && e && *e && strcmp(e, env_id))
        return dq_fail(err, DQ_EFORMAT, "%s was trained on %s, not %s", path, e, env_id);
    return DQ_OK;
}

dq_status dq_cont_load_weights(dq_cont *ag, const char *path, const char *env_id, dq_error *err) {
    dq_safetensors *f;
    dq_status st = dq_safetensors_load(&f, path, err);
    if (st) return st;
    st = check_file(ag, f, path, FORMAT_WEIGHTS, env_id, err);
    net_ref nets[8];
    const int n = nets_of(ag, nets);
    for (int i = 0; !st && i < n; i++) st = read_net(f, nets[i].m, nets[i].prefix, err);
    dq_safetensors_free(f);
    return st;
}

/* ---- full state ---- */

/* The agent's part of a training state (cont_algo's save_state/load_state); the loop writes
 * its counters, episode window and the env's stream around it (rl/offpolicy.c). */
enum { RNG_WORDS = DQ_RNG_WORDS, N_RNG = 4, N_COUNTERS = 3 };

static dq_rng *rng_at(dq_cont *ag, int i) {
    dq_rng *r[N_RNG] = {&ag->rng_act, &ag->rng_sample, &ag->rng_update, &ag->rng_eval};
    return r[i];
}

dq_status cont_save_algo_state(const void *self, dq_safetensors_writer *w, dq_error *err) {
    dq_cont *ag = (dq_cont *)self;
    net_ref nets[8];
    const int n = nets_of(ag, nets);
    dq_status st = DQ_OK;
    for (int i = 0; !st && i < n; i++) {
        st = add_net(w, nets[i].m, nets[i].prefix, err);
        if (!st && nets[i].opt) {
            char name[80];
            int64_t os[2] = {nets[i].opt->n_moments, (int64_t)nets[i].opt->n}, ts[1] = {1};
            snprintf(name, sizeof name, "optim.%s.state", nets[i].prefix);
            st = dq_safetensors_writer_add(w, name, DQ_F32, 2, os, nets[i].opt->state, err);
            snprintf(name, sizeof name, "optim.%s.t", nets[i].prefix);
            if (!st) st = dq_safetensors_writer_add(w, name, DQ_I64, 1, ts, &nets[i].opt->t, err);
        }
    }
    int64_t rngs[N_RNG * RNG_WORDS], rs[2] = {N_RNG, RNG_WORDS};
    for (int i = 0; i < N_RNG; i++) dq_rng_pack(rngs + i * RNG_WORDS, rng_at(ag, i));
    if (!st) st = dq_safetensors_writer_add(w, "rng", DQ_I64, 2, rs, rngs, err);
    const int64_t c[N_COUNTERS] = {ag->n_updates, ag->size, ag->pos};
    const int64_t cs[1] = {N_COUNTERS}, ns[1] = {DQ_NOISE_MAX_DIM};
    if (!st) st = dq_safetensors_writer_add(w, "counters", DQ_I64, 1, cs, c, err);
    if (!st) st = dq_safetensors_writer_add(w, "noise.prev", DQ_F64, 1, ns, ag->noise.prev, err);
    double acc[3] = {ag->acc_closs, ag->acc_aloss, ag->acc_q};
    int64_t acc_n[2] = {ag->acc_nc, ag->acc_na}, as[1] = {3}, ans[1] = {2};
    if (!st) st = dq_safetensors_writer_add(w, "diag", DQ_F64, 1, as, acc, err);
    if (!st) st = dq_safetensors_writer_add(w, "diag_n", DQ_I64, 1, ans, acc_n, err);
    if (!st && ag->size > 0) {
        int64_t os[2] = {ag->size, ag->O}, as2[2] = {ag->size, ag->D}, vs[1] = {ag->size};
        st = dq_safetensors_writer_add(w, "replay.obs", DQ_F32, 2, os, ag->r_obs, err);
        if (!st)
            st = dq_safetensors_writer_add(w, "replay.next_obs", DQ_F32, 2, os, ag->r_next, err);
        if (!st) st = dq_safetensors_writer_add(w, "replay.action", DQ_F32, 2, as2, ag->r_act, err);
        if (!st) st = dq_safetensors_writer_add(w, "replay.reward", DQ_F32, 1, vs, ag->r_rew, err);
        if (!st)
            st = dq_safetensors_writer_add(w, "replay.terminated", DQ_U8, 1, vs, ag->r_term, err);
    }
    return st;
}

/* Tensor name (dtype, shape) into dst; with copy false only checked (dst may be NULL). */
static dq_status get_or_read(const dq_safetensors *f, const char *name, dq_dtype dt, int ndim,
                             const int64_t *shape, void *dst, bool copy, dq_error *err) {
    const dq_ndarray *t;
    return copy ? dq_safetensors_read(f, name, dt, ndim, shape, dst, err)
                : dq_safetensors_get(f, name, dt, ndim, shape, &t, err);
}

/* Every tensor of the agent's part: checked (copy false), then copied (copy true). */
static dq_status cont_state_io(dq_cont *ag, const dq_safetensors *f, const char *path, bool copy,
                               dq_error *err) {
    int64_t c[N_COUNTERS], cs[1] = {N_COUNTERS};
    dq_status st = dq_safetensors_read(f, "counters", DQ_I64, 1, cs, c, err);
    if (!st && (c[0] < 0 || c[1] < 0 || c[1] > ag->cap || c[2] < 0 || c[2] >= ag->cap))
        st = dq_fail(err, DQ_EFORMAT, "%s: inconsistent counters (corrupted state file, or a "
                     "different buffer_size)", path);
    net_ref nets[8];
    const int n = nets_of(ag, nets);
    for (int i = 0; !st && i < n; i++) {
        dq_mlp *m = nets[i].m;
        for (int l = 0; !st && l < m->n_layers; l++) {
            char name[80];
            int64_t ws[2] = {m->dims[l + 1], m->dims[l]}, bs[1] = {m->dims[l + 1]};
            snprintf(name, sizeof name, "%s.%d.weight", nets[i].prefix, 2 * l);
            st = get_or_read(f, name, DQ_F32, 2, ws, (float *)m->params + m->w_off[l], copy, err);
            snprintf(name, sizeof name, "%s.%d.bias", nets[i].prefix, 2 * l);
            if (!st)
                st = get_or_read(f, name, DQ_F32, 1, bs, (float *)m->params + m->b_off[l], copy,
                                 err);
        }
        if (!st && nets[i].opt) {
            char name[80];
            int64_t os[2] = {nets[i].opt->n_moments, (int64_t)nets[i].opt->n}, ts[1] = {1};
            snprintf(name, sizeof name, "optim.%s.state", nets[i].prefix);
            st = get_or_read(f, name, DQ_F32, 2, os, nets[i].opt->state, copy, err);
            snprintf(name, sizeof name, "optim.%s.t", nets[i].prefix);
            if (!st) st = get_or_read(f, name, DQ_I64, 1, ts, &nets[i].opt->t, copy, err);
        }
    }
    int64_t rngs[N_RNG * RNG_WORDS], rs[2] = {N_RNG, RNG_WORDS}, ns[1] = {DQ_NOISE_MAX_DIM};
    double acc[3];
    int64_t acc_n[2], as[1] = {3}, ans[1] = {2};
    if (!st) st = dq_safetensors_read(f, "rng", DQ_I64, 2, rs, rngs, err);
    for (int i = 0; !st && i < N_RNG; i++) {
        const int64_t *r = rngs + i * RNG_WORDS;
        if (!(r[0] | r[1] | r[2] | r[3]) || (r[5] != 0 && r[5] != 1))
            st = dq_fail(err, DQ_EFORMAT, "%s: tensor 'rng' row %d is not a valid random "
                         "generator state (corrupted state file)", path, i);
    }
    if (!st) st = get_or_read(f, "noise.prev", DQ_F64, 1, ns, ag->noise.prev, copy, err);
    if (!st) st = dq_safetensors_read(f, "diag", DQ_F64, 1, as, acc, err);
    if (!st) st = dq_safetensors_read(f, "diag_n", DQ_I64, 1, ans, acc_n, err);
    if (!st && (acc_n[0] < 0 || acc_n[0] > INT32_MAX || acc_n[1] < 0 || acc_n[1] > INT32_MAX))
        st = dq_fail(err, DQ_EFORMAT, "%s: tensor 'diag_n' out of range (corrupted state file)",
                     path);
    if (!st && c[1] > 0) {
        int64_t os[2] = {c[1], ag->O}, as2[2] = {c[1], ag->D}, vs[1] = {c[1]};
        st = get_or_read(f, "replay.obs", DQ_F32, 2, os, ag->r_obs, copy, err);
        if (!st) st = get_or_read(f, "replay.next_obs", DQ_F32, 2, os, ag->r_next, copy, err);
        if (!st) st = get_or_read(f, "replay.action", DQ_F32, 2, as2, ag->r_act, copy, err);
        if (!st) st = get_or_read(f, "replay.reward", DQ_F32, 1, vs, ag->r_rew, copy, err);
        if (!st) st = get_or_read(f, "replay.terminated", DQ_U8, 1, vs, ag->r_term, copy, err);
    }
    if (st || !copy) return st;
    for (int i = 0; i < N_RNG; i++) dq_rng_unpack(rng_at(ag, i), rngs + i * RNG_WORDS);
    ag->n_updates = c[0];
    ag->size = c[1];
    ag->pos = c[2];
    ag->acc_closs = acc[0], ag->acc_aloss = acc[1], ag->acc_q = acc[2];
    ag->acc_nc = (int)acc_n[0], ag->acc_na = (int)acc_n[1];
    return DQ_OK;
}

dq_status cont_load_algo_state(void *self, const dq_safetensors *f, const char *path,
                               dq_error *err) {
    dq_status st = cont_state_io(self, f, path, false, err);
    return st ? st : cont_state_io(self, f, path, true, err);
}

dq_status dq_cont_save_state(const dq_cont *ag, const dq_env *env, const char *path, int n_meta,
                             const char *const *meta, dq_error *err) {
    dq_safetensors_writer *w;
    dq_status st = dq_safetensors_writer_create(&w, err);
    if (st) return st;
    /* the loop's tensors, then the agent's through its table (cont_save_algo_state) */
    st = dq_offpolicy_save_state(&ag->core, env, w, err);
    if (!st) st = add_meta(w, ag, FORMAT_STATE, NULL, err);
    for (int i = 0; !st && i < n_meta; i++)
        st = dq_safetensors_writer_add_meta(w, meta[2 * i], meta[2 * i + 1], err);
    if (!st) st = dq_safetensors_writer_save(w, path, err);
    dq_safetensors_writer_destroy(w);
    return st;
}

dq_status dq_cont_load_state(dq_cont *ag, dq_env *env, const char *path, dq_safetensors **meta_out,
                             dq_error *err) {
    if (meta_out) *meta_out = NULL;
    dq_safetensors *f;
    dq_status st = dq_safetensors_load(&f, path, err);
    if (st) return st;
    st = check_file(ag, f, path, FORMAT_STATE, NULL, err);
    if (!st) st = dq_offpolicy_load_state(&ag->core, env, f, path, err);
    if (!st && meta_out) *meta_out = f;
    else dq_safetensors_free(f);
    return st;
}
