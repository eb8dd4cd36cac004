/* dqn_run.c — one DQN training run and its folder (see dqn_run.h): the learn callbacks that
 * print progress and the episode table, write the CSV/TensorBoard logs, evaluate, checkpoint,
 * and save the exact resume state at episode boundaries. */
#include "dqn_run.h"

#include "cli.h"
#include "cli_viz.h"

#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "deepq/fsio.h"
#include "deepq/safetensors.h"
#include "deepq/vecenv.h"

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void end_live(dq_run *r) {
    if (r->live_open) {
        fputs("\r\033[K", stdout);
        r->live_open = false;
    }
}

void dq_run_say(dq_run *r, const char *fmt, ...) {
    va_list ap;
    end_live(r);
    va_start(ap, fmt);
    dq_cli_vsay(r->log, fmt, ap);
    va_end(ap);
}

void dq_run_moments(const double *x, int n, double *mean, double *std, double *mn, double *mx) {
    double s = 0, lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        s += x[i];
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    double m = n ? s / n : 0, v = 0;
    for (int i = 0; i < n; i++) v += (x[i] - m) * (x[i] - m);
    *mean = m;
    *std = n ? sqrt(v / n) : 0;
    *mn = n ? lo : 0;
    *mx = n ? hi : 0;
}

const char *dq_run_status_word(const char *env_id, double ret, bool terminated, bool truncated,
                               double threshold) {
    if (!strncmp(env_id, "LunarLander", 11)) {
        if (truncated) return "Timeout";
        if (ret >= 200) return "Solved";
        if (ret >= 100) return "Landed";
        if (ret >= 0) return "Improving";
        if (ret >= -100) return "Stabilizing";
        return "Crashed";
    }
    if (!strncmp(env_id, "CartPole", 8)) return truncated ? "Balanced" : "Fell";
    if (!strncmp(env_id, "MountainCar", 11)) return terminated ? "Reached goal" : "Timeout";
    if (!strncmp(env_id, "Acrobot", 7)) return terminated ? "Swung up" : "Timeout";
    if (!isnan(threshold) && ret >= threshold) return "Solved";
    return truncated ? "Timeout" : "Done";
}

dq_status dq_run_build(dq_run *r, dq_error *err) {
    const char *kw = r->cfg.env_kwargs[0] ? r->cfg.env_kwargs : NULL;
    dq_status st = dq_env_make(r->cfg.env_id, kw, &r->env, err);
    if (!st) st = dq_env_make(r->cfg.env_id, kw, &r->eval_env, err);
    /* Training keeps its own env streams (docs/ENVIRONMENTS.md, "Seeds"): a run's seed seeds
     * xoshiro256**, as before Gymnasium's seeding existed here, so results stay the same. */
    if (!st) dq_env_set_seeding(r->env, DQ_SEEDING_XOSHIRO);
    if (!st) dq_env_set_seeding(r->eval_env, DQ_SEEDING_XOSHIRO);
    if (!st) st = dq_dqn_create(&r->ag, &r->cfg.dqn, &r->env->obs_space, &r->env->act_space, err);
    if (!st) st = dq_config_to_yaml(&r->cfg, &r->config_yaml, err);
    return st;
}

dq_status dq_run_set_dir(dq_run *r, const char *dir, dq_error *err) {
    /* every file path is r->dir + "/" + a name of < 88 bytes, built in buffers of >= 600 */
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof r->dir)
        return dq_fail(err, DQ_EINVAL, "run folder path is %zu bytes long; the limit is %zu", n,
                       sizeof r->dir - 1);
    memcpy(r->dir, dir, n + 1);
    int removed = 0;
    dq_status st = dq_remove_stale_temps(r->dir, &removed, err);
    if (!st && removed)
        fprintf(stderr, "removed %d temp file%s left in %s by an interrupted save\n", removed,
                removed > 1 ? "s" : "", r->dir);
    return st;
}

static bool file_exists(const char *dir, const char *name) {
    char p[1100];
    struct stat sb;
    int n = snprintf(p, sizeof p, "%s/%s", dir, name);
    return n > 0 && (size_t)n < sizeof p && stat(p, &sb) == 0;
}

