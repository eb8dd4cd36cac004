/* test_replay.c — replay ring buffer (wrap-around, true next obs on truncation, terminal count)
 * and sampling (range, with/without replacement, uniformity), and exploration schedules. */
#include <stdlib.h>
#include <string.h>

#include "deepq/replay.h"
#include "deepq/schedule.h"
#include "test.h"

static void fill(float *o, int d, float v) {
    for (int i = 0; i < d; i++) o[i] = v + 0.1f * (float)i;
}

static void test_ring(void) {
    dq_error err;
    dq_replay_def d = dq_replay_def_default();
    d.capacity = 5;
    d.obs_dim = 3;
    dq_replay *rb;
    CHECK_OK(dq_replay_create(&rb, &d, &err));
    float o[3], n[3];
    for (int t = 0; t < 7; t++) {
        fill(o, 3, (float)t);
        fill(n, 3, (float)t + 100.0f); /* the true next obs, distinct from any reset obs */
        dq_replay_add(rb, o, t % 2, (float)t, n, t == 1 || t == 5, t == 3);
    }
    CHECK(rb->size == 5);
    CHECK(rb->pos == 2);
    CHECK(rb->n_added == 7);
    /* stored t = 2..6; terminal only t = 5 (t = 1 overwritten) */
    CHECK(rb->n_terminal == 1);
    CHECK_NEAR(dq_replay_terminal_frac(rb), 0.2, 1e-12);
    CHECK(dq_replay_last(rb) == 1);
    int64_t idx[3] = {0, 1, 3}; /* slots 0 <- t5, 1 <- t6, 3 <- t3 (truncated) */
    float bo[9], bn[9], br[3], bt[3], btr[3];
    int32_t ba[3];
    dq_replay_batch b = {bo, bn, ba, br, bt, btr, NULL};
    dq_replay_gather(rb, idx, 3, &b);
    CHECK_NEAR(br[0], 5, 0);
    CHECK_NEAR(br[1], 6, 0);
    CHECK_NEAR(br[2], 3, 0);
    CHECK(bt[0] == 1.0f && bt[1] == 0.0f && bt[2] == 0.0f);
    CHECK(btr[2] == 1.0f && btr[0] == 0.0f);
    CHECK_NEAR(bn[2 * 3 + 1], 103.1f, 1e-5);
    CHECK_NEAR(bo[1 * 3 + 2], 6.2f, 1e-5);
    CHECK(ba[0] == 1 && ba[1] == 0);
    dq_replay_clear(rb);
    CHECK(rb->size == 0);
    dq_rng r;
    dq_rng_seed(&r, 1);
    int64_t sc[4];
    CHECK(dq_replay_sample(rb, &r, 4, &b, sc, &err) == DQ_EINVAL);
    dq_replay_destroy(rb);
    dq_replay_destroy(NULL);
    d.capacity = 0;
    CHECK(dq_replay_create(&rb, &d, &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "buffer_size") != NULL);
}

static void test_sampling(int with_repl) {
    dq_error err;
    dq_replay_def d = dq_replay_def_default();
    d.capacity = 20;
    d.obs_dim = 1;
    d.with_replacement = with_repl;
    dq_replay *rb;
    CHECK_OK(dq_replay_create(&rb, &d, &err));
    for (int t = 0; t < 10; t++) {
        float o = (float)t, n = (float)t + 1;
        dq_replay_add(rb, &o, 0, (float)t, &n, false, false);
    }
    enum { B = 8 };
    float bo[B], bn[B], br[B], bt[B];
    int32_t ba[B];
    int64_t idx[B];
    dq_replay_batch b = {bo, bn, ba, br, bt, NULL, idx};
    dq_rng r;
    dq_rng_seed(&r, 42);
    long count[10] = {0};
    int dup_batches = 0;
    const int N = 20000;
    for (int it = 0; it < N; it++) {
        CHECK(dq_replay_sample(rb, &r, B, &b, NULL, &err) == DQ_OK);
        int dup = 0;
        for (int i = 0; i < B; i++) {
            if (idx[i] < 0 || idx[i] >= 10) {
                CHECK(0);
                continue;
            }
            count[idx[i]]++;
            CHECK(br[i] == (float)idx[i]); /* gathered the sampled slot */
            for (int j = 0; j < i; j++) dup |= idx[j] == idx[i];
        }
        dup_batches += dup;
    }
    if (with_repl) CHECK(dup_batches > N / 2); /* P(no dup, 8 of 10) = 1.8% */
    else CHECK(dup_batches == 0);
    /* uniform: each of 10 slots expected N*B/10 = 16000 */
    double chi = 0, e = (double)N * B / 10;
    for (int i = 0; i < 10; i++) chi += (count[i] - e) * (count[i] - e) / e;
    CHECK_MSG(chi < 27.9, "chi2 %g (df 9, p=0.001 at 27.9)", chi); /* without repl: variance lower */
    if (!with_repl) CHECK(dq_replay_sample(rb, &r, 11, &b, NULL, &err) == DQ_EINVAL);
    dq_replay_destroy(rb);
}

static void test_schedules(void) {
    dq_schedule_def s = dq_schedule_def_default();
    s.start = 1.0;
    s.end = 0.04;
    s.fraction = 0.1;
    CHECK_NEAR(dq_schedule_value(&s, 0, 80000, 0), 1.0, 1e-12);
    CHECK_NEAR(dq_schedule_value(&s, 4000, 80000, 0), 0.52, 1e-12);
    CHECK_NEAR(dq_schedule_value(&s, 8000, 80000, 0), 0.04, 1e-12);
    CHECK_NEAR(dq_schedule_value(&s, 70000, 80000, 0), 0.04, 1e-12);
    s.kind = DQ_SCHED_EXP;
    s.start = 0.9;
    s.end = 0.05;
    s.decay = 1000;
    CHECK_NEAR(dq_schedule_value(&s, 0, 1, 0), 0.9, 1e-12);
    CHECK_NEAR(dq_schedule_value(&s, 1000, 1, 7), 0.05 + 0.85 * exp(-1.0), 1e-12);
    s.per_episode = true;
    CHECK_NEAR(dq_schedule_value(&s, 1000, 1, 500), 0.05 + 0.85 * exp(-0.5), 1e-12);
    s.kind = DQ_SCHED_CONSTANT;
    s.start = 0.3;
    CHECK_NEAR(dq_schedule_value(&s, 123, 1000, 5), 0.3, 0);
    dq_error err;
    CHECK_OK(dq_schedule_check(&s, &err));
    s.start = 1.5;
    CHECK(dq_schedule_check(&s, &err) == DQ_EINVAL);
    dq_schedule_kind k;
    CHECK_OK(dq_schedule_kind_parse("exponential", &k, &err));
    CHECK(k == DQ_SCHED_EXP);
    CHECK(dq_schedule_kind_parse("cosine", &k, &err) == DQ_ENOTFOUND);
}

int main(void) {
    test_ring();
    test_sampling(1);
    test_sampling(0);
    test_schedules();
    TEST_MAIN_END();
}
