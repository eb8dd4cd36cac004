/* cmd_sweep.c — `deepq sweep ENV [--preset P | --config F] --seeds 0-9 [--grid key=v1,v2]...
 * --out DIR [--jobs K]`: many independent training runs, each a normal run folder
 * DIR/<point>/s<seed> made by the deepq binary itself (`deepq train`, or `deepq resume` for a
 * run with saved state), handed out from a work queue (largest first) to K local processes or,
 * under `mpirun -np N`, to N ranks (rank 0 keeps the queue and runs too). At the end one table:
 * final and best evaluation per run, mean ± 95% CI per grid point (DIR/results.md, results.csv,
 * summary.csv) and a `deepq plot` of each point's seeds in DIR/plots/<point>.
 *
 * A sweep started again on the same DIR with the same arguments skips finished runs and resumes
 * stopped or killed ones from their resume.safetensors (a run killed before its first saved
 * state starts over), so every run ends byte-identical to a single `deepq train` of its seed. */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "deepq/config.h"
#include "deepq/cont_config.h"
#include "deepq/fsio.h"
#include "deepq/plot.h"
#include "deepq/render.h"
#include "deepq/sweep.h"
#include "dist.h"

static const char *USAGE =
    "usage: deepq sweep ENV [--algo NAME] [--preset NAME | --config FILE.yml] --out DIR\n"
    "                   [--seeds 0-9] [--grid key=v1,v2,...]... [--set key=value]... [--steps N]\n"
    "                   [--jobs K] [--final-episodes N] [--no-wall-time] [--stop-at STEP]\n"
    "                   [--no-plots]\n"
    "  ENV              Gymnasium id\n"
    "  --algo NAME      dqn (default), ddpg, td3, naf or sampled; also a grid axis:\n"
    "                   --grid algo=td3,ddpg,naf,sampled compares them (one preset for all)\n"
    "  --preset NAME    built-in hyperparameters (default deepq), or --config FILE\n"
    "  --out DIR        sweep folder: runs in DIR/<point>/s<seed>, tables in DIR/results.md\n"
    "  --seeds LIST     seeds, e.g. 0-9 or 0,3,5-7 (default 0)\n"
    "  --grid key=v,..  one axis of the grid (repeatable; points are all combinations)\n"
    "  --set key=value  override one key in every run (repeatable)\n"
    "  --steps N        n_timesteps of every run\n"
    "  --jobs K         local processes at once (default 1; under mpirun: one per rank)\n"
    "  --final-episodes N  greedy episodes of each run's final evaluation (default 100)\n"
    "  --no-wall-time   episodes.csv without wall time (byte-identical logs per seed)\n"
    "  --stop-at STEP   each run stops at STEP with its state saved (a rerun continues)\n"
    "  --no-plots       skip the per-point plots\n"
    "Run it again on the same DIR with the same arguments to continue an interrupted sweep.\n"
    "Over MPI: mpirun -np N deepq sweep ... (run folders must be on a file system every rank\n"
    "sees).\n";

/* Set by SIGINT/SIGTERM: hand out no more runs; running ones are asked to save and stop. */
static volatile sig_atomic_t g_stop;

static void on_stop(int sig) {
    (void)sig;
    g_stop = 1;
}

typedef struct sweep_args {
    const char *env_id, *algo, *preset, *config, *out;
    const char *sets[64];
    int n_sets;
    const char *grids[DQ_SWEEP_MAX_KEYS];
    int n_grids;
    const char *seeds;
    int64_t steps, final_eps, stop_at; /* steps < 0: the config's */
    int jobs;
    bool no_wall_time, no_plots;
} sweep_args;

typedef struct sweep_ctx {
    sweep_args a;
    dq_sweep s;
    int64_t *n_timesteps; /* [n_points] from each point's resolved config */
    int rank, size;
} sweep_ctx;

static bool exists(const char *p) {
    struct stat sb;
    return stat(p, &sb) == 0;
}

static void run_dir(const sweep_ctx *c, int i, char *buf, size_t cap) {
    char pt[512];
    dq_sweep_point_name(&c->s, c->s.runs[i].point, pt, sizeof pt);
    snprintf(buf, cap, "%s/%s/s%llu", c->a.out, pt, (unsigned long long)c->s.runs[i].seed);
}

