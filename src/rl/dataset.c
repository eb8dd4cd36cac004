/* dataset.c — growable transition data sets, collecting them from an env with an
 * epsilon-greedy policy, .npz save/load, and greedy policy evaluation (see deepq/dataset.h). */
#include "deepq/dataset.h"

#include "deepq/npz.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static dq_status grow(dq_dataset *ds, int64_t cap, dq_error *err) {
    size_t od = (size_t)ds->obs_dim;
    float *o = realloc(ds->obs, (size_t)cap * od * sizeof *o);
    if (o) ds->obs = o;
    float *no = realloc(ds->next_obs, (size_t)cap * od * sizeof *no);
    if (no) ds->next_obs = no;
    /* one of the two action arrays, by the data set's kind */
    int64_t *a = ds->act_dim ? NULL : realloc(ds->actions, (size_t)cap * sizeof *a);
    if (a) ds->actions = a;
    float *ba = ds->act_dim ? realloc(ds->box_actions, (size_t)cap * ds->act_dim * sizeof *ba)
                            : NULL;
    if (ba) ds->box_actions = ba;
    double *r = realloc(ds->rewards, (size_t)cap * sizeof *r);
    if (r) ds->rewards = r;
    bool *te = realloc(ds->terminateds, (size_t)cap * sizeof *te);
    if (te) ds->terminateds = te;
    bool *tr = realloc(ds->truncateds, (size_t)cap * sizeof *tr);
    if (tr) ds->truncateds = tr;
    if (!o || !no || (!a && !ba) || !r || !te || !tr)
        return dq_fail(err, DQ_ENOMEM, "data set: out of memory for %lld transitions",
                       (long long)cap);
    ds->cap = cap;
    return DQ_OK;
}

dq_status dq_dataset_init(dq_dataset *ds, int obs_dim, int64_t cap, dq_error *err) {
    memset(ds, 0, sizeof *ds);
    if (obs_dim < 1 || cap < 0)
        return dq_fail(err, DQ_EINVAL, "data set: obs_dim %d must be >= 1", obs_dim);
    ds->obs_dim = obs_dim;
    dq_status s = grow(ds, cap > 0 ? cap : 1024, err);
    if (s) dq_dataset_free(ds);
    return s;
}

dq_status dq_dataset_init_box(dq_dataset *ds, int obs_dim, int act_dim, int64_t cap,
                              dq_error *err) {
    memset(ds, 0, sizeof *ds);
    if (obs_dim < 1 || act_dim < 1 || act_dim > 64 || cap < 0)
        return dq_fail(err, DQ_EINVAL, "data set: obs_dim %d must be >= 1, act_dim %d in 1..64",
                       obs_dim, act_dim);
    ds->obs_dim = obs_dim;
    ds->act_dim = act_dim;
    dq_status s = grow(ds, cap > 0 ? cap : 1024, err);
    if (s) dq_dataset_free(ds);
    return s;
}

void dq_dataset_free(dq_dataset *ds) {
    if (!ds) return;
    free(ds->obs);
    free(ds->next_obs);
    free(ds->actions);
    free(ds->box_actions);
    free(ds->rewards);
    free(ds->terminateds);
    free(ds->truncateds);
    int od = ds->obs_dim, ad = ds->act_dim;
    memset(ds, 0, sizeof *ds);
    ds->obs_dim = od;
    ds->act_dim = ad;
}

dq_status dq_dataset_push(dq_dataset *ds, const float *obs, int64_t action, double reward,
                          const float *next_obs, bool terminated, bool truncated, dq_error *err) {
    if (ds->act_dim)
        return dq_fail(err, DQ_EINVAL, "data set: Discrete action pushed to a Box data set");
    if (ds->n == ds->cap) {
        dq_status s = grow(ds, ds->cap ? 2 * ds->cap : 1024, err);
        if (s) return s;
    }
    int64_t i = ds->n++;
    size_t od = (size_t)ds->obs_dim;
    memcpy(ds->obs + i * od, obs, od * sizeof *obs);
    memcpy(ds->next_obs + i * od, next_obs, od * sizeof *next_obs);
    ds->actions[i] = action;
    ds->rewards[i] = reward;
    ds->terminateds[i] = terminated;
    ds->truncateds[i] = truncated;
    return DQ_OK;
}

