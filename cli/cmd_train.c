/* cmd_train.c — `deepq train [ENV] [--preset NAME | --config FILE.yml] [--set key=value]...
 * [--seed N] [--steps N] [--out DIR] [--episode-table]`: resolve the configuration, create a
 * new run folder (never overwriting one), write config.yml and train. With no arguments it
 * trains CartPole-v1 on the default preset (`make run`). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "deepq/fsio.h"
#include "deepq/render.h"
#include "dist.h"
#include "dqn_run.h"

static const char *USAGE =
    "usage: deepq train [ENV] [--preset NAME | --config FILE.yml] [--set key=value]...\n"
    "                   [--seed N] [--steps N] [--out DIR] [--episode-table] [--no-wall-time]\n"
    "                   [--force] [--final-episodes N] [--stop-at STEP] [--video-every cubic|N]\n"
    "  ENV              Gymnasium id (default CartPole-v1)\n"
    "  --algo NAME      dqn (default); ddpg, td3, naf, sampled for Box actions\n"
    "                   (see deepq train --algo td3 --help)\n"
    "  --preset NAME    built-in hyperparameters: deepq (default), zoo, tutorial, notes\n"
    "  --config FILE    YAML with RL-Zoo keys (keyed by env id, or flat)\n"
    "  --set key=value  override one key (repeatable), e.g. --set learning_rate=1e-3\n"
    "  --seed N         master seed (default 0)\n"
    "  --steps N        n_timesteps\n"
    "  --out DIR        run folder (default runs/<env>-<preset>-s<seed>-<n>); an existing one\n"
    "                   must be empty (a run folder is never reused: deepq resume DIR)\n"
    "  --force          write into a non-empty --out folder that is not a deepq run\n"
    "  --episode-table  print one table row per episode\n"
    "  --no-wall-time   write 0 in episodes.csv's time column (byte-identical logs per seed)\n"
    "  --final-episodes N  greedy episodes of the final evaluation (default 100)\n"
    "  --stop-at STEP   stop at the first episode end after STEP, saving the resume state\n"
    "  --distributed apex  Ape-X under mpirun -np N (see deepq train --distributed apex --help)\n"
    "  --video-every cubic|N  record a greedy episode to RUN_DIR/videos at evaluations 0, 1, 8,\n"
    "                   27, ... then every 1000th (RecordVideo's schedule), or every N-th\n";

enum { MAX_SETS = 64 };

typedef struct train_opts {
    const char *preset, *config, *out;
    const char *sets[MAX_SETS];
    int n_sets;
    int64_t seed, steps, final_eps, stop_at; /* seed, steps < 0: the config's */
    int video_every;
    bool table, no_wall_time, force;
} train_opts;

static dq_status add_set(void *o, const char *v, dq_error *err) {
    train_opts *t = o;
    if (t->n_sets == MAX_SETS) return dq_fail(err, DQ_EINVAL, "at most %d --set options", MAX_SETS);
    if (!strchr(v, '=')) return dq_fail(err, DQ_EINVAL, "needs key=value, got '%s'", v);
    t->sets[t->n_sets++] = v;
    return DQ_OK;
}

/* cubic (RecordVideo's schedule) or every N evaluations */
static dq_status set_video_every(void *o, const char *v, dq_error *err) {
    int64_t x;
    if (!strcmp(v, "cubic")) ((train_opts *)o)->video_every = -1;
    else if (dq_cli_int(v, 1, 1000000, &x)) ((train_opts *)o)->video_every = (int)x;
    else return dq_fail(err, DQ_EINVAL, "takes 'cubic' or a number of evaluations >= 1");
    return DQ_OK;
}

/* --algo dqn is the default; the other algorithms never reach this parser (dq_cmd_train) */
static dq_status set_algo(void *o, const char *v, dq_error *err) {
    (void)o;
    return strcmp(v, "dqn") ? dq_fail(err, DQ_EINVAL, "'%s' is not dqn", v) : DQ_OK;
}

