/* test_state_check.c — dq_dqn_load_state refuses corrupted training states (dqn_state_check.c):
 * a short run saves a real state, one tensor is altered (an action out of range, a huge action, a
 * NaN reward in a Rainbow state, a replay size above capacity, PER priorities and heap order, a
 * dead random generator), and loading must fail with DQ_EFORMAT and one line naming the tensor.
 * The unaltered file still loads. */
#include "deepq/config.h"
#include "deepq/dqn.h"
#include "deepq/env.h"
#include "deepq/safetensors.h"
#include "rl/dqn_internal.h"
#include "test.h"
#include "dqn_stopper.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef void (*mutate_fn)(void *data, const dq_ndarray *t);

/* Copy state file `src` to `dst`, with tensor `name` passed through mut first (and the
 * metadata entry `drop_meta`, when non-NULL, left out). */
static void rewrite_meta(const char *src, const char *dst, const char *name, mutate_fn mut,
                         const char *drop_meta) {
    dq_error err;
    dq_safetensors *f;
    dq_safetensors_writer *w;
    CHECK_OK(dq_safetensors_load(&f, src, &err));
    CHECK_OK(dq_safetensors_writer_create(&w, &err));
    bool found = false;
    for (int i = 0; i < dq_safetensors_count(f); i++) {
        const dq_ndarray *t = dq_safetensors_at(f, i);
        void *copy = malloc(t->nbytes ? t->nbytes : 1);
        memcpy(copy, t->data, t->nbytes);
        if (!strcmp(t->name, name)) {
            mut(copy, t);
            found = true;
        }
        CHECK_OK(dq_safetensors_writer_add(w, t->name, t->dtype, t->ndim, t->shape, copy, &err));
        free(copy);
    }
    CHECK_MSG(found, "no tensor %s in %s", name, src);
    for (int i = 0; i < dq_safetensors_meta_count(f); i++) {
        const char *k, *v;
        dq_safetensors_meta_at(f, i, &k, &v);
        if (drop_meta && !strcmp(k, drop_meta)) continue;
        CHECK_OK(dq_safetensors_writer_add_meta(w, k, v, &err));
    }
    CHECK_OK(dq_safetensors_writer_save(w, dst, &err));
    dq_safetensors_writer_destroy(w);
    dq_safetensors_free(f);
}

static void rewrite(const char *src, const char *dst, const char *name, mutate_fn mut) {
    rewrite_meta(src, dst, name, mut, NULL);
}

static void action_2(void *d, const dq_ndarray *t) { ((int32_t *)d)[t->shape[0] / 2] = 2; }
static void action_huge(void *d, const dq_ndarray *t) { ((int32_t *)d)[3] = 1 << 30; (void)t; }
static void action_neg(void *d, const dq_ndarray *t) { ((int32_t *)d)[0] = -1; (void)t; }
static void reward_nan(void *d, const dq_ndarray *t) { ((float *)d)[t->shape[0] - 1] = NAN; }
static void obs_inf(void *d, const dq_ndarray *t) { ((float *)d)[7] = INFINITY; (void)t; }
/* "counters" (DQN's): [2] replay size, [3] position, [5] terminal count; "loop.counters":
 * [8] window count, [10] n_envs (rl/offpolicy.c) */
