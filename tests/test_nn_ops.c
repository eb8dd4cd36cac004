/* test_nn_ops.c — whole-buffer operations and helpers of the NN engine: parameter copy, Polyak
 * averaging, gradient clipping, the two initialisations, the acting path against the batched
 * forward, row helpers, argument validation, the AVX2 GEMM against the portable loop, and Adam's
 * flush of subnormal moments. */
#include "deepq/nn.h"
#include "nn/gemm.h"
#include "test.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static dq_mlp_def small_def(dq_dtype dt) {
    dq_mlp_def d = dq_mlp_def_default();
    d.n_in = 4;
    d.n_out = 3;
    d.n_hidden = 2;
    d.hidden[0] = 20;
    d.hidden[1] = 9;
    d.dtype = dt;
    return d;
}

static void test_copy_polyak_clip(void) {
    dq_mlp_def d = small_def(DQ_F32);
    dq_rng r1, r2;
    dq_rng_seed(&r1, 1);
    dq_rng_seed(&r2, 2);
    dq_mlp a, b;
    CHECK_OK(dq_mlp_init(&a, &d, 8, &r1, NULL));
    CHECK_OK(dq_mlp_init(&b, &d, 8, &r2, NULL));
    const size_t n = a.n_params;
    CHECK(n == (size_t)(4 * 20 + 20 + 20 * 9 + 9 + 9 * 3 + 3));
    CHECK(memcmp(a.params, b.params, n * 4) != 0);
    float *old = malloc(n * 4);
    memcpy(old, b.params, n * 4);
    dq_mlp_polyak(&b, &a, 0.25);
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        const float e = old[i] * 0.75f + 0.25f * ((float *)a.params)[i];
        ok &= fabsf(((float *)b.params)[i] - e) <= 1e-7f;
    }
    CHECK(ok);
    memcpy(b.params, old, n * 4);
    dq_mlp_polyak(&b, &a, 0.0);
    CHECK(memcmp(b.params, old, n * 4) == 0);
    dq_mlp_polyak(&b, &a, 1.0);
    CHECK(memcmp(b.params, a.params, n * 4) == 0);
    memcpy(b.params, old, n * 4);
    dq_mlp_copy_params(&b, &a);
    CHECK(memcmp(b.params, a.params, n * 4) == 0);

    /* clipping: every grad 0.5 -> norm 0.5 sqrt(n) */
    float *g = a.grads;
    for (size_t i = 0; i < n; i++) g[i] = (i % 2) ? 0.5f : -0.5f;
    const double norm = 0.5 * sqrt((double)n);
    CHECK_NEAR(dq_mlp_clip_grad_norm(&a, 1e9), norm, 1e-9);
    CHECK(g[0] == -0.5f && g[1] == 0.5f); /* below max_norm: untouched */
    CHECK_NEAR(dq_mlp_clip_grad_norm(&a, 1.0), norm, 1e-9);
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += (double)g[i] * g[i];
    CHECK_NEAR(sqrt(ss), 1.0 * norm / (norm + 1e-6), 1e-6);
    dq_mlp_zero_grad(&a);
    ok = 1;
    for (size_t i = 0; i < n; i++) ok &= g[i] == 0.0f;
    CHECK(ok);
    CHECK_NEAR(dq_mlp_clip_grad_norm(&a, 1.0), 0.0, 0);
    free(old);
    dq_mlp_free(&a);
    dq_mlp_free(&b);
    dq_mlp_free(NULL);
}

