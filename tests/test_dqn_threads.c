/* test_dqn_threads.c — the `threads` key: a DQN run with threads = 2 and 3 (a dq_pool inside
 * every update) must end with bit-identical online and target parameters and the same update
 * count as the single-threaded run (CartPole, 64x64 batch 64, Double DQN and plain); the key
 * parses from the config and out-of-range values are refused. */
#include <stdlib.h>
#include <string.h>

#include "deepq/config.h"
#include "deepq/dqn.h"
#include "test.h"

typedef struct result {
    float *q, *qt;
    size_t n;
    int64_t updates;
} result;

static result train(int threads, bool double_q) {
    result r = {NULL, NULL, 0, 0};
    dq_error err;
    dq_env *env;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    dq_dqn_def d = dq_dqn_def_default();
    d.n_timesteps = 700;
    d.learning_starts = 100;
    d.batch_size = 64;
    d.train_freq = 2;
    d.target_update_interval = 150;
    d.learning_rate = 1e-3;
    d.max_grad_norm = 0.5; /* clipping triggers */
    d.double_q = double_q;
    d.seed = 3;
    d.threads = threads;
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    const dq_mlp *q = dq_dqn_online(ag), *qt = dq_dqn_target(ag);
    r.n = q->n_params;
    r.q = malloc(sizeof(float) * r.n);
    r.qt = malloc(sizeof(float) * r.n);
    memcpy(r.q, q->params, sizeof(float) * r.n);
    memcpy(r.qt, qt->params, sizeof(float) * r.n);
    r.updates = dq_dqn_updates(ag);
    dq_dqn_destroy(ag);
    dq_env_free(env);
    return r;
}

static void test_identical(bool double_q) {
    result a = train(1, double_q);
    CHECK(a.updates == 300);
    for (int t = 2; t <= 3; t++) {
        result b = train(t, double_q);
        CHECK(b.updates == a.updates && b.n == a.n);
        CHECK_MSG(memcmp(a.q, b.q, sizeof(float) * a.n) == 0, "online params, %d threads", t);
        CHECK_MSG(memcmp(a.qt, b.qt, sizeof(float) * a.n) == 0, "target params, %d threads", t);
        free(b.q);
        free(b.qt);
    }
    free(a.q);
    free(a.qt);
}

static void test_key(void) {
    dq_run_config c;
    dq_error err;
    dq_run_config_default(&c);
    CHECK(c.dqn.threads == 1);
    CHECK_OK(dq_config_set(&c, "threads", "2", &err));
    CHECK(c.dqn.threads == 2);
    CHECK(dq_dqn_def_check(&c.dqn, &err) == DQ_OK);
    c.dqn.threads = 0;
    CHECK(dq_dqn_def_check(&c.dqn, &err) == DQ_EINVAL && strstr(err.msg, "threads"));
}

int main(void) {
    test_identical(false);
    test_identical(true);
    test_key();
    TEST_MAIN_END();
}