#define F(field) offsetof(train_opts, field)
static const dq_cli_flag FLAGS[] = {
    {"--preset", DQ_CLI_STR, F(preset), 0, 0, NULL},
    {"--config", DQ_CLI_STR, F(config), 0, 0, NULL},
    {"--set", DQ_CLI_FN, 0, 0, 0, add_set},
    {"--seed", DQ_CLI_I64, F(seed), 0, 9.0e15, NULL},
    {"--steps", DQ_CLI_I64, F(steps), 0, 9.0e15, NULL},
    {"--out", DQ_CLI_STR, F(out), 0, 0, NULL},
    {"--episode-table", DQ_CLI_SET, F(table), 0, 0, NULL},
    {"--no-wall-time", DQ_CLI_SET, F(no_wall_time), 0, 0, NULL},
    {"--force", DQ_CLI_SET, F(force), 0, 0, NULL},
    {"--final-episodes", DQ_CLI_I64, F(final_eps), 0, 1000000, NULL},
    {"--stop-at", DQ_CLI_I64, F(stop_at), 0, 9.0e15, NULL},
    {"--video-every", DQ_CLI_FN, 0, 0, 0, set_video_every},
    {"--algo", DQ_CLI_FN, 0, 0, 0, set_algo},
};
#undef F

int dq_cmd_train(int argc, char **argv) {
    for (int i = 1; i < argc; i++) /* Ape-X over MPI: cli/mpi/apex_mpi.c */
        if (!strcmp(argv[i], "--distributed")) return dq_cmd_train_distributed(argc, argv);
    /* --algo ddpg|td3|naf|sampled: the continuous-action agents (cmd_cont.c) */
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--algo") && strcmp(argv[i + 1], "dqn"))
            return dq_cmd_train_cont(argc, argv);
    if (argc > 1 && argv[1][0] != '-' && dq_env_find(argv[1])) { /* DQN on a Box-action env */
        dq_env *probe;
        if (dq_env_make(argv[1], NULL, &probe, NULL) == DQ_OK) {
            const bool box = probe->act_space.kind == DQ_SPACE_BOX;
            dq_env_free(probe);
            if (box)
                return dq_cli_die(2, "DQN needs Discrete actions; %s has a Box action space: use "
                                     "--algo td3 (or ddpg, naf, sampled)", argv[1]);
        }
    }
    dq_cli_cmd cmd = {"train", USAGE, FLAGS, sizeof FLAGS / sizeof *FLAGS, 0, 1};
    train_opts o = {.seed = -1, .steps = -1, .final_eps = 100};
    const char *pos[1];
    int n_pos, rc0 = dq_cli_parse(&cmd, &o, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) return rc0;
    const char *env_id = n_pos ? pos[0] : "CartPole-v1", *preset = o.preset,
               *config = o.config, *out = o.out;
    const char **sets = o.sets;
    int n_sets = o.n_sets, video_every = o.video_every;
    long long seed = o.seed, steps = o.steps, final_eps = o.final_eps, stop_at = o.stop_at;
    bool table = o.table, no_wall_time = o.no_wall_time, force = o.force;
    if (preset && config) return dq_cli_die(2, "give --preset or --config, not both");
    if (!dq_env_find(env_id)) return dq_cli_unknown_env("train", env_id);
    dq_error verr;
    if (video_every && dq_viz_available(&verr)) /* before training, not at the first eval */
        return dq_cli_die(1, "train --video-every: %s", verr.msg);

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

    if ((st = dq_run_claim_dir(&r, out, force, &err))) return dq_cli_die(1, "%s", err.msg);
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
    int rc = dq_cli_write_plots(dir);
    /* stopped by Ctrl-C or SIGTERM (state saved): 130 or 143, so `train && eval` stops too */
    int sig = dq_cli_interrupted();
    return sig ? dq_cli_interrupt_status(sig) : rc;
}
