/* regress.c — the dq_regressor front end: definitions and their checks, creation, and the
 * fit/predict wrappers that validate shapes before dispatching to a kind's vtable. */
#include "ml/regress_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const KIND_NAMES[DQ_REG_COUNT] = {"knn",    "linear",     "tree",
                                                     "forest", "extratrees", "gbm"};

dq_regressor_def dq_regressor_def_default(dq_regressor_kind kind) {
    dq_regressor_def d;
    memset(&d, 0, sizeof d);
    d.kind = kind;
    d.seed = 0;
    d.k = 5;
    d.distance_weights = false;
    d.leaf_size = 16;
    d.poly_degree = 1;
    d.fit_intercept = true;
    d.max_depth = kind == DQ_REG_GBM ? 3 : 0;
    d.min_samples_split = 2;
    d.min_samples_leaf = 1;
    d.max_features = 0;
    d.n_estimators = kind == DQ_REG_TREE ? 1 : 100;
    d.bootstrap = kind == DQ_REG_FOREST;
    d.learning_rate = 0.1;
    d.subsample = 1.0;
    return d;
}

dq_status dq_regressor_kind_parse(const char *name, dq_regressor_kind *out, dq_error *err) {
    for (int i = 0; i < DQ_REG_COUNT; i++)
        if (name && !strcmp(name, KIND_NAMES[i])) {
            *out = (dq_regressor_kind)i;
            return DQ_OK;
        }
    return dq_fail(err, DQ_ENOTFOUND,
                   "unknown regressor '%s' (use knn, linear, tree, forest, extratrees or gbm)",
                   name ? name : "(null)");
}

const char *dq_regressor_kind_name(dq_regressor_kind kind) {
    return (kind >= 0 && kind < DQ_REG_COUNT) ? KIND_NAMES[kind] : "?";
}

static dq_status check_def(const dq_regressor_def *d, dq_error *err) {
    if (d->kind < 0 || d->kind >= DQ_REG_COUNT)
        return dq_fail(err, DQ_EINVAL, "regressor kind %d out of range", (int)d->kind);
    if (d->kind == DQ_REG_KNN && (d->k < 1 || d->leaf_size < 1))
        return dq_fail(err, DQ_EINVAL, "knn: k (%d) and leaf_size (%d) must be >= 1", d->k,
                       d->leaf_size);
    if (d->kind == DQ_REG_LINEAR && (d->poly_degree < 1 || d->poly_degree > 6))
        return dq_fail(err, DQ_EINVAL, "linear: poly_degree %d must be in 1..6", d->poly_degree);
    if (d->kind >= DQ_REG_TREE) {
        if (d->max_depth < 0 || d->min_samples_split < 2 || d->min_samples_leaf < 1 ||
            d->max_features < 0)
            return dq_fail(err, DQ_EINVAL,
                           "%s: need max_depth >= 0, min_samples_split >= 2, min_samples_leaf "
                           ">= 1, max_features >= 0",
                           KIND_NAMES[d->kind]);
        if (d->kind != DQ_REG_TREE && d->n_estimators < 1)
            return dq_fail(err, DQ_EINVAL, "%s: n_estimators %d must be >= 1",
                           KIND_NAMES[d->kind], d->n_estimators);
        if (d->kind == DQ_REG_GBM &&
            !(d->learning_rate > 0 && d->subsample > 0 && d->subsample <= 1))
            return dq_fail(err, DQ_EINVAL, "gbm: need learning_rate > 0 and subsample in (0, 1]");
    }
    return DQ_OK;
}

dq_status dq_regressor_create(const dq_regressor_def *def, dq_regressor **out, dq_error *err) {
    *out = NULL;
    dq_status s = check_def(def, err);
    if (s) return s;
    dq_regressor *r = calloc(1, sizeof *r);
    if (!r) return dq_fail(err, DQ_ENOMEM, "out of memory creating a regressor");
    r->def = *def;
    dq_rng_seed(&r->rng, def->seed);
    r->ops = def->kind == DQ_REG_KNN      ? &dq_knn_ops
             : def->kind == DQ_REG_LINEAR ? &dq_linear_ops
                                          : &dq_trees_ops;
    *out = r;
    return DQ_OK;
}

dq_status dq_regressor_fit(dq_regressor *r, const double *x, const double *y, int64_t n, int d,
                           dq_error *err) {
    if (n < 1 || d < 1 || n > INT32_MAX)
        return dq_fail(err, DQ_EINVAL, "fit: need 1 <= n < 2^31 rows and d >= 1 (got n=%lld, d=%d)",
                       (long long)n, d);
    for (int64_t i = 0; i < n * d; i++)
        if (!isfinite(x[i]))
            return dq_fail(err, DQ_EINVAL, "fit: x[%lld][%d] is not finite", (long long)(i / d),
                           (int)(i % d));
    for (int64_t i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return dq_fail(err, DQ_EINVAL, "fit: y[%lld] is not finite", (long long)i);
    if (r->def.kind == DQ_REG_KNN && n < r->def.k)
        return dq_fail(err, DQ_EINVAL, "knn: k=%d is more than the %lld training rows",
                       r->def.k, (long long)n);
    r->ops->free(r);
    r->d = 0;
    dq_status s = r->ops->fit(r, x, y, n, d, err);
    if (s == DQ_OK) r->d = d;
    return s;
}

dq_status dq_regressor_predict(const dq_regressor *r, const double *xq, int64_t m, double *out,
                               dq_error *err) {
    if (r->d == 0) return dq_fail(err, DQ_EINVAL, "predict: the regressor is not fitted");
    if (m < 0) return dq_fail(err, DQ_EINVAL, "predict: negative row count");
    if (m == 0) return DQ_OK;
    return r->ops->predict(r, xq, m, out, err);
}

void dq_regressor_destroy(dq_regressor *r) {
    if (!r) return;
    r->ops->free(r);
    free(r);
}

double dq_r2_score(const double *y, const double *pred, int64_t n) {
    double mean = 0;
    for (int64_t i = 0; i < n; i++) mean += y[i];
    mean /= (double)n;
    double ss_res = 0, ss_tot = 0;
    for (int64_t i = 0; i < n; i++) {
        ss_res += (y[i] - pred[i]) * (y[i] - pred[i]);
        ss_tot += (y[i] - mean) * (y[i] - mean);
    }
    return ss_tot > 0 ? 1.0 - ss_res / ss_tot : NAN;
}
