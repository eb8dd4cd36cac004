/* sumtree.c — the sum-tree / min-tree over replay priorities (see deepq/per.h).
 *
 * 8-ary, stored level by level; every level below the root starts on a 64-byte boundary so the
 * 8 children of a node share one cache line. Updates recompute each ancestor as the sum (min)
 * of its 8 children in index order, so sums never drift: after any sequence of updates the tree
 * is bit-identical to one rebuilt from the leaves. The min-tree ignores zero priorities (a slot
 * of priority 0 is never sampled, so it must not set the largest importance weight). */
#include "deepq/per.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { F = DQ_SUMTREE_FANOUT };

dq_status dq_sumtree_init(dq_sumtree *t, int64_t capacity, dq_error *err) {
    memset(t, 0, sizeof *t);
    if (capacity <= 0 || capacity > ((int64_t)1 << 40))
        return dq_fail(err, DQ_EINVAL, "sum-tree: capacity %lld must be in [1, 2^40]",
                       (long long)capacity);
    /* nodes needed per level, leaves up: n(depth) = capacity, n(d) = ceil(n(d+1) / F) */
    int64_t need[DQ_SUMTREE_MAX_DEPTH + 1];
    int depth = 0;
    need[0] = capacity;
    while (need[depth] > 1) {
        need[depth + 1] = (need[depth] + F - 1) / F;
        depth++;
    }
    if (depth == 0) { /* a single slot: keep one level of F children under the root */
        need[1] = 1;
        depth = 1;
    }
    /* level d (root = 0) holds F * n(d-1) nodes so every child block is complete */
    t->depth = depth;
    t->level_off[0] = 0;
    int64_t off = F; /* root alone in the first cache line */
    for (int d = 1; d <= depth; d++) {
        t->level_off[d] = off;
        off += F * need[depth - d + 1];
    }
    t->n_nodes = off;
    const size_t bytes = (size_t)off * sizeof(double); /* off is a multiple of F: 64-byte */
    t->sum = aligned_alloc(64, bytes);
    t->min = aligned_alloc(64, bytes);
    if (!t->sum || !t->min) {
        dq_sumtree_free(t);
        return dq_fail(err, DQ_ENOMEM, "sum-tree: out of memory for %lld slots",
                       (long long)capacity);
    }
    t->capacity = capacity;
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
    for (int64_t k = 0; k < t->n_nodes; k++) {
        t->sum[k] = 0.0;
        t->min[k] = INFINITY;
    }
}

void dq_sumtree_set(dq_sumtree *t, int64_t i, double p) {
    int64_t k = i;
    double *s = t->sum + t->level_off[t->depth], *m = t->min + t->level_off[t->depth];
    s[k] = p;
    m[k] = p > 0.0 ? p : INFINITY;
    for (int d = t->depth - 1; d >= 0; d--) {
        const double *cs = s + (k & ~(int64_t)(F - 1)), *cm = m + (k & ~(int64_t)(F - 1));
        double acc = cs[0], mn = cm[0];
        for (int j = 1; j < F; j++) {
            acc += cs[j];
            mn = cm[j] < mn ? cm[j] : mn;
        }
        k /= F;
        s = t->sum + t->level_off[d];
        m = t->min + t->level_off[d];
        s[k] = acc;
        m[k] = mn;
    }
}

double dq_sumtree_get(const dq_sumtree *t, int64_t i) {
    return t->sum[t->level_off[t->depth] + i];
}

double dq_sumtree_total(const dq_sumtree *t) { return t->sum[0]; }

double dq_sumtree_min(const dq_sumtree *t) { return t->min[0]; }

