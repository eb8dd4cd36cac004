/* knn.c — k-nearest-neighbour regression (scikit-learn's KNeighborsRegressor) over a k-d tree.
 *
 * The tree splits on the widest dimension at the median (quickselect), stores the training rows
 * in tree order in one contiguous buffer with each node's bounding box, and answers queries
 * with a depth-first search that keeps the k best (squared distance, row) pairs in a max-heap,
 * visits the nearer child first and skips a child whose box is farther than the k-th best.
 * Ties in distance are broken by the lower training row, so results are deterministic. */
#include "ml/regress_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct kd_node {
    int32_t lo, hi;      /* rows [lo, hi) of the tree-ordered buffer */
    int32_t left, right; /* children, -1 for a leaf */
    int32_t dim;         /* split dimension */
    double split;        /* rows of left have x[dim] <= split, rows of right >= split */
} kd_node;

typedef struct knn_model {
    int64_t n;
    int d;
    double *pts;    /* [n, d] training rows in tree order */
    int32_t *orig;  /* [n] original row of each tree-ordered row */
    double *y;      /* [n] targets in original row order */
    kd_node *nodes; /* [n_nodes] */
    double *box;    /* [n_nodes, 2, d] per node: min corner, then max corner of its rows */
    int32_t n_nodes, cap_nodes;
} knn_model;

/* Reorder perm[lo..hi) so perm[mid] holds the row with the mid-th smallest x[.,dim]. */
static void select_median(const double *x, int d, int dim, int32_t *perm, int32_t lo, int32_t hi,
                          int32_t mid) {
    hi--;
    while (hi > lo) {
        double pivot = x[(int64_t)perm[(lo + hi) / 2] * d + dim];
        int32_t i = lo, j = hi;
        while (i <= j) {
            while (x[(int64_t)perm[i] * d + dim] < pivot) i++;
            while (x[(int64_t)perm[j] * d + dim] > pivot) j--;
            if (i <= j) {
                int32_t t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
                i++, j--;
            }
        }
        if (mid <= j) hi = j;
        else if (mid >= i) lo = i;
        else break;
    }
}