/* The algorithm of a grid point: its `algo` grid value, else --algo, else dqn. `algo` is not a
 * config key: it picks which key table (DQN or continuous) the other keys go to. */
static const char *point_algo(const sweep_ctx *c, int point) {
    for (int k = 0; k < c->s.n_keys; k++)
        if (!strcmp(c->s.key[k], "algo")) return dq_sweep_value(&c->s, point, k);
    return c->a.algo ? c->a.algo : "dqn";
}

/* Apply --set and the point's grid values (all but `algo`) through one of the two key tables. */
typedef dq_status (*set_fn)(void *cfg, const char *key, const char *value, dq_error *err);
static dq_status set_dqn(void *cfg, const char *k, const char *v, dq_error *err) {
    return dq_config_set(cfg, k, v, err);
}
static dq_status set_cont(void *cfg, const char *k, const char *v, dq_error *err) {
    return dq_cont_config_set(cfg, k, v, err);
}
static dq_status apply_keys(const sweep_ctx *c, int point, void *cfg, set_fn set, dq_error *err) {
    dq_status st = DQ_OK;
    for (int i = 0; !st && i < c->a.n_sets; i++) {
        char key[128];
        const char *eq = strchr(c->a.sets[i], '=');
        snprintf(key, sizeof key, "%.*s", (int)(eq - c->a.sets[i]), c->a.sets[i]);
        st = set(cfg, key, eq + 1, err);
    }
    for (int k = 0; !st && k < c->s.n_keys; k++)
        if (strcmp(c->s.key[k], "algo"))
            st = set(cfg, c->s.key[k], dq_sweep_value(&c->s, point, k), err);
    return st;
}

/* Resolve and check the configuration a point's runs train with (preset/config, then --set,
 * then its grid values, then --steps), as `deepq train` will; *n_timesteps gets its length. */
static dq_status point_config(const sweep_ctx *c, int point, int64_t *n_timesteps, dq_error *err) {
    const char *algo = point_algo(c, point);
    const char *preset = c->a.preset ? c->a.preset : "deepq";
    dq_status st;
    if (!strcmp(algo, "dqn")) {
        dq_run_config cfg;
        dq_run_config_default(&cfg);
        snprintf(cfg.env_id, sizeof cfg.env_id, "%s", c->a.env_id);
        st = c->a.config ? dq_config_apply_file(&cfg, c->a.config, c->a.env_id, err)
                         : dq_config_apply_preset(&cfg, preset, c->a.env_id, err);
        if (!st) st = apply_keys(c, point, &cfg, set_dqn, err);
        if (!st && c->a.steps >= 0) cfg.dqn.n_timesteps = c->a.steps;
        if (!st) st = dq_dqn_def_check(&cfg.dqn, err);
        *n_timesteps = cfg.dqn.n_timesteps;
        return st;
    }
    dq_cont_algo a;
    if ((st = dq_cont_algo_parse(algo, &a, err))) return st;
    dq_cont_config *cc = malloc(sizeof *cc);
    if (!cc) return dq_fail(err, DQ_ENOMEM, "out of memory");
    dq_cont_config_default(cc, a);
    snprintf(cc->env_id, sizeof cc->env_id, "%s", c->a.env_id);
    st = c->a.config ? dq_cont_config_apply_file(cc, c->a.config, c->a.env_id, err)
                     : dq_cont_config_apply_preset(cc, preset, c->a.env_id, err);
    if (!st) st = apply_keys(c, point, cc, set_cont, err);
    if (!st && c->a.steps >= 0) cc->def.n_timesteps = c->a.steps;
    if (!st) st = dq_cont_def_check(&cc->def, err);
    *n_timesteps = cc->def.n_timesteps;
    free(cc);
    return st;
}

/* A finished run: final.safetensors and train.log's closing "trained ..." line (written after
 * the final evaluation). *final gets that evaluation's mean, *best the best of evals.csv. */
