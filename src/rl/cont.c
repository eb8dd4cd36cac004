/* cont.c — the continuous-action agents of deepq/cont.h: their networks and the one update
 * each algorithm makes (DDPG/TD3: critic step, delayed actor step through the critic, Polyak
 * targets; NAF: its closed-form max; sampled: the target's max by search). The learn loop is in
 * cont_learn.c, checkpoints in cont_io.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cont_internal.h"

#define CONT_MAGIC 0xC0A7DEF1u

static const char *const ALGO_NAMES[] = {"ddpg", "td3", "naf", "sampled"};

const char *dq_cont_algo_name(dq_cont_algo a) { return (unsigned)a < 4 ? ALGO_NAMES[a] : "?"; }

dq_status dq_cont_algo_parse(const char *name, dq_cont_algo *out, dq_error *err) {
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, ALGO_NAMES[i])) return *out = (dq_cont_algo)i, DQ_OK;
    return dq_fail(err, DQ_ENOTFOUND, "unknown algo '%s' (dqn, ddpg, td3, naf or sampled)", name);
}

dq_cont_def dq_cont_def_default(dq_cont_algo algo) {
    dq_cont_def d;
    memset(&d, 0, sizeof d);
    d.algo = algo;
    d.n_timesteps = 1000000;
    d.learning_rate = 1e-3;
    d.batch_size = 256;
    d.buffer_size = 1000000;
    d.learning_starts = 100;
    d.gamma = 0.99;
    d.tau = 0.005;
    d.train_freq = 1;
    d.train_freq_unit = DQ_UNIT_STEP;
    d.gradient_steps = 1;
    d.policy_delay = algo == DQ_ALGO_TD3 ? 2 : 1;
    d.target_policy_noise = algo == DQ_ALGO_TD3 ? 0.2 : 0.0;
    d.target_noise_clip = algo == DQ_ALGO_TD3 ? 0.5 : 0.0;
    d.noise_type = DQ_NOISE_NONE;
    d.noise_std = 0.1;
    d.n_hidden = 2;
    d.net_arch[0] = 400;
    d.net_arch[1] = 300;
    d.activation = DQ_ACT_RELU;
    d.n_critics = algo == DQ_ALGO_TD3 ? 2 : algo == DQ_ALGO_NAF ? 0 : 1;
    d.n_samples = 64;
    d.cem_iters = 0;
    d.cem_elite = 6;
    d.threads = 1;
    d.log_interval = 1000;
    d.eval_freq = 10000;
    d.n_eval_episodes = 10;
    d.magic_ = CONT_MAGIC;
    return d;
}

dq_status dq_cont_def_check(const dq_cont_def *d, dq_error *err) {
    if (d->magic_ != CONT_MAGIC)
        return dq_fail(err, DQ_EINVAL, "dq_cont_def not made by dq_cont_def_default()");
#define NEED(cond, ...) if (!(cond)) return dq_fail(err, DQ_EINVAL, __VA_ARGS__)
    NEED((unsigned)d->algo < 4, "algo: unknown algorithm %d", (int)d->algo);
    NEED(d->n_timesteps >= 0, "n_timesteps must be >= 0");
    NEED(d->learning_rate > 0 && isfinite(d->learning_rate), "learning_rate must be > 0");
    NEED(d->batch_size >= 1 && d->batch_size <= 65536, "batch_size must be in 1..65536");
    NEED(d->buffer_size >= 1, "buffer_size must be >= 1");
    NEED(d->learning_starts >= 0, "learning_starts must be >= 0");
    NEED(d->gamma >= 0 && d->gamma <= 1, "gamma must be in [0, 1]");
    NEED(d->tau > 0 && d->tau <= 1, "tau must be in (0, 1]");
    NEED(d->train_freq >= 1, "train_freq must be >= 1");
    NEED(d->gradient_steps >= -1, "gradient_steps must be >= 0 or -1");
    NEED(d->policy_delay >= 1, "policy_delay must be >= 1");
    NEED(d->target_policy_noise >= 0 && d->target_noise_clip >= 0,
         "target_policy_noise and target_noise_clip must be >= 0");
    NEED(d->noise_std >= 0 && isfinite(d->noise_std), "noise_std must be >= 0");
    NEED(d->n_hidden >= 0 && d->n_hidden <= DQ_MLP_MAX_HIDDEN, "net_arch: at most %d layers",
         DQ_MLP_MAX_HIDDEN);
    for (int i = 0; i < d->n_hidden; i++)
        NEED(d->net_arch[i] >= 1 && d->net_arch[i] <= 65536, "net_arch: bad width %d",
             d->net_arch[i]);
    NEED(d->algo != DQ_ALGO_TD3 || (d->n_critics >= 1 && d->n_critics <= 2),
         "n_critics must be 1 or 2 for td3");
    NEED(d->n_samples >= 1 && d->n_samples <= 65536, "n_samples must be in 1..65536");
    NEED(d->cem_iters >= 0 && d->cem_iters <= 100, "cem_iters must be in 0..100");
    NEED(d->cem_elite >= 1 && d->cem_elite <= d->n_samples, "cem_elite must be in 1..n_samples");
    NEED(d->naf_preact_weight >= 0 && d->naf_preact_weight <= 1e6,
         "naf_preact_weight must be in 0..1e6");
    NEED(d->threads >= 1 && d->threads <= DQ_POOL_MAX_THREADS, "threads must be in 1..%d",
         DQ_POOL_MAX_THREADS);
    NEED(d->log_interval >= 1, "log_interval must be >= 1");
    NEED(d->eval_freq >= 0 && d->n_eval_episodes >= 1, "eval_freq >= 0, n_eval_episodes >= 1");
#undef NEED
    return DQ_OK;
}

static int n_critics_of(const dq_cont_def *d) {
    return d->algo == DQ_ALGO_TD3 ? d->n_critics : d->algo == DQ_ALGO_NAF ? 0 : 1;
}

static dq_status net(dq_mlp *m, const dq_cont_def *d, int in, int out, dq_act out_act, int mb,
                     dq_rng *rng, dq_pool *pool, dq_error *err) {
    dq_mlp_def md = dq_mlp_def_default();
    md.n_in = in;
    md.n_out = out;
    md.n_hidden = d->n_hidden;
    memcpy(md.hidden, d->net_arch, sizeof md.hidden);
    md.act = d->activation;
    md.out_act = out_act;
    dq_status st = dq_mlp_init(m, &md, mb, rng, err);
    if (!st) st = dq_mlp_set_pool(m, pool, err);
    return st;
}

static dq_status adam(dq_optim *o, const dq_cont_def *d, const dq_mlp *m, dq_error *err) {
    dq_optim_def od = dq_optim_def_default(DQ_OPT_ADAM);
    od.lr = d->learning_rate;
    return dq_optim_init(o, &od, m, err);
}

dq_status dq_cont_create(dq_cont **out, const dq_cont_def *def, const dq_space *obs_space,
                         const dq_space *act_space, dq_error *err) {
    *out = NULL;
    dq_status st = dq_cont_def_check(def, err);
    if (st) return st;
    if (obs_space->kind != DQ_SPACE_BOX)
        return dq_fail(err, DQ_EUNSUPPORTED, "%s needs a Box observation space",
                       dq_cont_algo_name(def->algo));
    if (act_space->kind != DQ_SPACE_BOX)
        return dq_fail(err, DQ_EUNSUPPORTED,
                       "%s needs a Box action space (use --algo dqn for Discrete actions)",
                       dq_cont_algo_name(def->algo));
    const int D = act_space->size;
    if (D > DQ_NOISE_MAX_DIM || (def->algo == DQ_ALGO_NAF && D > DQ_NAF_MAX_ACT))
        return dq_fail(err, DQ_EUNSUPPORTED, "%d action dimensions: too many for %s", D,
                       dq_cont_algo_name(def->algo));
    for (int j = 0; j < D; j++)
        if (!isfinite(act_space->low[j]) || !isfinite(act_space->high[j]))
            return dq_fail(err, DQ_EUNSUPPORTED, "the action Box must be bounded to scale actions");
    dq_cont *ag = calloc(1, sizeof *ag);
    if (!ag) return dq_fail(err, DQ_ENOMEM, "out of memory for the agent");
    ag->def = *def;
    const dq_cont_def *d = &ag->def;
    ag->O = obs_space->size;
    ag->D = D;
    memcpy(ag->low, act_space->low, sizeof(double) * D);
    memcpy(ag->high, act_space->high, sizeof(double) * D);
    ag->n_q = n_critics_of(d);
    const int O = ag->O, B = d->batch_size, N = d->n_samples;
    ag->B = B;
    /* critics of the sampled learner evaluate B * N candidates in chunks of `chunk` rows */
    const int chunk = d->algo == DQ_ALGO_SAMPLED
                          ? (int)((long)B * N < 4096 ? (long)B * N : (4096 > N ? 4096 : N))
                          : B;
    const int cmb = chunk > B ? chunk : B;
    if (d->threads > 1 && (st = dq_pool_create(&ag->pool, d->threads, err))) goto fail;

    dq_rng master, init;
    dq_rng_seed(&master, d->seed);
    init = dq_rng_split(&master, 1);
    ag->rng_act = dq_rng_split(&master, 2);
    ag->rng_sample = dq_rng_split(&master, 3);
    ag->rng_update = dq_rng_split(&master, 4);
    ag->rng_eval = dq_rng_split(&master, 5);
    if (d->algo == DQ_ALGO_DDPG || d->algo == DQ_ALGO_TD3) {
        if ((st = net(&ag->actor, d, O, D, DQ_ACT_TANH, B, &init, ag->pool, err)) ||
            (st = net(&ag->actor_t, d, O, D, DQ_ACT_TANH, B, &init, ag->pool, err)) ||
            (st = adam(&ag->opt_actor, d, &ag->actor, err)))
            goto fail;
        dq_mlp_copy_params(&ag->actor_t, &ag->actor);
    }
    for (int k = 0; k < ag->n_q; k++) {
        if ((st = net(&ag->critic[k], d, O + D, 1, DQ_ACT_IDENTITY, cmb, &init, ag->pool, err)) ||
            (st = net(&ag->critic_t[k], d, O + D, 1, DQ_ACT_IDENTITY, cmb, &init, ag->pool, err)) ||
            (st = adam(&ag->opt_critic[k], d, &ag->critic[k], err)))
            goto fail;
        dq_mlp_copy_params(&ag->critic_t[k], &ag->critic[k]);
    }
    const int H = dq_naf_width(D);
    if (d->algo == DQ_ALGO_NAF) {
        if ((st = net(&ag->naf, d, O, H, DQ_ACT_IDENTITY, B, &init, ag->pool, err)) ||
            (st = net(&ag->naf_t, d, O, H, DQ_ACT_IDENTITY, B, &init, ag->pool, err)) ||
            (st = adam(&ag->opt_naf, d, &ag->naf, err)))
            goto fail;
        dq_mlp_copy_params(&ag->naf_t, &ag->naf);
    }
    if ((st = dq_action_noise_init(&ag->noise, d->noise_type, D, d->noise_std, err))) goto fail;

    ag->cap = d->buffer_size;
    const size_t cap = (size_t)ag->cap;
    ag->r_obs = malloc(sizeof(float) * cap * O);
    ag->r_next = malloc(sizeof(float) * cap * O);
    ag->r_act = malloc(sizeof(float) * cap * D);
    ag->r_rew = malloc(sizeof(float) * cap);
    ag->r_term = malloc(cap);
    const size_t b = (size_t)B;
    float **bufs[] = {&ag->b_obs, &ag->b_next, &ag->x,      &ag->b_act, &ag->mu,   &ag->eps,
                      &ag->sm,    &ag->b_rew,  &ag->b_term, &ag->q1,    &ag->q2,   &ag->y,
                      &ag->pred,  &ag->dpred,  &ag->head,   &ag->dhead, &ag->vnext};
    const size_t rows[] = {b * O, b * O, b * (O + D), b * D, b * D, b * D, b * D, b, b,
                           b,     b,     b,           b,     b,     b * H, b * H, b};
    bool ok = ag->r_obs && ag->r_next && ag->r_act && ag->r_rew && ag->r_term;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        ok = ok && (*bufs[i] = malloc(sizeof(float) * rows[i])) != NULL;
    /* actor step scratch (a, x, q, dq, dx, da) and the two searches' scratch */
    ag->ddpg.a = malloc(sizeof(float) * b * D);
    ag->ddpg.x = malloc(sizeof(float) * b * (O + D));
    ag->ddpg.q = malloc(sizeof(float) * b);
    ag->ddpg.dq = malloc(sizeof(float) * b);
    ag->ddpg.dx = malloc(sizeof(float) * b * (O + D));
    ag->ddpg.da = malloc(sizeof(float) * b * D);
    ok = ok && ag->ddpg.a && ag->ddpg.x && ag->ddpg.q && ag->ddpg.dq && ag->ddpg.dx && ag->ddpg.da;
    if (d->algo == DQ_ALGO_SAMPLED) {
        dq_sampled_scratch *ss[2] = {&ag->samp, &ag->samp1};
        const int nb[2] = {B, 1};
        for (int i = 0; i < 2; i++) {
            const size_t r = (size_t)nb[i];
            ss[i]->cand = malloc(sizeof(float) * r * N * D);
            ss[i]->score = malloc(sizeof(float) * r * N);
            ss[i]->mean = malloc(sizeof(float) * r * D);
            ss[i]->std = malloc(sizeof(float) * r * D);
            ss[i]->chunk = i == 0 ? chunk : (N < chunk ? N : chunk);
            ss[i]->x = malloc(sizeof(float) * (size_t)ss[i]->chunk * (O + D));
            ss[i]->q = malloc(sizeof(float) * (size_t)ss[i]->chunk);
            ss[i]->order = malloc(sizeof(int32_t) * (size_t)N);
            ok = ok && ss[i]->cand && ss[i]->score && ss[i]->mean && ss[i]->std && ss[i]->x &&
                 ss[i]->q && ss[i]->order;
        }
    }
    if (!ok) {
        st = dq_fail(err, DQ_ENOMEM, "out of memory for a replay buffer of %lld transitions",
                     (long long)ag->cap);
        goto fail;
    }
    memset(ag->eps, 0, sizeof(float) * b * D);
    /* the loop: one env; targets move inside update (TD3's policy_delay), so no interval */
    const dq_offpolicy_def cd = {d->n_timesteps,
                                 d->learning_starts,
                                 d->train_freq,
                                 d->train_freq_unit,
                                 d->gradient_steps,
                                 1,
                                 1,
                                 0,
                                 d->seed,
                                 d->log_interval,
                                 d->eval_freq,
                                 0};
    if ((st = dq_offpolicy_init(&ag->core, &cd, &cont_algo, ag, obs_space, act_space, err)))
        goto fail;
    *out = ag;
    return DQ_OK;