/* One level of the descent for node k (see dq_sumtree_find). */
static inline int64_t descend(const double *c, int64_t k, double *u) {
    double cum[F];
    cum[0] = c[0];
    for (int j = 1; j < F; j++) cum[j] = cum[j - 1] + c[j];
    int pick = 0;
    for (int j = 0; j < F; j++) pick += cum[j] <= *u;
    if (pick == F) {
        pick = F - 1;
        while (pick > 0 && !(c[pick] > 0.0)) pick--;
        *u = c[pick];
    } else {
        *u -= pick ? cum[pick - 1] : 0.0;
    }
    return k * F + pick;
}

int64_t dq_sumtree_find(const dq_sumtree *t, double u) {
    /* Branch-free per level: with running sums cum_j = c_0 + ... + c_j (the same order as the
     * parent was summed), the child is the number of cum_j <= u. That child has positive mass
     * (cum steps up there); zero-mass children are skipped. u past the end through rounding
     * (pick == F) falls back to the last positive child, at its right edge. */
    int64_t k = 0;
    for (int d = 1; d <= t->depth; d++) k = descend(t->sum + t->level_off[d] + k * F, k, &u);
    return k;
}

dq_status dq_sumtree_sample(const dq_sumtree *t, dq_rng *rng, int B, int64_t *idx,
                            dq_error *err) {
    const double total = t->sum[0];
    if (!(total > 0.0))
        return dq_fail(err, DQ_EINVAL, "sum-tree: cannot sample, all priorities are 0");
    const double seg = total / B;
    enum { CHUNK = 64 };
    double u[CHUNK];
    /* Level-synchronous descent of up to CHUNK samples at once: the loads of different samples
     * are independent, so their cache misses overlap instead of queueing one path at a time.
     * Same result as calling dq_sumtree_find per sample. */
    for (int k0 = 0; k0 < B; k0 += CHUNK) {
        const int n = B - k0 < CHUNK ? B - k0 : CHUNK;
        for (int i = 0; i < n; i++) {
            u[i] = ((double)(k0 + i) + dq_rng_uniform(rng)) * seg;
            if (u[i] >= total) u[i] = nextafter(total, 0.0);
            idx[k0 + i] = 0;
        }
        for (int d = 1; d <= t->depth; d++) {
            const double *lvl = t->sum + t->level_off[d];
            for (int i = 0; i < n; i++) {
                const int64_t k = idx[k0 + i];
                idx[k0 + i] = descend(lvl + k * F, k, &u[i]);
            }
        }
    }
    return DQ_OK;
}

void dq_sumtree_set_many(dq_sumtree *t, const int64_t *idx, const double *p, int n) {
    double *s = t->sum + t->level_off[t->depth], *m = t->min + t->level_off[t->depth];
    for (int i = 0; i < n; i++) {
        s[idx[i]] = p[i];
        m[idx[i]] = p[i] > 0.0 ? p[i] : INFINITY;
    }
    /* Recompute ancestors level by level once all leaves are written: a node shared by several
     * updated leaves is recomputed from final children, so the tree equals the one sequential
     * dq_sumtree_set calls would leave (each node is a function of its leaves only). */
    enum { CHUNK = 256 };
    int64_t k[CHUNK];
    for (int i0 = 0; i0 < n; i0 += CHUNK) {
        const int c = n - i0 < CHUNK ? n - i0 : CHUNK;
        for (int i = 0; i < c; i++) k[i] = idx[i0 + i];
        for (int d = t->depth - 1; d >= 0; d--) {
            const double *cs0 = t->sum + t->level_off[d + 1], *cm0 = t->min + t->level_off[d + 1];
            double *ps = t->sum + t->level_off[d], *pm = t->min + t->level_off[d];
            for (int i = 0; i < c; i++) {
                const int64_t blk = k[i] & ~(int64_t)(F - 1);
                const double *cs = cs0 + blk, *cm = cm0 + blk;
                double acc = cs[0], mn = cm[0];
                for (int j = 1; j < F; j++) {
                    acc += cs[j];
                    mn = cm[j] < mn ? cm[j] : mn;
                }
                k[i] /= F;
                ps[k[i]] = acc;
                pm[k[i]] = mn;
            }
        }
    }
}
