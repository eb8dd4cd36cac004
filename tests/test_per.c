/* test_per.c — the sum-tree / min-tree and proportional prioritized replay: sampled
 * frequencies match priorities (chi-square), sums stay exact after many updates, zero
 * priorities are never drawn, the ring wraps around, weights and beta follow the formulas.
 * Rank-based PER: the heap invariant under adds / updates / ring overwrites, exact ranks after
 * a sort, rank frequencies r^-alpha (chi-square), weights (r / n)^(alpha beta), restore. */
#include "deepq/per.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

/* Rebuild every internal node from the leaves (children summed in index order, as the tree
 * promises) and compare bit for bit. */
static int tree_is_exact(const dq_sumtree *t) {
    for (int d = t->depth - 1; d >= 0; d--) {
        const int64_t end = d + 1 == t->depth ? t->n_nodes : t->level_off[d + 2];
        const int64_t n = (end - t->level_off[d + 1]) / DQ_SUMTREE_FANOUT; /* child blocks */
        for (int64_t k = 0; k < n; k++) {
            const double *cs = t->sum + t->level_off[d + 1] + k * DQ_SUMTREE_FANOUT;
            const double *cm = t->min + t->level_off[d + 1] + k * DQ_SUMTREE_FANOUT;
            double s = cs[0], m = cm[0];
            for (int j = 1; j < DQ_SUMTREE_FANOUT; j++) {
                s += cs[j];
                m = cm[j] < m ? cm[j] : m;
            }
            if (s != t->sum[t->level_off[d] + k] || m != t->min[t->level_off[d] + k]) return 0;
        }
    }
    return 1;
}

/* Pearson chi-square of counts against probabilities prop to p over the positive slots. */
static double chi_square(const int64_t *count, const double *p, int n, int64_t draws, int *df) {
    double total = 0, chi = 0;
    int k = 0;
    for (int i = 0; i < n; i++) total += p[i];
    for (int i = 0; i < n; i++) {
        if (p[i] <= 0) continue;
        double e = (double)draws * p[i] / total;
        chi += (count[i] - e) * (count[i] - e) / e;
        k++;
    }
    *df = k - 1;
    return chi;
}

static void test_sampling_frequencies(void) {
    enum { N = 300 };
    dq_sumtree t;
    CHECK_OK(dq_sumtree_init(&t, N, NULL));
    CHECK(t.depth == 3); /* 300 -> 38 -> 5 -> 1 */
    dq_rng r;
    dq_rng_seed(&r, 11);
    double p[N];
    for (int i = 0; i < N; i++) {
        /* a spread of magnitudes, and every 7th slot at zero */
        p[i] = (i % 7 == 3) ? 0.0 : 0.05 + dq_rng_uniform(&r) * (1 + i % 5) * (1 + i % 5);
        dq_sumtree_set(&t, i, p[i]);
    }
    int64_t count[N], idx[64];
    const int64_t draws = 400000;

    /* Plain prefix-sum sampling: multinomial, so chi-square ~ df; accept within df +- 5 sd. */
    memset(count, 0, sizeof count);
    const double total = dq_sumtree_total(&t);
    for (int64_t d = 0; d < draws; d++) count[dq_sumtree_find(&t, dq_rng_uniform(&r) * total)]++;
    int df;
    double chi = chi_square(count, p, N, draws, &df);
    const double sd5 = 5 * sqrt(2.0 * df);
    CHECK_MSG(chi < df + sd5 && chi > df - sd5, "chi %g df %d", chi, df);
    int zero_hits = 0;
    for (int i = 0; i < N; i++) zero_hits += p[i] == 0.0 ? (int)count[i] : 0;
    CHECK(zero_hits == 0);

    /* Stratified batches: less variance than multinomial, so only the upper bound holds. */
    memset(count, 0, sizeof count);
    for (int64_t d = 0; d < draws / 64; d++) {
        CHECK_OK(dq_sumtree_sample(&t, &r, 64, idx, NULL));
        for (int k = 0; k < 64; k++) count[idx[k]]++;
    }
    chi = chi_square(count, p, N, (draws / 64) * 64, &df);
    CHECK_MSG(chi < df + 5 * sqrt(2.0 * df), "stratified chi %g df %d", chi, df);
    zero_hits = 0;
    for (int i = 0; i < N; i++) zero_hits += p[i] == 0.0 ? (int)count[i] : 0;
    CHECK(zero_hits == 0);

    /* Interval ends: u = 0 and u just below the total land on positive slots. */
    CHECK(p[dq_sumtree_find(&t, 0.0)] > 0);
    CHECK(p[dq_sumtree_find(&t, nextafter(dq_sumtree_total(&t), 0))] > 0);
    CHECK(p[dq_sumtree_find(&t, dq_sumtree_total(&t) * 2)] > 0); /* even past the end */
    dq_sumtree_free(&t);
}

