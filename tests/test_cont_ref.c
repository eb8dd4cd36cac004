/* test_cont_ref.c — the continuous-action math (deepq/cont_math.h) against PyTorch fixtures
 * (tests/ref/make_cont_ref.py): DDPG's actor gradient through the critic, TD3's smoothed
 * clipped double-Q target, the critic's MSE step, the max over candidate actions, and NAF's
 * Q, mu, P = L L^T and head gradients; plus action scaling, CEM/uniform search and the noise
 * processes' own properties. Tolerance 1e-5 (relative to the value's size where it exceeds 1). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/action_noise.h"
#include "deepq/cont_math.h"
#include "fixture_txt.h"
#include "test.h"

#define TOL 1e-5

static double rel(double a, double b) { return fabs(a - b) / (fabs(b) > 1 ? fabs(b) : 1); }

static void check_vec(const char *what, const float *got, const fx_array *want) {
    const int n = want->rows * want->cols;
    double worst = 0;
    int at = 0;
    for (int i = 0; i < n; i++)
        if (rel(got[i], want->v[i]) > worst) worst = rel(got[i], want->v[i]), at = i;
    CHECK_MSG(worst <= TOL, "%s: worst error %g at %d (%g vs %g)", what, worst, at, got[at],
              want->v[at]);
}

static void load_params(dq_mlp *m, const fx_array *p) {
    CHECK(p->rows * p->cols == (int)m->n_params);
    float *w = m->params;
    for (size_t i = 0; i < m->n_params; i++) w[i] = (float)p->v[i];
}

static void make(dq_mlp *m, int in, int out, dq_act out_act, int B) {
    dq_mlp_def d = dq_mlp_def_default();
    d.n_in = in;
    d.n_out = out;
    d.hidden[0] = d.hidden[1] = 16;
    d.out_act = out_act;
    dq_rng r;
    dq_rng_seed(&r, 1);
    CHECK_OK(dq_mlp_init(m, &d, B, &r, NULL));
}

static float *fl(const fx_array *a) {
    float *f = malloc(sizeof(float) * a->rows * a->cols);
    for (int i = 0; i < a->rows * a->cols; i++) f[i] = (float)a->v[i];
    return f;
}

static void test_ddpg(void) {
    fx_file f;
    CHECK(fx_load(&f, DQ_FIXTURE_DIR "/cont_ddpg.txt") == 0);
    if (!f.n) return;
    const int O = 3, D = 2, B = 8, N = 5;
    const fx_array *hp = fx_get(&f, "hp");
    dq_mlp actor, q1, q2;
    make(&actor, O, D, DQ_ACT_TANH, B);
    make(&q1, O + D, 1, DQ_ACT_IDENTITY, B * N);
    make(&q2, O + D, 1, DQ_ACT_IDENTITY, B);
    load_params(&actor, fx_get(&f, "actor"));
    load_params(&q1, fx_get(&f, "q1"));
    load_params(&q2, fx_get(&f, "q2"));
    float *obs = fl(fx_get(&f, "obs")), *next = fl(fx_get(&f, "next_obs"));
    float *act = fl(fx_get(&f, "act")), *eps = fl(fx_get(&f, "eps"));
    float *rew = fl(fx_get(&f, "reward")), *done = fl(fx_get(&f, "done"));

    /* actor gradient through the critic; the critic's grads must stay untouched */
    float a[16], x[8 * 5 * 5], q[8 * 5], dq[8], dx[8 * 5], da[16];
    dq_ddpg_scratch s = {a, x, q, dq, dx, da};
    dq_mlp_zero_grad(&actor);
    dq_mlp_zero_grad(&q1);
    const double loss = dq_ddpg_actor_grad(&actor, &q1, obs, B, &s);
    CHECK_NEAR(loss, fx_get(&f, "actor_loss")->v[0], TOL);
    check_vec("actor grad", actor.grads, fx_get(&f, "actor_grad"));
    double gsum = 0;
    for (size_t i = 0; i < q1.n_params; i++) gsum += fabs(((float *)q1.grads)[i]);
    CHECK_MSG(gsum == 0, "critic grads touched by the actor step (%g)", gsum);

    /* TD3 target with target policy smoothing */
    float mu[16], sm[16], y[8], qa[8], qb[8];
    dq_mlp_forward(&actor, next, B, mu);
    dq_td3_smooth(sm, mu, eps, (float)hp->v[0], (float)hp->v[1], B, D);
    check_vec("smoothed action", sm, fx_get(&f, "smoothed"));
    dq_concat_rows(x, next, sm, B, O, D);
    dq_mlp_forward(&q1, x, B, qa);
    dq_mlp_forward(&q2, x, B, qb);
    dq_td3_target(y, qa, qb, rew, done, (float)hp->v[2], B);
    check_vec("td3 target", y, fx_get(&f, "y"));
    float y1[8]; /* DDPG's single-critic target is never above the twin one's... */
    dq_td3_target(y1, qa, NULL, rew, done, (float)hp->v[2], B);
    for (int i = 0; i < B; i++) CHECK(y1[i] >= y[i]);

    /* critic step: mse(Q1(s, a), y) and its gradients */
    float pred[8], dpred[8];
    float *yref = fl(fx_get(&f, "y"));
    dq_concat_rows(x, obs, act, B, O, D);
    dq_mlp_forward(&q1, x, B, pred);
    const double closs = dq_loss_f32(DQ_LOSS_MSE, dpred, NULL, pred, yref, NULL, B);
    CHECK_NEAR(closs, fx_get(&f, "critic_loss")->v[0], TOL);
    dq_mlp_zero_grad(&q1);
    dq_mlp_backward(&q1, dpred, B, NULL);
    check_vec("critic grad", q1.grads, fx_get(&f, "q1_grad"));

    /* max over given candidates, evaluated in chunks smaller than B * N */
    float *cand = fl(fx_get(&f, "cand"));
    float bq[8], ba[16];
    int32_t bn[8];
    dq_qmax_candidates(bq, ba, bn, &q1, obs, cand, B, N, D, x, q, 7);
    check_vec("candidate max", bq, fx_get(&f, "cand_best_q"));
    const fx_array *bi = fx_get(&f, "cand_best_n");
    for (int i = 0; i < B; i++) {
        CHECK(bn[i] == (int)bi->v[i]);
        CHECK(!memcmp(ba + i * D, cand + ((size_t)i * N + bn[i]) * D, sizeof(float) * D));
    }

    /* sampled max: uniform and CEM are never worse than a grid's best by more than a margin
     * and CEM with the same evaluation budget does at least as well as one uniform round */
    enum { NS = 64 };
    float *c2 = malloc(sizeof(float) * B * NS * D), *sc = malloc(sizeof(float) * B * NS);
    float mean[16], sd[16], xs[40 * 5], qs[40];
    int32_t order[NS];
    dq_sampled_scratch ss = {c2, sc, mean, sd, xs, qs, order, 40};
    dq_rng rng;
    dq_rng_seed(&rng, 7);
    float uq[8], ua[16], cq[8], ca[16];
    dq_sampled_max(uq, ua, &q1, obs, B, D, NS, 0, 0, &rng, &ss);
    dq_sampled_max(cq, ca, &q1, obs, B, D, NS, 4, 6, &rng, &ss);
    /* the grid: 41 x 41 actions */
    enum { G = 41 };
    float *grid = malloc(sizeof(float) * B * G * G * D), gq[8], ga[16];
    for (int b = 0; b < B; b++)
        for (int i = 0; i < G; i++)
            for (int j = 0; j < G; j++) {
                float *g = grid + (((size_t)b * G + i) * G + j) * D;
                g[0] = -1 + 2.0f * i / (G - 1);
                g[1] = -1 + 2.0f * j / (G - 1);
            }
    dq_qmax_candidates(gq, ga, NULL, &q1, obs, grid, B, G * G, D, x, q, B * N);
    for (int b = 0; b < B; b++) {
        float check_q;
        float xa[5];
        memcpy(xa, obs + b * O, sizeof(float) * O);
        memcpy(xa + O, ca + b * D, sizeof(float) * D);
        dq_mlp_forward(&q1, xa, 1, &check_q);
        CHECK_NEAR(check_q, cq[b], 1e-6); /* the returned value is the action's Q */
        CHECK(ca[b * D] >= -1 && ca[b * D] <= 1 && ua[b * D + 1] >= -1 && ua[b * D + 1] <= 1);
        CHECK_MSG(cq[b] >= gq[b] - 0.02f * (fabsf(gq[b]) + 1), "CEM %g vs grid %g", cq[b], gq[b]);
        CHECK_MSG(uq[b] >= gq[b] - 0.1f * (fabsf(gq[b]) + 1), "uniform %g vs grid %g", uq[b],
                  gq[b]);
        CHECK(cq[b] >= uq[b] - 1e-3f * (fabsf(uq[b]) + 1));
    }
    free(grid), free(c2), free(sc), free(cand), free(yref);
    free(obs), free(next), free(act), free(eps), free(rew), free(done);
    dq_mlp_free(&actor), dq_mlp_free(&q1), dq_mlp_free(&q2);
    fx_free(&f);
}

