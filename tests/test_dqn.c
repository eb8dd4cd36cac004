/* test_dqn.c — DQN agent pieces: TD targets (terminated vs truncated, Double DQN), hard and
 * Polyak target updates, loss descent for MSE and Huber, checkpoint round trip and its errors,
 * exact resume through dq_dqn_save_state, and the YAML/--set config (RL-Zoo's dqn.yml). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/config.h"
#include "deepq/dqn.h"
#include "rl/dqn_internal.h"
#include "test.h"
#include "dqn_stopper.h"

static dq_space box(int n) {
    dq_space s;
    memset(&s, 0, sizeof s);
    s.kind = DQ_SPACE_BOX;
    s.ndim = 1;
    s.shape[0] = n;
    s.size = n;
    s.dtype = DQ_F32;
    return s;
}

static dq_space discrete(int n) {
    dq_space s;
    memset(&s, 0, sizeof s);
    s.kind = DQ_SPACE_DISCRETE;
    s.n = n;
    s.size = 1;
    s.dtype = DQ_I64;
    return s;
}

/* Q-values of net for one observation, computed with a batch forward. */
static void qvals(dq_mlp *m, const float *obs, float *q) { dq_mlp_forward(m, obs, 1, q); }

static void test_targets(bool double_q) {
    dq_error err;
    dq_dqn_def d = dq_dqn_def_default();
    d.batch_size = 4;
    d.buffer_size = 8;
    d.gamma = 0.9;
    d.double_q = double_q;
    d.net_arch[0] = d.net_arch[1] = 8;
    dq_space os = box(3), as = discrete(3);
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &d, &os, &as, &err));
    /* make online and target differ so Double DQN's choice matters */
    dq_rng r;
    dq_rng_seed(&r, 5);
    float *p = ag->q.params;
    for (size_t i = 0; i < ag->q.n_params; i++) p[i] += 0.3f * (float)dq_rng_normal(&r);
    float o[3], n[3];
    for (int t = 0; t < 4; t++) {
        for (int k = 0; k < 3; k++) o[k] = (float)dq_rng_normal(&r), n[k] = (float)dq_rng_normal(&r);
        /* t=1 terminated (no bootstrap), t=2 truncated (bootstrap from the true next obs) */
        dq_replay_add(ag->rb, o, t % 3, (float)(t + 1), n, t == 1, t == 2);
    }
    int64_t idx[4] = {0, 1, 2, 3};
    dq_replay_batch b = {ag->b_obs, ag->b_next, ag->b_act, ag->b_rew, ag->b_term, NULL, NULL};
    dq_replay_gather(ag->rb, idx, 4, &b);
    dqn_compute_target(ag);
    const float *tg = ag->target;
    for (int i = 0; i < 4; i++) {
        float qt[3], qo[3];
        qvals(&ag->qt, ag->rb->next_obs + 3 * i, qt);
        qvals(&ag->q, ag->rb->next_obs + 3 * i, qo);
        int best = 0;
        for (int a = 1; a < 3; a++)
            if ((double_q ? qo[a] > qo[best] : qt[a] > qt[best])) best = a;
        double v = qt[best];
        double want = (i + 1) + (i == 1 ? 0.0 : 0.9 * v);
        CHECK_NEAR(tg[i], want, 1e-5);
    }
    CHECK_NEAR(tg[1], 2.0, 0); /* terminated: exactly r */
    dq_dqn_destroy(ag);
}

static void test_loss_descends(dq_loss loss) {
    dq_error err;
    dq_dqn_def d = dq_dqn_def_default();
    d.batch_size = 16;
    d.buffer_size = 16;
    d.replay_with_replacement = false; /* every batch is the whole buffer */
    d.loss = loss;
    d.learning_rate = 1e-3;
    dq_space os = box(4), as = discrete(2);
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &d, &os, &as, &err));
    dq_rng r;
    dq_rng_seed(&r, 3);
    for (int i = 0; i < 16; i++) {
        float o[4], n[4];
        for (int k = 0; k < 4; k++) o[k] = (float)dq_rng_normal(&r), n[k] = (float)dq_rng_normal(&r);
        dq_replay_add(ag->rb, o, i % 2, 5.0f, n, i % 5 == 0, false);
    }
    double first = 0, last = 0;
    for (int it = 0; it < 200; it++) {
        CHECK_OK(dqn_sample_batch(ag, &err));
        dqn_compute_target(ag);
        double l = dqn_loss_backward(ag);
        dqn_optimizer_step(ag);
        if (it == 0) first = l;
        last = l;
    }
    CHECK_MSG(last < 0.05 * first, "loss %g -> %g", first, last);
    dq_dqn_destroy(ag);
}