static void test_init(void) {
    /* torch default: W, b ~ U(+-1/sqrt(fan_in)); same seed, same parameters */
    dq_mlp_def d = dq_mlp_def_default();
    d.n_in = 16;
    d.n_out = 4;
    d.hidden[0] = 256;
    d.hidden[1] = 64;
    dq_rng r;
    dq_rng_seed(&r, 5);
    dq_mlp m, m2;
    CHECK_OK(dq_mlp_init(&m, &d, 4, &r, NULL));
    dq_rng_seed(&r, 5);
    CHECK_OK(dq_mlp_init(&m2, &d, 4, &r, NULL));
    CHECK(memcmp(m.params, m2.params, m.n_params * 4) == 0);
    for (int l = 0; l < m.n_layers; l++) {
        const int in = m.dims[l], out = m.dims[l + 1];
        const double bound = 1.0 / sqrt(in);
        const float *W = (const float *)m.params + m.w_off[l];
        double mx = 0, s2 = 0;
        for (int i = 0; i < in * out; i++) {
            mx = fmax(mx, fabs(W[i]));
            s2 += (double)W[i] * W[i];
        }
        CHECK(mx <= bound);
        CHECK(mx > 0.9 * bound);
        /* variance of U(-b, b) is b^2/3 */
        CHECK_NEAR(s2 / (in * out), bound * bound / 3, 0.15 * bound * bound / 3);
        const float *b = (const float *)m.params + m.b_off[l];
        double bm = 0;
        for (int i = 0; i < out; i++) bm = fmax(bm, fabs(b[i]));
        CHECK(bm <= bound && bm > 0);
    }
    dq_mlp_free(&m);
    dq_mlp_free(&m2);

    /* orthogonal: rows (or columns) orthonormal times gain; zero biases; float64 */
    d.init = DQ_INIT_ORTHOGONAL;
    d.dtype = DQ_F64;
    d.ortho_gain = sqrt(2.0);
    CHECK_OK(dq_mlp_init(&m, &d, 4, &r, NULL));
    for (int l = 0; l < m.n_layers; l++) {
        const int in = m.dims[l], out = m.dims[l + 1];
        const double gain = l + 1 < m.n_layers ? sqrt(2.0) : 1.0;
        const double *W = (const double *)m.params + m.w_off[l];
        double worst = 0;
        if (out <= in) /* W W^T = gain^2 I */
            for (int i = 0; i < out; i++)
                for (int j = 0; j < out; j++) {
                    double s = 0;
                    for (int k = 0; k < in; k++) s += W[i * in + k] * W[j * in + k];
                    worst = fmax(worst, fabs(s - (i == j ? gain * gain : 0)));
                }
        else /* W^T W = gain^2 I */
            for (int i = 0; i < in; i++)
                for (int j = 0; j < in; j++) {
                    double s = 0;
                    for (int k = 0; k < out; k++) s += W[k * in + i] * W[k * in + j];
                    worst = fmax(worst, fabs(s - (i == j ? gain * gain : 0)));
                }
        CHECK_MSG(worst < 1e-10, "layer %d orthogonality error %g", l, worst);
        const double *b = (const double *)m.params + m.b_off[l];
        for (int i = 0; i < out; i++) CHECK(b[i] == 0.0);
    }
    dq_mlp_free(&m);
}

/* n_in 11: the 8-wide matvec body and its scalar tail; n_in 4: the masked narrow matvec;
 * hidden widths 20 and 9 leave partial row groups. */
static void test_act_matches_forward(dq_dtype dt, dq_act act, int n_in) {
    dq_mlp_def d = small_def(dt);
    d.n_in = n_in;
    d.act = act;
    dq_rng r;
    dq_rng_seed(&r, 9);
    dq_mlp m;
    CHECK_OK(dq_mlp_init(&m, &d, 16, &r, NULL));
    float obs[16], q[3];
    double obs64[16], out64[16 * 3];
    float out32[16 * 3];
    for (int t = 0; t < 20; t++) {
        for (int i = 0; i < n_in; i++) {
            obs[i] = (float)dq_rng_normal(&r);
            obs64[i] = obs[i];
        }
        const int a = dq_mlp_act(&m, obs, q);
        CHECK(dq_mlp_act(&m, obs, NULL) == a);
        if (dt == DQ_F64) dq_mlp_forward(&m, obs64, 1, out64);
        else dq_mlp_forward(&m, obs, 1, out32);
        int best = 0;
        for (int j = 0; j < 3; j++) {
            const double f = dt == DQ_F64 ? out64[j] : out32[j];
            CHECK_NEAR(q[j], f, 1e-5 * (1 + fabs(f)));
            if (f > (dt == DQ_F64 ? out64[best] : out32[best])) best = j;
        }
        CHECK(a == best);
    }
    dq_mlp_free(&m);
}

/* small_def's network (from an RNG seeded with seed) with torch's default Adam. */
static void net_with_adam(dq_mlp *m, dq_optim *o, dq_rng *r, dq_dtype dt, uint64_t seed,
                          int max_batch) {
    dq_mlp_def d = small_def(dt);
    dq_rng_seed(r, seed);
    CHECK_OK(dq_mlp_init(m, &d, max_batch, r, NULL));
    dq_optim_def od = dq_optim_def_default(DQ_OPT_ADAM);
    CHECK_OK(dq_optim_init(o, &od, m, NULL));
}

