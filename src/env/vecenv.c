/* vecenv.c — N envs stepped into contiguous arrays with SB3's autoreset rule (see
 * deepq/vecenv.h), optionally split over a small pool of threads in fixed blocks, and a
 * structure-of-arrays CartPole-v1 path that computes exactly what N dq_envs would, or, with
 * def.shared_rng, what Gymnasium 1.0's CartPoleVectorEnv computes (one generator for all). */
#include "deepq/vecenv.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "env/cartpole.h"

#define MAX_THREADS 64

typedef enum task_kind { TASK_STEP, TASK_RESET } task_kind;

struct dq_vecenv_impl {
    dq_env *proto;   /* made once: options, spaces, limits (SoA path reads its state) */
    dq_env **envs;   /* [n] generic path, else NULL */
    bool seeded, started;
    /* Next-step autoreset (def.autoreset_next_step): env i ended on the last step and is reset,
     * instead of stepped, on this one. Always allocated (all 0 in SB3 mode) so the SoA fast
     * path tests it without a branch on the mode. */
    bool next_step;
    uint8_t *restart; /* [n] */
    /* SoA CartPole: Gymnasium's state per env, each env's own random stream */
    double *x, *x_dot, *theta, *theta_dot; /* [n] */
    int64_t *elapsed;                      /* [n] steps in the current episode */
    double *ret;                           /* [n] running return */
    dq_env_rand *rng;                      /* [n] (never injected; unused with shared_rng) */
    bool sutton;
    bool svml; /* the sin/cos flavour (options math/numpy) */
    bool simd; /* the 4-lane steps usable (an AVX2 CPU) */
    /* def.shared_rng: one generator for the batch. The parallel part only marks the envs that
     * start an episode (draw[i] = 1: obs row, 2: obs and final_obs rows); the caller's thread
     * then draws their start states in Gymnasium's order (see shared_draws). */
    bool shared;
    dq_env_rand shared_rng;
    uint8_t *draw;             /* [n] */
    int *draw_idx;             /* [n] scratch of shared_draws */
    int ndraw[MAX_THREADS];    /* marks made by each thread's block in this call */
    /* the task of the current call */
    task_kind kind;
    const int64_t *actions;  /* [n] */
    const double *cactions;  /* [n, act_dim] */
    int64_t seed;
    /* thread pool: thread t handles envs [n*t/T, n*(t+1)/T) */
    int n_threads;
    pthread_t th[MAX_THREADS];
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    uint64_t gen;
    int pending;
    bool quit;
    dq_vecenv *v;
};

dq_vecenv_def dq_vecenv_def_default(void) {
    return (dq_vecenv_def){.n = 8, .threads = 1, .soa = true, .autoreset_next_step = false,
                           .shared_rng = false};
}

/* ---- generic path ---------------------------------------------------------------------- */

/* Outputs of an env that starts a new episode on this step (no reward, no flags). */
static void clear_step(dq_vecenv *v, int i) {
    v->rewards[i] = 0.0, v->terminated[i] = v->truncated[i] = false;
    v->ep_return[i] = 0.0, v->ep_length[i] = 0;
}

/* Env i starts a new episode this call (a reset, or next-step autoreset). */
static bool starts(const dq_vecenv_impl *m, int i) {
    return m->kind == TASK_RESET || m->restart[i];
}

/* The batch's outputs for env i after its step ended with st (obs row: final_obs written). */
static void after_step(dq_vecenv *v, int i, const dq_step *st) {
    dq_vecenv_impl *m = v->impl;
    int d = v->obs_dim;
    float *fo = v->final_obs + (size_t)i * d, *o = v->obs + (size_t)i * d;
    if (v->infos) dq_env_info(m->envs[i], &v->infos[i]); /* the step's, before any reset */
    v->rewards[i] = st->reward;
    v->terminated[i] = st->terminated;
    v->truncated[i] = st->truncated;
    if (st->terminated || st->truncated) {
        v->ep_return[i] = st->ep_return;
        v->ep_length[i] = st->ep_length;
        if (m->next_step) {
            memcpy(o, fo, (size_t)d * sizeof *o);
            m->restart[i] = 1;
        } else {
            dq_env_reset(m->envs[i], -1, o);
        }
    } else {
        memcpy(o, fo, (size_t)d * sizeof *o);
    }
}

