/* cmd_fqi.c — `deepq collect` (offline data sets as .npz) and `deepq fqi` (Fitted Q Iteration on
 * such a file, or online Q-iteration with --online); see deepq/fqi.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "cli.h"
#include "cli_rl.h"
#include "deepq/fqi.h"
#include "dqn_run.h"

#define COLLECT_USAGE                                                                          \
    "usage: deepq collect ENV --steps N [--policy random|RUN_DIR|CKPT] [--epsilon E] [--seed S] " \
    "--out data.npz"

/* Greedy action of a DQN agent: a dq_action_fn. */
static int64_t dqn_policy(void *ag, const float *obs) {
    float qv[4096];
    return dq_dqn_greedy(ag, obs, qv);
}

int dq_cmd_collect(int argc, char **argv) {
    const char *env_id = NULL, *out = NULL, *policy = "random";
    int64_t steps = -1, seed = 0;
    double epsilon = -1; /* default: 1 (all random) for --policy random, 0 for a checkpoint */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] != '-') {
            if (env_id) return dq_cli_die(2, "collect: one ENV only (got '%s' and '%s')", env_id, a);
            env_id = a;
            continue;
        }
        if (!v) return dq_cli_die(2, "collect: %s needs a value", a);
        i++;
        if (!strcmp(a, "--steps")) {
            if (!dq_cli_int(v, 1, (int64_t)1 << 31, &steps))
                return dq_cli_die(2, "collect: --steps needs an integer >= 1, got '%s'", v);
        } else if (!strcmp(a, "--seed")) {
            if (!dq_cli_int(v, 0, INT64_MAX / 2, &seed))
                return dq_cli_die(2, "collect: --seed needs an integer >= 0, got '%s'", v);
        } else if (!strcmp(a, "--epsilon")) {
            if (!dq_cli_double(v, 0, 1, &epsilon))
                return dq_cli_die(2, "collect: --epsilon needs a number in [0, 1], got '%s'", v);
        } else if (!strcmp(a, "--policy")) policy = v;
        else if (!strcmp(a, "--out")) out = v;
        else return dq_cli_die(2, "collect: unknown option '%s'\n" COLLECT_USAGE, a);
    }
    if (!env_id || steps < 0 || !out) return dq_cli_die(2, COLLECT_USAGE);
    dq_error err = {0};
    dq_run run;
    bool use_dqn = strcmp(policy, "random") != 0;
    if (epsilon < 0) epsilon = use_dqn ? 0.0 : 1.0;
    char ckpt[600];
    if (use_dqn && !dq_run_load_checkpoint(&run, policy, env_id, "collect", ckpt, sizeof ckpt))
        return 1;
    dq_env *env = NULL;
    if (dq_env_make(env_id, use_dqn ? run.cfg.env_kwargs : NULL, &env, &err)) {
        if (use_dqn) dq_run_free(&run);
        return dq_cli_die(1, "collect: %s", err.msg);
    }
    if (env->act_space.kind != DQ_SPACE_DISCRETE) {
        dq_env_free(env);
        if (use_dqn) dq_run_free(&run);
        return dq_cli_die(1, "collect: %s has continuous actions; FQI data sets need discrete ones",
                          env_id);
    }
    dq_dataset ds;
    dq_rng rng;
    dq_rng_seed(&rng, (uint64_t)seed ^ 0x636f6c6c656374ULL);
    dq_status s = dq_dataset_init(&ds, env->obs_space.size, steps, &err);
    if (!s)
        s = dq_dataset_collect(&ds, env, steps, use_dqn ? dqn_policy : NULL,
                               use_dqn ? run.ag : NULL, epsilon, seed, &rng, &err);
    if (!s) s = dq_dataset_save(&ds, out, &err);
    if (use_dqn) dq_run_free(&run);
    if (s) {
        dq_dataset_free(&ds);
        dq_env_free(env);
        return dq_cli_die(1, "collect: %s", err.msg);
    }
    int64_t term = 0, trunc = 0;
    double rsum = 0;
    for (int64_t i = 0; i < ds.n; i++) {
        term += ds.terminateds[i];
        trunc += ds.truncateds[i];
        rsum += ds.rewards[i];
    }
    printf("wrote %s: %lld transitions of %s (%s policy, epsilon %g, seed %lld), %lld terminated, "
           "%lld truncated, mean reward %.4g\n",
           out, (long long)ds.n, env_id, policy, use_dqn ? epsilon : 1.0, (long long)seed,
           (long long)term,
           (long long)trunc, rsum / (double)ds.n);
    dq_dataset_free(&ds);
    dq_env_free(env);
    return 0;
}