/* Two networks from the same seed, trained on the same batch, end bit-identical. */
static void test_determinism(void) {
    float p[2][4 * 20 + 20 + 20 * 9 + 9 + 9 * 3 + 3];
    for (int run = 0; run < 2; run++) {
        dq_rng r;
        dq_mlp m;
        dq_optim o;
        net_with_adam(&m, &o, &r, DQ_F32, 77, 32);
        float x[32 * 4], out[32 * 3];
        for (int i = 0; i < 32 * 4; i++) x[i] = (float)dq_rng_normal(&r);
        for (int s = 0; s < 3; s++) {
            dq_mlp_zero_grad(&m);
            dq_mlp_forward(&m, x, 32, out);
            dq_mlp_backward(&m, out, 32, NULL); /* d(0.5 |out|^2)/d out = out */
            dq_mlp_clip_grad_norm(&m, 0.5);
            dq_optim_step(&o, &m);
        }
        CHECK(m.n_params * sizeof(float) == sizeof p[0]);
        memcpy(p[run], m.params, sizeof p[0]);
        dq_optim_free(&o);
        dq_mlp_free(&m);
    }
    CHECK(memcmp(p[0], p[1], sizeof p[0]) == 0);
}

/* torch's Adam on one float, in the order of optim.c, keeping subnormal moments (the reference
 * for test_optim_flush); separate statements and no contraction, as optim.c. */
__attribute__((optimize("fp-contract=off"))) static void
adam_ref_f32(float *p, float *m, float *v, float g, const dq_optim_def *d, int64_t t) {
    const double bc1 = 1.0 - pow(d->beta1, (double)t), bc2 = 1.0 - pow(d->beta2, (double)t);
    const float b1 = (float)d->beta1, b2 = (float)d->beta2, eps = (float)d->eps;
    const float step = (float)(d->lr / bc1), ibc2s = (float)(1.0 / sqrt(bc2));
    const float dm = (1.0f - b1) * (g - *m);
    *m = *m + dm;
    const float vg = (1.0f - b2) * g;
    const float vgg = vg * g;
    const float vb = *v * b2;
    *v = vb + vgg;
    const float sq = sqrtf(*v);
    const float den = sq * ibc2s + eps;
    const float q = *m / den;
    const float dp = step * q;
    *p = *p - dp;
}

/* Adam stores moments that decay below FLT_MIN / DBL_MIN as 0 (x86 multiplies on subnormals
 * are ~50x slower) and that never moves a parameter: a few steps of gradients, some tiny, then
 * thousands of zero-gradient steps (dead units) end with the same float32 parameters as the
 * subnormal-keeping reference, which did pass through subnormal moments, and no subnormal left
 * in the optimizer's state (float32 and float64). */
static void test_optim_flush(dq_dtype dt) {
    dq_rng r;
    dq_mlp m;
    dq_optim o;
    net_with_adam(&m, &o, &r, dt, 5, 1);
    const dq_optim_def od = o.def;
    const size_t n = m.n_params;
    float *rp = malloc(n * sizeof(float)), *rm = calloc(n, sizeof(float));
    float *rv = calloc(n, sizeof(float));
    if (dt == DQ_F32) memcpy(rp, m.params, n * sizeof(float));
    const double tiny = dt == DQ_F32 ? 1e-17 : 1e-152; /* v = 1e-3 g^2 reaches the bottom soon */
    int ref_subnormal = 0;
    for (int s = 0; s < 12000; s++) {
        for (size_t i = 0; i < n; i++) {
            double g = 0.0;
            if (s < 3) g = (i % 3 == 0 ? tiny : 1e-2) * dq_rng_normal(&r);
            if (dt == DQ_F32) ((float *)m.grads)[i] = (float)g;
            else ((double *)m.grads)[i] = g;
            if (dt == DQ_F32) adam_ref_f32(&rp[i], &rm[i], &rv[i], (float)g, &od, s + 1);
            if (dt == DQ_F32 && s == 600)
                ref_subnormal += (rm[i] != 0 && fabsf(rm[i]) < FLT_MIN) ||
                                 (rv[i] != 0 && fabsf(rv[i]) < FLT_MIN);
        }
        dq_optim_step(&o, &m);
    }
    int subnormal = 0, zero = 0;
    for (size_t i = 0; i < 2 * n; i++) {
        const double x = dt == DQ_F32 ? ((float *)o.state)[i] : ((double *)o.state)[i];
        const double lo = dt == DQ_F32 ? FLT_MIN : DBL_MIN;
        subnormal += x != 0 && fabs(x) < lo;
        zero += x == 0;
    }
    CHECK_MSG(subnormal == 0, "%d subnormal moments left", subnormal);
    CHECK_MSG(zero > (int)n / 3, "only %d of %zu moments flushed to 0", zero, 2 * n);
    if (dt == DQ_F32) {
        CHECK_MSG(ref_subnormal > 0, "the reference never held a subnormal moment");
        CHECK(memcmp(rp, m.params, n * sizeof(float)) == 0);
    }
    free(rp); free(rm); free(rv);
    dq_optim_free(&o);
    dq_mlp_free(&m);
}