static void generic_block(dq_vecenv *v, int lo, int hi) {
    dq_vecenv_impl *m = v->impl;
    int d = v->obs_dim;
    /* Envs whose type steps several at once (step_many) go in runs: the same results. */
    enum { RUN = DQ_ENV_STEP_MANY_MAX }; /* one step_many call per run */
    const bool runs = lo < hi && m->envs[lo]->type->step_many != NULL;
    for (int i = lo; i < hi; i++) {
        dq_env *e = m->envs[i];
        float *fo = v->final_obs + (size_t)i * d, *o = v->obs + (size_t)i * d;
        if (starts(m, i)) {
            bool seeded = m->kind == TASK_RESET;
            m->restart[i] = 0;
            dq_env_reset(e, seeded && m->seed >= 0 ? m->seed + i : -1, o);
            if (v->infos) dq_env_info(e, &v->infos[i]);
            memcpy(fo, o, (size_t)d * sizeof *o);
            clear_step(v, i);
            continue;
        }
        if (runs) { /* envs i..j-1 all step */
            int j = i + 1;
            while (j < hi && j - i < RUN && !starts(m, j)) j++;
            float *fos[RUN];
            const double *ca[RUN];
            dq_step st[RUN];
            for (int k = i; k < j; k++) {
                fos[k - i] = v->final_obs + (size_t)k * d;
                if (m->cactions) ca[k - i] = m->cactions + (size_t)k * v->act_dim;
            }
            dq_env_step_many(j - i, m->envs + i, m->cactions ? NULL : m->actions + i,
                             m->cactions ? ca : NULL, fos, st, NULL);
            for (int k = i; k < j; k++) after_step(v, k, &st[k - i]);
            i = j - 1;
            continue;
        }
        dq_step st;
        if (m->cactions) dq_env_step_cont(e, m->cactions + (size_t)i * v->act_dim, fo, &st, NULL);
        else dq_env_step(e, m->actions[i], fo, &st, NULL);
        after_step(v, i, &st);
    }
}

/* ---- SoA CartPole path ----------------------------------------------------------------- */

static inline void cp_write_obs(const dq_vecenv_impl *m, int i, float *o) {
    o[0] = (float)m->x[i], o[1] = (float)m->x_dot[i];
    o[2] = (float)m->theta[i], o[3] = (float)m->theta_dot[i];
}

/* Env i starts a new episode: its obs row (and final_obs row when both) gets the first
 * observation. With its own stream: the same draws in the same order as cartpole.c's reset.
 * With the shared generator: marked for shared_draws, which runs after the parallel part. */
static inline int cp_start_episode(dq_vecenv *v, int i, bool both) {
    dq_vecenv_impl *m = v->impl;
    m->elapsed[i] = 0;
    m->ret[i] = 0.0;
    if (m->shared) {
        m->draw[i] = both ? 2 : 1;
        return 1;
    }
    m->x[i] = dq_env_rand_uniform(&m->rng[i], -0.05, 0.05);
    m->x_dot[i] = dq_env_rand_uniform(&m->rng[i], -0.05, 0.05);
    m->theta[i] = dq_env_rand_uniform(&m->rng[i], -0.05, 0.05);
    m->theta_dot[i] = dq_env_rand_uniform(&m->rng[i], -0.05, 0.05);
    cp_write_obs(m, i, v->obs + (size_t)i * 4);
    if (both) cp_write_obs(m, i, v->final_obs + (size_t)i * 4);
    return 0;
}

/* Gymnasium 1.0's CartPoleVectorEnv: reset draws uniform(-0.05, 0.05, size=(4, n)) and each
 * step's autoreset state[:, prev_done] = uniform(-0.05, 0.05, size=(4, k)) from the one
 * generator: row-major, so first x of the k starting envs in index order, then x_dot, theta
 * and theta_dot. idx: [n] scratch. */
static void shared_draws(dq_vecenv *v) {
    dq_vecenv_impl *m = v->impl;
    int k = 0;
    for (int t = 0; t < m->n_threads; t++) k += m->ndraw[t];
    if (k == 0) return;
    int *idx = m->draw_idx;
    k = 0;
    for (int i = 0; i < v->n; i++)
        if (m->draw[i]) idx[k++] = i;
    double *const rows[4] = {m->x, m->x_dot, m->theta, m->theta_dot};
    for (int r = 0; r < 4; r++)
        for (int j = 0; j < k; j++) rows[r][idx[j]] = dq_env_rand_uniform(&m->shared_rng, -0.05,
                                                                           0.05);
    for (int j = 0; j < k; j++) {
        int i = idx[j];
        cp_write_obs(m, i, v->obs + (size_t)i * 4);
        if (m->draw[i] == 2) cp_write_obs(m, i, v->final_obs + (size_t)i * 4);
        m->draw[i] = 0;
    }
}

/* Reward, counters, final_obs and autoreset of env i after its state was advanced; returns
 * the number of shared draws it marked (0 or 1). */
