/* trees.c — CART regression trees (squared error) and the ensembles built from them:
 * DecisionTreeRegressor, RandomForestRegressor (bootstrap rows, best splits),
 * ExtraTreesRegressor (random thresholds) and GradientBoostingRegressor (least squares,
 * shrinkage, row subsampling), following scikit-learn's definitions.
 *
 * A node's candidate split maximises the proxy sum_l^2/n_l + sum_r^2/n_r (equivalent to the
 * largest decrease of the summed squared error). Best splits sort the node's rows by a feature
 * and cut half-way between consecutive distinct values; random splits draw the threshold
 * uniformly between the feature's min and max in the node. Features are visited in a random
 * order and max_features non-constant ones are tried. Leaves hold the mean target. */
#include "ml/regress_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FEATURE_THRESHOLD 1e-7 /* values closer than this are one value (scikit-learn's) */

typedef struct tnode {
    int32_t feature;     /* -1 for a leaf */
    int32_t left, right; /* children (rows with x[feature] <= thr go left) */
    double thr;
    double value;        /* mean target of the node's training rows */
} tnode;

typedef struct tree {
    tnode *nodes;
    int32_t n, cap;
} tree;

typedef struct trees_model {
    int d;
    int n_trees;
    tree *trees;  /* [n_trees] */
    double init;  /* boosting: the initial prediction (mean of y); 0 otherwise */
    double scale; /* factor on the sum of tree outputs: learning_rate or 1/n_trees */
} trees_model;

typedef struct fv_pair {
    double v;
    double y;
} fv_pair;

/* Everything one tree build needs. The sample's rows are copied into w with their target as
 * the last column, and partitioning moves whole rows, so every node's rows are contiguous and
 * the split scans read memory in order. */
typedef struct builder {
    double *w;       /* [m, d + 1] the sample (rows may repeat for bootstrap): features, target */
    int d;
    fv_pair *pairs;  /* [m] scratch for sorting */
    int *feats;      /* [d] feature visiting order */
    int max_depth, min_split, min_leaf, max_features;
    bool random_split;
    dq_rng *rng;
    tree *t;
} builder;

static int cmp_pair(const void *a, const void *b) {
    double x = ((const fv_pair *)a)->v, y = ((const fv_pair *)b)->v;
    return (x > y) - (x < y);
}

static int32_t new_node(tree *t) {
    if (t->n == t->cap) {
        int32_t cap = t->cap ? 2 * t->cap : 64;
        tnode *nn = realloc(t->nodes, (size_t)cap * sizeof *nn);
        if (!nn) return -1;
        t->nodes = nn;
        t->cap = cap;
    }
    return t->n++;
}

typedef struct split {
    int feature;
    double thr, proxy;
} split;

/* Best split of rows [lo, hi) on feature f, if better than *best. */
static void best_split_on(builder *b, int32_t lo, int32_t hi, int f, double sum, split *best,
                          bool *constant) {
    int32_t n = hi - lo;
    int ld = b->d + 1;
    const double *w = b->w + (int64_t)lo * ld;
    fv_pair *p = b->pairs;
    for (int32_t i = 0; i < n; i++) {
        p[i].v = w[(int64_t)i * ld + f];
        p[i].y = w[(int64_t)i * ld + ld - 1];
    }
    qsort(p, (size_t)n, sizeof *p, cmp_pair);
    if (p[n - 1].v <= p[0].v + FEATURE_THRESHOLD) {
        *constant = true;
        return;
    }
    *constant = false;
    double sl = 0;
    int ml = b->min_leaf;
    for (int32_t i = 0; i < ml - 1 && i < n; i++) sl += p[i].y;
    for (int32_t i = ml - 1; i < n - ml; i++) {
        sl += p[i].y; /* left = p[0..i] */
        if (p[i + 1].v <= p[i].v + FEATURE_THRESHOLD) continue;
        double nl = (double)(i + 1), nr = (double)(n - i - 1), sr = sum - sl;
        double proxy = sl * sl / nl + sr * sr / nr;
        if (proxy > best->proxy) {
            best->proxy = proxy;
            best->feature = f;
            double thr = p[i].v / 2.0 + p[i + 1].v / 2.0;
            if (thr == p[i + 1].v || isinf(thr) || isnan(thr)) thr = p[i].v;
            best->thr = thr;
        }
    }
}

