/* test_nn_grad.c — central-difference gradient checks in float64 for every activation, depth
 * and loss: parameter gradients, input gradients, and dloss/dpred of MSE and Huber.
 *
 * ReLU kink: a central difference straddling a kink is wrong by O(1), so each derivative is
 * estimated with steps h and h/2; where the two disagree the point is treated as a kink and
 * skipped (counted; the test fails if more than 1% of the checks are skipped). */
#include "deepq/nn.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

enum { B = 5 };

/* Scalar objective: sum_ij c[i,j] * net(x)[i,j]. */
static double objective(dq_mlp *m, const double *x, const double *c, double *out) {
    dq_mlp_forward(m, x, B, out);
    double s = 0;
    for (int i = 0; i < B * m->def.n_out; i++) s += c[i] * out[i];
    return s;
}

/* Central difference of f at *v with step h, restoring *v. */
#define CDIFF(res, v, h, expr)                                                                 \
    do {                                                                                       \
        const double v0_ = *(v);                                                               \
        *(v) = v0_ + (h);                                                                      \
        const double fp_ = (expr);                                                             \
        *(v) = v0_ - (h);                                                                      \
        const double fm_ = (expr);                                                             \
        *(v) = v0_;                                                                            \
        (res) = (fp_ - fm_) / (2 * (h));                                                       \
    } while (0)

static int n_checked, n_skipped;

static void check_deriv(const char *what, int idx, double analytic, double d1, double d2) {
    n_checked++;
    const double scale = fabs(d1) > 1e-3 ? fabs(d1) : 1e-3;
    if (fabs(d1 - d2) > 1e-6 * scale) { /* step-size dependent: a kink lies within h */
        n_skipped++;
        return;
    }
    CHECK_MSG(fabs(analytic - d2) <= 1e-6 * scale, "%s[%d]: backprop %.12g vs numeric %.12g",
              what, idx, analytic, d2);
}

static void check_net(int n_hidden, dq_act act, dq_act out_act, uint64_t seed) {
    dq_mlp_def def = dq_mlp_def_default();
    def.n_in = 3;
    def.n_out = 2;
    def.n_hidden = n_hidden;
    const int widths[3] = {5, 4, 6};
    for (int i = 0; i < n_hidden; i++) def.hidden[i] = widths[i];
    def.act = act;
    def.out_act = out_act;
    def.dtype = DQ_F64;
    dq_rng rng;
    dq_rng_seed(&rng, seed);
    dq_mlp m;
    CHECK_OK(dq_mlp_init(&m, &def, B, &rng, NULL));
    double x[B * 3], c[B * 2], out[B * 2], dx[B * 3];
    for (int i = 0; i < B * 3; i++) x[i] = dq_rng_normal(&rng);
    for (int i = 0; i < B * 2; i++) c[i] = dq_rng_normal(&rng);
    double *p = m.params;
    for (size_t i = 0; i < m.n_params; i++) p[i] = 0.8 * dq_rng_normal(&rng) / 1.5;

    dq_mlp_zero_grad(&m);
    objective(&m, x, c, out);
    dq_mlp_backward(&m, c, B, dx);
    /* backward accumulates: a second call doubles the gradient */
    double *g1 = malloc(sizeof(double) * m.n_params);
    memcpy(g1, m.grads, sizeof(double) * m.n_params);
    dq_mlp_backward(&m, c, B, NULL);
    const double *g = m.grads;
    int doubled = 1;
    for (size_t i = 0; i < m.n_params; i++) doubled &= fabs(g[i] - 2 * g1[i]) <= 1e-15 + 1e-14 * fabs(g1[i]);
    CHECK_MSG(doubled, "backward does not accumulate into grads");

    char what[64];
    snprintf(what, sizeof what, "dparam(h%d act%d out%d)", n_hidden, act, out_act);
    for (size_t i = 0; i < m.n_params; i++) {
        double d1, d2;
        CDIFF(d1, &p[i], 1e-4, objective(&m, x, c, out));
        CDIFF(d2, &p[i], 5e-5, objective(&m, x, c, out));
        check_deriv(what, (int)i, g1[i], d1, d2);
    }
    snprintf(what, sizeof what, "dx(h%d act%d out%d)", n_hidden, act, out_act);
    for (int i = 0; i < B * 3; i++) {
        double d1, d2;
        CDIFF(d1, &x[i], 1e-4, objective(&m, x, c, out));
        CDIFF(d2, &x[i], 5e-5, objective(&m, x, c, out));
        check_deriv(what, i, dx[i], d1, d2);
    }
    free(g1);
    dq_mlp_free(&m);
}

static void check_loss(dq_loss kind, bool weighted) {
    enum { N = 16 };
    double pred[N], target[N], w[N], dpred[N], td[N], scratch[N];
    dq_rng rng;
    dq_rng_seed(&rng, 7 + kind);
    for (int i = 0; i < N; i++) {
        pred[i] = 2.0 * dq_rng_normal(&rng);
        target[i] = dq_rng_normal(&rng);
        w[i] = dq_rng_range(&rng, 0.1, 2.0);
    }
    const double *wp = weighted ? w : NULL;
    const double L = dq_loss_f64(kind, dpred, td, pred, target, wp, N);
    double expect = 0;
    for (int i = 0; i < N; i++) {
        const double d = pred[i] - target[i], z = fabs(d);
        const double l = kind == DQ_LOSS_MSE ? d * d : (z < 1 ? 0.5 * d * d : z - 0.5);
        expect += (weighted ? w[i] : 1.0) * l / N;
        CHECK_NEAR(td[i], d, 0);
    }
    CHECK_NEAR(L, expect, 1e-14);
    for (int i = 0; i < N; i++) {
        double d1, d2;
        CDIFF(d1, &pred[i], 1e-5, dq_loss_f64(kind, scratch, NULL, pred, target, wp, N));
        CDIFF(d2, &pred[i], 5e-6, dq_loss_f64(kind, scratch, NULL, pred, target, wp, N));
        check_deriv(kind == DQ_LOSS_MSE ? "dmse" : "dhuber", i, dpred[i], d1, d2);
    }
}

int main(void) {
    const dq_act acts[3] = {DQ_ACT_IDENTITY, DQ_ACT_RELU, DQ_ACT_TANH};
    uint64_t seed = 100;
    for (int h = 0; h <= 3; h++)
        for (int a = 0; a < 3; a++)
            for (int o = 0; o < 3; o++) check_net(h, acts[a], acts[o], seed++);
    for (int k = 0; k < 2; k++) {
        check_loss(k ? DQ_LOSS_HUBER : DQ_LOSS_MSE, false);
        check_loss(k ? DQ_LOSS_HUBER : DQ_LOSS_MSE, true);
    }
    CHECK(n_checked > 1000);
    CHECK_MSG(n_skipped * 100 <= n_checked, "%d of %d checks skipped at kinks", n_skipped,
              n_checked);
    TEST_MAIN_END();
}