static inline int cp_finish(dq_vecenv *v, int i, bool term) {
    dq_vecenv_impl *m = v->impl;
    float *fo = v->final_obs + (size_t)i * 4, *o = v->obs + (size_t)i * 4;
    /* After an autoreset no episode runs past its termination, so the reward is Gymnasium's
     * first-termination one. */
    double r = term ? (m->sutton ? -1.0 : 1.0) : (m->sutton ? 0.0 : 1.0);
    int64_t len = ++m->elapsed[i];
    m->ret[i] += r;
    bool trunc = v->max_episode_steps > 0 && len >= v->max_episode_steps;
    fo[0] = (float)m->x[i], fo[1] = (float)m->x_dot[i];
    fo[2] = (float)m->theta[i], fo[3] = (float)m->theta_dot[i];
    v->rewards[i] = r;
    v->terminated[i] = term;
    v->truncated[i] = trunc;
    if (term || trunc) {
        v->ep_return[i] = m->ret[i];
        v->ep_length[i] = len;
        if (!m->next_step) return cp_start_episode(v, i, false);
        m->restart[i] = 1;
    }
    o[0] = fo[0], o[1] = fo[1], o[2] = fo[2], o[3] = fo[3];
    return 0;
}

/* Next-step autoreset of env i: the new episode's first observation, nothing else. */
static int cp_next_episode(dq_vecenv *v, int i) {
    v->impl->restart[i] = 0;
    clear_step(v, i);
    return cp_start_episode(v, i, true);
}

DQ_NP_FMA_CLONES
static int cp_step_one(dq_vecenv *v, int i) {
    dq_vecenv_impl *m = v->impl;
    if (m->restart[i]) return cp_next_episode(v, i);
    double s[4] = {m->x[i], m->x_dot[i], m->theta[i], m->theta_dot[i]};
    bool term = dq_cartpole_advance(s, (int)m->actions[i], m->svml);
    m->x[i] = s[0], m->x_dot[i] = s[1], m->theta[i] = s[2], m->theta_dot[i] = s[3];
    return cp_finish(v, i, term);
}

/* Envs [lo, hi) of the SoA path; returns the number of shared draws marked. */
static int cartpole_block(dq_vecenv *v, int lo, int hi) {
    dq_vecenv_impl *m = v->impl;
    int marks = 0;
    if (m->kind == TASK_RESET) {
        for (int i = lo; i < hi; i++) {
            if (m->seed >= 0 && !m->shared) dq_env_rand_seed(&m->rng[i], (uint64_t)(m->seed + i));
            m->restart[i] = 0;
            clear_step(v, i);
            marks += cp_start_episode(v, i, true);
        }
        return marks;
    }
    int i = lo;
    /* Four lanes at a time with AVX2 (bit-identical to the scalar step), the rest scalar.
     * The physics of a chunk of 64 lanes runs first, in a loop without data dependencies
     * between its iterations (so the CPU overlaps their long latency chains), then the
     * per-env bookkeeping. */
    enum { CHUNK = 64 };
    while (m->simd && i + 4 <= hi) {
        int groups = (hi - i) / 4 < CHUNK / 4 ? (hi - i) / 4 : CHUNK / 4;
        int term[CHUNK / 4];
        if (m->svml) {
            for (int g = 0; g < groups; g++) {
                int j = i + 4 * g;
                term[g] = dq_cartpole_advance4(m->x + j, m->x_dot + j, m->theta + j,
                                               m->theta_dot + j, m->actions + j);
            }
        } else { /* libm's cos/sin of the whole chunk first: a call per lane, no vector form */
            double c[CHUNK], sn[CHUNK];
            dq_cartpole_cos_sin(c, sn, m->theta + i, 4 * groups);
            for (int g = 0; g < groups; g++) {
                int j = i + 4 * g;
                term[g] = dq_cartpole_advance4_sc(m->x + j, m->x_dot + j, m->theta + j,
                                                  m->theta_dot + j, m->actions + j, c + 4 * g,
                                                  sn + 4 * g);
            }
        }
        const int max_steps = v->max_episode_steps;
        const double r_run = m->sutton ? 0.0 : 1.0;
        for (int g = 0; g < groups; g++, i += 4) {
            int64_t *el = m->elapsed + i;
            const uint8_t *pd = m->restart + i;
            /* (a pending lane was advanced from its final state above: harmless, its reset
             * overwrites the state and draws from its own stream only) */
            bool quiet = term[g] == 0 && !(pd[0] | pd[1] | pd[2] | pd[3]) &&
                         (max_steps <= 0 || (el[0] + 1 < max_steps && el[1] + 1 < max_steps &&
                                             el[2] + 1 < max_steps && el[3] + 1 < max_steps));
            if (quiet) { /* the common case: no episode ends among these 4 */
                float *fo = v->final_obs + (size_t)i * 4;
                dq_cartpole_obs4(m->x + i, m->x_dot + i, m->theta + i, m->theta_dot + i, fo);
                memcpy(v->obs + (size_t)i * 4, fo, 16 * sizeof *fo);
                for (int k = 0; k < 4; k++) {
                    el[k]++;
                    m->ret[i + k] += r_run;
                    v->rewards[i + k] = r_run;
                    v->terminated[i + k] = v->truncated[i + k] = false;
                }
                continue;
            }
            for (int k = 0; k < 4; k++) {
                if (pd[k]) marks += cp_next_episode(v, i + k);
                else if (term[g] < 0) marks += cp_step_one(v, i + k);
                else marks += cp_finish(v, i + k, (term[g] >> k) & 1);
            }
        }
    }
    for (; i < hi; i++) marks += cp_step_one(v, i);
    return marks;
}

