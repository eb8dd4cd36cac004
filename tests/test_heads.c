/* test_heads.c — dueling aggregation, C51 head and noisy layers: central-difference gradient
 * checks in float64, the C51 projection against the paper's float64 formula, and the
 * PyTorch fixture tests/fixtures/rainbow_ref.txt (tests/ref/make_rainbow_ref.py). */
#include "deepq/heads.h"
#include "deepq/noisy.h"
#include "fixture_txt.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

static double max_rel(const double *a, const double *b, int n) {
    double e = 0;
    for (int i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]) / (1e-8 + fabs(b[i]));
        if (fabs(a[i] - b[i]) < 1e-10) d = 0; /* both ~0 */
        e = d > e ? d : e;
    }
    return e;
}

/* ---- dueling: formula and central differences --------------------------------------- */
static void test_dueling(dq_rng *r) {
    enum { B = 4, A = 3, N = 5, W = (1 + A) * N };
    double h[B * W], c[B * A * N], out[B * A * N], dh[B * W], num[B * W];
    for (int i = 0; i < B * W; i++) h[i] = dq_rng_normal(r);
    for (int i = 0; i < B * A * N; i++) c[i] = dq_rng_normal(r);
    dq_dueling_forward_f64(out, h, B, A, N);
    /* formula on one entry */
    {
        int b = 2, a = 1, j = 3;
        double mean = 0;
        for (int k = 0; k < A; k++) mean += h[b * W + N + k * N + j];
        mean /= A;
        CHECK_NEAR(out[b * A * N + a * N + j], h[b * W + j] + h[b * W + N + a * N + j] - mean,
                   1e-14);
    }
    /* mean over actions of (out - V) is 0: identifiability */
    for (int b = 0; b < B; b++)
        for (int j = 0; j < N; j++) {
            double s = 0;
            for (int a = 0; a < A; a++) s += out[b * A * N + a * N + j] - h[b * W + j];
            CHECK_NEAR(s, 0.0, 1e-13);
        }
    dq_dueling_backward_f64(dh, c, B, A, N);
    const double eps = 1e-6;
    for (int i = 0; i < B * W; i++) {
        double save = h[i], lp = 0, lm = 0;
        h[i] = save + eps;
        dq_dueling_forward_f64(out, h, B, A, N);
        for (int k = 0; k < B * A * N; k++) lp += c[k] * out[k];
        h[i] = save - eps;
        dq_dueling_forward_f64(out, h, B, A, N);
        for (int k = 0; k < B * A * N; k++) lm += c[k] * out[k];
        h[i] = save;
        num[i] = (lp - lm) / (2 * eps);
    }
    CHECK_MSG(max_rel(dh, num, B * W) < 1e-7, "dueling grad rel err %g", max_rel(dh, num, B * W));
    /* f32 matches f64 */
    float hf[B * W], cf[B * A * N], of[B * A * N], dhf[B * W];
    for (int i = 0; i < B * W; i++) hf[i] = (float)h[i];
    for (int i = 0; i < B * A * N; i++) cf[i] = (float)c[i];
    dq_dueling_forward_f32(of, hf, B, A, N);
    dq_dueling_forward_f64(out, h, B, A, N);
    for (int i = 0; i < B * A * N; i++) CHECK_NEAR(of[i], out[i], 1e-5);
    dq_dueling_backward_f32(dhf, cf, B, A, N);
    for (int i = 0; i < B * W; i++) CHECK_NEAR(dhf[i], dh[i], 1e-5);
}

/* ---- C51 projection against the paper's formula (eq. 7) --------------------------------- */
static void project_ref(double *m, const double *p, double r, double d, const dq_c51_def *def) {
    const int N = def->atoms;
    const double dz = (def->v_max - def->v_min) / (N - 1);
    for (int i = 0; i < N; i++) {
        double zi = def->v_min + i * dz, s = 0;
        for (int j = 0; j < N; j++) {
            double tz = r + d * (def->v_min + j * dz);
            tz = tz < def->v_min ? def->v_min : tz > def->v_max ? def->v_max : tz;
            double wgt = 1 - fabs(tz - zi) / dz;
            s += p[j] * (wgt < 0 ? 0 : wgt > 1 ? 1 : wgt);
        }
        m[i] = s;
    }
}