fail:
    dq_cont_destroy(ag);
    return st;
}

void dq_cont_destroy(dq_cont *ag) {
    if (!ag) return;
    dq_offpolicy_free(&ag->core);
    dq_mlp *nets[] = {&ag->actor,       &ag->actor_t,     &ag->critic[0], &ag->critic[1],
                      &ag->critic_t[0], &ag->critic_t[1], &ag->naf,       &ag->naf_t};
    for (size_t i = 0; i < sizeof nets / sizeof *nets; i++) dq_mlp_free(nets[i]);
    dq_optim_free(&ag->opt_actor);
    dq_optim_free(&ag->opt_critic[0]);
    dq_optim_free(&ag->opt_critic[1]);
    dq_optim_free(&ag->opt_naf);
    dq_pool_destroy(ag->pool);
    void *bufs[] = {ag->r_obs,  ag->r_next,  ag->r_act,   ag->r_rew,  ag->r_term, ag->b_obs,
                    ag->b_next, ag->x,       ag->b_act,   ag->mu,     ag->eps,    ag->sm,
                    ag->b_rew,  ag->b_term,  ag->q1,      ag->q2,     ag->y,      ag->pred,
                    ag->dpred,  ag->head,    ag->dhead,   ag->vnext,  ag->ddpg.a, ag->ddpg.x,
                    ag->ddpg.q, ag->ddpg.dq, ag->ddpg.dx, ag->ddpg.da};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) free(bufs[i]);
    dq_sampled_scratch *ss[2] = {&ag->samp, &ag->samp1};
    for (int i = 0; i < 2; i++) {
        free(ss[i]->cand), free(ss[i]->score), free(ss[i]->mean), free(ss[i]->std);
        free(ss[i]->x), free(ss[i]->q), free(ss[i]->order);
    }
    free(ag);
}

