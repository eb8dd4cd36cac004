/* deepq/per.h — prioritized experience replay (Schaul et al. 2016): the proportional variant
 * (a sum-tree + min-tree over priorities) and the rank-based variant (a max-heap over
 * priorities, re-sorted periodically, with P(rank r) = r^-alpha / sum_k k^-alpha), and the
 * sampling / weighting / update logic shared by both.
 *
 * The trees do not store transitions: leaf i is the priority of replay slot i of whatever ring
 * buffer holds the data (dq_replay, a custom one). So PER composes with any storage: the agent
 * calls dq_per_add(slot) for every transition it writes, dq_per_sample to draw slots plus
 * importance weights, gathers those slots from its ring, and dq_per_update with the TD errors.
 *
 * Numerics: priorities and every internal node are float64. A node is always RECOMPUTED as the
 * sum of its children in a fixed order (never adjusted by a delta), so the tree after any
 * sequence of updates equals, bit for bit, the tree built from scratch over the same leaves — no
 * drift. Compared with a sequential float64 sum the root differs only by tree-summation
 * rounding (relative ~1e-16 * depth * 8).
 *
 * Usage:
 *   dq_per_def d = dq_per_def_default();      (alpha 0.6, beta0 0.4, eps 1e-6)
 *   dq_per per; dq_per_init(&per, &d, capacity, &err);
 *   per step:   slot = ...; dq_per_add(&per, slot);
 *   per update: beta = dq_per_beta(&d, step, total_steps);
 *               dq_per_sample(&per, &rng, B, size, beta, idx, weight, &err);
 *               ... loss weighted by weight[i], TD errors td[i] ...
 *               dq_per_update(&per, idx, td, B);
 *   dq_per_free(&per); */
#ifndef DEEPQ_PER_H
#define DEEPQ_PER_H

#include "deepq/common.h"
#include "deepq/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sum-tree / min-tree ---------------------------------------------------------------- */

/* An 8-ary tree stored level by level (root = level 0, leaves = level `depth`): the 8 children
 * of node k of level d are nodes 8k..8k+7 of level d+1, contiguous and 64-byte aligned, so a
 * descent or an update touches one cache line per level (6 levels for 100k slots, 7 for 1M,
 * instead of 17/20 for a binary tree). Padding slots hold 0 (sum) and +inf (min). */
#define DQ_SUMTREE_FANOUT 8
#define DQ_SUMTREE_MAX_DEPTH 22
typedef struct dq_sumtree {
    int64_t capacity;                         /* leaves in use (slots) */
    int depth;                                /* levels below the root */
    int64_t level_off[DQ_SUMTREE_MAX_DEPTH + 1]; /* first node of level d in sum/min */
    int64_t n_nodes;                          /* allocated nodes, all levels */
    double *sum; /* [n_nodes] subtree sums of priorities */
    double *min; /* [n_nodes] subtree minima of the POSITIVE priorities (+inf if none) */
} dq_sumtree;

/* Allocate a tree of `capacity` slots, all priorities 0. */
DQ_API dq_status dq_sumtree_init(dq_sumtree *t, int64_t capacity, dq_error *err);
/* Release the arrays (NULL-safe; t itself is the caller's). */
DQ_API void dq_sumtree_free(dq_sumtree *t);
/* Set every priority to 0. */
DQ_API void dq_sumtree_clear(dq_sumtree *t);
/* Set priority of slot i (0 <= i < capacity) to p >= 0 (finite); O(log n). */
DQ_API void dq_sumtree_set(dq_sumtree *t, int64_t i, double p);
/* Set n priorities at once (idx may repeat: the last value wins, as sequential sets); the
 * resulting tree is bit-identical to n dq_sumtree_set calls, computed level by level. */
DQ_API void dq_sumtree_set_many(dq_sumtree *t, const int64_t *idx /*[n]*/, const double *p /*[n]*/,
                         int n);
/* Priority of slot i. */
DQ_API double dq_sumtree_get(const dq_sumtree *t, int64_t i);
/* Sum of all priorities. */
DQ_API double dq_sumtree_total(const dq_sumtree *t);
/* Smallest positive priority (+inf when all are 0). */
DQ_API double dq_sumtree_min(const dq_sumtree *t);
/* Slot i whose prefix interval [sum_{j<i} p_j, sum_{j<=i} p_j) holds u (0 <= u < total).
 * Never returns a slot of priority 0 (rounding at interval ends goes to a positive neighbour);
 * total must be > 0. */
DQ_API int64_t dq_sumtree_find(const dq_sumtree *t, double u);
/* Stratified batch: idx[k] = find((k + U_k) * total / B), U_k uniform in [0,1) from rng.
 * DQ_EINVAL when total is 0. */
