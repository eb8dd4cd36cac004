/* offpolicy.c — the off-policy learn loop (see rl/offpolicy.h for the contract with the
 * algorithms). One env (n_envs = 1) steps a dq_env the caller owns, reset lazily at the top of
 * the next step as deepq always did; n_envs > 1 steps a dq_vecenv of the same type with SB3's
 * autoreset. Everything after the env step (counters, storing, target updates, when to train,
 * hooks, episode bookkeeping) is the same code for both. At the end: the training state, the
 * loop's own tensors ("loop.*") around the algorithm's (its save_state/load_state entries). */
#include "rl/offpolicy.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/vecenv.h"
#include "rl/state_check.h"

dq_status dq_offpolicy_init(dq_offpolicy *op, const dq_offpolicy_def *def,
                            const dq_offpolicy_algo *algo, void *self, const dq_space *obs_space,
                            const dq_space *act_space, dq_error *err) {
    memset(op, 0, sizeof *op);
    if (def->n_envs < 1 || def->n_envs > 4096)
        return dq_fail(err, DQ_EINVAL, "n_envs must be in 1..4096 (got %d)", def->n_envs);
    op->def = *def;
    op->algo = algo;
    op->self = self;
    op->obs_space = *obs_space;
    op->act_space = *act_space;
    op->obs_dim = obs_space->size;
    op->act_dim = act_space->kind == DQ_SPACE_DISCRETE ? 1 : act_space->size;
    op->c.need_reset = true;
    const size_t n = (size_t)def->n_envs, D = (size_t)op->obs_dim;
    op->obs = calloc(n * D, sizeof(float));
    op->next_obs = calloc(n * D, sizeof(float));
    op->act_i = calloc(n, sizeof(int64_t));
    op->act_f = calloc(n * (size_t)op->act_dim, sizeof(double));
    op->reward = calloc(n, sizeof(double));
    op->terminated = calloc(n, sizeof(bool));
    op->truncated = calloc(n, sizeof(bool));
    op->ep_return = calloc(n, sizeof(double));
    op->ep_length = calloc(n, sizeof(int64_t));
    if (!op->obs || !op->next_obs || !op->act_i || !op->act_f || !op->reward ||
        !op->terminated || !op->truncated || !op->ep_return || !op->ep_length) {
        dq_offpolicy_free(op);
        return dq_fail(err, DQ_ENOMEM, "out of memory for the learn loop's buffers");
    }
    return DQ_OK;
}

void dq_offpolicy_free(dq_offpolicy *op) {
    if (!op) return;
    dq_vecenv_destroy(op->vec);
    free(op->obs);
    free(op->next_obs);
    free(op->act_i);
    free(op->act_f);
    free(op->reward);
    free(op->terminated);
    free(op->truncated);
    free(op->ep_return);
    free(op->ep_length);
    memset(op, 0, sizeof *op);
}

static dq_offpolicy_clock clock_of(const dq_offpolicy *op) {
    dq_offpolicy_clock k = {op->c.num_timesteps, op->def.n_timesteps, op->c.episodes};
    return k;
}

/* Step the single env with the actions in op; fills next_obs, reward, flags, episode stats. */
static dq_status step_single(dq_offpolicy *op, dq_env *env, dq_error *err) {
    dq_step s;
    dq_status st = op->act_space.kind == DQ_SPACE_DISCRETE
                       ? dq_env_step(env, op->act_i[0], op->next_obs, &s, err)
                       : dq_env_step_cont(env, op->act_f, op->next_obs, &s, err);
    if (st) return st;
    op->reward[0] = s.reward;
    op->terminated[0] = s.terminated;
    op->truncated[0] = s.truncated;
    op->ep_return[0] = s.ep_return;
    op->ep_length[0] = s.ep_length;
    return DQ_OK;
}

/* Step the batch; next_obs = each env's true last observation (final_obs). */
static dq_status step_vec(dq_offpolicy *op, dq_error *err) {
    dq_vecenv *v = op->vec;
    const bool disc = op->act_space.kind == DQ_SPACE_DISCRETE;
    dq_status st = dq_vecenv_step(v, disc ? op->act_i : NULL, disc ? NULL : op->act_f, err);
    if (st) return st;
    const size_t n = (size_t)v->n;
    memcpy(op->next_obs, v->final_obs, n * (size_t)op->obs_dim * sizeof(float));
    memcpy(op->reward, v->rewards, n * sizeof(double));
    memcpy(op->terminated, v->terminated, n * sizeof(bool));
    memcpy(op->truncated, v->truncated, n * sizeof(bool));
    memcpy(op->ep_return, v->ep_return, n * sizeof(double));
    memcpy(op->ep_length, v->ep_length, n * sizeof(int64_t));
    return DQ_OK;
}