/* Random split of rows [lo, hi) on feature f (extra-trees), if better than *best. */
static void random_split_on(builder *b, int32_t lo, int32_t hi, int f, double sum, split *best,
                            bool *constant) {
    int ld = b->d + 1;
    const double *w = b->w;
    double mn = INFINITY, mx = -INFINITY;
    for (int32_t i = lo; i < hi; i++) {
        double v = w[(int64_t)i * ld + f];
        mn = v < mn ? v : mn;
        mx = v > mx ? v : mx;
    }
    if (mx <= mn + FEATURE_THRESHOLD) {
        *constant = true;
        return;
    }
    *constant = false;
    double thr = dq_rng_range(b->rng, mn, mx);
    if (thr == mx) thr = mn;
    double sl = 0;
    int32_t nl = 0;
    for (int32_t i = lo; i < hi; i++) { /* branch-free: the comparison is a coin flip */
        const double *row = w + (int64_t)i * ld;
        int left = row[f] <= thr;
        sl += left ? row[ld - 1] : 0.0;
        nl += left;
    }
    int32_t nr = (hi - lo) - nl;
    if (nl < b->min_leaf || nr < b->min_leaf) return;
    double sr = sum - sl;
    double proxy = sl * sl / nl + sr * sr / nr;
    if (proxy > best->proxy) {
        best->proxy = proxy;
        best->feature = f;
        best->thr = thr;
    }
}

/* Grow the subtree for rows [lo, hi) at depth; returns its node id or -1 on out of memory. */
static int32_t grow(builder *b, int32_t lo, int32_t hi, int depth) {
    int32_t id = new_node(b->t);
    if (id < 0) return -1;
    int32_t n = hi - lo;
    double sum = 0, sq = 0;
    int ld = b->d + 1;
    for (int32_t i = lo; i < hi; i++) {
        double v = b->w[(int64_t)i * ld + ld - 1];
        sum += v;
        sq += v * v;
    }
    double mean = sum / n;
    double impurity = sq / n - mean * mean;
    tnode nd = {-1, -1, -1, 0.0, mean};
    b->t->nodes[id] = nd;
    bool leaf = (b->max_depth > 0 && depth >= b->max_depth) || n < b->min_split ||
                n < 2 * b->min_leaf || impurity <= DBL_EPSILON;
    if (leaf) return id;

    split best = {-1, 0.0, -INFINITY};
    int d = b->d;
    int want = b->max_features > 0 && b->max_features < d ? b->max_features : d;
    for (int i = 0; i < d; i++) b->feats[i] = i;
    int tried = 0;
    for (int i = 0; i < d && tried < want; i++) {
        int j = i + (int)dq_rng_below(b->rng, (uint64_t)(d - i));
        int f = b->feats[j];
        b->feats[j] = b->feats[i];
        b->feats[i] = f;
        bool constant = false;
        if (b->random_split) random_split_on(b, lo, hi, f, sum, &best, &constant);
        else best_split_on(b, lo, hi, f, sum, &best, &constant);
        if (!constant) tried++;
    }
    if (best.feature < 0) return id;

    /* partition rows: x[f] <= thr to the front */
    int32_t i = lo, j = hi - 1;
    while (i <= j) {
        double *ri = b->w + (int64_t)i * ld;
        if (ri[best.feature] <= best.thr) i++;
        else {
            double *rj = b->w + (int64_t)j * ld;
            for (int k = 0; k < ld; k++) {
                double t = ri[k];
                ri[k] = rj[k];
                rj[k] = t;
            }
            j--;
        }
    }
    if (i == lo || i == hi) return id; /* cannot happen with a valid split; stay safe */
    int32_t l = grow(b, lo, i, depth + 1);
    if (l < 0) return -1;
    int32_t r = grow(b, i, hi, depth + 1);
    if (r < 0) return -1;
    tnode *p = &b->t->nodes[id];
    p->feature = best.feature;
    p->thr = best.thr;
    p->left = l;
    p->right = r;
    return id;
}

static double tree_eval(const tree *t, const double *x) {
    const tnode *nd = t->nodes;
    int32_t i = 0;
    while (nd[i].feature >= 0) i = x[nd[i].feature] <= nd[i].thr ? nd[i].left : nd[i].right;
    return nd[i].value;
}

static void trees_free(dq_regressor *r) {
    trees_model *m = r->impl;
    if (!m) return;
    for (int i = 0; i < m->n_trees; i++) free(m->trees[i].nodes);
    free(m->trees);
    free(m);
    r->impl = NULL;
}

