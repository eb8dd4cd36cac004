/* fqi.c — Fitted Q Iteration and online Q-iteration over any dq_regressor (see deepq/fqi.h). */
#include "deepq/fqi.h"
#include "deepq/nn.h" /* dq_argmax */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

dq_fqi_def dq_fqi_def_default(void) {
    dq_fqi_def d;
    memset(&d, 0, sizeof d);
    d.reg = dq_regressor_def_default(DQ_REG_KNN);
    d.reg.k = 30;
    d.iterations = 20;
    d.gamma = 0.99;
    d.eval_every = 0;
    d.eval_episodes = 100;
    d.eval_seed = 0;
    d.knn_reuse = true;
    d.n_samples = 16;
    return d;
}

dq_online_def dq_online_def_default(void) {
    dq_online_def d;
    memset(&d, 0, sizeof d);
    d.fqi = dq_fqi_def_default();
    d.initial_steps = 10000;
    d.steps_per_round = 10000;
    d.rounds = 4;
    d.epsilon = 0.1;
    d.seed = 0;
    return d;
}

int dq_fqi_action_features(int n_actions) { return n_actions == 2 ? 1 : n_actions; }

void dq_fqi_encode(double *x, const float *obs, int obs_dim, int64_t a, int n_actions) {
    for (int i = 0; i < obs_dim; i++) x[i] = (double)obs[i];
    if (n_actions == 2) {
        x[obs_dim] = (double)a;
    } else {
        for (int i = 0; i < n_actions; i++) x[obs_dim + i] = i == a ? 1.0 : 0.0;
    }
}

dq_status dq_fqi_q_values(dq_fqi_q *q, const float *obs, double *out, dq_error *err) {
    int dx = q->obs_dim + dq_fqi_action_features(q->n_actions);
    for (int a = 0; a < q->n_actions; a++)
        dq_fqi_encode(q->xbuf + (int64_t)a * dx, obs, q->obs_dim, a, q->n_actions);
    return dq_regressor_predict(q->reg, q->xbuf, q->n_actions, out, err);
}

void dq_fqi_encode_box(double *x, const float *obs, int obs_dim, const float *act,
                       int act_dim) {
    for (int i = 0; i < obs_dim; i++) x[i] = (double)obs[i];
    for (int i = 0; i < act_dim; i++) x[obs_dim + i] = (double)act[i];
}

/* One uniform action over [low, high] into act [act_dim], rounded to float32 as a Box(float32)
 * sample is. */
static void uniform_action(float *act, int act_dim, const double *low, const double *high,
                           dq_rng *rng) {
    for (int j = 0; j < act_dim; j++)
        act[j] = (float)(low[j] + (high[j] - low[j]) * dq_rng_uniform(rng));
}

void dq_fqi_greedy_box(void *ctx, const float *obs, double *action) {
    dq_fqi_q *q = ctx;
    const int ad = q->act_dim, dx = q->obs_dim + ad, N = q->n_samples;
    float cand[DQ_SPACE_MAX];
    double qv[256];
    for (int c = 0; c < N; c++) {
        uniform_action(cand, ad, q->act_low, q->act_high, &q->rng);
        dq_fqi_encode_box(q->xbuf + (int64_t)c * dx, obs, q->obs_dim, cand, ad);
    }
    int best = 0;
    if (!dq_regressor_predict(q->reg, q->xbuf, N, qv, NULL))
        for (int c = 1; c < N; c++)
            if (qv[c] > qv[best]) best = c;
    for (int j = 0; j < ad; j++) action[j] = q->xbuf[(int64_t)best * dx + q->obs_dim + j];
}

int64_t dq_fqi_greedy(void *ctx, const float *obs) {
    dq_fqi_q *q = ctx;
    double qv[64];
    if (dq_fqi_q_values(q, obs, qv, NULL)) return 0;
    int32_t best;
    dq_argmax(DQ_F64, &best, qv, 1, q->n_actions);
    return best;
}

void dq_fqi_q_free(dq_fqi_q *q) {
    if (!q) return;
    dq_regressor_destroy(q->reg);
    free(q->xbuf);
    memset(q, 0, sizeof *q);
}

