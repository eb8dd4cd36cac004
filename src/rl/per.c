/* per.c — prioritized replay (see deepq/per.h): proportional on the sum-tree, or rank-based on
 * a max-heap.
 *
 * Proportional: leaves hold p^alpha with p = |TD| + eps; new slots get max_priority^alpha where
 * max_priority is the largest p ever given (1 before the first update, as Schaul et al. and
 * OpenAI baselines). Importance weights are normalised by their maximum, which belongs to the
 * smallest positive leaf: w_k = (p_k / p_min)^-beta — the size * total factors cancel.
 *
 * Rank-based (Schaul et al. 2016, section 3.3 and appendix B.2.1): the slots live in a binary
 * max-heap keyed by p; heap position k stands for rank k + 1, which is exact right after a full
 * sort and approximate in between (the paper's "the heap is an approximation of the sorted
 * array"). A rank r is drawn with P(r) = r^-alpha / cdf[n] by stratified sampling over the
 * precomputed cdf (B equal-mass segments, a two-level binary search), so every rank distribution is exact
 * and only the rank -> slot map is approximate. The weight of rank r normalised by the largest
 * (rank n) is (N P(r))^-beta / (N P(n))^-beta = (r / n)^(alpha beta). */
#include "deepq/per.h"

#include <math.h>
#include <stdlib.h>

enum { RANK_BLOCK = 64 }; /* ranks per entry of the coarse cdf index */

dq_per_def dq_per_def_default(void) {
    dq_per_def d = {.alpha = 0.6, .beta0 = 0.4, .eps = 1e-6, .rank_based = false,
                    .sort_interval = 0};
    return d;
}

dq_status dq_per_init(dq_per *p, const dq_per_def *def, int64_t capacity, dq_error *err) {
    p->tree.sum = p->tree.min = NULL;
    p->heap = p->hpos = NULL;
    p->hkey = p->cdf = p->cdf_block = NULL;
    p->n = p->since_sort = 0;
    p->capacity = capacity;
    if (!(def->alpha >= 0.0 && def->alpha <= 10.0))
        return dq_fail(err, DQ_EINVAL, "per_alpha: %g must be in [0, 10]", def->alpha);
    if (!(def->beta0 >= 0.0 && def->beta0 <= 1.0))
        return dq_fail(err, DQ_EINVAL, "per_beta0: %g must be in [0, 1]", def->beta0);
    if (!(def->eps > 0.0 && def->eps < 1e3))
        return dq_fail(err, DQ_EINVAL, "per_eps: %g must be > 0 (and < 1000)", def->eps);
    if (def->rank_based && def->sort_interval < 0)
        return dq_fail(err, DQ_EINVAL, "per sort_interval: %lld must be >= 0 (0 = capacity)",
                       (long long)def->sort_interval);
    if (capacity < 1) return dq_fail(err, DQ_EINVAL, "PER capacity %lld < 1", (long long)capacity);
    p->def = *def;
    if (p->def.sort_interval == 0) p->def.sort_interval = capacity;
    p->max_priority = 1.0;
    if (!def->rank_based) return dq_sumtree_init(&p->tree, capacity, err);
    p->heap = malloc((size_t)capacity * sizeof(int64_t));
    p->hpos = malloc((size_t)capacity * sizeof(int64_t));
    p->hkey = malloc((size_t)capacity * sizeof(double));
    p->cdf = malloc((size_t)(capacity + 1) * sizeof(double));
    p->cdf_block = malloc((size_t)(capacity / RANK_BLOCK + 1) * sizeof(double));
    if (!p->heap || !p->hpos || !p->hkey || !p->cdf || !p->cdf_block) {
        dq_per_free(p);
        return dq_fail(err, DQ_ENOMEM, "out of memory for rank-based PER (%lld slots)",
                       (long long)capacity);
    }
    for (int64_t i = 0; i < capacity; i++) p->hpos[i] = -1;
    p->cdf[0] = 0.0;
    for (int64_t r = 1; r <= capacity; r++) p->cdf[r] = p->cdf[r - 1] + pow((double)r, -def->alpha);
    for (int64_t j = 0; j <= capacity / RANK_BLOCK; j++) p->cdf_block[j] = p->cdf[j * RANK_BLOCK];
    return DQ_OK;
}

