/* deepq/sweep.h — the plan of a sweep (grid points x seeds), its work queue and its result
 * table, with no process or MPI code: `deepq sweep` runs the plan with local processes or MPI
 * ranks, and every rank builds the same plan from the same arguments, so only run indices
 * travel between them.
 *
 *     dq_sweep s;
 *     dq_sweep_init(&s);
 *     dq_sweep_add_grid(&s, "learning_rate=1e-3,5e-4", &err);
 *     dq_sweep_plan(&s, "0-9", &err);          // runs = points x seeds, point-major
 *     for (int i; (i = dq_sweep_next(&s)) >= 0;) { ... dq_sweep_finish(&s, i, ok, final, best); }
 *     dq_sweep_write_tables(&s, "DIR", &md, &err);
 *     dq_sweep_free(&s);
 */
#ifndef DEEPQ_SWEEP_H
#define DEEPQ_SWEEP_H

#include <stdio.h>

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { DQ_SWEEP_MAX_KEYS = 8, DQ_SWEEP_MAX_VALUES = 32, DQ_SWEEP_MAX_SEEDS = 1000 };

/* State of one run in the queue. */
typedef enum dq_sweep_state {
    DQ_SWEEP_TODO = 0, /* not handed out yet */
    DQ_SWEEP_RUNNING,  /* handed to a worker */
    DQ_SWEEP_DONE,     /* finished; final_eval / best_eval hold its results */
    DQ_SWEEP_FAILED,   /* the run exited with an error */
    DQ_SWEEP_STOPPED,  /* stopped early with its resume state saved (a rerun continues it) */
} dq_sweep_state;

/* One run: a grid point and a seed. */
typedef struct dq_sweep_run {
    int point;           /* index of the grid point, 0..n_points-1 */
    uint64_t seed;
    int64_t cost;        /* env steps still to do (the queue hands out the largest first) */
    dq_sweep_state state;
    double final_eval;   /* mean return of the final greedy evaluation (NaN: none) */
    double best_eval;    /* best mean return of the periodic evaluations (NaN: none) */
} dq_sweep_run;

/* A sweep: grid keys with their values, seeds, and the runs (points x seeds, point-major). */
typedef struct dq_sweep {
    int n_keys;
    char key[DQ_SWEEP_MAX_KEYS][64];
    int n_values[DQ_SWEEP_MAX_KEYS];
    char value[DQ_SWEEP_MAX_KEYS][DQ_SWEEP_MAX_VALUES][64];
    int n_points;        /* product of n_values (1 without a grid) */
    int n_seeds;
    uint64_t *seeds;     /* [n_seeds] */
    int n_runs;          /* n_points * n_seeds */
    dq_sweep_run *runs;  /* [n_runs]; run i = point i / n_seeds, seed seeds[i % n_seeds] */
} dq_sweep;

/* An empty sweep (no grid, no runs). */
DQ_API void dq_sweep_init(dq_sweep *s);
/* Free the seeds and runs (NULL-safe); s is empty afterwards. */
DQ_API void dq_sweep_free(dq_sweep *s);
/* Add one grid axis from "key=v1,v2,...". Call before dq_sweep_plan. */
DQ_API dq_status dq_sweep_add_grid(dq_sweep *s, const char *spec, dq_error *err);
/* Parse seeds like "0-9", "3", "0,2,5-7" (no duplicates) and create points x seeds runs. */
DQ_API dq_status dq_sweep_plan(dq_sweep *s, const char *seeds, dq_error *err);
/* Value of grid key k at point p. */
DQ_API const char *dq_sweep_value(const dq_sweep *s, int point, int k);
/* Folder name of a point: "key=v,key=v" ('/' in a value becomes '_'), or "base" without grid. */
DQ_API void dq_sweep_point_name(const dq_sweep *s, int point, char *buf, size_t cap);
/* Hand out the next run: the TODO run with the largest cost (lowest index on ties), marked
 * RUNNING; -1 when none is left. Largest first keeps long runs from finishing last alone. */
DQ_API int dq_sweep_next(dq_sweep *s);
/* Record the end of run i in state (DONE, FAILED or STOPPED) with its results (NaN: none). */
DQ_API void dq_sweep_finish(dq_sweep *s, int i, dq_sweep_state state, double final_eval,
                     double best_eval);
/* Mean and half width of the two-sided 95% Student t interval of x[n] (NaNs skipped; *n_used
 * gets the count); half width NaN with fewer than two values. */
DQ_API void dq_sweep_mean_ci(const double *x, int n, double *mean, double *ci95, int *n_used);
/* Write DIR/results.csv (one row per run), DIR/summary.csv (one row per point: n, final and
 * best mean and 95% CI) and DIR/results.md (both as Markdown tables, atomically); *markdown
 * (caller frees; may be NULL) gets the Markdown text. */
DQ_API dq_status dq_sweep_write_tables(const dq_sweep *s, const char *dir, char **markdown,
                                dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