static void test_c51_projection(dq_rng *r) {
    dq_c51_def def = dq_c51_def_default();
    CHECK(def.atoms == 51 && def.v_min == -10 && def.v_max == 10);
    CHECK_OK(dq_c51_check(&def, NULL));
    enum { B = 8, N = 51 };
    double p[B * N], m[B * N], ref[N];
    float pf[B * N], mf[B * N];
    /* rewards: inside, beyond both ends, exactly on an atom (0.4 = 1 atom step), terminal */
    double rw[B] = {0.3, -25.0, 30.0, 0.4, 1.7, -3.3, 9.9, 0.0};
    double dc[B] = {0.99, 0.99, 0.99, 1.0, 0.0, 0.5, 0.97, 1.0};
    float rwf[B], dcf[B];
    for (int b = 0; b < B; b++) {
        double s = 0;
        for (int j = 0; j < N; j++) s += (p[b * N + j] = dq_rng_uniform(r));
        for (int j = 0; j < N; j++) p[b * N + j] /= s, pf[b * N + j] = (float)p[b * N + j];
        rwf[b] = (float)rw[b];
        dcf[b] = (float)dc[b];
    }
    dq_c51_project_f64(m, p, rw, dc, B, &def);
    dq_c51_project_f32(mf, pf, rwf, dcf, B, &def);
    for (int b = 0; b < B; b++) {
        project_ref(ref, p + b * N, rw[b], dc[b], &def);
        double s = 0, err = 0, errf = 0;
        for (int j = 0; j < N; j++) {
            s += m[b * N + j];
            err = fmax(err, fabs(m[b * N + j] - ref[j]));
            errf = fmax(errf, fabs(mf[b * N + j] - ref[j]));
        }
        CHECK_NEAR(s, 1.0, 1e-12);
        CHECK_MSG(err < 1e-12, "row %d err %g", b, err);
        CHECK_MSG(errf < 2e-6, "row %d f32 err %g", b, errf);
    }
    CHECK_NEAR(m[1 * N + 0], 1.0, 1e-12);     /* all mass clamped to v_min */
    CHECK_NEAR(m[2 * N + N - 1], 1.0, 1e-12); /* and to v_max */
    /* terminal (discount 0) with reward 1.7: mass 1 split between atoms 1.6 and 2.0 */
    CHECK_NEAR(m[4 * N + 29], 0.75, 1e-9);
    CHECK_NEAR(m[4 * N + 30], 0.25, 1e-9);
    dq_c51_def bad = def;
    bad.v_max = bad.v_min;
    CHECK(dq_c51_check(&bad, NULL) == DQ_EINVAL);
}