dq_status dq_dataset_push_box(dq_dataset *ds, const float *obs, const float *action,
                              double reward, const float *next_obs, bool terminated,
                              bool truncated, dq_error *err) {
    if (!ds->act_dim)
        return dq_fail(err, DQ_EINVAL, "data set: Box action pushed to a Discrete data set");
    if (ds->n == ds->cap) {
        dq_status s = grow(ds, ds->cap ? 2 * ds->cap : 1024, err);
        if (s) return s;
    }
    int64_t i = ds->n++;
    size_t od = (size_t)ds->obs_dim, ad = (size_t)ds->act_dim;
    memcpy(ds->obs + i * od, obs, od * sizeof *obs);
    memcpy(ds->next_obs + i * od, next_obs, od * sizeof *next_obs);
    memcpy(ds->box_actions + i * ad, action, ad * sizeof *action);
    ds->rewards[i] = reward;
    ds->terminateds[i] = terminated;
    ds->truncateds[i] = truncated;
    return DQ_OK;
}

dq_status dq_dataset_collect(dq_dataset *ds, dq_env *env, int64_t n_steps, dq_action_fn policy,
                             void *ctx, double epsilon, int64_t seed, dq_rng *rng,
                             dq_error *err) {
    if (env->act_space.kind != DQ_SPACE_DISCRETE)
        return dq_fail(err, DQ_EUNSUPPORTED, "collect: %s has no discrete action space",
                       env->type->id);
    if (env->obs_space.size != ds->obs_dim || ds->act_dim)
        return dq_fail(err, DQ_EINVAL,
                       "collect: data set rows have %d values (act_dim %d), %s observations %d "
                       "and Discrete actions",
                       ds->obs_dim, ds->act_dim, env->type->id, env->obs_space.size);
    int od = ds->obs_dim;
    float *obs = malloc(2 * (size_t)od * sizeof *obs);
    if (!obs) return dq_fail(err, DQ_ENOMEM, "collect: out of memory");
    float *next = obs + od;
    dq_env_reset(env, seed, obs);
    dq_status s = DQ_OK;
    for (int64_t t = 0; t < n_steps && s == DQ_OK; t++) {
        int64_t a;
        if (!policy || (epsilon > 0 && dq_rng_uniform(rng) < epsilon))
            a = (int64_t)dq_rng_below(rng, (uint64_t)env->act_space.n);
        else a = policy(ctx, obs);
        dq_step st;
        s = dq_env_step(env, a, next, &st, err);
        if (s) break;
        s = dq_dataset_push(ds, obs, a, st.reward, next, st.terminated, st.truncated, err);
        if (st.terminated || st.truncated) dq_env_reset(env, -1, obs);
        else memcpy(obs, next, (size_t)od * sizeof *obs);
    }
    free(obs);
    return s;
}

