/* cmd_enjoy.c — `deepq enjoy`: watch a policy play an env — in a window (--render human), into a
 * video (--video out.mp4|out.gif, at the env's render fps) or both, or as text for the toy-text
 * envs (--render ansi) — and print each episode's return and length. The policy is a trained
 * agent (RUN_DIR or checkpoint), or with --env a built-in one: random, or LunarLander's heuristic. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_rl.h"
#include "cli_viz.h"
#include "deepq/cont.h"
#include "deepq/lunar.h"
#include "dqn_run.h"

typedef enum { POL_RANDOM, POL_HEURISTIC, POL_AGENT, POL_CONT } pol_kind;

typedef struct policy {
    pol_kind kind;
    dq_rng rng;
    dq_run run; /* POL_AGENT: the agent and env rebuilt from the checkpoint */
    dq_cont *cont;     /* POL_CONT: a continuous-action agent (cmd_cont.c) ... */
    dq_env *cont_env;  /* ... and its env */
} policy;

/* Load the agent a checkpoint or run folder describes (dq_run_load_checkpoint). Prints on
 * failure. */
static bool load_agent(policy *p, const char *src) {
    char path[600];
    dq_error err;
    if (dq_cli_load_cont(src, &p->cont, &p->cont_env, &err) == DQ_OK) {
        p->kind = POL_CONT;
        printf("%s: greedy %s policy of %s\n", p->cont_env->type->id,
               dq_cont_algo_name(dq_cont_get_def(p->cont)->algo), src);
        return true;
    }
    if (!dq_run_load_checkpoint(&p->run, src, NULL, "enjoy", path, sizeof path)) return false;
    p->kind = POL_AGENT;
    printf("%s: greedy policy of %s\n", p->run.cfg.env_id, path);
    return true;
}

/* One action for obs: discrete index in *a, or Box values in ca[]. */
static void policy_act(policy *p, const dq_env *env, const float *obs, int64_t *a, double *ca) {
    const dq_space *as = &env->act_space;
    if (p->kind == POL_AGENT) {
        *a = dq_dqn_greedy(p->run.ag, obs, NULL);
        return;
    }
    if (p->kind == POL_CONT) {
        dq_cont_act(p->cont, obs, ca);
        return;
    }
    if (p->kind == POL_HEURISTIC) {
        *a = dq_lunar_heuristic(obs, as->kind == DQ_SPACE_BOX ? ca : NULL);
        return;
    }
    if (as->kind == DQ_SPACE_DISCRETE) *a = (int64_t)dq_rng_below(&p->rng, (uint64_t)as->n);
    else
        for (int i = 0; i < as->size; i++) ca[i] = dq_rng_range(&p->rng, as->low[i], as->high[i]);
}

static const char USAGE[] =
    "usage: deepq enjoy (RUN_DIR|CKPT | --env ID [--kwargs K=V,...] [--policy random|heuristic])\n"
    "                   [--episodes N] [--seed N] [--video out.mp4|out.gif] [--render human|ansi]\n"
    "                   [--fps N] [--max-steps N] [--screenshot shot.png]\n";

typedef struct enjoy_opts {
    const char *env_id, *kwargs, *video, *shot, *pol_name;
    int64_t episodes, seed, fps, max_steps;
    bool human, ansi;
} enjoy_opts;

static dq_status set_render(void *o, const char *v, dq_error *err) {
    enjoy_opts *e = o;
    if (!strcmp(v, "human")) e->human = true;
    else if (!strcmp(v, "ansi")) e->ansi = true;
    else return dq_fail(err, DQ_EINVAL, "takes 'human' or 'ansi'");
    return DQ_OK;
}

#define F(field) offsetof(enjoy_opts, field)
static const dq_cli_flag FLAGS[] = {
    {"--env", DQ_CLI_STR, F(env_id), 0, 0, NULL},
    {"--kwargs", DQ_CLI_STR, F(kwargs), 0, 0, NULL},
    {"--policy", DQ_CLI_STR, F(pol_name), 0, 0, NULL},
    {"--video", DQ_CLI_STR, F(video), 0, 0, NULL},
    {"--screenshot", DQ_CLI_STR, F(shot), 0, 0, NULL},
    {"--render", DQ_CLI_FN, 0, 0, 0, set_render},
    {"--episodes", DQ_CLI_I64, F(episodes), 1, 1000000, NULL},
    {"--seed", DQ_CLI_I64, F(seed), 0, 9.0e15, NULL},
    {"--fps", DQ_CLI_I64, F(fps), 1, 1000, NULL},
    {"--max-steps", DQ_CLI_I64, F(max_steps), 1, 9.0e15, NULL},
};
#undef F