/* ---- acting ---- */

void cont_policy(dq_cont *ag, const float *obs, float *a, dq_rng *rng) {
    const dq_cont_def *d = &ag->def;
    if (d->algo == DQ_ALGO_DDPG || d->algo == DQ_ALGO_TD3) {
        dq_mlp_act(&ag->actor, obs, a); /* tanh output: already in [-1, 1] */
    } else if (d->algo == DQ_ALGO_NAF) {
        float h[1 + DQ_NAF_MAX_ACT + DQ_NAF_MAX_ACT * (DQ_NAF_MAX_ACT + 1) / 2];
        dq_mlp_act(&ag->naf, obs, h);
        for (int j = 0; j < ag->D; j++) a[j] = tanhf(h[1 + j]);
    } else {
        float q;
        dq_sampled_max(&q, a, &ag->critic[0], obs, 1, ag->D, d->n_samples, d->cem_iters,
                       d->cem_elite, rng, &ag->samp1);
    }
}

void dq_cont_act(dq_cont *ag, const float *obs, double *env_action) {
    float a[DQ_NOISE_MAX_DIM];
    cont_policy(ag, obs, a, &ag->rng_eval);
    dq_action_unscale(env_action, a, ag->low, ag->high, ag->D);
}

/* ---- one update ---- */