void dq_per_free(dq_per *p) {
    if (!p) return;
    dq_sumtree_free(&p->tree);
    free(p->heap);
    free(p->hpos);
    free(p->hkey);
    free(p->cdf);
    free(p->cdf_block);
    p->heap = p->hpos = NULL;
    p->hkey = p->cdf = p->cdf_block = NULL;
}

/* ---- rank-based heap ---- */

/* Slot sa with key ka ranks above the entry at heap position j: larger key, ties to the lower
 * slot (a total order, so sorts are deterministic). Keys sit in heap order (hkey[k] beside heap[k]): a sift reads
 * the parent's or the two children's keys from one or two cache lines, not through the slot. */
static inline int above(const dq_per *p, double ka, int64_t sa, int64_t j) {
    return ka > p->hkey[j] || (ka == p->hkey[j] && sa < p->heap[j]);
}

static inline void heap_put(dq_per *p, int64_t k, int64_t slot, double key) {
    p->heap[k] = slot;
    p->hkey[k] = key;
    p->hpos[slot] = k;
}

static void sift_up(dq_per *p, int64_t k) {
    const int64_t s = p->heap[k];
    const double ks = p->hkey[k];
    while (k > 0) {
        const int64_t up = (k - 1) / 2;
        if (!above(p, ks, s, up)) break;
        heap_put(p, k, p->heap[up], p->hkey[up]);
        k = up;
    }
    heap_put(p, k, s, ks);
}

/* sift position k down within the first n positions */
static void sift_down_n(dq_per *p, int64_t k, int64_t n) {
    const int64_t s = p->heap[k];
    const double ks = p->hkey[k];
    for (;;) {
        int64_t c = 2 * k + 1;
        if (c >= n) break;
        if (c + 1 < n && above(p, p->hkey[c + 1], p->heap[c + 1], c)) c++;
        if (above(p, ks, s, c)) break; /* slots differ, so "not below" is "above" */
        heap_put(p, k, p->heap[c], p->hkey[c]);
        k = c;
    }
    heap_put(p, k, s, ks);
}

static void rank_set(dq_per *p, int64_t slot, double key) {
    int64_t k = p->hpos[slot];
    if (k < 0) k = p->n++;
    heap_put(p, k, slot, key);
    sift_up(p, k);
    sift_down_n(p, p->hpos[slot], p->n);
}

double dq_per_rank_key(const dq_per *p, int64_t slot) {
    const int64_t k = p->hpos ? p->hpos[slot] : -1;
    return k >= 0 ? p->hkey[k] : 0.0;
}

static void swap_pos(dq_per *p, int64_t i, int64_t j) {
    const int64_t s = p->heap[i];
    const double k = p->hkey[i];
    p->heap[i] = p->heap[j], p->hkey[i] = p->hkey[j];
    p->heap[j] = s, p->hkey[j] = k;
}

void dq_per_sort(dq_per *p) {
    if (!p->def.rank_based) return;
    /* heapsort in place (the array is already a max-heap): the top goes to the end, giving
     * ascending order, then one reversal; `above` is a total order, so the result is unique */
    for (int64_t end = p->n - 1; end > 0; end--) {
        swap_pos(p, 0, end);
        sift_down_n(p, 0, end);
    }
    for (int64_t i = 0, j = p->n - 1; i < j; i++, j--) swap_pos(p, i, j);
    for (int64_t k = 0; k < p->n; k++) p->hpos[p->heap[k]] = k; /* sorted = a valid max-heap */
    p->since_sort = 0;
}

dq_status dq_per_rank_restore(dq_per *p, int64_t n, const double *key, const int64_t *order,
                              int64_t since_sort, dq_error *err) {
    if (!p->def.rank_based || n < 0 || n > p->capacity)
        return dq_fail(err, DQ_EINVAL, "PER restore: not rank-based or %lld slots out of range",
                       (long long)n);
    for (int64_t i = 0; i < p->capacity; i++) p->hpos[i] = -1;
    for (int64_t i = 0; i < n; i++) {
        const int64_t s = order[i];
        if (s < 0 || s >= n || p->hpos[s] >= 0 || !(key[s] > 0.0 && isfinite(key[s])))
            return dq_fail(err, DQ_EINVAL, "PER restore: bad key or heap order at %lld",
                           (long long)i);
        heap_put(p, i, s, key[s]);
    }
    p->n = n;
    for (int64_t k = 1; k < n; k++)
        if (above(p, p->hkey[k], p->heap[k], (k - 1) / 2))
            return dq_fail(err, DQ_EINVAL, "PER restore: order is not a max-heap at %lld",
                           (long long)k);
    p->since_sort = since_sort;
    return DQ_OK;
}

