/* dqn.c — the DQN agent: its def, creation, acting, evaluation and the SB3-style learning loop.
 * The gradient update is dqn_update.c; the Rainbow parts' setup, storing and state are
 * dqn_rainbow.c; checkpoints dqn_io.c. See deepq/dqn.h. */
#include "rl/dqn_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DQN_DEF_MAGIC 0x44514e31u /* "DQN1" */

dq_dqn_def dq_dqn_def_default(void) {
    dq_dqn_def d;
    memset(&d, 0, sizeof d);
    d.n_timesteps = 100000;
    d.learning_rate = 1e-4;
    d.batch_size = 32;
    d.buffer_size = 1000000;
    d.learning_starts = 100;
    d.gamma = 0.99;
    d.target_update_interval = 10000;
    d.train_freq = 4;
    d.train_freq_unit = DQ_UNIT_STEP;
    d.gradient_steps = 1;
    d.exploration_fraction = 0.1;
    d.exploration_initial_eps = 1.0;
    d.exploration_final_eps = 0.05;
    d.tau = 1.0;
    d.max_grad_norm = 10.0;
    d.n_hidden = 2;
    d.net_arch[0] = d.net_arch[1] = 64;
    d.activation = DQ_ACT_RELU;
    d.n_envs = 1;
    d.double_q = false;
    d.threads = 1;
    d.loss = DQ_LOSS_HUBER;
    d.optimizer = DQ_OPT_ADAM;
    d.adam_eps = 1e-8;
    d.momentum = 0.0;
    d.rmsprop_alpha = 0.99;
    d.exploration_schedule = DQ_SCHED_LINEAR;
    d.exploration_decay = 1000.0;
    d.exploration_per_episode = false;
    d.eval_eps = 0.0;
    d.replay_with_replacement = true;
    d.prefill = 0;
    d.prioritized_replay = false;
    d.per_rank_based = false;
    d.per_alpha = 0.6;
    d.per_beta0 = 0.4;
    d.per_eps = 1e-6;
    d.n_step = 1;
    d.dueling = false;
    d.distributional = false;
    d.c51_atoms = 51;
    d.v_min = -10.0;
    d.v_max = 10.0;
    d.noisy = false;
    d.noisy_sigma0 = 0.5;
    d.noisy_layers = -1;
    d.seed = 0;
    d.dtype = DQ_F32;
    d.log_interval = 1000;
    d.eval_freq = 10000;
    d.n_eval_episodes = 10;
    d.checkpoint_freq = 0;
    d.magic_ = DQN_DEF_MAGIC;
    return d;
}

static dq_schedule_def sched_of(const dq_dqn_def *d) {
    dq_schedule_def s = dq_schedule_def_default();
    s.kind = d->exploration_schedule;
    s.start = d->exploration_initial_eps;
    s.end = d->exploration_final_eps;
    s.fraction = d->exploration_fraction;
    s.decay = d->exploration_decay;
    s.per_episode = d->exploration_per_episode;
    return s;
}

