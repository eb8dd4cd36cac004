/* dqn.c — the DQN agent: creation, the SB3-style learning loop, one gradient update split into
 * sample / target / loss+backward / optimizer step, acting and evaluation. See deepq/dqn.h. */
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
    free(ag->obs);
    free(ag->next_obs);
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
    ag->need_reset = true;
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
    if ((st = dq_mlp_init(&ag->q, &md, ag->B, &rng_init, err))) goto fail;
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
    size_t es = def->dtype == DQ_F64 ? sizeof(double) : sizeof(float);
    ag->obs = calloc(D, sizeof(float));
    ag->next_obs = calloc(D, sizeof(float));
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
    ag->q_sa = calloc(B * A, es);
    ag->q_next = calloc(B * A, es);
    ag->q_next_on = calloc(B * A, es);
    ag->dout = calloc(B * A, es);
    ag->pred = calloc(B, es);
    ag->target = calloc(B, es);
    ag->dpred = calloc(B, es);
    ag->td = calloc(B, es);
    ag->a_star = calloc(B, sizeof(int32_t));
    if (!ag->obs || !ag->next_obs || !ag->act_q || !ag->b_obs || !ag->b_next || !ag->b_act ||
        !ag->b_rew || !ag->b_term || !ag->b_idx || !ag->x_obs || !ag->x_next || !ag->q_sa ||
        !ag->q_next || !ag->q_next_on || !ag->dout || !ag->pred || !ag->target || !ag->dpred ||
        !ag->td || !ag->a_star) {
        st = dq_fail(err, DQ_ENOMEM, "out of memory for the agent's buffers");
        goto fail;
    }
    *out = ag;
    return DQ_OK;
fail:
    dq_dqn_destroy(ag);
    return st;
}

/* ---- one gradient update ---- */

dq_status dqn_sample_batch(dq_dqn *ag, dq_error *err) {
    dq_replay_batch b = {ag->b_obs, ag->b_next, ag->b_act, ag->b_rew, ag->b_term, NULL, ag->b_idx};
    dq_status st;
    if (ag->def.no_replay) {
        int64_t last = dq_replay_last(ag->rb);
        dq_replay_gather(ag->rb, &last, 1, &b);
        ag->b_idx[0] = last;
        st = DQ_OK;
    } else {
        st = dq_replay_sample(ag->rb, &ag->rng_sample, ag->B, &b, NULL, err);
    }
    if (st) return st;
    if (ag->def.dtype == DQ_F64) {
        size_t n = (size_t)ag->B * (size_t)ag->obs_dim;
        double *xo = ag->x_obs, *xn = ag->x_next;
        for (size_t i = 0; i < n; i++) {
            xo[i] = ag->b_obs[i];
            xn[i] = ag->b_next[i];
        }
    }
    return DQ_OK;
}

/* The TD target in type T: with Double DQN the action is the online argmax, valued by the
 * target net; without it the target net's max. next-Q comes from the online net when
 * no_target. Computed in T as torch would (float32 for float32 networks). */
#define DQN_TARGET_BODY(T)                                                                     \
    {                                                                                          \
        int B = ag->B, A = ag->n_actions;                                                      \
        dq_mlp *tnet = ag->def.no_target ? &ag->q : &ag->qt;                                  \
        dq_mlp_forward(tnet, ag->x_next, B, ag->q_next);                                       \
        const T *qn = ag->q_next;                                                              \
        T *tg = ag->target;                                                                    \
        const T gamma = (T)ag->def.gamma;                                                      \
        if (ag->def.double_q) {                                                                \
            const T *qo = qn;                                                                  \
            if (!ag->def.no_target) {                                                          \
                dq_mlp_forward(&ag->q, ag->x_next, B, ag->q_next_on);                          \
                qo = ag->q_next_on;                                                            \
            }                                                                                  \
            for (int b = 0; b < B; b++) {                                                      \
                const T *r = qo + (size_t)b * A;                                               \
                int best = 0;                                                                  \
                for (int a = 1; a < A; a++)                                                    \
                    if (r[a] > r[best]) best = a;                                              \
                ag->a_star[b] = best;                                                          \
                T v = qn[(size_t)b * A + best];                                                \
                tg[b] = (T)ag->b_rew[b] + ((T)1 - (T)ag->b_term[b]) * gamma * v;               \
            }                                                                                  \
        } else {                                                                               \
            for (int b = 0; b < B; b++) {                                                      \
                const T *r = qn + (size_t)b * A;                                               \
                T v = r[0];                                                                    \
                for (int a = 1; a < A; a++)                                                    \
                    if (r[a] > v) v = r[a];                                                    \
                tg[b] = (T)ag->b_rew[b] + ((T)1 - (T)ag->b_term[b]) * gamma * v;               \
            }                                                                                  \
        }                                                                                      \
    }

