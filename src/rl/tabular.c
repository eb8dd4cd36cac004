/* tabular.c — Q-learning, SARSA, expected SARSA, value iteration and Q-table utilities
 * (see deepq/tabular.h). */
#include "deepq/tabular.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/nn.h" /* dq_argmax */
#include "deepq/npz.h"
#include "deepq/rng.h"

static const char *const ALGO_NAMES[] = {"q", "sarsa", "expected_sarsa"};

dq_tabular_def dq_tabular_def_default(void) {
    dq_tabular_def d;
    memset(&d, 0, sizeof d);
    d.algo = DQ_TAB_Q;
    d.alpha = 0.1;
    d.alpha_end = 0.1;
    d.gamma = 0.99;
    d.epsilon = dq_schedule_def_default();
    d.epsilon.kind = DQ_SCHED_LINEAR;
    d.epsilon.start = 1.0;
    d.epsilon.end = 0.01;
    d.epsilon.fraction = 0.5;
    d.episodes = 10000;
    d.steps = 0;
    d.q_init = 0.0;
    d.seed = 0;
    return d;
}

dq_tabular_def dq_tabular_def_preset(const char *id) {
    dq_tabular_def d = dq_tabular_def_default();
    if (!id) return d;
    if (!strncmp(id, "FrozenLake8x8", 13)) {
        /* the 0.91 optimum needs a long horizon: gamma 0.99 gives a policy scoring ~0.87 */
        d.gamma = 0.999;
        d.episodes = 150000;
        d.alpha = 0.05;
        d.alpha_end = 0.005;
        d.epsilon.fraction = 0.5;
    } else if (!strncmp(id, "FrozenLake", 10)) {
        d.episodes = 20000;
        d.alpha = 0.05;
        d.alpha_end = 0.01;
        d.epsilon.fraction = 0.6;
    } else if (!strncmp(id, "Taxi", 4)) {
        d.episodes = 5000;
        d.alpha = 0.5;
        d.alpha_end = 0.1;
        d.epsilon.fraction = 0.5;
    } else if (!strncmp(id, "CliffWalking", 12)) {
        d.episodes = 1000;
        d.alpha = 0.5;
        d.alpha_end = 0.1;
        d.epsilon.fraction = 0.5;
    }
    return d;
}

dq_status dq_tabular_algo_parse(const char *name, dq_tabular_algo *out, dq_error *err) {
    for (int i = 0; i < 3; i++)
        if (name && !strcmp(name, ALGO_NAMES[i])) {
            *out = (dq_tabular_algo)i;
            return DQ_OK;
        }
    return dq_fail(err, DQ_ENOTFOUND, "unknown tabular algorithm '%s' (use q, sarsa or expected_sarsa)",
                   name ? name : "(null)");
}

const char *dq_tabular_algo_name(dq_tabular_algo algo) {
    return (algo >= 0 && algo <= DQ_TAB_EXPECTED_SARSA) ? ALGO_NAMES[algo] : "?";
}

dq_status dq_qtable_init(dq_qtable *t, int n_states, int n_actions, double value, dq_error *err) {
    memset(t, 0, sizeof *t);
    if (n_states < 1 || n_actions < 1 || (int64_t)n_states * n_actions > ((int64_t)1 << 28))
        return dq_fail(err, DQ_EINVAL, "Q table: %d states x %d actions is not a valid size",
                       n_states, n_actions);
    t->q = malloc((size_t)n_states * n_actions * sizeof *t->q);
    if (!t->q) return dq_fail(err, DQ_ENOMEM, "Q table: out of memory");
    t->n_states = n_states;
    t->n_actions = n_actions;
    for (int64_t i = 0; i < (int64_t)n_states * n_actions; i++) t->q[i] = value;
    return DQ_OK;
}

void dq_qtable_free(dq_qtable *t) {
    if (!t) return;
    free(t->q);
    memset(t, 0, sizeof *t);
}

static int argmax_first(const double *q, int n) {
    int32_t best;
    dq_argmax(DQ_F64, &best, q, 1, n);
    return best;
}

int64_t dq_qtable_greedy(void *ctx, const float *obs) {
    const dq_qtable *t = ctx;
    int s = (int)obs[0];
    if (s < 0 || s >= t->n_states) return 0;
    return argmax_first(t->q + (int64_t)s * t->n_actions, t->n_actions);
}

/* Greedy with ties broken uniformly at random (a fresh table must not always pick action 0). */
static int argmax_random(const double *q, int n, dq_rng *rng) {
    double m = q[0];
    int count = 1, pick = 0;
    for (int a = 1; a < n; a++) {
        if (q[a] > m) m = q[a], count = 1, pick = a;
        else if (q[a] == m && dq_rng_below(rng, (uint64_t)++count) == 0) pick = a;
    }
    return pick;
}

