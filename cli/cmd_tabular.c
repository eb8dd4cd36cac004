/* cmd_tabular.c — `deepq tabular ENV`: Q-learning / SARSA / expected SARSA on an env with
 * Discrete observations, compared with value iteration's Q* when the env exposes its model,
 * the greedy policy drawn as arrows on grid worlds, and a greedy evaluation (1000 episodes)
 * ending in one JSON object with --json. See deepq/tabular.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_rl.h"
#include "deepq/tabular.h"
#include "env/frozen_lake.h"

#define TAB_USAGE                                                                              \
    "usage: deepq tabular ENV [--algo q|sarsa|expected_sarsa] [--episodes N | --steps N] "    \
    "[--alpha A] [--alpha-end A] [--gamma G] [--eps-schedule linear|exponential|constant] "      \
    "[--eps-start E] [--eps-end E] [--eps-fraction F] [--eps-decay T] "                          \
    "[--kwargs k=v,...] [--seed S] [--eval-episodes 1000] [--load Q.npy] [--out DIR] [--json]"

/* Arrows for the grid worlds deepq knows; NULL (nothing drawn) for others such as Taxi. */
static char *draw_policy(const dq_env *env, const dq_qtable *q) {
    char *text = NULL;
    const char *id = env->type->id;
    if (!strncmp(id, "FrozenLake", 10)) {
        const dq_frozen_lake_state *st = dq_env_state(env);
        char cells[DQ_FROZEN_LAKE_MAX * DQ_FROZEN_LAKE_MAX];
        for (int r = 0; r < st->nrow; r++)
            for (int c = 0; c < st->ncol; c++) {
                char ch = st->desc[r][c];
                cells[r * st->ncol + c] = (ch == 'H' || ch == 'G') ? ch : '.';
            }
        dq_qtable_arrows(q, st->nrow, st->ncol, "<v>^", cells, &text, NULL);
    } else if (!strncmp(id, "CliffWalking", 12) && q->n_states == 48) {
        char cells[49];
        memset(cells, '.', 48);
        for (int c = 1; c < 11; c++) cells[36 + c] = 'C';
        cells[47] = 'G';
        cells[48] = 0;
        dq_qtable_arrows(q, 4, 12, "^>v<", cells, &text, NULL);
    }
    return text;
}

int dq_cmd_tabular(int argc, char **argv) {
    const char *env_id = NULL, *out = NULL, *kwargs = NULL, *load = NULL;
    bool json = false;
    dq_tabular_def def = dq_tabular_def_default();
    /* flags are applied after the env preset: remember them */
    int64_t episodes = -1, steps = -1, seed = 0, eval_episodes = 1000, iv;
    double alpha = -1, alpha_end = -1, gamma = -1, eps_start = -1, eps_end = -1, eps_frac = -1;
    const char *algo = "q", *sched = NULL;
    double eps_decay = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] != '-') {
            if (env_id) return dq_cli_die(2, "tabular: one ENV only (got '%s' and '%s')", env_id, a);
            env_id = a;
            continue;
        }
        if (!strcmp(a, "--json")) { json = true; continue; }
        if (!v) return dq_cli_die(2, "tabular: %s needs a value", a);
        i++;
#define INT_OPT(name, var, lo, hi)                                                             \
    else if (!strcmp(a, name)) {                                                               \
        if (!dq_cli_int(v, lo, hi, &iv))                                                       \
            return dq_cli_die(2, "tabular: %s needs an integer in [%lld, %lld], got '%s'", name,\
                              (long long)(lo), (long long)(hi), v);                            \
        var = iv;                                                                              \
    }
#define DBL_OPT(name, var, lo, hi)                                                             \
    else if (!strcmp(a, name)) {                                                               \
        if (!dq_cli_double(v, lo, hi, &var))                                                   \
            return dq_cli_die(2, "tabular: %s needs a number in [%g, %g], got '%s'", name,     \
                              (double)(lo), (double)(hi), v);                                  \
    }
        if (!strcmp(a, "--algo")) algo = v;
        else if (!strcmp(a, "--eps-schedule")) sched = v;
        else if (!strcmp(a, "--out")) out = v;
        else if (!strcmp(a, "--kwargs")) kwargs = v;
        else if (!strcmp(a, "--load")) load = v;
        INT_OPT("--episodes", episodes, 1, (int64_t)1 << 40)
        INT_OPT("--steps", steps, 1, (int64_t)1 << 40)
        INT_OPT("--seed", seed, 0, INT64_MAX / 4)
        INT_OPT("--eval-episodes", eval_episodes, 1, 10000000)
        DBL_OPT("--alpha", alpha, 1e-12, 1)
        DBL_OPT("--alpha-end", alpha_end, 1e-12, 1)
        DBL_OPT("--gamma", gamma, 0, 1)
        DBL_OPT("--eps-start", eps_start, 0, 1)
        DBL_OPT("--eps-end", eps_end, 0, 1)
        DBL_OPT("--eps-fraction", eps_frac, 1e-12, 1)
        DBL_OPT("--eps-decay", eps_decay, 1e-12, 1e15)
        else return dq_cli_die(2, "tabular: unknown option '%s'\n" TAB_USAGE, a);
#undef INT_OPT
#undef DBL_OPT
    }
    if (!env_id) return dq_cli_die(2, TAB_USAGE);
    dq_error err = {0};
    def = dq_tabular_def_preset(env_id);
    if (dq_tabular_algo_parse(algo, &def.algo, &err)) return dq_cli_die(2, "tabular: %s", err.msg);
    if (episodes > 0) def.episodes = episodes;
    if (steps > 0) def.steps = steps;
    if (alpha > 0) def.alpha = alpha, def.alpha_end = alpha;
    if (alpha_end > 0) def.alpha_end = alpha_end;
    if (gamma >= 0) def.gamma = gamma;
    if (eps_start >= 0) def.epsilon.start = eps_start;
    if (eps_end >= 0) def.epsilon.end = eps_end;
    if (eps_frac > 0) def.epsilon.fraction = eps_frac;
    if (sched && dq_schedule_kind_parse(sched, &def.epsilon.kind, &err))
        return dq_cli_die(2, "tabular: --eps-schedule: %s", err.msg);
    if (eps_decay > 0) def.epsilon.decay = eps_decay;
    /* an exponential schedule over an episode budget counts episodes */
    def.epsilon.per_episode = def.steps == 0;
    def.seed = (uint64_t)seed;

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
        snprintf(path, sizeof path, "%s/q.npy", out);
        char *jl = malloc(strlen(js ? js : "{}") + 2);
        sprintf(jl, "%s\n", js ? js : "{}");
        if (!dq_cli_write_text(out, "result.json", jl) ||
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
