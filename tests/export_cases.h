/* export_cases.h — the policies tests/tool_export_gen.c exports as C at build time and
 * tests/export_check.c compiles in and compares with deepq's own greedy forward. Both rebuild
 * each agent from the same def and seed, so they hold the same weights bit for bit. */
#ifndef DQ_TESTS_EXPORT_CASES_H
#define DQ_TESTS_EXPORT_CASES_H

#include "deepq/dqn.h"
#include "deepq/env.h"

typedef struct export_case {
    const char *name;     /* C prefix of the exported file */
    const char *env_id;
    int n_hidden, hidden[2];
    dq_act act;
    dq_dtype dtype;
    bool dueling, c51, noisy, int8;
    int n_obs;            /* env observations compared */
} export_case;

/* Widths not a multiple of 8 (20, 14, 12, 7) and Acrobot's 6 inputs reach the kernel's masked block
 * and its scalar tail; tanh, float64, every head and int8 are covered. */
static const export_case EXPORT_CASES[] = {
    {"xc_cp64", "CartPole-v1", 2, {64, 64}, DQ_ACT_RELU, DQ_F32, false, false, false, false, 100000},
    {"xc_duel", "CartPole-v1", 2, {64, 64}, DQ_ACT_RELU, DQ_F32, true, false, false, false, 20000},
    {"xc_c51", "CartPole-v1", 2, {64, 64}, DQ_ACT_RELU, DQ_F32, false, true, false, false, 20000},
    {"xc_rainbow", "CartPole-v1", 2, {20, 12}, DQ_ACT_TANH, DQ_F32, true, true, true, false, 20000},
    {"xc_acro", "Acrobot-v1", 2, {14, 7}, DQ_ACT_RELU, DQ_F32, false, false, false, false, 20000},
    {"xc_f64", "CartPole-v1", 2, {64, 64}, DQ_ACT_TANH, DQ_F64, false, false, false, false, 20000},
    {"xc_ll256", "LunarLander-v3", 2, {256, 256}, DQ_ACT_RELU, DQ_F32, false, false, false, false,
     5000},
    {"xc_q8", "CartPole-v1", 2, {64, 64}, DQ_ACT_RELU, DQ_F32, false, false, false, true, 20000},
};
enum { N_EXPORT_CASES = sizeof EXPORT_CASES / sizeof EXPORT_CASES[0] };

/* Build case c's agent (seed 7) for env's spaces, learn for 300 steps (so the weights are not
 * just their initialisation), save it to ckpt and load it into a fresh agent, as `deepq export`
 * does (noisy layers then hold their mean). NULL on failure (message in err). */
static inline dq_dqn *export_case_agent(const export_case *c, dq_env *env, const char *ckpt,
                                        dq_error *err) {
    dq_dqn_def d = dq_dqn_def_default();
    d.seed = 7;
    d.n_hidden = c->n_hidden;
    d.net_arch[0] = c->hidden[0];
    d.net_arch[1] = c->hidden[1];
    d.activation = c->act;
    d.dtype = c->dtype;
    d.dueling = c->dueling;
    d.distributional = c->c51;
    d.noisy = c->noisy;
    d.learning_starts = 64;
    d.batch_size = 32;
    d.train_freq = 1;
    d.n_timesteps = 300;
    d.buffer_size = 1000;
    d.learning_rate = 1e-3;
    d.eval_freq = 0;
    dq_dqn *ag = NULL;
    if (dq_dqn_create(&ag, &d, &env->obs_space, &env->act_space, err)) return NULL;
    dq_dqn *loaded = NULL;
    if (dq_dqn_learn(ag, env, NULL, err) || dq_dqn_save(ag, ckpt, NULL, err) ||
        dq_dqn_create(&loaded, &d, &env->obs_space, &env->act_space, err) ||
        dq_dqn_load_weights(loaded, ckpt, NULL, err)) {
        dq_dqn_destroy(ag);
        dq_dqn_destroy(loaded);
        return NULL;
    }
    dq_dqn_destroy(ag);
    return loaded;
}

#endif