dq_status dq_dataset_collect_box(dq_dataset *ds, dq_env *env, int64_t n_steps,
                                 dq_box_action_fn policy, void *ctx, double epsilon,
                                 int64_t seed, dq_rng *rng, dq_error *err) {
    if (env->act_space.kind != DQ_SPACE_BOX)
        return dq_fail(err, DQ_EUNSUPPORTED, "collect: %s has no Box action space",
                       env->type->id);
    const int od = ds->obs_dim, ad = env->act_space.size;
    if (env->obs_space.size != od || ds->act_dim != ad)
        return dq_fail(err, DQ_EINVAL,
                       "collect: data set rows have %d values and %d actions, %s %d and %d", od,
                       ds->act_dim, env->type->id, env->obs_space.size, ad);
    float *obs = malloc((2 * (size_t)od + (size_t)ad) * sizeof *obs);
    double *act = malloc((size_t)ad * sizeof *act);
    if (!obs || !act) {
        free(obs);
        free(act);
        return dq_fail(err, DQ_ENOMEM, "collect: out of memory");
    }
    float *next = obs + od, *fact = obs + 2 * od;
    const double *lo = env->act_space.low, *hi = env->act_space.high;
    for (int j = 0; j < ad; j++)
        if (!isfinite(lo[j]) || !isfinite(hi[j])) {
            free(obs);
            free(act);
            return dq_fail(err, DQ_EUNSUPPORTED, "collect: %s's action bounds are not finite",
                           env->type->id);
        }
    dq_env_reset(env, seed, obs);
    dq_status s = DQ_OK;
    for (int64_t t = 0; t < n_steps && s == DQ_OK; t++) {
        if (!policy || (epsilon > 0 && dq_rng_uniform(rng) < epsilon)) {
            for (int j = 0; j < ad; j++) act[j] = lo[j] + (hi[j] - lo[j]) * dq_rng_uniform(rng);
        } else {
            policy(ctx, obs, act);
        }
        /* the data set keeps what the env was given, rounded to float32 as a Box(float32)
         * action is; step with those same values */
        for (int j = 0; j < ad; j++) fact[j] = (float)act[j], act[j] = fact[j];
        dq_step st;
        s = dq_env_step_cont(env, act, next, &st, err);
        if (s) break;
        s = dq_dataset_push_box(ds, obs, fact, st.reward, next, st.terminated, st.truncated, err);
        if (st.terminated || st.truncated) dq_env_reset(env, -1, obs);
        else memcpy(obs, next, (size_t)od * sizeof *obs);
    }
    free(obs);
    free(act);
    return s;
}

/* Returns of `episodes` greedy episodes into out (policy, or the Box policy bpolicy if given). */
static dq_status policy_eval(dq_env *env, dq_action_fn policy, dq_box_action_fn bpolicy,
                             void *ctx, int episodes, int64_t seed, dq_policy_stats *out,
                             dq_error *err) {
    if (episodes < 1) return dq_fail(err, DQ_EINVAL, "eval: episodes must be >= 1");
    if (env->act_space.kind != (bpolicy ? DQ_SPACE_BOX : DQ_SPACE_DISCRETE))
        return dq_fail(err, DQ_EUNSUPPORTED, "eval: %s has no %s action space", env->type->id,
                       bpolicy ? "Box" : "discrete");
    float *obs = malloc((size_t)env->obs_space.size * sizeof *obs);
    double *ret = malloc((size_t)episodes * sizeof *ret);
    double *act = malloc((size_t)(bpolicy ? env->act_space.size : 1) * sizeof *act);
    if (!obs || !ret || !act) {
        free(obs);
        free(ret);
        free(act);
        return dq_fail(err, DQ_ENOMEM, "eval: out of memory");
    }
    dq_status s = DQ_OK;
    double len = 0;
    for (int e = 0; e < episodes && s == DQ_OK; e++) {
        dq_env_reset(env, seed + e, obs);
        for (;;) {
            dq_step st;
            if (bpolicy) {
                bpolicy(ctx, obs, act);
                s = dq_env_step_cont(env, act, obs, &st, err);
            } else {
                s = dq_env_step(env, policy(ctx, obs), obs, &st, err);
            }
            if (s) break;
            if (st.terminated || st.truncated) {
                ret[e] = st.ep_return;
                len += (double)st.ep_length;
                break;
            }
        }
    }
    if (s == DQ_OK) {
        double sum = 0, mn = INFINITY, mx = -INFINITY;
        for (int e = 0; e < episodes; e++) {
            sum += ret[e];
            mn = fmin(mn, ret[e]);
            mx = fmax(mx, ret[e]);
        }
        double mean = sum / episodes, var = 0;
        for (int e = 0; e < episodes; e++) var += (ret[e] - mean) * (ret[e] - mean);
        out->episodes = episodes;
        out->mean = mean;
        out->std = sqrt(var / episodes);
        out->min = mn;
        out->max = mx;
        out->mean_length = len / episodes;
        out->reward_threshold = env->type->reward_threshold;
        int at = 0;
        for (int e = 0; e < episodes; e++) at += ret[e] >= out->reward_threshold;
        out->frac_at_threshold = isnan(out->reward_threshold) ? NAN : (double)at / episodes;
    }
    free(obs);
    free(ret);
    free(act);
    return s;
}

