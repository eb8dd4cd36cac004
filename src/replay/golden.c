/* golden.c — replay Gymnasium recordings (../shared/golden schema) through deepq's envs and
 * measure how far they disagree; see deepq/golden.h. A layer above src/env: only the public
 * env API is used. */
#include "deepq/golden.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

dq_golden_tol dq_golden_tolerance(const char *env_id) {
    /* LunarLander runs on Box2D 2.4 against a 2.3 recording: judged to first ground contact
     * (see docs/ENVIRONMENTS.md). Everything else is float64 arithmetic we reproduce. */
    if (!strncmp(env_id, "LunarLander", 11))
        return (dq_golden_tol){.obs = 1e-3, .state = 1e-9, .reward = 1e-1, .contact_obs = 6};
    return (dq_golden_tol){.obs = 0.0, .state = 1e-9, .reward = 0.0, .contact_obs = -1};
}

void dq_golden_report_free(dq_golden_report *rep) {
    if (!rep) return;
    free(rep->drift);
    rep->drift = NULL;
    rep->n_drift = 0;
}

static char *read_file(const char *path, size_t *len, dq_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        dq_fail(err, DQ_EIO, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) free(buf);
        buf = nb;
        cap *= 2;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!buf) {
        dq_fail(err, DQ_ENOMEM, "out of memory reading %s", path);
        return NULL;
    }
    if (bad) {
        free(buf);
        dq_fail(err, DQ_EIO, "error reading %s", path);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* kwargs object -> "k=v,..." text for dq_env_make. */
static dq_status kwargs_text(const cJSON *kw, char *out, size_t cap, const char *path,
                             dq_error *err) {
    size_t n = 0;
    out[0] = '\0';
    if (!kw || cJSON_IsNull(kw)) return DQ_OK;
    if (!cJSON_IsObject(kw)) return dq_fail(err, DQ_EFORMAT, "%s: kwargs is not an object", path);
    for (const cJSON *it = kw->child; it; it = it->next) {
        char v[448];
        if (cJSON_IsBool(it)) snprintf(v, sizeof v, "%s", cJSON_IsTrue(it) ? "true" : "false");
        else if (cJSON_IsNumber(it)) snprintf(v, sizeof v, "%.17g", it->valuedouble);
        else if (cJSON_IsString(it)) snprintf(v, sizeof v, "%s", it->valuestring);
        else if (cJSON_IsArray(it)) { /* a map as a list of rows */
            size_t m = 0;
            v[0] = '\0';
            for (const cJSON *r = it->child; r; r = r->next)
                if (cJSON_IsString(r) && m + 1 < sizeof v)
                    m += (size_t)snprintf(v + m, sizeof v - m, "%s%s", m ? "," : "", r->valuestring);
        } else if (cJSON_IsNull(it)) continue;
        else return dq_fail(err, DQ_EFORMAT, "%s: kwargs.%s has an unsupported type", path,
                            it->string);
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s=%s", n ? "," : "", it->string, v);
        if (n >= cap) return dq_fail(err, DQ_EFORMAT, "%s: kwargs too long", path);
    }
    return DQ_OK;
}

/* Read a numeric array into out (cap values); returns the count or -1 if not numbers. */
/* A JSON number that is an integer a cast to int64 holds (the cast of 1e100 is undefined). */
static bool json_int(const cJSON *j, int64_t *out) {
    if (!cJSON_IsNumber(j) || j->valuedouble != floor(j->valuedouble) ||
        fabs(j->valuedouble) >= 0x1p62)
        return false;
    *out = (int64_t)j->valuedouble;
    return true;
}

static int num_array(const cJSON *a, double *out, int cap) {
    if (!cJSON_IsArray(a)) return -1;
    int n = 0;
    for (const cJSON *it = a->child; it; it = it->next) {
        if (!cJSON_IsNumber(it)) return -1;
        if (n < cap) out[n] = it->valuedouble;
        n++;
    }
    return n;
}

static void note_bad(dq_golden_report *rep, int ep, int64_t step, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void note_bad(dq_golden_report *rep, int ep, int64_t step, const char *fmt, ...) {
    rep->mismatches++;
    if (rep->first_bad_episode >= 0) return;
    rep->first_bad_episode = ep;
    rep->first_bad_step = step;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->first_bad_what, sizeof rep->first_bad_what, fmt, ap);
    va_end(ap);
}

static dq_status grow_drift(dq_golden_report *rep, int64_t k) {
    if (k < rep->n_drift) return DQ_OK;
    int64_t n = k + 1 > 2 * rep->n_drift ? k + 1 : 2 * rep->n_drift;
    double *d = realloc(rep->drift, (size_t)n * sizeof *d);
    if (!d) return DQ_ENOMEM;
    for (int64_t i = rep->n_drift; i < n; i++) d[i] = -1.0; /* -1: no episode reached step i */
    rep->drift = d;
    rep->n_drift = n;
    return DQ_OK;
}

/* Compare one observation; returns its max abs error. */
static double obs_error(const float *ours, const double *rec, int n) {
    double e = 0.0;
    for (int i = 0; i < n; i++) {
        double d = fabs((double)ours[i] - (double)(float)rec[i]);
        if (isnan(d)) d = INFINITY;
        if (d > e) e = d;
    }
    return e;
}

typedef struct replay_ctx {
    dq_golden_report *rep;
    dq_env *env;
    dq_env *seed_env; /* same kind and options, reset by seed alone (no injected draws) */
    int ep;
    bool judging;
} replay_ctx;

/* Whether two env streams are at the same point (either generator). */
static bool same_stream(const dq_env_rand *a, const dq_env_rand *b) {
    return a->seeding == b->seeding && !memcmp(a->rng.s, b->rng.s, sizeof a->rng.s) &&
           a->np.state_hi == b->np.state_hi && a->np.state_lo == b->np.state_lo &&
           a->np.has_buffered == b->np.has_buffered &&
           (!a->np.has_buffered || a->np.buffered == b->np.buffered);
}

static void judge_obs(replay_ctx *c, int64_t step, const float *obs, const cJSON *rec) {
    double v[DQ_SPACE_MAX];
    int n = num_array(rec, v, DQ_SPACE_MAX);
    int want = c->env->obs_space.size;
    dq_golden_report *rep = c->rep;
    if (n != want) {
        note_bad(rep, c->ep, step, "observation has %d values, env gives %d", n, want);
        return;
    }
    double e = obs_error(obs, v, n);
    if (grow_drift(rep, step) == DQ_OK && e > rep->drift[step]) rep->drift[step] = e;
    if (e > rep->err_obs_all) rep->err_obs_all = e;
    if (!c->judging) return;
    if (e > rep->err_obs) rep->err_obs = e;
    if (e > rep->tol.obs) {
        int worst = 0;
        for (int i = 0; i < n; i++)
            if (fabs((double)obs[i] - (double)(float)v[i]) >= e) { worst = i; break; }
        note_bad(rep, c->ep, step, "obs[%d] = %.9g, recorded %.9g", worst, (double)obs[worst],
                 (double)(float)v[worst]);
    }
}

static void judge_state(replay_ctx *c, int64_t step, const cJSON *rec) {
    if (!rec) return;
    double v[DQ_SPACE_MAX], ours[DQ_SPACE_MAX];
    int n = num_array(rec, v, DQ_SPACE_MAX);
    int m = dq_env_get_state(c->env, ours, DQ_SPACE_MAX);
    if (n != m) {
        note_bad(c->rep, c->ep, step, "state has %d values, env gives %d", n, m);
        return;
    }
    double e = 0.0;
    int worst = 0;
    for (int i = 0; i < n; i++) {
        double d = fabs(ours[i] - v[i]);
        if (isnan(d)) d = INFINITY;
        if (d > e) e = d, worst = i;
    }
    if (!c->judging) return;
    if (e > c->rep->err_state) c->rep->err_state = e;
    if (e > c->rep->tol.state)
        note_bad(c->rep, c->ep, step, "state[%d] = %.17g, recorded %.17g", worst, ours[worst],
                 v[worst]);
}

/* Queue an array of draws; returns DQ_OK or DQ_EFORMAT. The buffer must outlive the call that
 * consumes it. */
static dq_status queue_draws(replay_ctx *c, const cJSON *a, double *buf, int cap, int *n) {
    *n = 0;
    if (!a) return DQ_OK;
    int k = num_array(a, buf, cap);
    if (k < 0 || k > cap) return DQ_EFORMAT;
    *n = k;
    dq_env_inject(c->env, buf, k);
    return DQ_OK;
}

/* After a reset/step that had n injected draws: every one must have been consumed, none more. */
static void judge_draws(replay_ctx *c, int64_t step, int n, const dq_env_rand *before) {
    if (!c->judging) return;
    if (c->env->rand.inject)
        note_bad(c->rep, c->ep, step, "env used %d of %d recorded random draws",
                 c->env->rand.pos, n);
    else if (n > 0 && !same_stream(before, &c->env->rand))
        note_bad(c->rep, c->ep, step, "env drew more than the %d recorded random draws", n);
}

/* Gymnasium's reset(seed) alone (no recorded draws, no state set) must give init_obs and
 * init_state within the env's tolerance. */
static void judge_seeded_reset(replay_ctx *c, int64_t seed, const cJSON *init_obs,
                               const cJSON *init_state) {
    if (!c->seed_env || seed < 0) return;
    dq_golden_report *rep = c->rep;
    float obs[DQ_SPACE_MAX];
    double v[DQ_SPACE_MAX];
    dq_env_reset(c->seed_env, seed, obs);
    rep->seeded_resets++;
    int n = num_array(init_obs, v, DQ_SPACE_MAX);
    if (n != c->seed_env->obs_space.size) return; /* judge_obs reports the size */
    double e = obs_error(obs, v, n);
    if (e > rep->err_seed_obs) rep->err_seed_obs = e;
    if (e > rep->tol.obs) {
        int worst = 0;
        for (int i = 0; i < n; i++)
            if (fabs((double)obs[i] - (double)(float)v[i]) >= e) { worst = i; break; }
        note_bad(rep, c->ep, 0, "reset(seed=%lld) gives obs[%d] = %.9g, recorded %.9g",
                 (long long)seed, worst, (double)obs[worst], (double)(float)v[worst]);
    }
    double s[DQ_SPACE_MAX], ours[DQ_SPACE_MAX];
    int ns = init_state ? num_array(init_state, s, DQ_SPACE_MAX) : -1;
    if (ns > 0 && dq_env_get_state(c->seed_env, ours, DQ_SPACE_MAX) == ns)
        for (int i = 0; i < ns; i++)
            if (!(fabs(ours[i] - s[i]) <= rep->tol.state)) {
                note_bad(rep, c->ep, 0, "reset(seed=%lld) gives state[%d] = %.17g, recorded "
                         "%.17g", (long long)seed, i, ours[i], s[i]);
                break;
            }
}

static bool obs_has_contact(const cJSON *rec, int idx) {
    double v[DQ_SPACE_MAX];
    int n = num_array(rec, v, DQ_SPACE_MAX);
    for (int i = idx; i >= 0 && i < n && i <= idx + 1; i++)
        if (v[i] != 0.0) return true;
    return false;
}

static dq_status replay_episode(replay_ctx *c, const cJSON *ep, const char *path, dq_error *err) {
    dq_golden_report *rep = c->rep;
    dq_env *env = c->env;
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(ep, "seed");
    const cJSON *init_state = cJSON_GetObjectItemCaseSensitive(ep, "init_state");
    const cJSON *init_obs = cJSON_GetObjectItemCaseSensitive(ep, "init_obs");
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(ep, "steps");
    if (!cJSON_IsArray(steps) || !init_obs)
        return dq_fail(err, DQ_EFORMAT, "%s: episode %d lacks steps or init_obs", path, c->ep);
    double draws[256];
    int nd = 0;
    float obs[DQ_SPACE_MAX];
    c->judging = true;
    if (queue_draws(c, cJSON_GetObjectItemCaseSensitive(ep, "reset_draws"), draws, 256, &nd))
        return dq_fail(err, DQ_EFORMAT, "%s: episode %d: bad reset_draws", path, c->ep);
    int64_t seed_v = -1;
    if (cJSON_IsNumber(seed) && !json_int(seed, &seed_v))
        return dq_fail(err, DQ_EFORMAT, "%s: episode %d: seed is not an integer", path, c->ep);
    judge_seeded_reset(c, seed_v, init_obs, init_state);
    dq_env_rand before = env->rand; /* the stream as reset will leave it if it draws nothing */
    if (seed_v >= 0 || !env->seeded) dq_env_rand_seed(&before, seed_v >= 0 ? (uint64_t)seed_v : 0);
    dq_env_reset(env, seed_v, obs);
    judge_draws(c, 0, nd, &before);
    if (init_state) {
        double s[DQ_SPACE_MAX];
        int n = num_array(init_state, s, DQ_SPACE_MAX);
        if (n < 0 || n > DQ_SPACE_MAX)
            return dq_fail(err, DQ_EFORMAT, "%s: episode %d: bad init_state", path, c->ep);
        dq_status st = dq_env_set_state(env, s, n, obs, err);
        if (st) return st;
    }
    judge_obs(c, 0, obs, init_obs);
    judge_state(c, 0, init_state);
    int64_t k = 0;
    for (const cJSON *s = steps->child; s; s = s->next) {
        k++;
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "a");
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(s, "r");
        const cJSON *ro = cJSON_GetObjectItemCaseSensitive(s, "obs");
        const cJSON *term = cJSON_GetObjectItemCaseSensitive(s, "term");
        const cJSON *trunc = cJSON_GetObjectItemCaseSensitive(s, "trunc");
        if (!a || !cJSON_IsNumber(r) || !ro || !cJSON_IsBool(term) || !cJSON_IsBool(trunc))
            return dq_fail(err, DQ_EFORMAT, "%s: episode %d step %lld lacks a, r, obs, term or "
                           "trunc", path, c->ep, (long long)k);
        if (queue_draws(c, cJSON_GetObjectItemCaseSensitive(s, "draws"), draws, 256, &nd))
            return dq_fail(err, DQ_EFORMAT, "%s: episode %d step %lld: bad draws", path, c->ep,
                           (long long)k);
        if (env->needs_reset) {
            if (c->judging)
                note_bad(rep, c->ep, k, "episode already ended here, recording goes on");
            dq_env_inject(env, NULL, 0);
            break;
        }
        dq_step out;
        dq_error serr;
        int64_t ai;
        dq_status st;
        before = env->rand;
        if (cJSON_IsArray(a)) {
            double act[DQ_SPACE_MAX];
            int n = num_array(a, act, DQ_SPACE_MAX);
            if (n != env->act_space.size)
                return dq_fail(err, DQ_EFORMAT, "%s: episode %d step %lld: action has %d values, "
                               "env takes %d", path, c->ep, (long long)k, n, env->act_space.size);
            st = dq_env_step_cont(env, act, obs, &out, &serr);
        } else if (json_int(a, &ai)) {
            st = dq_env_step(env, ai, obs, &out, &serr);
        } else {
            return dq_fail(err, DQ_EFORMAT, "%s: episode %d step %lld: bad action", path, c->ep,
                           (long long)k);
        }
        if (st) return dq_fail(err, st, "%s: episode %d step %lld: %s", path, c->ep,
                               (long long)k, serr.msg);
        rep->steps++;
        judge_draws(c, k, nd, &before);
        judge_obs(c, k, obs, ro);
        judge_state(c, k, cJSON_GetObjectItemCaseSensitive(s, "state"));
        if (c->judging) {
            rep->judged_steps++;
            double e = fabs(out.reward - r->valuedouble);
            if (isnan(e)) e = INFINITY;
            if (e > rep->err_reward) rep->err_reward = e;
            if (e > rep->tol.reward)
                note_bad(rep, c->ep, k, "reward %.17g, recorded %.17g", out.reward,
                         r->valuedouble);
            if (out.terminated != cJSON_IsTrue(term) || out.truncated != cJSON_IsTrue(trunc))
                note_bad(rep, c->ep, k, "terminated/truncated %d/%d, recorded %d/%d",
                         out.terminated, out.truncated, cJSON_IsTrue(term), cJSON_IsTrue(trunc));
            if (rep->tol.contact_obs >= 0 && obs_has_contact(ro, rep->tol.contact_obs))
                c->judging = false;
        }
    }
    dq_env_inject(env, NULL, 0);
    return DQ_OK;
}