/* A batch of n_envs envs of env's type and options (not reset yet). */
static dq_status create_vec(const dq_offpolicy *op, const dq_env *env, dq_vecenv **out,
                            dq_error *err) {
    char kw[DQ_KWARGS_MAX * 520];
    size_t len = 0;
    kw[0] = '\0';
    for (int i = 0; i < env->kwargs.n && len < sizeof kw; i++)
        len += (size_t)snprintf(kw + len, sizeof kw - len, "%s%s=%s", i ? "," : "",
                                env->kwargs.kv[i].key, env->kwargs.kv[i].value);
    dq_vecenv_def vd = dq_vecenv_def_default();
    vd.n = op->def.n_envs;
    vd.seeding = DQ_SEEDING_XOSHIRO; /* a run's env streams: see dq_env_seeding */
    return dq_vecenv_create_type(env->type, kw, &vd, out, err);
}

/* n_envs > 1: the batch, env i first reset with seed + i. */
static dq_status make_vec(dq_offpolicy *op, const dq_env *env, dq_error *err) {
    dq_status st = create_vec(op, env, &op->vec, err);
    if (st) return st;
    dq_vecenv_reset(op->vec, (int64_t)(op->def.seed & INT64_MAX));
    memcpy(op->obs, op->vec->obs, (size_t)op->def.n_envs * (size_t)op->obs_dim * sizeof(float));
    op->c.env_seeded = true;
    op->c.need_reset = false;
    return DQ_OK;
}

/* n_envs > 1: def.prefill random transitions from the batch (the last step's first rows
 * only, so exactly prefill are stored), then every env starts a fresh episode. */
static dq_status prefill_vec(dq_offpolicy *op, dq_error *err) {
    const int n = op->def.n_envs;
    dq_offpolicy_actions acts = {op->act_i, op->act_f};
    dq_offpolicy_transitions t = {n, op->obs_dim, op->act_dim, op->obs, &acts, op->reward,
                                  op->next_obs, op->terminated, op->truncated};
    const size_t bytes = (size_t)n * (size_t)op->obs_dim * sizeof(float);
    for (int64_t left = op->def.prefill; left > 0; left -= n) {
        op->algo->act(op->self, op->obs, n, 1.0, true, &acts);
        dq_status st = step_vec(op, err);
        if (st) return st;
        t.n = left < n ? (int)left : n;
        op->algo->store(op->self, &t);
        memcpy(op->obs, op->vec->obs, bytes);
    }
    /* the partial episodes are dropped: each env's stream continues into a new one */
    for (int i = 0; i < n && op->algo->abort_episode; i++) op->algo->abort_episode(op->self, i);
    dq_vecenv_reset(op->vec, -1);
    memcpy(op->obs, op->vec->obs, bytes);
    return DQ_OK;
}

/* def.prefill random transitions through the single env, then a fresh episode. */
static dq_status prefill(dq_offpolicy *op, dq_env *env, dq_error *err) {
    dq_env_set_seeding(env, DQ_SEEDING_XOSHIRO); /* a run's env stream: see dq_env_seeding */
    dq_env_reset(env, (int64_t)(op->def.seed & INT64_MAX), op->obs);
    op->c.env_seeded = true;
    dq_offpolicy_transitions t = {1,           op->obs_dim, op->act_dim, op->obs,
                                  NULL,        op->reward,  op->next_obs, op->terminated,
                                  op->truncated};
    dq_offpolicy_actions acts = {op->act_i, op->act_f};
    t.act = &acts;
    for (int64_t i = 0; i < op->def.prefill; i++) {
        op->algo->act(op->self, op->obs, 1, 1.0, true, &acts);
        dq_status st = step_single(op, env, err);
        if (st) return st;
        op->algo->store(op->self, &t);
        if (op->terminated[0] || op->truncated[0]) dq_env_reset(env, -1, op->obs);
        else memcpy(op->obs, op->next_obs, (size_t)op->obs_dim * sizeof(float));
    }
    /* the learn loop resets the env: drop the partial episode */
    if (op->algo->abort_episode) op->algo->abort_episode(op->self, 0);
    op->c.need_reset = true;
    return DQ_OK;
}

