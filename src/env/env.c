/* env.c — what gym.make wraps around every environment: option parsing and checking, the
 * TimeLimit (truncation as its own flag), per-episode statistics (RecordEpisodeStatistics),
 * the seeded random stream with injectable draws, and action checks with clear errors.
 * The dynamics live in one file per env (cartpole.c, acrobot.c, ...). */
#include "deepq/env.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- keyword options ------------------------------------------------------------------- */

static void trim(const char **b, const char **e) {
    while (*b < *e && isspace((unsigned char)**b)) (*b)++;
    while (*e > *b && isspace((unsigned char)(*e)[-1])) (*e)--;
}

static bool valid_key(const char *k, size_t n) {
    if (n == 0 || !(isalpha((unsigned char)k[0]) || k[0] == '_')) return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)k[i]) || k[i] == '_')) return false;
    return true;
}

dq_status dq_kwargs_set(dq_kwargs *kw, const char *key, const char *value, dq_error *err) {
    size_t kl = strlen(key), vl = strlen(value);
    if (!valid_key(key, kl) || kl >= sizeof kw->kv[0].key)
        return dq_fail(err, DQ_EINVAL, "bad option name '%s' (expected a identifier)", key);
    if (vl >= sizeof kw->kv[0].value)
        return dq_fail(err, DQ_EINVAL, "value of option '%s' is too long (%zu chars, max %zu)",
                       key, vl, sizeof kw->kv[0].value - 1);
    int i = 0;
    while (i < kw->n && strcmp(kw->kv[i].key, key)) i++;
    if (i == kw->n) {
        if (kw->n == DQ_KWARGS_MAX)
            return dq_fail(err, DQ_EINVAL, "too many options (max %d)", DQ_KWARGS_MAX);
        kw->n++;
    }
    memcpy(kw->kv[i].key, key, kl + 1);
    memcpy(kw->kv[i].value, value, vl + 1);
    return DQ_OK;
}

/* Merge "k=v,k=v" into kw. A piece without '=' continues the previous value, so a map can be
 * written with commas: "desc=SFFF,FHFH,FFFH,HFFG". */
static dq_status kwargs_merge(dq_kwargs *kw, const char *text, dq_error *err) {
    if (!text) return DQ_OK;
    char key[64] = "";
    char val[448];
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        const char *b = p, *e = end;
        trim(&b, &e);
        if (b < e) {
            const char *eq = memchr(b, '=', (size_t)(e - b));
            if (eq) {
                const char *kb = b, *ke = eq, *vb = eq + 1, *ve = e;
                trim(&kb, &ke);
                trim(&vb, &ve);
                if (!valid_key(kb, (size_t)(ke - kb)) || (size_t)(ke - kb) >= sizeof key)
                    return dq_fail(err, DQ_EINVAL, "bad option name '%.*s' in \"%s\"",
                                   (int)(ke - kb), kb, text);
                memcpy(key, kb, (size_t)(ke - kb));
                key[ke - kb] = '\0';
                if ((size_t)(ve - vb) >= sizeof val)
                    return dq_fail(err, DQ_EINVAL, "value of option '%s' is too long", key);
                memcpy(val, vb, (size_t)(ve - vb));
                val[ve - vb] = '\0';
            } else {
                if (!key[0])
                    return dq_fail(err, DQ_EINVAL,
                                   "option '%.*s' has no value (expected key=value,...)",
                                   (int)(e - b), b);
                size_t have = strlen(val), add = (size_t)(e - b);
                if (have + 1 + add >= sizeof val)
                    return dq_fail(err, DQ_EINVAL, "value of option '%s' is too long", key);
                val[have] = ',';
                memcpy(val + have + 1, b, add);
                val[have + 1 + add] = '\0';
            }
            dq_status s = dq_kwargs_set(kw, key, val, err);
            if (s) return s;
        }
        p = *end ? end + 1 : end;
    }
    return DQ_OK;
}

dq_status dq_kwargs_parse(dq_kwargs *kw, const char *text, dq_error *err) {
    kw->n = 0;
    return kwargs_merge(kw, text, err);
}