static void test_target_updates(void) {
    dq_error err;
    dq_env *env;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    /* Polyak: qt = 0 before, one step, no training (learning_starts > steps) -> qt = tau * q */
    dq_dqn_def d = dq_dqn_def_default();
    d.n_timesteps = 1;
    d.learning_starts = 10;
    d.target_update_interval = 1;
    d.tau = 0.25;
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
    memset(ag->qt.params, 0, ag->qt.n_params * sizeof(float));
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    const float *q = ag->q.params, *qt = ag->qt.params;
    int bad = 0;
    for (size_t i = 0; i < ag->q.n_params; i++) bad += qt[i] != 0.25f * q[i];
    CHECK(bad == 0);
    dq_dqn_destroy(ag);
    /* Hard copy every 7 env steps: target zeroed at start is still zero after 6 steps and a
     * copy of the online net after 7. */
    d = dq_dqn_def_default();
    d.learning_starts = 100;
    d.target_update_interval = 7;
    d.tau = 1.0;
    for (int steps = 6; steps <= 7; steps++) {
        d.n_timesteps = steps;
        CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
        memset(ag->qt.params, 0, ag->qt.n_params * sizeof(float));
        CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
        bool same = !memcmp(ag->q.params, ag->qt.params, ag->q.n_params * sizeof(float));
        CHECK_MSG(same == (steps == 7), "after %d steps same=%d", steps, same);
        dq_dqn_destroy(ag);
    }
    /* Training starts after learning_starts steps, one update per train_freq steps. */
    d.learning_starts = 2;
    d.batch_size = 2;
    d.train_freq = 1;
    d.n_timesteps = 20;
    CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    CHECK(dq_dqn_updates(ag) == 18);
    dq_dqn_destroy(ag);
    dq_env_free(env);
}

/* Stop at the first episode end after step 600, save, reload into a fresh agent, finish, and
 * compare with an uninterrupted run: parameters, target and optimizer moments bit for bit. */
static void test_resume(void) {
    dq_error err;
    dq_dqn_def d = dq_dqn_def_default();
    d.n_timesteps = 1500;
    d.learning_starts = 200;
    d.batch_size = 16;
    d.buffer_size = 1000;
    d.target_update_interval = 50;
    d.train_freq = 2;
    d.seed = 11;
    d.net_arch[0] = d.net_arch[1] = 16;
    dq_env *e1, *e2, *e3;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &e1, &err));
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &e2, &err));
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &e3, &err));
    dq_dqn *a, *b, *c;
    CHECK_OK(dq_dqn_create(&a, &d, &e1->obs_space, &e1->act_space, &err));
    CHECK_OK(dq_dqn_learn(a, e1, NULL, &err));
    CHECK_OK(dq_dqn_create(&b, &d, &e2->obs_space, &e2->act_space, &err));
    stopper s = {600, "test_dqn_state.safetensors", e2, false};
    dq_dqn_callbacks cb = {&s, stop_cb, NULL, NULL, NULL};
    CHECK_OK(dq_dqn_learn(b, e2, &cb, &err));
    CHECK(s.saved && dq_dqn_steps(b) < 1500);
    CHECK_OK(dq_dqn_create(&c, &d, &e3->obs_space, &e3->act_space, &err));
    dq_safetensors *meta = NULL;
    CHECK_OK(dq_dqn_load_state(c, e3, s.path, &meta, &err));
    dq_safetensors_free(meta);
    CHECK(dq_dqn_steps(c) == dq_dqn_steps(b));
    CHECK_OK(dq_dqn_learn(c, e3, NULL, &err));
    size_t nb = a->q.n_params * sizeof(float);
    CHECK(dq_dqn_steps(c) == 1500 && dq_dqn_episodes(c) == dq_dqn_episodes(a));
    CHECK(!memcmp(a->q.params, c->q.params, nb));
    CHECK(!memcmp(a->qt.params, c->qt.params, nb));
    CHECK(!memcmp(a->opt.state, c->opt.state, nb * (size_t)a->opt.n_moments));
    /* weights checkpoint round trip and its errors */
    const char *ck = "test_dqn_ckpt.safetensors";
    dq_dqn_meta m = {"CartPole-v1", "", "seed: 11\n"};
    CHECK_OK(dq_dqn_save(a, ck, &m, &err));
    CHECK_OK(dq_dqn_load_weights(b, ck, "CartPole-v1", &err));
    CHECK(!memcmp(a->q.params, b->q.params, nb));
    CHECK(dq_dqn_load_weights(b, ck, "Acrobot-v1", &err) == DQ_EFORMAT);
    CHECK(strstr(err.msg, "CartPole-v1") != NULL);
    CHECK(dq_dqn_load_state(b, e2, ck, NULL, &err) == DQ_EFORMAT); /* weights, not a state */
    /* truncated file */
    FILE *f = fopen(ck, "rb");
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len);
    CHECK(fread(buf, 1, (size_t)len, f) == (size_t)len);
    fclose(f);
    f = fopen(ck, "wb");
    fwrite(buf, 1, (size_t)len - 100, f);
    fclose(f);
    free(buf);
    CHECK(dq_dqn_load_weights(b, ck, NULL, &err) != DQ_OK);
    /* other architecture */
    d.net_arch[0] = 32;
    dq_dqn *w;
    CHECK_OK(dq_dqn_create(&w, &d, &e1->obs_space, &e1->act_space, &err));
    CHECK_OK(dq_dqn_save(a, ck, &m, &err));
    CHECK(dq_dqn_load_weights(w, ck, NULL, &err) == DQ_EFORMAT);
    CHECK(strstr(err.msg, "shape") != NULL);
    remove(ck);
    remove(s.path);
    dq_dqn_destroy(w);
    dq_dqn_destroy(a);
    dq_dqn_destroy(b);
    dq_dqn_destroy(c);
    dq_env_free(e1);
    dq_env_free(e2);
    dq_env_free(e3);
}