dq_status dq_dqn_def_check(const dq_dqn_def *d, dq_error *err) {
    if (d->magic_ != DQN_DEF_MAGIC)
        return dq_fail(err, DQ_EINVAL, "dq_dqn_def not made by dq_dqn_def_default()");
#define REQ(cond, ...)                                                                         \
    if (!(cond)) return dq_fail(err, DQ_EINVAL, __VA_ARGS__)
    REQ(d->n_timesteps >= 0, "n_timesteps must be >= 0 (got %lld)", (long long)d->n_timesteps);
    REQ(d->learning_rate > 0 && isfinite(d->learning_rate), "learning_rate must be > 0 (got %g)",
        d->learning_rate);
    REQ(d->batch_size > 0, "batch_size must be > 0 (got %d)", d->batch_size);
    REQ(d->buffer_size > 0, "buffer_size must be > 0 (got %lld)", (long long)d->buffer_size);
    REQ(d->no_replay || d->replay_with_replacement || d->batch_size <= d->buffer_size, "batch_size %d > buffer_size %lld: sampling without replacement needs batch_size <= buffer_size (or replay_with_replacement: true)", d->batch_size, (long long)d->buffer_size);
    REQ(d->learning_starts >= 0, "learning_starts must be >= 0 (got %lld)",
        (long long)d->learning_starts);
    REQ(d->gamma >= 0 && d->gamma <= 1, "gamma must be in [0, 1] (got %g)", d->gamma);
    REQ(d->target_update_interval >= 1, "target_update_interval must be >= 1 (got %lld)",
        (long long)d->target_update_interval);
    REQ(d->train_freq >= 1, "train_freq must be >= 1 (got %d)", d->train_freq);
    REQ(d->gradient_steps >= -1, "gradient_steps must be >= -1 (got %d)", d->gradient_steps);
    REQ(d->tau > 0 && d->tau <= 1, "tau must be in (0, 1] (got %g)", d->tau);
    REQ(d->n_hidden >= 0 && d->n_hidden <= DQ_MLP_MAX_HIDDEN,
        "net_arch must have 0 to %d layers (got %d)", DQ_MLP_MAX_HIDDEN, d->n_hidden);
    for (int i = 0; i < d->n_hidden; i++)
        REQ(d->net_arch[i] > 0 && d->net_arch[i] <= 65536, "net_arch[%d] must be > 0 (got %d)",
            i, d->net_arch[i]);
    REQ(d->n_envs >= 1 && d->n_envs <= 4096, "n_envs must be in 1..4096 (got %d)", d->n_envs);
    /* no_replay is online Q-learning on each transition as one env produces it (batch of 1);
     * a batch of envs gives n_envs transitions at once, so there is no such stream to learn */
    REQ(d->n_envs == 1 || !d->no_replay,
        "no_replay learns from one env's stream (a batch of 1); n_envs %d needs a replay buffer "
        "(set no_replay: false or n_envs: 1)", d->n_envs);
    REQ(d->eval_eps >= 0 && d->eval_eps <= 1, "eval_eps must be in [0, 1] (got %g)", d->eval_eps);
    REQ(d->prefill >= 0, "prefill must be >= 0");
    REQ(d->dtype == DQ_F32 || d->dtype == DQ_F64, "dtype must be float32 or float64");
    REQ(d->log_interval >= 1, "log_interval must be >= 1");
    REQ(d->eval_freq >= 0, "eval_freq must be >= 0");
    REQ(d->n_eval_episodes >= 1, "n_eval_episodes must be >= 1");
    REQ(d->checkpoint_freq >= 0, "checkpoint_freq must be >= 0");
    REQ(d->adam_eps > 0, "adam_eps must be > 0");
    REQ(d->threads >= 1 && d->threads <= DQ_POOL_MAX_THREADS, "threads must be in 1..%d (got %d)",
        DQ_POOL_MAX_THREADS, d->threads);
#undef REQ
    dq_status st = dqn_rainbow_check(d, err);
    if (st) return st;
    dq_schedule_def s = sched_of(d);
    return dq_schedule_check(&s, err);
}

void dq_dqn_destroy(dq_dqn *ag) {
    if (!ag) return;
    dq_mlp_free(&ag->q);
    dq_mlp_free(&ag->qt);
    dq_optim_free(&ag->opt);
    dq_pool_destroy(ag->pool);
    dq_replay_destroy(ag->rb);
    dqn_rainbow_destroy(ag);
    dq_offpolicy_free(&ag->core);
    free(ag->x_act);
    free(ag->q_act);
    free(ag->a_act);
    free(ag->head_act);
    free(ag->probs_act);
    free(ag->qv_act);
    free(ag->act_q);
    free(ag->b_obs);
    free(ag->b_next);
    free(ag->b_act);
    free(ag->b_rew);
    free(ag->b_term);
    free(ag->b_idx);
    if (ag->def.dtype != DQ_F32) {
        free(ag->x_obs);
        free(ag->x_next);
    }
    free(ag->q_sa);
    free(ag->q_next);
    free(ag->q_next_on);
    free(ag->dout);
    free(ag->b_disc);
    free(ag->v_next);
    free(ag->pred);
    free(ag->target);
    free(ag->dpred);
    free(ag->td);
    free(ag->a_star);
    free(ag);
}