static void test_zero_neighbours(void) {
    /* Only slot 5 of 8 positive, tiny: every u lands there, including rounding-edge values. */
    dq_sumtree t;
    CHECK_OK(dq_sumtree_init(&t, 8, NULL));
    dq_sumtree_set(&t, 5, 1e-300);
    CHECK(dq_sumtree_find(&t, 0.0) == 5);
    CHECK(dq_sumtree_find(&t, 1e-300) == 5);
    CHECK(dq_sumtree_find(&t, 1.0) == 5);
    dq_sumtree_set(&t, 5, 0.0);
    CHECK(dq_sumtree_total(&t) == 0.0);
    CHECK(isinf(dq_sumtree_min(&t)));
    dq_rng r;
    dq_rng_seed(&r, 1);
    int64_t idx[4];
    dq_error err;
    CHECK(dq_sumtree_sample(&t, &r, 4, idx, &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "priorities are 0") != NULL);
    dq_sumtree_free(&t);

    /* A single slot. */
    CHECK_OK(dq_sumtree_init(&t, 1, NULL));
    dq_sumtree_set(&t, 0, 2.5);
    CHECK(dq_sumtree_total(&t) == 2.5 && dq_sumtree_find(&t, 2.0) == 0 && tree_is_exact(&t));
    dq_sumtree_free(&t);
}

static void test_exact_sums(void) {
    enum { N = 1000 };
    dq_sumtree t;
    CHECK_OK(dq_sumtree_init(&t, N, NULL));
    dq_rng r;
    dq_rng_seed(&r, 5);
    double p[N] = {0};
    for (int it = 0; it < 200000; it++) {
        int i = (int)dq_rng_below(&r, N);
        /* magnitudes from 1e-8 to 1e4, sometimes zero: the hard case for incremental sums */
        double v = dq_rng_uniform(&r) < 0.05 ? 0.0 : pow(10.0, -8 + 12 * dq_rng_uniform(&r));
        p[i] = v;
        dq_sumtree_set(&t, i, v);
    }
    CHECK(tree_is_exact(&t));
    long double ref = 0;
    double mn = INFINITY;
    for (int i = 0; i < N; i++) {
        ref += p[i];
        if (p[i] > 0 && p[i] < mn) mn = p[i];
        CHECK(dq_sumtree_get(&t, i) == p[i]);
    }
    CHECK_NEAR(dq_sumtree_total(&t) / (double)ref, 1.0, 1e-13);
    CHECK(dq_sumtree_min(&t) == mn);

    /* Batched updates (with repeated slots, last one wins) leave the same tree bit for bit as
     * sequential ones; batched sampling equals per-sample find with the same uniforms. */
    dq_sumtree t2;
    CHECK_OK(dq_sumtree_init(&t2, N, NULL));
    for (int i = 0; i < N; i++) dq_sumtree_set(&t2, i, p[i]);
    for (int rep = 0; rep < 200; rep++) {
        int64_t idx[300];
        double v[300];
        for (int k = 0; k < 300; k++) {
            idx[k] = (int64_t)dq_rng_below(&r, k % 3 ? N : 8); /* many repeats among 0..7 */
            v[k] = dq_rng_uniform(&r) < 0.1 ? 0.0 : dq_rng_uniform(&r) * 5;
            dq_sumtree_set(&t, idx[k], v[k]);
        }
        dq_sumtree_set_many(&t2, idx, v, 300);
    }
    CHECK(memcmp(t.sum, t2.sum, (size_t)t.n_nodes * sizeof(double)) == 0);
    CHECK(memcmp(t.min, t2.min, (size_t)t.n_nodes * sizeof(double)) == 0);
    CHECK(tree_is_exact(&t2));
    {
        int64_t got[100];
        dq_rng a = r, b = r;
        CHECK_OK(dq_sumtree_sample(&t2, &a, 100, got, NULL));
        const double seg = dq_sumtree_total(&t2) / 100;
        int same = 1;
        for (int k = 0; k < 100; k++) {
            double u = ((double)k + dq_rng_uniform(&b)) * seg;
            same &= got[k] == dq_sumtree_find(&t2, u);
        }
        CHECK(same);
    }
    dq_sumtree_free(&t2);
    dq_sumtree_free(&t);

    dq_error err;
    CHECK(dq_sumtree_init(&t, 0, &err) == DQ_EINVAL);
    dq_sumtree_free(&t); /* safe after a failed init */
}