/* ---- C51 loss gradient by central differences ---------------------------------------- */
static void test_c51_loss_grad(dq_rng *r) {
    enum { B = 3, A = 2, N = 7 };
    double l[B * A * N], m[B * N], w[B] = {0.5, 1.0, 0.25}, g[B * A * N], ls[B];
    int32_t act[B] = {1, 0, 1};
    for (int i = 0; i < B * A * N; i++) l[i] = dq_rng_normal(r) * 2;
    for (int b = 0; b < B; b++) {
        double s = 0;
        for (int j = 0; j < N; j++) s += (m[b * N + j] = dq_rng_uniform(r));
        for (int j = 0; j < N; j++) m[b * N + j] /= s;
    }
    double loss = dq_c51_loss_f64(g, ls, l, act, m, w, B, A, N);
    double chk = 0;
    for (int b = 0; b < B; b++) chk += w[b] * ls[b];
    CHECK_NEAR(loss, chk / B, 1e-14);
    double num[B * A * N], tmp[B * A * N];
    for (int i = 0; i < B * A * N; i++) {
        double save = l[i];
        l[i] = save + 1e-6;
        double lp = dq_c51_loss_f64(tmp, NULL, l, act, m, w, B, A, N);
        l[i] = save - 1e-6;
        double lm = dq_c51_loss_f64(tmp, NULL, l, act, m, w, B, A, N);
        l[i] = save;
        num[i] = (lp - lm) / 2e-6;
    }
    CHECK_MSG(max_rel(g, num, B * A * N) < 1e-6, "c51 grad rel err %g", max_rel(g, num, B * A * N));
    /* probs and Q */
    dq_c51_def def = {.atoms = N, .v_min = -3, .v_max = 3};
    double p[B * A * N], q[B * A];
    dq_c51_probs_f64(p, q, l, B, A, &def);
    for (int k = 0; k < B * A; k++) {
        double s = 0, e = 0;
        for (int j = 0; j < N; j++) s += p[k * N + j], e += p[k * N + j] * (-3 + j);
        CHECK_NEAR(s, 1.0, 1e-13);
        CHECK_NEAR(q[k], e, 1e-13);
    }
}

/* ---- PyTorch fixture ---------------------------------------------------------------- */
static void test_torch_fixture(void) {
    fx_file f;
    int rc = fx_load(&f, DQ_FIXTURE_DIR "/rainbow_ref.txt");
    CHECK_MSG(rc == 0, "cannot read %s", DQ_FIXTURE_DIR "/rainbow_ref.txt");
    if (rc) return;
    /* dueling N = 1 */
    const fx_array *h = fx_get(&f, "duel_h"), *c = fx_get(&f, "duel_c");
    int B = h->rows, A = h->cols - 1;
    double *q = malloc(sizeof(double) * B * A), *dh = malloc(sizeof(double) * B * (A + 1));
    dq_dueling_forward_f64(q, h->v, B, A, 1);
    dq_dueling_backward_f64(dh, c->v, B, A, 1);
    CHECK(max_rel(q, fx_get(&f, "duel_q")->v, B * A) < 1e-12);
    CHECK(max_rel(dh, fx_get(&f, "duel_dh")->v, B * (A + 1)) < 1e-12);
    free(q);
    free(dh);

    /* dueling C51: full loss and gradient w.r.t. the raw network outputs */
    const double *cfg = fx_get(&f, "c51_cfg")->v;
    B = (int)cfg[0];
    A = (int)cfg[1];
    const int N = (int)cfg[2];
    dq_c51_def def = {.atoms = N, .v_min = cfg[3], .v_max = cfg[4]};
    const int W = (1 + A) * N;
    double *logits = malloc(sizeof(double) * B * A * N), *pt = malloc(sizeof(double) * B * A * N);
    double *qt = malloc(sizeof(double) * B * A), *pn = malloc(sizeof(double) * B * N);
    double *m = malloc(sizeof(double) * B * N), *ls = malloc(sizeof(double) * B);
    double *dl = malloc(sizeof(double) * B * A * N), *dh2 = malloc(sizeof(double) * B * W);
    int32_t act[64];
    const double *av = fx_get(&f, "c51_action")->v;
    for (int b = 0; b < B; b++) act[b] = (int32_t)av[b];
    dq_dueling_forward_f64(logits, fx_get(&f, "c51_h")->v, B, A, N);
    CHECK(max_rel(logits, fx_get(&f, "c51_logits")->v, B * A * N) < 1e-12);
    dq_c51_probs_f64(pt, qt, fx_get(&f, "c51_tlogits")->v, B, A, &def);
    CHECK(max_rel(qt, fx_get(&f, "c51_qt")->v, B * A) < 1e-12);
    for (int b = 0; b < B; b++) {
        int best = 0;
        for (int a = 1; a < A; a++) best = qt[b * A + a] > qt[b * A + best] ? a : best;
        memcpy(pn + b * N, pt + ((size_t)b * A + best) * N, sizeof(double) * N);
    }
    CHECK(max_rel(pn, fx_get(&f, "c51_pnext")->v, B * N) < 1e-12);
    dq_c51_project_f64(m, pn, fx_get(&f, "c51_reward")->v, fx_get(&f, "c51_discount")->v, B, &def);
    CHECK_MSG(max_rel(m, fx_get(&f, "c51_m")->v, B * N) < 1e-10, "proj %g",
              max_rel(m, fx_get(&f, "c51_m")->v, B * N));
    const double loss = dq_c51_loss_f64(dl, ls, logits, act, fx_get(&f, "c51_m")->v,
                                        fx_get(&f, "c51_weight")->v, B, A, N);
    CHECK_NEAR(loss, fx_get(&f, "c51_loss")->v[0], 1e-12);
    CHECK(max_rel(ls, fx_get(&f, "c51_per_sample")->v, B) < 1e-12);
    dq_dueling_backward_f64(dh2, dl, B, A, N);
    CHECK_MSG(max_rel(dh2, fx_get(&f, "c51_dh")->v, B * W) < 1e-10, "dh %g",
              max_rel(dh2, fx_get(&f, "c51_dh")->v, B * W));

    /* float32 path within float32 tolerance */
    float *hf = malloc(sizeof(float) * B * W), *lf = malloc(sizeof(float) * B * A * N);
    float *mf = malloc(sizeof(float) * B * N), *wf = malloc(sizeof(float) * B);
    float *dlf = malloc(sizeof(float) * B * A * N), *dhf = malloc(sizeof(float) * B * W);
    for (int i = 0; i < B * W; i++) hf[i] = (float)fx_get(&f, "c51_h")->v[i];
    for (int i = 0; i < B * N; i++) mf[i] = (float)fx_get(&f, "c51_m")->v[i];
    for (int i = 0; i < B; i++) wf[i] = (float)fx_get(&f, "c51_weight")->v[i];
    dq_dueling_forward_f32(lf, hf, B, A, N);
    const double lossf = dq_c51_loss_f32(dlf, NULL, lf, act, mf, wf, B, A, N);
    dq_dueling_backward_f32(dhf, dlf, B, A, N);
    CHECK_NEAR(lossf, loss, 1e-5 * fabs(loss));
    for (int i = 0; i < B * W; i++) CHECK_NEAR(dhf[i], fx_get(&f, "c51_dh")->v[i], 1e-6);
    free(hf); free(lf); free(mf); free(wf); free(dlf); free(dhf);
    free(logits); free(pt); free(qt); free(pn); free(m); free(ls); free(dl); free(dh2);
    fx_free(&f);
}