static void size_over(void *d, const dq_ndarray *t) { ((int64_t *)d)[2] = 1 << 20; (void)t; }
static void pos_off(void *d, const dq_ndarray *t) { ((int64_t *)d)[3] += 1; (void)t; }
static void terminal_off(void *d, const dq_ndarray *t) { ((int64_t *)d)[5] += 1; (void)t; }
static void win_n_over(void *d, const dq_ndarray *t) { ((int64_t *)d)[8] = 101; (void)t; }
static void n_envs_2(void *d, const dq_ndarray *t) { ((int64_t *)d)[10] = 2; (void)t; }
static void pending_over(void *d, const dq_ndarray *t) { ((int64_t *)d)[1] = 3; (void)t; }
static void unchanged(void *d, const dq_ndarray *t) { (void)d, (void)t; }
static void flag_2(void *d, const dq_ndarray *t) { ((uint8_t *)d)[0] = 2; (void)t; }
static void rng_zero(void *d, const dq_ndarray *t) { memset(d, 0, 4 * sizeof(int64_t)); (void)t; }
static void eps_neg(void *d, const dq_ndarray *t) { ((double *)d)[0] = -0.5; (void)t; }
static void param_nan(void *d, const dq_ndarray *t) { ((float *)d)[0] = NAN; (void)t; }
static void prio_nan(void *d, const dq_ndarray *t) { ((double *)d)[2] = NAN; (void)t; }
static void prio_max_zero(void *d, const dq_ndarray *t) { ((double *)d)[t->shape[0] - 1] = 0; }
static void disc_over(void *d, const dq_ndarray *t) { ((float *)d)[1] = 2.0f; (void)t; }
static void heap_dup(void *d, const dq_ndarray *t) { ((int64_t *)d)[1] = ((int64_t *)d)[0]; (void)t; }
static void heap_out(void *d, const dq_ndarray *t) { ((int64_t *)d)[0] = t->shape[0]; }

/* A short run of config c (CartPole) stopped at the first episode end after step 400 with its
 * state in path; then a fresh agent of the same config in ag, env for loading. */
static void make_state(const dq_run_config *c, const char *path, dq_dqn **ag, dq_env **env) {
    dq_error err;
    dq_env *e;
    dq_dqn *a;
    *ag = NULL;
    CHECK_OK(dq_env_make("CartPole-v1", "", &e, &err));
    CHECK_OK(dq_dqn_create(&a, &c->dqn, &e->obs_space, &e->act_space, &err));
    stopper s = {400, path, e, false};
    dq_dqn_callbacks cb = {&s, stop_cb, NULL, NULL, NULL};
    CHECK_OK(dq_dqn_learn(a, e, &cb, &err));
    CHECK(s.saved);
    dq_dqn_destroy(a);
    dq_env_free(e);
    CHECK_OK(dq_env_make("CartPole-v1", "", env, &err));
    CHECK_OK(dq_dqn_create(ag, &c->dqn, &(*env)->obs_space, &(*env)->act_space, &err));
}

/* Loading path after altering `name` fails with DQ_EFORMAT, one line naming `name` and `word`. */
static void refused(dq_dqn *ag, dq_env *env, const char *path, const char *name, mutate_fn mut,
                    const char *word) {
    const char *bad = "test_state_check_bad.safetensors";
    rewrite(path, bad, name, mut);
    dq_error err = {0};
    dq_status st = dq_dqn_load_state(ag, env, bad, NULL, &err);
    CHECK_MSG(st == DQ_EFORMAT, "%s altered: status %d (%s)", name, (int)st, err.msg);
    CHECK_MSG(strstr(err.msg, name) && strstr(err.msg, word) && !strchr(err.msg, '\n'),
              "message for %s: %s", name, err.msg);
    remove(bad);
}

static void small(dq_run_config *c) {
    dq_config_set(c, "n_timesteps", "700", NULL);
    dq_config_set(c, "learning_starts", "100", NULL);
    dq_config_set(c, "buffer_size", "1000", NULL);
    dq_config_set(c, "batch_size", "16", NULL);
    dq_config_set(c, "eval_freq", "0", NULL);
    dq_config_set(c, "net_arch", "[16, 16]", NULL);
}

