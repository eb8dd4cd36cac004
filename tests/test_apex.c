/* test_apex.c — Ape-X's MPI-free pieces (deepq/apex.h): the actors' epsilons, the block layout
 * (views inside the buffer, no overlap, 8-byte aligned doubles), the receiver's checks (magic,
 * layout version, kind, sizes) with messages naming what differs, and the learner / actor
 * hooks on a dq_dqn: stored transitions get the given priority, block priorities equal
 * |r + discount max Q(s') - Q(s, a)| from the network, and training from stored blocks runs. */
#include "deepq/apex.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

static void test_epsilon_and_def(void) {
    dq_apex_def d = dq_apex_def_default();
    dq_error err;
    CHECK_OK(dq_apex_def_check(&d, &err));
    CHECK_NEAR(dq_apex_epsilon(&d, 0, 1), 0.4, 0);
    CHECK_NEAR(dq_apex_epsilon(&d, 0, 8), 0.4, 1e-15);
    CHECK_NEAR(dq_apex_epsilon(&d, 7, 8), pow(0.4, 8), 1e-15);
    CHECK_NEAR(dq_apex_epsilon(&d, 3, 8), pow(0.4, 1 + 7.0 * 3 / 7), 1e-15);
    d.eps_base = 0;
    CHECK(dq_apex_def_check(&d, &err) == DQ_EINVAL);
    dq_apex_def raw = {0};
    raw.n_envs = 1;
    CHECK(dq_apex_def_check(&raw, &err) == DQ_EINVAL && strstr(err.msg, "dq_apex_def_default"));
}

static void test_layout_and_parse(void) {
    const int cap = 5, od = 3;
    size_t bytes = dq_apex_block_bytes(cap, od);
    CHECK(bytes == 64 + 2 * 5 * 3 * 4 + 4 * 5 * 4 + 5 * 8 * 2); /* always 8-aligned */
    void *buf = aligned_alloc(64, (bytes + 63) / 64 * 64);
    dq_apex_block b;
    dq_apex_block_init(&b, buf, cap, od, 2);
    CHECK((char *)b.obs == (char *)buf + 64);
    CHECK((char *)b.next_obs == (char *)b.obs + cap * od * 4);
    CHECK((uintptr_t)b.ep_return % 8 == 0 && (uintptr_t)b.ep_length % 8 == 0);
    CHECK((char *)(b.ep_length + cap) == (char *)buf + bytes);
    for (int i = 0; i < cap * od; i++) b.obs[i] = (float)i, b.next_obs[i] = (float)-i;
    b.h->n = 4;
    b.h->n_eps = 1;
    b.ep_return[0] = 21.5;
    dq_error err;
    dq_apex_block r;
    CHECK_OK(dq_apex_parse(buf, bytes, od, 0, &r, &err));
    CHECK(r.h->actor == 2 && r.h->n == 4 && r.obs[7] == 7.0f && r.next_obs[7] == -7.0f &&
          r.ep_return[0] == 21.5);
    CHECK(dq_apex_parse(buf, bytes, od + 1, 0, &r, &err) == DQ_EFORMAT); /* other env */
    CHECK(dq_apex_parse(buf, bytes - 8, od, 0, &r, &err) == DQ_EFORMAT);
    b.h->n = cap + 1;
    CHECK(dq_apex_parse(buf, bytes, od, 0, &r, &err) == DQ_EFORMAT && strstr(err.msg, "malformed"));
    b.h->n = 4;
    b.h->version = DQ_APEX_VERSION + 1;
    CHECK(dq_apex_parse(buf, bytes, od, 0, &r, &err) == DQ_EFORMAT);
    CHECK(strstr(err.msg, "version") && strstr(err.msg, "same deepq build"));
    b.h->version = DQ_APEX_VERSION;
    b.h->magic = 0;
    CHECK(dq_apex_parse(buf, bytes, od, 0, &r, &err) == DQ_EFORMAT && strstr(err.msg, "magic"));
    free(buf);

    dq_apex_header h;
    dq_apex_header_init(&h, DQ_APEX_STOP, -1);
    CHECK_OK(dq_apex_parse(&h, sizeof h, 0, 0, NULL, &err));
    h.kind = 99;
    CHECK(dq_apex_parse(&h, sizeof h, 0, 0, NULL, &err) == DQ_EFORMAT && strstr(err.msg, "kind"));
    size_t pb = sizeof h + 10 * sizeof(float);
    dq_apex_header *ph = calloc(1, pb);
    dq_apex_header_init(ph, DQ_APEX_PARAMS, -1);
    ph->n = 10;
    CHECK_OK(dq_apex_parse(ph, pb, 0, 10, NULL, &err));
    CHECK(dq_apex_parse(ph, pb, 0, 11, NULL, &err) == DQ_EFORMAT && strstr(err.msg, "11"));
    free(ph);
}

