/* dataset.c — growable transition data sets, collecting them from an env with an
 * epsilon-greedy policy, and greedy policy evaluation (see deepq/dataset.h). */
#include "deepq/dataset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static dq_status grow(dq_dataset *ds, int64_t cap, dq_error *err) {
    size_t od = (size_t)ds->obs_dim;
    float *o = realloc(ds->obs, (size_t)cap * od * sizeof *o);
    if (o) ds->obs = o;
    float *no = realloc(ds->next_obs, (size_t)cap * od * sizeof *no);
    if (no) ds->next_obs = no;
    int64_t *a = realloc(ds->actions, (size_t)cap * sizeof *a);
    if (a) ds->actions = a;
    double *r = realloc(ds->rewards, (size_t)cap * sizeof *r);
    if (r) ds->rewards = r;
    bool *te = realloc(ds->terminateds, (size_t)cap * sizeof *te);
    if (te) ds->terminateds = te;
    bool *tr = realloc(ds->truncateds, (size_t)cap * sizeof *tr);
    if (tr) ds->truncateds = tr;
    if (!o || !no || !a || !r || !te || !tr)
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

void dq_dataset_free(dq_dataset *ds) {
    if (!ds) return;
    free(ds->obs);
    free(ds->next_obs);
    free(ds->actions);
    free(ds->rewards);
    free(ds->terminateds);
    free(ds->truncateds);
    int od = ds->obs_dim;
    memset(ds, 0, sizeof *ds);
    ds->obs_dim = od;
}

dq_status dq_dataset_push(dq_dataset *ds, const float *obs, int64_t action, double reward,
                          const float *next_obs, bool terminated, bool truncated, dq_error *err) {
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

dq_status dq_dataset_collect(dq_dataset *ds, dq_env *env, int64_t n_steps, dq_action_fn policy,
                             void *ctx, double epsilon, int64_t seed, dq_rng *rng,
                             dq_error *err) {
    if (env->act_space.kind != DQ_SPACE_DISCRETE)
        return dq_fail(err, DQ_EUNSUPPORTED, "collect: %s has no discrete action space",
                       env->type->id);
    if (env->obs_space.size != ds->obs_dim)
        return dq_fail(err, DQ_EINVAL, "collect: data set rows have %d values, %s observations %d",
                       ds->obs_dim, env->type->id, env->obs_space.size);
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

dq_status dq_policy_eval(dq_env *env, dq_action_fn policy, void *ctx, int episodes, int64_t seed,
                         dq_policy_stats *out, dq_error *err) {
    if (episodes < 1) return dq_fail(err, DQ_EINVAL, "eval: episodes must be >= 1");
    if (env->act_space.kind != DQ_SPACE_DISCRETE)
        return dq_fail(err, DQ_EUNSUPPORTED, "eval: %s has no discrete action space",
                       env->type->id);
    float *obs = malloc((size_t)env->obs_space.size * sizeof *obs);
    double *ret = malloc((size_t)episodes * sizeof *ret);
    if (!obs || !ret) {
        free(obs);
        free(ret);
        return dq_fail(err, DQ_ENOMEM, "eval: out of memory");
    }
    dq_status s = DQ_OK;
    double len = 0;
    for (int e = 0; e < episodes && s == DQ_OK; e++) {
        dq_env_reset(env, seed + e, obs);
        for (;;) {
            dq_step st;
            s = dq_env_step(env, policy(ctx, obs), obs, &st, err);
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
    }
    free(obs);
    free(ret);
    return s;
}
