/* sumtree.c — the sum-tree / min-tree over replay priorities (see deepq/per.h).
 *
 * Power-of-two array layout (root = node 1, leaf i = node leaves + i). Updates recompute each
 * ancestor from its two children, so sums never drift: after any sequence of updates the tree is
 * bit-identical to one rebuilt from the leaves. The min-tree ignores zero priorities (a slot of
 * priority 0 is never sampled, so it must not set the largest importance weight). */
#include "deepq/per.h"

#include <math.h>
#include <stdlib.h>

dq_status dq_sumtree_init(dq_sumtree *t, int64_t capacity, dq_error *err) {
    t->sum = t->min = NULL;
    t->capacity = t->leaves = 0;
    if (capacity <= 0 || capacity > ((int64_t)1 << 40))
        return dq_fail(err, DQ_EINVAL, "sum-tree: capacity %lld must be in [1, 2^40]",
                       (long long)capacity);
    int64_t leaves = 1;
    while (leaves < capacity) leaves <<= 1;
    t->sum = malloc((size_t)(2 * leaves) * sizeof(double));
    t->min = malloc((size_t)(2 * leaves) * sizeof(double));
    if (!t->sum || !t->min) {
        dq_sumtree_free(t);
        return dq_fail(err, DQ_ENOMEM, "sum-tree: out of memory for %lld slots",
                       (long long)capacity);
    }
    t->capacity = capacity;
    t->leaves = leaves;
    dq_sumtree_clear(t);
    return DQ_OK;
}

void dq_sumtree_free(dq_sumtree *t) {
    if (!t) return;
    free(t->sum);
    free(t->min);
    t->sum = t->min = NULL;
}

void dq_sumtree_clear(dq_sumtree *t) {
    for (int64_t k = 0; k < 2 * t->leaves; k++) {
        t->sum[k] = 0.0;
        t->min[k] = INFINITY;
    }
}

void dq_sumtree_set(dq_sumtree *t, int64_t i, double p) {
    int64_t k = t->leaves + i;
    t->sum[k] = p;
    t->min[k] = p > 0.0 ? p : INFINITY;
    for (k >>= 1; k >= 1; k >>= 1) {
        const double *s = t->sum, *m = t->min;
        t->sum[k] = s[2 * k] + s[2 * k + 1];
        t->min[k] = m[2 * k] < m[2 * k + 1] ? m[2 * k] : m[2 * k + 1];
    }
}

double dq_sumtree_get(const dq_sumtree *t, int64_t i) { return t->sum[t->leaves + i]; }

double dq_sumtree_total(const dq_sumtree *t) { return t->sum[1]; }

double dq_sumtree_min(const dq_sumtree *t) { return t->min[1]; }

int64_t dq_sumtree_find(const dq_sumtree *t, double u) {
    const double *s = t->sum;
    int64_t k = 1;
    while (k < t->leaves) {
        const double l = s[2 * k], r = s[2 * k + 1];
        /* Go left when u falls in the left mass, or when the right subtree is empty (u can
         * reach the right end through rounding); go right only into positive mass. */
        if ((u < l && l > 0.0) || r <= 0.0) {
            k = 2 * k;
        } else {
            u -= l;
            k = 2 * k + 1;
        }
    }
    return k - t->leaves;
}

dq_status dq_sumtree_sample(const dq_sumtree *t, dq_rng *rng, int B, int64_t *idx,
                            dq_error *err) {
    const double total = t->sum[1];
    if (!(total > 0.0))
        return dq_fail(err, DQ_EINVAL, "sum-tree: cannot sample, all priorities are 0");
    const double seg = total / B;
    for (int k = 0; k < B; k++) {
        double u = ((double)k + dq_rng_uniform(rng)) * seg;
        if (u >= total) u = nextafter(total, 0.0);
        idx[k] = dq_sumtree_find(t, u);
    }
    return DQ_OK;
}
