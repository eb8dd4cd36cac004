/* cmd_fqi.c — `deepq collect` (offline data sets as .npz) and `deepq fqi` (Fitted Q Iteration on
 * such a file, or online Q-iteration with --online); see deepq/fqi.h. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_rl.h"
#include "deepq/cont.h"
#include "deepq/fqi.h"
#include "dqn_run.h"

static const char *COLLECT_USAGE =
    "usage: deepq collect ENV --steps N [--policy random|RUN_DIR|CKPT] [--epsilon E] [--seed S]\n"
    "                     [--kwargs K=V,...] --out data.npz\n"
    "  --kwargs K=V  env options (e.g. continuous=true for LunarLander-v3); a checkpoint's run\n"
    "               brings its own\n"
    "  --policy P   random (default) or a run folder / checkpoint acting epsilon-greedily\n"
    "               (DQN for Discrete actions; ddpg/td3/naf/sampled for Box actions)\n"
    "  --epsilon E  probability of a random action (default 1 for random, 0 for a checkpoint);\n"
    "               Box actions: uniform over the bounds, stored as float32 [n, act_dim]\n";

typedef struct collect_opts {
    const char *out, *policy, *kwargs;
    int64_t steps, seed;
    double epsilon; /* < 0: the policy's default */
} collect_opts;

#define F(field) offsetof(collect_opts, field)
static const dq_cli_flag COLLECT_FLAGS[] = {
    {"--steps", DQ_CLI_I64, F(steps), 1, 2147483648.0, NULL},
    {"--seed", DQ_CLI_I64, F(seed), 0, 4611686018427387903.0, NULL},
    {"--epsilon", DQ_CLI_F64, F(epsilon), 0, 1, NULL},
    {"--policy", DQ_CLI_STR, F(policy), 0, 0, NULL},
    {"--out", DQ_CLI_STR, F(out), 0, 0, NULL},
    {"--kwargs", DQ_CLI_STR, F(kwargs), 0, 0, NULL},
};
#undef F

/* Greedy action of a DQN agent: a dq_action_fn. */
static int64_t dqn_policy(void *ag, const float *obs) {
    float qv[4096];
    return dq_dqn_greedy(ag, obs, qv);
}

/* Greedy action of a continuous-action agent: a dq_box_action_fn. */
static void cont_policy(void *ag, const float *obs, double *action) {
    dq_cont_act(ag, obs, action);
}

/* collect for a Box action space: uniform actions, or a continuous run's agent. */
static int collect_box(const char *env_id, const char *kwargs, const char *policy,
                       int64_t steps, int64_t seed, double epsilon, const char *out) {
    dq_error err = {0};
    dq_cont *ag = NULL;
    dq_env *env = NULL, *agent_env = NULL;
    const bool use_ag = strcmp(policy, "random") != 0;
    if (epsilon < 0) epsilon = use_ag ? 0.0 : 1.0;
    dq_status s = DQ_OK;
    if (use_ag) {
        s = dq_cli_load_cont(policy, &ag, &agent_env, &err);
        if (!s && strcmp(agent_env->type->id, env_id))
            s = dq_fail(&err, DQ_EINVAL, "%s was trained on %s, not %s", policy,
                        agent_env->type->id, env_id);
    }
    /* an agent's run brings its env (with its kwargs) */
    if (!s && use_ag) env = agent_env, agent_env = NULL;
    else if (!s) s = dq_env_make(env_id, kwargs, &env, &err);
    if (!s && env->act_space.kind != DQ_SPACE_BOX)
        s = dq_fail(&err, DQ_EUNSUPPORTED, "%s has Discrete actions with these kwargs", env_id);
    dq_dataset ds = {0};
    dq_rng rng;
    dq_rng_seed(&rng, (uint64_t)seed ^ 0x636f6c6c656374ULL);
    if (!s) s = dq_dataset_init_box(&ds, env->obs_space.size, env->act_space.size, steps, &err);
    if (!s)
        s = dq_dataset_collect_box(&ds, env, steps, use_ag ? cont_policy : NULL, ag, epsilon,
                                   seed, &rng, &err);
    if (!s) s = dq_dataset_save(&ds, out, &err);
    if (!s) {
        int64_t term = 0, trunc = 0;
        double rsum = 0;
        for (int64_t i = 0; i < ds.n; i++) {
            term += ds.terminateds[i];
            trunc += ds.truncateds[i];
            rsum += ds.rewards[i];
        }
        printf("wrote %s: %lld transitions of %s (%s policy, epsilon %g, seed %lld, %d-value Box "
               "actions), %lld terminated, %lld truncated, mean reward %.4g\n",
               out, (long long)ds.n, env_id, policy, epsilon, (long long)seed, ds.act_dim,
               (long long)term, (long long)trunc, rsum / (double)ds.n);
    }
    dq_dataset_free(&ds);
    dq_env_free(env);
    dq_env_free(agent_env);
    dq_cont_destroy(ag);
    return s ? dq_cli_die(1, "collect: %s", err.msg) : 0;
}