/* kNN prediction from a stored neighbour list, the same arithmetic as knn.c's predict. */
static double knn_from_neighbours(const int64_t *idx, const double *dist, int k, const double *y,
                                  bool distance_weights) {
    if (!distance_weights) {
        double s = 0;
        for (int j = 0; j < k; j++) s += y[idx[j]];
        return s / k;
    }
    if (dist[0] == 0.0) {
        double s = 0;
        int c = 0;
        for (int j = 0; j < k && dist[j] == 0.0; j++) s += y[idx[j]], c++;
        return s / c;
    }
    double s = 0, w = 0;
    for (int j = 0; j < k; j++) {
        double wj = 1.0 / dist[j];
        s += wj * y[idx[j]];
        w += wj;
    }
    return s / w;
}

static dq_status check_def(const dq_fqi_def *def, const dq_dataset *ds, dq_error *err) {
    if (ds->n < 1) return dq_fail(err, DQ_EINVAL, "fqi: the data set is empty");
    if (def->iterations < 0 || !(def->gamma >= 0 && def->gamma <= 1) || def->eval_every < 0 ||
        def->eval_episodes < 1)
        return dq_fail(err, DQ_EINVAL,
                       "fqi: need iterations >= 0, gamma in [0, 1], eval_every >= 0, "
                       "eval_episodes >= 1");
    return DQ_OK;
}

/* The iterations shared by Discrete and Box actions, given x [n, dx] = (s, a) and
 * xn [n*C, dx] = the C candidate (s', a') rows of every transition: y = r, then
 * y = r + gamma (1 - terminated) max_c Q(xn[i*C + c]). q arrives with its action fields and
 * xbuf set; on success it owns the last regressor. */
static dq_status iterate(const dq_fqi_def *def, const dq_dataset *ds, int C, int dx,
                         const double *x, const double *xn, dq_env *eval_env, dq_fqi_callback cb,
                         void *cb_ctx, dq_fqi_q *q, dq_policy_stats *final_eval, dq_error *err) {
    const int64_t n = ds->n;
    const bool reuse = def->knn_reuse && def->reg.kind == DQ_REG_KNN;
    const int k = def->reg.k;
    double *y = malloc((size_t)n * sizeof *y);                /* [n] targets */
    double *qn = malloc((size_t)n * C * sizeof *qn);          /* [n*C] Q(s', a') */
    int64_t *nidx = reuse ? malloc((size_t)n * C * k * sizeof *nidx) : NULL; /* [n*C, k] */
    double *ndist = reuse ? malloc((size_t)n * C * k * sizeof *ndist) : NULL; /* [n*C, k] */
    dq_status s = DQ_OK;
    if (!y || !qn || (reuse && (!nidx || !ndist))) {
        s = dq_fail(err, DQ_ENOMEM, "fqi: out of memory for %lld transitions x %d candidates",
                    (long long)n, C);
        goto done;
    }
    for (int it = 0; it <= def->iterations; it++) {
        double t0 = now_s();
        if (it == 0) {
            memcpy(y, ds->rewards, (size_t)n * sizeof *y);
        } else {
            if (reuse) {
                for (int64_t j = 0; j < n * C; j++)
                    qn[j] = knn_from_neighbours(nidx + j * k, ndist + j * k, k, y,
                                                def->reg.distance_weights);
            } else {
                s = dq_regressor_predict(q->reg, xn, n * C, qn, err);
                if (s) goto done;
            }
            for (int64_t i = 0; i < n; i++) {
                double m = qn[i * C];
                for (int a = 1; a < C; a++) m = fmax(m, qn[i * C + a]);
                y[i] = ds->rewards[i] + (ds->terminateds[i] ? 0.0 : def->gamma * m);
            }
        }
        if (reuse && it > 0) {
            s = dq_knn_set_targets(q->reg, y, n, err);
        } else {
            dq_regressor_destroy(q->reg);
            q->reg = NULL;
            dq_regressor_def rd = def->reg;
            rd.seed = def->reg.seed + (uint64_t)it;
            s = dq_regressor_create(&rd, &q->reg, err);
            if (!s) s = dq_regressor_fit(q->reg, x, y, n, dx, err);
            if (!s && reuse) s = dq_knn_query(q->reg, xn, n * C, nidx, ndist, err);
        }
        if (s) goto done;
        dq_fqi_progress p;
        memset(&p, 0, sizeof p);
        p.iteration = it;
        p.transitions = n;
        p.fit_seconds = now_s() - t0;
        double sum = 0;
        for (int64_t i = 0; i < n; i++) sum += y[i];
        p.mean_q = sum / (double)n;
        bool last = it == def->iterations;
        if (eval_env && (last || (def->eval_every > 0 && it % def->eval_every == 0))) {
            s = q->act_dim ? dq_policy_eval_box(eval_env, dq_fqi_greedy_box, q,
                                                def->eval_episodes, def->eval_seed, &p.eval, err)
                           : dq_policy_eval(eval_env, dq_fqi_greedy, q, def->eval_episodes,
                                            def->eval_seed, &p.eval, err);
            if (s) goto done;
            p.evaluated = true;
            if (last && final_eval) *final_eval = p.eval;
        }
        if (cb) cb(cb_ctx, &p);
    }
done:
    free(y);
    free(qn);
    free(nidx);
    free(ndist);
    return s;
}