const char *dq_kwargs_get(const dq_kwargs *kw, const char *key) {
    for (int i = 0; i < kw->n; i++)
        if (!strcmp(kw->kv[i].key, key)) return kw->kv[i].value;
    return NULL;
}

dq_status dq_kwargs_bool(const dq_kwargs *kw, const char *key, bool *out, dq_error *err) {
    const char *v = dq_kwargs_get(kw, key);
    if (!v) return DQ_OK;
    static const char *const yes[] = {"true", "1", "yes", "on"};
    static const char *const no[] = {"false", "0", "no", "off"};
    for (int i = 0; i < 4; i++) {
        if (!strcasecmp(v, yes[i])) return *out = true, DQ_OK;
        if (!strcasecmp(v, no[i])) return *out = false, DQ_OK;
    }
    return dq_fail(err, DQ_EINVAL, "option %s=%s: expected true or false", key, v);
}

dq_status dq_kwargs_double(const dq_kwargs *kw, const char *key, double *out, dq_error *err) {
    const char *v = dq_kwargs_get(kw, key);
    if (!v) return DQ_OK;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (!*v || *end || errno == ERANGE || isnan(x))
        return dq_fail(err, DQ_EINVAL, "option %s=%s: expected a number", key, v);
    *out = x;
    return DQ_OK;
}

dq_status dq_kwargs_int(const dq_kwargs *kw, const char *key, int64_t *out, dq_error *err) {
    const char *v = dq_kwargs_get(kw, key);
    if (!v) return DQ_OK;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || errno == ERANGE)
        return dq_fail(err, DQ_EINVAL, "option %s=%s: expected an integer", key, v);
    *out = (int64_t)x;
    return DQ_OK;
}

/* ---- the env's random stream ----------------------------------------------------------- */

static inline bool take_injected(dq_env_rand *r, double *v) {
    if (!r->inject) return false;
    *v = r->inject[r->pos++];
    if (r->pos >= r->n_inject) r->inject = NULL, r->n_inject = r->pos = 0;
    return true;
}

void dq_env_rand_seed(dq_env_rand *r, uint64_t seed) {
    if (r->seeding == DQ_SEEDING_XOSHIRO) dq_rng_seed(&r->rng, seed);
    else dq_np_random_seed(&r->np, seed);
}

double dq_env_rand_uniform(dq_env_rand *r, double lo, double hi) {
    double v;
    if (take_injected(r, &v)) return v;
    if (r->seeding == DQ_SEEDING_XOSHIRO) return dq_rng_range(&r->rng, lo, hi);
    return dq_np_random_uniform(&r->np, lo, hi);
}

int64_t dq_env_rand_int(dq_env_rand *r, int64_t lo, int64_t hi) {
    double v;
    if (take_injected(r, &v)) return (int64_t)v;
    if (r->seeding == DQ_SEEDING_XOSHIRO) return dq_rng_int(&r->rng, lo, hi);
    return dq_np_random_integers(&r->np, lo, hi);
}

/* ---- creation -------------------------------------------------------------------------- */

/* Options every env accepts, handled here like gym.make's own arguments. */
static const char *const COMMON_OPTIONS[] = {"max_episode_steps", NULL};

static bool in_list(const char *const *list, const char *key) {
    for (; list && *list; list++)
        if (!strcmp(*list, key)) return true;
    return false;
}

static void list_options(const dq_env_type *t, char *buf, size_t cap) {
    size_t n = 0;
    buf[0] = '\0';
    const char *const *lists[2] = {t->options, COMMON_OPTIONS};
    for (int l = 0; l < 2; l++)
        for (const char *const *o = lists[l]; o && *o && n + 1 < cap; o++)
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", *o);
}

const dq_env_type *dq_env_find(const char *id);

static const char *env_id_at(const void *ctx, int i) { return dq_env_type_at(i)->id; }

const char *dq_env_nearest_id(const char *id) {
    return id ? dq_nearest_name(id, env_id_at, NULL, dq_env_count()) : NULL;
}

