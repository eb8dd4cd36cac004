/* apex_mpi.c — `mpirun -np N deepq train ENV --distributed apex`: Ape-X over MPI (Horgan et al.
 * 2018). Rank 0 is the learner: prioritized replay, the agent's own update, target updates,
 * logs, evaluations and checkpoints in a normal run folder. Ranks 1..N-1 are actors: each steps
 * n_envs envs (dq_vecenv) epsilon-greedily with epsilon_i = eps^(1 + alpha i / (A - 1)) over
 * its A - 1 peers, builds n-step transitions, computes their initial priorities with its copy
 * of the network, and sends blocks with non-blocking sends (at most max_inflight in flight, so
 * a saturated learner slows the actors instead of queueing without bound). The learner runs
 * updates_per_step updates per received transition (the replay-ratio knob) and sends its
 * parameters to every actor each param_every updates. Messages: deepq/apex.h's versioned
 * layouts; actor -> learner on one tag (blocks, then BYE), learner -> actor on another
 * (parameters, then STOP), so MPI's in-order delivery per tag makes shutdown clean.
 *
 * Results depend on message timing, so unlike `deepq train` a run is not bit-reproducible. */
#include <math.h>
#include <mpi.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "deepq/apex.h"
#include "deepq/fsio.h"
#include "deepq/nstep.h"
#include "deepq/vecenv.h"
#include "dist.h"
#include "dqn_run.h"

enum { TAG_A2L = 17101, TAG_L2A = 17102 };

static const char *USAGE =
    "usage: mpirun -np N deepq train ENV --distributed apex [--preset NAME | --config FILE]\n"
    "            [--set key=value]... [--seed N] [--steps N] [--out DIR] [--final-episodes N]\n"
    "            [--n-envs 4] [--apex-eps 0.4] [--apex-alpha 7] [--block 64]\n"
    "            [--param-every 50] [--updates-per-step X] [--max-inflight 4]\n"
    "  rank 0 learns, ranks 1..N-1 act (N >= 2); --steps counts env steps of all actors\n"
    "  --updates-per-step X  learner updates per received transition (default the config's\n"
    "                   gradient_steps / train_freq): the replay-ratio knob\n";

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void nap_us(long us) {
    struct timespec t = {0, us * 1000};
    nanosleep(&t, NULL);
}

typedef struct apex_opts {
    const char *env_id, *preset, *config, *out;
    const char *sets[64];
    int n_sets;
    int64_t seed, steps, final_eps; /* seed, steps < 0: the config's */
    double updates_per_step;        /* < 0: from the config */
    dq_apex_def ax;
} apex_opts;

static dq_status add_set(void *o, const char *v, dq_error *err) {
    apex_opts *a = o;
    if (a->n_sets == 64) return dq_fail(err, DQ_EINVAL, "at most 64 --set options");
    if (!strchr(v, '=')) return dq_fail(err, DQ_EINVAL, "needs key=value, got '%s'", v);
    a->sets[a->n_sets++] = v;
    return DQ_OK;
}

static dq_status check_kind(void *o, const char *v, dq_error *err) {
    (void)o;
    return strcmp(v, "apex") ? dq_fail(err, DQ_EINVAL, "only 'apex' exists, got '%s'", v) : DQ_OK;
}

#define F(field) offsetof(apex_opts, field)
static const dq_cli_flag FLAGS[] = {
    {"--distributed", DQ_CLI_FN, 0, 0, 0, check_kind},
    {"--preset", DQ_CLI_STR, F(preset), 0, 0, NULL},
    {"--config", DQ_CLI_STR, F(config), 0, 0, NULL},
    {"--set", DQ_CLI_FN, 0, 0, 0, add_set},
    {"--seed", DQ_CLI_I64, F(seed), 0, 9.0e15, NULL},
    {"--steps", DQ_CLI_I64, F(steps), 0, 9.0e15, NULL},
    {"--out", DQ_CLI_STR, F(out), 0, 0, NULL},
    {"--final-episodes", DQ_CLI_I64, F(final_eps), 0, 1000000, NULL},
    {"--n-envs", DQ_CLI_INT, F(ax.n_envs), 1, 4096, NULL},
    {"--apex-eps", DQ_CLI_F64, F(ax.eps_base), 1e-9, 1, NULL},
    {"--apex-alpha", DQ_CLI_F64, F(ax.eps_alpha), 0, 100, NULL},
    {"--block", DQ_CLI_INT, F(ax.block), 1, 1 << 20, NULL},
    {"--param-every", DQ_CLI_INT, F(ax.param_every), 1, 1e9, NULL},
    {"--updates-per-step", DQ_CLI_F64, F(updates_per_step), 1e-9, 1000, NULL},
    {"--max-inflight", DQ_CLI_INT, F(ax.max_inflight), 1, 64, NULL},
};
#undef F