static void test_rows(void) {
    const float q[3 * 4] = {1, 5, 2, 5, -1, -3, -2, -0.5f, 0, 0, 0, 0};
    const int32_t a[3] = {2, 3, 0};
    float g[3], mx[3], dq[12];
    int32_t am[3];
    dq_gather_f32(g, q, a, 3, 4);
    CHECK(g[0] == 2 && g[1] == -0.5f && g[2] == 0);
    dq_argmax_f32(am, q, 3, 4);
    CHECK(am[0] == 1 && am[1] == 3 && am[2] == 0); /* first maximum on ties, as torch */
    dq_max_f32(mx, q, 3, 4);
    CHECK(mx[0] == 5 && mx[1] == -0.5f && mx[2] == 0);
    const float dp[3] = {0.5f, -1, 2};
    dq_scatter_f32(dq, dp, a, 3, 4);
    CHECK(dq[2] == 0.5f && dq[7] == -1 && dq[8] == 2);
    float s = 0;
    for (int i = 0; i < 12; i++) s += fabsf(dq[i]);
    CHECK(s == 3.5f);
}

static void test_errors(void) {
    dq_mlp_def d = dq_mlp_def_default();
    dq_rng r;
    dq_rng_seed(&r, 1);
    dq_mlp m;
    dq_error e;
    dq_error_clear(&e);
    CHECK(dq_mlp_init(&m, &d, 4, &r, &e) == DQ_EINVAL); /* n_in, n_out unset */
    CHECK(e.code == DQ_EINVAL && strstr(e.msg, "n_in") != NULL);
    d.n_in = 2;
    d.n_out = 2;
    d.n_hidden = DQ_MLP_MAX_HIDDEN + 1;
    CHECK(dq_mlp_init(&m, &d, 4, &r, &e) == DQ_EINVAL);
    d.n_hidden = 1;
    CHECK(dq_mlp_init(&m, &d, 0, &r, &e) == DQ_EINVAL);
    CHECK_OK(dq_mlp_init(&m, &d, 4, &r, &e));
    dq_optim_def od = dq_optim_def_default(DQ_OPT_ADAM);
    od.lr = -1;
    dq_optim o;
    CHECK(dq_optim_init(&o, &od, &m, &e) == DQ_EINVAL);
    dq_optim_free(&o);
    dq_optim_free(NULL);
    od = dq_optim_def_default(DQ_OPT_RMSPROP);
    CHECK(od.lr == 1e-2 && od.alpha == 0.99 && od.eps == 1e-8);
    CHECK_OK(dq_optim_init(&o, &od, &m, &e));
    CHECK(o.n_moments == 3 && o.n == m.n_params);
    dq_optim_free(&o);
    dq_mlp_free(&m);
}

