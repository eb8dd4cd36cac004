/* test_regress.c — the regressors of deepq/regress.h against scikit-learn fixtures
 * (tests/ref/make_regress_ref.py): kNN predictions equal KNeighborsRegressor's, linear
 * regression within 1e-8, trees/forests/boosting held-out R^2 within 0.02 of scikit-learn's;
 * plus argument checks, determinism and refitting. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/regress.h"
#include "fixture_txt.h"
#include "test.h"

static double *fit_predict(const dq_regressor_def *def, const fx_array *x, const fx_array *y,
                           const fx_array *q) {
    dq_regressor *r = NULL;
    dq_error err;
    double *out = malloc((size_t)q->rows * sizeof *out);
    CHECK_OK(dq_regressor_create(def, &r, &err));
    CHECK_OK(dq_regressor_fit(r, x->v, y->v, x->rows, x->cols, &err));
    CHECK_OK(dq_regressor_predict(r, q->v, q->rows, out, &err));
    dq_regressor_destroy(r);
    return out;
}

static void test_knn(void) {
    fx_file f;
    CHECK(fx_load(&f, DQ_FIXTURE_DIR "/regress_knn.txt") == 0);
    const fx_array *x = fx_get(&f, "x"), *y = fx_get(&f, "y"), *q = fx_get(&f, "q");
    int ks[] = {1, 5, 30};
    for (int ki = 0; ki < 3; ki++)
        for (int w = 0; w < 2; w++) {
            char name[64];
            snprintf(name, sizeof name, "pred_k%d_%s", ks[ki], w ? "distance" : "uniform");
            const fx_array *ref = fx_get(&f, name);
            dq_regressor_def def = dq_regressor_def_default(DQ_REG_KNN);
            def.k = ks[ki];
            def.distance_weights = w;
            def.leaf_size = 4; /* a deep tree exercises the pruning */
            double *p = fit_predict(&def, x, y, q);
            double worst = 0;
            for (int i = 0; i < q->rows; i++) worst = fmax(worst, fabs(p[i] - ref->v[i]));
            CHECK_MSG(worst <= 1e-12, "%s: max diff %g", name, worst);
            free(p);
        }
    /* brute-force neighbour check of dq_knn_query, ties included (duplicated rows) */
    int n = 200, d = 2, k = 7;
    double *xs = malloc((size_t)n * d * sizeof *xs), *ys = calloc((size_t)n, sizeof *ys);
    dq_rng rng;
    dq_rng_seed(&rng, 5);
    for (int i = 0; i < n * d; i++) xs[i] = (double)dq_rng_int(&rng, 0, 6); /* many ties */
    dq_regressor_def def = dq_regressor_def_default(DQ_REG_KNN);
    def.k = k;
    def.leaf_size = 3;
    dq_regressor *r;
    dq_error err;
    CHECK_OK(dq_regressor_create(&def, &r, &err));
    CHECK_OK(dq_regressor_fit(r, xs, ys, n, d, &err));
    int64_t idx[7];
    double dist[7];
    int bad = 0;
    for (int t = 0; t < 50; t++) {
        double qq[2] = {dq_rng_range(&rng, -1, 7), dq_rng_range(&rng, -1, 7)};
        CHECK_OK(dq_knn_query(r, qq, 1, idx, dist, &err));
        /* reference: sort all rows by (d2, row) with selection */
        char used[200] = {0};
        for (int j = 0; j < k; j++) {
            int best = -1;
            double bd = INFINITY;
            for (int i = 0; i < n; i++) {
                if (used[i]) continue;
                double a = xs[i * 2] - qq[0], b = xs[i * 2 + 1] - qq[1], d2 = a * a + b * b;
                if (d2 < bd) bd = d2, best = i;
            }
            used[best] = 1;
            if (idx[j] != best || fabs(dist[j] - sqrt(bd)) > 1e-12) bad++;
        }
    }
    CHECK_MSG(bad == 0, "%d neighbour mismatches against brute force", bad);
    /* set_targets changes predictions without refitting */
    for (int i = 0; i < n; i++) ys[i] = 2.0;
    CHECK_OK(dq_knn_set_targets(r, ys, n, &err));
    double qq[2] = {1, 1}, out;
    CHECK_OK(dq_regressor_predict(r, qq, 1, &out, &err));
    CHECK_NEAR(out, 2.0, 1e-15);
    CHECK(dq_knn_set_targets(r, ys, n - 1, &err) == DQ_EINVAL);
    dq_regressor_destroy(r);
    free(xs);
    free(ys);
    fx_free(&f);
}