/* Every `every` transitions, counting the crossing when a step adds n at once. */
static bool crossed(int64_t before, int64_t now, int64_t every) {
    return every > 0 && before / every != now / every;
}

dq_status dq_offpolicy_learn(dq_offpolicy *op, dq_env *env, const dq_offpolicy_hooks *hooks,
                             dq_error *err) {
    static const dq_offpolicy_hooks none = {0};
    if (!hooks) hooks = &none;
    const dq_offpolicy_def *d = &op->def;
    dq_offpolicy_counters *c = &op->c;
    const int n = d->n_envs;
    dq_status st;
    if (n > 1 && !op->vec && (st = make_vec(op, env, err))) return st;
    if (!c->prefilled) {
        c->prefilled = true;
        if (d->prefill > 0 && (st = n == 1 ? prefill(op, env, err) : prefill_vec(op, err)))
            return st;
    }
    /* SB3 counts the target interval in calls of step: every n transitions */
    const int64_t target_every = d->target_update_interval / n > 1
                                     ? d->target_update_interval / n : 1;
    dq_offpolicy_actions acts = {op->act_i, op->act_f};
    dq_offpolicy_transitions t = {n, op->obs_dim, op->act_dim, op->obs, &acts, op->reward,
                                  op->next_obs, op->terminated, op->truncated};
    while (c->num_timesteps < d->n_timesteps) {
        op->in_step = true;
        if (n == 1 && c->need_reset) {
            /* a run's env stream is xoshiro256** from its seed (dq_env_seeding) */
            if (!c->env_seeded) dq_env_set_seeding(env, DQ_SEEDING_XOSHIRO);
            dq_env_reset(env, c->env_seeded ? -1 : (int64_t)(d->seed & INT64_MAX), op->obs);
            c->env_seeded = true;
            c->need_reset = false;
        }
        const dq_offpolicy_clock k = clock_of(op);
        c->explore = op->algo->exploration ? op->algo->exploration(op->self, &k) : 0.0;
        op->algo->act(op->self, op->obs, n, c->explore, c->num_timesteps < d->learning_starts,
                      &acts);
        if ((st = n == 1 ? step_single(op, env, err) : step_vec(op, err))) return st;
        const int64_t before = c->num_timesteps;
        c->num_timesteps += n;
        op->algo->store(op->self, &t);
        c->n_calls++;
        if (c->n_calls % target_every == 0 && op->algo->target_update)
            op->algo->target_update(op->self);
        /* act on the next observation: the env's own (single) or the reset one (batch) */
        memcpy(op->obs, n == 1 ? op->next_obs : op->vec->obs,
               (size_t)n * (size_t)op->obs_dim * sizeof(float));
        int dones = 0;
        for (int i = 0; i < n; i++) dones += op->terminated[i] || op->truncated[i];
        c->rollout_steps++;
        c->rollout_episodes += dones;
        const bool rollout_end = d->train_freq_unit == DQ_UNIT_STEP
                                     ? c->rollout_steps >= d->train_freq
                                     : c->rollout_episodes >= d->train_freq;
        if (rollout_end) {
            /* SB3: -1 = as many updates as transitions collected in the rollout */
            const int64_t gs = d->gradient_steps >= 0 ? d->gradient_steps : c->rollout_steps * n;
            c->rollout_steps = c->rollout_episodes = 0;
            const dq_offpolicy_clock kt = clock_of(op);
            if (c->num_timesteps > d->learning_starts && gs > 0 &&
                (st = op->algo->update(op->self, (int)gs, &kt, err)))
                return st;
        }
        int stop = 0;
        if (crossed(before, c->num_timesteps, d->log_interval) && hooks->on_log)
            stop |= hooks->on_log(hooks->user);
        if (crossed(before, c->num_timesteps, d->eval_freq) && hooks->on_eval)
            stop |= hooks->on_eval(hooks->user);
        if (crossed(before, c->num_timesteps, d->checkpoint_freq) && hooks->on_checkpoint)
            stop |= hooks->on_checkpoint(hooks->user);
        for (int i = 0; i < n && dones > 0; i++) {
            if (!op->terminated[i] && !op->truncated[i]) continue;
            c->episodes++;
            if (n == 1) c->need_reset = true;
            c->win_ret[c->win_pos] = op->ep_return[i];
            c->win_len[c->win_pos] = op->ep_length[i];
            c->win_pos = (c->win_pos + 1) % DQ_OFFPOLICY_WINDOW;
            if (c->win_n < DQ_OFFPOLICY_WINDOW) c->win_n++;
            if (hooks->on_episode) {
                dq_offpolicy_episode ep = {i,
                                           c->episodes,
                                           op->ep_length[i],
                                           op->ep_return[i],
                                           op->terminated[i],
                                           op->truncated[i],
                                           c->num_timesteps,
                                           c->explore};
                stop |= hooks->on_episode(hooks->user, &ep);
            }
        }
        op->in_step = false;
        if (stop) break;
    }
    return DQ_OK;
}