#define FQI_USAGE                                                                              \
    "usage: deepq fqi ENV (--data data.npz | --online) [--model "                             \
    "knn|linear|tree|forest|extratrees|gbm] [--k 30] [--iterations 20] [--gamma 0.99] "       \
    "[--eval-every K] [--eval-episodes 100] [--seed S] [--out DIR] [--json] (see docs/TUTORIAL.md "\
    "for the model options)"

typedef struct fqi_report {
    FILE *csv; /* progress rows, or NULL */
    char *csv_text;
    size_t csv_len;
} fqi_report;

static void on_progress(void *ctx, const dq_fqi_progress *p) {
    fqi_report *r = ctx;
    printf("round %d  iter %2d  transitions %lld  fit %.3f s  mean target %.4g", p->round,
           p->iteration, (long long)p->transitions, p->fit_seconds, p->mean_q);
    if (p->evaluated)
        printf("  eval %.2f +- %.2f (min %g, max %g)", p->eval.mean, p->eval.std, p->eval.min,
               p->eval.max);
    printf("\n");
    fflush(stdout);
    if (r->csv) {
        fprintf(r->csv, "%d,%d,%lld,%.6f,%.9g", p->round, p->iteration,
                (long long)p->transitions, p->fit_seconds, p->mean_q);
        if (p->evaluated)
            fprintf(r->csv, ",%.9g,%.9g,%.9g,%.9g\n", p->eval.mean, p->eval.std, p->eval.min,
                    p->eval.max);
        else fprintf(r->csv, ",,,,\n");
    }
}

int dq_cmd_fqi(int argc, char **argv) {
    const char *env_id = NULL, *data = NULL, *out = NULL, *model = "knn";
    bool json = false, online = false, reuse = true;
    dq_fqi_def def = dq_fqi_def_default();
    dq_online_def od = dq_online_def_default();
    int64_t seed = 0, k = 30, depth = -1, min_leaf = -1, min_split = -1, max_features = 0,
            trees = -1, degree = 1, iv;
    double lr = 0.1, subsample = 1.0;
    bool distance = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] != '-') {
            if (env_id) return dq_cli_die(2, "fqi: one ENV only (got '%s' and '%s')", env_id, a);
            env_id = a;
            continue;
        }
        if (!strcmp(a, "--json")) { json = true; continue; }
        if (!strcmp(a, "--online")) { online = true; continue; }
        if (!strcmp(a, "--no-reuse")) { reuse = false; continue; }
        if (!v) return dq_cli_die(2, "fqi: %s needs a value", a);
        i++;
#define INT_OPT(name, var, lo, hi)                                                             \
    else if (!strcmp(a, name)) {                                                               \
        if (!dq_cli_int(v, lo, hi, &iv))                                                       \
            return dq_cli_die(2, "fqi: %s needs an integer in [%lld, %lld], got '%s'", name,   \
                              (long long)(lo), (long long)(hi), v);                            \
        var = iv;                                                                              \
    }
#define DBL_OPT(name, var, lo, hi)                                                             \
    else if (!strcmp(a, name)) {                                                               \
        if (!dq_cli_double(v, lo, hi, &var))                                                   \
            return dq_cli_die(2, "fqi: %s needs a number in [%g, %g], got '%s'", name,         \
                              (double)(lo), (double)(hi), v);                                  \
    }
        if (!strcmp(a, "--data")) data = v;
        else if (!strcmp(a, "--out")) out = v;
        else if (!strcmp(a, "--model")) model = v;
        else if (!strcmp(a, "--weights")) {
            if (strcmp(v, "uniform") && strcmp(v, "distance"))
                return dq_cli_die(2, "fqi: --weights is uniform or distance, got '%s'", v);
            distance = !strcmp(v, "distance");
        }
        INT_OPT("--k", k, 1, 100000)
        INT_OPT("--iterations", def.iterations, 0, 100000)
        INT_OPT("--eval-every", def.eval_every, 0, 100000)
        INT_OPT("--eval-episodes", def.eval_episodes, 1, 1000000)
        INT_OPT("--seed", seed, 0, INT64_MAX / 4)
        INT_OPT("--degree", degree, 1, 6)
        INT_OPT("--max-depth", depth, 0, 1000)
        INT_OPT("--min-leaf", min_leaf, 1, 1000000)
        INT_OPT("--min-split", min_split, 2, 1000000)
        INT_OPT("--max-features", max_features, 0, 100000)
        INT_OPT("--trees", trees, 1, 100000)
        INT_OPT("--initial-steps", od.initial_steps, 1, (int64_t)1 << 30)
        INT_OPT("--round-steps", od.steps_per_round, 0, (int64_t)1 << 30)
        INT_OPT("--rounds", od.rounds, 0, 100000)
        DBL_OPT("--gamma", def.gamma, 0, 1)
        DBL_OPT("--lr", lr, 1e-9, 1e9)
        DBL_OPT("--subsample", subsample, 1e-9, 1)
        DBL_OPT("--epsilon", od.epsilon, 0, 1)
        else return dq_cli_die(2, "fqi: unknown option '%s'\n" FQI_USAGE, a);