static void sample_batch(dq_cont *ag) {
    const int O = ag->O, D = ag->D;
    for (int i = 0; i < ag->B; i++) {
        const int64_t k = (int64_t)dq_rng_below(&ag->rng_sample, (uint64_t)ag->size);
        memcpy(ag->b_obs + (size_t)i * O, ag->r_obs + (size_t)k * O, sizeof(float) * O);
        memcpy(ag->b_next + (size_t)i * O, ag->r_next + (size_t)k * O, sizeof(float) * O);
        memcpy(ag->b_act + (size_t)i * D, ag->r_act + (size_t)k * D, sizeof(float) * D);
        ag->b_rew[i] = ag->r_rew[k];
        ag->b_term[i] = ag->r_term[k] ? 1.0f : 0.0f;
    }
}

/* One MSE step of critic k towards ag->y on (b_obs, b_act); returns the loss. */
static double critic_step(dq_cont *ag, int k) {
    const int B = ag->B;
    dq_concat_rows(ag->x, ag->b_obs, ag->b_act, B, ag->O, ag->D);
    dq_mlp_forward(&ag->critic[k], ag->x, B, ag->pred);
    const double loss = dq_loss_f32(DQ_LOSS_MSE, ag->dpred, NULL, ag->pred, ag->y, NULL, B);
    if (k == 0)
        for (int i = 0; i < B; i++) ag->acc_q += ag->pred[i] / B;
    dq_mlp_zero_grad(&ag->critic[k]);
    dq_mlp_backward(&ag->critic[k], ag->dpred, B, NULL);
    dq_optim_step(&ag->opt_critic[k], &ag->critic[k]);
    return loss;
}