dq_status dq_dqn_create(dq_dqn **out, const dq_dqn_def *def, const dq_space *obs_space,
                        const dq_space *act_space, dq_error *err) {
    *out = NULL;
    dq_status st = dq_dqn_def_check(def, err);
    if (st) return st;
    if (act_space->kind != DQ_SPACE_DISCRETE || act_space->n < 2 || act_space->n > 1 << 20)
        return dq_fail(err, DQ_EUNSUPPORTED, "DQN needs a Discrete action space with >= 2 actions");
    if (obs_space->size <= 0)
        return dq_fail(err, DQ_EUNSUPPORTED, "DQN needs a non-empty observation space");
    dq_dqn *ag = calloc(1, sizeof *ag);
    if (!ag) return dq_fail(err, DQ_ENOMEM, "out of memory for the agent");
    ag->def = *def;
    ag->obs_dim = obs_space->size;
    ag->n_actions = (int)act_space->n;
    ag->sched = sched_of(def);
    ag->B = def->no_replay ? 1 : def->batch_size;

    dq_rng master;
    dq_rng_seed(&master, def->seed);
    dq_rng rng_init = dq_rng_split(&master, 1);
    ag->rng_act = dq_rng_split(&master, 2);
    ag->rng_sample = dq_rng_split(&master, 3);

    dq_mlp_def md = dq_mlp_def_default();
    md.n_in = ag->obs_dim;
    md.n_out = dqn_rainbow_outputs(def, ag->n_actions);
    md.n_hidden = def->n_hidden;
    for (int i = 0; i < def->n_hidden; i++) md.hidden[i] = def->net_arch[i];
    md.act = def->activation;
    md.out_act = DQ_ACT_IDENTITY;
    md.dtype = def->dtype;
    /* the online net also acts on n_envs rows at once */
    const int max_batch = ag->B > def->n_envs ? ag->B : def->n_envs;
    if ((st = dq_mlp_init(&ag->q, &md, max_batch, &rng_init, err))) goto fail;
    if ((st = dq_mlp_init(&ag->qt, &md, ag->B, &rng_init, err))) goto fail;
    dq_mlp_copy_params(&ag->qt, &ag->q);
    if (def->threads > 1 && ((st = dq_pool_create(&ag->pool, def->threads, err)) ||
                             (st = dq_mlp_set_pool(&ag->q, ag->pool, err)) ||
                             (st = dq_mlp_set_pool(&ag->qt, ag->pool, err))))
        goto fail;

    dq_optim_def od = dq_optim_def_default(def->optimizer);
    od.lr = def->learning_rate;
    od.eps = def->adam_eps;
    od.momentum = def->momentum;
    od.alpha = def->rmsprop_alpha;
    dq_replay_def rd = dq_replay_def_default();
    rd.capacity = def->no_replay ? 1 : def->buffer_size;
    rd.obs_dim = ag->obs_dim;
    rd.with_replacement = def->no_replay ? true : def->replay_with_replacement;
    if ((st = dq_replay_create(&ag->rb, &rd, err))) goto fail;
    if ((st = dqn_rainbow_create(ag, &master, err))) goto fail;
    if ((st = dq_optim_init(&ag->opt, &od, dqn_param_handle(ag), err))) goto fail;

    size_t B = (size_t)ag->B, D = (size_t)ag->obs_dim, A = (size_t)ag->n_actions;
    size_t R = (size_t)ag->n_raw, H = A * (size_t)ag->n_atoms; /* raw outputs, head outputs */
    size_t es = def->dtype == DQ_F64 ? sizeof(double) : sizeof(float);
    ag->act_q = calloc(A, sizeof(float));
    ag->b_obs = calloc(B * D, sizeof(float));
    ag->b_next = calloc(B * D, sizeof(float));
    ag->b_act = calloc(B, sizeof(int32_t));
    ag->b_rew = calloc(B, sizeof(float));
    ag->b_term = calloc(B, sizeof(float));
    ag->b_idx = calloc(B, sizeof(int64_t));
    if (def->dtype == DQ_F32) {
        ag->x_obs = ag->b_obs;
        ag->x_next = ag->b_next;
    } else {
        ag->x_obs = calloc(B * D, es);
        ag->x_next = calloc(B * D, es);
    }
    ag->q_sa = calloc(B * R, es);
    ag->q_next = calloc(B * R, es);
    ag->q_next_on = calloc(B * R, es);
    ag->dout = calloc(B * H, es);
    ag->b_disc = calloc(B, es);
    ag->v_next = calloc(B, es);
    ag->pred = calloc(B, es);
    ag->target = calloc(B, es);
    ag->dpred = calloc(B, es);
    ag->td = calloc(B, es);
    ag->a_star = calloc(B, sizeof(int32_t));
    if (!ag->act_q || !ag->b_obs || !ag->b_next || !ag->b_act || !ag->b_rew || !ag->b_term ||
        !ag->b_idx || !ag->x_obs || !ag->x_next || !ag->q_sa || !ag->q_next || !ag->q_next_on ||
        !ag->dout || !ag->b_disc || !ag->v_next || !ag->pred || !ag->target || !ag->dpred ||
        !ag->td || !ag->a_star) {
        st = dq_fail(err, DQ_ENOMEM, "out of memory for the agent's buffers");
        goto fail;
    }
    if (def->n_envs > 1) { /* batched acting (dqn_act_rows) */
        const size_t n = (size_t)def->n_envs;
        ag->x_act = calloc(n * D, es);
        ag->q_act = calloc(n * R, es);
        ag->a_act = calloc(n, sizeof(int32_t));
        ag->head_act = calloc(n * H, sizeof(float));
        ag->probs_act = calloc(n * H, sizeof(float));
        ag->qv_act = calloc(n * A, sizeof(float));
        if (!ag->x_act || !ag->q_act || !ag->a_act || !ag->head_act || !ag->probs_act ||
            !ag->qv_act) {
            st = dq_fail(err, DQ_ENOMEM, "out of memory for the agent's acting buffers");
            goto fail;
        }
    }
    dq_offpolicy_def cd = {def->n_timesteps, def->learning_starts, def->train_freq,
                           def->train_freq_unit, def->gradient_steps,
                           def->target_update_interval, def->n_envs, def->prefill, def->seed,
                           def->log_interval, def->eval_freq, def->checkpoint_freq};
    if ((st = dq_offpolicy_init(&ag->core, &cd, &dqn_algo, ag, obs_space, act_space, err)))
        goto fail;
    *out = ag;
    return DQ_OK;
fail:
    dq_dqn_destroy(ag);
    return st;
}

