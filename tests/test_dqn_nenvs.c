/* test_dqn_nenvs.c — vectorized collection (n_envs > 1): the batched greedy action of n rows
 * equals dq_dqn_greedy row by row (plain, float64, dueling + C51 heads); SB3's counting of
 * train_freq in calls of the batch step and gradient_steps -1 as transitions collected; the
 * n_envs key reads, is written to config.yml only when not 1, and refuses what it cannot do;
 * n-step windows per env store what one accumulator per env stream stores (truncation
 * bootstraps with gamma^k); prefill stores exactly prefill transitions; a run stopped at a step
 * end, saved, and resumed into a fresh agent ends with the uninterrupted run's parameters and
 * episodes (plain DQN, and Rainbow with 3-step windows, PER, noisy nets and prefill). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/config.h"
#include "rl/dqn_internal.h"
#include "test.h"

static void test_batched_greedy(const char *set1, const char *set2) {
    dq_error err;
    dq_run_config c;
    dq_run_config_default(&c);
    CHECK_OK(dq_config_set(&c, "n_envs", "5", &err));
    if (set1) CHECK_OK(dq_config_set(&c, set1, set2, &err));
    dq_space os = {0}, as = {0};
    os.kind = DQ_SPACE_BOX;
    os.size = 3;
    os.dtype = DQ_F32;
    as.kind = DQ_SPACE_DISCRETE;
    as.n = 4;
    as.size = 1;
    as.dtype = DQ_I64;
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &c.dqn, &os, &as, &err));
    dq_rng r;
    dq_rng_seed(&r, 9);
    float obs[5 * 3];
    for (int i = 0; i < 15; i++) obs[i] = (float)dq_rng_normal(&r);
    int64_t a[5];
    dq_offpolicy_actions out = {a, NULL};
    dqn_algo.act(ag, obs, 5, 0.0, false, &out);
    for (int i = 0; i < 5; i++)
        CHECK_MSG(a[i] == dq_dqn_greedy(ag, obs + 3 * i, NULL), "%s row %d", set1 ? set1 : "", i);
    dq_dqn_destroy(ag);
}

static void test_counting(void) {
    dq_error err;
    dq_env *env;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    dq_dqn_def d = dq_dqn_def_default();
    d.n_envs = 4;
    d.n_timesteps = 64;
    d.learning_starts = 0;
    d.batch_size = 8;
    d.train_freq = 2;        /* every 2 steps of the batch = 8 transitions */
    d.gradient_steps = -1;   /* 8 updates each */
    d.target_update_interval = 8; /* every 8 / 4 = 2 calls */
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    CHECK(dq_dqn_steps(ag) == 64);
    CHECK(dq_dqn_updates(ag) == 64);
    CHECK(ag->core.c.n_calls == 16);
    CHECK(ag->rb->size == 64);
    dq_dqn_destroy(ag);
    d.gradient_steps = 3;
    CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    CHECK(dq_dqn_updates(ag) == 8 * 3);
    dq_dqn_destroy(ag);
    dq_env_free(env);
}

static void test_key(void) {
    dq_error err;
    dq_run_config c;
    dq_run_config_default(&c);
    char *y;
    CHECK_OK(dq_config_to_yaml(&c, &y, &err));
    CHECK(strstr(y, "n_envs") == NULL);
    free(y);
    CHECK_OK(dq_config_set(&c, "n_envs", "8", &err));
    CHECK(c.dqn.n_envs == 8);
    CHECK_OK(dq_config_to_yaml(&c, &y, &err));
    CHECK(strstr(y, "\nn_envs: 8\n") != NULL);
    free(y);
    CHECK(dq_config_set(&c, "n_envs", "0", &err) == DQ_EINVAL);
    c.dqn.n_step = 3; /* per-env n-step windows (test_dqn_nenvs_store.c) */
    c.dqn.prefill = 100;
    CHECK_OK(dq_dqn_def_check(&c.dqn, &err));
    c.dqn.no_replay = true; /* online learning needs one env's stream: refused, saying why */
    CHECK(dq_dqn_def_check(&c.dqn, &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "n_envs") != NULL && strstr(err.msg, "no_replay") != NULL);
}

/* Two envs' streams through DQN's store (n_envs 2, n_step 3) land in the replay exactly as
 * two single-env accumulators fed each stream, interleaved in the order the rows arrive. */
