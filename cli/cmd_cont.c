/* cmd_cont.c — the continuous-action verbs: `deepq train ENV --algo ddpg|td3|naf|sampled ...`,
 * `deepq eval` of their checkpoints and `deepq resume` of their runs (cmd_train.c, cmd_eval.c
 * and cmd_resume.c hand over here when the algorithm is not DQN). A run folder holds
 * config.yml, train.log, episodes.csv (DQN's columns, so `deepq plot` reads it), progress.csv,
 * evals.csv, tb/ (train/critic_loss, train/actor_loss, rollout/ep_rew_mean, eval/mean_reward),
 * final.safetensors and, with --stop-at, resume.safetensors. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "deepq/cont.h"
#include "deepq/cont_config.h"
#include "deepq/csv.h"
#include "deepq/fsio.h"
#include "deepq/safetensors.h"
#include "deepq/tb.h"

static const char *USAGE =
    "usage: deepq train ENV --algo ddpg|td3|naf|sampled [--preset zoo|deepq | --config FILE.yml]\n"
    "                   [--set key=value]... [--seed N] [--steps N] [--out DIR]\n"
    "                   [--final-episodes N] [--no-wall-time] [--stop-at STEP]\n"
    "  --preset NAME    zoo: RL-Zoo's td3.yml/ddpg.yml entries as published (td3, ddpg);\n"
    "                   deepq: small networks (default; every algo, Pendulum-v1)\n"
    "  --stop-at STEP   stop at the first episode end after STEP and save resume.safetensors\n"
    "                   (continue with deepq resume RUN_DIR)\n";

typedef struct cont_run {
    dq_cont_config cfg;
    char dir[512];
    dq_env *env, *eval_env;
    dq_cont *ag;
    dq_csv_writer *ep_csv, *eval_csv, *prog_csv;
    dq_tb_writer *tb;
    FILE *log;
    bool no_wall_time;
    int final_episodes;
    int64_t stop_at;
    double t0;
    dq_error err;
    dq_status cb_status;
    char *config_yaml;
} cont_run;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Print to stdout and train.log. */
static void say(cont_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(cont_run *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    dq_cli_vsay(r->log, fmt, ap);
    va_end(ap);
}

static int fail_cb(cont_run *r, dq_status st) {
    r->cb_status = st;
    return 1;
}

static const char *status_word(const char *env_id, double ret, bool terminated, bool truncated) {
    if (!strncmp(env_id, "LunarLander", 11)) {
        if (truncated) return "Timeout";
        return ret >= 200 ? "Solved" : ret >= 100 ? "Landed" : ret >= 0 ? "Improving" : "Crashed";
    }
    if (!strncmp(env_id, "MountainCar", 11)) return terminated ? "Reached goal" : "Timeout";
    return terminated ? "Terminated" : "Timeout";
}

static int on_episode(void *user, dq_cont *ag, const dq_dqn_episode *ep) {
    cont_run *r = user;
    dq_csv_put_int(r->ep_csv, ep->episode);
    dq_csv_put_int(r->ep_csv, ep->length);
    dq_csv_put_double(r->ep_csv, ep->ret);
    dq_csv_put_str(r->ep_csv, status_word(r->cfg.env_id, ep->ret, ep->terminated, ep->truncated));
    dq_csv_put_int(r->ep_csv, ep->total_steps);
    dq_csv_put_fixed(r->ep_csv, 0.0, 6);
    dq_csv_put_fixed(r->ep_csv, r->no_wall_time ? 0.0 : now() - r->t0, 3);
    dq_status st = dq_csv_end_row(r->ep_csv, &r->err);
    if (!st)
        st = dq_tb_writer_scalar(r->tb, "rollout/ep_rew_mean", dq_cont_ep_rew_mean(ag),
                                 ep->total_steps, -1, &r->err);
    if (st) return fail_cb(r, st);
    if (r->stop_at > 0 && ep->total_steps >= r->stop_at) {
        char p[600];
        snprintf(p, sizeof p, "%s/resume.safetensors", r->dir);
        const char *meta[] = {"config_yaml", r->config_yaml};
        if ((st = dq_cont_save_state(ag, r->env, p, 1, meta, &r->err))) return fail_cb(r, st);
        say(r, "stopped at step %lld (episode %lld); state saved to %s: deepq resume %s\n",
            (long long)ep->total_steps, (long long)ep->episode, p, r->dir);
        return 1;
    }
    return 0;
}

static int on_log(void *user, dq_cont *ag, const dq_cont_stats *s) {
    cont_run *r = user;
    const double el = now() - r->t0, fps = el > 0 ? (double)s->step / el : 0;
    dq_csv_put_int(r->prog_csv, s->step);
    dq_csv_put_int(r->prog_csv, s->episodes);
    dq_csv_put_double(r->prog_csv, s->critic_loss);
    dq_csv_put_double(r->prog_csv, s->actor_loss);
    dq_csv_put_double(r->prog_csv, s->q_mean);
    dq_csv_put_double(r->prog_csv, dq_cont_ep_rew_mean(ag));
    dq_csv_put_int(r->prog_csv, s->n_updates);
    dq_csv_put_fixed(r->prog_csv, r->no_wall_time ? 0.0 : fps, 1);
    dq_status st = dq_csv_end_row(r->prog_csv, &r->err);
    if (!st && s->n_critic)
        st = dq_tb_writer_scalar(r->tb, "train/critic_loss", s->critic_loss, s->step, -1, &r->err);
    if (!st && s->n_actor)
        st = dq_tb_writer_scalar(r->tb, "train/actor_loss", s->actor_loss, s->step, -1, &r->err);
    if (st) return fail_cb(r, st);
    say(r,
        "step %7lld | episodes %5lld | ep_rew_mean %9.2f | critic_loss %9.4f | actor_loss "
        "%9.4f | updates %7lld | %5.0f steps/s\n",
        (long long)s->step, (long long)s->episodes, dq_cont_ep_rew_mean(ag), s->critic_loss,
        s->actor_loss, (long long)s->n_updates, fps);
    return 0;
}

static dq_status evaluate(cont_run *r, int n, int64_t seed, double *mean, double *sd, double *mn,
                          double *mx) {
    double *ret = malloc(sizeof(double) * (size_t)n);
    if (!ret) return dq_fail(&r->err, DQ_ENOMEM, "out of memory");
    dq_status st = dq_cont_evaluate(r->ag, r->eval_env, n, seed, ret, NULL, &r->err);
    if (!st) {
        double s = 0, s2 = 0;
        *mn = INFINITY, *mx = -INFINITY;
        for (int i = 0; i < n; i++) {
            s += ret[i];
            *mn = fmin(*mn, ret[i]);
            *mx = fmax(*mx, ret[i]);
        }
        *mean = s / n;
        for (int i = 0; i < n; i++) s2 += (ret[i] - *mean) * (ret[i] - *mean);
        *sd = sqrt(s2 / n);
    }
    free(ret);
    return st;
}

static int on_eval(void *user, dq_cont *ag) {
    cont_run *r = user;
    double m, sd, mn, mx;
    const int n = dq_cont_get_def(ag)->n_eval_episodes;
    /* each evaluation seeds its own episodes, so a resumed run evaluates as the original did */
    const int64_t step = dq_cont_steps(ag);
    dq_status st = evaluate(r, n, (int64_t)(dq_cont_get_def(ag)->seed % 1000000) * 1000 + 1 + step,
                            &m, &sd, &mn, &mx);
    if (st) return fail_cb(r, st);
    dq_csv_put_int(r->eval_csv, step);
    dq_csv_put_double(r->eval_csv, m);
    dq_csv_put_double(r->eval_csv, sd);
    dq_csv_put_double(r->eval_csv, mn);
    dq_csv_put_double(r->eval_csv, mx);
    dq_csv_put_int(r->eval_csv, n);
    if ((st = dq_csv_end_row(r->eval_csv, &r->err)) ||
        (st = dq_tb_writer_scalar(r->tb, "eval/mean_reward", m, step, -1, &r->err)))
        return fail_cb(r, st);
    say(r, "eval at step %lld: greedy return %.2f +- %.2f over %d episodes\n", (long long)step, m,
        sd, n);
    return 0;
}

static void run_free(cont_run *r) {
    dq_csv_writer_close(r->ep_csv, NULL);
    dq_csv_writer_close(r->eval_csv, NULL);
    dq_csv_writer_close(r->prog_csv, NULL);
    dq_tb_writer_destroy(r->tb);
    if (r->log) fclose(r->log);
    dq_cont_destroy(r->ag);
    dq_env_free(r->env);
    dq_env_free(r->eval_env);
    free(r->config_yaml);
}

/* Envs, agent and logs of run r (append: a resumed run's logs continue). */
static dq_status run_open(cont_run *r, bool append) {
    dq_error *err = &r->err;
    dq_status st;
    if ((st = dq_env_make(r->cfg.env_id, r->cfg.env_kwargs, &r->env, err)) ||
        (st = dq_env_make(r->cfg.env_id, r->cfg.env_kwargs, &r->eval_env, err)) ||
        (st = dq_cont_create(&r->ag, &r->cfg.def, &r->env->obs_space, &r->env->act_space, err)) ||
        (st = dq_cont_config_to_yaml(&r->cfg, &r->config_yaml, err)))
        return st;
    static const char *ep_cols[] = {"episode",     "length",  "return", "status",
                                    "total_steps", "epsilon", "time"};
    static const char *ev_cols[] = {"step", "mean", "std", "min", "max", "episodes"};
    static const char *pr_cols[] = {"step",   "episodes",    "critic_loss", "actor_loss",
                                    "q_mean", "ep_rew_mean", "n_updates",   "fps"};
    char p[600];
    snprintf(p, sizeof p, "%s/train.log", r->dir);
    if (!(r->log = fopen(p, append ? "ab" : "wb")))
        return dq_fail(err, DQ_EIO, "cannot open %s for writing", p);
    snprintf(p, sizeof p, "%s/episodes.csv", r->dir);
    st = dq_csv_writer_open(&r->ep_csv, p, 7, ep_cols, append, err);
    snprintf(p, sizeof p, "%s/evals.csv", r->dir);
    if (!st) st = dq_csv_writer_open(&r->eval_csv, p, 6, ev_cols, append, err);
    snprintf(p, sizeof p, "%s/progress.csv", r->dir);
    if (!st) st = dq_csv_writer_open(&r->prog_csv, p, 8, pr_cols, append, err);
    snprintf(p, sizeof p, "%s/tb", r->dir);
    if (!st) st = dq_tb_writer_create(&r->tb, p, err);
    return st;
}

/* Learn to the end (or the stop), then save final.safetensors and run the final evaluation. */
static int run_learn(cont_run *r) {
    r->t0 = now();
    dq_cont_callbacks cb = {r, on_episode, on_log, on_eval};
    dq_status st = dq_cont_learn(r->ag, r->env, &cb, &r->err);
    if (!st && r->cb_status) st = r->cb_status;
    if (st) return dq_cli_die(1, "%s", r->err.msg);
    if (dq_cont_steps(r->ag) < r->cfg.def.n_timesteps) return 0; /* stopped with --stop-at */
    char p[600];
    snprintf(p, sizeof p, "%s/final.safetensors", r->dir);
    const dq_dqn_meta meta = {r->cfg.env_id, r->cfg.env_kwargs, r->config_yaml};
    if ((st = dq_cont_save(r->ag, p, &meta, &r->err))) return dq_cli_die(1, "%s", r->err.msg);
    double train_s = now() - r->t0;
    /* The same two closing lines as a DQN run (dqn_run.c), in the same order: `deepq sweep`
     * reads the evaluation and takes the "trained" line as the mark of a finished run. */
    if (r->final_episodes > 0) {
        double m, sd, mn, mx;
        if ((st = evaluate(r, r->final_episodes, 1000000, &m, &sd, &mn, &mx)))
            return dq_cli_die(1, "%s", r->err.msg);
        say(r, "final greedy eval over %d episodes: %.2f +- %.2f (min %.2f, max %.2f)\n",
            r->final_episodes, m, sd, mn, mx);
    }
    say(r, "trained %lld steps (%lld updates) in %.1f s; weights: %s\n",
        (long long)dq_cont_steps(r->ag), (long long)dq_cont_updates(r->ag), train_s, p);
    return 0;
}

static bool exists(const char *p) {
    struct stat s;
    return stat(p, &s) == 0;
}

int dq_cmd_train_cont(int argc, char **argv) {
    const char *env_id = "Pendulum-v1", *preset = NULL, *config = NULL, *out = NULL, *algo = NULL;
    const char *sets[64];
    int n_sets = 0;
    long long seed = -1, steps = -1, final_eps = 100, stop_at = 0;
    bool no_wall_time = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            return 0;
        } else if (!strcmp(a, "--no-wall-time")) {
            no_wall_time = true;
        } else if (!strcmp(a, "--algo") || !strcmp(a, "--preset") || !strcmp(a, "--config") ||
                   !strcmp(a, "--set") || !strcmp(a, "--out") || !strcmp(a, "--seed") ||
                   !strcmp(a, "--steps") || !strcmp(a, "--final-episodes") ||
                   !strcmp(a, "--stop-at")) {
            if (!v) return dq_cli_die(2, "%s needs a value (see deepq train --help)", a);
            i++;
            if (!strcmp(a, "--algo"))
                algo = v;
            else if (!strcmp(a, "--preset"))
                preset = v;
            else if (!strcmp(a, "--config"))
                config = v;
            else if (!strcmp(a, "--out"))
                out = v;
            else if (!strcmp(a, "--set")) {
                if (n_sets == 64) return dq_cli_die(2, "too many --set options");
                if (!strchr(v, '=')) return dq_cli_die(2, "--set needs key=value, got '%s'", v);
                sets[n_sets++] = v;
            } else {
                char *end;
                errno = 0;
                long long x = strtoll(v, &end, 10);
                if (!*v || *end || errno || x < 0)
                    return dq_cli_die(2, "%s: '%s' is not a number >= 0", a, v);
                if (!strcmp(a, "--seed"))
                    seed = x;
                else if (!strcmp(a, "--steps"))
                    steps = x;
                else if (!strcmp(a, "--final-episodes"))
                    final_eps = x;
                else
                    stop_at = x;
            }
        } else if (a[0] == '-') {
            return dq_cli_die(2, "unknown option '%s' (see deepq train --algo td3 --help)", a);
        } else if (i == 1) {
            env_id = a;
        } else {
            return dq_cli_die(2, "unexpected argument '%s'", a);
        }
    }
    if (preset && config) return dq_cli_die(2, "give --preset or --config, not both");
    if (!dq_env_find(env_id)) return dq_cli_die(2, "unknown env '%s' (see deepq list)", env_id);
    cont_run r;
    memset(&r, 0, sizeof r);
    dq_cont_algo al;
    if (dq_cont_algo_parse(algo ? algo : "td3", &al, &r.err)) return dq_cli_die(2, "%s", r.err.msg);
    dq_env *probe;
    if (dq_env_make(env_id, NULL, &probe, &r.err)) return dq_cli_die(2, "%s", r.err.msg);
    const bool box = probe->act_space.kind == DQ_SPACE_BOX || !strcmp(env_id, "LunarLander-v3");
    dq_env_free(probe);
    if (!box)
        return dq_cli_die(2,
                          "%s needs a Box action space; %s has Discrete actions (use --algo dqn)",
                          dq_cont_algo_name(al), env_id);
    dq_cont_config_default(&r.cfg, al);
    snprintf(r.cfg.env_id, sizeof r.cfg.env_id, "%s", env_id);
    dq_status st =
        config ? dq_cont_config_apply_file(&r.cfg, config, env_id, &r.err)
               : dq_cont_config_apply_preset(&r.cfg, preset ? preset : "deepq", env_id, &r.err);
    for (int i = 0; !st && i < n_sets; i++) {
        char key[128];
        const char *eq = strchr(sets[i], '=');
        snprintf(key, sizeof key, "%.*s", (int)(eq - sets[i]), sets[i]);
        st = dq_cont_config_set(&r.cfg, key, eq + 1, &r.err);
    }
    if (st) return dq_cli_die(2, "%s", r.err.msg);
    if (strcmp(r.cfg.env_id, env_id))
        return dq_cli_die(2, "the config names env %s but training was asked for %s", r.cfg.env_id,
                          env_id);
    if (seed >= 0) r.cfg.def.seed = (uint64_t)seed;
    if (steps >= 0) r.cfg.def.n_timesteps = steps;
    if (dq_cont_def_check(&r.cfg.def, &r.err)) return dq_cli_die(2, "%s", r.err.msg);
    if (out) {
        char p[600];
        snprintf(p, sizeof p, "%s/config.yml", out);
        if (exists(p))
            return dq_cli_die(
                1, "%s already holds a run; choose another --out (or deepq resume %s)", out, out);
        snprintf(r.dir, sizeof r.dir, "%s", out);
    } else {
        for (int n = 1;; n++) {
            snprintf(r.dir, sizeof r.dir, "runs/%s-%s-%s-s%llu-%d", env_id, dq_cont_algo_name(al),
                     r.cfg.preset, (unsigned long long)r.cfg.def.seed, n);
            if (!exists(r.dir)) break;
        }
    }
    r.no_wall_time = no_wall_time;
    r.final_episodes = (int)final_eps;
    r.stop_at = stop_at;
    if ((st = dq_mkdir_p(r.dir, &r.err)) || (st = run_open(&r, false))) {
        run_free(&r);
        return dq_cli_die(1, "%s", r.err.msg);
    }
    char p[600];
    snprintf(p, sizeof p, "%s/config.yml", r.dir);
    if ((st = dq_write_file_atomic(p, r.config_yaml, strlen(r.config_yaml), &r.err))) {
        run_free(&r);
        return dq_cli_die(1, "%s", r.err.msg);
    }
    const dq_cont_def *d = &r.cfg.def;
    char arch[64] = "";
    for (int i = 0; i < d->n_hidden; i++)
        snprintf(arch + strlen(arch), sizeof arch - strlen(arch), "%s%d", i ? "x" : "",
                 d->net_arch[i]);
    say(&r, "deepq %s: %s on %s%s%s, preset %s, seed %llu, %lld steps, nets %s, run folder %s\n",
        DQ_VERSION, dq_cont_algo_name(al), env_id, r.cfg.env_kwargs[0] ? " " : "", r.cfg.env_kwargs,
        r.cfg.preset, (unsigned long long)d->seed, (long long)d->n_timesteps,
        arch[0] ? arch : "linear", r.dir);
    int rc = run_learn(&r);
    char dir[sizeof r.dir];
    snprintf(dir, sizeof dir, "%s", r.dir);
    run_free(&r);
    return rc ? rc : dq_cli_write_plots(dir);
}