dq_status dq_env_make(const char *id, const char *kwargs, dq_env **out, dq_error *err) {
    *out = NULL;
    const dq_env_type *t = id ? dq_env_find(id) : NULL;
    if (!t) {
        char ids[1024];
        size_t n = 0;
        ids[0] = '\0';
        for (int i = 0; i < dq_env_count() && n + 1 < sizeof ids; i++)
            n += (size_t)snprintf(ids + n, sizeof ids - n, "%s%s", i ? ", " : "",
                                  dq_env_type_at(i)->id);
        const char *near = dq_env_nearest_id(id);
        if (near)
            return dq_fail(err, DQ_ENOTFOUND, "unknown environment '%s' (did you mean %s?)", id,
                           near);
        return dq_fail(err, DQ_ENOTFOUND, "unknown environment '%s' (known: %s)",
                       id ? id : "(null)", ids);
    }
    return dq_env_make_type(t, kwargs, out, err);
}

dq_status dq_env_make_type(const dq_env_type *t, const char *kwargs, dq_env **out,
                           dq_error *err) {
    *out = NULL;
    if (!t || !t->id || !t->init || !t->reset || !t->step)
        return dq_fail(err, DQ_EINVAL, "env type is missing id, init, reset or step");
    dq_env *env = calloc(1, sizeof *env);
    if (!env) return dq_fail(err, DQ_ENOMEM, "out of memory creating %s", t->id);
    env->type = t;
    dq_status s = kwargs_merge(&env->kwargs, t->default_kwargs, err);
    if (!s) s = kwargs_merge(&env->kwargs, kwargs, err);
    for (int i = 0; !s && i < env->kwargs.n; i++) {
        const char *k = env->kwargs.kv[i].key;
        if (!in_list(t->options, k) && !in_list(COMMON_OPTIONS, k)) {
            char opts[512];
            list_options(t, opts, sizeof opts);
            s = dq_fail(err, DQ_EINVAL, "%s has no option '%s' (accepted: %s)", t->id, k, opts);
        }
    }
    env->max_episode_steps = t->max_episode_steps;
    int64_t mes = t->max_episode_steps;
    if (!s) s = dq_kwargs_int(&env->kwargs, "max_episode_steps", &mes, err);
    if (!s && (mes < 0 || mes > INT32_MAX))
        s = dq_fail(err, DQ_EINVAL, "option max_episode_steps=%lld: expected 0 (no limit) or more",
                    (long long)mes);
    env->max_episode_steps = (int)mes;
    if (!s && !(env->st = calloc(1, t->state_size ? t->state_size : 1)))
        s = dq_fail(err, DQ_ENOMEM, "out of memory creating %s", t->id);
    if (!s) {
        s = t->init(env->st, &env->kwargs, &env->obs_space, &env->act_space, err);
        if (s) {
            if (t->free) t->free(env->st);
            free(env->st);
            env->st = NULL;
        }
    }
    if (!s && (env->obs_space.size < 1 || env->obs_space.size > DQ_SPACE_MAX ||
               env->act_space.size < 1 || env->act_space.size > DQ_SPACE_MAX))
        s = dq_fail(err, DQ_EINVAL, "%s declares a space of bad size", t->id);
    if (s) {
        dq_env_free(env);
        return s;
    }
    dq_env_rand_seed(&env->rand, 0);
    dq_np_random_seed(&env->action_rng, 0);
    env->needs_reset = true;
    *out = env;
    return DQ_OK;
}

void dq_env_free(dq_env *env) {
    if (!env) return;
    if (env->st && env->type->free) env->type->free(env->st);
    free(env->st);
    free(env);
}

/* ---- episodes -------------------------------------------------------------------------- */

void dq_env_reset(dq_env *env, int64_t seed, float *obs) {
    if (seed >= 0 || !env->seeded) {
        dq_env_rand_seed(&env->rand, seed >= 0 ? (uint64_t)seed : 0);
        env->seeded = true;
    }
    env->elapsed = 0;
    env->ep_return = 0.0;
    env->needs_reset = false;
    env->type->reset(env->st, &env->rand, obs);
}