dq_status dqn_train(dq_dqn *ag, int gradient_steps, dq_error *err) {
    for (int g = 0; g < gradient_steps; g++) {
        dq_status st = dqn_update(ag, err);
        if (st) return st;
    }
    return DQ_OK;
}

/* ---- acting ---- */

int dq_dqn_greedy(dq_dqn *ag, const float *obs, float *q) {
    float *qv = q ? q : ag->act_q;
    if (!ag->def.dueling && !ag->def.distributional) return dq_mlp_act(&ag->q, obs, qv);
    dq_mlp_act(&ag->q, obs, ag->act_raw); /* raw outputs, then the head (dqn_update.c) */
    const float *h = dqn_heads(ag, ag->act_raw, ag->act_head, ag->act_p, qv, 1);
    if (h != qv) memcpy(qv, h, sizeof(float) * (size_t)ag->n_actions);
    int32_t a;
    dq_argmax_f32(&a, qv, 1, ag->n_actions);
    return a;
}

void dq_dqn_greedy_mean(dq_dqn *ag, const float *obs, int n, int64_t *actions, float *q) {
    dqn_rainbow_eval_begin(ag); /* once per batch: it copies the parameters */
    for (int i = 0; i < n; i++)
        actions[i] = dq_dqn_greedy(ag, obs + (size_t)i * ag->obs_dim,
                                   q ? q + (size_t)i * ag->n_actions : NULL);
    dqn_rainbow_eval_end(ag);
}

int dq_dqn_act(dq_dqn *ag, const float *obs, double eps) {
    if (eps > 0 && dq_rng_uniform(&ag->rng_act) < eps)
        return (int)dq_rng_below(&ag->rng_act, (uint64_t)ag->n_actions);
    return dq_dqn_greedy(ag, obs, NULL);
}

dq_status dq_dqn_evaluate(dq_dqn *ag, dq_env *env, int n, double eps, dq_rng *rng, int64_t seed,
                          double *returns, int64_t *lengths, dq_error *err) {
    if (env->obs_space.size != ag->obs_dim || env->act_space.kind != DQ_SPACE_DISCRETE ||
        env->act_space.n != ag->n_actions)
        return dq_fail(err, DQ_EINVAL, "evaluation env's spaces do not match the agent's");
    float obs[DQ_SPACE_MAX];
    /* a greedy policy can loop forever in an env without a TimeLimit (CliffWalking-v0) */
    const int64_t cap = env->max_episode_steps > 0 ? env->max_episode_steps : DQ_DQN_EVAL_STEP_CAP;
    dqn_rainbow_eval_begin(ag); /* noisy nets evaluate with their mean weights */
    for (int i = 0; i < n; i++) {
        dq_env_reset(env, i == 0 ? seed : -1, obs);
        for (int64_t t = 1;; t++) {
            int a;
            if (eps > 0 && dq_rng_uniform(rng) < eps)
                a = (int)dq_rng_below(rng, (uint64_t)ag->n_actions);
            else
                a = dq_dqn_greedy(ag, obs, NULL);
            dq_step s;
            dq_status st = dq_env_step(env, a, obs, &s, err);
            if (st) {
                dqn_rainbow_eval_end(ag);
                return st;
            }
            if (s.terminated || s.truncated || t >= cap) {
                returns[i] = s.ep_return;
                if (lengths) lengths[i] = s.ep_length;
                break;
            }
        }
    }
    dqn_rainbow_eval_end(ag);
    return DQ_OK;
}