static void test_nstep_windows(void) {
    enum { E = 2, D = 3, NS = 3, STEPS = 400 };
    dq_error err;
    dq_dqn_def d = dq_dqn_def_default();
    d.n_envs = E;
    d.n_step = NS;
    d.gamma = 0.9;
    d.buffer_size = 4 * STEPS;
    dq_space os = {0}, as = {0};
    os.kind = DQ_SPACE_BOX, os.size = D, os.dtype = DQ_F32;
    as.kind = DQ_SPACE_DISCRETE, as.n = 4, as.size = 1, as.dtype = DQ_I64;
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &d, &os, &as, &err));
    if (!ag) return;
    dq_nstep ref[E];
    for (int i = 0; i < E; i++) CHECK_OK(dq_nstep_init(&ref[i], NS, d.gamma, D, &err));
    dq_nstep_out out[NS];
    dq_rng r;
    dq_rng_seed(&r, 4);
    float obs[E * D], next[E * D];
    for (int j = 0; j < E * D; j++) obs[j] = (float)dq_rng_normal(&r);
    int64_t slot = 0, bad = 0, truncated = 0, terminated = 0, partial_trunc = 0;
    for (int t = 0; t < STEPS; t++) {
        int64_t a[E];
        double rew[E];
        bool term[E], trunc[E];
        for (int i = 0; i < E; i++) {
            a[i] = (int64_t)dq_rng_below(&r, 4);
            rew[i] = dq_rng_normal(&r);
            const double u = dq_rng_uniform(&r);
            term[i] = u < 0.06, trunc[i] = u >= 0.06 && u < 0.12;
            for (int j = 0; j < D; j++) next[i * D + j] = (float)dq_rng_normal(&r);
        }
        dq_offpolicy_actions acts = {a, NULL};
        dq_offpolicy_transitions tr = {E, D, 1, obs, &acts, rew, next, term, trunc};
        dqn_algo.store(ag, &tr);
        for (int i = 0; i < E; i++) { /* the reference: env i's own accumulator */
            const int m = dq_nstep_push(&ref[i], obs + i * D, (int32_t)a[i], (float)rew[i],
                                        next + i * D, term[i], trunc[i], out);
            for (int k = 0; k < m; k++, slot++) {
                const dq_nstep_out *o = &out[k];
                bad += slot >= ag->rb->size;
                if (slot >= ag->rb->size) continue;
                bad += memcmp(ag->rb->obs + slot * D, o->obs, D * sizeof(float)) != 0;
                bad += memcmp(ag->rb->next_obs + slot * D, o->next_obs, D * sizeof(float)) != 0;
                bad += ag->rb->action[slot] != o->action || ag->rb->reward[slot] != o->reward;
                bad += ag->rb->terminated[slot] != o->terminated;
                bad += ag->rb->truncated[slot] != o->truncated;
                bad += ag->slot_disc[slot] != (float)o->discount;
                if (o->truncated) { /* a time limit bootstraps with gamma^k, k its real length */
                    truncated++;
                    partial_trunc += o->k < NS;
                    bad += !(ag->slot_disc[slot] == (float)pow(d.gamma, o->k));
                }
                terminated += o->terminated;
            }
        }
        for (int i = 0; i < E; i++) /* autoreset: the next episode starts elsewhere */
            for (int j = 0; j < D; j++)
                obs[i * D + j] = term[i] || trunc[i] ? (float)dq_rng_normal(&r) : next[i * D + j];
    }
    CHECK_MSG(bad == 0, "%lld mismatches between per-env windows and the reference",
              (long long)bad);
    CHECK_MSG(slot == ag->rb->size, "reference stored %lld, DQN %lld", (long long)slot,
              (long long)ag->rb->size);
    CHECK(truncated > 10 && partial_trunc > 5 && terminated > 10);
    for (int i = 0; i < E; i++) dq_nstep_free(&ref[i]);
    dq_dqn_destroy(ag);
}

/* prefill with n_envs 4 stores exactly prefill transitions (103: not a multiple of 4). */
static void test_prefill(void) {
    dq_error err;
    dq_env *env;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    dq_dqn_def d = dq_dqn_def_default();
    d.n_envs = 4;
    d.n_step = 3;
    d.prefill = 103;
    d.n_timesteps = 0;
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    /* 103 pushes, minus what the aborted windows held (at most 2 per env) */
    CHECK_MSG(ag->rb->size <= 103 && ag->rb->size >= 103 - 4 * 2, "size %lld",
              (long long)ag->rb->size);
    CHECK(dq_dqn_steps(ag) == 0);
    for (int i = 0; i < 4; i++) CHECK(ag->nstep[i].count == 0); /* windows dropped */
    dq_dqn_destroy(ag);
    d.n_step = 1;
    CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    CHECK_MSG(ag->rb->size == 103, "size %lld", (long long)ag->rb->size);
    dq_dqn_destroy(ag);
    dq_env_free(env);
}

/* A finished episode, as the callback saw it. */
typedef struct ep_rec {
    int64_t episode, length, total_steps;
    double ret;
} ep_rec;

typedef struct recorder {
    ep_rec eps[4096];
    int n;
    int64_t stop_at;     /* stop the learn call at the end of the step reaching this (0: never) */
    bool stopped;
    dq_status save_inside; /* what dq_dqn_save_state said from inside the callback */
    dq_env *env;
} recorder;

