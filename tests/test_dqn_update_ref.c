/* test_dqn_update_ref.c — the whole DQN update against PyTorch (tests/ref/make_dqn_update_ref.py,
 * tests/fixtures/dqn_update_ref.txt), at 1e-5:
 *   five Double-DQN / Huber / Adam / grad-clip updates on a fixed batch through dqn_update
 *   itself (the replay holds exactly the batch, sampled without replacement: the mean loss does
 *   not depend on the order), parameters and loss after each; and
 *   one update with PER importance weights + 3-step returns (per-slot discounts) + dueling +
 *   C51 + Double selection through the head (steps 3-7 of dqn_update.c on the fixed batch),
 *   parameters, loss and the new PER priorities (per-sample cross-entropies). */
#include <math.h>
#include <string.h>

#include "fixture_txt.h"
#include "rl/dqn_internal.h"
#include "test.h"

static double max_abs_diff(const float *a, const double *b, size_t n) {
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        const double d = fabs((double)a[i] - b[i]);
        if (!(d <= m)) m = d; /* NaN propagates */
    }
    return m;
}

static dq_dqn_def base_def(void) {
    dq_dqn_def d = dq_dqn_def_default();
    d.batch_size = 6;
    d.buffer_size = 6;
    d.replay_with_replacement = false;
    d.gamma = 0.9;
    d.net_arch[0] = d.net_arch[1] = 8;
    d.double_q = true;
    d.loss = DQ_LOSS_HUBER;
    d.learning_rate = 1e-2;
    d.max_grad_norm = 0.5;
    return d;
}

static dq_dqn *make(const dq_dqn_def *d, const fx_file *f, const char *pre) {
    dq_error err;
    dq_space os = {0}, as = {0};
    os.kind = DQ_SPACE_BOX;
    os.size = 4;
    os.dtype = DQ_F32;
    as.kind = DQ_SPACE_DISCRETE;
    as.n = 3;
    as.size = 1;
    as.dtype = DQ_I64;
    dq_dqn *ag = NULL;
    CHECK_OK(dq_dqn_create(&ag, d, &os, &as, &err));
    char name[64];
    snprintf(name, sizeof name, "%sparams0", pre);
    const fx_array *p0 = fx_get(f, name);
    snprintf(name, sizeof name, "%starget", pre);
    const fx_array *pt = fx_get(f, name);
    CHECK(ag && (size_t)p0->cols == ag->q.n_params);
    float *q = ag->q.params, *qt = ag->qt.params;
    for (size_t i = 0; i < ag->q.n_params; i++) {
        q[i] = (float)p0->v[i];
        qt[i] = (float)pt->v[i];
    }
    /* the batch, in slots 0..5 */
    snprintf(name, sizeof name, "%sobs", pre);
    const fx_array *o = fx_get(f, name);
    snprintf(name, sizeof name, "%snext", pre);
    const fx_array *nx = fx_get(f, name);
    snprintf(name, sizeof name, "%sact", pre);
    const fx_array *a = fx_get(f, name);
    snprintf(name, sizeof name, "%srew", pre);
    const fx_array *r = fx_get(f, name);
    snprintf(name, sizeof name, "%s", !strcmp(pre, "u_") ? "u_term" : "r_disc");
    const fx_array *t = fx_get(f, name);
    for (int i = 0; i < 6; i++) {
        float ob[4], nb[4];
        for (int k = 0; k < 4; k++) ob[k] = (float)o->v[i * 4 + k], nb[k] = (float)nx->v[i * 4 + k];
        /* part 2: terminated <=> discount 0 */
        const bool term = !strcmp(pre, "u_") ? t->v[i] != 0 : t->v[i] == 0;
        dq_replay_add(ag->rb, ob, (int)a->v[i], (float)r->v[i], nb, term, false);
        if (ag->slot_disc) ag->slot_disc[i] = (float)t->v[i];
    }
    return ag;
}

static void test_double_dqn_updates(const fx_file *f) {
    dq_dqn_def d = base_def();
    dq_dqn *ag = make(&d, f, "u_");
    dq_error err;
    for (int k = 1; k <= 5; k++) {
        const double loss_before = ag->acc_loss;
        CHECK_OK(dqn_update(ag, &err));
        char name[32];
        snprintf(name, sizeof name, "u_params%d", k);
        const double dp = max_abs_diff(ag->q.params, fx_get(f, name)->v, ag->q.n_params);
        CHECK_MSG(dp <= 1e-5, "update %d: params differ by %g", k, dp);
        snprintf(name, sizeof name, "u_loss%d", k);
        CHECK_NEAR(ag->acc_loss - loss_before, fx_get(f, name)->v[0], 1e-5);
    }
    CHECK(ag->acc_gn / 5 > 0.5); /* clipping was active */
    dq_dqn_destroy(ag);
}

static void test_rainbow_update(const fx_file *f) {
    dq_dqn_def d = base_def();
    d.prioritized_replay = true;
    d.n_step = 3;
    d.dueling = true;
    d.distributional = true;
    d.c51_atoms = 11;
    d.v_min = -5;
    d.v_max = 5;
    dq_dqn *ag = make(&d, f, "r_");
    /* steps 3-7 of dqn_update on the fixed batch with the fixture's importance weights */
    const int64_t idx[6] = {0, 1, 2, 3, 4, 5};
    dq_replay_batch b = {ag->b_obs, ag->b_next, ag->b_act, ag->b_rew, ag->b_term, NULL, NULL};
    dq_replay_gather(ag->rb, idx, 6, &b);
    memcpy(ag->b_idx, idx, sizeof idx);
    const fx_array *w = fx_get(f, "r_w");
    for (int i = 0; i < 6; i++) ag->b_w[i] = (float)w->v[i];
    dqn_compute_target(ag);
    const fx_array *as = fx_get(f, "r_astar");
    for (int i = 0; i < 6; i++) CHECK(ag->a_star[i] == (int32_t)as->v[i]);
    const double loss = dqn_loss_backward(ag);
    const double gn = dqn_optimizer_step(ag);
    CHECK(gn > 0.5);
    CHECK_NEAR(loss, fx_get(f, "r_loss")->v[0], 1e-5);
    const fx_array *ce = fx_get(f, "r_ce");
    const double dc = max_abs_diff(ag->prio, ce->v, 6);
    CHECK_MSG(dc <= 1e-5, "priorities differ by %g", dc);
    const double dp = max_abs_diff(ag->q.params, fx_get(f, "r_params1")->v, ag->q.n_params);
    CHECK_MSG(dp <= 1e-5, "params differ by %g", dp);
    dq_dqn_destroy(ag);
}

int main(void) {
    fx_file f;
    CHECK(fx_load(&f, DQ_FIXTURE_DIR "/dqn_update_ref.txt") == 0);
    if (f.n == 0) TEST_MAIN_END();
    test_double_dqn_updates(&f);
    test_rainbow_update(&f);
    fx_free(&f);
    TEST_MAIN_END();
}