/* ---- threads --------------------------------------------------------------------------- */

static void run_block(dq_vecenv *v, int t) {
    dq_vecenv_impl *m = v->impl;
    int lo = (int)((int64_t)v->n * t / m->n_threads);
    int hi = (int)((int64_t)v->n * (t + 1) / m->n_threads);
    if (m->envs) generic_block(v, lo, hi);
    else m->ndraw[t] = cartpole_block(v, lo, hi);
}

typedef struct worker_arg {
    dq_vecenv *v;
    int t;
} worker_arg;

static void *worker(void *p) {
    worker_arg a = *(worker_arg *)p;
    free(p);
    dq_vecenv_impl *m = a.v->impl;
    uint64_t seen = 0;
    for (;;) {
        pthread_mutex_lock(&m->mu);
        while (m->gen == seen && !m->quit) pthread_cond_wait(&m->go, &m->mu);
        if (m->quit) {
            pthread_mutex_unlock(&m->mu);
            return NULL;
        }
        seen = m->gen;
        pthread_mutex_unlock(&m->mu);
        run_block(a.v, a.t);
        pthread_mutex_lock(&m->mu);
        if (--m->pending == 0) pthread_cond_signal(&m->done);
        pthread_mutex_unlock(&m->mu);
    }
}

static void run_all(dq_vecenv *v) {
    dq_vecenv_impl *m = v->impl;
    if (m->n_threads == 1) {
        run_block(v, 0);
        if (m->shared) shared_draws(v);
        return;
    }
    pthread_mutex_lock(&m->mu);
    m->pending = m->n_threads - 1;
    m->gen++;
    pthread_cond_broadcast(&m->go);
    pthread_mutex_unlock(&m->mu);
    run_block(v, 0);
    pthread_mutex_lock(&m->mu);
    while (m->pending > 0) pthread_cond_wait(&m->done, &m->mu);
    pthread_mutex_unlock(&m->mu);
    if (m->shared) shared_draws(v);
}

/* ---- public ---------------------------------------------------------------------------- */

dq_status dq_vecenv_create(const char *id, const char *kwargs, const dq_vecenv_def *def,
                           dq_vecenv **out, dq_error *err) {
    *out = NULL;
    const dq_env_type *t = id ? dq_env_find(id) : NULL;
    if (!t) { /* let dq_env_make word the error (it lists the known ids) */
        dq_env *e = NULL;
        dq_status s = dq_env_make(id, kwargs, &e, err);
        dq_env_free(e);
        return s ? s : dq_fail(err, DQ_ENOTFOUND, "vecenv: unknown environment");
    }
    return dq_vecenv_create_type(t, kwargs, def, out, err);
}

