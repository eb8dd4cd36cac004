/* bench_fqi.c — FQI on random CartPole-v1 transitions, the seed tutorial's recipe: collect N
 * random transitions, 20 iterations, gamma 0.99, then a greedy evaluation over 100 episodes.
 * Prints fit time and eval return per seed and their mean; bench/bench_fqi.sh runs it beside
 * bench/bench_fqi_sklearn.py and writes the ratio.
 *
 * usage: bench_fqi [--model knn|linear|tree|forest|extratrees|gbm] [--k 30] [--trees 50]
 *                  [--min-leaf 5] [--steps 50000] [--iterations 20] [--seeds 5] [--seed0 0]
 *                  [--no-reuse]   (refit and re-query the k-d tree every iteration) */
#include "bench_clock.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deepq/fqi.h"

int main(int argc, char **argv) {
    const char *model = "knn";
    int leaf = 16, k = 30, trees = 50, min_leaf = 5, iterations = 20, seeds = 5, seed0 = 0;
    int64_t steps = 50000;
    bool reuse = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-reuse")) { reuse = false; continue; }
        if (!v) { fprintf(stderr, "bench_fqi: %s needs a value\n", a); return 2; }
        if (!strcmp(a, "--model")) model = v;
        else if (!strcmp(a, "--k")) k = atoi(v);
        else if (!strcmp(a, "--trees")) trees = atoi(v);
        else if (!strcmp(a, "--leaf")) leaf = atoi(v);
        else if (!strcmp(a, "--min-leaf")) min_leaf = atoi(v);
        else if (!strcmp(a, "--steps")) steps = atoll(v);
        else if (!strcmp(a, "--iterations")) iterations = atoi(v);
        else if (!strcmp(a, "--seeds")) seeds = atoi(v);
        else if (!strcmp(a, "--seed0")) seed0 = atoi(v);
        else { fprintf(stderr, "bench_fqi: unknown option %s\n", a); return 2; }
        i++;
    }
    dq_error err;
    dq_fqi_def def = dq_fqi_def_default();
    if (dq_regressor_kind_parse(model, &def.reg.kind, &err)) {
        fprintf(stderr, "bench_fqi: %s\n", err.msg);
        return 2;
    }
    dq_regressor_kind kind = def.reg.kind;
    def.reg = dq_regressor_def_default(kind);
    def.reg.k = k;
    def.reg.leaf_size = leaf;
    if (kind == DQ_REG_FOREST || kind == DQ_REG_EXTRATREES) {
        def.reg.n_estimators = trees;
        def.reg.min_samples_leaf = min_leaf;
    }
    def.iterations = iterations;
    def.knn_reuse = reuse;
    double sum_ret = 0, sum_fit = 0, best_fit = 1e30;
    for (int s = seed0; s < seed0 + seeds; s++) {
        dq_env *env = NULL, *eval_env = NULL;
        if (dq_env_make("CartPole-v1", NULL, &env, &err) ||
            dq_env_make("CartPole-v1", NULL, &eval_env, &err)) {
            fprintf(stderr, "bench_fqi: %s\n", err.msg);
            return 1;
        }
        dq_dataset ds;
        dq_rng rng;
        dq_rng_seed(&rng, (uint64_t)s);
        dq_fqi_q q;
        dq_policy_stats ev;
        def.reg.seed = (uint64_t)s;
        def.eval_seed = 1000000 + 1000 * s;
        if (dq_dataset_init(&ds, env->obs_space.size, steps, &err) ||
            dq_dataset_collect(&ds, env, steps, NULL, NULL, 1.0, s, &rng, &err)) {
            fprintf(stderr, "bench_fqi: %s\n", err.msg);
            return 1;
        }
        double t0 = bench_wall();
        if (dq_fqi_run(&def, &ds, 2, NULL, NULL, NULL, &q, NULL, &err)) {
            fprintf(stderr, "bench_fqi: %s\n", err.msg);
            return 1;
        }
        double fit = bench_wall() - t0;
        t0 = bench_wall();
        if (dq_policy_eval(eval_env, dq_fqi_greedy, &q, 100, def.eval_seed, &ev, &err)) {
            fprintf(stderr, "bench_fqi: %s\n", err.msg);
            return 1;
        }
        double evt = bench_wall() - t0;
        printf("seed %d  model %s  fit %.3f s  eval %.1f +- %.1f (min %.0f, max %.0f)  eval time "
               "%.2f s\n",
               s, model, fit, ev.mean, ev.std, ev.min, ev.max, evt);
        fflush(stdout);
        sum_ret += ev.mean;
        sum_fit += fit;
        best_fit = fit < best_fit ? fit : best_fit;
        dq_fqi_q_free(&q);
        dq_dataset_free(&ds);
        dq_env_free(env);
        dq_env_free(eval_env);
    }
    printf("MEAN model %s seeds %d  eval %.1f  fit mean %.3f s  fit best %.3f s\n", model, seeds,
           sum_ret / seeds, sum_fit / seeds, best_fit);
    return 0;
}
