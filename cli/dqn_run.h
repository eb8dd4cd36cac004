/* dqn_run.h — a DQN training run with its folder, shared by `deepq train` and `deepq resume`:
 * logs (train.log, episodes.csv, evals.csv, progress.csv, TensorBoard events), checkpoints
 * (ckpt-STEP, best, final .safetensors) and the resume state (resume.safetensors). */
#ifndef DQ_CLI_DQN_RUN_H
#define DQ_CLI_DQN_RUN_H

#include <stdio.h>

#include "deepq/config.h"
#include "deepq/csv.h"
#include "deepq/dqn.h"
#include "deepq/tb.h"

/* A resume state (resume.safetensors) is saved at the first episode end after every this many
 * steps, so a run killed by SIGKILL, a crash or a power cut can be resumed; a save is put off
 * while the time spent on them would exceed 2% of the run's wall time, whatever the replay
 * size (see docs/RELIABILITY.md for the measured cost). */
#define DQ_RUN_STATE_EVERY 10000

typedef struct dq_run {
    dq_run_config cfg;
    char dir[512];
    char *config_yaml;         /* resolved config.yml text */
    dq_env *env, *eval_env;
    dq_dqn *ag;
    dq_csv_writer *ep_csv, *eval_csv, *prog_csv;
    FILE *log;                 /* train.log: a copy of everything printed */
    FILE *monitor;             /* monitor.csv: SB3's Monitor CSV of the same episodes */
    dq_tb_writer *tb;
    bool tty, episode_table, live_open;
    bool no_wall_time; /* --no-wall-time: episodes.csv's time column is 0, so the file is
                          byte-identical across runs of the same seed and build */
    int final_episodes;        /* greedy episodes of the final evaluation */
    int64_t stop_at;           /* stop at the first episode end at or after this step (0: no) */
    double best_eval;
    bool have_best;
    bool state_pending;        /* save resume.safetensors at the next episode end */
    int64_t state_every;       /* periodic resume state (DQ_RUN_STATE_EVERY; 0 = off) */
    int64_t last_state_step;   /* step of the last resume state */
    double last_state_t;       /* wall clock when it finished */
    double last_state_cost;    /* seconds it took */
    double last_state_size;    /* replay transitions it held */
    double state_cost_total;   /* seconds spent on resume states in this process */
    int n_states;              /* resume states saved in this process */
    bool stopped;              /* learning stopped early (interrupt or stop_at) */
    bool save_now, stop_now;   /* the learn loop was stopped at a step end to save the resume
                                  state (then, unless stop_now, it continues) */
    double t0, t_offset;       /* wall clock at start; seconds run before a resume */
    double last_log_t;
    int64_t last_log_step;
    int video_every;           /* record an eval episode: 0 never, -1 RecordVideo's capped-cubic
                                  schedule over evaluations, N every N-th evaluation */
    int64_t n_evals;           /* evaluations done (for video_every) */
    char good_weights[64];     /* last weights file of this run checked finite ("" none) */
    int64_t good_step;         /* the step it was written at */
    bool nonfinite;            /* stopped: a loss, gradient norm or parameter was NaN/inf */
    dq_status fail;            /* an error raised inside a callback */
    dq_error err;
} dq_run;

/* Set r->dir (refusing a path too long for it: nothing is cut) and remove the temp files a
 * killed save left there. */
dq_status dq_run_set_dir(dq_run *r, const char *dir, dq_error *err);
/* The folder of a new run: out, or runs/<env>-<preset>-s<seed>-<n> when NULL. A folder holding
 * a run is refused; so is any other non-empty folder unless force. Creates it, sets r->dir. */
dq_status dq_run_claim_dir(dq_run *r, const char *out, bool force, dq_error *err);
/* Print to stdout and train.log (printf-style). */
void dq_run_say(dq_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Create env, eval env and agent from r->cfg. */
dq_status dq_run_build(dq_run *r, dq_error *err);
/* Open the logs in r->dir (append = continue existing ones after a resume). */
dq_status dq_run_open_logs(dq_run *r, bool append, dq_error *err);
/* Learn to n_timesteps, then write final.safetensors and evaluate (unless stopped). */
dq_status dq_run_learn(dq_run *r, dq_error *err);
/* Rebuild into r (zeroed first) the agent a DQN checkpoint describes — src is a checkpoint or a
 * run folder (its final.safetensors, else best.safetensors) — from its metadata (env id, kwargs,
 * full config), and load its weights; want_env, unless NULL, must be the checkpoint's env. The
 * file read is written to path[cap]. On failure prints "VERB: error", leaves r empty and
 * returns false; on success free r with dq_run_free. */
bool dq_run_load_checkpoint(dq_run *r, const char *src, const char *want_env, const char *verb,
                            char *path, size_t cap);
/* Free everything (the struct itself is the caller's). */
void dq_run_free(dq_run *r);
/* Status word of a finished episode for env id (the seed notebooks' table). */
const char *dq_run_status_word(const char *env_id, double ret, bool terminated, bool truncated,
                               double threshold);
/* Mean, population std, min, max of x[0..n). */
void dq_run_moments(const double *x, int n, double *mean, double *std, double *mn, double *mx);

#endif