dq_status dq_vecenv_create_type(const dq_env_type *type, const char *kwargs,
                                const dq_vecenv_def *def, dq_vecenv **out, dq_error *err) {
    *out = NULL;
    dq_vecenv_def d = def ? *def : dq_vecenv_def_default();
    if (d.n < 1 || d.n > (1 << 26))
        return dq_fail(err, DQ_EINVAL, "vecenv: n = %d envs (expected 1..%d)", d.n, 1 << 26);
    if (d.threads < 1 || d.threads > MAX_THREADS)
        return dq_fail(err, DQ_EINVAL, "vecenv: threads = %d (expected 1..%d)", d.threads,
                       MAX_THREADS);
    if (d.threads > d.n) d.threads = d.n;
    dq_vecenv *v = calloc(1, sizeof *v);
    dq_vecenv_impl *m = v ? calloc(1, sizeof *m) : NULL;
    if (!m) {
        free(v);
        return dq_fail(err, DQ_ENOMEM, "vecenv: out of memory");
    }
    v->impl = m;
    m->v = v;
    m->n_threads = 1;
    v->n = d.n;
    dq_status s = dq_env_make_type(type, kwargs, &m->proto, err);
    if (s) {
        dq_vecenv_destroy(v);
        return s;
    }
    dq_env_set_seeding(m->proto, d.seeding);
    v->obs_space = m->proto->obs_space;
    v->act_space = m->proto->act_space;
    v->obs_dim = v->obs_space.size;
    v->act_dim = v->act_space.kind == DQ_SPACE_DISCRETE ? 1 : v->act_space.size;
    v->max_episode_steps = m->proto->max_episode_steps;
    size_t n = (size_t)d.n, od = (size_t)v->obs_dim;
    v->obs = malloc(n * od * sizeof *v->obs);
    v->final_obs = malloc(n * od * sizeof *v->final_obs);
    v->rewards = calloc(n, sizeof *v->rewards);
    v->terminated = calloc(n, sizeof *v->terminated);
    v->truncated = calloc(n, sizeof *v->truncated);
    v->ep_return = calloc(n, sizeof *v->ep_return);
    v->ep_length = calloc(n, sizeof *v->ep_length);
    v->infos = type->info ? calloc(n, sizeof *v->infos) : NULL;
    m->next_step = d.autoreset_next_step;
    m->restart = calloc(n, sizeof *m->restart);
    bool ok = v->obs && v->final_obs && v->rewards && v->terminated && v->truncated &&
              v->ep_return && v->ep_length && m->restart && (!type->info || v->infos);
    bool cartpole = m->proto->type == &dq_env_cartpole;
    if (ok && d.shared_rng && !cartpole) {
        dq_vecenv_destroy(v);
        return dq_fail(err, DQ_EUNSUPPORTED, "vecenv %s: shared_rng (one generator for the "
                       "batch, as Gymnasium's CartPoleVectorEnv) exists for CartPole-v1 only; "
                       "leave it off (env i seeded with seed + i)", type->id);
    }
    /* shared_rng lives on the SoA arrays, so it implies the SoA path. */
    if (ok && (d.soa || d.shared_rng) && cartpole) {
        const dq_cartpole_state *cs = m->proto->st;
        m->sutton = cs->sutton_barto_reward;
        m->svml = cs->svml;
        m->simd = dq_cartpole_simd_available();
        m->shared = d.shared_rng;
        m->x = malloc(n * sizeof *m->x);
        m->x_dot = malloc(n * sizeof *m->x_dot);
        m->theta = malloc(n * sizeof *m->theta);
        m->theta_dot = malloc(n * sizeof *m->theta_dot);
        m->elapsed = calloc(n, sizeof *m->elapsed);
        m->ret = calloc(n, sizeof *m->ret);
        m->rng = malloc(n * sizeof *m->rng);
        m->draw = calloc(n, sizeof *m->draw);
        m->draw_idx = malloc(n * sizeof *m->draw_idx);
        ok = m->x && m->x_dot && m->theta && m->theta_dot && m->elapsed && m->ret && m->rng &&
             m->draw && m->draw_idx;
        for (size_t i = 0; ok && i < n; i++) { /* as a never seeded dq_env: seed 0 */
            m->rng[i] = (dq_env_rand){.seeding = m->proto->rand.seeding};
            dq_env_rand_seed(&m->rng[i], 0);
        }
        m->shared_rng = (dq_env_rand){.seeding = m->proto->rand.seeding};
        dq_env_rand_seed(&m->shared_rng, 0);
    } else if (ok) {
        m->envs = calloc(n, sizeof *m->envs);
        ok = m->envs != NULL;
        for (int i = 0; ok && i < d.n; i++) {
            s = dq_env_make_type(type, kwargs, &m->envs[i], err);
            if (s) {
                dq_vecenv_destroy(v);
                return s;
            }
            dq_env_set_seeding(m->envs[i], d.seeding);
        }
    }
    if (!ok) {
        dq_vecenv_destroy(v);
        return dq_fail(err, DQ_ENOMEM, "vecenv: out of memory for %d envs", d.n);
    }
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->go, NULL);
    pthread_cond_init(&m->done, NULL);
    m->started = true;
    for (int t = 1; t < d.threads; t++) {
        worker_arg *a = malloc(sizeof *a);
        if (a) a->v = v, a->t = t;
        if (!a || pthread_create(&m->th[t], NULL, worker, a)) {
            free(a);
            dq_vecenv_destroy(v);
            return dq_fail(err, DQ_ENOMEM, "vecenv: cannot start thread %d", t);
        }
        m->n_threads = t + 1;
    }
    *out = v;
    return DQ_OK;
}