static void test_linear(void) {
    fx_file f;
    CHECK(fx_load(&f, DQ_FIXTURE_DIR "/regress_linear.txt") == 0);
    const fx_array *x = fx_get(&f, "x"), *y = fx_get(&f, "y"), *q = fx_get(&f, "q");
    const char *names[] = {"pred_deg1", "pred_deg1_noint", "pred_deg2", "pred_deg3"};
    int deg[] = {1, 1, 2, 3};
    for (int c = 0; c < 4; c++) {
        dq_regressor_def def = dq_regressor_def_default(DQ_REG_LINEAR);
        def.poly_degree = deg[c];
        def.fit_intercept = c != 1;
        double *p = fit_predict(&def, x, y, q);
        const fx_array *ref = fx_get(&f, names[c]);
        double worst = 0;
        for (int i = 0; i < q->rows; i++) worst = fmax(worst, fabs(p[i] - ref->v[i]));
        CHECK_MSG(worst <= 1e-8, "%s: max diff %g", names[c], worst);
        free(p);
    }
    fx_free(&f);
}

static void test_trees(void) {
    fx_file f;
    CHECK(fx_load(&f, DQ_FIXTURE_DIR "/regress_trees.txt") == 0);
    const fx_array *x = fx_get(&f, "x"), *y = fx_get(&f, "y"), *q = fx_get(&f, "q"),
                   *yq = fx_get(&f, "yq"), *r2 = fx_get(&f, "r2");
    /* same order as the models in make_regress_ref.py */
    dq_regressor_def defs[7];
    defs[0] = dq_regressor_def_default(DQ_REG_TREE);
    defs[0].max_depth = 6;
    defs[1] = dq_regressor_def_default(DQ_REG_TREE);
    defs[1].min_samples_leaf = 10;
    defs[2] = dq_regressor_def_default(DQ_REG_FOREST);
    defs[2].n_estimators = 50;
    defs[3] = defs[2];
    defs[3].max_features = 2;
    defs[4] = dq_regressor_def_default(DQ_REG_EXTRATREES);
    defs[4].n_estimators = 50;
    defs[4].min_samples_leaf = 5;
    defs[5] = dq_regressor_def_default(DQ_REG_GBM);
    defs[6] = defs[5];
    defs[6].subsample = 0.7;
    for (int c = 0; c < 7; c++) {
        defs[c].seed = 11;
        double *p = fit_predict(&defs[c], x, y, q);
        double got = dq_r2_score(yq->v, p, q->rows);
        if (getenv("DQ_VERBOSE")) printf("model %d R2 %.4f sklearn %.4f\n", c, got, r2->v[c]);
        CHECK_MSG(fabs(got - r2->v[c]) <= 0.02, "%s model %d: R2 %.4f vs sklearn %.4f",
                  dq_regressor_kind_name(defs[c].kind), c, got, r2->v[c]);
        /* same seed, same model */
        double *p2 = fit_predict(&defs[c], x, y, q);
        CHECK(memcmp(p, p2, (size_t)q->rows * sizeof *p) == 0);
        free(p);
        free(p2);
    }
    fx_free(&f);
}

static void test_errors(void) {
    dq_error err;
    dq_regressor *r = NULL;
    dq_regressor_def def = dq_regressor_def_default(DQ_REG_KNN);
    def.k = 0;
    CHECK(dq_regressor_create(&def, &r, &err) == DQ_EINVAL && r == NULL);
    def.k = 3;
    CHECK_OK(dq_regressor_create(&def, &r, &err));
    double x[4] = {0, 1, 2, 3}, y[4] = {0, 1, 2, NAN}, out;
    CHECK(dq_regressor_predict(r, x, 1, &out, &err) == DQ_EINVAL); /* not fitted */
    CHECK(dq_regressor_fit(r, x, y, 2, 1, &err) == DQ_EINVAL);     /* k > n */
    CHECK(dq_regressor_fit(r, x, y, 4, 1, &err) == DQ_EINVAL);     /* NaN target */
    CHECK(strstr(err.msg, "y[3]") != NULL);
    dq_regressor_destroy(r);
    dq_regressor_kind kind;
    CHECK(dq_regressor_kind_parse("svm", &kind, &err) == DQ_ENOTFOUND);
    CHECK_OK(dq_regressor_kind_parse("extratrees", &kind, &err));
    CHECK(kind == DQ_REG_EXTRATREES);
    dq_regressor_destroy(NULL);
    /* refit replaces the model: trees on constant targets predict the constant */
    def = dq_regressor_def_default(DQ_REG_GBM);
    CHECK_OK(dq_regressor_create(&def, &r, &err));
    double y1[4] = {1, 2, 3, 4}, y2[4] = {5, 5, 5, 5};
    CHECK_OK(dq_regressor_fit(r, x, y1, 4, 1, &err));
    CHECK_OK(dq_regressor_fit(r, x, y2, 4, 1, &err));
    CHECK_OK(dq_regressor_predict(r, x, 1, &out, &err));
    CHECK_NEAR(out, 5.0, 1e-12);
    dq_regressor_destroy(r);
}

int main(void) {
    test_knn();
    test_linear();
    test_trees();
    test_errors();
    TEST_MAIN_END();
}