/* ---- noisy layers ------------------------------------------------------------------- */
static double net_loss(dq_mlp *m, const double *x, const double *c, int B, double *out) {
    dq_mlp_forward(m, x, B, out);
    double s = 0;
    for (int i = 0; i < B * m->dims[m->n_layers]; i++) s += c[i] * out[i];
    return s;
}

static void test_noisy(dq_rng *r) {
    dq_mlp_def d = dq_mlp_def_default();
    d.n_in = 3;
    d.n_out = 2;
    d.n_hidden = 2;
    d.hidden[0] = 5;
    d.hidden[1] = 4;
    d.act = DQ_ACT_TANH; /* smooth: clean central differences */
    d.dtype = DQ_F64;
    enum { B = 6 };
    dq_mlp net;
    CHECK_OK(dq_mlp_init(&net, &d, B, r, NULL));
    dq_noisy nz;
    dq_error err;
    CHECK(dq_noisy_init(&nz, &net, -1.0, -1, &err) == DQ_EINVAL);
    CHECK_OK(dq_noisy_init(&nz, &net, 0.5, 2, NULL)); /* last two layers noisy */
    CHECK(!nz.noisy[0] && nz.noisy[1] && nz.noisy[2]);
    const double *mu = nz.params, *sg = mu + nz.n;
    CHECK(memcmp(nz.params, net.params, nz.n * sizeof(double)) == 0); /* mu = torch init */
    CHECK(sg[nz.w_off[0]] == 0.0 && sg[nz.b_off[0]] == 0.0);
    CHECK_NEAR(sg[nz.w_off[1]], 0.5 / sqrt(5.0), 1e-15);
    CHECK_NEAR(sg[nz.b_off[2] + 1], 0.5 / sqrt(4.0), 1e-15);
    CHECK(nz.view.n_params == 2 * nz.n && nz.view.params == nz.params);

    /* Zero noise: the network computes with mu. */
    double *keep = malloc(nz.n * sizeof(double));
    memcpy(keep, net.params, nz.n * sizeof(double));
    dq_noisy_apply(&nz, &net);
    CHECK(memcmp(keep, net.params, nz.n * sizeof(double)) == 0);

    /* Sampled noise: W = mu + sigma * f(eo) f(ei) explicitly; f(x) = sgn(x) sqrt|x|. */
    dq_rng r2 = *r;
    dq_noisy_sample(&nz, r);
    dq_noisy_apply(&nz, &net);
    double ei[5], eo[4];
    for (int i = 0; i < 5; i++) { double x = dq_rng_normal(&r2); ei[i] = x < 0 ? -sqrt(-x) : sqrt(x); }
    for (int i = 0; i < 4; i++) { double x = dq_rng_normal(&r2); eo[i] = x < 0 ? -sqrt(-x) : sqrt(x); }
    const double *W = net.params;
    for (int o = 0; o < 4; o++)
        for (int i = 0; i < 5; i++) {
            size_t k = nz.w_off[1] + (size_t)o * 5 + i;
            CHECK_NEAR(W[k], mu[k] + sg[k] * eo[o] * ei[i], 1e-15);
        }
    CHECK_NEAR(W[nz.b_off[1] + 2], mu[nz.b_off[1] + 2] + sg[nz.b_off[1] + 2] * eo[2], 1e-15);
    CHECK(W[nz.w_off[0] + 3] == mu[nz.w_off[0] + 3]); /* first layer not noisy */

    /* Gradients w.r.t. mu and sigma by central differences through apply + forward. */
    double x[B * 3], c[B * 2], out[B * 2];
    for (int i = 0; i < B * 3; i++) x[i] = dq_rng_normal(r);
    for (int i = 0; i < B * 2; i++) c[i] = dq_rng_normal(r);
    dq_noisy_apply(&nz, &net);
    net_loss(&net, x, c, B, out);
    dq_mlp_zero_grad(&net);
    dq_mlp_backward(&net, c, B, NULL);
    dq_mlp_zero_grad(&nz.view);
    dq_noisy_accum_grads(&nz, &net);
    double *P = nz.params, *G = nz.grads, worst = 0;
    for (size_t i = 0; i < 2 * nz.n; i++) {
        double save = P[i];
        P[i] = save + 1e-6;
        dq_noisy_apply(&nz, &net);
        double lp = net_loss(&net, x, c, B, out);
        P[i] = save - 1e-6;
        dq_noisy_apply(&nz, &net);
        double lm = net_loss(&net, x, c, B, out);
        P[i] = save;
        double num = (lp - lm) / 2e-6;
        double e = fabs(num - G[i]) / (1e-6 + fabs(num));
        worst = e > worst ? e : worst;
    }
    CHECK_MSG(worst < 1e-6, "noisy grad rel err %g", worst);
    /* sigma gradients of the non-noisy layer are 0 */
    CHECK(G[nz.n + nz.w_off[0]] == 0.0);

    /* Zeroing the noise again restores mu. */
    dq_noisy_zero_noise(&nz);
    dq_noisy_apply(&nz, &net);
    CHECK(memcmp(keep, net.params, nz.n * sizeof(double)) == 0);

    /* float32 apply agrees with float64. */
    dq_mlp_def df = d;
    df.dtype = DQ_F32;
    dq_mlp nf;
    dq_rng r3;
    dq_rng_seed(&r3, 77);
    CHECK_OK(dq_mlp_init(&nf, &df, B, &r3, NULL));
    dq_noisy zf;
    CHECK_OK(dq_noisy_init(&zf, &nf, 0.5, -1, NULL));
    dq_rng_seed(&r3, 5);
    dq_noisy_sample(&zf, &r3);
    dq_noisy_apply(&zf, &nf);
    const float *wf = nf.params, *muf = zf.params, *sgf = muf + zf.n;
    const double *e0 = zf.eps + zf.eps_off[0];
    CHECK_NEAR(wf[1 * 3 + 2], muf[1 * 3 + 2] + sgf[1 * 3 + 2] * (float)e0[3 + 1] * (float)e0[2], 1e-6);
    dq_noisy_free(&zf);
    dq_mlp_free(&nf);

    free(keep);
    dq_noisy_free(&nz);
    dq_noisy_free(NULL);
    dq_mlp_free(&net);
}