DQ_API dq_status dq_sumtree_sample(const dq_sumtree *t, dq_rng *rng, int B, int64_t *idx /*[B]*/,
                            dq_error *err);

/* ---- proportional prioritized replay ---------------------------------------------------- */

typedef struct dq_per_def {
    double alpha; /* priority exponent: P(i) = p_i^alpha / sum p^alpha (0.6; 0 = uniform);
                     rank-based: P(i) = rank_i^-alpha / sum_k k^-alpha */
    double beta0; /* importance-sampling exponent at step 0, annealed linearly to 1 (0.4) */
    double eps;   /* added to |TD error| so no transition gets priority 0 (1e-6) */
    bool rank_based;       /* the rank-based variant instead of the proportional one [false] */
    int64_t sort_interval; /* rank-based: fully re-sort the heap every this many dq_per_update
                              calls (between sorts the heap order approximates the ranks, as in
                              the paper); 0 = the capacity, so a sort costs O(log n) per update
                              amortised [0] */
} dq_per_def;

/* Defaults: alpha 0.6, beta0 0.4, eps 1e-6 (Schaul et al.'s proportional values / SB3-contrib),
 * proportional, sort_interval 0 (= capacity). */
DQ_API dq_per_def dq_per_def_default(void);

typedef struct dq_per {
    dq_per_def def;
    dq_sumtree tree;     /* proportional: leaves hold p_i^alpha (unallocated when rank-based) */
    double max_priority; /* largest |TD|+eps seen so far (1 at start); new slots get it */
    /* rank-based only (NULL otherwise): heap position k stands for rank k + 1 */
    int64_t capacity;
    int64_t n;          /* slots holding a priority */
    int64_t since_sort; /* dq_per_update calls since the last full sort */
    int64_t *heap;      /* [capacity] slots, max-heap on key (sorted right after a sort) */
    double *hkey;       /* [capacity] priority |TD| + eps of the slot at each heap position */
    int64_t *hpos;      /* [capacity] heap position of each slot, -1 if it has none */
    double *cdf;        /* [capacity + 1] cdf[r] = sum_{k <= r} k^-alpha, cdf[0] = 0 */
    double *cdf_block;  /* [capacity / 64 + 1] cdf[64 j]: the coarse index searched first */
} dq_per;

/* Allocate for a ring of `capacity` slots; DQ_EINVAL on bad alpha/beta0/eps. */
DQ_API dq_status dq_per_init(dq_per *p, const dq_per_def *def, int64_t capacity, dq_error *err);
/* Release (NULL-safe). */
DQ_API void dq_per_free(dq_per *p);
/* Slot `slot` was just (over)written: give it the current maximum priority. */
DQ_API void dq_per_add(dq_per *p, int64_t slot);
/* beta at `step` of `total_steps`: beta0 + (1 - beta0) * min(1, step / total_steps). */
DQ_API double dq_per_beta(const dq_per_def *def, int64_t step, int64_t total_steps);
/* Draw B slots by stratified proportional sampling and their importance weights
 * weight[k] = (N * P(idx_k))^-beta / max_j (N * P(j))^-beta = (p_k / p_min)^-beta, all in
 * (0, 1], N = slots holding a priority (only slots that were added carry one; the N factors
 * cancel). DQ_EINVAL when nothing has been added. */
DQ_API dq_status dq_per_sample(const dq_per *p, dq_rng *rng, int B, double beta, int64_t *idx /*[B]*/,
                        float *weight /*[B]*/, dq_error *err);
/* After a learning step: priority of idx[k] becomes (|td[k]| + eps)^alpha (rank-based: its key
 * becomes |td[k]| + eps and it moves in the heap); updates max. */
DQ_API void dq_per_update(dq_per *p, const int64_t *idx /*[B]*/, const float *td /*[B]*/, int B);
/* Rank-based: sort the heap by key, descending (ties: lower slot first), so heap position =
 * exact rank - 1. dq_per_update calls it every sort_interval updates; no-op if proportional. */
DQ_API void dq_per_sort(dq_per *p);
/* Rank-based: the priority |TD| + eps of a slot (0 if it has none). */
DQ_API double dq_per_rank_key(const dq_per *p, int64_t slot);
/* Rank-based: rebuild from saved state: key[slot] for slots 0..n-1 (every slot below n holds
 * one, as a ring that has not wrapped or has) and the heap order order[n] (a permutation of
 * 0..n-1 in heap layout, as p->heap was). DQ_EINVAL if order is not such a heap. */
DQ_API dq_status dq_per_rank_restore(dq_per *p, int64_t n, const double *key /*[n]*/,
                              const int64_t *order /*[n]*/, int64_t since_sort, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
