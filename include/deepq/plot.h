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
 * runs), the way RL-Zoo's plot_train aggregates seeds. Drawn with cairo.
 *
 *   dq_plot_def def = dq_plot_def_default();
 *   const char *runs[] = {"runs/a", "runs/b"};
 *   dq_plot_runs(runs, 2, "runs/plots", &def, NULL, &err);
 */
#ifndef DEEPQ_PLOT_H
#define DEEPQ_PLOT_H

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

#ifdef __cplusplus
}
#endif
#endif