dq_status dq_run_claim_dir(dq_run *r, const char *out, bool force, dq_error *err) {
    if (!out) {
        char d[sizeof r->dir];
        for (int n = 1;; n++) {
            int k = snprintf(d, sizeof d, "runs/%s-%s-s%llu-%d", r->cfg.env_id, r->cfg.preset,
                             (unsigned long long)r->cfg.dqn.seed, n);
            if (k < 0 || (size_t)k >= sizeof d)
                return dq_fail(err, DQ_EINVAL, "run folder name too long; give --out");
            struct stat sb;
            if (stat(d, &sb) != 0) break;
        }
        out = d;
        dq_status st = dq_run_set_dir(r, out, err);
        return st ? st : dq_mkdir_p(r->dir, err);
    }
    struct stat sb;
    if (stat(out, &sb) == 0 && !S_ISDIR(sb.st_mode))
        return dq_fail(err, DQ_EINVAL, "--out %s is a file, not a folder", out);
    if (strlen(out) >= sizeof r->dir) return dq_run_set_dir(r, out, err);
    if (file_exists(out, "config.yml")) {
        if (file_exists(out, "resume.safetensors") || file_exists(out, "final.safetensors"))
            return dq_fail(err, DQ_EINVAL, "%s already holds a run; choose another --out (or "
                           "deepq resume %s)", out, out);
        if (!force) /* killed before its first resume state: nothing there can be resumed */
            return dq_fail(err, DQ_EINVAL, "%s holds a run stopped before its first resume "
                           "state; choose another --out, or add --force to start it again", out);
    }
    int empty = dq_dir_is_empty(out, err);
    if (empty < 0) return DQ_EIO;
    if (!empty && !force)
        return dq_fail(err, DQ_EINVAL, "%s is not empty and is not a deepq run folder; choose "
                       "another --out, or add --force to write the run into it", out);
    dq_status st = dq_run_set_dir(r, out, err);
    return st ? st : dq_mkdir_p(r->dir, err);
}

static void path_in(const dq_run *r, char *buf, size_t cap, const char *name) {
    snprintf(buf, cap, "%s/%s", r->dir, name);
}

/* monitor.csv, the file stable_baselines3.common.monitor.load_results and RL-Zoo's plots read:
 * a `#{"t_start": ..., "env_id": ...}` line, then `r,l,t` rows (return, length, seconds since
 * t_start). A resumed run keeps the file (cut back to the saved state like episodes.csv) and its
 * t_start; --no-wall-time writes t_start 0 and t 0 so the file is byte-identical per seed. */
