/* bench_ablation.c — one training run of the Rainbow ablation (bench/ablation.sh drives it).
 *
 *   bench_ablation ENV PRESET SEED [key=value ...]
 *
 * Applies the built-in preset for ENV, then each key=value (config keys of deepq/config.h),
 * trains with that seed, evaluates greedily (10 episodes, seed 10^6 + SEED) every eval_freq
 * steps (the config's; 10000 unless set) and at the end (100 episodes), and prints one line:
 *   RESULT env preset seed variant final_mean final_std auc wall_s train_mean100
 * where auc is the mean of the periodic evaluation means (area under the learning curve divided
 * by its length) and variant is the key=value list joined by ','; then one line
 *   CURVE env preset seed variant step:mean step:mean ...
 * with the periodic evaluations (bench/ablation_plot.py draws them). */
#include "deepq/config.h"
#include "deepq/dqn.h"
#include "deepq/env.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_EVALS = 1000 };

typedef struct run_ctx {
    dq_env *eval_env;
    int64_t seed;
    double auc_sum;
    int auc_n;
    int64_t step[MAX_EVALS];
    double mean[MAX_EVALS];
} run_ctx;

static int on_eval(void *user, dq_dqn *ag) {
    run_ctx *c = user;
    double r[10];
    dq_rng rng;
    dq_rng_seed(&rng, 99);
    if (dq_dqn_evaluate(ag, c->eval_env, 10, 0.0, &rng, 1000000 + c->seed, r, NULL, NULL))
        return 1;
    double m = 0;
    for (int i = 0; i < 10; i++) m += r[i] / 10;
    c->auc_sum += m;
    if (c->auc_n < MAX_EVALS) {
        c->step[c->auc_n] = dq_dqn_steps(ag);
        c->mean[c->auc_n] = m;
    }
    c->auc_n++;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: bench_ablation ENV PRESET SEED [key=value ...]\n");
        return 2;
    }
    dq_error err;
    dq_run_config cfg;
    dq_run_config_default(&cfg);
    const char *env_id = argv[1];
    if (dq_config_apply_preset(&cfg, argv[2], env_id, &err)) {
        fprintf(stderr, "bench_ablation: %s\n", err.msg);
        return 1;
    }
    char variant[512] = "";
    for (int i = 4; i < argc; i++) {
        char kv[256];
        snprintf(kv, sizeof kv, "%s", argv[i]);
        char *eq = strchr(kv, '=');
        if (!eq) {
            fprintf(stderr, "bench_ablation: '%s' is not key=value\n", argv[i]);
            return 2;
        }
        *eq = 0;
        if (dq_config_set(&cfg, kv, eq + 1, &err)) {
            fprintf(stderr, "bench_ablation: %s: %s\n", argv[i], err.msg);
            return 1;
        }
        strncat(variant, argv[i], sizeof variant - strlen(variant) - 2);
        if (i + 1 < argc) strcat(variant, ",");
    }
    const int64_t seed = atoll(argv[3]);
    cfg.dqn.seed = (uint64_t)seed;
    if (cfg.dqn.eval_freq <= 0) cfg.dqn.eval_freq = 2000;
    dq_env *env, *eval_env;
    if (dq_env_make(env_id, cfg.env_kwargs, &env, &err) ||
        dq_env_make(env_id, cfg.env_kwargs, &eval_env, &err)) {
        fprintf(stderr, "bench_ablation: %s\n", err.msg);
        return 1;
    }
    dq_dqn *ag;
    if (dq_dqn_create(&ag, &cfg.dqn, &env->obs_space, &env->act_space, &err)) {
        fprintf(stderr, "bench_ablation: %s\n", err.msg);
        return 1;
    }
    static run_ctx ctx;
    ctx.eval_env = eval_env;
    ctx.seed = seed;
    dq_dqn_callbacks cb = {.user = &ctx, .on_eval = on_eval};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (dq_dqn_learn(ag, env, &cb, &err)) {
        fprintf(stderr, "bench_ablation: %s\n", err.msg);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    enum { NE = 100 };
    double r[NE];
    dq_rng rng;
    dq_rng_seed(&rng, 7);
    if (dq_dqn_evaluate(ag, eval_env, NE, 0.0, &rng, 2000000 + seed, r, NULL, &err)) {
        fprintf(stderr, "bench_ablation: %s\n", err.msg);
        return 1;
    }
    double m = 0, v = 0;
    for (int i = 0; i < NE; i++) m += r[i] / NE;
    for (int i = 0; i < NE; i++) v += (r[i] - m) * (r[i] - m) / NE;
    printf("RESULT %s %s %lld %s %.2f %.2f %.2f %.2f %.2f\n", env_id, argv[2], (long long)seed,
           variant[0] ? variant : "-", m, sqrt(v), ctx.auc_n ? ctx.auc_sum / ctx.auc_n : 0.0,
           (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec),
           dq_dqn_ep_rew_mean(ag));
    printf("CURVE %s %s %lld %s", env_id, argv[2], (long long)seed, variant[0] ? variant : "-");
    for (int i = 0; i < ctx.auc_n && i < MAX_EVALS; i++)
        printf(" %lld:%.2f", (long long)ctx.step[i], ctx.mean[i]);
    printf("\n");
    dq_dqn_destroy(ag);
    dq_env_free(env);
    dq_env_free(eval_env);
    return 0;
}