static void target_f32(dq_dqn *ag) DQN_TARGET_BODY(float)
static void target_f64(dq_dqn *ag) DQN_TARGET_BODY(double)

void dqn_compute_target(dq_dqn *ag) {
    if (ag->def.dtype == DQ_F64) target_f64(ag);
    else target_f32(ag);
}

/* Online forward on obs, Q(s, a) gathered, loss and its gradient scattered back into
 * dout[B, A], backward into the (zeroed) gradients; accumulates diagnostics. */
#define DQN_LOSS_BODY(T, LOSSFN)                                                               \
    {                                                                                          \
        int B = ag->B, A = ag->n_actions;                                                      \
        dq_mlp_zero_grad(&ag->q);                                                              \
        dq_mlp_forward(&ag->q, ag->x_obs, B, ag->q_sa);                                        \
        const T *q = ag->q_sa;                                                                 \
        T *pred = ag->pred, *dpred = ag->dpred, *td = ag->td, *dout = ag->dout;                \
        double qsum = 0, qmax = -INFINITY;                                                     \
        for (int b = 0; b < B; b++) {                                                          \
            T v = q[(size_t)b * A + ag->b_act[b]];                                             \
            pred[b] = v;                                                                       \
            qsum += (double)v;                                                                 \
            if ((double)v > qmax) qmax = (double)v;                                            \
        }                                                                                      \
        double loss = LOSSFN(ag->def.loss, dpred, td, pred, ag->target, NULL, B);              \
        memset(dout, 0, (size_t)B * A * sizeof(T));                                            \
        double tds = 0;                                                                        \
        for (int b = 0; b < B; b++) {                                                          \
            dout[(size_t)b * A + ag->b_act[b]] = dpred[b];                                     \
            tds += fabs((double)td[b]);                                                        \
        }                                                                                      \
        dq_mlp_backward(&ag->q, dout, B, NULL);                                                \
        ag->acc_loss += loss;                                                                  \
        ag->acc_q += qsum / B;                                                                 \
        if (qmax > ag->acc_qmax || ag->acc_n == 0) ag->acc_qmax = qmax;                        \
        ag->acc_td += tds / B;                                                                 \
        return loss;                                                                           \
    }

static double loss_f32(dq_dqn *ag) DQN_LOSS_BODY(float, dq_loss_f32)
static double loss_f64(dq_dqn *ag) DQN_LOSS_BODY(double, dq_loss_f64)

double dqn_loss_backward(dq_dqn *ag) {
    return ag->def.dtype == DQ_F64 ? loss_f64(ag) : loss_f32(ag);
}

double dqn_optimizer_step(dq_dqn *ag) {
    /* torch clip_grad_norm_ with an infinite max only measures. */
    double gn = dq_mlp_clip_grad_norm(&ag->q, ag->def.max_grad_norm > 0 ? ag->def.max_grad_norm
                                                                       : INFINITY);
    dq_optim_step(&ag->opt, &ag->q);
    ag->acc_gn += gn;
    return gn;
}

dq_status dqn_train(dq_dqn *ag, int gradient_steps, dq_error *err) {
    for (int g = 0; g < gradient_steps; g++) {
        if (ag->ext) {
            dq_status st = dqn_rainbow_step(ag, err);
            if (st) return st;
            ag->acc_n++;
            ag->n_updates++;
            continue;
        }
        dq_status st = dqn_sample_batch(ag, err);
        if (st) return st;
        dqn_compute_target(ag);
        dqn_loss_backward(ag);
        dqn_optimizer_step(ag);
        ag->acc_n++;
        ag->n_updates++;
    }
    return DQ_OK;
}