static void test_config(void) {
    dq_error err;
    dq_run_config c;
    char path[512];
    snprintf(path, sizeof path, "%s/rl_zoo3_dqn.yml", DQ_FIXTURE_DIR);
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_file(&c, path, "CartPole-v1", &err));
    CHECK(c.dqn.n_timesteps == 50000);
    CHECK_NEAR(c.dqn.learning_rate, 2.3e-3, 0);
    CHECK(c.dqn.batch_size == 64 && c.dqn.buffer_size == 100000 && c.dqn.learning_starts == 1000);
    CHECK(c.dqn.target_update_interval == 10 && c.dqn.train_freq == 256);
    CHECK(c.dqn.gradient_steps == 128);
    CHECK_NEAR(c.dqn.exploration_fraction, 0.16, 0);
    CHECK_NEAR(c.dqn.exploration_final_eps, 0.04, 0);
    CHECK(c.dqn.n_hidden == 2 && c.dqn.net_arch[0] == 256 && c.dqn.net_arch[1] == 256);
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_file(&c, path, "LunarLander-v3", &err));
    CHECK(c.dqn.gradient_steps == -1 && c.dqn.buffer_size == 50000);
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_file(&c, path, "Taxi-v3", &err)); /* the default entry */
    CHECK(c.dqn.n_timesteps == 1000000);
    /* the atari entry needs wrappers deepq does not have: error naming key and line */
    dq_run_config_default(&c);
    CHECK(dq_config_apply_file(&c, path, "atari", &err) == DQ_EINVAL);
    CHECK_MSG(strstr(err.msg, "env_wrapper") && strstr(err.msg, ".yml:8:"), "%s", err.msg);
    /* unknown key, bad value, malformed YAML */
    dq_run_config_default(&c);
    CHECK(dq_config_apply_yaml(&c, "CartPole-v1:\n  gamma: 0.9\n  lerning_rate: 1\n", "x.yml",
                               "CartPole-v1", &err) == DQ_EINVAL);
    CHECK_MSG(strstr(err.msg, "x.yml:3:") && strstr(err.msg, "lerning_rate"), "%s", err.msg);
    CHECK(dq_config_apply_yaml(&c, "batch_size: lots\n", "y.yml", "CartPole-v1", &err) == DQ_EINVAL);
    CHECK_MSG(strstr(err.msg, "y.yml:1:") && strstr(err.msg, "batch_size"), "%s", err.msg);
    CHECK(dq_config_apply_yaml(&c, "a: [1, 2\n", "z.yml", "CartPole-v1", &err) == DQ_EFORMAT);
    CHECK(dq_config_apply_yaml(&c, "policy_kwargs: \"dict(net_arch=[8], ortho_init=True)\"\n", "p.yml",
                               "CartPole-v1", &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "ortho_init") != NULL);
    CHECK(dq_config_apply_yaml(&c, "Acrobot-v1:\n  gamma: 0.9\n", "q.yml", "CartPole-v1", &err) ==
          DQ_ENOTFOUND);
    /* --set forms */
    dq_run_config_default(&c);
    CHECK_OK(dq_config_set(&c, "train_freq", "[1, \"episode\"]", &err));
    CHECK(c.dqn.train_freq == 1 && c.dqn.train_freq_unit == DQ_UNIT_EPISODE);
    CHECK_OK(dq_config_set(&c, "net_arch", "[32, 16, 8]", &err));
    CHECK(c.dqn.n_hidden == 3 && c.dqn.net_arch[2] == 8);
    CHECK_OK(dq_config_set(&c, "policy_kwargs", "dict(net_arch=[64], activation_fn=nn.Tanh)", &err));
    CHECK(c.dqn.n_hidden == 1 && c.dqn.activation == DQ_ACT_TANH);
    CHECK_OK(dq_config_set(&c, "n_timesteps", "1e5", &err));
    CHECK(c.dqn.n_timesteps == 100000);
    CHECK(dq_config_set(&c, "n_timesteps", "1.5", &err) == DQ_EINVAL);
    CHECK(dq_config_set(&c, "double_q", "maybe", &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "double_q") != NULL);
    CHECK_OK(dq_config_set(&c, "double_q", "true", &err));
    CHECK_OK(dq_config_set(&c, "exploration_schedule", "exponential", &err));
    /* config.yml round trip: every key written loads back to the same def */
    char *text;
    CHECK_OK(dq_config_to_yaml(&c, &text, &err));
    dq_run_config c2;
    dq_run_config_default(&c2);
    CHECK_OK(dq_config_apply_yaml(&c2, text, "config.yml", "ignored", &err));
    char *text2;
    CHECK_OK(dq_config_to_yaml(&c2, &text2, &err));
    CHECK(!strcmp(text, text2));
    CHECK(c2.dqn.double_q && c2.dqn.n_hidden == 1 && c2.dqn.train_freq_unit == DQ_UNIT_EPISODE);
    free(text);
    free(text2);
    /* every preset loads for the four classic envs */
    const char *envs[] = {"CartPole-v1", "LunarLander-v3", "Acrobot-v1", "MountainCar-v0"};
    for (int i = 0; i < dq_preset_count(); i++)
        for (int e = 0; e < 4; e++) {
            dq_run_config_default(&c);
            dq_status st = dq_config_apply_preset(&c, dq_preset_name(i), envs[e], &err);
            CHECK_MSG(st == DQ_OK && dq_dqn_def_check(&c.dqn, &err) == DQ_OK, "%s %s: %s",
                      dq_preset_name(i), envs[e], err.msg);
        }
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_preset(&c, "zoo", "LunarLander-v3", &err));
    CHECK_NEAR(c.dqn.learning_rate, 6.3e-4, 0);
    dq_run_config_default(&c); /* the deepq preset's tuned Acrobot entry, not its default */
    CHECK_OK(dq_config_apply_preset(&c, "deepq", "Acrobot-v1", &err));
    CHECK(c.dqn.net_arch[0] == 256 && c.dqn.n_step == 3 && c.dqn.learning_rate_linear);
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_preset(&c, "deepq", "MountainCar-v0", &err));
    CHECK(c.dqn.gamma == 0.98 && c.dqn.n_step == 3 && c.dqn.learning_rate_linear);
    CHECK(dq_config_apply_preset(&c, "nope", "CartPole-v1", &err) == DQ_ENOTFOUND);
}

/* YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`), as PyYAML reads RL-Zoo's files: the entry's
 * own keys win wherever they stand, of several merged mappings the earlier wins, and a merge
 * that names a scalar or loops through aliases is an error, not a crash. */
static void test_yaml_merge(void) {
    dq_error err;
    dq_run_config c;
    const char *text = "base: &b\n  learning_rate: 0.002\n  batch_size: 32\n  gamma: 0.9\n"
                       "more: &m\n  batch_size: 8\n  tau: 0.5\n"
                       "CartPole-v1:\n  gamma: 0.95\n  <<: *b\n"
                       "Acrobot-v1:\n  <<: [*m, *b]\n";
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_yaml(&c, text, "merge.yml", "CartPole-v1", &err));
    CHECK(c.dqn.learning_rate == 0.002 && c.dqn.batch_size == 32 && c.dqn.gamma == 0.95);
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_yaml(&c, text, "merge.yml", "Acrobot-v1", &err));
    CHECK(c.dqn.batch_size == 8 && c.dqn.tau == 0.5 && c.dqn.learning_rate == 0.002 &&
          c.dqn.gamma == 0.9);
    dq_run_config_default(&c);
    CHECK(dq_config_apply_yaml(&c, "x: &s 3\nCartPole-v1:\n  <<: *s\n", "s.yml", "CartPole-v1",
                               &err) == DQ_EINVAL);
    CHECK_MSG(strstr(err.msg, "s.yml:3") && strstr(err.msg, "<<"), "%s", err.msg);
    /* an alias to the mapping being defined: libyaml builds the loop, the depth cap ends it */
    CHECK(dq_config_apply_yaml(&c, "CartPole-v1: &a\n  gamma: 0.5\n  <<: *a\n", "l.yml",
                               "CartPole-v1", &err) == DQ_EINVAL);
    CHECK_MSG(strstr(err.msg, "nested deeper"), "%s", err.msg);
    /* an unknown key inside a merged mapping is named like any other */
    CHECK(dq_config_apply_yaml(&c, "b: &b\n  lerning_rate: 1\nCartPole-v1:\n  <<: *b\n",
                               "u.yml", "CartPole-v1", &err) == DQ_EINVAL);
    CHECK_MSG(strstr(err.msg, "u.yml:2") && strstr(err.msg, "lerning_rate"), "%s", err.msg);
}