static int parse(int argc, char **argv, apex_opts *o) {
    memset(o, 0, sizeof *o);
    o->seed = o->steps = -1;
    o->final_eps = 100;
    o->updates_per_step = -1;
    o->ax = dq_apex_def_default();
    dq_cli_cmd cmd = {"train", USAGE, FLAGS, sizeof FLAGS / sizeof *FLAGS, 0, 1};
    const char *pos[1];
    int n_pos, rc = dq_cli_parse(&cmd, o, argc, argv, pos, &n_pos);
    if (rc != DQ_CLI_GO) return rc == 0 ? -1 : rc;
    o->env_id = n_pos ? pos[0] : "CartPole-v1";
    if (o->preset && o->config) return dq_cli_die(2, "give --preset or --config, not both");
    dq_error err;
    if (dq_apex_def_check(&o->ax, &err)) return dq_cli_die(2, "%s", err.msg);
    if (!dq_env_find(o->env_id)) return dq_cli_unknown_env("train", o->env_id);
    return 0;
}

/* The run configuration as `deepq train` resolves it, with proportional PER switched on. */
static dq_status resolve(const apex_opts *o, dq_run_config *cfg, dq_error *err) {
    dq_run_config_default(cfg);
    snprintf(cfg->env_id, sizeof cfg->env_id, "%s", o->env_id);
    dq_status st = o->config ? dq_config_apply_file(cfg, o->config, o->env_id, err)
                             : dq_config_apply_preset(cfg, o->preset ? o->preset : "deepq",
                                                      o->env_id, err);
    for (int i = 0; !st && i < o->n_sets; i++) {
        char key[128];
        const char *eq = strchr(o->sets[i], '=');
        snprintf(key, sizeof key, "%.*s", (int)(eq - o->sets[i]), o->sets[i]);
        st = dq_config_set(cfg, key, eq + 1, err);
    }
    if (st) return st;
    cfg->dqn.prioritized_replay = true; /* Ape-X is prioritized replay */
    cfg->dqn.per_rank_based = false;
    if (o->seed >= 0) cfg->dqn.seed = (uint64_t)o->seed;
    if (o->steps >= 0) cfg->dqn.n_timesteps = o->steps;
    return dq_dqn_def_check(&cfg->dqn, err);
}

/* ---- messages ---- */