static bool read_results(const char *dir, double *final, double *best) {
    char p[1200];
    *final = *best = NAN;
    snprintf(p, sizeof p, "%s/evals.csv", dir);
    FILE *f = fopen(p, "r");
    if (f) {
        char line[512];
        bool header = true;
        while (fgets(line, sizeof line, f)) {
            if (header) {
                header = false;
                continue;
            }
            char *comma = strchr(line, ',');
            if (!comma) continue;
            double m = strtod(comma + 1, NULL);
            if (isnan(*best) || m > *best) *best = m;
        }
        fclose(f);
    }
    snprintf(p, sizeof p, "%s/final.safetensors", dir);
    if (!exists(p)) return false;
    snprintf(p, sizeof p, "%s/train.log", dir);
    void *text = NULL;
    size_t len = 0;
    if (dq_read_file(p, &text, &len, NULL)) return false;
    bool done = false;
    for (char *l = text; l && *l;) {
        char *nl = strchr(l, '\n');
        int n;
        double m;
        if (sscanf(l, "final greedy eval over %d episodes: %lf", &n, &m) == 2) *final = m;
        if (!strncmp(l, "trained ", 8) && nl) done = true;
        l = nl ? nl + 1 : NULL;
    }
    free(text);
    return done;
}

/* total_steps of episodes.csv's last row: about how far a stopped run got (the resume state
 * may be a few episodes earlier; the queue only needs an estimate). */