/* Append the options of flavour that type accepts (and the file's kwargs do not set) to kw. */
static void add_flavour(const dq_env_type *t, const char *flavour, char *kw, size_t cap) {
    dq_kwargs fk, have;
    dq_error e;
    if (!flavour || !*flavour || dq_kwargs_parse(&fk, flavour, &e) || dq_kwargs_parse(&have, kw, &e))
        return;
    size_t n = strlen(kw);
    for (int i = 0; i < fk.n; i++) {
        bool accepted = false;
        for (const char *const *o = t->options; o && *o && !accepted; o++)
            accepted = !strcmp(*o, fk.kv[i].key);
        if (!accepted || dq_kwargs_get(&have, fk.kv[i].key)) continue;
        n += (size_t)snprintf(kw + n, n < cap ? cap - n : 0, "%s%s=%s", n ? "," : "",
                              fk.kv[i].key, fk.kv[i].value);
    }
}

static dq_status replay_trajectories(const char *path, char *text, const char *flavour,
                                     dq_golden_report *rep, dq_error *err) {
    dq_env *env = NULL;
    char made_kwargs[2048] = "";
    dq_status st = DQ_OK;
    replay_ctx c = {.rep = rep};
    int line_no = 0;
    for (char *line = text; line && *line && !st;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        line_no++;
        char *p = line;
        while (*p == ' ' || *p == '\t' || *p == '\r') p++;
        if (*p) {
            cJSON *ep = cJSON_Parse(p);
            if (!ep || !cJSON_IsObject(ep)) {
                cJSON_Delete(ep);
                st = dq_fail(err, DQ_EFORMAT, "%s:%d: not a JSON object", path, line_no);
                break;
            }
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(ep, "env_id");
            char kw[2048];
            if (!cJSON_IsString(id))
                st = dq_fail(err, DQ_EFORMAT, "%s:%d: missing env_id", path, line_no);
            if (!st) st = kwargs_text(cJSON_GetObjectItemCaseSensitive(ep, "kwargs"), kw,
                                      sizeof kw, path, err);
            const dq_env_type *t = st ? NULL : dq_env_find(id->valuestring);
            if (t) add_flavour(t, flavour, kw, sizeof kw);
            if (!st && (!env || strcmp(env->type->id, id->valuestring) ||
                        strcmp(made_kwargs, kw))) {
                dq_env_free(env);
                dq_env_free(c.seed_env);
                env = c.seed_env = NULL;
                st = dq_env_make(id->valuestring, kw, &env, err);
                if (!st) st = dq_env_make(id->valuestring, kw, &c.seed_env, err);
                snprintf(made_kwargs, sizeof made_kwargs, "%s", kw);
                if (!rep->env_id[0]) {
                    snprintf(rep->env_id, sizeof rep->env_id, "%s", id->valuestring);
                    rep->tol = dq_golden_tolerance(id->valuestring);
                }
                if (!st) dq_env_flavour(env, rep->math, sizeof rep->math);
            }
            if (!st) {
                c.env = env;
                c.ep = rep->episodes;
                st = replay_episode(&c, ep, path, err);
                rep->episodes++;
            }
            cJSON_Delete(ep);
        }
        line = nl ? nl + 1 : NULL;
    }
    dq_env_free(env);
    dq_env_free(c.seed_env);
    if (!st && rep->episodes == 0) st = dq_fail(err, DQ_EFORMAT, "%s: no episodes", path);
    return st;
}