/* Receive the pending message (status from a probe) into *buf (grown as needed). */
static size_t recv_any(MPI_Status *status, int tag, void **buf, size_t *cap) {
    int count = 0;
    MPI_Get_count(status, MPI_BYTE, &count);
    if ((size_t)count > *cap) {
        free(*buf);
        *cap = (size_t)count;
        *buf = malloc(*cap);
    }
    MPI_Recv(*buf, count, MPI_BYTE, status->MPI_SOURCE, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return (size_t)count;
}

/* ---- learner ---- */

typedef struct learner {
    dq_run r;
    apex_opts *o;
    int n_actors;
    size_t n_params;
    void **pbuf;          /* [n_actors] parameter message buffers */
    MPI_Request *preq;    /* [n_actors] their sends */
    int64_t received, blocks, episodes, updates, bytes, params_sent;
    int64_t *actor_steps, *actor_bytes; /* [n_actors] */
    double win_ret[100];
    int64_t win_len[100];
    int win_n, win_pos;
    double t0;
} learner;

static void send_params(learner *L) {
    const float *p = dq_dqn_online(L->r.ag)->params;
    for (int a = 0; a < L->n_actors; a++) {
        int done = 1;
        if (L->preq[a] != MPI_REQUEST_NULL) MPI_Test(&L->preq[a], &done, MPI_STATUS_IGNORE);
        if (!done) continue; /* the actor has not taken the last ones yet: skip this round */
        dq_apex_header *h = L->pbuf[a];
        dq_apex_header_init(h, DQ_APEX_PARAMS, -1);
        h->n = (int32_t)L->n_params;
        h->updates = L->updates;
        memcpy(h + 1, p, L->n_params * sizeof(float));
        MPI_Isend(h, (int)(sizeof *h + L->n_params * sizeof(float)), MPI_BYTE, a + 1, TAG_L2A,
                  MPI_COMM_WORLD, &L->preq[a]);
        L->params_sent++;
    }
}

static dq_status evaluate(learner *L, int n, double *mean, double *sd, double *lo, double *hi,
                          dq_error *err) {
    double *ret = malloc((size_t)n * sizeof *ret);
    if (!ret) return dq_fail(err, DQ_ENOMEM, "out of memory");
    dq_rng rng;
    uint64_t es = L->r.cfg.dqn.seed + 1000003;
    dq_rng_seed(&rng, es);
    dq_status st = dq_dqn_evaluate(L->r.ag, L->r.eval_env, n, L->r.cfg.dqn.eval_eps, &rng,
                                   (int64_t)(es & INT64_MAX), ret, NULL, err);
    if (!st) dq_run_moments(ret, n, mean, sd, lo, hi);
    free(ret);
    return st;
}

static dq_status save(learner *L, const char *name, dq_error *err) {
    char p[1300];
    snprintf(p, sizeof p, "%s/%s", L->r.dir, name);
    dq_dqn_meta m = {L->r.cfg.env_id, L->r.cfg.env_kwargs, L->r.config_yaml};
    return dq_dqn_save(L->r.ag, p, &m, err);
}

static dq_status do_eval(learner *L, dq_error *err) {
    double m, sd, lo, hi;
    int n = L->r.cfg.dqn.n_eval_episodes;
    dq_status st = evaluate(L, n, &m, &sd, &lo, &hi, err);
    if (st) return st;
    dq_csv_put_int(L->r.eval_csv, L->received);
    dq_csv_put_double(L->r.eval_csv, m);
    dq_csv_put_double(L->r.eval_csv, sd);
    dq_csv_put_double(L->r.eval_csv, lo);
    dq_csv_put_double(L->r.eval_csv, hi);
    dq_csv_put_int(L->r.eval_csv, n);
    if ((st = dq_csv_end_row(L->r.eval_csv, err))) return st;
    bool best = !L->r.have_best || m > L->r.best_eval;
    if (best) {
        L->r.best_eval = m;
        L->r.have_best = true;
        if ((st = save(L, "best.safetensors", err))) return st;
    }
    dq_run_say(&L->r, "eval at step %lld: %.2f +- %.2f (min %.2f, max %.2f) over %d episodes%s\n",
               (long long)L->received, m, sd, lo, hi, n, best ? "  [new best]" : "");
    return DQ_OK;
}

static double win_mean(const double *x, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += x[i];
    return n ? s / n : NAN;
}

static dq_status log_progress(learner *L, dq_error *err) {
    double t = now_s() - L->t0, lens[100];
    for (int i = 0; i < L->win_n; i++) lens[i] = (double)L->win_len[i];
    double rew = win_mean(L->win_ret, L->win_n), len = win_mean(lens, L->win_n);
    double fps = (double)L->received / fmax(t, 1e-9);
    dq_csv_writer *c = L->r.prog_csv;
    dq_csv_put_int(c, L->received);
    dq_csv_put_int(c, L->episodes);
    dq_csv_put_double(c, L->o->ax.eps_base);
    for (int i = 0; i < 6; i++) dq_csv_put_double(c, NAN); /* loss .. terminal_frac: kept inside the agent */
    dq_csv_put_double(c, rew);
    dq_csv_put_double(c, len);
    dq_csv_put_fixed(c, fps, 1);
    dq_status st = dq_csv_end_row(c, err);
    dq_run_say(&L->r, "%3.0f%% %lld/%lld | %.0f env steps/s | %.0f updates/s | return(100) %.2f | "
                      "ep %lld | %.1f kB/s in\n",
               100.0 * (double)L->received / (double)L->r.cfg.dqn.n_timesteps,
               (long long)L->received, (long long)L->r.cfg.dqn.n_timesteps, fps,
               (double)L->updates / fmax(t, 1e-9), rew, (long long)L->episodes,
               (double)L->bytes / fmax(t, 1e-9) / 1e3);
    return st;
}

/* Take one block: store its transitions, log its episodes; returns transitions stored. */
static dq_status take_block(learner *L, const dq_apex_block *b, int64_t *stored, dq_error *err) {
    const int od = b->h->obs_dim;
    const int64_t total = L->r.cfg.dqn.n_timesteps;
    int n = b->h->n;
    if (L->received + n > total) n = (int)(total - L->received); /* exactly n_timesteps */
    for (int i = 0; i < n; i++)
        dq_dqn_store_prioritized(L->r.ag, b->obs + (size_t)i * od, b->action[i], b->reward[i],
                                 b->next_obs + (size_t)i * od, b->discount[i] == 0.0f,
                                 b->discount[i], b->priority[i]);
    L->received += n;
    *stored = n;
    for (int e = 0; e < b->h->n_eps; e++) {
        L->episodes++;
        L->win_ret[L->win_pos] = b->ep_return[e];
        L->win_len[L->win_pos] = b->ep_length[e];
        L->win_pos = (L->win_pos + 1) % 100;
        if (L->win_n < 100) L->win_n++;
        const char *word = dq_run_status_word(L->r.cfg.env_id, b->ep_return[e], false, false,
                                              L->r.env->type->reward_threshold);
        dq_csv_put_int(L->r.ep_csv, L->episodes);
        dq_csv_put_int(L->r.ep_csv, b->ep_length[e]);
        dq_csv_put_double(L->r.ep_csv, b->ep_return[e]);
        dq_csv_put_str(L->r.ep_csv, word);
        dq_csv_put_int(L->r.ep_csv, L->received);
        dq_csv_put_fixed(L->r.ep_csv, b->h->epsilon, 6);
        dq_csv_put_fixed(L->r.ep_csv, now_s() - L->t0, 3);
        dq_status st = dq_csv_end_row(L->r.ep_csv, err);
        if (st) return st;
    }
    return DQ_OK;
}

static int run_learner(apex_opts *o, int size) {
    learner L;
    memset(&L, 0, sizeof L);
    L.o = o;
    L.n_actors = size - 1;
    dq_error err = {0};
    dq_status st = resolve(o, &L.r.cfg, &err);
    if (st) {
        dq_cli_die(2, "%s", err.msg);
        dq_dist_abort(2);
    }
    if (o->out) {
        char p[700];
        snprintf(p, sizeof p, "%s/config.yml", o->out);
        struct stat sb;
        if (stat(p, &sb) == 0) {
            dq_cli_die(1, "%s already holds a run; choose another --out", o->out);
            dq_dist_abort(1);
        }
        snprintf(L.r.dir, sizeof L.r.dir, "%s", o->out);
    } else {
        struct stat sb;
        for (int n = 1;; n++) {
            snprintf(L.r.dir, sizeof L.r.dir, "runs/%s-apex-s%llu-%d", o->env_id,
                     (unsigned long long)L.r.cfg.dqn.seed, n);
            if (stat(L.r.dir, &sb) != 0) break;
        }
    }
    L.r.final_episodes = (int)o->final_eps;
    char p[700];
    if (!st) st = dq_mkdir_p(L.r.dir, &err);
    if (!st) st = dq_run_build(&L.r, &err);
    if (!st) st = dq_dqn_apex_check(L.r.ag, &err);
    if (!st) st = dq_run_open_logs(&L.r, false, &err);
    snprintf(p, sizeof p, "%s/config.yml", L.r.dir);
    if (!st) st = dq_write_file_atomic(p, L.r.config_yaml, strlen(L.r.config_yaml), &err);
    if (st) {
        dq_cli_die(1, "%s", err.msg);
        dq_dist_abort(1);
    }
    const dq_dqn_def *d = &L.r.cfg.dqn;
    /* The config's replay ratio: gradient_steps per train_freq steps (-1: one per step; a
     * train_freq in episodes is taken as steps, the learner has no episodes of its own). */
    double ups = o->updates_per_step > 0 ? o->updates_per_step
                 : d->gradient_steps < 0 ? 1.0
                                         : (double)d->gradient_steps / d->train_freq;
    L.n_params = dq_dqn_online(L.r.ag)->n_params;
    L.pbuf = calloc((size_t)L.n_actors, sizeof *L.pbuf);
    L.preq = malloc((size_t)L.n_actors * sizeof *L.preq);
    for (int a = 0; a < L.n_actors; a++) {
        L.pbuf[a] = malloc(sizeof(dq_apex_header) + L.n_params * sizeof(float));
        L.preq[a] = MPI_REQUEST_NULL;
    }
    dq_run_say(&L.r, "deepq %s: Ape-X on %s, preset %s, seed %llu, %lld env steps from %d actor%s "
                     "x %d envs (epsilon %g, alpha %g), %.3g updates per step, parameters every "
                     "%d updates, run folder %s\n", DQ_VERSION, o->env_id, L.r.cfg.preset,
               (unsigned long long)d->seed, (long long)d->n_timesteps, L.n_actors,
               L.n_actors > 1 ? "s" : "", o->ax.n_envs, o->ax.eps_base, o->ax.eps_alpha, ups,
               o->ax.param_every, L.r.dir);
    L.t0 = now_s();
    send_params(&L); /* every actor starts from the learner's initial weights */
    void *buf = NULL;
    size_t cap = 0;
    double owed = 0;
    int64_t next_target = d->target_update_interval, next_log = d->log_interval,
            next_eval = d->eval_freq > 0 ? d->eval_freq : INT64_MAX,
            next_ckpt = d->checkpoint_freq > 0 ? d->checkpoint_freq : INT64_MAX;
    L.actor_steps = calloc((size_t)L.n_actors, sizeof *L.actor_steps);
    L.actor_bytes = calloc((size_t)L.n_actors, sizeof *L.actor_bytes);
    while (!st && L.received < d->n_timesteps) {
        bool got = false;
        /* Receive only while the updates owed are few: a learner behind holds the actors back
         * (their sends wait) so the replay ratio stays what was asked. */
        for (int k = 0; k < 8 && owed < 8; k++) {
            int flag = 0;
            MPI_Status ms;
            MPI_Iprobe(MPI_ANY_SOURCE, TAG_A2L, MPI_COMM_WORLD, &flag, &ms);
            if (!flag) break;
            size_t len = recv_any(&ms, TAG_A2L, &buf, &cap);
            dq_apex_block b;
            if ((st = dq_apex_parse(buf, len, L.r.env->obs_space.size, 0, &b, &err))) break;
            int kind = ((const dq_apex_header *)buf)->kind;
            if (kind != DQ_APEX_BLOCK) {
                st = dq_fail(&err, DQ_EFORMAT, "actor %d left early (message kind %d)",
                             ms.MPI_SOURCE, kind);
                break;
            }
            int64_t n;
            if ((st = take_block(&L, &b, &n, &err))) break;
            got = true;
            L.blocks++;
            L.bytes += (int64_t)len;
            L.actor_bytes[ms.MPI_SOURCE - 1] += (int64_t)len;
            L.actor_steps[ms.MPI_SOURCE - 1] = b.h->env_steps;
            if (L.received > d->learning_starts) owed += ups * (double)n;
            while (L.received >= next_target) dq_dqn_update_target(L.r.ag), next_target += d->target_update_interval;
        }
        if (st) break;
        if (owed >= 1) {
            int n = owed < 8 ? (int)owed : 8;
            if ((st = dq_dqn_train_steps(L.r.ag, n, L.received, &err))) break;
            int64_t before = L.updates / o->ax.param_every;
            L.updates += n;
            owed -= n;
            if (L.updates / o->ax.param_every != before) send_params(&L);
        } else if (!got) {
            nap_us(100);
        }
        if (L.received >= next_log) {
            if ((st = log_progress(&L, &err))) break;
            while (next_log <= L.received) next_log += d->log_interval;
        }
        if (L.received >= next_eval) {
            if ((st = do_eval(&L, &err))) break;
            while (next_eval <= L.received) next_eval += d->eval_freq;
        }
        if (L.received >= next_ckpt) {
            snprintf(p, sizeof p, "ckpt-%lld.safetensors", (long long)L.received);
            if ((st = save(&L, p, &err))) break;
            while (next_ckpt <= L.received) next_ckpt += d->checkpoint_freq;
        }
    }
    if (st) {
        dq_cli_die(1, "%s", err.msg);
        dq_dist_abort(1);
    }
    double t_collect = now_s() - L.t0;
    /* Shutdown: STOP after the last parameters (same tag: delivered in order), then take and
     * drop blocks until every actor said BYE. */
    for (int a = 0; a < L.n_actors; a++) {
        dq_apex_header h;
        dq_apex_header_init(&h, DQ_APEX_STOP, -1);
        MPI_Send(&h, sizeof h, MPI_BYTE, a + 1, TAG_L2A, MPI_COMM_WORLD);
    }
    for (int byes = 0; byes < L.n_actors;) {
        int flag = 0;
        MPI_Status ms;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_A2L, MPI_COMM_WORLD, &flag, &ms);
        if (!flag) {
            nap_us(500);
            continue;
        }
        size_t len = recv_any(&ms, TAG_A2L, &buf, &cap);
        dq_apex_block b;
        if (dq_apex_parse(buf, len, L.r.env->obs_space.size, 0, &b, &err)) {
            dq_cli_die(1, "%s", err.msg);
            dq_dist_abort(1);
        }
        byes += ((const dq_apex_header *)buf)->kind == DQ_APEX_BYE;
    }
    for (int a = 0; a < L.n_actors; a++) MPI_Wait(&L.preq[a], MPI_STATUS_IGNORE);
    free(buf);
    if ((st = save(&L, "final.safetensors", &err))) {
        dq_cli_die(1, "%s", err.msg);
        dq_dist_abort(1);
    }
    if (L.r.final_episodes > 0) {
        double m, sd, lo, hi;
        if ((st = evaluate(&L, L.r.final_episodes, &m, &sd, &lo, &hi, &err))) {
            dq_cli_die(1, "%s", err.msg);
            dq_dist_abort(1);
        }
        dq_run_say(&L.r, "final greedy eval over %d episodes: %.2f +- %.2f (min %.2f, max %.2f)\n",
                   L.r.final_episodes, m, sd, lo, hi);
    }
    dq_run_say(&L.r, "apex: %lld transitions in %lld blocks (%.1f MB, %.0f B/transition) in "
                     "%.2f s: %.0f env steps/s, %.0f updates/s, %lld parameter messages of %zu B\n",
               (long long)L.received, (long long)L.blocks, (double)L.bytes / 1e6,
               (double)L.bytes / fmax((double)L.received, 1), t_collect,
               (double)L.received / t_collect, (double)L.updates / t_collect,
               (long long)L.params_sent, sizeof(dq_apex_header) + L.n_params * sizeof(float));
    for (int a = 0; a < L.n_actors; a++)
        dq_run_say(&L.r, "apex: actor %d (epsilon %.4f): %lld env steps, %.1f kB/s sent\n", a,
                   dq_apex_epsilon(&o->ax, a, L.n_actors), (long long)L.actor_steps[a],
                   (double)L.actor_bytes[a] / t_collect / 1e3);
    dq_run_say(&L.r, "trained %lld steps, %lld episodes, %lld updates in %.1f s; run folder: %s\n",
               (long long)L.received, (long long)L.episodes, (long long)L.updates,
               now_s() - L.t0, L.r.dir);
    char dir[sizeof L.r.dir];
    snprintf(dir, sizeof dir, "%s", L.r.dir);
    for (int a = 0; a < L.n_actors; a++) free(L.pbuf[a]);
    free(L.pbuf);
    free(L.preq);
    free(L.actor_steps);
    free(L.actor_bytes);
    dq_run_free(&L.r);
    dq_dist_finalize();
    return dq_cli_write_plots(dir);
}