static void test_plain(void) {
    dq_run_config c;
    dq_run_config_default(&c);
    small(&c);
    const char *path = "test_state_check_dqn.safetensors";
    dq_dqn *ag;
    dq_env *env;
    make_state(&c, path, &ag, &env);
    if (!ag) return;
    refused(ag, env, path, "replay.action", action_2, "outside [0, 2)");
    refused(ag, env, path, "replay.action", action_huge, "1073741824");
    refused(ag, env, path, "replay.action", action_neg, "-1");
    refused(ag, env, path, "replay.obs", obs_inf, "not finite");
    refused(ag, env, path, "replay.next_obs", obs_inf, "not finite");
    refused(ag, env, path, "replay.reward", reward_nan, "not finite");
    refused(ag, env, path, "replay.terminated", flag_2, "not in");
    refused(ag, env, path, "replay.truncated", flag_2, "not in");
    refused(ag, env, path, "counters", size_over, "replay size");
    refused(ag, env, path, "counters", pos_off, "replay position");
    refused(ag, env, path, "counters", terminal_off, "terminal");
    refused(ag, env, path, "loop.counters", win_n_over, "window count");
    refused(ag, env, path, "loop.counters", n_envs_2, "n_envs 2");
    refused(ag, env, path, "rng", rng_zero, "random generator");
    refused(ag, env, path, "loop.env_rng", rng_zero, "random generator");
    refused(ag, env, path, "loop.explore", eps_neg, "negative");
    refused(ag, env, path, "q_net.params", param_nan, "not finite");
    refused(ag, env, path, "optim.state", param_nan, "not finite");
    /* a state of the first layout (no state_version) is refused with one line */
    rewrite_meta(path, "test_state_check_v1.safetensors", "loop.counters", unchanged,
                 "state_version");
    dq_error err = {0};
    dq_status st = dq_dqn_load_state(ag, env, "test_state_check_v1.safetensors", NULL, &err);
    CHECK_MSG(st == DQ_EFORMAT && strstr(err.msg, "version 1") && !strchr(err.msg, '\n'),
              "version 1 state: status %d (%s)", (int)st, err.msg);
    remove("test_state_check_v1.safetensors");
    st = dq_dqn_load_state(ag, env, path, NULL, &err);
    CHECK_MSG(st == DQ_OK, "%s", err.msg); /* the unaltered state still loads */
    remove(path);
    dq_dqn_destroy(ag);
    dq_env_free(env);
}

/* Rainbow (C51 + dueling + noisy + n-step + proportional PER), then rank-based PER. */
static void test_rainbow(void) {
    dq_run_config c;
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_preset(&c, "rainbow", "CartPole-v1", NULL));
    small(&c);
    dq_config_set(&c, "c51_atoms", "11", NULL);
    const char *path = "test_state_check_rainbow.safetensors";
    dq_dqn *ag;
    dq_env *env;
    make_state(&c, path, &ag, &env);
    if (!ag) return;
    CHECK(ag->has_per && ag->def.noisy && ag->slot_disc);
    refused(ag, env, path, "replay.reward", reward_nan, "not finite");
    refused(ag, env, path, "replay.action", action_huge, "outside");
    refused(ag, env, path, "rainbow.per_priority", prio_nan, "negative or not finite");
    refused(ag, env, path, "rainbow.per_priority", prio_max_zero, "positive");
    refused(ag, env, path, "rainbow.slot_discount", disc_over, "outside [0, 1]");
    refused(ag, env, path, "rainbow.noisy_q", param_nan, "not finite");
    refused(ag, env, path, "rainbow.rng_noise", rng_zero, "random generator");
    refused(ag, env, path, "rainbow.nstep.pending", pending_over, "outside [0, 3)");
    dq_error err;
    CHECK_MSG(dq_dqn_load_state(ag, env, path, NULL, &err) == DQ_OK, "%s", err.msg);
    remove(path);
    dq_dqn_destroy(ag);
    dq_env_free(env);

    dq_run_config_default(&c);
    small(&c);
    dq_config_set(&c, "prioritized_replay", "true", NULL);
    dq_config_set(&c, "per_kind", "rank", NULL);
    path = "test_state_check_rank.safetensors";
    make_state(&c, path, &ag, &env);
    if (!ag) return;
    refused(ag, env, path, "rainbow.per_rank_heap", heap_dup, "twice");
    refused(ag, env, path, "rainbow.per_rank_heap", heap_out, "outside");
    refused(ag, env, path, "rainbow.per_priority", prio_max_zero, "positive");
    CHECK_MSG(dq_dqn_load_state(ag, env, path, NULL, &err) == DQ_OK, "%s", err.msg);
    remove(path);
    dq_dqn_destroy(ag);
    dq_env_free(env);
}

int main(void) {
    test_plain();
    test_rainbow();
    TEST_MAIN_END();
}
