/* plot_agg.h — internal: how `deepq plot` aggregates several runs' curves (plot.c), exposed
 * for tests/test_plot.c. */
#ifndef DQ_VIZ_PLOT_AGG_H
#define DQ_VIZ_PLOT_AGG_H

/* One run's curve: n points (x ascending; NaN points are skipped). */
typedef struct curve {
    const double *x, *y;
    int n;
} curve;

/* The curves cv[nr] on a grid of g points over the union of their x ranges: gx[g] the grid,
 * mean[g] the mean of the runs that reach each point, lo/hi[g] its 95% confidence band
 * (Student t over those runs; NaN where fewer than 2 do) clipped to the range of the data's own
 * y values, cnt[g] how many runs reach it. Returns the grid size used (1 when all x are equal,
 * 0 when there is no finite point). */
int dq_plot_aggregate(const curve *cv, int nr, int g, double *gx /*[g]*/, double *mean /*[g]*/,
                      double *lo /*[g]*/, double *hi /*[g]*/, double *cnt /*[g]*/);

#endif