dq_status dq_policy_eval(dq_env *env, dq_action_fn policy, void *ctx, int episodes, int64_t seed,
                         dq_policy_stats *out, dq_error *err) {
    return policy_eval(env, policy, NULL, ctx, episodes, seed, out, err);
}

dq_status dq_policy_eval_box(dq_env *env, dq_box_action_fn policy, void *ctx, int episodes,
                             int64_t seed, dq_policy_stats *out, dq_error *err) {
    return policy_eval(env, NULL, policy, ctx, episodes, seed, out, err);
}

dq_status dq_dataset_save(const dq_dataset *ds, const char *path, dq_error *err) {
    dq_npz_writer *w = NULL;
    dq_status s = dq_npz_writer_create(&w, err);
    int64_t n = ds->n;
    int64_t s2[2] = {n, ds->obs_dim}, s1[1] = {n}, sa[2] = {n, ds->act_dim};
    if (!s) s = dq_npz_writer_add(w, "observations", DQ_F32, 2, s2, ds->obs, err);
    if (!s) s = dq_npz_writer_add(w, "next_observations", DQ_F32, 2, s2, ds->next_obs, err);
    if (!s && ds->act_dim) s = dq_npz_writer_add(w, "actions", DQ_F32, 2, sa, ds->box_actions, err);
    else if (!s) s = dq_npz_writer_add(w, "actions", DQ_I64, 1, s1, ds->actions, err);
    if (!s) s = dq_npz_writer_add(w, "rewards", DQ_F64, 1, s1, ds->rewards, err);
    if (!s) s = dq_npz_writer_add(w, "terminateds", DQ_BOOL, 1, s1, ds->terminateds, err);
    if (!s) s = dq_npz_writer_add(w, "truncateds", DQ_BOOL, 1, s1, ds->truncateds, err);
    if (!s) s = dq_npz_writer_save(w, path, true, err);
    dq_npz_writer_destroy(w);
    return s;
}

/* Element i of a numeric array as double. */
static double elem(const dq_ndarray *a, int64_t i) {
    switch (a->dtype) {
    case DQ_F32: return ((const float *)a->data)[i];
    case DQ_F64: return ((const double *)a->data)[i];
    case DQ_I64: return (double)((const int64_t *)a->data)[i];
    case DQ_I32: return ((const int32_t *)a->data)[i];
    case DQ_U8:
    case DQ_BOOL: return ((const uint8_t *)a->data)[i];
    default: return NAN;
    }
}

/* Find key with one of the allowed dtypes (mask of 1 << dtype), rank ndim and n rows (-1: any). */
static dq_status get_array(const dq_npz *z, const char *path, const char *key, unsigned mask,
                           int ndim, int64_t n, const dq_ndarray **out, dq_error *err) {
    const dq_ndarray *a = dq_npz_find(z, key);
    *out = a;
    if (!a)
        return dq_fail(err, DQ_ENOTFOUND,
                       "%s: no array '%s' (a data set needs observations, next_observations, "
                       "actions, rewards, terminateds; write it with `deepq collect`)",
                       path, key);
    if (!(mask & (1u << a->dtype)))
        return dq_fail(err, DQ_EFORMAT, "%s: array '%s' has dtype %s, which a data set cannot use",
                       path, key, dq_dtype_name(a->dtype));
    if (a->ndim != ndim || (n >= 0 && a->shape[0] != n)) {
        char sh[64];
        dq_shape_format(sh, sizeof sh, a->ndim, a->shape);
        return dq_fail(err, DQ_EFORMAT, "%s: array '%s' has shape %s, expected %s with %lld rows",
                       path, key, sh, ndim == 1 ? "1-D" : "2-D", (long long)n);
    }
    return DQ_OK;
}