dq_status dq_fqi_run(const dq_fqi_def *def, const dq_dataset *ds, int n_actions, dq_env *eval_env,
                     dq_fqi_callback cb, void *cb_ctx, dq_fqi_q *q, dq_policy_stats *final_eval,
                     dq_error *err) {
    memset(q, 0, sizeof *q);
    dq_status s = check_def(def, ds, err);
    if (s) return s;
    if (ds->act_dim)
        return dq_fail(err, DQ_EINVAL, "fqi: the data set has Box actions (dq_fqi_run_box)");
    if (n_actions < 2 || n_actions > 64)
        return dq_fail(err, DQ_EINVAL, "fqi: %d actions (need 2..64)", n_actions);
    for (int64_t i = 0; i < ds->n; i++)
        if (ds->actions[i] < 0 || ds->actions[i] >= n_actions)
            return dq_fail(err, DQ_EINVAL, "fqi: action %lld of transition %lld is outside 0..%d",
                           (long long)ds->actions[i], (long long)i, n_actions - 1);
    int64_t n = ds->n;
    int od = ds->obs_dim, A = n_actions, dx = od + dq_fqi_action_features(A);
    double *x = malloc((size_t)n * dx * sizeof *x);          /* [n, dx] (s, a) */
    double *xn = malloc((size_t)n * A * dx * sizeof *xn);    /* [n*A, dx] (s', a') */
    q->xbuf = malloc((size_t)A * dx * sizeof *q->xbuf);
    q->obs_dim = od;
    q->n_actions = A;
    if (!x || !xn || !q->xbuf) {
        s = dq_fail(err, DQ_ENOMEM, "fqi: out of memory for %lld transitions", (long long)n);
    } else {
        for (int64_t i = 0; i < n; i++) {
            dq_fqi_encode(x + i * dx, ds->obs + i * od, od, ds->actions[i], A);
            for (int a = 0; a < A; a++)
                dq_fqi_encode(xn + (i * A + a) * dx, ds->next_obs + i * od, od, a, A);
        }
        s = iterate(def, ds, A, dx, x, xn, eval_env, cb, cb_ctx, q, final_eval, err);
    }
    free(x);
    free(xn);
    if (s) dq_fqi_q_free(q);
    return s;
}

dq_status dq_fqi_run_box(const dq_fqi_def *def, const dq_dataset *ds, const dq_space *act_space,
                         dq_env *eval_env, dq_fqi_callback cb, void *cb_ctx, dq_fqi_q *q,
                         dq_policy_stats *final_eval, dq_error *err) {
    memset(q, 0, sizeof *q);
    dq_status s = check_def(def, ds, err);
    if (s) return s;
    const int ad = ds->act_dim, N = def->n_samples;
    if (act_space->kind != DQ_SPACE_BOX || ad < 1 || act_space->size != ad)
        return dq_fail(err, DQ_EINVAL, "fqi: the data set has %d Box action values, the env %s",
                       ad, act_space->kind == DQ_SPACE_BOX ? "another number" : "Discrete actions");
    if (N < 1 || N > 256) return dq_fail(err, DQ_EINVAL, "fqi: n_samples %d (need 1..256)", N);
    for (int j = 0; j < ad; j++)
        if (!isfinite(act_space->low[j]) || !isfinite(act_space->high[j]))
            return dq_fail(err, DQ_EINVAL, "fqi: the action bounds are not finite");
    int64_t n = ds->n;
    int od = ds->obs_dim, dx = od + ad;
    double *x = malloc((size_t)n * dx * sizeof *x);          /* [n, dx] (s, a) */
    double *xn = malloc((size_t)n * N * dx * sizeof *xn);    /* [n*N, dx] (s', sampled a') */
    q->xbuf = malloc((size_t)N * dx * sizeof *q->xbuf);
    q->obs_dim = od;
    q->act_dim = ad;
    q->n_samples = N;
    for (int j = 0; j < ad; j++) {
        q->act_low[j] = act_space->low[j];
        q->act_high[j] = act_space->high[j];
    }
    /* the targets' candidates and the greedy policy's draws: two streams of the seed */
    dq_rng cand_rng;
    dq_rng_seed(&cand_rng, def->reg.seed ^ 0x66716963616e64ULL);
    dq_rng_seed(&q->rng, def->reg.seed ^ 0x6671696772656564ULL);
    if (!x || !xn || !q->xbuf) {
        s = dq_fail(err, DQ_ENOMEM, "fqi: out of memory for %lld transitions x %d samples",
                    (long long)n, N);
    } else {
        float a[DQ_SPACE_MAX];
        for (int64_t i = 0; i < n; i++) {
            dq_fqi_encode_box(x + i * dx, ds->obs + i * od, od, ds->box_actions + i * ad, ad);
            for (int c = 0; c < N; c++) {
                uniform_action(a, ad, q->act_low, q->act_high, &cand_rng);
                dq_fqi_encode_box(xn + (i * N + c) * dx, ds->next_obs + i * od, od, a, ad);
            }
        }
        s = iterate(def, ds, N, dx, x, xn, eval_env, cb, cb_ctx, q, final_eval, err);
    }
    free(x);
    free(xn);
    if (s) dq_fqi_q_free(q);
    return s;
}

