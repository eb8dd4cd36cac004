/* deepq/plot.h — training curves of one or several run folders as PNG and SVG figures.
 *
 * Reads each run folder's episodes.csv (episode,length,return,...,total_steps,epsilon,...),
 * evals.csv (step,mean,std,min,max,episodes) and progress.csv (step,...,epsilon,loss,q_mean,...)
 * — whichever exist — and writes, into an output folder:
 *   reward.*       reward per episode with its least-squares trend line
 *   reward_hist.*  histogram of episode rewards
 *   reward_ma.*    moving average of the reward over `window` episodes, against env steps
 *   length_ma.*    moving average of the episode length, against env steps
 *   eval.*         evaluation mean +- std against env steps
 *   epsilon.*, loss.*, q_mean.*   exploration rate, TD loss and mean Q against env steps
 *   summary.png    all panels on one page
 * With several runs (seeds) a figure shows their mean and a 95% confidence band (Student t over
 * runs), the way RL-Zoo's plot_train aggregates seeds, per group of runs (same env and preset,
 * or groups given by the caller). Drawn with cairo.
 *
 *   dq_plot_def def = dq_plot_def_default();
 *   const char *runs[] = {"runs/a", "runs/b"};
 *   dq_plot_runs(runs, 2, "runs/plots", &def, NULL, &err);
 */
#ifndef DEEPQ_PLOT_H
#define DEEPQ_PLOT_H

#include <stddef.h>

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_plot_def {
    int width, height; /* pixels of each single figure (900 x 540) */
    int window;        /* moving-average window in episodes (100) */
    int bins;          /* histogram bins (30) */
    bool png, svg;     /* formats to write (both true) */
    bool summary;      /* also write summary.png (true) */
} dq_plot_def;

/* Defaults as listed above. */
DQ_API dq_plot_def dq_plot_def_default(void);

/* Plot the runs in run_dirs[n_runs] into out_dir (created when missing; files overwritten).
 * Figures whose data no run has are skipped; *n_written (may be NULL) receives the number of
 * files written. DQ_ENOTFOUND when no folder holds episodes.csv; DQ_EFORMAT on a malformed CSV. */
DQ_API dq_status dq_plot_runs(const char *const *run_dirs, int n_runs, const char *out_dir,
                       const dq_plot_def *def, int *n_written, dq_error *err);

/* dq_plot_runs with groups: runs of one group are aggregated (mean, 95% band clipped to the
 * data's range, thick over the range every run of the group covers, thin beyond), each group in
 * its colour with a legend entry. groups[i] names run i's group; NULL (or "") takes it from the
 * run's config.yml as "<env> <preset>", so runs of different envs or presets are never averaged
 * together. A folder with no finished episode is plotted from its other logs. */
DQ_API dq_status dq_plot_runs_grouped(const char *const *run_dirs, const char *const *groups,
                                      int n_runs, const char *out_dir, const dq_plot_def *def,
                                      int *n_written, dq_error *err);

/* The group dq_plot_runs_grouped gives run_dir by default: "<env> <preset>" from its
 * config.yml, or "runs" when it has none (SB3 Monitor logs). */
DQ_API void dq_plot_run_group(const char *run_dir, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