double dq_offpolicy_ep_rew_mean(const dq_offpolicy *op) {
    double s = 0;
    for (int i = 0; i < op->c.win_n; i++) s += op->c.win_ret[i];
    return op->c.win_n ? s / op->c.win_n : 0.0;
}

double dq_offpolicy_ep_len_mean(const dq_offpolicy *op) {
    double s = 0;
    for (int i = 0; i < op->c.win_n; i++) s += (double)op->c.win_len[i];
    return op->c.win_n ? s / op->c.win_n : 0.0;
}

/* ---- training state ---- */

/* "loop.counters", in this order */
enum { LC_STEPS, LC_EPISODES, LC_CALLS, LC_ROLL_STEPS, LC_ROLL_EPS, LC_ENV_SEEDED, LC_PREFILLED,
       LC_NEED_RESET, LC_WIN_N, LC_WIN_POS, LC_N_ENVS, LC_HAS_VEC, N_LOOP_COUNTERS };

bool dq_offpolicy_at_boundary(const dq_offpolicy *op) {
    return op->def.n_envs == 1 ? op->c.need_reset : !op->in_step;
}

dq_status dq_offpolicy_save_state(const dq_offpolicy *op, const dq_env *env,
                                  dq_safetensors_writer *w, dq_error *err) {
    const dq_offpolicy_counters *k = &op->c;
    const int n = op->def.n_envs;
    if (!dq_offpolicy_at_boundary(op))
        return dq_fail(err, DQ_EINVAL, n == 1 ? "a training state can only be saved between "
                       "episodes" : "with n_envs > 1 a training state is saved between steps: "
                       "stop the step from the callback (return non-zero) and save after learn "
                       "returns");
    const int64_t c[N_LOOP_COUNTERS] = {k->num_timesteps, k->episodes,    k->n_calls,
                                        k->rollout_steps, k->rollout_episodes, k->env_seeded,
                                        k->prefilled,     k->need_reset,  k->win_n,
                                        k->win_pos,       n,              op->vec != NULL};
    const int64_t cs[1] = {N_LOOP_COUNTERS}, one[1] = {1}, ws[1] = {DQ_OFFPOLICY_WINDOW};
    dq_status st = dq_safetensors_writer_add_meta(w, "state_version",
                                                  DQ_OFFPOLICY_STATE_VERSION, err);
    if (!st) st = dq_safetensors_writer_add(w, "loop.counters", DQ_I64, 1, cs, c, err);
    if (!st) st = dq_safetensors_writer_add(w, "loop.explore", DQ_F64, 1, one, &k->explore, err);
    if (!st)
        st = dq_safetensors_writer_add(w, "loop.window.return", DQ_F64, 1, ws, k->win_ret, err);
    if (!st)
        st = dq_safetensors_writer_add(w, "loop.window.length", DQ_I64, 1, ws, k->win_len, err);
    if (!st && n == 1) { /* the env is reset on the next step: its stream is all it keeps */
        int64_t rw[DQ_RNG_WORDS];
        const int64_t rs[1] = {DQ_RNG_WORDS};
        dq_rng_pack(rw, &env->rand.rng);
        st = dq_safetensors_writer_add(w, "loop.env_rng", DQ_I64, 1, rs, rw, err);
    }
    if (!st && op->vec) { /* every env of the batch mid-episode: its whole state */
        int nf = 0;
        st = dq_vecenv_state_size(op->vec, &nf, err);
        double *f64 = st ? NULL : malloc((size_t)n * (size_t)nf * sizeof(double));
        int64_t *i64 = st ? NULL : malloc((size_t)n * DQ_VECENV_STATE_I64 * sizeof(int64_t));
        if (!st && (!f64 || !i64))
            st = dq_fail(err, DQ_ENOMEM, "out of memory saving the env batch");
        if (!st) st = dq_vecenv_get_state(op->vec, f64, i64, err);
        const int64_t fs[2] = {n, nf}, is[2] = {n, DQ_VECENV_STATE_I64};
        if (!st) st = dq_safetensors_writer_add(w, "loop.vecenv.f64", DQ_F64, 2, fs, f64, err);
        if (!st) st = dq_safetensors_writer_add(w, "loop.vecenv.i64", DQ_I64, 2, is, i64, err);
        free(f64);
        free(i64);
    }
    if (!st && op->algo->save_state) st = op->algo->save_state(op->self, w, err);
    return st;
}