int dq_cmd_collect(int argc, char **argv) {
    dq_cli_cmd cmd = {"collect", COLLECT_USAGE, COLLECT_FLAGS,
                      sizeof COLLECT_FLAGS / sizeof *COLLECT_FLAGS, 1, 1};
    collect_opts o = {.policy = "random", .steps = -1, .epsilon = -1};
    const char *pos[1];
    int n_pos, rc0 = dq_cli_parse(&cmd, &o, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) return rc0;
    const char *env_id = pos[0], *out = o.out, *policy = o.policy;
    int64_t steps = o.steps, seed = o.seed;
    double epsilon = o.epsilon;
    if (steps < 0 || !out) {
        fputs(COLLECT_USAGE, stderr);
        return dq_cli_die(2, "collect: --steps and --out are required");
    }
    if (!dq_env_find(env_id)) return dq_cli_unknown_env("collect", env_id);
    dq_error err = {0};
    {
        dq_env *probe;
        if (dq_env_make(env_id, o.kwargs, &probe, &err))
            return dq_cli_die(1, "collect: %s", err.msg);
        const bool box = probe->act_space.kind == DQ_SPACE_BOX;
        dq_env_free(probe);
        if (box) return collect_box(env_id, o.kwargs, policy, steps, seed, epsilon, out);
    }
    dq_run run;
    bool use_dqn = strcmp(policy, "random") != 0;
    if (epsilon < 0) epsilon = use_dqn ? 0.0 : 1.0;
    char ckpt[600];
    if (use_dqn && !dq_run_load_checkpoint(&run, policy, env_id, "collect", ckpt, sizeof ckpt))
        return 1;
    dq_env *env = NULL;
    if (dq_env_make(env_id, use_dqn ? run.cfg.env_kwargs : o.kwargs, &env, &err)) {
        if (use_dqn) dq_run_free(&run);
        return dq_cli_die(1, "collect: %s", err.msg);
    }
    if (env->act_space.kind != DQ_SPACE_DISCRETE) {
        dq_env_free(env);
        if (use_dqn) dq_run_free(&run);
        return dq_cli_die(1, "collect: %s has Box actions with the checkpoint's kwargs", env_id);
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

static const char *FQI_USAGE =
    "usage: deepq fqi ENV (--data data.npz | --online) [--model MODEL] [--k 30] [--iterations 20]\n"
    "                 [--gamma 0.99] [--eval-every K] [--eval-episodes 100] [--seed S]\n"
    "                 [--kwargs K=V,...] [--out DIR] [--json]\n"
    "  MODEL            knn (default), linear, tree, forest, extratrees, gbm\n"
    "  model options    --k N --weights uniform|distance --no-reuse (knn); --degree N (linear);\n"
    "                   --max-depth N --min-leaf N --min-split N --max-features N --trees N\n"
    "                   (trees); --lr X --subsample X (gbm) — see docs/TUTORIAL.md\n"
    "  --online         online Q-iteration: --initial-steps N --round-steps N --rounds N\n"
    "                   --epsilon E\n"
    "  --samples N      Box actions: max over N uniform actions per state (default 16)\n";

/* What the flags edit: the library's defs (the regressor's filled with the defaults of the
 * --model kind first) and the verb's own options. */
typedef struct fqi_opts {
    dq_fqi_def def;
    dq_online_def od;
    const char *data, *out, *model, *kwargs;
    bool json, online;
    uint64_t seed;
} fqi_opts;

static dq_status set_weights(void *o, const char *v, dq_error *err) {
    if (strcmp(v, "uniform") && strcmp(v, "distance"))
        return dq_fail(err, DQ_EINVAL, "uniform or distance, got '%s'", v);
    ((fqi_opts *)o)->def.reg.distance_weights = !strcmp(v, "distance");
    return DQ_OK;
}

#define F(field) offsetof(fqi_opts, field)
static const dq_cli_flag FQI_FLAGS[] = {
    {"--data", DQ_CLI_STR, F(data), 0, 0, NULL},
    {"--online", DQ_CLI_SET, F(online), 0, 0, NULL},
    {"--out", DQ_CLI_STR, F(out), 0, 0, NULL},
    {"--json", DQ_CLI_SET, F(json), 0, 0, NULL},
    {"--model", DQ_CLI_STR, F(model), 0, 0, NULL},
    {"--no-reuse", DQ_CLI_UNSET, F(def.knn_reuse), 0, 0, NULL},
    {"--weights", DQ_CLI_FN, 0, 0, 0, set_weights},
    {"--k", DQ_CLI_INT, F(def.reg.k), 1, 100000, NULL},
    {"--iterations", DQ_CLI_INT, F(def.iterations), 0, 100000, NULL},
    {"--eval-every", DQ_CLI_INT, F(def.eval_every), 0, 100000, NULL},
    {"--eval-episodes", DQ_CLI_INT, F(def.eval_episodes), 1, 1000000, NULL},
    {"--seed", DQ_CLI_U64, F(seed), 0, 2305843009213693951.0, NULL},
    {"--degree", DQ_CLI_INT, F(def.reg.poly_degree), 1, 6, NULL},
    {"--max-depth", DQ_CLI_INT, F(def.reg.max_depth), 0, 1000, NULL},
    {"--min-leaf", DQ_CLI_INT, F(def.reg.min_samples_leaf), 1, 1000000, NULL},
    {"--min-split", DQ_CLI_INT, F(def.reg.min_samples_split), 2, 1000000, NULL},
    {"--max-features", DQ_CLI_INT, F(def.reg.max_features), 0, 100000, NULL},
    {"--trees", DQ_CLI_INT, F(def.reg.n_estimators), 1, 100000, NULL},
    {"--initial-steps", DQ_CLI_I64, F(od.initial_steps), 1, 1073741824.0, NULL},
    {"--round-steps", DQ_CLI_I64, F(od.steps_per_round), 0, 1073741824.0, NULL},
    {"--rounds", DQ_CLI_INT, F(od.rounds), 0, 100000, NULL},
    {"--gamma", DQ_CLI_F64, F(def.gamma), 0, 1, NULL},
    {"--lr", DQ_CLI_F64, F(def.reg.learning_rate), 1e-9, 1e9, NULL},
    {"--subsample", DQ_CLI_F64, F(def.reg.subsample), 1e-9, 1, NULL},
    {"--epsilon", DQ_CLI_F64, F(od.epsilon), 0, 1, NULL},
    {"--samples", DQ_CLI_INT, F(def.n_samples), 1, 256, NULL},
    {"--kwargs", DQ_CLI_STR, F(kwargs), 0, 0, NULL},
};
#undef F

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
    dq_cli_cmd cmd = {"fqi", FQI_USAGE, FQI_FLAGS, sizeof FQI_FLAGS / sizeof *FQI_FLAGS, 1, 1};
    /* the model's defaults first, then the flags on top: parse once to find --model */
    fqi_opts o = {.def = dq_fqi_def_default(), .od = dq_online_def_default(), .model = "knn"};
    const char *pos[1];
    int n_pos, rc0 = dq_cli_parse(&cmd, &o, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) return rc0;
    dq_error err = {0};
    dq_regressor_kind kind;
    if (dq_regressor_kind_parse(o.model, &kind, &err)) return dq_cli_die(2, "fqi: %s", err.msg);
    o = (fqi_opts){.def = dq_fqi_def_default(), .od = dq_online_def_default(), .model = "knn"};
    o.def.reg = dq_regressor_def_default(kind);
    o.def.reg.k = 30; /* the CLI's defaults where they differ from the library's */
    o.def.reg.poly_degree = 1;
    o.def.reg.max_features = 0;
    o.def.reg.learning_rate = 0.1;
    o.def.reg.subsample = 1.0;
    o.def.reg.distance_weights = false;
    o.def.knn_reuse = true;
    rc0 = dq_cli_parse(&cmd, &o, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) return rc0;
    const char *env_id = pos[0], *data = o.data, *out = o.out, *model = o.model;
    bool json = o.json, online = o.online;
    int64_t seed = (int64_t)o.seed;
    dq_fqi_def def = o.def;
    dq_online_def od = o.od;
    if (!data == !online) {
        fputs(FQI_USAGE, stderr);
        return dq_cli_die(2, "fqi: give --data FILE or --online (one of them)");
    }
    if (!dq_env_find(env_id)) return dq_cli_unknown_env("fqi", env_id);
    def.reg.seed = (uint64_t)seed;
    def.eval_seed = 1000000 + seed * 1000;

    dq_env *env = NULL, *eval_env = NULL;
    if (dq_env_make(env_id, o.kwargs, &env, &err) ||
        dq_env_make(env_id, o.kwargs, &eval_env, &err)) {
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
    const bool box = env->act_space.kind == DQ_SPACE_BOX;
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
        if (!s && box != (ds.act_dim > 0))
            s = dq_fail(&err, DQ_EFORMAT, "%s has %s actions, %s has %s actions", data,
                        ds.act_dim ? "Box" : "Discrete", env_id, box ? "Box" : "Discrete");
        if (!s && box)
            s = dq_fqi_run_box(&def, &ds, &env->act_space, eval_env, on_progress, &rep, &q, &st,
                               &err);
        else if (!s)
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
            int n = snprintf(path, sizeof path, "%s/data.npz", out);
            if (n < 0 || (size_t)n >= sizeof path) rc = dq_cli_die(1, "fqi: --out path too long");
            else if (dq_dataset_save(&ds, path, &err)) rc = dq_cli_die(1, "fqi: %s", err.msg);
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