static dq_status replay_tabular(const char *path, const cJSON *root, dq_golden_report *rep,
                                dq_error *err) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "env_id");
    const cJSON *P = cJSON_GetObjectItemCaseSensitive(root, "P");
    if (!cJSON_IsString(id) || !cJSON_IsObject(P))
        return dq_fail(err, DQ_EFORMAT, "%s: tabular file needs env_id and P", path);
    rep->tabular = true;
    snprintf(rep->env_id, sizeof rep->env_id, "%s", id->valuestring);
    rep->tol = dq_golden_tolerance(id->valuestring);
    char kw[2048];
    dq_status st = kwargs_text(cJSON_GetObjectItemCaseSensitive(root, "kwargs"), kw, sizeof kw,
                               path, err);
    dq_env *env = NULL;
    if (!st) st = dq_env_make(id->valuestring, kw, &env, err);
    if (st) return st;
    const dq_tabular_model *m = dq_env_model(env);
    if (!m) {
        dq_env_free(env);
        return dq_fail(err, DQ_EUNSUPPORTED, "%s: %s has no transition model", path,
                       id->valuestring);
    }
    rep->episodes = 0;
    const cJSON *ns = cJSON_GetObjectItemCaseSensitive(root, "n_states");
    const cJSON *na = cJSON_GetObjectItemCaseSensitive(root, "n_actions");
    if (!cJSON_IsNumber(ns) || !cJSON_IsNumber(na) || ns->valueint != m->n_states ||
        na->valueint != m->n_actions)
        note_bad(rep, 0, 0, "table is %dx%d, recorded %dx%d", m->n_states, m->n_actions,
                 cJSON_IsNumber(ns) ? ns->valueint : -1, cJSON_IsNumber(na) ? na->valueint : -1);
    int n_s = cJSON_GetArraySize(P);
    if (n_s != m->n_states) note_bad(rep, 0, 0, "P has %d states, env %d", n_s, m->n_states);
    char key[32];
    for (int s = 0; s < m->n_states && rep->mismatches == 0; s++) {
        snprintf(key, sizeof key, "%d", s);
        const cJSON *Ps = cJSON_GetObjectItemCaseSensitive(P, key);
        for (int a = 0; a < m->n_actions; a++) {
            snprintf(key, sizeof key, "%d", a);
            const cJSON *Psa = Ps ? cJSON_GetObjectItemCaseSensitive(Ps, key) : NULL;
            int lo = m->offset[s * m->n_actions + a], hi = m->offset[s * m->n_actions + a + 1];
            if (!cJSON_IsArray(Psa) || cJSON_GetArraySize(Psa) != hi - lo) {
                note_bad(rep, 0, 0, "P[%d][%d] has %d entries, env %d", s, a,
                         Psa ? cJSON_GetArraySize(Psa) : -1, hi - lo);
                continue;
            }
            int i = lo;
            for (const cJSON *t = Psa->child; t; t = t->next, i++) {
                double v[3];
                const cJSON *tm = cJSON_GetArrayItem(t, 3);
                bool ok = cJSON_IsArray(t) && cJSON_GetArraySize(t) == 4 && cJSON_IsBool(tm);
                for (int j = 0; ok && j < 3; j++) {
                    const cJSON *x = cJSON_GetArrayItem(t, j);
                    ok = cJSON_IsNumber(x);
                    if (ok) v[j] = x->valuedouble;
                }
                if (!ok) {
                    note_bad(rep, 0, 0, "P[%d][%d] entry %d is not [prob, next, reward, done]", s,
                             a, i - lo);
                    continue;
                }
                const dq_transition *o = &m->tr[i];
                rep->tab_entries++;
                bool term = cJSON_IsTrue(tm);
                double er = fabs(o->reward - v[2]), ep = fabs(o->prob - v[0]);
                if (er > rep->err_reward || isnan(er)) rep->err_reward = isnan(er) ? INFINITY : er;
                if (ep > rep->err_state || isnan(ep)) rep->err_state = isnan(ep) ? INFINITY : ep;
                if (o->prob != v[0] || o->next != (int32_t)v[1] || o->reward != v[2] ||
                    o->terminated != term)
                    note_bad(rep, 0, 0, "P[%d][%d][%d] = (%.17g, %d, %g, %d), recorded (%.17g, "
                             "%d, %g, %d)", s, a, i - lo, o->prob, (int)o->next, o->reward,
                             o->terminated, v[0], (int)v[1], v[2], term);
            }
        }
    }
    const cJSON *init = cJSON_GetObjectItemCaseSensitive(root, "initial_state_distrib");
    double *d = malloc((size_t)(m->n_states > 0 ? m->n_states : 1) * sizeof *d);
    if (!d) {
        dq_env_free(env);
        return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    if (num_array(init, d, m->n_states) != m->n_states)
        note_bad(rep, 0, 0, "initial_state_distrib has the wrong length");
    else
        for (int s = 0; s < m->n_states; s++)
            if (d[s] != m->initial[s]) {
                note_bad(rep, 0, 0, "initial_state_distrib[%d] = %.17g, recorded %.17g", s,
                         m->initial[s], d[s]);
                break;
            }
    free(d);
    const cJSON *mes = cJSON_GetObjectItemCaseSensitive(root, "max_episode_steps");
    int want_mes = cJSON_IsNumber(mes) ? mes->valueint : 0;
    if (want_mes != env->max_episode_steps)
        note_bad(rep, 0, 0, "max_episode_steps %d, recorded %d", env->max_episode_steps, want_mes);
    const cJSON *rt = cJSON_GetObjectItemCaseSensitive(root, "reward_threshold");
    double want_rt = cJSON_IsNumber(rt) ? rt->valuedouble : NAN;
    double have_rt = env->type->reward_threshold;
    if (!(want_rt == have_rt || (isnan(want_rt) && isnan(have_rt))))
        note_bad(rep, 0, 0, "reward_threshold %g, recorded %g", have_rt, want_rt);
    dq_env_free(env);
    return DQ_OK;
}

