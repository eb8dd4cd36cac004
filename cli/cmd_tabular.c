/* cmd_tabular.c — `deepq tabular ENV`: Q-learning / SARSA / expected SARSA on an env with
 * Discrete observations, compared with value iteration's Q* when the env exposes its model,
 * the greedy policy drawn as arrows on grid worlds, and a greedy evaluation (1000 episodes)
 * ending in one JSON object with --json. See deepq/tabular.h. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_rl.h"
#include "deepq/tabular.h"

static const char *USAGE =
    "usage: deepq tabular ENV [--algo q|sarsa|expected_sarsa] [--episodes N | --steps N]\n"
    "                         [--alpha A] [--alpha-end A] [--gamma G]\n"
    "                         [--eps-schedule linear|exponential|constant] [--eps-start E]\n"
    "                         [--eps-end E] [--eps-fraction F] [--eps-decay T] [--kwargs k=v,...]\n"
    "                         [--seed S] [--eval-episodes 1000] [--load Q.npy] [--out DIR] [--json]\n"
    "  ENV              an env with Discrete observations: FrozenLake-v1, FrozenLake8x8-v1,\n"
    "                   Taxi-v3, CliffWalking-v0 (defaults tuned per env, see docs/TUTORIAL.md)\n"
    "  --load Q.npy     evaluate a saved table instead of training\n"
    "  --out DIR        write q.npy, result.json and policy.txt (grid worlds) there\n"
    "  --json           print the final evaluation as one JSON object\n";

/* What the flags edit: the library's def (filled with the env's preset first) and the verb's
 * own options. */
typedef struct tab_opts {
    dq_tabular_def def;
    bool alpha_end_given; /* --alpha sets a constant rate unless --alpha-end is given too */
    int64_t eval_episodes;
    const char *out, *kwargs, *load;
    bool json;
} tab_opts;

static dq_status set_algo(void *o, const char *v, dq_error *err) {
    return dq_tabular_algo_parse(v, &((tab_opts *)o)->def.algo, err);
}
static dq_status set_alpha(void *o, const char *v, dq_error *err) {
    tab_opts *t = o;
    if (!dq_cli_double(v, 1e-12, 1, &t->def.alpha))
        return dq_fail(err, DQ_EINVAL, "needs a number in (0, 1], got '%s'", v);
    if (!t->alpha_end_given) t->def.alpha_end = t->def.alpha;
    return DQ_OK;
}
static dq_status set_alpha_end(void *o, const char *v, dq_error *err) {
    tab_opts *t = o;
    if (!dq_cli_double(v, 1e-12, 1, &t->def.alpha_end))
        return dq_fail(err, DQ_EINVAL, "needs a number in (0, 1], got '%s'", v);
    t->alpha_end_given = true;
    return DQ_OK;
}
static dq_status set_schedule(void *o, const char *v, dq_error *err) {
    return dq_schedule_kind_parse(v, &((tab_opts *)o)->def.epsilon.kind, err);
}

#define F(field) offsetof(tab_opts, field)
static const dq_cli_flag FLAGS[] = {
    {"--algo", DQ_CLI_FN, 0, 0, 0, set_algo},
    {"--episodes", DQ_CLI_I64, F(def.episodes), 1, 1099511627776.0, NULL},
    {"--steps", DQ_CLI_I64, F(def.steps), 1, 1099511627776.0, NULL},
    {"--alpha", DQ_CLI_FN, 0, 0, 0, set_alpha},
    {"--alpha-end", DQ_CLI_FN, 0, 0, 0, set_alpha_end},
    {"--gamma", DQ_CLI_F64, F(def.gamma), 0, 1, NULL},
    {"--eps-schedule", DQ_CLI_FN, 0, 0, 0, set_schedule},
    {"--eps-start", DQ_CLI_F64, F(def.epsilon.start), 0, 1, NULL},
    {"--eps-end", DQ_CLI_F64, F(def.epsilon.end), 0, 1, NULL},
    {"--eps-fraction", DQ_CLI_F64, F(def.epsilon.fraction), 1e-12, 1, NULL},
    {"--eps-decay", DQ_CLI_F64, F(def.epsilon.decay), 1e-12, 1e15, NULL},
    {"--kwargs", DQ_CLI_STR, F(kwargs), 0, 0, NULL},
    {"--seed", DQ_CLI_U64, F(def.seed), 0, 2305843009213693951.0, NULL},
    {"--eval-episodes", DQ_CLI_I64, F(eval_episodes), 1, 10000000, NULL},
    {"--load", DQ_CLI_STR, F(load), 0, 0, NULL},
    {"--out", DQ_CLI_STR, F(out), 0, 0, NULL},
    {"--json", DQ_CLI_SET, F(json), 0, 0, NULL},
};
#undef F
static const dq_cli_cmd CMD = {"tabular", NULL, FLAGS, sizeof FLAGS / sizeof *FLAGS, 1, 1};

/* Arrows over the map of a grid world; NULL (nothing drawn) for others such as Taxi. */
static char *draw_policy(const dq_env *env, const dq_qtable *q) {
    char cells[64 * 64 + 1];
    int nrow, ncol;
    const char *arrows;
    if (dq_env_grid(env, cells, sizeof cells, &nrow, &ncol, &arrows, NULL)) return NULL;
    char *text = NULL;
    dq_qtable_arrows(q, nrow, ncol, arrows, cells, &text, NULL);
    return text;
}