typedef struct round_cb {
    dq_fqi_callback cb;
    void *ctx;
    int round;
} round_cb;

static void forward_round(void *ctx, const dq_fqi_progress *p) {
    round_cb *rc = ctx;
    dq_fqi_progress c = *p;
    c.round = rc->round;
    if (rc->cb) rc->cb(rc->ctx, &c);
}

dq_status dq_fqi_online(const dq_online_def *def, dq_env *env, dq_env *eval_env,
                        dq_fqi_callback cb, void *cb_ctx, dq_dataset *ds, dq_fqi_q *q,
                        dq_policy_stats *final_eval, dq_error *err) {
    memset(q, 0, sizeof *q);
    if (def->initial_steps < 1 || def->steps_per_round < 0 || def->rounds < 0 ||
        !(def->epsilon >= 0 && def->epsilon <= 1))
        return dq_fail(err, DQ_EINVAL,
                       "online: need initial_steps >= 1, steps_per_round >= 0, rounds >= 0, "
                       "epsilon in [0, 1]");
    /* Box actions: uniform over the bounds where Discrete draws uniformly, and the greedy
     * policy is the best of n_samples draws */
    const bool box = env->act_space.kind == DQ_SPACE_BOX;
    dq_rng rng;
    dq_rng_seed(&rng, def->seed);
    dq_status s = box ? dq_dataset_init_box(ds, env->obs_space.size, env->act_space.size,
                                            def->initial_steps, err)
                      : dq_dataset_init(ds, env->obs_space.size, def->initial_steps, err);
    if (s) return s;
    s = box ? dq_dataset_collect_box(ds, env, def->initial_steps, NULL, NULL, 1.0,
                                     (int64_t)def->seed, &rng, err)
            : dq_dataset_collect(ds, env, def->initial_steps, NULL, NULL, 1.0, (int64_t)def->seed,
                                 &rng, err);
    int A = box ? 0 : (int)env->act_space.n;
    round_cb rc = {cb, cb_ctx, 0};
    for (int r = 0; r <= def->rounds && s == DQ_OK; r++) {
        rc.round = r;
        dq_fqi_q_free(q);
        dq_fqi_def fd = def->fqi;
        fd.reg.seed = def->fqi.reg.seed + 1000003u * (uint64_t)r;
        s = box ? dq_fqi_run_box(&fd, ds, &env->act_space, eval_env, forward_round, &rc, q,
                                 final_eval, err)
                : dq_fqi_run(&fd, ds, A, eval_env, forward_round, &rc, q, final_eval, err);
        if (!s && r < def->rounds)
            s = box ? dq_dataset_collect_box(ds, env, def->steps_per_round, dq_fqi_greedy_box, q,
                                             def->epsilon, -1, &rng, err)
                    : dq_dataset_collect(ds, env, def->steps_per_round, dq_fqi_greedy, q,
                                         def->epsilon, -1, &rng, err);
    }
    if (s) dq_fqi_q_free(q);
    return s;
}