static int64_t steps_logged(const char *dir) {
    char p[1200], line[512], last[512] = "";
    snprintf(p, sizeof p, "%s/episodes.csv", dir);
    FILE *f = fopen(p, "r");
    if (!f) return 0;
    while (fgets(line, sizeof line, f)) memcpy(last, line, sizeof last);
    fclose(f);
    /* episode,length,return,status,total_steps,... */
    const char *c = last;
    for (int k = 0; k < 4 && c; k++) c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL;
    return c ? strtoll(c, NULL, 10) : 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

/* The run's state on disk: DONE (results filled), STOPPED (resume state saved) or TODO. */
static dq_sweep_state disk_state(const char *dir, double *final, double *best) {
    char p[1200];
    if (read_results(dir, final, best)) return DQ_SWEEP_DONE;
    snprintf(p, sizeof p, "%s/resume.safetensors", dir);
    return exists(p) ? DQ_SWEEP_STOPPED : DQ_SWEEP_TODO;
}

/* argv of the child that carries run i on from its state on disk; the folder is cleaned first
 * where a fresh start is needed. Returns false (with a message) when it cannot be prepared. */
static bool child_argv(const sweep_ctx *c, int i, const char *dir, char **argv, char store[][1100],
                       bool *resuming) {
    int n = 0, k = 0;
    double fin, best;
    dq_sweep_state ds = disk_state(dir, &fin, &best);
    char p[1200];
    snprintf(p, sizeof p, "%s/final.safetensors", dir);
    /* Killed between final.safetensors and the final evaluation: continue from the saved state
     * (resume refuses a folder with final.safetensors), which writes the same file again. */
    if (ds == DQ_SWEEP_STOPPED && exists(p) && unlink(p) != 0) {
        fprintf(stderr, "deepq: sweep: cannot remove %s\n", p);
        return false;
    }
    *resuming = ds == DQ_SWEEP_STOPPED;
    argv[n++] = "deepq";
    if (*resuming) {
        argv[n++] = "resume";
        snprintf(store[k], sizeof store[k], "%s", dir);
        argv[n++] = store[k++];
    } else {
        if (exists(dir) && nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
            fprintf(stderr, "deepq: sweep: cannot clear %s to start it again\n", dir);
            return false;
        }
        argv[n++] = "train";
        argv[n++] = (char *)c->a.env_id;
        const char *algo = point_algo(c, c->s.runs[i].point);
        if (strcmp(algo, "dqn")) argv[n++] = "--algo", argv[n++] = (char *)algo;
        argv[n++] = c->a.config ? "--config" : "--preset";
        argv[n++] = (char *)(c->a.config ? c->a.config : c->a.preset ? c->a.preset : "deepq");
        for (int j = 0; j < c->a.n_sets; j++) argv[n++] = "--set", argv[n++] = (char *)c->a.sets[j];
        for (int j = 0; j < c->s.n_keys; j++) {
            if (!strcmp(c->s.key[j], "algo")) continue; /* passed as --algo above */
            snprintf(store[k], sizeof store[k], "%s=%s", c->s.key[j],
                     dq_sweep_value(&c->s, c->s.runs[i].point, j));
            argv[n++] = "--set", argv[n++] = store[k++];
        }
        snprintf(store[k], sizeof store[k], "%llu", (unsigned long long)c->s.runs[i].seed);
        argv[n++] = "--seed", argv[n++] = store[k++];
        if (c->a.steps >= 0) {
            snprintf(store[k], sizeof store[k], "%lld", (long long)c->a.steps);
            argv[n++] = "--steps", argv[n++] = store[k++];
        }
        snprintf(store[k], sizeof store[k], "%lld", (long long)c->a.final_eps);
        argv[n++] = "--final-episodes", argv[n++] = store[k++];
        snprintf(store[k], sizeof store[k], "%s", dir);
        argv[n++] = "--out", argv[n++] = store[k++];
    }
    if (c->a.no_wall_time) argv[n++] = "--no-wall-time";
    if (c->a.stop_at > 0) {
        snprintf(store[k], sizeof store[k], "%lld", (long long)c->a.stop_at);
        argv[n++] = "--stop-at", argv[n++] = store[k++];
    }
    argv[n] = NULL;
    return true;
}

/* Start run i as a child deepq process; its stdout and stderr go to DIR/logs/<point>-s<seed>.txt.
 * *pid 0: nothing to do (already finished). Returns false when it could not start. */
static bool spawn_run(const sweep_ctx *c, int i, pid_t *pid) {
    char dir[1100], log[1300], pt[512];
    double fin, best;
    *pid = 0;
    run_dir(c, i, dir, sizeof dir);
    if (disk_state(dir, &fin, &best) == DQ_SWEEP_DONE) return true;
    char *argv[200], store[16][1100];
    bool resuming;
    if (!child_argv(c, i, dir, argv, store, &resuming)) return false;
    dq_sweep_point_name(&c->s, c->s.runs[i].point, pt, sizeof pt);
    snprintf(log, sizeof log, "%s/logs/%s-s%llu.txt", c->a.out, pt,
             (unsigned long long)c->s.runs[i].seed);
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) {
        fprintf(stderr, "deepq: sweep: cannot open %s\n", log);
        return false;
    }
    /* Each run is this program again. A bundle's wrapper (tools/bundle.sh) starts deepq
     * through the bundle's own dynamic loader, so /proc/self/exe is that loader: the wrapper
     * names itself in DEEPQ_EXE. */
    const char *self = getenv("DEEPQ_EXE");
    if (!self || !*self) self = "/proc/self/exe";
    pid_t p = fork();
    if (p < 0) {
        close(fd);
        fprintf(stderr, "deepq: sweep: fork failed: %s\n", strerror(errno));
        return false;
    }
    if (p == 0) {
        /* Die with the sweep: a killed sweep leaves no orphan runs writing into DIR. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() == 1) _exit(1);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        execv(self, argv);
        fprintf(stderr, "deepq: sweep: cannot run %s: %s\n", self, strerror(errno));
        _exit(127);
    }
    close(fd);
    *pid = p;
    printf("[rank %d] %s %s seed %llu (%s)\n", c->rank, resuming ? "resume" : "start", pt,
           (unsigned long long)c->s.runs[i].seed, dir);
    fflush(stdout);
    return true;
}

/* State of run i after its child ended with wait status ws (or nothing to do: ws 0). */
static dq_sweep_state ended_state(const sweep_ctx *c, int i, int ws, double *fin, double *best) {
    char dir[1100];
    run_dir(c, i, dir, sizeof dir);
    dq_sweep_state st = disk_state(dir, fin, best);
    if (st == DQ_SWEEP_DONE) return st;
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0) return DQ_SWEEP_STOPPED;
    if (st == DQ_SWEEP_STOPPED && WIFSIGNALED(ws)) return DQ_SWEEP_STOPPED;
    return DQ_SWEEP_FAILED;
}

static void say_end(const sweep_ctx *c, int i, dq_sweep_state st, double fin, double best,
                    int rank) {
    char pt[512];
    dq_sweep_point_name(&c->s, c->s.runs[i].point, pt, sizeof pt);
    int n_done = 0;
    for (int j = 0; j < c->s.n_runs; j++) n_done += c->s.runs[j].state == DQ_SWEEP_DONE;
    if (st == DQ_SWEEP_DONE)
        printf("[%d/%d] %s seed %llu done on rank %d: final %.2f, best %.2f\n", n_done,
               c->s.n_runs, pt, (unsigned long long)c->s.runs[i].seed, rank, fin, best);
    else
        printf("[%d/%d] %s seed %llu %s on rank %d (see %s/logs/%s-s%llu.txt)\n", n_done,
               c->s.n_runs, pt, (unsigned long long)c->s.runs[i].seed,
               st == DQ_SWEEP_FAILED ? "FAILED" : "stopped, state saved", rank, c->a.out, pt,
               (unsigned long long)c->s.runs[i].seed);
    fflush(stdout);
}

static void nap(void) {
    struct timespec t = {0, 10 * 1000 * 1000};
    nanosleep(&t, NULL);
}

/* Rank 0 (or the only process): keep the queue, run up to `jobs` runs here, serve workers. */
static int serve(sweep_ctx *c, int jobs) {
    enum { MAX_JOBS = 256 };
    pid_t pid[MAX_JOBS] = {0};
    int run_of[MAX_JOBS];
    int workers = c->size - 1, active = 0, failed = 0;
    dq_error err = {0};
    for (;;) {
        for (int j = 0; j < jobs && !g_stop; j++) {
            if (pid[j]) continue;
            int i = dq_sweep_next(&c->s);
            if (i < 0) break;
            if (!spawn_run(c, i, &pid[j])) {
                dq_sweep_finish(&c->s, i, DQ_SWEEP_FAILED, NAN, NAN);
                failed++;
                continue;
            }
            if (!pid[j]) { /* finished meanwhile (another sweep on DIR): just count it */
                double fin = NAN, best = NAN;
                dq_sweep_state st = ended_state(c, i, 0, &fin, &best);
                dq_sweep_finish(&c->s, i, st, fin, best);
                j--;
                continue;
            }
            run_of[j] = i;
            active++;
        }
        while (workers > 0) {
            bool got;
            int from, kind, run, state;
            if (dq_dist_poll(&got, &from, &kind, &run, &state, &err)) {
                fprintf(stderr, "deepq: sweep: %s\n", err.msg);
                dq_dist_abort(1);
            }
            if (!got) break;
            if (run >= 0 && run < c->s.n_runs) {
                double fin, best;
                char dir[1100];
                run_dir(c, run, dir, sizeof dir);
                disk_state(dir, &fin, &best);
                dq_sweep_finish(&c->s, run, (dq_sweep_state)state, fin, best);
                failed += state == DQ_SWEEP_FAILED;
                say_end(c, run, (dq_sweep_state)state, fin, best, from);
            }
            if (kind == DQ_DIST_MSG_BYE) {
                workers--;
                continue;
            }
            int next = g_stop ? -1 : dq_sweep_next(&c->s);
            if (dq_dist_assign(from, next, &err)) {
                fprintf(stderr, "deepq: sweep: %s\n", err.msg);
                dq_dist_abort(1);
            }
            if (next < 0) workers--;
        }
        int ws;
        pid_t p;
        while (active && (p = waitpid(-1, &ws, WNOHANG)) > 0) {
            for (int j = 0; j < jobs; j++) {
                if (pid[j] != p) continue;
                double fin, best;
                dq_sweep_state st = ended_state(c, run_of[j], ws, &fin, &best);
                dq_sweep_finish(&c->s, run_of[j], st, fin, best);
                failed += st == DQ_SWEEP_FAILED;
                say_end(c, run_of[j], st, fin, best, c->rank);
                pid[j] = 0;
                active--;
            }
        }
        if (g_stop == 1) { /* ask the runs to save their state and stop (once) */
            for (int j = 0; j < jobs; j++)
                if (pid[j]) kill(pid[j], SIGINT);
            g_stop = 2;
        }
        bool todo = false;
        for (int i = 0; i < c->s.n_runs && !g_stop; i++) todo |= c->s.runs[i].state == DQ_SWEEP_TODO;
        if (!active && !workers && !todo) break;
        nap();
    }
    return failed;
}

/* A worker rank: ask rank 0 for runs and carry each out here until told to stop. */
static int work(sweep_ctx *c) {
    dq_error err = {0};
    int run = -1, state = 0, failed = 0;
    for (;;) {
        int next;
        int kind = g_stop ? DQ_DIST_MSG_BYE : DQ_DIST_MSG_RESULT;
        if (dq_dist_request(kind, run, state, &next, &err)) {
            fprintf(stderr, "deepq: sweep: %s\n", err.msg);
            dq_dist_abort(1);
        }
        if (kind == DQ_DIST_MSG_BYE || next < 0 || next >= c->s.n_runs) break;
        run = next;
        pid_t pid;
        int ws = 0;
        if (!spawn_run(c, run, &pid)) {
            state = DQ_SWEEP_FAILED;
            failed++;
            continue;
        }
        bool asked = false;
        while (pid && waitpid(pid, &ws, 0) < 0) {
            if (errno != EINTR) break;
            if (g_stop && !asked) kill(pid, SIGINT), asked = true;
        }
        double fin = NAN, best = NAN;
        state = (int)ended_state(c, run, ws, &fin, &best);
        failed += state == DQ_SWEEP_FAILED;
    }
    return failed;
}

/* The arguments that decide the runs' results, one per line: a rerun must match them. */
static char *identity(const sweep_args *a) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return NULL;
    fprintf(f, "env: %s\n%s: %s\nseeds: %s\n", a->env_id, a->config ? "config" : "preset",
            a->config ? a->config : a->preset ? a->preset : "deepq", a->seeds);
    for (int i = 0; i < a->n_grids; i++) fprintf(f, "grid: %s\n", a->grids[i]);
    for (int i = 0; i < a->n_sets; i++) fprintf(f, "set: %s\n", a->sets[i]);
    fprintf(f, "steps: %lld\nfinal_episodes: %lld\nno_wall_time: %d\n", (long long)a->steps,
            (long long)a->final_eps, (int)a->no_wall_time);
    fclose(f);
    return text;
}