/* ---- the algorithm table of the off-policy core (rl/offpolicy.h) ---- */

/* Epsilon from the schedule; noisy nets explore through their noise instead. */
static double dqn_exploration(void *self, const dq_offpolicy_clock *k) {
    dq_dqn *ag = self;
    if (ag->def.noisy) return 0.0;
    return dq_schedule_value(&ag->sched, k->num_timesteps, k->n_timesteps, k->episodes);
}

/* One env: dq_dqn_act (one forward of one row). Several: the epsilon draws env by env, then
 * one batched forward for all rows and the greedy actions through the head. */
static void dqn_act_rows(void *self, const float *obs, int n, double eps, bool random,
                         dq_offpolicy_actions *out) {
    dq_dqn *ag = self;
    const uint64_t A = (uint64_t)ag->n_actions;
    if (random) {
        for (int i = 0; i < n; i++) out->discrete[i] = (int64_t)dq_rng_below(&ag->rng_act, A);
        return;
    }
    if (n == 1) {
        out->discrete[0] = dq_dqn_act(ag, obs, eps);
        return;
    }
    int greedy = 0;
    for (int i = 0; i < n; i++) {
        const bool explore = eps > 0 && dq_rng_uniform(&ag->rng_act) < eps;
        out->discrete[i] = explore ? (int64_t)dq_rng_below(&ag->rng_act, A) : -1;
        greedy += !explore;
    }
    if (!greedy) return;
    const dq_dtype dt = ag->def.dtype;
    for (size_t j = 0; j < (size_t)n * (size_t)ag->obs_dim; j++)
        dq_elem_set(dt, ag->x_act, j, obs[j]);
    dq_mlp_forward(&ag->q, ag->x_act, n, ag->q_act);
    const void *q = dqn_heads(ag, ag->q_act, ag->head_act, ag->probs_act, ag->qv_act, n);
    dq_argmax(dt, ag->a_act, q, n, ag->n_actions);
    for (int i = 0; i < n; i++)
        if (out->discrete[i] < 0) out->discrete[i] = ag->a_act[i];
}

static void dqn_store_rows(void *self, const dq_offpolicy_transitions *t) {
    dq_dqn *ag = self;
    for (int i = 0; i < t->n; i++) {
        const size_t o = (size_t)i * (size_t)t->obs_dim;
        dqn_store(ag, i, t->obs + o, (int)t->act->discrete[i], (float)t->reward[i],
                  t->next_obs + o, t->terminated[i], t->truncated[i]);
    }
}

static void dqn_abort_episode(void *self, int env) { dqn_store_abort_episode(self, env); }

static dq_status dqn_update_steps(void *self, int gradient_steps, const dq_offpolicy_clock *k,
                                  dq_error *err) {
    dq_dqn *ag = self;
    /* SB3 sets the scheduled lr from progress_remaining before each training. */
    if (ag->def.learning_rate_linear)
        ag->opt.def.lr = ag->def.learning_rate *
                         (1.0 - (double)k->num_timesteps / (double)k->n_timesteps);
    return dqn_train(ag, gradient_steps, err);
}

static void dqn_target_update(void *self) {
    dq_dqn *ag = self;
    if (ag->def.noisy) {
        dqn_rainbow_target_update(ag);
        return;
    }
    if (ag->def.tau >= 1.0) dq_mlp_copy_params(&ag->qt, &ag->q);
    else dq_mlp_polyak(&ag->qt, &ag->q, ag->def.tau);
}

static void dqn_eval_begin(void *self) { dqn_rainbow_eval_begin(self); }
static void dqn_eval_end(void *self) { dqn_rainbow_eval_end(self); }