int dq_cmd_enjoy(int argc, char **argv) {
    dq_cli_cmd cmd = {"enjoy", USAGE, FLAGS, sizeof FLAGS / sizeof *FLAGS, 0, 1};
    enjoy_opts o = {.episodes = 3};
    const char *pos[1];
    int n_pos, rc0 = dq_cli_parse(&cmd, &o, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) return rc0;
    const char *target = n_pos ? pos[0] : NULL, *env_id = o.env_id, *kwargs = o.kwargs,
               *video = o.video, *shot = o.shot, *pol_name = o.pol_name;
    int64_t episodes = o.episodes, seed = o.seed, fps = o.fps, max_steps = o.max_steps;
    bool human = o.human, ansi = o.ansi;
    if (!target && !env_id) return dq_cli_die(2, "enjoy: give a RUN_DIR, a checkpoint or --env ID\n%s", USAGE);
    if (target && (env_id || pol_name))
        return dq_cli_die(2, "enjoy: give either RUN_DIR|CKPT or --env/--policy, not both");
    policy pol; /* holds the loaded run (agent + env) for a checkpoint */
    memset(&pol, 0, sizeof pol);
    pol.kind = POL_RANDOM;
    if (pol_name && !strcmp(pol_name, "heuristic")) pol.kind = POL_HEURISTIC;
    else if (pol_name && strcmp(pol_name, "random"))
        return dq_cli_die(2, "enjoy: unknown policy '%s' (random, heuristic)", pol_name);
    if (pol.kind == POL_HEURISTIC && strcmp(env_id, "LunarLander-v3"))
        return dq_cli_die(2, "enjoy: the heuristic policy is LunarLander-v3's");
    dq_rng_seed(&pol.rng, (uint64_t)seed ^ 0xE17u);

    dq_error err = {0};
    dq_env *env = NULL;
    if (target) {
        if (!load_agent(&pol, target)) {
            dq_run_free(&pol.run);
            return 1;
        }
        env = pol.kind == POL_CONT ? pol.cont_env : pol.run.env;
        env_id = pol.kind == POL_CONT ? pol.cont_env->type->id : pol.run.cfg.env_id;
        dq_env_set_seeding(env, DQ_SEEDING_NUMPY); /* --seed S: Gymnasium's reset(seed=S) */
    } else if (dq_env_make(env_id, kwargs, &env, &err) != DQ_OK) {
        return dq_cli_die(1, "%s", err.msg);
    }
    dq_viewer view;
    if (!dq_viewer_open(&view, env, video, human, shot, (int)fps, true)) {
        dq_viewer_close(&view);
        if (pol.kind == POL_CONT) dq_cont_destroy(pol.cont), dq_env_free(pol.cont_env);
        else if (target) dq_run_free(&pol.run);
        else dq_env_free(env);
        return 1;
    }
    float obs[DQ_SPACE_MAX];
    double ca[DQ_SPACE_MAX];
    char text[4096];
    if (ansi && dq_env_render_text(env, text, sizeof text, &err) != DQ_OK) {
        dq_viewer_close(&view);
        dq_env_free(env);
        return dq_cli_die(1, "%s", err.msg);
    }
    double sum = 0, sum2 = 0;
    int done_eps = 0, rc = 0;
    bool quit = false;
    for (int64_t ep = 0; ep < episodes && !quit; ep++) {
        dq_env_reset(env, ep == 0 ? seed : -1, obs);
        if (!dq_viewer_frame(&view, env)) break;
        if (ansi && dq_env_render_text(env, text, sizeof text, &err) == DQ_OK) fputs(text, stdout);
        dq_step so = {0};
        int64_t len = 0;
        double ret = 0;
        for (;;) {
            int64_t a = 0;
            policy_act(&pol, env, obs, &a, ca);
            dq_status st = dq_cli_step(env, a, ca, obs, &so, &err);
            if (st != DQ_OK) {
                rc = dq_cli_die(1, "%s", err.msg);
                quit = true;
                break;
            }
            ret += so.reward, len++;
            if (ansi && dq_env_render_text(env, text, sizeof text, &err) == DQ_OK) fputs(text, stdout);
            if (!dq_viewer_frame(&view, env)) {
                quit = true;
                break;
            }
            if (so.terminated || so.truncated || (max_steps && len >= max_steps)) break;
        }
        if (rc) break;
        printf("episode %lld: return %.2f, length %lld%s\n", (long long)ep + 1, ret, (long long)len,
               so.terminated ? "" : so.truncated ? " (time limit)" : " (stopped)");
        sum += ret, sum2 += ret * ret, done_eps++;
    }
    if (done_eps > 0) {
        double m = sum / done_eps, sd = sqrt(fmax(0, sum2 / done_eps - m * m));
        printf("%s, %s policy: mean return %.2f +- %.2f over %d episodes\n", env_id,
               pol.kind == POL_AGENT || pol.kind == POL_CONT ? "greedy" : pol.kind == POL_HEURISTIC ? "heuristic" : "random",
               m, sd, done_eps);
    }
    if (!dq_viewer_close(&view) && !rc) rc = 1;
    if (pol.kind == POL_CONT) {
        dq_cont_destroy(pol.cont);
        dq_env_free(pol.cont_env);
    } else if (target) {
        dq_run_free(&pol.run); /* owns env */
    } else {
        dq_env_free(env);
    }
    return rc;
}