int dq_cmd_tabular(int argc, char **argv) {
    dq_cli_cmd cmd = CMD;
    cmd.usage = USAGE;
    const char *pos[1];
    int n_pos;
    /* the env's preset first, then the flags on top: parse once to find ENV */
    int rc0 = dq_cli_parse(&cmd, NULL, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) return rc0;
    const char *env_id = pos[0];
    if (!dq_env_find(env_id)) return dq_cli_unknown_env("tabular", env_id);
    tab_opts o = {.def = dq_tabular_def_preset(env_id), .eval_episodes = 1000};
    o.def.seed = 0;
    o.def.algo = DQ_TAB_Q; /* --algo, not the preset, picks the algorithm */
    rc0 = dq_cli_parse(&cmd, &o, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) return rc0;
    dq_tabular_def def = o.def;
    /* an exponential schedule over an episode budget counts episodes */
    def.epsilon.per_episode = def.steps == 0;
    int64_t seed = (int64_t)def.seed, eval_episodes = o.eval_episodes;
    const char *out = o.out, *kwargs = o.kwargs, *load = o.load;
    bool json = o.json;
    dq_error err = {0};

    dq_env *env = NULL;
    if (dq_env_make(env_id, kwargs, &env, &err)) return dq_cli_die(1, "tabular: %s", err.msg);
    /* a training run: its seed keeps seeding xoshiro256** (docs/ENVIRONMENTS.md, "Seeds") */
    dq_env_set_seeding(env, DQ_SEEDING_XOSHIRO);
    int rc = 1;
    dq_qtable q = {0}, qs = {0};
    char *js = NULL, *arrows = NULL;
    dq_status s;
    if (load) {
        s = dq_qtable_load(&q, load, &err);
        if (!s && (q.n_states != env->obs_space.n || q.n_actions != env->act_space.n ||
                   env->obs_space.kind != DQ_SPACE_DISCRETE))
            s = dq_fail(&err, DQ_EFORMAT, "%s is a %dx%d table; %s needs %lldx%lld", load,
                        q.n_states, q.n_actions, env_id, (long long)env->obs_space.n,
                        (long long)env->act_space.n);
        if (!s) printf("loaded %s (%d states x %d actions)\n", load, q.n_states, q.n_actions);
    } else {
        s = dq_tabular_train(&def, env, &q, NULL, NULL, &err);
        if (!s)
            printf("%s on %s: %lld %s, alpha %g -> %g, gamma %g, epsilon %g -> %g over %g of the "
                   "budget, seed %lld\n",
                   dq_tabular_algo_name(def.algo), env_id,
                   (long long)(def.steps ? def.steps : def.episodes),
                   def.steps ? "steps" : "episodes", def.alpha, def.alpha_end, def.gamma,
                   def.epsilon.start, def.epsilon.end, def.epsilon.fraction, (long long)seed);
    }
    if (s) {
        dq_cli_die(1, "tabular: %s", err.msg);
        goto done;
    }
    char extra[512] = "";
    const dq_tabular_model *m = dq_env_model(env);
    if (m) {
        int sweeps = 0;
        double gam = def.gamma < 1 ? def.gamma : 0.999999;
        if (dq_value_iteration(m, gam, 1e-10, 1000000, &qs, &sweeps, &err)) {
            dq_cli_die(1, "tabular: %s", err.msg);
            goto done;
        }
        double mx, agree;
        dq_qtable_compare(&q, &qs, &mx, &agree);
        dq_policy_stats opt;
        if (dq_policy_eval(env, dq_qtable_greedy, &qs, (int)eval_episodes, 1000000 + seed * 1000,
                           &opt, &err)) {
            dq_cli_die(1, "tabular: %s", err.msg);
            goto done;
        }
        printf("value iteration (gamma %g, %d sweeps): max |Q - Q*| = %.4g, greedy policy agrees "
               "with Q* on %.1f%% of states; Q*'s greedy policy scores %.4g +- %.4g\n",
               gam, sweeps, mx, 100 * agree, opt.mean, opt.std);
        snprintf(extra, sizeof extra,
                 "\"max_abs_q_error\": %.10g, \"policy_agreement\": %.10g, \"optimal_mean\": %.10g",
                 mx, agree, opt.mean);
    }
    arrows = draw_policy(env, &q);
    if (arrows) printf("greedy policy:\n%s", arrows);
    dq_policy_stats st;
    if (dq_policy_eval(env, dq_qtable_greedy, &q, (int)eval_episodes, 1000000 + seed * 1000, &st,
                       &err)) {
        dq_cli_die(1, "tabular: %s", err.msg);
        goto done;
    }
    char extra2[640];
    snprintf(extra2, sizeof extra2, "\"algorithm\": \"%s\"%s%s", dq_tabular_algo_name(def.algo),
             extra[0] ? ", " : "", extra);
    js = dq_cli_eval_json(env_id, "tabular", &st, 1000000 + seed * 1000, extra2);
    if (json) printf("%s\n", js ? js : "{}");
    else
        printf("greedy eval over %d episodes: %.4g +- %.4g (min %g, max %g)\n", st.episodes,
               st.mean, st.std, st.min, st.max);
    rc = 0;
    if (out) {
        char path[4096];
        char *jl = malloc(strlen(js ? js : "{}") + 2);
        sprintf(jl, "%s\n", js ? js : "{}");
        if (snprintf(path, sizeof path, "%s/q.npy", out) >= (int)sizeof path)
            rc = dq_cli_die(1, "tabular: --out path too long");
        else if (!dq_cli_write_text(out, "result.json", jl) ||
            (arrows && !dq_cli_write_text(out, "policy.txt", arrows)))
            rc = 1;
        else if (dq_qtable_save(&q, path, &err))
            rc = dq_cli_die(1, "tabular: %s", err.msg);
        free(jl);
    }
done:
    free(js);
    free(arrows);
    dq_qtable_free(&q);
    dq_qtable_free(&qs);
    dq_env_free(env);
    return rc;
}