static int32_t build(knn_model *m, const double *x, int32_t *perm, int32_t lo, int32_t hi,
                     int leaf_size) {
    int32_t id = m->n_nodes++;
    kd_node nd = {lo, hi, -1, -1, 0, 0.0};
    int d = m->d, best = 0;
    double spread = -1;
    double *bmin = m->box + (int64_t)id * 2 * d, *bmax = bmin + d;
    for (int k = 0; k < d; k++) {
        double mn = INFINITY, mx = -INFINITY;
        for (int32_t i = lo; i < hi; i++) {
            double v = x[(int64_t)perm[i] * d + k];
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        bmin[k] = mn;
        bmax[k] = mx;
        if (mx - mn > spread) spread = mx - mn, best = k;
    }
    if (hi - lo > leaf_size) {
        if (spread > 0) {
            int32_t mid = lo + (hi - lo) / 2;
            select_median(x, d, best, perm, lo, hi, mid);
            nd.dim = best;
            nd.split = x[(int64_t)perm[mid] * d + best];
            m->nodes[id] = nd;
            int32_t l = build(m, x, perm, lo, mid, leaf_size);
            int32_t r = build(m, x, perm, mid, hi, leaf_size);
            m->nodes[id].left = l;
            m->nodes[id].right = r;
            return id;
        }
    }
    m->nodes[id] = nd;
    return id;
}

static void knn_free(dq_regressor *r) {
    knn_model *m = r->impl;
    if (!m) return;
    free(m->pts);
    free(m->orig);
    free(m->y);
    free(m->nodes);
    free(m->box);
    free(m);
    r->impl = NULL;
}

static dq_status knn_fit(dq_regressor *r, const double *x, const double *y, int64_t n, int d,
                         dq_error *err) {
    knn_model *m = calloc(1, sizeof *m);
    if (!m) return dq_fail(err, DQ_ENOMEM, "knn: out of memory");
    r->impl = m;
    m->n = n;
    m->d = d;
    int leaf = r->def.leaf_size;
    /* A binary tree with leaves of at most `leaf` rows split at the median has < 4n/leaf + 2
     * nodes. */
    m->cap_nodes = (int32_t)(4 * (n / leaf + 1) + 2);
    m->pts = malloc((size_t)n * d * sizeof *m->pts);
    m->orig = malloc((size_t)n * sizeof *m->orig);
    m->y = malloc((size_t)n * sizeof *m->y);
    m->nodes = malloc((size_t)m->cap_nodes * sizeof *m->nodes);
    m->box = malloc((size_t)m->cap_nodes * 2 * d * sizeof *m->box);
    if (!m->pts || !m->orig || !m->y || !m->nodes || !m->box) {
        knn_free(r);
        return dq_fail(err, DQ_ENOMEM, "knn: out of memory for %lld rows", (long long)n);
    }
    for (int32_t i = 0; i < n; i++) m->orig[i] = i;
    memcpy(m->y, y, (size_t)n * sizeof *y);
    build(m, x, m->orig, 0, (int32_t)n, leaf);
    for (int64_t i = 0; i < n; i++)
        memcpy(m->pts + i * d, x + (int64_t)m->orig[i] * d, (size_t)d * sizeof *x);
    return DQ_OK;
}

/* Max-heap of the k best candidates, ordered by (squared distance, original row). */
typedef struct heap {
    double *d2;
    int32_t *row;
    int n, k;
} heap;

static inline int worse(double da, int32_t ra, double db, int32_t rb) {
    return da > db || (da == db && ra > rb);
}

static void heap_push(heap *h, double d2, int32_t row) {
    if (h->n == h->k) {
        if (!worse(h->d2[0], h->row[0], d2, row)) return;
        /* replace the root and sift down */
        int i = 0;
        for (;;) {
            int c = 2 * i + 1;
            if (c >= h->n) break;
            if (c + 1 < h->n && worse(h->d2[c + 1], h->row[c + 1], h->d2[c], h->row[c])) c++;
            if (!worse(h->d2[c], h->row[c], d2, row)) break;
            h->d2[i] = h->d2[c];
            h->row[i] = h->row[c];
            i = c;
        }
        h->d2[i] = d2;
        h->row[i] = row;
        return;
    }
    int i = h->n++;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (!worse(d2, row, h->d2[p], h->row[p])) break;
        h->d2[i] = h->d2[p];
        h->row[i] = h->row[p];
        i = p;
    }
    h->d2[i] = d2;
    h->row[i] = row;
}

static inline double heap_bound(const heap *h) { return h->n < h->k ? INFINITY : h->d2[0]; }

/* Squared distance from q to the box of node id (0 inside). */
static inline double box_dist2(const knn_model *m, int32_t id, const double *q) {
    int d = m->d;
    const double *bmin = m->box + (int64_t)id * 2 * d, *bmax = bmin + d;
    double s = 0;
    for (int k = 0; k < d; k++) {
        double t = q[k] < bmin[k] ? bmin[k] - q[k] : q[k] > bmax[k] ? q[k] - bmax[k] : 0.0;
        s += t * t;
    }
    return s;
}

/* Search node id, whose box is at squared distance rd from q. */
static void search(const knn_model *m, int32_t id, const double *q, double rd, heap *h) {
    if (rd > heap_bound(h)) return;
    const kd_node *nd = &m->nodes[id];
    if (nd->left < 0) {
        int d = m->d;
        for (int32_t i = nd->lo; i < nd->hi; i++) {
            const double *p = m->pts + (int64_t)i * d;
            double s = 0;
            for (int k = 0; k < d; k++) {
                double t = q[k] - p[k];
                s += t * t;
            }
            if (s <= heap_bound(h)) heap_push(h, s, m->orig[i]);
        }
        return;
    }
    double dl = box_dist2(m, nd->left, q), dr = box_dist2(m, nd->right, q);
    if (dl <= dr) {
        search(m, nd->left, q, dl, h);
        search(m, nd->right, q, dr, h);
    } else {
        search(m, nd->right, q, dr, h);
        search(m, nd->left, q, dl, h);
    }
}