static void test_agent_hooks(void) {
    dq_dqn_def d = dq_dqn_def_default();
    d.prioritized_replay = true;
    d.n_step = 3;
    d.batch_size = 8;
    d.buffer_size = 256;
    d.learning_starts = 0;
    d.n_timesteps = 1000;
    d.seed = 5;
    dq_space obs = {.kind = DQ_SPACE_BOX, .ndim = 1, .shape = {4}, .size = 4, .dtype = DQ_F32},
             act = {.kind = DQ_SPACE_DISCRETE, .n = 2, .size = 1, .dtype = DQ_I64};
    dq_dqn *ag = NULL;
    dq_error err;
    CHECK_OK(dq_dqn_create(&ag, &d, &obs, &act, &err));
    if (!ag) return;
    CHECK_OK(dq_dqn_apex_check(ag, &err));
    enum { N = 20 };
    float o[N * 4], nx[N * 4], rew[N], disc[N], prio[N];
    int32_t a[N];
    dq_rng rng;
    dq_rng_seed(&rng, 9);
    for (int i = 0; i < N * 4; i++) o[i] = (float)dq_rng_uniform(&rng) - 0.5f, nx[i] = (float)dq_rng_uniform(&rng) - 0.5f;
    for (int i = 0; i < N; i++) a[i] = i % 2, rew[i] = 1.0f, disc[i] = i % 5 ? 0.97f : 0.0f;
    dq_dqn_block_priorities(ag, prio, o, a, rew, nx, disc, N);
    for (int i = 0; i < N; i++) { /* against the network's own Q-values */
        float q[2], qn[2];
        dq_mlp_act(dq_dqn_online(ag), o + i * 4, q);
        dq_mlp_act(dq_dqn_online(ag), nx + i * 4, qn);
        float want = fabsf(rew[i] + disc[i] * fmaxf(qn[0], qn[1]) - q[a[i]]);
        CHECK_NEAR(prio[i], want, 1e-5);
    }
    for (int i = 0; i < N; i++)
        dq_dqn_store_prioritized(ag, o + i * 4, a[i], rew[i], nx + i * 4, disc[i] == 0, disc[i],
                                 i == 0 ? -1 : prio[i]);
    CHECK(dq_dqn_replay(ag)->size == N);
    CHECK_OK(dq_dqn_train_steps(ag, 5, N, &err));
    CHECK(dq_dqn_updates(ag) == 5);
    dq_dqn_update_target(ag);
    dq_dqn_destroy(ag);

    d.prioritized_replay = false;
    CHECK_OK(dq_dqn_create(&ag, &d, &obs, &act, &err));
    CHECK(dq_dqn_apex_check(ag, &err) == DQ_EINVAL && strstr(err.msg, "prioritized"));
    dq_dqn_destroy(ag);
}

int main(void) {
    test_epsilon_and_def();
    test_layout_and_parse();
    test_agent_hooks();
    TEST_MAIN_END();
}