static dq_status finish_step(dq_env *env, double reward, bool terminated, dq_step *out) {
    env->elapsed++;
    env->ep_return += reward;
    bool truncated = env->max_episode_steps > 0 && env->elapsed >= env->max_episode_steps;
    env->needs_reset = terminated || truncated;
    if (out) {
        out->reward = reward;
        out->terminated = terminated;
        out->truncated = truncated;
        out->ep_return = env->ep_return;
        out->ep_length = env->elapsed;
    }
    return DQ_OK;
}

static dq_status check_running(const dq_env *env, dq_error *err) {
    if (env->needs_reset)
        return dq_fail(err, DQ_EINVAL,
                       "%s: no episode in progress (call dq_env_reset after creation and after "
                       "terminated or truncated)",
                       env->type->id);
    return DQ_OK;
}

/* The checks of a step: the action (discrete: in range; Box: caction given and finite) and a
 * running episode. */
static dq_status check_step(const dq_env *env, int64_t action, const double *caction,
                            bool box, dq_error *err) {
    if (!box) {
        if (env->act_space.kind != DQ_SPACE_DISCRETE)
            return dq_fail(err, DQ_EINVAL, "%s has a Box action space: use dq_env_step_cont",
                           env->type->id);
        if (action < 0 || action >= env->act_space.n)
            return dq_fail(err, DQ_EINVAL,
                           "%s: action %lld out of range (Discrete(%lld): 0..%lld)",
                           env->type->id, (long long)action, (long long)env->act_space.n,
                           (long long)env->act_space.n - 1);
    } else {
        if (env->act_space.kind != DQ_SPACE_BOX)
            return dq_fail(err, DQ_EINVAL, "%s has a Discrete action space: use dq_env_step",
                           env->type->id);
        if (!caction) return dq_fail(err, DQ_EINVAL, "%s: action is NULL", env->type->id);
        for (int i = 0; i < env->act_space.size; i++)
            if (!isfinite(caction[i]))
                return dq_fail(err, DQ_EINVAL, "%s: action[%d] = %g is not finite",
                               env->type->id, i, caction[i]);
    }
    return check_running(env, err);
}

dq_status dq_env_step(dq_env *env, int64_t action, float *obs, dq_step *out, dq_error *err) {
    dq_status s = check_step(env, action, NULL, false, err);
    if (s) return s;
    double reward = 0.0;
    bool term = false;
    env->type->step(env->st, &env->rand, action, NULL, obs, &reward, &term);
    return finish_step(env, reward, term, out);
}

dq_status dq_env_step_cont(dq_env *env, const double *action, float *obs, dq_step *out,
                           dq_error *err) {
    dq_status s = check_step(env, 0, action, true, err);
    if (s) return s;
    double reward = 0.0;
    bool term = false;
    env->type->step(env->st, &env->rand, 0, action, obs, &reward, &term);
    return finish_step(env, reward, term, out);
}

dq_status dq_env_step_many(int n, dq_env *const *e, const int64_t *action,
                           const double *const *caction, float *const *obs, dq_step *out,
                           dq_error *err) {
    enum { CHUNK = DQ_ENV_STEP_MANY_MAX }; /* the hook's arrays, on the stack */
    const bool box = caction != NULL;
    for (int i = 0; i < n; i++) {
        dq_status s = check_step(e[i], box ? 0 : action[i], box ? caction[i] : NULL, box, err);
        if (s) return s;
        /* an env twice in one step_many call would be stepped inside its own step */
        for (int j = i - i % CHUNK; j < i; j++)
            if (e[j] == e[i])
                return dq_fail(err, DQ_EINVAL, "%s: envs %d and %d are the same env",
                               e[i]->type->id, j, i);
    }
    for (int lo = 0; lo < n; lo += CHUNK) {
        const int m = n - lo < CHUNK ? n - lo : CHUNK;
        dq_env *const *g = e + lo;
        double reward[CHUNK] = {0};
        bool term[CHUNK] = {0};
        bool same = g[0]->type->step_many != NULL;
        for (int i = 1; i < m && same; i++) same = g[i]->type == g[0]->type;
        if (same) {
            void *st[CHUNK];
            dq_env_rand *rnd[CHUNK];
            for (int i = 0; i < m; i++) st[i] = g[i]->st, rnd[i] = &g[i]->rand;
            g[0]->type->step_many(m, st, rnd, box ? NULL : action + lo, box ? caction + lo : NULL,
                                  obs + lo, reward, term);
        } else {
            for (int i = 0; i < m; i++)
                g[i]->type->step(g[i]->st, &g[i]->rand, box ? 0 : action[lo + i],
                                 box ? caction[lo + i] : NULL, obs[lo + i], &reward[i], &term[i]);
        }
        for (int i = 0; i < m; i++) finish_step(g[i], reward[i], term[i], out ? &out[lo + i] : NULL);
    }
    return DQ_OK;
}

