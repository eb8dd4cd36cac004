/* cont_learn.c — the continuous-action agents as plug-ins of the off-policy core
 * (rl/offpolicy.h): act (SB3's _sample_action: uniform warm-up, policy, noise in the scaled
 * space), store (scaled actions; the noise resets at an episode end), update; the public
 * callbacks adapted to the core's hooks; greedy evaluation. */
#include <math.h>
#include <string.h>

#include "cont_internal.h"

/* One env's action: a uniform Box sample during warm-up (random), else the policy; then the
 * noise is added in the scaled space and clipped. a[D] receives the scaled (buffer) action. */
static void explore(dq_cont *ag, const float *obs, bool random, float *a) {
    const int D = ag->D;
    if (random) {
        double u[DQ_NOISE_MAX_DIM];
        for (int j = 0; j < D; j++) /* Box.sample: float32 uniform in [low, high] */
            u[j] = (float)dq_rng_range(&ag->rng_act, ag->low[j], ag->high[j]);
        dq_action_scale(a, u, ag->low, ag->high, D);
    } else {
        cont_policy(ag, obs, a, &ag->rng_act);
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

static void cont_act_rows(void *self, const float *obs, int n, double explore_rate, bool random,
                          dq_offpolicy_actions *out) {
    dq_cont *ag = self;
    (void)explore_rate, (void)n; /* one env (cont_algo's def has n_envs 1) */
    explore(ag, obs, random, ag->last_a);
    dq_action_unscale(out->box, ag->last_a, ag->low, ag->high, ag->D);
}

static void cont_store_rows(void *self, const dq_offpolicy_transitions *t) {
    dq_cont *ag = self;
    const int64_t k = ag->pos;
    memcpy(ag->r_obs + (size_t)k * ag->O, t->obs, sizeof(float) * ag->O);
    memcpy(ag->r_next + (size_t)k * ag->O, t->next_obs, sizeof(float) * ag->O);
    memcpy(ag->r_act + (size_t)k * ag->D, ag->last_a, sizeof(float) * ag->D);
    ag->r_rew[k] = (float)t->reward[0];
    ag->r_term[k] = t->terminated[0]; /* truncation bootstraps */
    ag->pos = (ag->pos + 1) % ag->cap;
    if (ag->size < ag->cap) ag->size++;
    if (t->terminated[0] || t->truncated[0]) dq_action_noise_reset(&ag->noise); /* as SB3 */
}

static dq_status cont_update_steps(void *self, int gradient_steps, const dq_offpolicy_clock *clock,
                                   dq_error *err) {
    (void)clock, (void)err;
    for (int g = 0; g < gradient_steps; g++) cont_update(self);
    return DQ_OK;
}

const dq_offpolicy_algo cont_algo = {
    .name = "continuous",
    .exploration = NULL,
    .act = cont_act_rows,
    .store = cont_store_rows,
    .abort_episode = NULL,
    .update = cont_update_steps,
    .target_update = NULL, /* targets move inside update (TD3: every policy_delay updates) */
    .eval_begin = NULL,
    .eval_end = NULL,
    .save_state = cont_save_algo_state, /* cont_io.c */
    .load_state = cont_load_algo_state,
};

/* ---- the public callbacks on the core's hooks ---- */

typedef struct cont_hooks {
    dq_cont *ag;
    const dq_cont_callbacks *cb;
} cont_hooks;

static int hook_episode(void *user, const dq_offpolicy_episode *e) {
    cont_hooks *h = user;
    dq_dqn_episode ep = {e->episode,   e->length,      e->ret, e->terminated,
                         e->truncated, e->total_steps, 0.0};
    return h->cb->on_episode(h->cb->user, h->ag, &ep);
}

static int hook_log(void *user) {
    cont_hooks *h = user;
    dq_cont *ag = h->ag;
    dq_cont_stats s;
    memset(&s, 0, sizeof s);
    s.step = ag->core.c.num_timesteps;
    s.episodes = ag->core.c.episodes;
    s.n_updates = ag->n_updates;
    s.n_critic = ag->acc_nc;
    s.n_actor = ag->acc_na;
    if (ag->acc_nc) {
        s.critic_loss = ag->acc_closs / ag->acc_nc;
        s.q_mean = ag->acc_q / ag->acc_nc;
    }
    if (ag->acc_na) s.actor_loss = ag->acc_aloss / ag->acc_na;
    const int stop = h->cb->on_log(h->cb->user, ag, &s);
    ag->acc_closs = ag->acc_aloss = ag->acc_q = 0;
    ag->acc_nc = ag->acc_na = 0;
    return stop;
}

static int hook_eval(void *user) {
    cont_hooks *h = user;
    return h->cb->on_eval(h->cb->user, h->ag);
}

dq_status dq_cont_learn(dq_cont *ag, dq_env *env, const dq_cont_callbacks *cb, dq_error *err) {
    if (env->obs_space.size != ag->O || env->act_space.kind != DQ_SPACE_BOX ||
        env->act_space.size != ag->D)
        return dq_fail(err, DQ_EINVAL, "env's spaces do not match the agent's");
    cont_hooks h = {ag, cb};
    dq_offpolicy_hooks hk = {&h, cb && cb->on_episode ? hook_episode : NULL,
                             cb && cb->on_log ? hook_log : NULL,
                             cb && cb->on_eval ? hook_eval : NULL, NULL};
    return dq_offpolicy_learn(&ag->core, env, &hk, err);
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
