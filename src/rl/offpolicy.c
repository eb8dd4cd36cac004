/* offpolicy.c — the off-policy learn loop (see rl/offpolicy.h for the contract with the
 * algorithms). One env (n_envs = 1) steps a dq_env the caller owns, reset lazily at the top of
 * the next step as deepq always did; n_envs > 1 steps a dq_vecenv of the same type with SB3's
 * autoreset. Everything after the env step (counters, storing, target updates, when to train,
 * hooks, episode bookkeeping) is the same code for both. */
#include "rl/offpolicy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/vecenv.h"

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

/* n_envs > 1: a batch of env's type and options, seeded seed + i on its first reset. */
static dq_status make_vec(dq_offpolicy *op, const dq_env *env, dq_error *err) {
    char kw[DQ_KWARGS_MAX * 520];
    size_t len = 0;
    kw[0] = '\0';
    for (int i = 0; i < env->kwargs.n && len < sizeof kw; i++)
        len += (size_t)snprintf(kw + len, sizeof kw - len, "%s%s=%s", i ? "," : "",
                                env->kwargs.kv[i].key, env->kwargs.kv[i].value);
    dq_vecenv_def vd = dq_vecenv_def_default();
    vd.n = op->def.n_envs;
    vd.seeding = DQ_SEEDING_XOSHIRO; /* a run's env streams: see dq_env_seeding */
    dq_status st = dq_vecenv_create_type(env->type, kw, &vd, &op->vec, err);
    if (st) return st;
    dq_vecenv_reset(op->vec, (int64_t)(op->def.seed & INT64_MAX));
    memcpy(op->obs, op->vec->obs, (size_t)vd.n * (size_t)op->obs_dim * sizeof(float));
    op->c.env_seeded = true;
    op->c.need_reset = false;
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
    if (!c->prefilled) {
        c->prefilled = true;
        if (d->prefill > 0 && (st = prefill(op, env, err))) return st;
    }
    if (n > 1 && !op->vec && (st = make_vec(op, env, err))) return st;
    /* SB3 counts the target interval in calls of step: every n transitions */
    const int64_t target_every = d->target_update_interval / n > 1
                                     ? d->target_update_interval / n : 1;
    dq_offpolicy_actions acts = {op->act_i, op->act_f};
    dq_offpolicy_transitions t = {n, op->obs_dim, op->act_dim, op->obs, &acts, op->reward,
                                  op->next_obs, op->terminated, op->truncated};
    while (c->num_timesteps < d->n_timesteps) {
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