int dq_cmd_resume_cont(const char *dir, long long final_eps, long long stop_at, bool no_wall_time) {
    cont_run r;
    memset(&r, 0, sizeof r);
    char p[600];
    snprintf(r.dir, sizeof r.dir, "%s", dir);
    snprintf(p, sizeof p, "%s/config.yml", dir);
    /* the algo first (the key table checks the file's algo against the config's) */
    void *data;
    size_t len;
    if (dq_read_file(p, &data, &len, &r.err)) return dq_cli_die(1, "%s", r.err.msg);
    char *t = realloc(data, len + 1), algo[32] = "", env[64] = "";
    if (!t) return dq_cli_die(1, "out of memory");
    t[len] = '\0';
    const char *a = strstr(t, "\nalgo: "), *e = strstr(t, "env: ");
    if (a) sscanf(a + 7, "%31s", algo);
    if (e) sscanf(e + 5, "%63s", env);
    free(t);
    dq_cont_algo al;
    if (dq_cont_algo_parse(algo, &al, &r.err)) return dq_cli_die(1, "%s: %s", p, r.err.msg);
    dq_cont_config_default(&r.cfg, al);
    if (dq_cont_config_apply_file(&r.cfg, p, env, &r.err)) return dq_cli_die(1, "%s", r.err.msg);
    snprintf(p, sizeof p, "%s/resume.safetensors", dir);
    if (!exists(p))
        return dq_cli_die(1, "%s has no resume.safetensors (train with --stop-at STEP)", dir);
    r.final_episodes = final_eps >= 0 ? (int)final_eps : 100;
    r.stop_at = stop_at;
    r.no_wall_time = no_wall_time;
    dq_status st = run_open(&r, true);
    if (!st) st = dq_cont_load_state(r.ag, r.env, p, NULL, &r.err);
    if (st) {
        run_free(&r);
        return dq_cli_die(1, "%s", r.err.msg);
    }
    say(&r, "resuming %s at step %lld of %lld\n", dir, (long long)dq_cont_steps(r.ag),
        (long long)r.cfg.def.n_timesteps);
    int rc = run_learn(&r);
    run_free(&r);
    return rc ? rc : dq_cli_write_plots(dir);
}