/* ---- shared ---- */

void dq_per_add(dq_per *p, int64_t slot) {
    if (p->def.rank_based) {
        rank_set(p, slot, p->max_priority);
        return;
    }
    const double a = p->def.alpha;
    dq_sumtree_set(&p->tree, slot, a == 0.5 ? sqrt(p->max_priority) : pow(p->max_priority, a));
}

double dq_per_beta(const dq_per_def *def, int64_t step, int64_t total_steps) {
    double f = total_steps > 0 ? (double)step / (double)total_steps : 1.0;
    if (f > 1.0) f = 1.0;
    if (f < 0.0) f = 0.0;
    return def->beta0 + (1.0 - def->beta0) * f;
}

static dq_status rank_sample(const dq_per *p, dq_rng *rng, int B, double beta, int64_t *idx,
                             float *weight, dq_error *err) {
    const int64_t n = p->n;
    if (n == 0) return dq_fail(err, DQ_EINVAL, "prioritized replay: nothing to sample");
    const double total = p->cdf[n], ab = p->def.alpha * beta;
    for (int k = 0; k < B; k++) {
        const double u = ((double)k + dq_rng_uniform(rng)) * total / (double)B;
        /* smallest r in [1, n] with cdf[r] > u (n if none): first the block of RANK_BLOCK
         * ranks in the coarse index (cache-resident), then inside the block — the same r as
         * one binary search over cdf, with ~2 cache misses instead of ~log2(n / 8) */
        const int64_t jn = n / RANK_BLOCK;
        int64_t lo = 1, hi = jn + 1;
        while (lo < hi) {
            const int64_t mid = lo + (hi - lo) / 2;
            if (p->cdf_block[mid] > u) hi = mid;
            else lo = mid + 1;
        }
        hi = lo <= jn ? lo * RANK_BLOCK : n;
        lo = (lo - 1) * RANK_BLOCK + 1;
        if (lo > hi) lo = hi;
        while (lo < hi) {
            const int64_t mid = lo + (hi - lo) / 2;
            if (p->cdf[mid] > u) hi = mid;
            else lo = mid + 1;
        }
        idx[k] = p->heap[lo - 1];
        weight[k] = (float)pow((double)lo / (double)n, ab);
    }
    return DQ_OK;
}

dq_status dq_per_sample(const dq_per *p, dq_rng *rng, int B, double beta, int64_t *idx,
                        float *weight, dq_error *err) {
    if (p->def.rank_based) return rank_sample(p, rng, B, beta, idx, weight, err);
    dq_status s = dq_sumtree_sample(&p->tree, rng, B, idx, err);
    if (s != DQ_OK) return s;
    const double pmin = dq_sumtree_min(&p->tree);
    for (int k = 0; k < B; k++) {
        const double pk = dq_sumtree_get(&p->tree, idx[k]);
        weight[k] = (float)pow(pk / pmin, -beta);
    }
    return DQ_OK;
}

void dq_per_update(dq_per *p, const int64_t *idx, const float *td, int B) {
    enum { CHUNK = 256 };
    double pa[CHUNK];
    for (int k0 = 0; k0 < B; k0 += CHUNK) {
        const int n = B - k0 < CHUNK ? B - k0 : CHUNK;
        for (int k = 0; k < n; k++) {
            double pr = fabs((double)td[k0 + k]) + p->def.eps;
            if (!isfinite(pr)) pr = p->max_priority; /* a diverged TD must not poison the tree */
            if (pr > p->max_priority) p->max_priority = pr;
            if (p->def.rank_based) rank_set(p, idx[k0 + k], pr);
            else pa[k] = p->def.alpha == 0.5 ? sqrt(pr) : pow(pr, p->def.alpha);
        }
        if (!p->def.rank_based) dq_sumtree_set_many(&p->tree, idx + k0, pa, n);
    }
    if (p->def.rank_based && ++p->since_sort >= p->def.sort_interval) dq_per_sort(p);
}