void dq_vecenv_destroy(dq_vecenv *v) {
    if (!v) return;
    dq_vecenv_impl *m = v->impl;
    if (m) {
        if (m->started) {
            pthread_mutex_lock(&m->mu);
            m->quit = true;
            pthread_cond_broadcast(&m->go);
            pthread_mutex_unlock(&m->mu);
            for (int t = 1; t < m->n_threads; t++) pthread_join(m->th[t], NULL);
            pthread_mutex_destroy(&m->mu);
            pthread_cond_destroy(&m->go);
            pthread_cond_destroy(&m->done);
        }
        if (m->envs)
            for (int i = 0; i < v->n; i++) dq_env_free(m->envs[i]);
        free(m->envs);
        dq_env_free(m->proto);
        free(m->x), free(m->x_dot), free(m->theta), free(m->theta_dot);
        free(m->elapsed), free(m->ret), free(m->rng), free(m->restart);
        free(m->draw), free(m->draw_idx);
        free(m);
    }
    free(v->obs), free(v->final_obs), free(v->rewards), free(v->terminated);
    free(v->truncated), free(v->ep_return), free(v->ep_length), free(v->infos);
    free(v);
}

void dq_vecenv_reset(dq_vecenv *v, int64_t seed) {
    dq_vecenv_impl *m = v->impl;
    if (seed < 0 && !m->seeded) seed = 0; /* never seeded: env i starts from seed i */
    m->seeded = true;
    m->kind = TASK_RESET;
    m->seed = seed;
    if (m->shared && seed >= 0) dq_env_rand_seed(&m->shared_rng, (uint64_t)seed);
    run_all(v);
}

dq_status dq_vecenv_step(dq_vecenv *v, const int64_t *actions, const double *cactions,
                         dq_error *err) {
    dq_vecenv_impl *m = v->impl;
    const char *id = m->proto->type->id;
    if (!m->seeded)
        return dq_fail(err, DQ_EINVAL, "vecenv %s: call dq_vecenv_reset before stepping", id);
    if (v->act_space.kind == DQ_SPACE_DISCRETE) {
        if (!actions) return dq_fail(err, DQ_EINVAL, "vecenv %s: actions is NULL", id);
        /* one unsigned compare per action and no early exit, so the loop vectorizes (it was
         * 3% of a 256-env CartPole step); the message then names the first bad one */
        const uint64_t n_act = (uint64_t)v->act_space.n;
        bool bad = false;
        for (int i = 0; i < v->n; i++) bad |= (uint64_t)actions[i] >= n_act;
        for (int i = 0; bad && i < v->n; i++)
            if ((uint64_t)actions[i] >= n_act)
                return dq_fail(err, DQ_EINVAL, "vecenv %s: actions[%d] = %lld out of range "
                               "(Discrete(%lld))", id, i, (long long)actions[i],
                               (long long)v->act_space.n);
        cactions = NULL;
    } else {
        if (!cactions) return dq_fail(err, DQ_EINVAL, "vecenv %s: cactions is NULL", id);
        for (size_t i = 0; i < (size_t)v->n * (size_t)v->act_dim; i++)
            if (!isfinite(cactions[i]))
                return dq_fail(err, DQ_EINVAL, "vecenv %s: cactions[%zu] is not finite", id, i);
    }
    m->kind = TASK_STEP;
    m->actions = actions;
    m->cactions = cactions;
    run_all(v);
    return DQ_OK;
}

dq_env *dq_vecenv_env(dq_vecenv *v, int i) {
    return v->impl->envs && i >= 0 && i < v->n ? v->impl->envs[i] : NULL;
}

/* ---- saved state (exact resume) -------------------------------------------------------- */

/* int64 row layout (DQ_VECENV_STATE_I64 values) */
enum { I_ELAPSED, I_NEEDS_RESET, I_SEEDED, I_RESTART, I_SEEDING, I_XOSHIRO, I_NP = I_XOSHIRO + 6,
       I_ACTION_NP = I_NP + 6, I_END = I_ACTION_NP + 6 };
_Static_assert((int)I_END == (int)DQ_VECENV_STATE_I64, "vecenv state row layout");

static void np_pack(int64_t *o, const dq_np_random *g) {
    o[0] = (int64_t)g->state_hi, o[1] = (int64_t)g->state_lo;
    o[2] = (int64_t)g->inc_hi, o[3] = (int64_t)g->inc_lo;
    o[4] = (int64_t)g->buffered, o[5] = g->has_buffered;
}