/* {"action": [env units], "q": [Q_k(s, a) of each critic, or NAF's V(s)]} for one observation. */
static dq_status print_action(cont_run *r, const char *text) {
    float obs[DQ_SPACE_MAX];
    const int O = r->eval_env->obs_space.size, D = r->eval_env->act_space.size;
    int n = 0;
    for (const char *p = text; *p && n < DQ_SPACE_MAX;) {
        char *end;
        obs[n++] = strtof(p, &end);
        if (end == p)
            return dq_fail(&r->err, DQ_EINVAL, "--q: '%s' is not a list of numbers", text);
        p = *end == ',' ? end + 1 : end;
    }
    if (n != O) return dq_fail(&r->err, DQ_EINVAL, "--q needs %d comma-separated numbers", O);
    double a[DQ_NOISE_MAX_DIM];
    dq_cont_act(r->ag, obs, a);
    printf("{\"action\": [");
    for (int j = 0; j < D; j++) printf("%s%.9g", j ? ", " : "", a[j]);
    printf("], \"q\": [");
    float x[DQ_SPACE_MAX + DQ_NOISE_MAX_DIM], q[1 + DQ_NOISE_MAX_DIM * (DQ_NOISE_MAX_DIM + 1)];
    dq_mlp *naf = dq_cont_net(r->ag, "naf");
    if (naf) {
        dq_mlp_act(naf, obs, q);
        printf("%.9g", (double)q[0]);
    } else {
        memcpy(x, obs, sizeof(float) * O);
        dq_action_scale(x + O, a, r->eval_env->act_space.low, r->eval_env->act_space.high, D);
        for (int k = 0; k < 2; k++) {
            char name[16];
            snprintf(name, sizeof name, "critic%d", k);
            dq_mlp *c = dq_cont_net(r->ag, name);
            if (!c) break;
            dq_mlp_act(c, x, q);
            printf("%s%.9g", k ? ", " : "", (double)q[0]);
        }
    }
    printf("]}\n");
    return DQ_OK;
}

