/* per.c — proportional prioritized replay on top of the sum-tree (see deepq/per.h).
 *
 * Leaves hold p^alpha with p = |TD| + eps; new slots get max_priority^alpha where max_priority
 * is the largest p ever given (1 before the first update, as Schaul et al. and OpenAI
 * baselines). Importance weights are normalised by their maximum, which belongs to the smallest
 * positive leaf: w_k = (p_k / p_min)^-beta — the size * total factors cancel. */
#include "deepq/per.h"

#include <math.h>

dq_per_def dq_per_def_default(void) {
    dq_per_def d = {.alpha = 0.6, .beta0 = 0.4, .eps = 1e-6};
    return d;
}

dq_status dq_per_init(dq_per *p, const dq_per_def *def, int64_t capacity, dq_error *err) {
    p->tree.sum = p->tree.min = NULL;
    if (!(def->alpha >= 0.0 && def->alpha <= 10.0))
        return dq_fail(err, DQ_EINVAL, "per_alpha: %g must be in [0, 10]", def->alpha);
    if (!(def->beta0 >= 0.0 && def->beta0 <= 1.0))
        return dq_fail(err, DQ_EINVAL, "per_beta0: %g must be in [0, 1]", def->beta0);
    if (!(def->eps > 0.0 && def->eps < 1e3))
        return dq_fail(err, DQ_EINVAL, "per_eps: %g must be > 0 (and < 1000)", def->eps);
    p->def = *def;
    p->max_priority = 1.0;
    return dq_sumtree_init(&p->tree, capacity, err);
}

void dq_per_free(dq_per *p) {
    if (!p) return;
    dq_sumtree_free(&p->tree);
}

void dq_per_add(dq_per *p, int64_t slot) {
    const double a = p->def.alpha;
    dq_sumtree_set(&p->tree, slot, a == 0.5 ? sqrt(p->max_priority) : pow(p->max_priority, a));
}

double dq_per_beta(const dq_per_def *def, int64_t step, int64_t total_steps) {
    double f = total_steps > 0 ? (double)step / (double)total_steps : 1.0;
    if (f > 1.0) f = 1.0;
    if (f < 0.0) f = 0.0;
    return def->beta0 + (1.0 - def->beta0) * f;
}

dq_status dq_per_sample(const dq_per *p, dq_rng *rng, int B, double beta, int64_t *idx,
                        float *weight, dq_error *err) {
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
            pa[k] = p->def.alpha == 0.5 ? sqrt(pr) : pow(pr, p->def.alpha);
        }
        dq_sumtree_set_many(&p->tree, idx + k0, pa, n);
    }
}