static void test_per_logic(void) {
    dq_per_def d = dq_per_def_default();
    CHECK(d.alpha == 0.6 && d.beta0 == 0.4 && d.eps == 1e-6);
    CHECK_NEAR(dq_per_beta(&d, 0, 1000), 0.4, 1e-15);
    CHECK_NEAR(dq_per_beta(&d, 500, 1000), 0.7, 1e-15);
    CHECK_NEAR(dq_per_beta(&d, 5000, 1000), 1.0, 1e-15);

    dq_per per;
    dq_error err;
    dq_per_def bad = d;
    bad.eps = 0;
    CHECK(dq_per_init(&per, &bad, 10, &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "per_eps") != NULL);

    enum { CAP = 10 };
    CHECK_OK(dq_per_init(&per, &d, CAP, NULL));
    dq_rng r;
    dq_rng_seed(&r, 3);
    int64_t idx[8];
    float w[8];
    CHECK(dq_per_sample(&per, &r, 8, 0.4, idx, w, &err) == DQ_EINVAL); /* empty */

    /* First slots arrive at max priority 1 -> leaf 1^alpha = 1, uniform weights 1. */
    for (int s = 0; s < 4; s++) dq_per_add(&per, s);
    CHECK_NEAR(dq_sumtree_total(&per.tree), 4.0, 0);
    CHECK_OK(dq_per_sample(&per, &r, 8, 0.4, idx, w, NULL));
    for (int k = 0; k < 8; k++) CHECK(idx[k] >= 0 && idx[k] < 4 && w[k] == 1.0f);

    /* Update with TD errors: leaf = (|td| + eps)^alpha, max priority follows. */
    int64_t ui[4] = {0, 1, 2, 3};
    float td[4] = {0.5f, -3.0f, 0.0f, 1.5f};
    dq_per_update(&per, ui, td, 4);
    CHECK_NEAR(dq_sumtree_get(&per.tree, 1), pow(3.0 + 1e-6, 0.6), 1e-12);
    CHECK_NEAR(dq_sumtree_get(&per.tree, 2), pow(1e-6, 0.6), 1e-18);
    CHECK_NEAR(per.max_priority, 3.0 + 1e-6, 1e-12);
    dq_per_add(&per, 4); /* new slot at the current max */
    CHECK(dq_sumtree_get(&per.tree, 4) == dq_sumtree_get(&per.tree, 1));

    /* Weights (p_k / p_min)^-beta: slot 2 has p_min so weight 1, others below. */
    const double beta = 0.7, pmin = pow(1e-6, 0.6);
    for (int rep = 0; rep < 50; rep++) {
        CHECK_OK(dq_per_sample(&per, &r, 8, beta, idx, w, NULL));
        for (int k = 0; k < 8; k++) {
            double expect = pow(dq_sumtree_get(&per.tree, idx[k]) / pmin, -beta);
            CHECK_NEAR(w[k], expect, 1e-6 * expect + 1e-30);
            CHECK(w[k] > 0 && w[k] <= 1.0f);
            CHECK(idx[k] <= 4);
        }
    }
    /* Equivalent formula with N * P(i) normalised by its max. */
    {
        const double tot = dq_sumtree_total(&per.tree), n = 5;
        double wmax = pow(n * pmin / tot, -beta);
        double w1 = pow(n * dq_sumtree_get(&per.tree, 1) / tot, -beta) / wmax;
        CHECK_NEAR(w1, pow(dq_sumtree_get(&per.tree, 1) / pmin, -beta), 1e-12);
    }

    /* A NaN TD keeps the tree finite (priority falls back to the max). */
    float nan_td = NAN;
    int64_t one = 3;
    dq_per_update(&per, &one, &nan_td, 1);
    CHECK(isfinite(dq_sumtree_total(&per.tree)));

    /* Full-ring wrap-around: keep writing slot n % CAP; the tree sums exactly the CAP live
     * priorities and overwritten slots restart at the max priority. */
    for (int n = 5; n < 37; n++) {
        int64_t s = n % CAP;
        dq_per_add(&per, s);
        float t1 = (float)(0.1 * (n % 4));
        dq_per_update(&per, &s, &t1, 1);
    }
    double brute = 0;
    for (int s = 0; s < CAP; s++) brute += dq_sumtree_get(&per.tree, s);
    CHECK_NEAR(dq_sumtree_total(&per.tree), brute, 1e-12);
    CHECK(tree_is_exact(&per.tree));
    dq_per_add(&per, 7);
    CHECK_NEAR(dq_sumtree_get(&per.tree, 7), pow(per.max_priority, 0.6), 1e-15);
    for (int rep = 0; rep < 20; rep++) {
        CHECK_OK(dq_per_sample(&per, &r, 8, 1.0, idx, w, NULL));
        for (int k = 0; k < 8; k++) CHECK(idx[k] >= 0 && idx[k] < CAP);
    }
    dq_per_free(&per);
    dq_per_free(NULL);
}