static void update_actor_critic(dq_cont *ag) {
    const dq_cont_def *d = &ag->def;
    const int B = ag->B, O = ag->O, D = ag->D;
    /* target: r + gamma (1 - done) min_k Q'_k(s', clip(mu'(s') + clip(noise))) */
    dq_mlp_forward(&ag->actor_t, ag->b_next, B, ag->mu);
    if (d->target_policy_noise > 0)
        for (int i = 0; i < B * D; i++) ag->eps[i] = (float)dq_rng_normal(&ag->rng_update);
    dq_td3_smooth(ag->sm, ag->mu, ag->eps, (float)d->target_policy_noise,
                  (float)d->target_noise_clip, B, D);
    dq_concat_rows(ag->x, ag->b_next, ag->sm, B, O, D);
    dq_mlp_forward(&ag->critic_t[0], ag->x, B, ag->q1);
    if (ag->n_q > 1) dq_mlp_forward(&ag->critic_t[1], ag->x, B, ag->q2);
    dq_td3_target(ag->y, ag->q1, ag->n_q > 1 ? ag->q2 : NULL, ag->b_rew, ag->b_term,
                  (float)d->gamma, B);
    double closs = 0;
    for (int k = 0; k < ag->n_q; k++) closs += critic_step(ag, k);
    ag->acc_closs += closs;
    ag->acc_nc++;
    ag->n_updates++;
    if (ag->n_updates % d->policy_delay == 0) {
        dq_mlp_zero_grad(&ag->actor);
        ag->acc_aloss += dq_ddpg_actor_grad(&ag->actor, &ag->critic[0], ag->b_obs, B, &ag->ddpg);
        ag->acc_na++;
        dq_optim_step(&ag->opt_actor, &ag->actor);
        for (int k = 0; k < ag->n_q; k++) dq_mlp_polyak(&ag->critic_t[k], &ag->critic[k], d->tau);
        dq_mlp_polyak(&ag->actor_t, &ag->actor, d->tau);
    }
}