static const char *const loop_counter_names[N_LOOP_COUNTERS] = {
    "num_timesteps", "episodes", "n_calls", "rollout_steps", "rollout_episodes", "env_seeded",
    "prefilled", "need_reset", "window count", "window position", "n_envs", "has_vec"};

/* The loop's tensors of f, checked; *vec_out: a new batch holding the saved one's state. */
static dq_status check_loop_state(const dq_offpolicy *op, const dq_env *env,
                                  const dq_safetensors *f, const char *path, int64_t *c,
                                  dq_vecenv **vec_out, dq_error *err) {
    *vec_out = NULL;
    const char *ver = dq_safetensors_meta(f, "state_version");
    if (!ver || strcmp(ver, DQ_OFFPOLICY_STATE_VERSION))
        return dq_fail(err, DQ_EFORMAT, "%s: training state of layout version %s; this deepq "
                       "reads version %s: resume it with the deepq that wrote it, or train "
                       "again", path, ver ? ver : "1 (no state_version)",
                       DQ_OFFPOLICY_STATE_VERSION);
    const int n = op->def.n_envs;
    const int64_t cs[1] = {N_LOOP_COUNTERS}, one[1] = {1}, ws[1] = {DQ_OFFPOLICY_WINDOW};
    const dq_ndarray *t;
    dq_status st = dq_safetensors_get(f, "loop.counters", DQ_I64, 1, cs, &t, err);
    if (st) return st;
    memcpy(c, t->data, N_LOOP_COUNTERS * sizeof(int64_t));
    int64_t lo[N_LOOP_COUNTERS], hi[N_LOOP_COUNTERS];
    for (int i = 0; i < N_LOOP_COUNTERS; i++) lo[i] = 0, hi[i] = INT64_MAX;
    hi[LC_ENV_SEEDED] = hi[LC_PREFILLED] = hi[LC_NEED_RESET] = hi[LC_HAS_VEC] = 2;
    hi[LC_WIN_N] = DQ_OFFPOLICY_WINDOW + 1;
    hi[LC_WIN_POS] = DQ_OFFPOLICY_WINDOW;
    if (n == 1) { /* one env: saved between episodes only, no batch */
        lo[LC_NEED_RESET] = 1;
        hi[LC_HAS_VEC] = 1;
    } else if (c[LC_HAS_VEC] == 1) { /* a batch runs on: nothing waits for a reset */
        hi[LC_NEED_RESET] = 1;
    }
    for (int i = 0; i < N_LOOP_COUNTERS; i++) {
        if (i == LC_N_ENVS) continue;
        if (c[i] < lo[i] || c[i] >= hi[i])
            return dq_fail(err, DQ_EFORMAT, "%s: tensor 'loop.counters' field %s is %" PRId64
                           ", outside [%" PRId64 ", %" PRId64 ") (corrupted state file)", path,
                           loop_counter_names[i], c[i], lo[i], hi[i]);
    }
    if (c[LC_N_ENVS] != n)
        return dq_fail(err, DQ_EFORMAT, "%s: tensor 'loop.counters': the state was saved with "
                       "n_envs %" PRId64 ", the run has n_envs %d", path, c[LC_N_ENVS], n);
    st = state_check_tensor(f, path, "loop.explore", DQ_F64, 1, one, 0, 1, RULE_NONNEG, 0, 0,
                            NULL, err);
    if (!st)
        st = state_check_tensor(f, path, "loop.window.return", DQ_F64, 1, ws, 0, c[LC_WIN_N],
                                RULE_FINITE, 0, 0, NULL, err);
    if (!st)
        st = state_check_tensor(f, path, "loop.window.length", DQ_I64, 1, ws, 0, c[LC_WIN_N],
                                RULE_RANGE, 0, INT64_MAX, NULL, err);
    if (!st && n == 1) {
        const int64_t rs[1] = {DQ_RNG_WORDS};
        st = dq_safetensors_get(f, "loop.env_rng", DQ_I64, 1, rs, &t, err);
        if (!st) st = state_check_rng(path, "loop.env_rng", 0, t->data, err);
    }
    if (st || !c[LC_HAS_VEC]) return st;
    dq_vecenv *v = NULL;
    int nf = 0;
    const dq_ndarray *tf, *ti;
    st = create_vec(op, env, &v, err);
    if (!st) st = dq_vecenv_state_size(v, &nf, err);
    const int64_t fs[2] = {n, nf}, is[2] = {n, DQ_VECENV_STATE_I64};
    if (!st) st = dq_safetensors_get(f, "loop.vecenv.f64", DQ_F64, 2, fs, &tf, err);
    if (!st) st = dq_safetensors_get(f, "loop.vecenv.i64", DQ_I64, 2, is, &ti, err);
    if (!st && (st = dq_vecenv_set_state(v, tf->data, ti->data, err)))
        st = dq_fail(err, DQ_EFORMAT, "%s: tensor 'loop.vecenv': %s (corrupted state file)", path,
                     err->msg);
    if (st) dq_vecenv_destroy(v);
    else *vec_out = v;
    return st;
}