static void np_unpack(dq_np_random *g, const int64_t *o) {
    g->state_hi = (uint64_t)o[0], g->state_lo = (uint64_t)o[1];
    g->inc_hi = (uint64_t)o[2], g->inc_lo = (uint64_t)o[3];
    g->buffered = (uint32_t)o[4], g->has_buffered = (int)o[5];
}

static void rand_pack(int64_t *row, const dq_env_rand *r) {
    row[I_SEEDING] = r->seeding;
    dq_rng_pack(row + I_XOSHIRO, &r->rng);
    np_pack(row + I_NP, &r->np);
}

static void rand_unpack(dq_env_rand *r, const int64_t *row) {
    r->seeding = (dq_env_seeding)row[I_SEEDING];
    dq_rng_unpack(&r->rng, row + I_XOSHIRO);
    np_unpack(&r->np, row + I_NP);
    r->inject = NULL;
    r->n_inject = r->pos = 0;
}

/* The built-in envs whose get_state vector is their whole dynamic state (the rest of their
 * state struct is options or drawing aids), so set_state continues an episode exactly; checked
 * by tests/test_vecenv.c. Not LunarLander (a Box2D world), FlappyBird (its flap and wing cycle
 * are outside its vector) nor MountainCarContinuous (whether its state is a float32 array). */
static const char *const exact_state_ids[] = {
    "CartPole-v1", "Acrobot-v1",    "MountainCar-v0",   "Pendulum-v1",
    "Taxi-v3",     "FrozenLake-v1", "FrozenLake8x8-v1", "CliffWalking-v0"};

bool dq_vecenv_env_state_exact(const dq_env_type *t) {
    if (!t->get_state || !t->set_state || dq_env_find(t->id) != t) return false;
    for (size_t i = 0; i < sizeof exact_state_ids / sizeof *exact_state_ids; i++)
        if (!strcmp(t->id, exact_state_ids[i])) return true;
    return false;
}

dq_status dq_vecenv_state_size(const dq_vecenv *v, int *n_f64, dq_error *err) {
    const dq_vecenv_impl *m = v->impl;
    const char *id = m->proto->type->id;
    int s = 4; /* SoA CartPole: x, x_dot, theta, theta_dot */
    if (m->shared) /* the state is one row per env; the batch's one generator has no row */
        return dq_fail(err, DQ_EUNSUPPORTED, "%s: a batch with shared_rng (one generator for all "
                       "envs, as Gymnasium's CartPoleVectorEnv) cannot be saved for resume", id);
    if (m->envs) {
        if (!dq_vecenv_env_state_exact(m->proto->type))
            return dq_fail(err, DQ_EUNSUPPORTED, "%s has no state vector that continues an "
                           "episode exactly: a batch of it cannot be saved for resume", id);
        double buf[DQ_SPACE_MAX];
        s = dq_env_get_state(m->envs[0], buf, DQ_SPACE_MAX);
        for (int i = 0; i < v->n; i++) {
            if (dq_env_get_state(m->envs[i], buf, DQ_SPACE_MAX) != s || s < 0 || s > DQ_SPACE_MAX)
                return dq_fail(err, DQ_EUNSUPPORTED, "%s: env %d's state vector has another "
                               "size: the batch cannot be saved for resume", id, i);
            if (m->envs[i]->rand.inject && m->envs[i]->rand.pos < m->envs[i]->rand.n_inject)
                return dq_fail(err, DQ_EUNSUPPORTED, "%s: env %d has recorded draws queued: "
                               "the batch cannot be saved for resume", id, i);
        }
    }
    *n_f64 = v->obs_dim + 1 + s;
    return DQ_OK;
}

dq_status dq_vecenv_get_state(const dq_vecenv *v, double *f64, int64_t *i64, dq_error *err) {
    const dq_vecenv_impl *m = v->impl;
    int nf;
    dq_status st = dq_vecenv_state_size(v, &nf, err);
    if (st) return st;
    const int d = v->obs_dim;
    for (int i = 0; i < v->n; i++) {
        double *f = f64 + (size_t)i * (size_t)nf;
        int64_t *r = i64 + (size_t)i * DQ_VECENV_STATE_I64;
        for (int j = 0; j < d; j++) f[j] = v->obs[(size_t)i * d + j];
        r[I_RESTART] = m->restart[i];
        if (m->envs) {
            const dq_env *e = m->envs[i];
            f[d] = e->ep_return;
            dq_env_get_state(e, f + d + 1, nf - d - 1);
            r[I_ELAPSED] = e->elapsed, r[I_NEEDS_RESET] = e->needs_reset, r[I_SEEDED] = e->seeded;
            rand_pack(r, &e->rand);
            np_pack(r + I_ACTION_NP, &e->action_rng);
        } else {
            f[d] = m->ret[i];
            f[d + 1] = m->x[i], f[d + 2] = m->x_dot[i], f[d + 3] = m->theta[i];
            f[d + 4] = m->theta_dot[i];
            r[I_ELAPSED] = m->elapsed[i], r[I_NEEDS_RESET] = 0, r[I_SEEDED] = 1;
            rand_pack(r, &m->rng[i]);
            dq_np_random g;
            dq_np_random_seed(&g, 0); /* the SoA path has no action sampler */
            np_pack(r + I_ACTION_NP, &g);
        }
    }
    return DQ_OK;
}