/* The options run and do what they say: prefill stores transitions before step 0, no_replay
 * keeps one transition, episode-unit train_freq with gradient_steps -1, float64 networks,
 * no_target, SGD/RMSprop, exponential per-episode schedule. */
static void test_options(void) {
    dq_error err;
    dq_env *env;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    for (int v = 0; v < 5; v++) {
        dq_dqn_def d = dq_dqn_def_default();
        d.n_timesteps = 300;
        d.learning_starts = 50;
        d.batch_size = 8;
        d.net_arch[0] = d.net_arch[1] = 8;
        if (v == 0) d.prefill = 40;
        if (v == 1) d.no_replay = d.no_target = true;
        if (v == 2) {
            d.train_freq = 2;
            d.train_freq_unit = DQ_UNIT_EPISODE;
            d.gradient_steps = -1;
        }
        if (v == 3) {
            d.dtype = DQ_F64;
            d.double_q = true;
            d.optimizer = DQ_OPT_RMSPROP;
        }
        if (v == 4) {
            d.optimizer = DQ_OPT_SGD;
            d.momentum = 0.9;
            d.exploration_schedule = DQ_SCHED_EXP;
            d.exploration_per_episode = true;
            d.exploration_decay = 3;
        }
        dq_dqn *ag;
        CHECK_OK(dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, &err));
        CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
        const dq_replay *rb = dq_dqn_replay(ag);
        CHECK(dq_dqn_steps(ag) == 300);
        if (v == 0) CHECK(rb->n_added == 340);
        if (v == 1) CHECK(rb->size == 1 && dq_dqn_updates(ag) > 0);
        /* every 2 episodes, as many updates as steps in them (once past learning_starts) */
        if (v == 2) CHECK_MSG(dq_dqn_updates(ag) > 100 && dq_dqn_updates(ag) <= 300, "%lld",
                              (long long)dq_dqn_updates(ag));
        if (v == 4) CHECK(dq_dqn_epsilon(ag) < 0.06);
        /* every 4th step from 52 to 300 trains once: 63 updates */
        if (v != 2) CHECK_MSG(dq_dqn_updates(ag) == 63, "v %d: %lld updates", v,
                              (long long)dq_dqn_updates(ag));
        float obs[4] = {0.01f, 0.02f, -0.03f, 0.04f}, q[2];
        int a = dq_dqn_greedy(ag, obs, q);
        CHECK(a == (q[1] > q[0] ? 1 : 0));
        CHECK(isfinite(q[0]) && isfinite(q[1]));
        dq_dqn_destroy(ag);
    }
    dq_env_free(env);
}

int main(void) {
    test_options();
    test_targets(false);
    test_targets(true);
    test_loss_descends(DQ_LOSS_MSE);
    test_loss_descends(DQ_LOSS_HUBER);
    test_target_updates();
    test_resume();
    test_config();
    test_yaml_merge();
    TEST_MAIN_END();
}