#undef INT_OPT
#undef DBL_OPT
    }
    if (!env_id || (!data && !online) || (data && online)) return dq_cli_die(2, FQI_USAGE);
    dq_error err = {0};
    dq_regressor_kind kind;
    if (dq_regressor_kind_parse(model, &kind, &err)) return dq_cli_die(2, "fqi: %s", err.msg);
    def.reg = dq_regressor_def_default(kind);
    def.reg.seed = (uint64_t)seed;
    def.reg.k = (int)k;
    def.reg.distance_weights = distance;
    def.reg.poly_degree = (int)degree;
    if (depth >= 0) def.reg.max_depth = (int)depth;
    if (min_leaf > 0) def.reg.min_samples_leaf = (int)min_leaf;
    if (min_split > 0) def.reg.min_samples_split = (int)min_split;
    def.reg.max_features = (int)max_features;
    if (trees > 0) def.reg.n_estimators = (int)trees;
    def.reg.learning_rate = lr;
    def.reg.subsample = subsample;
    def.knn_reuse = reuse;
    def.eval_seed = 1000000 + seed * 1000;

    dq_env *env = NULL, *eval_env = NULL;
    if (dq_env_make(env_id, NULL, &env, &err) || dq_env_make(env_id, NULL, &eval_env, &err)) {
        dq_env_free(env);
        return dq_cli_die(1, "fqi: %s", err.msg);
    }
    /* a training run: its seeds keep seeding xoshiro256** (docs/ENVIRONMENTS.md, "Seeds") */
    dq_env_set_seeding(env, DQ_SEEDING_XOSHIRO);
    dq_env_set_seeding(eval_env, DQ_SEEDING_XOSHIRO);
    int rc = 1;
    dq_dataset ds = {0};
    dq_fqi_q q = {0};
    dq_policy_stats st = {0};
    fqi_report rep = {0};
    if (out) rep.csv = open_memstream(&rep.csv_text, &rep.csv_len);
    if (rep.csv)
        fprintf(rep.csv, "round,iteration,transitions,fit_seconds,mean_target,eval_mean,eval_std,"
                         "eval_min,eval_max\n");
    if (env->act_space.kind != DQ_SPACE_DISCRETE) {
        dq_cli_die(1, "fqi: %s has continuous actions; FQI here needs discrete ones", env_id);
        goto done;
    }
    dq_status s;
    if (online) {
        od.fqi = def;
        od.seed = (uint64_t)seed;
        s = dq_fqi_online(&od, env, eval_env, on_progress, &rep, &ds, &q, &st, &err);
    } else {
        s = dq_dataset_load(&ds, data, &err);
        if (!s && ds.obs_dim != env->obs_space.size)
            s = dq_fail(&err, DQ_EFORMAT, "%s has %d-value observations, %s has %d", data,
                        ds.obs_dim, env_id, env->obs_space.size);
        if (!s)
            s = dq_fqi_run(&def, &ds, (int)env->act_space.n, eval_env, on_progress, &rep, &q, &st,
                           &err);
    }
    if (s) {
        dq_cli_die(1, "fqi: %s", err.msg);
        goto done;
    }
    char extra[256];
    snprintf(extra, sizeof extra, "\"model\": \"%s\", \"iterations\": %d, \"transitions\": %lld",
             model, def.iterations, (long long)ds.n);
    char *js = dq_cli_eval_json(env_id, online ? "online-fqi" : "fqi", &st, def.eval_seed, extra);
    if (!json)
        printf("final greedy eval over %d episodes: %.2f +- %.2f (min %g, max %g)\n", st.episodes,
               st.mean, st.std, st.min, st.max);
    else printf("%s\n", js ? js : "{}");
    rc = 0;
    if (out) {
        fclose(rep.csv);
        rep.csv = NULL;
        char *text = malloc(strlen(js ? js : "{}") + 2);
        sprintf(text, "%s\n", js ? js : "{}");
        if (!dq_cli_write_text(out, "progress.csv", rep.csv_text) ||
            !dq_cli_write_text(out, "result.json", text))
            rc = 1;
        else if (online) {
            char path[4096];
            snprintf(path, sizeof path, "%s/data.npz", out);
            if (dq_dataset_save(&ds, path, &err)) rc = dq_cli_die(1, "fqi: %s", err.msg);
        }
        free(text);
    }
    free(js);
done:
    if (rep.csv) fclose(rep.csv);
    free(rep.csv_text);
    dq_fqi_q_free(&q);
    dq_dataset_free(&ds);
    dq_env_free(env);
    dq_env_free(eval_env);
    return rc;
}