/* Rank 0: create DIR (and DIR/logs), or check that DIR holds this same sweep. Prints the
 * error and returns false when it cannot. */
static bool prepare_dir(const sweep_args *a) {
    dq_error err = {0};
    char p[1100];
    char *id = identity(a);
    if (!id) return dq_cli_die(1, "sweep: out of memory") == 0;
    snprintf(p, sizeof p, "%s/sweep.txt", a->out);
    void *old = NULL;
    size_t len = 0;
    int rc = 0;
    if (exists(p)) {
        if (dq_read_file(p, &old, &len, &err)) rc = dq_cli_die(1, "sweep: %s", err.msg);
        else if (strcmp(old, id))
            rc = dq_cli_die(1, "sweep: %s holds a sweep with other arguments (see %s); choose "
                               "another --out", a->out, p);
    } else if (exists(a->out)) {
        rc = dq_cli_die(1, "sweep: %s exists and is not a sweep folder (no sweep.txt); choose "
                           "another --out", a->out);
    } else {
        snprintf(p, sizeof p, "%s/logs", a->out);
        if (dq_mkdir_p(p, &err)) rc = dq_cli_die(1, "sweep: %s", err.msg);
        snprintf(p, sizeof p, "%s/sweep.txt", a->out);
        if (!rc && dq_write_file_atomic(p, id, strlen(id), &err))
            rc = dq_cli_die(1, "sweep: %s", err.msg);
    }
    free(old);
    free(id);
    return rc == 0;
}

