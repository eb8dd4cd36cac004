/* cmd_train.c — `deepq train [ENV] [--preset NAME | --config FILE.yml] [--set key=value]...
 * [--seed N] [--steps N] [--out DIR] [--episode-table]`: resolve the configuration, create a
 * new run folder (never overwriting one), write config.yml and train. With no arguments it
 * trains CartPole-v1 on the default preset (`make run`). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "deepq/fsio.h"
#include "dqn_run.h"

static const char *USAGE =
    "usage: deepq train [ENV] [--preset NAME | --config FILE.yml] [--set key=value]...\n"
    "                   [--seed N] [--steps N] [--out DIR] [--episode-table] [--no-wall-time]\n"
    "                   [--final-episodes N] [--stop-at STEP] [--video-every cubic|N]\n"
    "  ENV              Gymnasium id (default CartPole-v1)\n"
    "  --algo NAME      dqn (default); ddpg, td3, naf, sampled for Box actions\n"
    "                   (see deepq train --algo td3 --help)\n"
    "  --preset NAME    built-in hyperparameters: deepq (default), zoo, tutorial, notes\n"
    "  --config FILE    YAML with RL-Zoo keys (keyed by env id, or flat)\n"
    "  --set key=value  override one key (repeatable), e.g. --set learning_rate=1e-3\n"
    "  --seed N         master seed (default 0)\n"
    "  --steps N        n_timesteps\n"
    "  --out DIR        run folder (default runs/<env>-<preset>-s<seed>-<n>; must not exist)\n"
    "  --episode-table  print one table row per episode\n"
    "  --no-wall-time   write 0 in episodes.csv's time column (byte-identical logs per seed)\n"
    "  --final-episodes N  greedy episodes of the final evaluation (default 100)\n"
    "  --stop-at STEP   stop at the first episode end after STEP, saving the resume state\n"
    "  --video-every cubic|N  record a greedy episode to RUN_DIR/videos at evaluations 0, 1, 8,\n"
    "                   27, ... then every 1000th (RecordVideo's schedule), or every N-th\n";

static bool exists(const char *p) {
    struct stat s;
    return stat(p, &s) == 0;
}

static bool is_number(const char *s, long long *v) {
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return *s && !*end && !errno && *v >= 0;
}

int dq_cmd_train(int argc, char **argv) {
    /* --algo ddpg|td3|naf|sampled: the continuous-action agents (cmd_cont.c) */
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--algo") && strcmp(argv[i + 1], "dqn"))
            return dq_cmd_train_cont(argc, argv);
    const char *env_id = "CartPole-v1", *preset = NULL, *config = NULL, *out = NULL;
    const char *sets[64];
    int n_sets = 0;
    long long seed = -1, steps = -1, final_eps = 100, stop_at = 0;
    int video_every = 0;
    bool table = false, no_wall_time = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            return 0;
        } else if (!strcmp(a, "--episode-table")) {
            table = true;
        } else if (!strcmp(a, "--no-wall-time")) {
            no_wall_time = true;
        } else if (!strcmp(a, "--algo") && v && !strcmp(v, "dqn")) { /* the default */
            i++;
        } else if (!strcmp(a, "--video-every")) { /* cubic (RecordVideo's schedule) or N evals */
            long long x;
            if (!v || (strcmp(v, "cubic") && (!is_number(v, &x) || x < 1 || x > 1000000)))
                return dq_cli_die(2, "--video-every takes 'cubic' or a number of evaluations >= 1");
            video_every = strcmp(v, "cubic") ? (int)x : -1;
            i++;
        } else if (!strcmp(a, "--preset") || !strcmp(a, "--config") || !strcmp(a, "--set") ||
                   !strcmp(a, "--seed") || !strcmp(a, "--steps") || !strcmp(a, "--out") ||
                   !strcmp(a, "--final-episodes") || !strcmp(a, "--stop-at")) {
            if (!v) return dq_cli_die(2, "%s needs a value (see deepq train --help)", a);
            i++;
            if (!strcmp(a, "--preset")) preset = v;
            else if (!strcmp(a, "--config")) config = v;
            else if (!strcmp(a, "--out")) out = v;
            else if (!strcmp(a, "--set")) {
                if (n_sets == 64) return dq_cli_die(2, "too many --set options");
                if (!strchr(v, '=')) return dq_cli_die(2, "--set needs key=value, got '%s'", v);
                sets[n_sets++] = v;
            } else {
                long long x;
                if (!is_number(v, &x)) return dq_cli_die(2, "%s: '%s' is not a number >= 0", a, v);
                if (!strcmp(a, "--seed")) seed = x;
                else if (!strcmp(a, "--steps")) steps = x;
                else if (!strcmp(a, "--final-episodes")) final_eps = x;
                else stop_at = x;
            }
        } else if (a[0] == '-') {
            return dq_cli_die(2, "unknown option '%s' (see deepq train --help)", a);
        } else if (i == 1) {
            env_id = a;
        } else {
            return dq_cli_die(2, "unexpected argument '%s' (see deepq train --help)", a);
        }
    }
    if (preset && config) return dq_cli_die(2, "give --preset or --config, not both");
    if (!dq_env_find(env_id)) return dq_cli_die(2, "unknown env '%s' (see deepq list)", env_id);

    dq_run r;
    memset(&r, 0, sizeof r);
    dq_error err;
    dq_run_config_default(&r.cfg);
    snprintf(r.cfg.env_id, sizeof r.cfg.env_id, "%s", env_id);
    dq_status st = config ? dq_config_apply_file(&r.cfg, config, env_id, &err)
                          : dq_config_apply_preset(&r.cfg, preset ? preset : "deepq", env_id, &err);
    for (int i = 0; !st && i < n_sets; i++) {
        char key[128];
        const char *eq = strchr(sets[i], '=');
        snprintf(key, sizeof key, "%.*s", (int)(eq - sets[i]), sets[i]);
        st = dq_config_set(&r.cfg, key, eq + 1, &err);
    }
    if (st) return dq_cli_die(2, "%s", err.msg);
    if (strcmp(r.cfg.env_id, env_id))
        return dq_cli_die(2, "the config names env %s but training was asked for %s",
                          r.cfg.env_id, env_id);
    if (seed >= 0) r.cfg.dqn.seed = (uint64_t)seed;
    if (steps >= 0) r.cfg.dqn.n_timesteps = steps;
    if ((st = dq_dqn_def_check(&r.cfg.dqn, &err))) return dq_cli_die(2, "%s", err.msg);

    if (out) {
        if (exists(out)) {
            char p[600];
            snprintf(p, sizeof p, "%s/config.yml", out);
            if (exists(p))
                return dq_cli_die(1, "%s already holds a run; choose another --out (or deepq "
                                     "resume %s)", out, out);
        }
        snprintf(r.dir, sizeof r.dir, "%s", out);
    } else {
        for (int n = 1;; n++) {
            snprintf(r.dir, sizeof r.dir, "runs/%s-%s-s%llu-%d", env_id, r.cfg.preset,
                     (unsigned long long)r.cfg.dqn.seed, n);
            if (!exists(r.dir)) break;
        }
    }
    if ((st = dq_mkdir_p(r.dir, &err))) return dq_cli_die(1, "%s", err.msg);
    r.episode_table = table;
    r.no_wall_time = no_wall_time;
    r.final_episodes = (int)final_eps;
    r.stop_at = stop_at;
    r.video_every = video_every;
    if ((st = dq_run_build(&r, &err)) || (st = dq_run_open_logs(&r, false, &err))) {
        dq_run_free(&r);
        return dq_cli_die(1, "%s", err.msg);
    }
    char p[600];
    snprintf(p, sizeof p, "%s/config.yml", r.dir);
    if ((st = dq_write_file_atomic(p, r.config_yaml, strlen(r.config_yaml), &err))) {
        dq_run_free(&r);
        return dq_cli_die(1, "%s", err.msg);
    }
    const dq_dqn_def *d = &r.cfg.dqn;
    char arch[64] = "";
    for (int i = 0; i < d->n_hidden; i++)
        snprintf(arch + strlen(arch), sizeof arch - strlen(arch), "%s%d", i ? "x" : "", d->net_arch[i]);
    dq_run_say(&r, "deepq %s: DQN on %s, preset %s, seed %llu, %lld steps, net %s, run folder %s\n",
               DQ_VERSION, env_id, r.cfg.preset, (unsigned long long)d->seed,
               (long long)d->n_timesteps, arch[0] ? arch : "linear", r.dir);
    st = dq_run_learn(&r, &err);
    char dir[sizeof r.dir];
    snprintf(dir, sizeof dir, "%s", r.dir);
    dq_run_free(&r); /* closes (flushes) the CSV logs the plots read */
    if (st) return dq_cli_die(1, "%s", err.msg);
    return dq_cli_write_plots(dir);
}