dq_status dq_offpolicy_load_state(dq_offpolicy *op, dq_env *env, const dq_safetensors *f,
                                  const char *path, dq_error *err) {
    int64_t c[N_LOOP_COUNTERS];
    dq_vecenv *vec = NULL;
    dq_status st = check_loop_state(op, env, f, path, c, &vec, err);
    if (!st && op->algo->load_state) st = op->algo->load_state(op->self, f, path, err);
    if (st) {
        dq_vecenv_destroy(vec);
        return st;
    }
    /* everything checked: copy (nothing below fails) */
    dq_offpolicy_counters *k = &op->c;
    const int64_t one[1] = {1}, ws[1] = {DQ_OFFPOLICY_WINDOW};
    dq_safetensors_read(f, "loop.explore", DQ_F64, 1, one, &k->explore, err);
    dq_safetensors_read(f, "loop.window.return", DQ_F64, 1, ws, k->win_ret, err);
    dq_safetensors_read(f, "loop.window.length", DQ_I64, 1, ws, k->win_len, err);
    k->num_timesteps = c[LC_STEPS];
    k->episodes = c[LC_EPISODES];
    k->n_calls = c[LC_CALLS];
    k->rollout_steps = c[LC_ROLL_STEPS];
    k->rollout_episodes = c[LC_ROLL_EPS];
    k->env_seeded = c[LC_ENV_SEEDED] != 0;
    k->prefilled = c[LC_PREFILLED] != 0;
    k->need_reset = c[LC_NEED_RESET] != 0;
    k->win_n = (int)c[LC_WIN_N];
    k->win_pos = (int)c[LC_WIN_POS];
    op->in_step = false;
    if (op->def.n_envs == 1) {
        /* the env continues its random stream exactly where the saved run left it */
        const dq_ndarray *t = dq_safetensors_find(f, "loop.env_rng");
        env->rand.seeding = DQ_SEEDING_XOSHIRO; /* a run's env stream (dq_offpolicy_learn) */
        dq_rng_unpack(&env->rand.rng, t->data);
        env->rand.inject = NULL;
        env->rand.n_inject = env->rand.pos = 0;
        env->seeded = true;
    }
    dq_vecenv_destroy(op->vec);
    op->vec = vec;
    if (vec)
        memcpy(op->obs, vec->obs, (size_t)vec->n * (size_t)op->obs_dim * sizeof(float));
    return DQ_OK;
}