/* Sort the heap's k entries nearest first (insertion sort: k is small). */
static void heap_sort(heap *h) {
    for (int i = 1; i < h->n; i++) {
        double dv = h->d2[i];
        int32_t rv = h->row[i];
        int j = i - 1;
        while (j >= 0 && worse(h->d2[j], h->row[j], dv, rv)) {
            h->d2[j + 1] = h->d2[j];
            h->row[j + 1] = h->row[j];
            j--;
        }
        h->d2[j + 1] = dv;
        h->row[j + 1] = rv;
    }
}

/* Runs the search for one query; h has room for k entries. */
/* Buffers for the k nearest neighbours of one query; non-zero on allocation failure. */
static int heap_init(heap *h, int k) {
    *h = (heap){malloc((size_t)k * sizeof(double)), malloc((size_t)k * sizeof(int32_t)), 0, k};
    if (h->d2 && h->row) return 0;
    free(h->d2);
    free(h->row);
    return 1;
}

static void heap_free(heap *h) {
    free(h->d2);
    free(h->row);
}

static void query_one(const knn_model *m, const double *q, heap *h) {
    h->n = 0;
    search(m, 0, q, 0.0, h);
    heap_sort(h);
}

static dq_status knn_predict(const dq_regressor *r, const double *xq, int64_t mq, double *out,
                             dq_error *err) {
    const knn_model *m = r->impl;
    int k = r->def.k, d = m->d;
    heap h;
    if (heap_init(&h, k)) return dq_fail(err, DQ_ENOMEM, "knn: out of memory");
    for (int64_t i = 0; i < mq; i++) {
        query_one(m, xq + i * d, &h);
        if (!r->def.distance_weights) {
            double s = 0;
            for (int j = 0; j < k; j++) s += m->y[h.row[j]];
            out[i] = s / k;
        } else if (h.d2[0] == 0.0) {
            /* exact matches take all the weight, equally (as scikit-learn does) */
            double s = 0;
            int c = 0;
            for (int j = 0; j < k && h.d2[j] == 0.0; j++) s += m->y[h.row[j]], c++;
            out[i] = s / c;
        } else {
            double s = 0, w = 0;
            for (int j = 0; j < k; j++) {
                double wj = 1.0 / sqrt(h.d2[j]);
                s += wj * m->y[h.row[j]];
                w += wj;
            }
            out[i] = s / w;
        }
    }
    heap_free(&h);
    return DQ_OK;
}

dq_status dq_knn_query(const dq_regressor *r, const double *xq, int64_t mq, int64_t *idx,
                       double *dist, dq_error *err) {
    if (r->def.kind != DQ_REG_KNN || !r->impl)
        return dq_fail(err, DQ_EINVAL, "knn_query: needs a fitted knn regressor");
    const knn_model *m = r->impl;
    int k = r->def.k, d = m->d;
    heap h;
    if (heap_init(&h, k)) return dq_fail(err, DQ_ENOMEM, "knn: out of memory");
    for (int64_t i = 0; i < mq; i++) {
        query_one(m, xq + i * d, &h);
        for (int j = 0; j < k; j++) {
            idx[i * k + j] = h.row[j];
            if (dist) dist[i * k + j] = sqrt(h.d2[j]);
        }
    }
    heap_free(&h);
    return DQ_OK;
}

dq_status dq_knn_set_targets(dq_regressor *r, const double *y, int64_t n, dq_error *err) {
    knn_model *m = r->impl;
    if (r->def.kind != DQ_REG_KNN || !m)
        return dq_fail(err, DQ_EINVAL, "knn_set_targets: needs a fitted knn regressor");
    if (n != m->n)
        return dq_fail(err, DQ_EINVAL, "knn_set_targets: %lld targets for %lld rows",
                       (long long)n, (long long)m->n);
    memcpy(m->y, y, (size_t)n * sizeof *y);
    return DQ_OK;
}

const dq_regressor_ops dq_knn_ops = {knn_fit, knn_predict, knn_free};