static void test_gemm(void) {
    /* packed AVX2 path (when present) against the portable loop, odd sizes and strides */
    const int shapes[][3] = {{1, 1, 1}, {7, 17, 5}, {64, 2, 64}, {6, 16, 300}, {13, 33, 257},
                             {150, 20, 9}, {4, 64, 64}, {64, 4, 64}, {200, 530, 3}};
    dq_rng r;
    dq_rng_seed(&r, 3);
    float *ws = aligned_alloc(64, dq_gemm_ws_floats() * 4);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        const int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
        float *A = malloc(sizeof(float) * M * K), *Bm = malloc(sizeof(float) * K * N);
        float *C1 = malloc(sizeof(float) * M * N), *C2 = malloc(sizeof(float) * M * N);
        for (int i = 0; i < M * K; i++) A[i] = (float)dq_rng_normal(&r);
        for (int i = 0; i < K * N; i++) Bm[i] = (float)dq_rng_normal(&r);
        for (int tr = 0; tr < 4; tr++) {
            /* tr bit 0: A stored transposed; bit 1: B stored transposed */
            const ptrdiff_t rsa = tr & 1 ? 1 : K, csa = tr & 1 ? M : 1;
            const ptrdiff_t rsb = tr & 2 ? 1 : N, csb = tr & 2 ? K : 1;
            for (int acc = 0; acc < 2; acc++) {
                for (int i = 0; i < M * N; i++) C1[i] = C2[i] = (float)(i % 7) - 3;
                dq_gemm_f32(M, N, K, A, rsa, csa, Bm, rsb, csb, C1, N, 1, acc, ws);
                dq_gemm_f32_ref(M, N, K, A, rsa, csa, Bm, rsb, csb, C2, N, 1, acc);
                double worst = 0;
                for (int i = 0; i < M * N; i++)
                    worst = fmax(worst, fabs(C1[i] - C2[i]) / (1 + fabs(C2[i])));
                CHECK_MSG(worst < 1e-4 * sqrt(K), "gemm %dx%dx%d tr%d acc%d err %g", M, N, K,
                          tr, acc, worst);
            }
            /* epilogues: bias per column or per row, ReLU mask, ReLU; against a scalar pass */
            float *bc = malloc(sizeof(float) * N), *br = malloc(sizeof(float) * M);
            float *mk = malloc(sizeof(float) * M * N);
            for (int j = 0; j < N; j++) bc[j] = (float)dq_rng_normal(&r);
            for (int i = 0; i < M; i++) br[i] = (float)dq_rng_normal(&r);
            for (int i = 0; i < M * N; i++) mk[i] = (float)dq_rng_normal(&r);
            for (int ev = 0; ev < 3; ev++) {
                const dq_gemm_epi e = {ev == 0 ? bc : NULL, ev == 1 ? br : NULL,
                                       ev == 2 ? mk : NULL, N, 1, ev != 2};
                for (int i = 0; i < M * N; i++) C1[i] = C2[i] = (float)(i % 5);
                dq_gemm_f32_epi(M, N, K, A, rsa, csa, Bm, rsb, csb, C1, N, 1, ev == 1, &e, ws);
                dq_gemm_f32_ref(M, N, K, A, rsa, csa, Bm, rsb, csb, C2, N, 1, ev == 1);
                double worst = 0;
                for (int i = 0; i < M; i++)
                    for (int j = 0; j < N; j++) {
                        float v = C2[i * N + j];
                        if (ev == 0) v += bc[j];
                        if (ev == 1) v += br[i];
                        if (ev == 2 && !(mk[i * N + j] > 0)) v = 0;
                        if (ev != 2) v = v > 0 ? v : 0;
                        worst = fmax(worst, fabs(C1[i * N + j] - v) / (1 + fabs(v)));
                    }
                CHECK_MSG(worst < 1e-4 * sqrt(K), "gemm epi%d %dx%dx%d tr%d err %g", ev, M, N, K,
                          tr, worst);
            }
            free(bc); free(br); free(mk);
        }
        free(A); free(Bm); free(C1); free(C2);
    }
    free(ws);
}

int main(void) {
    test_copy_polyak_clip();
    test_init();
    test_act_matches_forward(DQ_F32, DQ_ACT_RELU, 11);
    test_act_matches_forward(DQ_F32, DQ_ACT_RELU, 4);
    test_act_matches_forward(DQ_F32, DQ_ACT_TANH, 11);
    test_act_matches_forward(DQ_F64, DQ_ACT_RELU, 4);
    test_determinism();
    test_optim_flush(DQ_F32);
    test_optim_flush(DQ_F64);
    test_rows();
    test_errors();
    test_gemm();
    TEST_MAIN_END();
}