static dq_status open_monitor(dq_run *r, bool append, dq_error *err) {
    char p[600];
    path_in(r, p, sizeof p, "monitor.csv");
    struct stat sb;
    const bool keep = append && stat(p, &sb) == 0 && sb.st_size > 0;
    r->monitor = fopen(p, keep ? "ab" : "wb");
    if (!r->monitor) return dq_fail(err, DQ_EIO, "cannot open %s for writing", p);
    if (keep) return DQ_OK;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    const double t_start = r->no_wall_time ? 0.0 : (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
    fprintf(r->monitor, "#{\"t_start\": %.6f, \"env_id\": \"", t_start);
    for (const char *c = r->cfg.env_id; *c; c++) /* JSON string escapes */
        fprintf(r->monitor, (*c == '"' || *c == '\\') ? "\\%c" : "%c", *c);
    fprintf(r->monitor, "\"}\nr,l,t\n");
    if (fflush(r->monitor) != 0) return dq_fail(err, DQ_EIO, "cannot write %s", p);
    return DQ_OK;
}

dq_status dq_run_open_logs(dq_run *r, bool append, dq_error *err) {
    static const char *ep_cols[] = {"episode", "length",      "return", "status",
                                    "total_steps", "epsilon", "time"};
    static const char *ev_cols[] = {"step", "mean", "std", "min", "max", "episodes"};
    static const char *pr_cols[] = {"step",      "episodes",    "epsilon",       "loss",
                                    "q_mean",    "q_max",       "td_abs",        "grad_norm",
                                    "terminal_frac", "ep_rew_mean", "ep_len_mean", "fps"};
    char p[600];
    path_in(r, p, sizeof p, "train.log");
    r->log = fopen(p, append ? "ab" : "wb");
    if (!r->log) return dq_fail(err, DQ_EIO, "cannot open %s for writing", p);
    path_in(r, p, sizeof p, "episodes.csv");
    dq_status st = dq_csv_writer_open(&r->ep_csv, p, 7, ep_cols, append, err);
    path_in(r, p, sizeof p, "evals.csv");
    if (!st) st = dq_csv_writer_open(&r->eval_csv, p, 6, ev_cols, append, err);
    path_in(r, p, sizeof p, "progress.csv");
    if (!st) st = dq_csv_writer_open(&r->prog_csv, p, 12, pr_cols, append, err);
    if (!st) st = open_monitor(r, append, err);
    path_in(r, p, sizeof p, "tb");
    if (!st) st = dq_tb_writer_create(&r->tb, p, err);
    return st;
}

void dq_run_free(dq_run *r) {
    dq_dqn_destroy(r->ag);
    dq_env_free(r->env);
    dq_env_free(r->eval_env);
    dq_csv_writer_close(r->ep_csv, NULL);
    dq_csv_writer_close(r->eval_csv, NULL);
    dq_csv_writer_close(r->prog_csv, NULL);
    dq_tb_writer_destroy(r->tb);
    if (r->log) fclose(r->log);
    if (r->monitor) fclose(r->monitor);
    free(r->config_yaml);
    memset(r, 0, sizeof *r);
}

bool dq_run_load_checkpoint(dq_run *r, const char *src, const char *want_env, const char *verb,
                            char *path, size_t cap) {
    struct stat sb;
    memset(r, 0, sizeof *r);
    if (strlen(src) + sizeof "/final.safetensors" > cap)
        return dq_cli_die(1, "%s: path too long: %s", verb, src), false;
    if (stat(src, &sb) != 0)
        return dq_cli_die(1, "%s: %s: no such checkpoint or run folder", verb, src), false;
    if (S_ISDIR(sb.st_mode)) {
        snprintf(path, cap, "%s/final.safetensors", src);
        if (stat(path, &sb) != 0) snprintf(path, cap, "%s/best.safetensors", src);
        if (stat(path, &sb) != 0)
            return dq_cli_die(1, "%s: %s holds no final.safetensors or best.safetensors", verb,
                              src), false;
    } else {
        snprintf(path, cap, "%s", src);
    }
    dq_error err = {0};
    dq_safetensors *f = NULL;
    if (dq_safetensors_load(&f, path, &err)) return dq_cli_die(1, "%s: %s", verb, err.msg), false;
    const char *fmt = dq_safetensors_meta(f, "format"), *cfg = dq_safetensors_meta(f, "config");
    if (!fmt || strcmp(fmt, "deepq-dqn") || !cfg) {
        dq_safetensors_free(f);
        return dq_cli_die(1, "%s: %s is not a deepq DQN checkpoint (no deepq-dqn format/config "
                          "metadata)", verb, path), false;
    }
    dq_run_config_default(&r->cfg);
    dq_status st = dq_config_apply_yaml(&r->cfg, cfg, path, r->cfg.env_id, &err);
    dq_safetensors_free(f);
    if (!st && want_env && strcmp(r->cfg.env_id, want_env))
        st = dq_fail(&err, DQ_EINVAL, "%s was trained on %s, not %s", path, r->cfg.env_id,
                     want_env);
    if (!st) st = dq_run_build(r, &err);
    if (!st) st = dq_dqn_load_weights(r->ag, path, r->cfg.env_id, &err);
    if (st) {
        dq_run_free(r);
        return dq_cli_die(1, "%s: %s", verb, err.msg), false;
    }
    return true;
}

static double elapsed(const dq_run *r) { return r->t_offset + (now_s() - r->t0); }

static dq_status save_weights(dq_run *r, const char *name, dq_error *err) {
    char p[600];
    path_in(r, p, sizeof p, name);
    dq_dqn_meta m = {r->cfg.env_id, r->cfg.env_kwargs, r->config_yaml};
    return dq_dqn_save(r->ag, p, &m, err);
}

/* ---- NaN/Inf guard: a diverged network is never saved; the run stops with one line ---- */

static size_t net_nonfinite(dq_dqn *ag) {
    return dq_mlp_count_nonfinite(dq_dqn_online(ag)) + dq_mlp_count_nonfinite(dq_dqn_target(ag));
}

/* Stop the run: `what` (loss, grad norm, parameters) became non-finite at `step`. */
static int stop_nonfinite(dq_run *r, int64_t step, const char *what) {
    r->nonfinite = true;
    r->fail = dq_fail(&r->err, DQ_EINVAL,
                      "training diverged: %s not finite at step %" PRId64 " (lower "
                      "learning_rate or max_grad_norm)", what, step);
    return 1;
}

/* Parameters checked before anything is written from them; 1 (stop) if any is NaN/inf. */
static int guard_params(dq_run *r, dq_dqn *ag) {
    size_t bad = net_nonfinite(ag);
    if (!bad) return 0;
    char what[96];
    snprintf(what, sizeof what, "%zu network parameters", bad);
    return stop_nonfinite(r, dq_dqn_steps(ag), what);
}

/* Weights file `name` was written from finite parameters: the fallback for final. */
static void mark_good(dq_run *r, const char *name, int64_t step) {
    snprintf(r->good_weights, sizeof r->good_weights, "%s", name);
    r->good_step = step;
}

/* After a divergence: final.safetensors becomes a copy of the last finite weights file (the
 * diverged network is not saved); the error message says which. */
static void final_from_good(dq_run *r, dq_error *err) {
    char src[600], dst[600], more[200];
    if (!r->good_weights[0]) {
        snprintf(more, sizeof more, "; no finite checkpoint was written, so no final.safetensors");
    } else {
        void *data = NULL;
        size_t len = 0;
        dq_error e;
        path_in(r, src, sizeof src, r->good_weights);
        path_in(r, dst, sizeof dst, "final.safetensors");
        dq_status st = dq_read_file(src, &data, &len, &e);
        if (!st) st = dq_write_file_atomic(dst, data, len, &e);
        free(data);
        if (st) snprintf(more, sizeof more, "; copying the last finite checkpoint failed: %.120s", e.msg);
        else snprintf(more, sizeof more, "; final.safetensors = %s of step %" PRId64
                      " (the last finite checkpoint)", r->good_weights, r->good_step);
    }
    size_t k = strlen(err->msg);
    snprintf(err->msg + k, sizeof err->msg - k, "%s", more);
}

static int64_t file_size(const char *p) {
    struct stat s;
    return stat(p, &s) == 0 ? (int64_t)s.st_size : -1;
}

/* resume.safetensors, with the log sizes at this point so a resume can cut what came after. */
static dq_status save_state(dq_run *r, dq_error *err) {
    static const char *files[] = {"train.log", "episodes.csv", "evals.csv", "progress.csv",
                                  "monitor.csv"};
    char vals[7][64], p[600];
    const char *meta[2 * 11];
    int n = 0;
    fflush(r->log);
    fflush(r->monitor);
    for (int i = 0; i < 5; i++) {
        path_in(r, p, sizeof p, files[i]);
        snprintf(vals[i], sizeof vals[i], "%" PRId64, file_size(p));
        meta[2 * n] = files[i];
        meta[2 * n + 1] = vals[i];
        n++;
    }
    snprintf(vals[5], sizeof vals[5], "%.17g", r->have_best ? r->best_eval : -INFINITY);
    meta[2 * n] = "best_eval";
    meta[2 * n + 1] = vals[5];
    n++;
    snprintf(vals[6], sizeof vals[6], "%.3f", elapsed(r));
    meta[2 * n] = "elapsed_s";
    meta[2 * n + 1] = vals[6];
    n++;
    const char *tbp = dq_tb_writer_path(r->tb), *slash = strrchr(tbp, '/');
    meta[2 * n] = "tb_file"; /* name inside tb/, so a moved run folder still resumes */
    meta[2 * n + 1] = slash ? slash + 1 : tbp;
    n++;
    char tbsize[64];
    snprintf(tbsize, sizeof tbsize, "%" PRId64, file_size(dq_tb_writer_path(r->tb)));
    meta[2 * n] = "tb_size";
    meta[2 * n + 1] = tbsize;
    n++;
    char fe[32];
    snprintf(fe, sizeof fe, "%d", r->final_episodes);
    meta[2 * n] = "final_episodes";
    meta[2 * n + 1] = fe;
    n++;
    path_in(r, p, sizeof p, "resume.safetensors");
    double t = now_s();
    dq_status st = dq_dqn_save_state(r->ag, r->env, p, n, meta, err);
    r->last_state_t = now_s();
    r->last_state_cost = r->last_state_t - t;
    r->state_cost_total += r->last_state_cost;
    r->n_states++;
    r->last_state_step = dq_dqn_steps(r->ag);
    r->last_state_size = (double)dq_dqn_replay(r->ag)->size;
    return st;
}

/* The periodic resume state is due: DQ_RUN_STATE_EVERY steps since the last one, and the time
 * spent on states, this one included (estimated from the last save, scaled by the replay's
 * growth), stays within 2% of the run's wall time. */
static bool state_due(const dq_run *r, int64_t step) {
    if (r->state_every <= 0 || step - r->last_state_step < r->state_every) return false;
    const double size = (double)dq_dqn_replay(r->ag)->size;
    const double grow = r->last_state_size > 0 ? fmax(1.0, size / r->last_state_size) : 1.0;
    return r->state_cost_total + r->last_state_cost * grow <= 0.02 * (now_s() - r->t0);
}

/* Whether the run saves resume states: always with one env; with n_envs > 1 when the env has
 * a state vector (every env of the batch is saved mid-episode; not LunarLander's Box2D world). */
static bool resumable(const dq_run *r) {
    return dq_dqn_get_def(r->ag)->n_envs == 1 || dq_vecenv_env_state_exact(r->env->type);
}

static int fail_cb(dq_run *r, dq_status st) {
    r->fail = st;
    return 1;
}

static int cb_episode(void *user, dq_dqn *ag, const dq_dqn_episode *ep) {
    dq_run *r = user;
    const char *word = dq_run_status_word(r->cfg.env_id, ep->ret, ep->terminated, ep->truncated,
                                          r->env->type->reward_threshold);
    dq_csv_put_int(r->ep_csv, ep->episode);
    dq_csv_put_int(r->ep_csv, ep->length);
    dq_csv_put_double(r->ep_csv, ep->ret);
    dq_csv_put_str(r->ep_csv, word);
    dq_csv_put_int(r->ep_csv, ep->total_steps);
    dq_csv_put_fixed(r->ep_csv, ep->epsilon, 6);
    dq_csv_put_fixed(r->ep_csv, r->no_wall_time ? 0.0 : elapsed(r), 3);
    dq_status st = dq_csv_end_row(r->ep_csv, &r->err);
    if (st) return fail_cb(r, st);
    /* SB3's Monitor row: round(return, 6), length, round(time since t_start, 6) */
    if (fprintf(r->monitor, "%.6f,%" PRId64 ",%.6f\n", ep->ret, ep->length,
                r->no_wall_time ? 0.0 : elapsed(r)) < 0 || fflush(r->monitor) != 0)
        return fail_cb(r, dq_fail(&r->err, DQ_EIO, "cannot write %s/monitor.csv", r->dir));
    if (r->episode_table)
        dq_run_say(r, "| Episode %5" PRId64 " | Duration: %4" PRId64 " steps | Reward: %8.2f | %-11s"
                      " | Total Steps: %7" PRId64 " |\n",
                   ep->episode, ep->length, ep->ret, word, ep->total_steps);
    bool stop = dq_cli_interrupted() || (r->stop_at > 0 && ep->total_steps >= r->stop_at);
    if (resumable(r) && (r->state_pending || stop || state_due(r, ep->total_steps))) {
        /* A training state is saved where the learn loop stands between steps: stop it at the
         * end of this step (with several envs, after the other envs' episode ends of the same
         * step; with one env that is now) and save in dq_run_learn, which continues the run
         * unless it was asked to stop. */
        r->save_now = true;
        r->stop_now |= stop;
        return 1;
    }
    if (stop) {
        r->stopped = true;
        dq_run_say(r, "%s at step %" PRId64 " (episode %" PRId64 "); no resume state: %s has no "
                      "state vector to save with n_envs > 1 (docs/DQN.md)\n",
                   dq_cli_interrupted() ? "interrupted" : "stopped", ep->total_steps, ep->episode,
                   r->cfg.env_id);
        return 1;
    }
    return 0;
}

/* The learn loop stopped at a step end for a resume state (cb_episode): save it; true when the
 * run goes on. */
static bool save_at_step_end(dq_run *r) {
    r->save_now = false;
    if (guard_params(r, r->ag)) return false;
    dq_status st = save_state(r, &r->err);
    if (st) return fail_cb(r, st), false;
    r->state_pending = false;
    if (!r->stop_now) return true;
    r->stopped = true;
    dq_run_say(r, "%s at step %" PRId64 " (episode %" PRId64 "); state saved: continue with "
                  "`deepq resume %s`\n",
               dq_cli_interrupted() ? "interrupted" : "stopped", dq_dqn_steps(r->ag),
               dq_dqn_episodes(r->ag), r->dir);
    return false;
}

static void fmt_eta(char *b, size_t cap, double s) {
    if (!isfinite(s) || s < 0) snprintf(b, cap, "?");
    else if (s < 60) snprintf(b, cap, "%.0fs", s);
    else if (s < 3600) snprintf(b, cap, "%dm%02ds", (int)s / 60, (int)s % 60);
    else snprintf(b, cap, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
}

static int cb_log(void *user, dq_dqn *ag, const dq_dqn_stats *s) {
    dq_run *r = user;
    /* the stats average the updates since the last log, so one NaN/inf among them shows here */
    if (s->n && !isfinite(s->loss)) return stop_nonfinite(r, s->step, "the loss");
    if (s->n && !isfinite(s->grad_norm)) return stop_nonfinite(r, s->step, "the gradient norm");
    if (guard_params(r, ag)) return 1;
    double t = now_s();
    double fps = (double)(s->step - r->last_log_step) / fmax(t - r->last_log_t, 1e-9);
    r->last_log_t = t;
    r->last_log_step = s->step;
    double rew = dq_dqn_ep_rew_mean(ag), len = dq_dqn_ep_len_mean(ag);
    dq_csv_put_int(r->prog_csv, s->step);
    dq_csv_put_int(r->prog_csv, s->episodes);
    dq_csv_put_double(r->prog_csv, s->epsilon);
    dq_csv_put_double(r->prog_csv, s->n ? s->loss : NAN);
    dq_csv_put_double(r->prog_csv, s->n ? s->q_mean : NAN);
    dq_csv_put_double(r->prog_csv, s->n ? s->q_max : NAN);
    dq_csv_put_double(r->prog_csv, s->n ? s->td_abs : NAN);
    dq_csv_put_double(r->prog_csv, s->n ? s->grad_norm : NAN);
    dq_csv_put_double(r->prog_csv, s->terminal_frac);
    dq_csv_put_double(r->prog_csv, rew);
    dq_csv_put_double(r->prog_csv, len);
    dq_csv_put_fixed(r->prog_csv, fps, 1);
    dq_status st = dq_csv_end_row(r->prog_csv, &r->err);
    if (!st && s->episodes > 0) {
        st = dq_tb_writer_scalar(r->tb, "rollout/ep_rew_mean", rew, s->step, -1, &r->err);
        if (!st) st = dq_tb_writer_scalar(r->tb, "rollout/ep_len_mean", len, s->step, -1, &r->err);
    }
    if (!st)
        st = dq_tb_writer_scalar(r->tb, "rollout/exploration_rate", s->epsilon, s->step, -1,
                                 &r->err);
    if (!st && s->n) st = dq_tb_writer_scalar(r->tb, "train/loss", s->loss, s->step, -1, &r->err);
    if (!st) st = dq_tb_writer_scalar(r->tb, "time/fps", fps, s->step, -1, &r->err);
    if (st) return fail_cb(r, st);
    int64_t total = r->cfg.dqn.n_timesteps;
    double run_fps = (double)s->step / fmax(elapsed(r), 1e-9);
    char eta[32], loss[32];
    fmt_eta(eta, sizeof eta, (double)(total - s->step) / fmax(fps, 1e-9));
    if (s->n) snprintf(loss, sizeof loss, "%.4g", s->loss);
    else snprintf(loss, sizeof loss, "-");
    char line[256];
    snprintf(line, sizeof line,
             "%3.0f%% %" PRId64 "/%" PRId64 " | %.0f steps/s | ETA %s | return(100) %.2f | "
             "eps %.3f | ep %" PRId64 " | loss %s",
             total > 0 ? 100.0 * (double)s->step / (double)total : 100.0, s->step, total,
             run_fps, eta, rew, s->epsilon, s->episodes, loss);
    if (r->tty && !r->episode_table) {
        /* One live line: cut to the terminal's width so it never wraps (\r would then
         * rewrite only its last row); train.log gets the whole line. */
        struct winsize ws;
        int cols = ioctl(fileno(stdout), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 0;
        fprintf(stdout, "\r%.*s\033[K", cols > 1 ? cols - 1 : (int)sizeof line, line);
        fflush(stdout);
        r->live_open = true;
        if (r->log) fprintf(r->log, "%s\n", line), fflush(r->log);
    } else {
        dq_run_say(r, "%s\n", line);
    }
    return 0;
}

static dq_status evaluate(dq_run *r, int n, double *mean, double *std, double *mn, double *mx,
                          double *frac, dq_error *err) {
    double *ret = malloc((size_t)n * sizeof *ret);
    if (!ret) return dq_fail(err, DQ_ENOMEM, "out of memory");
    dq_rng rng;
    uint64_t es = r->cfg.dqn.seed + 1000003;
    dq_rng_seed(&rng, es);
    dq_status st = dq_dqn_evaluate(r->ag, r->eval_env, n, r->cfg.dqn.eval_eps, &rng,
                                   (int64_t)(es & INT64_MAX), ret, NULL, err);
    if (!st) {
        dq_run_moments(ret, n, mean, std, mn, mx);
        double thr = r->env->type->reward_threshold;
        int k = 0;
        for (int i = 0; i < n; i++) k += !isnan(thr) && ret[i] >= thr;
        *frac = (double)k / n;
    }
    free(ret);
    return st;
}

static int cb_eval(void *user, dq_dqn *ag) {
    dq_run *r = user;
    double m, sd, lo, hi, frac;
    int n = r->cfg.dqn.n_eval_episodes;
    if (guard_params(r, ag)) return 1; /* best is never a diverged network */
    dq_status st = evaluate(r, n, &m, &sd, &lo, &hi, &frac, &r->err);
    if (st) return fail_cb(r, st);
    int64_t step = dq_dqn_steps(ag);
    dq_csv_put_int(r->eval_csv, step);
    dq_csv_put_double(r->eval_csv, m);
    dq_csv_put_double(r->eval_csv, sd);
    dq_csv_put_double(r->eval_csv, lo);
    dq_csv_put_double(r->eval_csv, hi);
    dq_csv_put_int(r->eval_csv, n);
    if ((st = dq_csv_end_row(r->eval_csv, &r->err))) return fail_cb(r, st);
    if ((st = dq_tb_writer_scalar(r->tb, "eval/mean_reward", m, step, -1, &r->err)))
        return fail_cb(r, st);
    bool best = !r->have_best || m > r->best_eval;
    if (best) {
        r->best_eval = m;
        r->have_best = true;
        if ((st = save_weights(r, "best.safetensors", &r->err))) return fail_cb(r, st);
        mark_good(r, "best.safetensors", step);
    }
    dq_run_say(r, "eval at step %" PRId64 ": %.2f +- %.2f (min %.2f, max %.2f) over %d episodes%s\n",
               step, m, sd, lo, hi, n, best ? "  [new best]" : "");
    if (r->video_every && (r->video_every < 0 ? dq_video_capped_cubic(r->n_evals)
                                              : r->n_evals % r->video_every == 0)) {
        char vp[700];
        snprintf(vp, sizeof vp, "%s/videos/eval-step-%" PRId64 ".mp4", r->dir, step);
        int64_t len = 0;
        if (!dq_cli_record_greedy(r->cfg.env_id, r->cfg.env_kwargs, ag, (int64_t)r->cfg.dqn.seed + 1000003, vp, &len))
            return fail_cb(r, dq_fail(&r->err, DQ_EIO, "recording %s failed", vp));
        dq_run_say(r, "video of a greedy episode (%" PRId64 " steps): %s\n", len, vp);
    }
    r->n_evals++;
    return 0;
}

static int cb_checkpoint(void *user, dq_dqn *ag) {
    dq_run *r = user;
    char name[64];
    if (guard_params(r, ag)) return 1;
    snprintf(name, sizeof name, "ckpt-%" PRId64 ".safetensors", dq_dqn_steps(ag));
    dq_status st = save_weights(r, name, &r->err);
    if (st) return fail_cb(r, st);
    mark_good(r, name, dq_dqn_steps(ag));
    r->state_pending = true; /* resume.safetensors at the next episode end */
    return 0;
}

dq_status dq_run_learn(dq_run *r, dq_error *err) {
    r->t0 = now_s();
    r->last_log_t = r->t0;
    r->last_log_step = dq_dqn_steps(r->ag);
    r->tty = isatty(fileno(stdout));
    r->state_every = DQ_RUN_STATE_EVERY;
    r->last_state_step = dq_dqn_steps(r->ag);
    r->last_state_t = r->t0;
    dq_cli_catch_signals(); /* Ctrl-C or SIGTERM: stop at the next episode end and save */
    dq_dqn_callbacks cb = {r, cb_episode, cb_log, cb_eval, cb_checkpoint};
    dq_status st;
    do {
        st = dq_dqn_learn(r->ag, r->env, &cb, err);
    } while (!st && !r->fail && r->save_now && save_at_step_end(r));
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    end_live(r);
    if (r->log && r->n_states) /* the cost of crash safety, for docs/RELIABILITY.md */
        fprintf(r->log, "resume states: %d saved, %.3f s in all (%.2f%% of %.1f s)\n",
                r->n_states, r->state_cost_total,
                100.0 * r->state_cost_total / fmax(now_s() - r->t0, 1e-9), now_s() - r->t0);
    if (st) return st;
    if (r->fail) {
        *err = r->err;
        if (r->nonfinite) final_from_good(r, err);
        return r->fail;
    }
    if (r->stopped) return DQ_OK;
    if (net_nonfinite(r->ag)) { /* diverged after the last log */
        stop_nonfinite(r, dq_dqn_steps(r->ag), "network parameters");
        *err = r->err;
        final_from_good(r, err);
        return r->fail;
    }
    if ((st = save_weights(r, "final.safetensors", err))) return st;
    double m, sd, lo, hi, frac;
    if (r->final_episodes > 0) {
        if ((st = evaluate(r, r->final_episodes, &m, &sd, &lo, &hi, &frac, err))) return st;
        double thr = r->env->type->reward_threshold;
        dq_run_say(r, "final greedy eval over %d episodes: %.2f +- %.2f (min %.2f, max %.2f)",
                   r->final_episodes, m, sd, lo, hi);
        if (!isnan(thr)) dq_run_say(r, ", %.0f%% >= %g", 100 * frac, thr);
        dq_run_say(r, "\n");
    }
    dq_run_say(r, "trained %" PRId64 " steps, %" PRId64 " episodes, %" PRId64
                  " updates in %.1f s; run folder: %s\n",
               dq_dqn_steps(r->ag), dq_dqn_episodes(r->ag), dq_dqn_updates(r->ag), elapsed(r),
               r->dir);
    return DQ_OK;
}
