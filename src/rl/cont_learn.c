/* cont_learn.c — the learn loop of the continuous-action agents (SB3's OffPolicyAlgorithm
 * collect_rollouts + train schedule) and greedy evaluation.
 * TO MOVE: this loop is to be replaced by the shared off-policy core of issue 12 once it lands,
 * with dq_cont's act (noise, random warm-up), store and cont_update as that core's plug-ins;
 * it is kept in this one file so the move touches nothing else. */
#include <math.h>
#include <string.h>

#include "cont_internal.h"

static void store(dq_cont *ag, const float *obs, const float *a, float r, const float *next,
                  bool terminated) {
    const int64_t k = ag->pos;
    memcpy(ag->r_obs + (size_t)k * ag->O, obs, sizeof(float) * ag->O);
    memcpy(ag->r_next + (size_t)k * ag->O, next, sizeof(float) * ag->O);
    memcpy(ag->r_act + (size_t)k * ag->D, a, sizeof(float) * ag->D);
    ag->r_rew[k] = r;
    ag->r_term[k] = terminated;
    ag->pos = (ag->pos + 1) % ag->cap;
    if (ag->size < ag->cap) ag->size++;
}

/* SB3 _sample_action: a uniform Box sample during warm-up, else the policy; then the noise is
 * added in the scaled space and clipped. a[D] receives the scaled (buffer) action. */
static void explore(dq_cont *ag, float *a) {
    const int D = ag->D;
    if (ag->steps < ag->def.learning_starts) {
        double u[DQ_NOISE_MAX_DIM];
        for (int j = 0; j < D; j++) /* Box.sample: float32 uniform in [low, high] */
            u[j] = (float)dq_rng_range(&ag->rng_act, ag->low[j], ag->high[j]);
        dq_action_scale(a, u, ag->low, ag->high, D);
    } else {
        cont_policy(ag, ag->obs, a, &ag->rng_act);
    }
    if (ag->def.noise_type != DQ_NOISE_NONE) {
        double n[DQ_NOISE_MAX_DIM];
        dq_action_noise_sample(&ag->noise, &ag->rng_act, n);
        for (int j = 0; j < D; j++) {
            const float v = a[j] + (float)n[j];
            a[j] = v < -1.0f ? -1.0f : v > 1.0f ? 1.0f : v;
        }
    }
}

static void fill_stats(const dq_cont *ag, dq_cont_stats *s) {
    memset(s, 0, sizeof *s);
    s->step = ag->steps;
    s->episodes = ag->episodes;
    s->n_updates = ag->n_updates;
    s->n_critic = ag->acc_nc;
    s->n_actor = ag->acc_na;
    if (ag->acc_nc) {
        s->critic_loss = ag->acc_closs / ag->acc_nc;
        s->q_mean = ag->acc_q / ag->acc_nc;
    }
    if (ag->acc_na) s->actor_loss = ag->acc_aloss / ag->acc_na;
}

dq_status dq_cont_learn(dq_cont *ag, dq_env *env, const dq_cont_callbacks *cb, dq_error *err) {
    static const dq_cont_callbacks none = {0};
    if (!cb) cb = &none;
    if (env->obs_space.size != ag->O || env->act_space.kind != DQ_SPACE_BOX ||
        env->act_space.size != ag->D)
        return dq_fail(err, DQ_EINVAL, "env's spaces do not match the agent's");
    const dq_cont_def *d = &ag->def;
    dq_status st;
    while (ag->steps < d->n_timesteps) {
        if (ag->need_reset) {
            dq_env_reset(env, ag->env_seeded ? -1 : (int64_t)(d->seed & INT64_MAX), ag->obs);
            ag->env_seeded = true;
            ag->need_reset = false;
        }
        float a[DQ_NOISE_MAX_DIM];
        double env_a[DQ_NOISE_MAX_DIM];
        explore(ag, a);
        dq_action_unscale(env_a, a, ag->low, ag->high, ag->D);
        dq_step s;
        if ((st = dq_env_step_cont(env, env_a, ag->next_obs, &s, err))) return st;
        ag->steps++;
        store(ag, ag->obs, a, (float)s.reward, ag->next_obs, s.terminated);
        memcpy(ag->obs, ag->next_obs, sizeof(float) * ag->O);
        const bool done = s.terminated || s.truncated;
        if (done) dq_action_noise_reset(&ag->noise); /* SB3 resets the noise of a done env */
        ag->rollout_steps++;
        if (done) ag->rollout_episodes++;
        const bool rollout_end = d->train_freq_unit == DQ_UNIT_STEP
                                     ? ag->rollout_steps >= d->train_freq
                                     : ag->rollout_episodes >= d->train_freq;
        if (rollout_end) {
            const int64_t gs = d->gradient_steps >= 0 ? d->gradient_steps : ag->rollout_steps;
            ag->rollout_steps = ag->rollout_episodes = 0;
            if (ag->steps > d->learning_starts)
                for (int64_t g = 0; g < gs; g++) cont_update(ag);
        }
        int stop = 0;
        if (ag->steps % d->log_interval == 0 && cb->on_log) {
            dq_cont_stats ss;
            fill_stats(ag, &ss);
            stop |= cb->on_log(cb->user, ag, &ss);
            ag->acc_closs = ag->acc_aloss = ag->acc_q = 0;
            ag->acc_nc = ag->acc_na = 0;
        }
        if (d->eval_freq > 0 && ag->steps % d->eval_freq == 0 && cb->on_eval)
            stop |= cb->on_eval(cb->user, ag);
        if (done) {
            ag->episodes++;
            ag->need_reset = true;
            ag->win_ret[ag->win_pos] = s.ep_return;
            ag->win_pos = (ag->win_pos + 1) % CONT_WINDOW;
            if (ag->win_n < CONT_WINDOW) ag->win_n++;
            if (cb->on_episode) {
                dq_dqn_episode ep = {ag->episodes, s.ep_length, s.ep_return, s.terminated,
                                     s.truncated, ag->steps, 0.0};
                stop |= cb->on_episode(cb->user, ag, &ep);
            }
        }
        if (stop) break;
    }
    return DQ_OK;
}

dq_status dq_cont_evaluate(dq_cont *ag, dq_env *env, int n, int64_t seed, double *returns,
                           int64_t *lengths, dq_error *err) {
    if (env->obs_space.size != ag->O || env->act_space.kind != DQ_SPACE_BOX ||
        env->act_space.size != ag->D)
        return dq_fail(err, DQ_EINVAL, "evaluation env's spaces do not match the agent's");
    float obs[DQ_SPACE_MAX];
    for (int i = 0; i < n; i++) {
        dq_env_reset(env, i == 0 ? seed : -1, obs);
        for (;;) {
            double a[DQ_NOISE_MAX_DIM];
            dq_cont_act(ag, obs, a);
            dq_step s;
            dq_status st = dq_env_step_cont(env, a, obs, &s, err);
            if (st) return st;
            if (s.terminated || s.truncated) {
                returns[i] = s.ep_return;
                if (lengths) lengths[i] = s.ep_length;
                break;
            }
        }
    }
    return DQ_OK;
}