/* ---- float32 softmax / loss (AVX2 exp polynomial where available) against float64 ----- */
static void test_c51_f32(dq_rng *r) {
    enum { A = 3, NMAX = 67 };
    const int Ns[] = {2, 7, 8, 9, 16, 51, 67};
    for (size_t k = 0; k < sizeof Ns / sizeof Ns[0]; k++) {
        const int N = Ns[k], B = 5;
        dq_c51_def def = {N, -20.0, 30.0};
        double l[5 * A * NMAX], p[5 * A * NMAX], q[5 * A], m[5 * NMAX], g[5 * A * NMAX];
        float lf[5 * A * NMAX], pf[5 * A * NMAX], qf[5 * A], mf[5 * NMAX], gf[5 * A * NMAX];
        int32_t act[5];
        for (int i = 0; i < B * A * N; i++) {
            /* logits from well-spread to 100 apart (exp underflows to ~0) */
            l[i] = dq_rng_normal(r) * (i % 3 == 0 ? 40.0 : 3.0);
            lf[i] = (float)l[i];
            l[i] = lf[i];
        }
        for (int b = 0; b < B; b++) {
            double s = 0;
            for (int j = 0; j < N; j++) s += (m[b * N + j] = dq_rng_uniform(r));
            for (int j = 0; j < N; j++) mf[b * N + j] = (float)(m[b * N + j] /= s);
            for (int j = 0; j < N; j++) m[b * N + j] = mf[b * N + j];
            act[b] = (int32_t)dq_rng_below(r, A);
        }
        dq_c51_probs_f64(p, q, l, B, A, &def);
        dq_c51_probs_f32(pf, qf, lf, B, A, &def);
        double ep = 0, eq = 0;
        for (int i = 0; i < B * A * N; i++) ep = fmax(ep, fabs(pf[i] - p[i]));
        for (int i = 0; i < B * A; i++) eq = fmax(eq, fabs(qf[i] - q[i]));
        CHECK_MSG(ep < 1e-6, "N=%d f32 probs err %g", N, ep);
        CHECK_MSG(eq < 3e-5 * 30.0, "N=%d f32 Q err %g", N, eq);
        const double L = dq_c51_loss_f64(g, NULL, l, act, m, NULL, B, A, N);
        const double Lf = dq_c51_loss_f32(gf, NULL, lf, act, mf, NULL, B, A, N);
        double eg = 0;
        for (int i = 0; i < B * A * N; i++) eg = fmax(eg, fabs(gf[i] - g[i]));
        CHECK_MSG(fabs(Lf - L) < 1e-5 * (1 + fabs(L)), "N=%d f32 loss %g vs %g", N, Lf, L);
        CHECK_MSG(eg < 1e-6, "N=%d f32 grad err %g", N, eg);
    }
}

int main(void) {
    dq_rng r;
    dq_rng_seed(&r, 2024);
    test_dueling(&r);
    test_c51_projection(&r);
    test_c51_loss_grad(&r);
    test_c51_f32(&r);
    test_torch_fixture();
    test_noisy(&r);
    TEST_MAIN_END();
}