const dq_offpolicy_algo dqn_algo = {
    .name = "dqn",
    .exploration = dqn_exploration,
    .act = dqn_act_rows,
    .store = dqn_store_rows,
    .abort_episode = dqn_abort_episode,
    .update = dqn_update_steps,
    .target_update = dqn_target_update,
    .eval_begin = dqn_eval_begin,
    .eval_end = dqn_eval_end,
    .save_state = dqn_save_algo_state, /* dqn_io.c */
    .load_state = dqn_load_algo_state,
};

/* ---- learning: the core's loop with dq_dqn_callbacks adapted to its hooks ---- */

typedef struct dqn_hooks {
    dq_dqn *ag;
    const dq_dqn_callbacks *cb;
} dqn_hooks;

static int hook_episode(void *user, const dq_offpolicy_episode *e) {
    dqn_hooks *h = user;
    dq_dqn_episode ep = {e->episode,  e->length,      e->ret,    e->terminated,
                         e->truncated, e->total_steps, e->explore};
    return h->cb->on_episode(h->cb->user, h->ag, &ep);
}

static int hook_log(void *user) {
    dqn_hooks *h = user;
    dq_dqn *ag = h->ag;
    dq_dqn_stats s;
    memset(&s, 0, sizeof s);
    s.step = ag->core.c.num_timesteps;
    s.episodes = ag->core.c.episodes;
    s.n_updates = ag->n_updates;
    s.epsilon = ag->core.c.explore;
    s.n = ag->acc_n;
    if (ag->acc_n > 0) {
        s.loss = ag->acc_loss / ag->acc_n;
        s.q_mean = ag->acc_q / ag->acc_n;
        s.q_max = ag->acc_qmax;
        s.td_abs = ag->acc_td / ag->acc_n;
        s.grad_norm = ag->acc_gn / ag->acc_n;
    }
    s.terminal_frac = dq_replay_terminal_frac(ag->rb);
    const int stop = h->cb->on_log(h->cb->user, ag, &s);
    ag->acc_loss = ag->acc_q = ag->acc_qmax = ag->acc_td = ag->acc_gn = 0;
    ag->acc_n = 0;
    return stop;
}

static int hook_eval(void *user) {
    dqn_hooks *h = user;
    return h->cb->on_eval(h->cb->user, h->ag);
}

static int hook_checkpoint(void *user) {
    dqn_hooks *h = user;
    return h->cb->on_checkpoint(h->cb->user, h->ag);
}

dq_status dq_dqn_learn(dq_dqn *ag, dq_env *env, const dq_dqn_callbacks *cb, dq_error *err) {
    static const dq_dqn_callbacks none = {0};
    if (!cb) cb = &none;
    if (env->obs_space.size != ag->obs_dim || env->act_space.kind != DQ_SPACE_DISCRETE ||
        env->act_space.n != ag->n_actions)
        return dq_fail(err, DQ_EINVAL, "env's spaces do not match the agent's");
    dqn_hooks h = {ag, cb};
    dq_offpolicy_hooks hooks = {&h, cb->on_episode ? hook_episode : NULL,
                                cb->on_log ? hook_log : NULL, cb->on_eval ? hook_eval : NULL,
                                cb->on_checkpoint ? hook_checkpoint : NULL};
    return dq_offpolicy_learn(&ag->core, env, &hooks, err);
}

/* ---- accessors ---- */

const dq_dqn_def *dq_dqn_get_def(const dq_dqn *ag) { return &ag->def; }
int64_t dq_dqn_steps(const dq_dqn *ag) { return ag->core.c.num_timesteps; }
int64_t dq_dqn_episodes(const dq_dqn *ag) { return ag->core.c.episodes; }
int64_t dq_dqn_updates(const dq_dqn *ag) { return ag->n_updates; }
double dq_dqn_epsilon(const dq_dqn *ag) { return ag->core.c.explore; }
dq_mlp *dq_dqn_online(dq_dqn *ag) { return &ag->q; }
dq_mlp *dq_dqn_target(dq_dqn *ag) { return &ag->qt; }
const dq_replay *dq_dqn_replay(const dq_dqn *ag) { return ag->rb; }
bool dq_dqn_at_boundary(const dq_dqn *ag) { return dq_offpolicy_at_boundary(&ag->core); }
double dq_dqn_ep_rew_mean(const dq_dqn *ag) { return dq_offpolicy_ep_rew_mean(&ag->core); }
double dq_dqn_ep_len_mean(const dq_dqn *ag) { return dq_offpolicy_ep_len_mean(&ag->core); }