dq_status dq_cli_load_cont(const char *src, dq_cont **ag, dq_env **env, dq_error *err) {
    *ag = NULL;
    *env = NULL;
    struct stat sb;
    char path[600];
    snprintf(path, sizeof path,
             stat(src, &sb) == 0 && S_ISDIR(sb.st_mode) ? "%s/final.safetensors" : "%s", src);
    dq_safetensors *f;
    dq_status st = dq_safetensors_load(&f, path, err);
    if (st) return st;
    const char *algo = dq_safetensors_meta(f, "algo"), *e = dq_safetensors_meta(f, "env_id");
    const char *kw = dq_safetensors_meta(f, "env_kwargs"),
               *y = dq_safetensors_meta(f, "config_yaml");
    dq_cont_config cfg;
    dq_cont_algo al;
    st = dq_cont_algo_parse(algo ? algo : "?", &al, err);
    if (!st && (!e || !y)) st = dq_fail(err, DQ_EFORMAT, "%s has no env/config metadata", path);
    if (!st) {
        dq_cont_config_default(&cfg, al);
        st = dq_cont_config_apply_yaml(&cfg, y, path, e, err);
    }
    if (!st) snprintf(cfg.env_kwargs, sizeof cfg.env_kwargs, "%s", kw ? kw : "");
    dq_safetensors_free(f);
    if (!st) st = dq_env_make(cfg.env_id, cfg.env_kwargs, env, err);
    if (!st) st = dq_cont_create(ag, &cfg.def, &(*env)->obs_space, &(*env)->act_space, err);
    if (!st) st = dq_cont_load_weights(*ag, path, cfg.env_id, err);
    if (st) {
        dq_cont_destroy(*ag);
        dq_env_free(*env);
        *ag = NULL;
        *env = NULL;
    }
    return st;
}