static void test_naf_case(const fx_file *f, const char *tag, int D, int B) {
    char n[64];
#define FX(name) (snprintf(n, sizeof n, "%s_%s", tag, name), fx_get(f, n))
    float *head = fl(FX("head")), *a = fl(FX("a")), *dq = fl(FX("dq"));
    const int H = dq_naf_width(D);
    CHECK(FX("head")->cols == H);
    float q[8], mu[24], P[8 * 9], dh[8 * 10];
    dq_naf_q(q, mu, head, a, B, D);
    check_vec(tag, q, FX("q"));
    check_vec(tag, mu, FX("mu"));
    dq_naf_P(P, head, B, D);
    check_vec(tag, P, FX("P"));
    dq_naf_backward(dh, dq, head, a, B, D);
    check_vec(tag, dh, FX("dhead"));
    /* Q is maximised at a = mu, where it equals V */
    dq_naf_q(q, NULL, head, mu, B, D);
    for (int b = 0; b < B; b++) CHECK_NEAR(q[b], head[b * H], 1e-6);
#undef FX
    free(head), free(a), free(dq);
}

static void test_naf(void) {
    fx_file f;
    CHECK(fx_load(&f, DQ_FIXTURE_DIR "/cont_naf.txt") == 0);
    if (!f.n) return;
    test_naf_case(&f, "d3", 3, 6);
    test_naf_case(&f, "d1", 1, 5);
    fx_free(&f);
}