static void update_naf(dq_cont *ag) {
    const dq_cont_def *d = &ag->def;
    const int B = ag->B, D = ag->D, H = dq_naf_width(D);
    dq_mlp_forward(&ag->naf_t, ag->b_next, B, ag->head); /* max_a' Q'(s', a') = V'(s') */
    for (int i = 0; i < B; i++) ag->vnext[i] = ag->head[(size_t)i * H];
    dq_td3_target(ag->y, ag->vnext, NULL, ag->b_rew, ag->b_term, (float)d->gamma, B);
    dq_mlp_forward(&ag->naf, ag->b_obs, B, ag->head);
    dq_naf_q(ag->pred, NULL, ag->head, ag->b_act, B, D);
    const double loss = dq_loss_f32(DQ_LOSS_MSE, ag->dpred, NULL, ag->pred, ag->y, NULL, B);
    for (int i = 0; i < B; i++) ag->acc_q += ag->pred[i] / B;
    dq_naf_backward(ag->dhead, ag->dpred, ag->head, ag->b_act, B, D);
    /* + w mean_b |m_b|^2 on mu's pre-tanh outputs m (head[1..D]): d/dm = 2 w m / B */
    const float pw = (float)(2.0 * d->naf_preact_weight / B);
    for (int b = 0; pw > 0 && b < B; b++)
        for (int i = 0; i < D; i++)
            ag->dhead[(size_t)b * H + 1 + i] += pw * ag->head[(size_t)b * H + 1 + i];
    dq_mlp_zero_grad(&ag->naf);
    dq_mlp_backward(&ag->naf, ag->dhead, B, NULL);
    dq_optim_step(&ag->opt_naf, &ag->naf);
    dq_mlp_polyak(&ag->naf_t, &ag->naf, d->tau);
    ag->acc_closs += loss;
    ag->acc_nc++;
    ag->n_updates++;
}

static void update_sampled(dq_cont *ag) {
    const dq_cont_def *d = &ag->def;
    const int B = ag->B;
    dq_sampled_max(ag->q1, ag->sm, &ag->critic_t[0], ag->b_next, B, ag->D, d->n_samples,
                   d->cem_iters, d->cem_elite, &ag->rng_update, &ag->samp);
    dq_td3_target(ag->y, ag->q1, NULL, ag->b_rew, ag->b_term, (float)d->gamma, B);
    ag->acc_closs += critic_step(ag, 0);
    dq_mlp_polyak(&ag->critic_t[0], &ag->critic[0], d->tau);
    ag->acc_nc++;
    ag->n_updates++;
}

void cont_update(dq_cont *ag) {
    sample_batch(ag);
    if (ag->def.algo == DQ_ALGO_NAF)
        update_naf(ag);
    else if (ag->def.algo == DQ_ALGO_SAMPLED)
        update_sampled(ag);
    else
        update_actor_critic(ag);
}

/* ---- accessors ---- */

const dq_cont_def *dq_cont_get_def(const dq_cont *ag) { return &ag->def; }
int64_t dq_cont_steps(const dq_cont *ag) { return ag->core.c.num_timesteps; }
int64_t dq_cont_episodes(const dq_cont *ag) { return ag->core.c.episodes; }
int64_t dq_cont_updates(const dq_cont *ag) { return ag->n_updates; }
bool dq_cont_at_boundary(const dq_cont *ag) { return dq_offpolicy_at_boundary(&ag->core); }
double dq_cont_ep_rew_mean(const dq_cont *ag) { return dq_offpolicy_ep_rew_mean(&ag->core); }

dq_mlp *dq_cont_net(dq_cont *ag, const char *name) {
    const bool ac = ag->def.algo == DQ_ALGO_DDPG || ag->def.algo == DQ_ALGO_TD3;
    if (!strcmp(name, "actor")) return ac ? &ag->actor : NULL;
    if (!strcmp(name, "actor_target")) return ac ? &ag->actor_t : NULL;
    if (!strcmp(name, "naf")) return ag->def.algo == DQ_ALGO_NAF ? &ag->naf : NULL;
    if (!strcmp(name, "naf_target")) return ag->def.algo == DQ_ALGO_NAF ? &ag->naf_t : NULL;
    for (int k = 0; k < ag->n_q; k++) {
        char n[32];
        snprintf(n, sizeof n, "critic%d", k);
        if (!strcmp(name, n)) return &ag->critic[k];
        snprintf(n, sizeof n, "critic%d_target", k);
        if (!strcmp(name, n)) return &ag->critic_t[k];
    }
    return NULL;
}