/* ---- actor ---- */

typedef struct actor {
    int idx, n_actors;
    dq_dqn *ag;
    size_t n_params;
    void *lbuf;  /* learner message buffer */
    size_t lcap;
    bool stop;
} actor;

/* Take every pending learner message (parameters: load the newest; STOP: note it). If wait,
 * sleep until at least one came. */
static dq_status poll_learner(actor *A, bool wait, dq_error *err) {
    for (bool any = false;;) {
        int flag = 0;
        MPI_Status ms;
        MPI_Iprobe(0, TAG_L2A, MPI_COMM_WORLD, &flag, &ms);
        if (!flag) {
            if (!wait || any) return DQ_OK;
            nap_us(200);
            continue;
        }
        size_t len = recv_any(&ms, TAG_L2A, &A->lbuf, &A->lcap);
        dq_status st = dq_apex_parse(A->lbuf, len, 0, (int64_t)A->n_params, NULL, err);
        if (st) return st;
        const dq_apex_header *h = A->lbuf;
        if (h->kind == DQ_APEX_PARAMS)
            memcpy(dq_dqn_online(A->ag)->params, h + 1, A->n_params * sizeof(float));
        else if (h->kind == DQ_APEX_STOP)
            A->stop = true;
        any = true;
    }
}

static int run_actor(apex_opts *o, int rank, int size) {
    actor A;
    memset(&A, 0, sizeof A);
    A.idx = rank - 1;
    A.n_actors = size - 1;
    dq_error err = {0};
    dq_run_config cfg;
    dq_status st = resolve(o, &cfg, &err);
    if (st) { /* rank 0 reports the same error */
        dq_dist_finalize();
        return 2;
    }
    const dq_apex_def *ax = &o->ax;
    cfg.dqn.seed += 1000003ull * (uint64_t)rank; /* own acting stream per actor */
    const double eps = dq_apex_epsilon(ax, A.idx, A.n_actors);
    const char *kw = cfg.env_kwargs[0] ? cfg.env_kwargs : NULL;
    dq_vecenv_def vd = dq_vecenv_def_default();
    vd.n = ax->n_envs;
    dq_vecenv *v = NULL;
    dq_nstep *ns = calloc((size_t)ax->n_envs, sizeof *ns);
    dq_nstep_out *out = calloc((size_t)cfg.dqn.n_step, sizeof *out);
    int64_t *acts = calloc((size_t)ax->n_envs, sizeof *acts);
    st = dq_vecenv_create(cfg.env_id, kw, &vd, &v, &err);
    if (!st) st = dq_dqn_create(&A.ag, &cfg.dqn, &v->obs_space, &v->act_space, &err);
    for (int e = 0; !st && e < ax->n_envs; e++)
        st = dq_nstep_init(&ns[e], cfg.dqn.n_step, cfg.dqn.gamma, v->obs_dim, &err);
    const int od = st ? 1 : v->obs_dim;
    const int cap = ax->block + ax->n_envs * cfg.dqn.n_step; /* room for a step's episode ends */
    const size_t bbytes = dq_apex_block_bytes(cap, od);
    void **bufs = calloc((size_t)ax->max_inflight, sizeof *bufs);
    MPI_Request *reqs = malloc((size_t)ax->max_inflight * sizeof *reqs);
    float *prev = malloc((size_t)ax->n_envs * od * sizeof *prev);
    for (int i = 0; i < ax->max_inflight; i++) {
        bufs[i] = aligned_alloc(64, (bbytes + 63) / 64 * 64);
        reqs[i] = MPI_REQUEST_NULL;
    }
    if (st) {
        fprintf(stderr, "deepq: actor %d: %s\n", A.idx, err.msg);
        dq_dist_abort(1);
    }
    A.n_params = dq_dqn_online(A.ag)->n_params;
    if ((st = poll_learner(&A, true, &err))) { /* the learner's initial weights */
        fprintf(stderr, "deepq: actor %d: %s\n", A.idx, err.msg);
        dq_dist_abort(1);
    }
    dq_vecenv_reset(v, (int64_t)(cfg.dqn.seed & 0x7fffffff));
    int slot = 0;
    dq_apex_block b;
    dq_apex_block_init(&b, bufs[slot], cap, od, A.idx);
    int64_t steps = 0;
    while (!A.stop) {
        if ((st = poll_learner(&A, false, &err))) break;
        if (A.stop) break;
        memcpy(prev, v->obs, (size_t)ax->n_envs * od * sizeof *prev);
        for (int e = 0; e < ax->n_envs; e++) acts[e] = dq_dqn_act(A.ag, prev + (size_t)e * od, eps);
        if ((st = dq_vecenv_step(v, acts, NULL, &err))) break;
        steps += ax->n_envs;
        for (int e = 0; e < ax->n_envs; e++) {
            int m = dq_nstep_push(&ns[e], prev + (size_t)e * od, (int32_t)acts[e],
                                  (float)v->rewards[e], v->final_obs + (size_t)e * od,
                                  v->terminated[e], v->truncated[e], out);
            for (int j = 0; j < m; j++) {
                int n = b.h->n++;
                memcpy(b.obs + (size_t)n * od, out[j].obs, (size_t)od * sizeof(float));
                memcpy(b.next_obs + (size_t)n * od, out[j].next_obs, (size_t)od * sizeof(float));
                b.action[n] = out[j].action;
                b.reward[n] = out[j].reward;
                b.discount[n] = (float)out[j].discount;
            }
            if (v->terminated[e] || v->truncated[e]) {
                b.ep_return[b.h->n_eps] = v->ep_return[e];
                b.ep_length[b.h->n_eps] = v->ep_length[e];
                b.h->n_eps++;
            }
        }
        if (b.h->n < ax->block) continue;
        dq_dqn_block_priorities(A.ag, b.priority, b.obs, b.action, b.reward, b.next_obs,
                                b.discount, b.h->n);
        b.h->env_steps = steps;
        b.h->epsilon = eps;
        MPI_Isend(bufs[slot], (int)bbytes, MPI_BYTE, 0, TAG_A2L, MPI_COMM_WORLD, &reqs[slot]);
        slot = (slot + 1) % ax->max_inflight;
        /* The next buffer must be free: wait (sleeping, still hearing the learner) if the
         * learner is behind. */
        for (int done = 0; !A.stop;) {
            MPI_Test(&reqs[slot], &done, MPI_STATUS_IGNORE);
            if (done) break;
            if ((st = poll_learner(&A, false, &err))) break;
            nap_us(100);
        }
        if (st) break;
        dq_apex_block_init(&b, bufs[slot], cap, od, A.idx);
    }
    if (st) {
        fprintf(stderr, "deepq: actor %d: %s\n", A.idx, err.msg);
        dq_dist_abort(1);
    }
    /* Blocks in flight complete (the learner drains until BYE), then BYE. */
    for (int i = 0; i < ax->max_inflight; i++)
        for (int done = 0; !done;) {
            MPI_Test(&reqs[i], &done, MPI_STATUS_IGNORE);
            if (!done) nap_us(200);
        }
    dq_apex_header bye;
    dq_apex_header_init(&bye, DQ_APEX_BYE, A.idx);
    bye.env_steps = steps;
    MPI_Send(&bye, sizeof bye, MPI_BYTE, 0, TAG_A2L, MPI_COMM_WORLD);
    for (int i = 0; i < ax->max_inflight; i++) free(bufs[i]);
    free(bufs);
    free(reqs);
    free(prev);
    for (int e = 0; e < ax->n_envs; e++) dq_nstep_free(&ns[e]);
    free(ns);
    free(out);
    free(acts);
    free(A.lbuf);
    dq_dqn_destroy(A.ag);
    dq_vecenv_destroy(v);
    dq_dist_finalize();
    return 0;
}

int dq_cmd_train_distributed(int argc, char **argv) {
    apex_opts o;
    int rc = parse(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    if (!dq_dist_launched())
        return dq_cli_die(2, "--distributed apex runs under an MPI launcher: mpirun -np N deepq "
                             "train %s --distributed apex ... (N >= 2: a learner and actors)",
                          o.env_id);
    int rank, size;
    dq_error err;
    if (dq_dist_init(&rank, &size, &err)) return dq_cli_die(1, "%s", err.msg);
    if (size < 2) {
        dq_dist_finalize();
        return dq_cli_die(2, "--distributed apex needs N >= 2 ranks (rank 0 learns, the others "
                             "act): mpirun -np 3 deepq train ...");
    }
    return rank == 0 ? run_learner(&o, size) : run_actor(&o, rank, size);
}