static void report_init(dq_golden_report *rep) {
    memset(rep, 0, sizeof *rep);
    rep->first_bad_episode = -1;
    rep->first_bad_step = -1;
}

/* Whether type accepts at least one option of flavour. */
static bool flavour_applies(const dq_env_type *t, const char *flavour) {
    dq_kwargs fk;
    dq_error e;
    if (!t || dq_kwargs_parse(&fk, flavour, &e)) return false;
    for (int i = 0; i < fk.n; i++)
        for (const char *const *o = t->options; o && *o; o++)
            if (!strcmp(*o, fk.kv[i].key)) return true;
    return false;
}

/* The NumPy/CPU combinations a recording may come from, tried in this order by auto replay. */
static const char *const FLAVOURS[] = {"", "numpy=1.24", "numpy=1.24,math=svml", "math=svml",
                                       "numpy=1.24,math=libm"};

dq_status dq_golden_replay(const char *path, const char *flavour, dq_golden_report *rep,
                           dq_error *err) {
    report_init(rep);
    size_t len;
    char *text = read_file(path, &len, err);
    if (!text) return err ? err->code : DQ_EIO;
    dq_status st;
    /* A whole-file JSON object with "P" is a transition table; anything else is JSON lines. */
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (root && cJSON_IsObject(root) && cJSON_GetObjectItemCaseSensitive(root, "P")) {
        st = replay_tabular(path, root, rep, err);
        cJSON_Delete(root);
        free(text);
        rep->pass = st == DQ_OK && rep->mismatches == 0;
        return st;
    }
    cJSON_Delete(root);
    /* replay_trajectories cuts its text into lines: each attempt works on a copy. */
    char *work = malloc(len + 1);
    if (!work) {
        free(text);
        return dq_fail(err, DQ_ENOMEM, "out of memory reading %s", path);
    }
    int n_try = flavour ? 1 : (int)(sizeof FLAVOURS / sizeof FLAVOURS[0]);
    dq_golden_report best;
    bool have_best = false;
    st = DQ_OK;
    for (int i = 0; i < n_try; i++) {
        const char *fl = flavour ? flavour : FLAVOURS[i];
        if (i > 0 && !flavour_applies(dq_env_find(best.env_id), fl)) continue;
        memcpy(work, text, len + 1);
        report_init(rep);
        snprintf(rep->flavour, sizeof rep->flavour, "%s", fl);
        st = replay_trajectories(path, work, fl, rep, err);
        rep->pass = st == DQ_OK && rep->mismatches == 0;
        if (st || rep->pass) break;
        if (!have_best) {
            best = *rep;
            have_best = true;
        } else {
            dq_golden_report_free(rep);
        }
    }
    if (have_best && (st || !rep->pass)) { /* nothing passed: the first attempt tells why */
        if (rep->drift != best.drift) dq_golden_report_free(rep);
        *rep = best;
        st = DQ_OK;
    } else if (have_best) {
        dq_golden_report_free(&best);
    }
    free(work);
    free(text);
    return st;
}