/* Rank 0 at the end: the tables (printed and written) and one plot per point. */
static void finish_tables(sweep_ctx *c) {
    dq_error err = {0};
    char *md = NULL;
    if (dq_sweep_write_tables(&c->s, c->a.out, &md, &err)) {
        fprintf(stderr, "deepq: sweep: %s\n", err.msg);
        return;
    }
    printf("\n%s\ntables: %s/results.md, results.csv, summary.csv\n", md, c->a.out);
    free(md);
    if (c->a.no_plots) return;
    if (dq_viz_available(&err)) { /* a -DDQ_VIZ=OFF build: say it once, not per point */
        printf("plots: none (%s)\n", err.msg);
        return;
    }
    for (int p = 0; p < c->s.n_points; p++) {
        const char *dirs[DQ_SWEEP_MAX_SEEDS];
        char store[64][1100], pt[512], out[1100];
        int n = 0;
        for (int j = 0; j < c->s.n_seeds && n < 64; j++) {
            int i = p * c->s.n_seeds + j;
            if (c->s.runs[i].state != DQ_SWEEP_DONE) continue;
            run_dir(c, i, store[n], sizeof store[n]);
            dirs[n] = store[n];
            n++;
        }
        if (!n) continue;
        dq_sweep_point_name(&c->s, p, pt, sizeof pt);
        snprintf(out, sizeof out, "%s/plots/%s", c->a.out, pt);
        dq_plot_def def = dq_plot_def_default();
        int nf = 0;
        if (dq_plot_runs(dirs, n, out, &def, &nf, &err))
            fprintf(stderr, "deepq: sweep: warning: no plot for %s: %s\n", pt, err.msg);
    }
    printf("plots: %s/plots/<point>/summary.png (deepq plot %s/<point>/s* compares them again)\n",
           c->a.out, c->a.out);
}