static dq_status trees_fit(dq_regressor *r, const double *x, const double *y, int64_t n, int d,
                           dq_error *err) {
    const dq_regressor_def *def = &r->def;
    dq_regressor_kind kind = def->kind;
    int n_trees = kind == DQ_REG_TREE ? 1 : def->n_estimators;
    trees_model *m = calloc(1, sizeof *m);
    if (!m) return dq_fail(err, DQ_ENOMEM, "trees: out of memory");
    r->impl = m;
    m->d = d;
    m->trees = calloc((size_t)n_trees, sizeof *m->trees);
    int32_t *rows = malloc((size_t)n * sizeof *rows);           /* [n] sample row ids */
    double *w = malloc((size_t)n * (d + 1) * sizeof *w);        /* [n, d + 1] */
    fv_pair *pairs = malloc((size_t)n * sizeof *pairs);
    int *feats = malloc((size_t)d * sizeof *feats);
    double *resid = kind == DQ_REG_GBM ? malloc((size_t)n * sizeof *resid) : NULL; /* [n] */
    double *fcur = kind == DQ_REG_GBM ? malloc((size_t)n * sizeof *fcur) : NULL;   /* [n] */
    dq_status st = DQ_OK;
    if (!m->trees || !rows || !w || !pairs || !feats ||
        (kind == DQ_REG_GBM && (!resid || !fcur))) {
        st = dq_fail(err, DQ_ENOMEM, "trees: out of memory for %lld rows", (long long)n);
        goto done;
    }
    builder b = {w, d, pairs, feats, def->max_depth, def->min_samples_split,
                 def->min_samples_leaf, def->max_features, kind == DQ_REG_EXTRATREES, &r->rng,
                 NULL};
    const double *target = y; /* [n] what the trees fit: y, or the residuals for boosting */
    m->scale = kind == DQ_REG_GBM ? def->learning_rate : 1.0 / n_trees;
    if (kind == DQ_REG_GBM) {
        double s = 0;
        for (int64_t i = 0; i < n; i++) s += y[i];
        m->init = s / (double)n;
        for (int64_t i = 0; i < n; i++) fcur[i] = m->init;
        target = resid;
    }
    for (int t = 0; t < n_trees; t++) {
        int32_t used = (int32_t)n;
        if (kind == DQ_REG_FOREST && def->bootstrap) {
            for (int64_t i = 0; i < n; i++) rows[i] = (int32_t)dq_rng_below(&r->rng, (uint64_t)n);
        } else if (kind == DQ_REG_GBM && def->subsample < 1.0) {
            /* n_inbag rows without replacement (partial Fisher-Yates) */
            used = (int32_t)(def->subsample * (double)n);
            if (used < 1) used = 1;
            for (int64_t i = 0; i < n; i++) rows[i] = (int32_t)i;
            for (int32_t i = 0; i < used; i++) {
                int32_t j = i + (int32_t)dq_rng_below(&r->rng, (uint64_t)(n - i));
                int32_t tmp = rows[i];
                rows[i] = rows[j];
                rows[j] = tmp;
            }
        } else {
            for (int64_t i = 0; i < n; i++) rows[i] = (int32_t)i;
        }
        if (kind == DQ_REG_GBM)
            for (int64_t i = 0; i < n; i++) resid[i] = y[i] - fcur[i];
        for (int32_t i = 0; i < used; i++) {
            memcpy(w + (int64_t)i * (d + 1), x + (int64_t)rows[i] * d, (size_t)d * sizeof *w);
            w[(int64_t)i * (d + 1) + d] = target[rows[i]];
        }
        b.t = &m->trees[t];
        m->n_trees = t + 1;
        if (grow(&b, 0, used, 0) < 0) {
            st = dq_fail(err, DQ_ENOMEM, "trees: out of memory growing tree %d", t);
            goto done;
        }
        if (kind == DQ_REG_GBM)
            for (int64_t i = 0; i < n; i++) fcur[i] += m->scale * tree_eval(b.t, x + i * d);
    }
done:
    free(rows);
    free(w);
    free(pairs);
    free(feats);
    free(resid);
    free(fcur);
    if (st) trees_free(r);
    return st;
}

static dq_status trees_predict(const dq_regressor *r, const double *xq, int64_t mq, double *out,
                               dq_error *err) {
    const trees_model *m = r->impl;
    /* tree-major: one tree stays in cache while every query walks it (same sum order) */
    for (int64_t i = 0; i < mq; i++) out[i] = 0;
    for (int t = 0; t < m->n_trees; t++)
        for (int64_t i = 0; i < mq; i++) out[i] += tree_eval(&m->trees[t], xq + i * m->d);
    for (int64_t i = 0; i < mq; i++) out[i] = m->init + m->scale * out[i];
    return DQ_OK;
}

const dq_regressor_ops dq_trees_ops = {trees_fit, trees_predict, trees_free};