static int eps_greedy(const double *q, int n, double eps, dq_rng *rng) {
    if (dq_rng_uniform(rng) < eps) return (int)dq_rng_below(rng, (uint64_t)n);
    return argmax_random(q, n, rng);
}

dq_status dq_tabular_train(const dq_tabular_def *def, dq_env *env, dq_qtable *t,
                           dq_tabular_callback cb, void *cb_ctx, dq_error *err) {
    memset(t, 0, sizeof *t);
    if (env->obs_space.kind != DQ_SPACE_DISCRETE || env->act_space.kind != DQ_SPACE_DISCRETE)
        return dq_fail(err, DQ_EUNSUPPORTED,
                       "tabular: %s needs Discrete observations and actions (use dqn or fqi)",
                       env->type->id);
    if (!(def->alpha > 0 && def->alpha <= 1) || !(def->alpha_end > 0 && def->alpha_end <= 1) ||
        !(def->gamma >= 0 && def->gamma <= 1) || def->episodes < 0 || def->steps < 0 ||
        (def->episodes == 0 && def->steps == 0) || (int)def->algo < 0 ||
        def->algo > DQ_TAB_EXPECTED_SARSA)
        return dq_fail(err, DQ_EINVAL,
                       "tabular: need alpha in (0, 1], gamma in [0, 1] and a budget of episodes "
                       "or steps");
    dq_status s = dq_schedule_check(&def->epsilon, err);
    if (s) return s;
    int ns = (int)env->obs_space.n, na = (int)env->act_space.n;
    s = dq_qtable_init(t, ns, na, def->q_init, err);
    if (s) return s;
    dq_rng rng;
    dq_rng_seed(&rng, def->seed ^ 0x7461627561ULL);
    dq_env_set_seeding(env, DQ_SEEDING_XOSHIRO); /* a run's env stream: see dq_env_seeding */
    bool by_steps = def->steps > 0;
    int64_t total = by_steps ? def->steps : def->episodes;
    int64_t step = 0;
    float obs[1], next[1];
    for (int64_t ep = 0; by_steps ? step < def->steps : ep < def->episodes; ep++) {
        double progress = (double)(by_steps ? step : ep) / (double)total;
        double eps = by_steps ? dq_schedule_value(&def->epsilon, step, total, ep)
                              : dq_schedule_value(&def->epsilon, ep, total, ep);
        double alpha = def->alpha + (def->alpha_end - def->alpha) * progress;
        dq_env_reset(env, ep == 0 ? (int64_t)def->seed : -1, obs);
        int st = (int)obs[0];
        int a = eps_greedy(t->q + (int64_t)st * na, na, eps, &rng);
        for (;;) {
            dq_step out;
            s = dq_env_step(env, a, next, &out, err);
            if (s) {
                dq_qtable_free(t);
                return s;
            }
            step++;
            if (by_steps) eps = dq_schedule_value(&def->epsilon, step, total, ep);
            int sn = (int)next[0];
            const double *qn = t->q + (int64_t)sn * na;
            int an = -1;
            double boot = 0;
            if (def->algo == DQ_TAB_Q) {
                boot = qn[argmax_first(qn, na)];
            } else if (def->algo == DQ_TAB_SARSA) {
                an = eps_greedy(qn, na, eps, &rng);
                boot = qn[an];
            } else {
                int g = argmax_first(qn, na);
                double sum = 0;
                for (int b = 0; b < na; b++) sum += qn[b];
                boot = (1 - eps) * qn[g] + eps * sum / na;
            }
            double target = out.reward + (out.terminated ? 0.0 : def->gamma * boot);
            double *qsa = t->q + (int64_t)st * na + a;
            *qsa += alpha * (target - *qsa);
            if (out.terminated || out.truncated) {
                if (cb) {
                    dq_tabular_progress p = {ep, step, out.ep_return, eps, alpha};
                    cb(cb_ctx, &p);
                }
                break;
            }
            if (by_steps && step >= def->steps) break;
            st = sn;
            a = an >= 0 ? an : eps_greedy(t->q + (int64_t)st * na, na, eps, &rng);
        }
    }
    return DQ_OK;
}