static dq_status add_set(void *o, const char *v, dq_error *err) {
    sweep_args *a = o;
    if (a->n_sets == 64) return dq_fail(err, DQ_EINVAL, "at most 64 --set options");
    if (!strchr(v, '=')) return dq_fail(err, DQ_EINVAL, "needs key=value, got '%s'", v);
    a->sets[a->n_sets++] = v;
    return DQ_OK;
}

static dq_status add_grid(void *o, const char *v, dq_error *err) {
    sweep_args *a = o;
    if (a->n_grids == DQ_SWEEP_MAX_KEYS)
        return dq_fail(err, DQ_EINVAL, "at most %d --grid keys", DQ_SWEEP_MAX_KEYS);
    a->grids[a->n_grids++] = v; /* checked by dq_sweep_add_grid */
    return DQ_OK;
}

#define F(field) offsetof(sweep_args, field)
static const dq_cli_flag FLAGS[] = {
    {"--algo", DQ_CLI_STR, F(algo), 0, 0, NULL},
    {"--preset", DQ_CLI_STR, F(preset), 0, 0, NULL},
    {"--config", DQ_CLI_STR, F(config), 0, 0, NULL},
    {"--out", DQ_CLI_STR, F(out), 0, 0, NULL},
    {"--seeds", DQ_CLI_STR, F(seeds), 0, 0, NULL},
    {"--grid", DQ_CLI_FN, 0, 0, 0, add_grid},
    {"--set", DQ_CLI_FN, 0, 0, 0, add_set},
    {"--steps", DQ_CLI_I64, F(steps), 0, 9.0e15, NULL},
    {"--jobs", DQ_CLI_INT, F(jobs), 1, 256, NULL},
    {"--final-episodes", DQ_CLI_I64, F(final_eps), 0, 1000000, NULL},
    {"--stop-at", DQ_CLI_I64, F(stop_at), 0, 9.0e15, NULL},
    {"--no-wall-time", DQ_CLI_SET, F(no_wall_time), 0, 0, NULL},
    {"--no-plots", DQ_CLI_SET, F(no_plots), 0, 0, NULL},
};
#undef F

static int parse_args(int argc, char **argv, sweep_args *a) {
    memset(a, 0, sizeof *a);
    a->seeds = "0";
    a->steps = -1;
    a->final_eps = 100;
    a->jobs = 1;
    dq_cli_cmd cmd = {"sweep", USAGE, FLAGS, sizeof FLAGS / sizeof *FLAGS, 1, 1};
    const char *pos[1];
    int n_pos, rc = dq_cli_parse(&cmd, a, argc, argv, pos, &n_pos);
    if (rc != DQ_CLI_GO) return rc == 0 ? -1 : rc;
    a->env_id = pos[0];
    if (!a->out) return dq_cli_die(2, "sweep: --out DIR is required (see deepq sweep --help)");
    if (a->preset && a->config) return dq_cli_die(2, "sweep: give --preset or --config, not both");
    if (!dq_env_find(a->env_id)) return dq_cli_unknown_env("sweep", a->env_id);
    return 0;
}