dq_status dq_dataset_load(dq_dataset *ds, const char *path, dq_error *err) {
    memset(ds, 0, sizeof *ds);
    dq_npz *z = NULL;
    dq_status s = dq_npz_load(&z, path, err);
    if (s) return s;
    const unsigned FLT = 1u << DQ_F32 | 1u << DQ_F64;
    const unsigned INT = 1u << DQ_I64 | 1u << DQ_I32 | 1u << DQ_U8;
    const unsigned FLAG = 1u << DQ_BOOL | 1u << DQ_U8 | 1u << DQ_I64 | 1u << DQ_I32;
    const dq_ndarray *o, *no, *a, *r, *te, *tr = NULL;
    s = get_array(z, path, "observations", FLT, 2, -1, &o, err);
    int64_t n = s ? 0 : o->shape[0];
    if (!s && (o->shape[1] < 1 || o->shape[1] > 4096))
        s = dq_fail(err, DQ_EFORMAT, "%s: observations have %lld columns", path,
                    (long long)o->shape[1]);
    if (!s) s = get_array(z, path, "next_observations", FLT, 2, n, &no, err);
    if (!s && no->shape[1] != o->shape[1])
        s = dq_fail(err, DQ_EFORMAT, "%s: next_observations have %lld columns, observations %lld",
                    path, (long long)no->shape[1], (long long)o->shape[1]);
    /* float actions: a Box data set, [n, act_dim] or [n] for one dimension */
    const dq_ndarray *fa = s ? NULL : dq_npz_find(z, "actions");
    const bool box = fa && (fa->dtype == DQ_F32 || fa->dtype == DQ_F64);
    if (!s) s = get_array(z, path, "actions", box ? FLT : INT, box ? fa->ndim : 1, n, &a, err);
    if (!s && box && (a->ndim < 1 || a->ndim > 2 || (a->ndim == 2 && (a->shape[1] < 1 ||
                                                                       a->shape[1] > 64))))
        s = dq_fail(err, DQ_EFORMAT, "%s: float actions must be [n] or [n, act_dim <= 64]", path);
    const int ad = !s && box ? (a->ndim == 2 ? (int)a->shape[1] : 1) : 0;
    if (!s) s = get_array(z, path, "rewards", FLT, 1, n, &r, err);
    if (!s) s = get_array(z, path, "terminateds", FLAG, 1, n, &te, err);
    if (!s && dq_npz_find(z, "truncateds"))
        s = get_array(z, path, "truncateds", FLAG, 1, n, &tr, err);
    if (!s && n < 1) s = dq_fail(err, DQ_EFORMAT, "%s: the data set has no transitions", path);
    if (!s)
        s = ad ? dq_dataset_init_box(ds, (int)o->shape[1], ad, n, err)
               : dq_dataset_init(ds, (int)o->shape[1], n, err);
    if (!s) {
        int64_t od = o->shape[1];
        for (int64_t i = 0; i < n * od; i++) {
            ds->obs[i] = (float)elem(o, i);
            ds->next_obs[i] = (float)elem(no, i);
        }
        for (int64_t i = 0; i < n * ad && !s; i++) {
            ds->box_actions[i] = (float)elem(a, i);
            if (!isfinite(ds->box_actions[i]))
                s = dq_fail(err, DQ_EFORMAT, "%s: actions[%lld] is not finite", path,
                            (long long)(i / ad));
        }
        for (int64_t i = 0; i < n && !s; i++) {
            double av = ad ? 0.0 : elem(a, i);
            if (!ad) ds->actions[i] = (int64_t)av;
            ds->rewards[i] = elem(r, i);
            ds->terminateds[i] = elem(te, i) != 0;
            ds->truncateds[i] = tr ? elem(tr, i) != 0 : false;
            if (av < 0) s = dq_fail(err, DQ_EFORMAT, "%s: actions[%lld] is negative", path,
                                    (long long)i);
            else if (!isfinite(ds->rewards[i]))
                s = dq_fail(err, DQ_EFORMAT, "%s: rewards[%lld] is not finite", path,
                            (long long)i);
        }
        ds->n = n;
        if (s) dq_dataset_free(ds);
    }
    dq_npz_free(z);
    return s;
}