/* every parent ranks at or above its children, and hpos inverts heap */
static int heap_ok(const dq_per *p) {
    for (int64_t k = 0; k < p->n; k++) {
        if (p->hpos[p->heap[k]] != k || dq_per_rank_key(p, p->heap[k]) != p->hkey[k]) return 0;
        if (k > 0 && p->hkey[k] > p->hkey[(k - 1) / 2]) return 0;
    }
    return 1;
}

static void test_rank_based(void) {
    enum { CAP = 50, B = 32 };
    dq_per_def d = dq_per_def_default();
    d.rank_based = true;
    d.alpha = 0.7;
    d.sort_interval = 1000000; /* sorts only when asked, first */
    dq_per per;
    dq_error err;
    dq_rng r;
    dq_rng_seed(&r, 5);
    int64_t idx[B];
    float w[B], td[B];
    CHECK_OK(dq_per_init(&per, &d, CAP, NULL));
    CHECK(dq_per_sample(&per, &r, B, 0.5, idx, w, &err) == DQ_EINVAL); /* empty */
    CHECK_NEAR(per.cdf[3], 1 + pow(2, -0.7) + pow(3, -0.7), 1e-15);
    /* fill past capacity (ring overwrites re-add slots) with random TD updates in between */
    for (int64_t t = 0; t < 3 * CAP; t++) {
        dq_per_add(&per, t % CAP);
        CHECK(dq_per_rank_key(&per, t % CAP) == per.max_priority);
        if (t % 3 == 2) {
            const int64_t n = per.n < B ? per.n : B;
            CHECK_OK(dq_per_sample(&per, &r, (int)n, 0.5, idx, w, NULL));
            for (int k = 0; k < n; k++) td[k] = (float)(dq_rng_normal(&r) * 0.3);
            dq_per_update(&per, idx, td, (int)n);
        }
        CHECK(heap_ok(&per));
    }
    CHECK(per.n == CAP);
    dq_per_sort(&per);
    for (int64_t k = 1; k < CAP; k++) CHECK(per.hkey[k] <= per.hkey[k - 1]);
    CHECK(heap_ok(&per) && per.since_sort == 0);
    /* rank frequencies: stratified batches over rank probabilities r^-alpha */
    int64_t count[CAP];
    double pr[CAP];
    memset(count, 0, sizeof count);
    for (int k = 0; k < CAP; k++) pr[k] = pow(k + 1, -d.alpha);
    const int64_t rounds = 20000;
    for (int64_t i = 0; i < rounds; i++) {
        CHECK_OK(dq_per_sample(&per, &r, B, 0.6, idx, w, NULL));
        for (int k = 0; k < B; k++) {
            const int64_t rank = per.hpos[idx[k]] + 1;
            count[rank - 1]++;
            /* weight of rank r = (r / n)^(alpha beta), 1 at the last rank */
            CHECK_NEAR(w[k], pow((double)rank / CAP, d.alpha * 0.6), 1e-6);
        }
    }
    int df;
    double chi = chi_square(count, pr, CAP, rounds * B, &df);
    CHECK_MSG(chi < df + 5 * sqrt(2.0 * df), "rank chi %g df %d", chi, df);
    CHECK(count[0] > count[CAP - 1] * 10); /* rank 1 vs rank 50: 50^0.7 = 15.5x */
    /* updates keep the heap; an update to the largest key moves that slot to the top */
    idx[0] = 17;
    td[0] = (float)(per.max_priority * 2);
    dq_per_update(&per, idx, td, 1);
    CHECK(per.heap[0] == 17 && heap_ok(&per));
    /* restore from (key, heap order) gives the same structure; a non-heap order is refused */
    double keys[CAP];
    int64_t order[CAP];
    for (int i = 0; i < CAP; i++) keys[i] = dq_per_rank_key(&per, i), order[i] = per.heap[i];
    dq_per q;
    CHECK_OK(dq_per_init(&q, &d, CAP, NULL));
    CHECK_OK(dq_per_rank_restore(&q, CAP, keys, order, per.since_sort, NULL));
    CHECK(memcmp(q.heap, per.heap, sizeof order) == 0 && memcmp(q.hpos, per.hpos, sizeof order) == 0);
    const int64_t t0 = order[0];
    order[0] = order[CAP - 1];
    order[CAP - 1] = t0;
    CHECK(dq_per_rank_restore(&q, CAP, keys, order, 0, &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "heap") != NULL);
    /* the periodic sort: sort_interval 1 sorts after every update */
    dq_per_free(&q);
    d.sort_interval = 1;
    CHECK_OK(dq_per_init(&q, &d, CAP, NULL));
    for (int s = 0; s < CAP; s++) dq_per_add(&q, s);
    for (int k = 0; k < 8; k++) idx[k] = 5 * k, td[k] = (float)(0.1 * k);
    dq_per_update(&q, idx, td, 8);
    for (int64_t k = 1; k < CAP; k++) CHECK(q.hkey[k] <= q.hkey[k - 1]);
    CHECK(q.heap[CAP - 1] == 0); /* key 1e-6, the smallest */
    dq_per_free(&q);
    /* more slots than one block of the coarse cdf index: every drawn rank is the smallest r
     * with cdf[r] > u, found here by a linear scan from the same uniforms */
    {
        enum { BIG = 1000, NB = 16 };
        d.sort_interval = 0;
        CHECK_OK(dq_per_init(&q, &d, BIG, NULL));
        for (int sl = 0; sl < 999; sl++) dq_per_add(&q, sl); /* n = 999: a partial last block */
        int64_t bi[NB];
        float bw[NB];
        int mism = 0;
        for (int rep = 0; rep < 200; rep++) {
            dq_rng copy = r;
            CHECK_OK(dq_per_sample(&q, &r, NB, 0.5, bi, bw, NULL));
            for (int k = 0; k < NB; k++) {
                const double u = ((double)k + dq_rng_uniform(&copy)) * q.cdf[999] / NB;
                int64_t want = 999;
                for (int64_t rr = 1; rr <= 999; rr++)
                    if (q.cdf[rr] > u) {
                        want = rr;
                        break;
                    }
                mism += q.heap[want - 1] != bi[k];
            }
        }
        CHECK_MSG(mism == 0, "%d ranks differ from the linear scan", mism);
        dq_per_free(&q);
    }
    d.sort_interval = -1;
    CHECK(dq_per_init(&q, &d, CAP, &err) == DQ_EINVAL);
    d.sort_interval = 0; /* the capacity */
    CHECK_OK(dq_per_init(&q, &d, CAP, NULL));
    CHECK(q.def.sort_interval == CAP);
    dq_per_free(&q);
    dq_per_free(&q);
    dq_per_free(&per);
}

int main(void) {
    test_sampling_frequencies();
    test_zero_neighbours();
    test_exact_sums();
    test_per_logic();
    test_rank_based();
    TEST_MAIN_END();
}