static void test_scale(void) {
    const double lo[2] = {-2.0, 0.5}, hi[2] = {2.0, 1.5};
    const float a[2] = {-1.0f, 0.25f};
    double e[2];
    float back[2];
    dq_action_unscale(e, a, lo, hi, 2);
    CHECK_NEAR(e[0], -2.0, 0);
    CHECK_NEAR(e[1], 0.5 + 0.625, 1e-7);
    dq_action_scale(back, e, lo, hi, 2);
    CHECK_NEAR(back[0], a[0], 0);
    CHECK_NEAR(back[1], a[1], 1e-7);
}

static void test_noise(void) {
    dq_action_noise n;
    dq_rng r;
    dq_rng_seed(&r, 3);
    CHECK(dq_action_noise_init(&n, DQ_NOISE_OU, 0, 0.1, NULL) == DQ_EINVAL);
    CHECK(dq_action_noise_init(&n, DQ_NOISE_NORMAL, 1, -1, NULL) == DQ_EINVAL);
    CHECK_OK(dq_action_noise_init(&n, DQ_NOISE_NORMAL, 1, 0.3, NULL));
    double s = 0, s2 = 0, v;
    for (int i = 0; i < 20000; i++) {
        dq_action_noise_sample(&n, &r, &v);
        s += v, s2 += v * v;
    }
    CHECK_NEAR(s / 20000, 0, 0.01);
    CHECK_NEAR(sqrt(s2 / 20000), 0.3, 0.01);
    /* OU: the step is x + theta (0 - x) dt + sigma sqrt(dt) z; one draw from 0 is sigma sqrt(dt) z
     */
    CHECK_OK(dq_action_noise_init(&n, DQ_NOISE_OU, 2, 0.5, NULL));
    dq_rng r2 = r;
    double o[2], o2[2];
    dq_action_noise_sample(&n, &r, o);
    CHECK_NEAR(o[0], 0.5 * 0.1 * dq_rng_normal(&r2), 1e-15);
    (void)dq_rng_normal(&r2); /* o[1]'s draw */
    const double z2 = dq_rng_normal(&r2);
    dq_action_noise_sample(&n, &r, o2);
    CHECK_NEAR(o2[0], o[0] + 0.15 * (0 - o[0]) * 0.01 + 0.05 * z2, 1e-15);
    dq_action_noise_reset(&n);
    CHECK(n.prev[0] == 0 && n.prev[1] == 0);
    /* strongly autocorrelated over an episode (unlike normal noise) */
    double prev = 0, c = 0, m2 = 0;
    for (int i = 0; i < 5000; i++) {
        dq_action_noise_sample(&n, &r, o);
        c += o[0] * prev, m2 += o[0] * o[0], prev = o[0];
    }
    CHECK(c / m2 > 0.9);
}

int main(void) {
    test_ddpg();
    test_naf();
    test_scale();
    test_noise();
    TEST_MAIN_END();
}