static int on_ep(void *u, dq_dqn *ag, const dq_dqn_episode *ep) {
    recorder *r = u;
    if (r->n < 4096) r->eps[r->n++] = (ep_rec){ep->episode, ep->length, ep->total_steps, ep->ret};
    if (r->stop_at <= 0 || ep->total_steps < r->stop_at || r->stopped) return 0;
    dq_error err;
    r->save_inside = dq_dqn_save_state(ag, r->env, "test_dqn_nenvs_never.safetensors", 0, NULL,
                                       &err);
    r->stopped = true;
    return 1;
}

static dq_dqn_def resume_def(bool rainbow) {
    dq_dqn_def d = dq_dqn_def_default();
    d.n_envs = 4;
    d.n_timesteps = 3000;
    d.learning_starts = 200;
    d.batch_size = 16;
    d.buffer_size = 2000;
    d.train_freq = 1;
    d.gradient_steps = 2;
    d.target_update_interval = 100;
    d.exploration_fraction = 0.3;
    d.n_hidden = 1;
    d.net_arch[0] = 32;
    d.seed = 11;
    d.eval_freq = 0;
    if (rainbow) {
        d.n_step = 3;
        d.prioritized_replay = true;
        d.noisy = true;
        d.dueling = true;
        d.prefill = 150;
    }
    return d;
}

/* N steps uninterrupted vs stopped at a step end after K, saved, resumed into a fresh agent:
 * identical parameters, optimizer state and episode records. */
static void test_resume(bool rainbow, int64_t k) {
    const char *path = "test_dqn_nenvs_resume.safetensors";
    dq_error err;
    dq_dqn_def d = resume_def(rainbow);
    dq_env *env;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    dq_dqn *a;
    static recorder ra, rb;
    memset(&ra, 0, sizeof ra);
    memset(&rb, 0, sizeof rb);
    CHECK_OK(dq_dqn_create(&a, &d, &env->obs_space, &env->act_space, &err));
    dq_dqn_callbacks cba = {&ra, on_ep, NULL, NULL, NULL};
    CHECK_OK(dq_dqn_learn(a, env, &cba, &err));
    dq_env_free(env);

    dq_dqn *b;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    CHECK_OK(dq_dqn_create(&b, &d, &env->obs_space, &env->act_space, &err));
    rb.stop_at = k;
    rb.env = env;
    dq_dqn_callbacks cbb = {&rb, on_ep, NULL, NULL, NULL};
    CHECK_OK(dq_dqn_learn(b, env, &cbb, &err));
    CHECK(rb.stopped && dq_dqn_steps(b) < d.n_timesteps);
    CHECK(rb.save_inside == DQ_EINVAL); /* mid-step (inside the callback): refused */
    CHECK(dq_dqn_at_boundary(b));
    CHECK_OK(dq_dqn_save_state(b, env, path, 0, NULL, &err));
    const int64_t stopped_at = dq_dqn_steps(b);
    bool pending = false; /* some env's window holds a running episode's steps */
    for (int i = 0; rainbow && i < d.n_envs; i++) pending |= b->nstep[i].count > 0;
    dq_dqn_destroy(b);
    dq_env_free(env);

    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    CHECK_OK(dq_dqn_create(&b, &d, &env->obs_space, &env->act_space, &err));
    CHECK_OK(dq_dqn_load_state(b, env, path, NULL, &err));
    CHECK(dq_dqn_steps(b) == stopped_at);
    CHECK_OK(dq_dqn_learn(b, env, &cbb, &err));
    CHECK(dq_dqn_steps(b) == d.n_timesteps);
    CHECK_MSG(a->q.n_params == b->q.n_params &&
                  !memcmp(a->q.params, b->q.params, a->q.n_params * sizeof(float)) &&
                  !memcmp(a->qt.params, b->qt.params, a->q.n_params * sizeof(float)),
              "rainbow %d: resumed parameters differ from the uninterrupted run's", rainbow);
    CHECK(!memcmp(a->opt.state, b->opt.state,
                  (size_t)a->opt.n_moments * a->opt.n * sizeof(float)));
    CHECK_MSG(ra.n == rb.n && ra.n > 50 && !memcmp(ra.eps, rb.eps, (size_t)ra.n * sizeof(ep_rec)),
              "rainbow %d: episodes %d vs %d", rainbow, ra.n, rb.n);
    if (rainbow) CHECK_MSG(pending, "the state held no pending n-step step (test too weak)");
    remove(path);
    dq_dqn_destroy(a);
    dq_dqn_destroy(b);
    dq_env_free(env);
}

int main(void) {
    test_batched_greedy(NULL, NULL);
    test_batched_greedy("dtype", "float64");
    test_batched_greedy("distributional", "true");
    test_batched_greedy("dueling", "true");
    test_counting();
    test_key();
    test_nstep_windows();
    test_prefill();
    test_resume(false, 1200);
    test_resume(true, 1700);
    TEST_MAIN_END();
}