/* Row i is a state dq_vecenv_get_state could have written. */
static dq_status check_row(const dq_vecenv *v, int i, const double *f, int nf, const int64_t *r,
                           dq_error *err) {
    const char *id = v->impl->proto->type->id;
    for (int j = 0; j < nf; j++)
        if (!isfinite(f[j]))
            return dq_fail(err, DQ_EINVAL, "%s: saved state of env %d: value %d is not finite",
                           id, i, j);
    const int64_t max = v->max_episode_steps > 0 ? v->max_episode_steps : INT64_MAX;
    double spare;
    memcpy(&spare, &r[I_XOSHIRO + 4], sizeof spare);
    const char *bad = NULL;
    if (r[I_ELAPSED] < 0 || r[I_ELAPSED] > max) bad = "step count";
    else if ((uint64_t)r[I_NEEDS_RESET] > 1 || (uint64_t)r[I_SEEDED] > 1 ||
             (uint64_t)r[I_RESTART] > 1)
        bad = "flags";
    else if (r[I_SEEDING] != DQ_SEEDING_NUMPY && r[I_SEEDING] != DQ_SEEDING_XOSHIRO)
        bad = "random stream kind";
    else if ((r[I_SEEDING] == DQ_SEEDING_XOSHIRO &&
              !(r[I_XOSHIRO] | r[I_XOSHIRO + 1] | r[I_XOSHIRO + 2] | r[I_XOSHIRO + 3])) ||
             !isfinite(spare) || (uint64_t)r[I_XOSHIRO + 5] > 1)
        bad = "xoshiro generator";
    else if ((uint64_t)r[I_NP + 4] > UINT32_MAX || (uint64_t)r[I_NP + 5] > 1 ||
             (uint64_t)r[I_ACTION_NP + 4] > UINT32_MAX || (uint64_t)r[I_ACTION_NP + 5] > 1)
        bad = "NumPy generator";
    if (bad) return dq_fail(err, DQ_EINVAL, "%s: saved state of env %d: bad %s", id, i, bad);
    return DQ_OK;
}

dq_status dq_vecenv_set_state(dq_vecenv *v, const double *f64, const int64_t *i64,
                              dq_error *err) {
    dq_vecenv_impl *m = v->impl;
    int nf;
    dq_status st = dq_vecenv_state_size(v, &nf, err);
    for (int i = 0; !st && i < v->n; i++)
        st = check_row(v, i, f64 + (size_t)i * (size_t)nf, nf,
                       i64 + (size_t)i * DQ_VECENV_STATE_I64, err);
    if (st) return st;
    const int d = v->obs_dim;
    float scratch[DQ_SPACE_MAX];
    for (int i = 0; i < v->n; i++) {
        const double *f = f64 + (size_t)i * (size_t)nf;
        const int64_t *r = i64 + (size_t)i * DQ_VECENV_STATE_I64;
        if (m->envs) {
            dq_env *e = m->envs[i];
            if ((st = dq_env_set_state(e, f + d + 1, nf - d - 1, scratch, err))) return st;
            e->ep_return = f[d];
            e->elapsed = r[I_ELAPSED];
            e->needs_reset = r[I_NEEDS_RESET] != 0;
            e->seeded = r[I_SEEDED] != 0;
            rand_unpack(&e->rand, r);
            np_unpack(&e->action_rng, r + I_ACTION_NP);
        } else {
            m->ret[i] = f[d];
            m->x[i] = f[d + 1], m->x_dot[i] = f[d + 2], m->theta[i] = f[d + 3];
            m->theta_dot[i] = f[d + 4];
            m->elapsed[i] = r[I_ELAPSED];
            rand_unpack(&m->rng[i], r);
        }
        m->restart[i] = (uint8_t)r[I_RESTART];
        for (int j = 0; j < d; j++)
            v->obs[(size_t)i * d + j] = v->final_obs[(size_t)i * d + j] = (float)f[j];
        clear_step(v, i);
    }
    m->seeded = true;
    return DQ_OK;
}