/* ---- acting ---- */

int dq_dqn_greedy(dq_dqn *ag, const float *obs, float *q) {
    if (ag->ext) return dqn_rainbow_greedy(ag, obs, q);
    return dq_mlp_act(&ag->q, obs, q ? q : ag->act_q);
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

/* ---- learning loop ---- */

static void target_update(dq_dqn *ag) {
    if (ag->def.noisy) {
        dqn_rainbow_target_update(ag);
        return;
    }
    if (ag->def.tau >= 1.0) dq_mlp_copy_params(&ag->qt, &ag->q);
    else dq_mlp_polyak(&ag->qt, &ag->q, ag->def.tau);
}

static dq_status prefill(dq_dqn *ag, dq_env *env, dq_error *err) {
    dq_env_reset(env, (int64_t)(ag->def.seed & INT64_MAX), ag->obs);
    ag->env_seeded = true;
    for (int64_t i = 0; i < ag->def.prefill; i++) {
        int a = (int)dq_rng_below(&ag->rng_act, (uint64_t)ag->n_actions);
        dq_step s;
        dq_status st = dq_env_step(env, a, ag->next_obs, &s, err);
        if (st) return st;
        dqn_store(ag, ag->obs, a, (float)s.reward, ag->next_obs, s.terminated, s.truncated);
        if (s.terminated || s.truncated) dq_env_reset(env, -1, ag->obs);
        else memcpy(ag->obs, ag->next_obs, (size_t)ag->obs_dim * sizeof(float));
    }
    dqn_store_abort_episode(ag); /* the learn loop resets the env: drop the partial episode */
    ag->need_reset = true;
    return DQ_OK;
}

static void fill_stats(const dq_dqn *ag, dq_dqn_stats *s) {
    memset(s, 0, sizeof *s);
    s->step = ag->num_timesteps;
    s->episodes = ag->episodes;
    s->n_updates = ag->n_updates;
    s->epsilon = ag->epsilon;
    s->n = ag->acc_n;
    if (ag->acc_n > 0) {
        s->loss = ag->acc_loss / ag->acc_n;
        s->q_mean = ag->acc_q / ag->acc_n;
        s->q_max = ag->acc_qmax;
        s->td_abs = ag->acc_td / ag->acc_n;
        s->grad_norm = ag->acc_gn / ag->acc_n;
    }
    s->terminal_frac = dq_replay_terminal_frac(ag->rb);
}

dq_status dq_dqn_learn(dq_dqn *ag, dq_env *env, const dq_dqn_callbacks *cb, dq_error *err) {
    static const dq_dqn_callbacks none = {0};
    if (!cb) cb = &none;
    if (env->obs_space.size != ag->obs_dim || env->act_space.kind != DQ_SPACE_DISCRETE ||
        env->act_space.n != ag->n_actions)
        return dq_fail(err, DQ_EINVAL, "env's spaces do not match the agent's");
    const dq_dqn_def *d = &ag->def;
    dq_status st;
    if (!ag->prefilled) {
        ag->prefilled = true;
        if (d->prefill > 0 && (st = prefill(ag, env, err))) return st;
    }
    while (ag->num_timesteps < d->n_timesteps) {
        if (ag->need_reset) {
            dq_env_reset(env, ag->env_seeded ? -1 : (int64_t)(d->seed & INT64_MAX), ag->obs);
            ag->env_seeded = true;
            ag->need_reset = false;
            ag->ep_len = 0;
            ag->ep_ret = 0;
        }
        ag->epsilon = dq_schedule_value(&ag->sched, ag->num_timesteps, d->n_timesteps,
                                        ag->episodes);
        if (d->noisy) ag->epsilon = 0.0; /* noisy nets explore through their noise */
        int a;
        if (ag->num_timesteps < d->learning_starts)
            a = (int)dq_rng_below(&ag->rng_act, (uint64_t)ag->n_actions);
        else
            a = dq_dqn_act(ag, ag->obs, ag->epsilon);
        dq_step s;
        if ((st = dq_env_step(env, a, ag->next_obs, &s, err))) return st;
        ag->num_timesteps++;
        ag->ep_len++;
        ag->ep_ret += s.reward;
        dqn_store(ag, ag->obs, a, (float)s.reward, ag->next_obs, s.terminated, s.truncated);
        ag->n_calls++;
        if (ag->n_calls % d->target_update_interval == 0) target_update(ag);
        memcpy(ag->obs, ag->next_obs, (size_t)ag->obs_dim * sizeof(float));
        bool done = s.terminated || s.truncated;
        ag->rollout_steps++;
        if (done) ag->rollout_episodes++;
        bool rollout_end = d->train_freq_unit == DQ_UNIT_STEP
                               ? ag->rollout_steps >= d->train_freq
                               : ag->rollout_episodes >= d->train_freq;
        if (rollout_end) {
            int gs = d->gradient_steps >= 0 ? d->gradient_steps : (int)ag->rollout_steps;
            ag->rollout_steps = ag->rollout_episodes = 0;
            /* SB3 sets the scheduled lr from progress_remaining before each training. */
            if (d->learning_rate_linear)
                ag->opt.def.lr = d->learning_rate *
                                 (1.0 - (double)ag->num_timesteps / (double)d->n_timesteps);
            if (ag->num_timesteps > d->learning_starts && gs > 0 &&
                (st = dqn_train(ag, gs, err)))
                return st;
        }
        int stop = 0;
        if (ag->num_timesteps % d->log_interval == 0 && cb->on_log) {
            dq_dqn_stats ss;
            fill_stats(ag, &ss);
            stop |= cb->on_log(cb->user, ag, &ss);
            ag->acc_loss = ag->acc_q = ag->acc_qmax = ag->acc_td = ag->acc_gn = 0;
            ag->acc_n = 0;
        }
        if (d->eval_freq > 0 && ag->num_timesteps % d->eval_freq == 0 && cb->on_eval)
            stop |= cb->on_eval(cb->user, ag);
        if (d->checkpoint_freq > 0 && ag->num_timesteps % d->checkpoint_freq == 0 &&
            cb->on_checkpoint)
            stop |= cb->on_checkpoint(cb->user, ag);
        if (done) {
            ag->episodes++;
            ag->need_reset = true;
            ag->win_ret[ag->win_pos] = s.ep_return;
            ag->win_len[ag->win_pos] = s.ep_length;
            ag->win_pos = (ag->win_pos + 1) % DQN_WINDOW;
            if (ag->win_n < DQN_WINDOW) ag->win_n++;
            if (cb->on_episode) {
                dq_dqn_episode ep = {ag->episodes, s.ep_length, s.ep_return, s.terminated,
                                     s.truncated, ag->num_timesteps, ag->epsilon};
                stop |= cb->on_episode(cb->user, ag, &ep);
            }
        }
        if (stop) break;
    }
    return DQ_OK;
}

/* ---- accessors ---- */

const dq_dqn_def *dq_dqn_get_def(const dq_dqn *ag) { return &ag->def; }
int64_t dq_dqn_steps(const dq_dqn *ag) { return ag->num_timesteps; }
int64_t dq_dqn_episodes(const dq_dqn *ag) { return ag->episodes; }
int64_t dq_dqn_updates(const dq_dqn *ag) { return ag->n_updates; }
double dq_dqn_epsilon(const dq_dqn *ag) { return ag->epsilon; }
dq_mlp *dq_dqn_online(dq_dqn *ag) { return &ag->q; }
dq_mlp *dq_dqn_target(dq_dqn *ag) { return &ag->qt; }
const dq_replay *dq_dqn_replay(const dq_dqn *ag) { return ag->rb; }
bool dq_dqn_at_boundary(const dq_dqn *ag) { return ag->need_reset; }

double dq_dqn_ep_rew_mean(const dq_dqn *ag) {
    double s = 0;
    for (int i = 0; i < ag->win_n; i++) s += ag->win_ret[i];
    return ag->win_n ? s / ag->win_n : 0.0;
}

double dq_dqn_ep_len_mean(const dq_dqn *ag) {
    double s = 0;
    for (int i = 0; i < ag->win_n; i++) s += (double)ag->win_len[i];
    return ag->win_n ? s / ag->win_n : 0.0;
}
