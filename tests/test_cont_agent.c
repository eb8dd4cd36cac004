/* test_cont_agent.c — the continuous-action agents as a whole: every algorithm runs a few
 * updates on Pendulum-v1; a run stopped at an episode boundary, saved and resumed into a fresh
 * agent ends bit-identical to the uninterrupted run (weights, Adam moments, replay, random
 * streams, noise); the weights file loads back; bad configurations and Discrete action spaces
 * are refused with a message; the config key table reads RL-Zoo's published entries and writes
 * a config.yml that loads back to the same def. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deepq/cont.h"
#include "deepq/cont_config.h"
#include "test.h"

static dq_cont_def small(dq_cont_algo algo) {
    dq_cont_def d = dq_cont_def_default(algo);
    d.n_timesteps = 1000;
    d.learning_starts = 250;
    d.batch_size = 32;
    d.net_arch[0] = d.net_arch[1] = 16;
    d.noise_type = DQ_NOISE_OU;
    d.noise_std = 0.2;
    d.n_samples = 8;
    d.cem_iters = algo == DQ_ALGO_SAMPLED ? 2 : 0;
    d.cem_elite = 3;
    d.seed = 5;
    d.eval_freq = 0;
    return d;
}

static int stop_after_3(void *user, dq_cont *ag, const dq_dqn_episode *ep) {
    (void)user, (void)ag;
    return ep->episode == 3;
}

static bool same_net(dq_mlp *a, dq_mlp *b) {
    return a && b && a->n_params == b->n_params &&
           !memcmp(a->params, b->params, sizeof(float) * a->n_params);
}

static void test_resume(dq_cont_algo algo) {
    dq_error err;
    dq_cont_def d = small(algo);
    dq_env *e1, *e2;
    CHECK_OK(dq_env_make("Pendulum-v1", NULL, &e1, &err));
    CHECK_OK(dq_env_make("Pendulum-v1", NULL, &e2, &err));
    dq_cont *full, *part, *resumed;
    CHECK_OK(dq_cont_create(&full, &d, &e1->obs_space, &e1->act_space, &err));
    CHECK_OK(dq_cont_learn(full, e1, NULL, &err));
    CHECK(dq_cont_steps(full) == 1000 && dq_cont_updates(full) > 0);

    dq_env_free(e1);
    CHECK_OK(dq_env_make("Pendulum-v1", NULL, &e1, &err));
    CHECK_OK(dq_cont_create(&part, &d, &e1->obs_space, &e1->act_space, &err));
    dq_cont_callbacks cb = {NULL, stop_after_3, NULL, NULL};
    CHECK_OK(dq_cont_learn(part, e1, &cb, &err));
    CHECK(dq_cont_steps(part) == 600 && dq_cont_at_boundary(part));
    char path[] = "/tmp/dq_cont_state_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    CHECK_OK(dq_cont_save_state(part, e1, path, 0, NULL, &err));
    CHECK_OK(dq_cont_create(&resumed, &d, &e2->obs_space, &e2->act_space, &err));
    CHECK_OK(dq_cont_load_state(resumed, e2, path, NULL, &err));
    CHECK_OK(dq_cont_learn(resumed, e2, NULL, &err));
    const char *names[] = {"actor",          "actor_target",   "critic0", "critic1",
                           "critic0_target", "critic1_target", "naf",     "naf_target"};
    int compared = 0;
    for (int i = 0; i < 8; i++) {
        dq_mlp *a = dq_cont_net(full, names[i]), *b = dq_cont_net(resumed, names[i]);
        CHECK((a == NULL) == (b == NULL));
        if (!a) continue;
        compared++;
        CHECK_MSG(same_net(a, b), "%s: %s differs after resume", dq_cont_algo_name(algo), names[i]);
    }
    CHECK(compared >= 2);
    CHECK(dq_cont_updates(full) == dq_cont_updates(resumed));
    CHECK(dq_cont_ep_rew_mean(full) == dq_cont_ep_rew_mean(resumed));

    /* the weights file loads into a fresh agent: same greedy actions */
    const dq_dqn_meta meta = {"Pendulum-v1", "", "algo: x\n"};
    CHECK_OK(dq_cont_save(full, path, &meta, &err));
    dq_cont *loaded;
    dq_cont_def d2 = d;
    d2.seed = 99;
    CHECK_OK(dq_cont_create(&loaded, &d2, &e1->obs_space, &e1->act_space, &err));
    CHECK_OK(dq_cont_load_weights(loaded, path, "Pendulum-v1", &err));
    if (algo != DQ_ALGO_SAMPLED) { /* (sampled draws its candidates: compare the critic) */
        const float obs[3] = {0.3f, -0.9f, 1.5f};
        double a1[1], a2[1];
        dq_cont_act(full, obs, a1);
        dq_cont_act(loaded, obs, a2);
        CHECK(a1[0] == a2[0] && a1[0] >= -2.0 && a1[0] <= 2.0);
    }
    CHECK(same_net(dq_cont_net(full, names[algo == DQ_ALGO_NAF ? 6 : 2]),
                   dq_cont_net(loaded, names[algo == DQ_ALGO_NAF ? 6 : 2])));
    /* weights of another env are refused */
    CHECK(dq_cont_load_weights(loaded, path, "MountainCarContinuous-v0", &err) == DQ_EFORMAT);
    unlink(path);
    dq_cont_destroy(full), dq_cont_destroy(part), dq_cont_destroy(resumed), dq_cont_destroy(loaded);
    dq_env_free(e1), dq_env_free(e2);
}

