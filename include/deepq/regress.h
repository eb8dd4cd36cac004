/* deepq/regress.h — classic regressors over float64 matrices, with scikit-learn-like parameters,
 * behind one small vtable so Fitted Q Iteration (deepq/fqi.h) can take any of them.
 *
 *   dq_regressor_def def = dq_regressor_def_default(DQ_REG_KNN);
 *   def.k = 30;
 *   dq_regressor *r;
 *   dq_regressor_create(&def, &r, &err);
 *   dq_regressor_fit(r, x, y, n, d, &err);       // x: [n, d] row-major, y: [n]
 *   dq_regressor_predict(r, xq, m, out, &err);  // xq: [m, d], out: [m]
 *   dq_regressor_destroy(r);
 *
 * Kinds and their scikit-learn counterparts:
 *   DQ_REG_KNN         KNeighborsRegressor (k-d tree, Euclidean; uniform or distance weights)
 *   DQ_REG_LINEAR      LinearRegression (least squares by LAPACK dgelsd, optional
 *                      PolynomialFeatures(degree, include_bias=False) in front)
 *   DQ_REG_TREE        DecisionTreeRegressor (CART, squared error, best splits)
 *   DQ_REG_FOREST      RandomForestRegressor (bootstrap samples, best splits)
 *   DQ_REG_EXTRATREES  ExtraTreesRegressor (whole sample, random thresholds)
 *   DQ_REG_GBM         GradientBoostingRegressor (squared error, shrinkage, subsample)
 * Every random draw comes from a dq_rng seeded from def.seed; the same seed gives the same model.
 * fit() may be called again: it replaces the previous model (FQI refits every iteration). */
#ifndef DEEPQ_REGRESS_H
#define DEEPQ_REGRESS_H

#include "deepq/common.h"
#include "deepq/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dq_regressor_kind {
    DQ_REG_KNN = 0,
    DQ_REG_LINEAR,
    DQ_REG_TREE,
    DQ_REG_FOREST,
    DQ_REG_EXTRATREES,
    DQ_REG_GBM,
    DQ_REG_COUNT
} dq_regressor_kind;

typedef struct dq_regressor_def {
    dq_regressor_kind kind;
    uint64_t seed;            /* seeds the regressor's own dq_rng (trees, bootstrap, subsample) */
    /* kNN */
    int k;                    /* neighbours (sklearn n_neighbors); default 5 */
    bool distance_weights;    /* weights="distance" (1/d; exact matches take all weight) */
    int leaf_size;            /* k-d tree leaf size; default 16 */
    /* linear */
    int poly_degree;          /* 1 = plain linear; p > 1 adds all monomials up to degree p */
    bool fit_intercept;       /* default true */
    /* trees (tree, forest, extra-trees, boosting) */
    int max_depth;            /* 0 = unlimited (sklearn None); boosting default 3 */
    int min_samples_split;    /* default 2 */
    int min_samples_leaf;     /* default 1 */
    int max_features;         /* features tried per split; 0 = all */
    int n_estimators;         /* forest/extra-trees default 100; boosting default 100 */
    bool bootstrap;           /* forest default true, extra-trees default false */
    /* boosting */
    double learning_rate;     /* default 0.1 */
    double subsample;         /* fraction of rows per stage, (0, 1]; default 1 */
} dq_regressor_def;

/* Defaults for kind, matching scikit-learn's defaults for the counterpart class. */
DQ_API dq_regressor_def dq_regressor_def_default(dq_regressor_kind kind);

/* Kind by name ("knn", "linear", "tree", "forest", "extratrees", "gbm"); DQ_ENOTFOUND otherwise. */
DQ_API dq_status dq_regressor_kind_parse(const char *name, dq_regressor_kind *out, dq_error *err);
/* Short name of a kind ("knn", ...). */
DQ_API const char *dq_regressor_kind_name(dq_regressor_kind kind);

typedef struct dq_regressor dq_regressor;

/* The vtable each kind implements (internal kinds fill it; callers use the wrappers below). */
typedef struct dq_regressor_ops {
    /* Fit on x [n, d] and y [n] (both borrowed for the call only; the model keeps copies). */
    dq_status (*fit)(dq_regressor *r, const double *x, const double *y, int64_t n, int d,
                     dq_error *err);
    /* Predict out [m] for xq [m, d]; d must equal the fitted d. Read-only on r. */
    dq_status (*predict)(const dq_regressor *r, const double *xq, int64_t m, double *out,
                         dq_error *err);
    /* Release the kind's state in r->impl (not r itself). */
    void (*free)(dq_regressor *r);
} dq_regressor_ops;

struct dq_regressor {
    const dq_regressor_ops *ops;
    dq_regressor_def def;
    dq_rng rng;     /* owned stream for the kind's random choices */
    int d;          /* features of the fitted model (0 before fit) */
    void *impl;     /* kind-specific model, owned */
};

/* Check def and create an unfitted regressor; *out owned by the caller (dq_regressor_destroy). */
DQ_API dq_status dq_regressor_create(const dq_regressor_def *def, dq_regressor **out, dq_error *err);
/* Fit (or refit) on x [n, d], y [n]; DQ_EINVAL on n < 1, d < 1 or non-finite values. */
DQ_API dq_status dq_regressor_fit(dq_regressor *r, const double *x, const double *y, int64_t n, int d,
                           dq_error *err);
/* Predict out [m] for xq [m, d] (d = the fitted feature count); DQ_EINVAL before fit. */
DQ_API dq_status dq_regressor_predict(const dq_regressor *r, const double *xq, int64_t m, double *out,
                               dq_error *err);
/* Free r and its model (NULL-safe). */
DQ_API void dq_regressor_destroy(dq_regressor *r);

/* kNN only: the k nearest training rows of each query, nearest first (ties: lower row index
 * first). idx [m, k] and dist [m, k] (Euclidean) are caller-owned. FQI uses this to reuse one
 * neighbour search across iterations when only the targets change. */
DQ_API dq_status dq_knn_query(const dq_regressor *r, const double *xq, int64_t m, int64_t *idx,
                       double *dist, dq_error *err);
/* kNN only: replace the fitted targets (n values, same rows as the last fit) without rebuilding
 * the tree. */
DQ_API dq_status dq_knn_set_targets(dq_regressor *r, const double *y, int64_t n, dq_error *err);

/* Coefficient of determination R^2 of pred against y (n values); NaN if y is constant. */
DQ_API double dq_r2_score(const double *y, const double *pred, int64_t n);

#ifdef __cplusplus
}
#endif
#endif