void dq_env_info(const dq_env *env, dq_info *out) {
    memset(out, 0, sizeof *out);
    if (env->type->info) env->type->info(env->st, out);
}

void dq_env_set_seeding(dq_env *env, dq_env_seeding seeding) {
    env->rand.seeding = seeding;
    dq_env_rand_seed(&env->rand, 0);
    env->seeded = false;
}

/* ---- action space sampling (Gymnasium's space.seed / space.sample) -------------------- */

void dq_env_action_seed(dq_env *env, uint64_t seed) { dq_np_random_seed(&env->action_rng, seed); }

dq_status dq_env_action_sample(dq_env *env, int64_t *action, double *caction, dq_error *err) {
    const dq_space *s = &env->act_space;
    if (s->kind == DQ_SPACE_DISCRETE) {
        /* Discrete(n).sample(): start + integers(n) */
        int64_t a = dq_np_random_integers(&env->action_rng, 0, s->n);
        if (action) *action = a;
        return DQ_OK;
    }
    for (int i = 0; i < s->size; i++)
        if (!isfinite(s->low[i]) || !isfinite(s->high[i]))
            return dq_fail(err, DQ_EUNSUPPORTED,
                           "%s: sampling a Box with an unbounded side is not supported",
                           env->type->id);
    /* Box.sample() of a bounded float Box: uniform(low, high) over the elements in order, in
     * float64, then cast to the Box's dtype. */
    for (int i = 0; i < s->size; i++) {
        double v = dq_np_random_uniform(&env->action_rng, s->low[i], s->high[i]);
        if (s->dtype == DQ_F32) v = (double)(float)v;
        if (caction) caction[i] = v;
    }
    return DQ_OK;
}

/* ---- state access ---------------------------------------------------------------------- */

void dq_env_inject(dq_env *env, const double *draws, int n) {
    env->rand.inject = n > 0 ? draws : NULL;
    env->rand.n_inject = n > 0 ? n : 0;
    env->rand.pos = 0;
}

int dq_env_get_state(const dq_env *env, double *out, int cap) {
    return env->type->get_state ? env->type->get_state(env->st, out, cap) : -1;
}

dq_status dq_env_set_state(dq_env *env, const double *s, int n, float *obs, dq_error *err) {
    if (!env->type->set_state)
        return dq_fail(err, DQ_EUNSUPPORTED, "%s cannot set its state", env->type->id);
    return env->type->set_state(env->st, s, n, obs, err);
}

const dq_tabular_model *dq_env_model(const dq_env *env) {
    return env->type->model ? env->type->model(env->st) : NULL;
}

/* ---- spaces ---------------------------------------------------------------------------- */

void dq_space_discrete(dq_space *s, int64_t n) {
    memset(s, 0, sizeof *s);
    s->kind = DQ_SPACE_DISCRETE;
    s->n = n;
    s->size = 1;
    s->dtype = DQ_I64;
}

void dq_space_box(dq_space *s, int size, const double *low, const double *high, dq_dtype dtype) {
    memset(s, 0, sizeof *s);
    s->kind = DQ_SPACE_BOX;
    s->ndim = 1;
    s->shape[0] = size;
    s->size = size;
    s->dtype = dtype;
    for (int i = 0; i < size && i < DQ_SPACE_MAX; i++) {
        /* float32 Boxes hold float32 bounds in Gymnasium: round them the same way. */
        s->low[i] = dtype == DQ_F32 ? (double)(float)low[i] : low[i];
        s->high[i] = dtype == DQ_F32 ? (double)(float)high[i] : high[i];
    }
}