int dq_cmd_eval_cont(const char *path, long long episodes, long long seed, bool json,
                     const char *obs_text) {
    dq_error err;
    dq_safetensors *f;
    if (dq_safetensors_load(&f, path, &err)) return dq_cli_die(1, "%s", err.msg);
    const char *algo = dq_safetensors_meta(f, "algo"), *env = dq_safetensors_meta(f, "env_id");
    const char *kw = dq_safetensors_meta(f, "env_kwargs"),
               *y = dq_safetensors_meta(f, "config_yaml");
    cont_run r;
    memset(&r, 0, sizeof r);
    dq_cont_algo al;
    dq_status st = dq_cont_algo_parse(algo ? algo : "?", &al, &r.err);
    if (!st && (!env || !y))
        st = dq_fail(&r.err, DQ_EFORMAT, "%s has no env/config metadata", path);
    if (!st) {
        dq_cont_config_default(&r.cfg, al);
        st = dq_cont_config_apply_yaml(&r.cfg, y, path, env, &r.err);
    }
    if (!st) snprintf(r.cfg.env_kwargs, sizeof r.cfg.env_kwargs, "%s", kw ? kw : "");
    dq_safetensors_free(f);
    if (!st) st = dq_env_make(r.cfg.env_id, r.cfg.env_kwargs, &r.eval_env, &r.err);
    if (!st)
        st = dq_cont_create(&r.ag, &r.cfg.def, &r.eval_env->obs_space, &r.eval_env->act_space,
                            &r.err);
    if (!st) st = dq_cont_load_weights(r.ag, path, r.cfg.env_id, &r.err);
    double m = 0, sd = 0, mn = 0, mx = 0;
    if (!st && obs_text) {
        st = print_action(&r, obs_text);
        run_free(&r);
        return st ? dq_cli_die(2, "%s", r.err.msg) : 0;
    }
    if (!st && episodes > 0) st = evaluate(&r, (int)episodes, seed, &m, &sd, &mn, &mx);
    run_free(&r);
    if (st) return dq_cli_die(1, "%s", r.err.msg);
    if (json)
        printf("{\"algo\": \"%s\", \"env\": \"%s\", \"episodes\": %lld, \"mean\": %.6f, "
               "\"std\": %.6f, \"min\": %.6f, \"max\": %.6f}\n",
               dq_cont_algo_name(al), r.cfg.env_id, episodes, m, sd, mn, mx);
    else
        printf("%s on %s: %.2f +- %.2f (min %.2f, max %.2f) over %lld greedy episodes\n",
               dq_cont_algo_name(al), r.cfg.env_id, m, sd, mn, mx, episodes);
    return 0;
}