static void test_refusals(void) {
    dq_error err;
    dq_env *cp;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &cp, &err));
    dq_cont_def d = small(DQ_ALGO_TD3);
    dq_cont *ag = NULL;
    CHECK(dq_cont_create(&ag, &d, &cp->obs_space, &cp->act_space, &err) == DQ_EUNSUPPORTED);
    CHECK(strstr(err.msg, "Box action space") != NULL && ag == NULL);
    d.tau = 0;
    CHECK(dq_cont_def_check(&d, &err) == DQ_EINVAL && strstr(err.msg, "tau"));
    dq_cont_def bad;
    memset(&bad, 0, sizeof bad);
    CHECK(dq_cont_def_check(&bad, &err) == DQ_EINVAL);
    dq_cont_algo a;
    CHECK(dq_cont_algo_parse("sac", &a, &err) == DQ_ENOTFOUND);
    dq_env_free(cp);
}

static void test_config(void) {
    dq_error err;
    dq_cont_config c;
    dq_cont_config_default(&c, DQ_ALGO_TD3);
    CHECK_OK(dq_cont_config_apply_preset(&c, "zoo", "Pendulum-v1", &err));
    CHECK(c.def.n_timesteps == 20000 && c.def.gamma == 0.98 && c.def.buffer_size == 200000);
    CHECK(c.def.learning_starts == 10000 && c.def.noise_type == DQ_NOISE_NORMAL);
    CHECK(c.def.n_hidden == 2 && c.def.net_arch[0] == 400 && c.def.net_arch[1] == 300);
    CHECK(c.def.policy_delay == 2 && c.def.n_critics == 2);
    dq_cont_config_default(&c, DQ_ALGO_DDPG);
    CHECK_OK(dq_cont_config_apply_preset(&c, "zoo", "LunarLander-v3", &err));
    CHECK(!strcmp(c.env_kwargs, "continuous=true") && c.def.n_timesteps == 300000);
    CHECK(c.def.n_critics == 1 && c.def.policy_delay == 1 && c.def.target_policy_noise == 0);
    CHECK_OK(dq_cont_config_apply_preset(&c, "zoo", "MountainCarContinuous-v0", &err));
    CHECK(c.def.noise_type == DQ_NOISE_OU && c.def.noise_std == 0.5);
    CHECK(dq_cont_config_apply_preset(&c, "zoo", "CartPole-v1", &err) == DQ_ENOTFOUND);
    /* deepq's continuous lander: Zoo's keys, 128x128, gamma 0.99, noise 0.2 */
    dq_cont_config_default(&c, DQ_ALGO_TD3);
    CHECK_OK(dq_cont_config_apply_preset(&c, "deepq", "LunarLander-v3", &err));
    CHECK(!strcmp(c.env_kwargs, "continuous=true") && c.def.n_timesteps == 300000);
    CHECK(c.def.n_hidden == 2 && c.def.net_arch[0] == 128 && c.def.net_arch[1] == 128);
    CHECK(c.def.gamma == 0.99 && c.def.batch_size == 256 && c.def.learning_starts == 10000);
    CHECK(c.def.noise_type == DQ_NOISE_NORMAL && c.def.noise_std == 0.2);
    dq_cont_config_default(&c, DQ_ALGO_NAF);
    CHECK(dq_cont_config_apply_preset(&c, "zoo", "Pendulum-v1", &err) == DQ_ENOTFOUND);
    CHECK_OK(dq_cont_config_apply_preset(&c, "deepq", "Pendulum-v1", &err));
    /* RL-Zoo's older train_freq [1, "episode"] with gradient_steps -1 */
    CHECK_OK(dq_cont_config_apply_yaml(&c,
                                       "Pendulum-v1:\n  train_freq: [1, \"episode\"]\n"
                                       "  gradient_steps: -1\n",
                                       "t", "Pendulum-v1", &err));
    CHECK(c.def.train_freq == 1 && c.def.train_freq_unit == DQ_UNIT_EPISODE);
    CHECK(c.def.gradient_steps == -1);
    CHECK(dq_cont_config_set(&c, "noise_type", "pink", &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "noise_type") != NULL);
    CHECK(dq_cont_config_set(&c, "bogus", "1", &err) == DQ_ENOTFOUND);
    CHECK(dq_cont_config_set(&c, "algo", "td3", &err) == DQ_EINVAL);
    CHECK_OK(dq_cont_config_set(&c, "seed", "17", &err));
    char *y = NULL;
    CHECK_OK(dq_cont_config_to_yaml(&c, &y, &err));
    dq_cont_config back;
    dq_cont_config_default(&back, DQ_ALGO_NAF);
    CHECK_OK(dq_cont_config_apply_yaml(&back, y, "config.yml", "Pendulum-v1", &err));
    CHECK(!memcmp(&back.def, &c.def, sizeof c.def));
    CHECK(!strcmp(back.preset, c.preset) && !strcmp(back.env_id, c.env_id));
    free(y);
}

int main(void) {
    test_resume(DQ_ALGO_TD3);
    test_resume(DQ_ALGO_DDPG);
    test_resume(DQ_ALGO_NAF);
    test_resume(DQ_ALGO_SAMPLED);
    test_refusals();
    test_config();
    TEST_MAIN_END();
}