int dq_cmd_sweep(int argc, char **argv) {
    sweep_ctx c;
    memset(&c, 0, sizeof c);
    int rc = parse_args(argc, argv, &c.a);
    if (rc) return rc < 0 ? 0 : rc;
    dq_error err = {0};
    dq_sweep_init(&c.s);
    dq_status st = DQ_OK;
    for (int i = 0; !st && i < c.a.n_grids; i++) st = dq_sweep_add_grid(&c.s, c.a.grids[i], &err);
    if (!st) st = dq_sweep_plan(&c.s, c.a.seeds, &err);
    if (st) {
        dq_sweep_free(&c.s);
        return dq_cli_die(2, "sweep: %s", err.msg);
    }
    c.n_timesteps = calloc((size_t)c.s.n_points, sizeof *c.n_timesteps);
    for (int p = 0; !st && p < c.s.n_points; p++) {
        char pt[512];
        if ((st = point_config(&c, p, &c.n_timesteps[p], &err))) {
            dq_sweep_point_name(&c.s, p, pt, sizeof pt);
            rc = dq_cli_die(2, "sweep: point %s: %s", pt, err.msg);
        }
    }
    c.size = 1;
    bool mpi = !st && dq_dist_launched();
    if (mpi && dq_dist_init(&c.rank, &c.size, &err)) {
        st = err.code;
        rc = dq_cli_die(1, "sweep: started by an MPI launcher, but %s", err.msg);
        mpi = false;
    }
    if (!st && c.rank == 0 && !prepare_dir(&c.a)) {
        if (c.size > 1) dq_dist_abort(1); /* the workers wait for runs that will not come */
        st = DQ_EIO, rc = 1;
    }
    if (st) {
        free(c.n_timesteps);
        dq_sweep_free(&c.s);
        return rc ? rc : 1;
    }
    /* Costs for the queue, and what an earlier sweep on DIR already finished. */
    int n_done = 0, n_resume = 0;
    for (int i = 0; i < c.s.n_runs; i++) {
        dq_sweep_run *r = &c.s.runs[i];
        char dir[1100];
        double fin, best;
        r->cost = c.n_timesteps[r->point];
        run_dir(&c, i, dir, sizeof dir);
        dq_sweep_state ds = c.rank == 0 ? disk_state(dir, &fin, &best) : DQ_SWEEP_TODO;
        if (ds == DQ_SWEEP_DONE) dq_sweep_finish(&c.s, i, ds, fin, best), n_done++;
        n_resume += ds == DQ_SWEEP_STOPPED;
        if (ds == DQ_SWEEP_STOPPED) r->cost -= steps_logged(dir); /* what is left to run */
        if (r->cost < 1) r->cost = 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop; /* no SA_RESTART: a worker's waitpid wakes up to pass it on */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int failed;
    if (c.rank == 0) {
        printf("deepq %s: sweep of %d runs (%d points x %d seeds) on %s into %s: %d finished "
               "before, %d to resume; %d rank%s x %d job%s\n", DQ_VERSION, c.s.n_runs,
               c.s.n_points, c.s.n_seeds, c.a.env_id, c.a.out, n_done, n_resume, c.size,
               c.size > 1 ? "s" : "", mpi ? 1 : c.a.jobs, (mpi ? 1 : c.a.jobs) > 1 ? "s" : "");
        fflush(stdout);
        failed = serve(&c, mpi ? 1 : c.a.jobs);
    } else {
        failed = work(&c);
    }
    if (c.rank == 0) {
        finish_tables(&c);
        int left = 0;
        for (int i = 0; i < c.s.n_runs; i++) left += c.s.runs[i].state != DQ_SWEEP_DONE;
        if (left)
            printf("%d of %d runs not finished%s: run the same command again to continue\n",
                   left, c.s.n_runs, failed ? " (some FAILED: see DIR/logs)" : "");
    }
    if (mpi) dq_dist_finalize();
    free(c.n_timesteps);
    dq_sweep_free(&c.s);
    if (failed) return 1;
    return g_stop ? 130 : 0;
}