dq_status dq_value_iteration(const dq_tabular_model *m, double gamma, double tol, int max_iter,
                             dq_qtable *qstar, int *sweeps, dq_error *err) {
    memset(qstar, 0, sizeof *qstar);
    if (!m) return dq_fail(err, DQ_EUNSUPPORTED, "value iteration: the env exposes no transition model");
    if (!(gamma >= 0 && gamma <= 1) || !(tol > 0) || max_iter < 1)
        return dq_fail(err, DQ_EINVAL, "value iteration: need gamma in [0, 1], tol > 0, max_iter >= 1");
    int ns = m->n_states, na = m->n_actions;
    dq_status s = dq_qtable_init(qstar, ns, na, 0.0, err);
    if (s) return s;
    double *v = calloc((size_t)ns, sizeof *v); /* [ns] V of the previous sweep */
    if (!v) {
        dq_qtable_free(qstar);
        return dq_fail(err, DQ_ENOMEM, "value iteration: out of memory");
    }
    int it;
    for (it = 1; it <= max_iter; it++) {
        double delta = 0;
        for (int st = 0; st < ns; st++)
            for (int a = 0; a < na; a++) {
                int32_t b = m->offset[st * na + a], e = m->offset[st * na + a + 1];
                double q = 0;
                for (int32_t j = b; j < e; j++) {
                    const dq_transition *tr = &m->tr[j];
                    q += tr->prob * (tr->reward + (tr->terminated ? 0.0 : gamma * v[tr->next]));
                }
                double *cell = &qstar->q[(int64_t)st * na + a];
                delta = fmax(delta, fabs(q - *cell));
                *cell = q;
            }
        for (int st = 0; st < ns; st++) {
            const double *qs = qstar->q + (int64_t)st * na;
            v[st] = qs[argmax_first(qs, na)];
        }
        if (delta <= tol) break;
    }
    free(v);
    if (it > max_iter) {
        dq_qtable_free(qstar);
        return dq_fail(err, DQ_EINVAL, "value iteration: no convergence to %g in %d sweeps", tol,
                       max_iter);
    }
    if (sweeps) *sweeps = it;
    return DQ_OK;
}

void dq_qtable_compare(const dq_qtable *q, const dq_qtable *qstar, double *max_abs,
                       double *agreement) {
    int ns = q->n_states, na = q->n_actions;
    double mx = 0;
    int agree = 0;
    for (int st = 0; st < ns; st++) {
        const double *a = q->q + (int64_t)st * na, *b = qstar->q + (int64_t)st * na;
        for (int k = 0; k < na; k++) mx = fmax(mx, fabs(a[k] - b[k]));
        double best = b[argmax_first(b, na)];
        if (b[argmax_first(a, na)] >= best - 1e-9) agree++;
    }
    if (max_abs) *max_abs = mx;
    if (agreement) *agreement = (double)agree / ns;
}

dq_status dq_qtable_save(const dq_qtable *t, const char *path, dq_error *err) {
    int64_t shape[2] = {t->n_states, t->n_actions};
    return dq_npy_save(path, DQ_F64, 2, shape, t->q, err);
}

dq_status dq_qtable_load(dq_qtable *t, const char *path, dq_error *err) {
    memset(t, 0, sizeof *t);
    dq_ndarray a;
    dq_status s = dq_npy_load(path, &a, err);
    if (s) return s;
    if (a.ndim != 2 || (a.dtype != DQ_F64 && a.dtype != DQ_F32)) {
        char sh[64];
        dq_shape_format(sh, sizeof sh, a.ndim, a.shape);
        s = dq_fail(err, DQ_EFORMAT, "%s: a Q table is a 2-D float array, this is %s %s", path,
                    dq_dtype_name(a.dtype), sh);
    }
    if (!s) s = dq_qtable_init(t, (int)a.shape[0], (int)a.shape[1], 0.0, err);
    if (!s)
        for (int64_t i = 0; i < a.shape[0] * a.shape[1]; i++)
            t->q[i] = a.dtype == DQ_F64 ? ((const double *)a.data)[i]
                                        : ((const float *)a.data)[i];
    dq_ndarray_release(&a);
    return s;
}

dq_status dq_qtable_arrows(const dq_qtable *q, int nrow, int ncol, const char *glyphs,
                           const char *cells, char **text, dq_error *err) {
    *text = NULL;
    if (nrow < 1 || ncol < 1 || (int64_t)nrow * ncol != q->n_states ||
        (int)strlen(glyphs) < q->n_actions)
        return dq_fail(err, DQ_EINVAL, "arrows: a %dx%d grid does not fit %d states / %d glyphs",
                       nrow, ncol, q->n_states, (int)strlen(glyphs));
    char *buf = malloc((size_t)nrow * (ncol + 1) + 1);
    if (!buf) return dq_fail(err, DQ_ENOMEM, "arrows: out of memory");
    char *p = buf;
    for (int r = 0; r < nrow; r++) {
        for (int c = 0; c < ncol; c++) {
            int st = r * ncol + c;
            if (cells && cells[st] != '.') *p++ = cells[st];
            else *p++ = glyphs[argmax_first(q->q + (int64_t)st * q->n_actions, q->n_actions)];
        }
        *p++ = '\n';
    }
    *p = 0;
    *text = buf;
    return DQ_OK;
}
