/* plot.c — `deepq plot`: load run folders' CSV logs and draw their training curves (see
 * deepq/plot.h). Data handling (moving averages, trend lines, resampling several runs onto one
 * step grid, mean and 95% confidence band) is here; drawing is chart.c. */
#include "deepq/plot.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/fsio.h"
#include "viz/chart.h"
#include "viz/plot_agg.h"

/* ---- one CSV table: numeric columns by name (non-numeric cells read as NaN) ---------------- */

#define TAB_MAX_COLS 32

typedef struct table {
    int n_cols, n_rows;
    char names[TAB_MAX_COLS][48];
    double *cols[TAB_MAX_COLS]; /* [n_rows] each */
} table;

static void table_free(table *t) {
    for (int c = 0; c < t->n_cols; c++) free(t->cols[c]);
    memset(t, 0, sizeof *t);
}

static const double *table_col(const table *t, const char *name) {
    for (int c = 0; c < t->n_cols; c++)
        if (!strcmp(t->names[c], name)) return t->cols[c];
    return NULL;
}

/* Read path into t. DQ_ENOTFOUND when the file does not exist (t left empty). */
static dq_status table_read(table *t, const char *path, dq_error *err) {
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT) return DQ_ENOTFOUND;
        return dq_fail(err, DQ_EIO, "cannot open %s: %s", path, strerror(errno));
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int cap_rows = 0;
    dq_status st = DQ_OK;
    int lineno = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (len == 0) continue;
        if (t->n_cols == 0) { /* header */
            char *save = NULL;
            for (char *tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                if (t->n_cols == TAB_MAX_COLS) break;
                snprintf(t->names[t->n_cols++], sizeof t->names[0], "%s", tok);
            }
            if (t->n_cols == 0) {
                st = dq_fail(err, DQ_EFORMAT, "%s: empty header line", path);
                break;
            }
            continue;
        }
        if (t->n_rows == cap_rows) {
            cap_rows = cap_rows ? 2 * cap_rows : 1024;
            for (int c = 0; c < t->n_cols; c++) {
                double *p = realloc(t->cols[c], (size_t)cap_rows * sizeof(double));
                if (!p) {
                    st = dq_fail(err, DQ_ENOMEM, "out of memory reading %s", path);
                    goto done;
                }
                t->cols[c] = p;
            }
        }
        int c = 0;
        char *p = line;
        for (; c < t->n_cols; c++) {
            char *end = strchr(p, ',');
            if (end) *end = '\0';
            char *q;
            double v = strtod(p, &q);
            t->cols[c][t->n_rows] = (q != p && *q == '\0') ? v : NAN;
            if (!end) {
                c++;
                break;
            }
            p = end + 1;
        }
        if (c != t->n_cols) {
            st = dq_fail(err, DQ_EFORMAT, "%s:%d: %d fields, the header has %d", path, lineno, c,
                         t->n_cols);
            break;
        }
        t->n_rows++;
    }
done:
    free(line);
    fclose(f);
    if (st != DQ_OK) table_free(t);
    return st;
}

/* ---- a run folder ----------------------------------------------------------------------- */

typedef struct run {
    char name[128];
    char group[128];  /* runs of one group are aggregated together (see run_group) */
    int gi;           /* index of the group in fig_ctx.groups */
    table ep, ev, pr;
    int n_ep, n_ev, n_pr;
    const double *ep_ret, *ep_len, *ep_steps, *ep_eps;
    double *ep_idx, *ep_ma, *len_ma, *ep_cum; /* owned [n_ep] */
    const double *ev_step, *ev_mean, *ev_std;
    const double *pr_step, *pr_eps, *pr_loss, *pr_q;
} run;

static void run_free(run *r) {
    table_free(&r->ep), table_free(&r->ev), table_free(&r->pr);
    free(r->ep_idx), free(r->ep_ma), free(r->len_ma), free(r->ep_cum);
}

/* Trailing moving average over `w` values (fewer at the start, as pandas rolling(min_periods=1)). */
static void moving_avg(double *out, const double *v, int n, int w) {
    double s = 0;
    int cnt = 0;
    for (int i = 0; i < n; i++) {
        if (isfinite(v[i])) s += v[i], cnt++;
        if (i >= w && isfinite(v[i - w])) s -= v[i - w], cnt--;
        out[i] = cnt ? s / cnt : NAN;
    }
}

/* dir/name into buf; false with err set (nothing cut silently) when it does not fit. */
static bool join(char *buf, size_t cap, const char *dir, const char *name, dq_error *err) {
    int n = snprintf(buf, cap, "%s/%s", dir, name);
    if (n >= 0 && (size_t)n < cap) return true;
    dq_fail(err, DQ_EINVAL, "plot: path %s/%s is too long", dir, name);
    return false;
}

static dq_status run_load(run *r, const char *dir, int window, dq_error *err) {
    memset(r, 0, sizeof *r);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    size_t tl = strlen(tmp);
    while (tl > 1 && tmp[tl - 1] == '/') tmp[--tl] = '\0'; /* "runs/a/" names "a" */
    const char *base = strrchr(tmp, '/');
    const char *nm = base ? base + 1 : tmp;
    size_t nl = strlen(nm) < sizeof r->name - 1 ? strlen(nm) : sizeof r->name - 1;
    memcpy(r->name, nm, nl);
    r->name[nl] = '\0';
    char path[4096];
    dq_status st;
    if (!join(path, sizeof path, dir, "episodes.csv", err)) return DQ_EINVAL;
    if ((st = table_read(&r->ep, path, err)) != DQ_OK) {
        if (st == DQ_ENOTFOUND) dq_fail(err, st, "%s: no episodes.csv (is it a run folder?)", dir);
        return st;
    }
    dq_plot_run_group(dir, r->group, sizeof r->group);
    r->n_ep = r->ep.n_rows;
    r->ep_ret = table_col(&r->ep, "return");
    if (!r->ep_ret) r->ep_ret = table_col(&r->ep, "r"); /* SB3 Monitor files */
    r->ep_len = table_col(&r->ep, "length");
    if (!r->ep_len) r->ep_len = table_col(&r->ep, "l");
    r->ep_steps = table_col(&r->ep, "total_steps");
    r->ep_eps = table_col(&r->ep, "epsilon");
    if (!r->ep_ret && r->n_ep > 0) return dq_fail(err, DQ_EFORMAT, "%s: no 'return' column", path);
    if (!r->ep_ret) r->n_ep = 0; /* no episode finished yet (header only, or an empty file) */
    r->ep_idx = malloc((size_t)(r->n_ep + 1) * sizeof(double));
    r->ep_ma = malloc((size_t)(r->n_ep + 1) * sizeof(double));
    r->len_ma = malloc((size_t)(r->n_ep + 1) * sizeof(double));
    if (!r->ep_idx || !r->ep_ma || !r->len_ma) return dq_fail(err, DQ_ENOMEM, "out of memory");
    for (int i = 0; i < r->n_ep; i++) r->ep_idx[i] = i + 1;
    moving_avg(r->ep_ma, r->ep_ret, r->n_ep, window);
    if (r->ep_len) moving_avg(r->len_ma, r->ep_len, r->n_ep, window);
    if (!r->ep_steps && r->ep_len) { /* no total_steps column: cumulate the lengths */
        if (!(r->ep_cum = malloc((size_t)(r->n_ep + 1) * sizeof(double))))
            return dq_fail(err, DQ_ENOMEM, "out of memory");
        double t = 0;
        for (int i = 0; i < r->n_ep; i++) r->ep_cum[i] = t += isfinite(r->ep_len[i]) ? r->ep_len[i] : 0;
        r->ep_steps = r->ep_cum;
    }

    if (!join(path, sizeof path, dir, "evals.csv", err)) return DQ_EINVAL;
    st = table_read(&r->ev, path, err);
    if (st != DQ_OK && st != DQ_ENOTFOUND) return st;
    r->n_ev = r->ev.n_rows;
    r->ev_step = table_col(&r->ev, "step");
    r->ev_mean = table_col(&r->ev, "mean");
    r->ev_std = table_col(&r->ev, "std");
    if (!r->ev_step || !r->ev_mean) r->n_ev = 0;

    if (!join(path, sizeof path, dir, "progress.csv", err)) return DQ_EINVAL;
    st = table_read(&r->pr, path, err);
    if (st != DQ_OK && st != DQ_ENOTFOUND) return st;
    r->n_pr = r->pr.n_rows;
    r->pr_step = table_col(&r->pr, "step");
    r->pr_eps = table_col(&r->pr, "epsilon");
    r->pr_loss = table_col(&r->pr, "loss");
    r->pr_q = table_col(&r->pr, "q_mean");
    if (!r->pr_step) r->n_pr = 0;
    return DQ_OK;
}

/* ---- aggregation over runs -------------------------------------------------------------- */

/* Two-sided 95% Student t quantile for df degrees of freedom. */
static double t95(int df) {
    static const double T[] = {0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                               2.262, 2.228,  2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110,
                               2.101, 2.093,  2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
                               2.052, 2.048,  2.045, 2.042};
    if (df < 1) return NAN;
    return df <= 30 ? T[df] : 1.96 + 2.4 / df;
}

/* Value of the piecewise-linear curve (x[n] ascending, NaNs skipped) at q; NaN outside. */
static double interp(const double *x, const double *y, int n, double q) {
    int lo = -1;
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) continue;
        if (x[i] == q) return y[i];
        if (x[i] < q) lo = i;
        else {
            if (lo < 0) return NAN;
            double t = (q - x[lo]) / (x[i] - x[lo]);
            return y[lo] + t * (y[i] - y[lo]);
        }
    }
    return NAN;
}

/* Scratch allocations of one figure, freed together. */
typedef struct scratch {
    void *p[64];
    int n;
} scratch;

static double *sc_alloc(scratch *s, int n) {
    if (s->n == 64) return NULL;
    double *p = calloc((size_t)(n > 0 ? n : 1), sizeof(double));
    if (p) s->p[s->n++] = p;
    return p;
}

static void sc_free(scratch *s) {
    for (int i = 0; i < s->n; i++) free(s->p[i]);
    s->n = 0;
}

int dq_plot_aggregate(const curve *cv, int nr, int g, double *gx, double *mean, double *lo,
                      double *hi, double *cnt) {
    double a = INFINITY, b = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (int r = 0; r < nr; r++)
        for (int i = 0; i < cv[r].n; i++)
            if (isfinite(cv[r].x[i]) && isfinite(cv[r].y[i])) {
                a = fmin(a, cv[r].x[i]), b = fmax(b, cv[r].x[i]);
                ylo = fmin(ylo, cv[r].y[i]), yhi = fmax(yhi, cv[r].y[i]);
            }
    if (!(b >= a) || g < 1) return 0;
    if (b == a) g = 1;
    for (int i = 0; i < g; i++) {
        double q = g > 1 ? a + (b - a) * i / (g - 1) : a;
        double s = 0, s2 = 0;
        int k = 0;
        for (int r = 0; r < nr; r++) {
            double v = interp(cv[r].x, cv[r].y, cv[r].n, q);
            if (isfinite(v)) s += v, s2 += v * v, k++;
        }
        gx[i] = q;
        double m = k ? s / k : NAN;
        double sd = k > 1 ? sqrt(fmax(0, (s2 - k * m * m) / (k - 1))) : 0;
        double h = k > 1 ? t95(k - 1) * sd / sqrt(k) : NAN;
        mean[i] = m, cnt[i] = k;
        lo[i] = k > 1 ? fmax(m - h, ylo) : NAN, hi[i] = k > 1 ? fmin(m + h, yhi) : NAN;
    }
    return g;
}

/* dq_plot_aggregate into arrays of sc. */
static int aggregate(scratch *sc, const curve *cv, int nr, int g, double **gx, double **mean,
                     double **lo, double **hi, double **cnt) {
    *gx = sc_alloc(sc, g), *mean = sc_alloc(sc, g), *lo = sc_alloc(sc, g), *hi = sc_alloc(sc, g);
    *cnt = sc_alloc(sc, g);
    if (!*gx || !*mean || !*lo || !*hi || !*cnt) return 0;
    return dq_plot_aggregate(cv, nr, g, *gx, *mean, *lo, *hi, *cnt);
}

/* ---- figures ---------------------------------------------------------------------------- */

typedef enum fig_kind {
    FIG_REWARD, FIG_HIST, FIG_MA, FIG_LEN, FIG_EVAL, FIG_EPS, FIG_LOSS, FIG_Q, FIG_COUNT
} fig_kind;

static const char *FIG_FILE[FIG_COUNT] = {"reward", "reward_hist", "reward_ma", "length_ma",
                                          "eval",   "epsilon",     "loss",      "q_mean"};

#define PLOT_MAX_RUNS 64

typedef struct fig_ctx {
    const run *runs;
    int nr;
    int ng;                               /* groups; run r belongs to runs[r].gi */
    char groups[PLOT_MAX_RUNS][128];
    int group_runs[PLOT_MAX_RUNS];        /* runs per group */
    const dq_plot_def *def;
    char note[160], lab[4][96];
    char glab[PLOT_MAX_RUNS][160];        /* legend text per group */
} fig_ctx;

/* Least-squares line through (x, y); returns false with fewer than 2 finite points. */
static bool trend(const double *x, const double *y, int n, double *slope, double *icpt) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i]))
            sx += x[i], sy += y[i], sxx += x[i] * x[i], sxy += x[i] * y[i], k++;
    double d = k * sxx - sx * sx;
    if (k < 2 || d == 0) return false;
    *slope = (k * sxy - sx * sy) / d;
    *icpt = (sy - *slope * sx) / k;
    return true;
}

/* The step axis of a run's episodes: total_steps, or the episode index when absent. */
static const double *ep_xaxis(const run *r) { return r->ep_steps ? r->ep_steps : r->ep_idx; }

/* Mean and band of one group's curves cv[n] in palette colour ci: thick where every run of the
 * group has data (their common range), thin beyond it where only some do. */
static void add_group(ch_chart *c, scratch *sc, const curve *cv, int n, int ci, const char *label,
                      bool band) {
    double col[4], *gx, *m, *lo, *hi, *cnt;
    int g = aggregate(sc, cv, n, 300, &gx, &m, &lo, &hi, &cnt);
    if (g == 0) return;
    double *all = sc_alloc(sc, g), *part = sc_alloc(sc, g);
    if (!all || !part) return;
    for (int i = 0; i < g; i++) {
        /* a boundary point belongs to both lines, so they join */
        bool part_near = cnt[i] < n || (i > 0 && cnt[i - 1] < n) || (i + 1 < g && cnt[i + 1] < n);
        all[i] = cnt[i] == n ? m[i] : NAN;
        part[i] = part_near ? m[i] : NAN;
    }
    if (band && n > 1) {
        dq_chart_color(ci, 0.22, col);
        dq_chart_add(c, CH_BAND, NULL, gx, lo, hi, g, col);
    }
    dq_chart_color(ci, 1, col);
    ch_series *s = dq_chart_add(c, CH_LINE, label, gx, all, NULL, g, col);
    if (s) s->width = 2.2;
    s = dq_chart_add(c, CH_LINE, NULL, gx, part, NULL, g, col);
    if (s) s->width = 0.9;
}

/* Add "one line per run", or per group "mean + 95% band" (thin lines for its runs behind), of
 * per-run curves cv[nr] (cv[i] belongs to run idx[i]) to c. */
static void add_curves(ch_chart *c, scratch *sc, fig_ctx *fx, const curve *cv, const int *idx,
                       int nr, const char *single_label) {
    double col[4];
    if (nr == 1 && fx->ng == 1) {
        dq_chart_color(0, 1, col);
        dq_chart_add(c, CH_LINE, single_label, cv[0].x, cv[0].y, NULL, cv[0].n, col);
        return;
    }
    /* the thin run lines only when the legend series of every group still fit */
    if (nr + 3 * fx->ng <= CH_MAX_SERIES)
        for (int r = 0; r < nr; r++) {
            dq_chart_color(fx->ng > 1 ? fx->runs[idx[r]].gi : 7, 0.25, col);
            ch_series *s = dq_chart_add(c, CH_LINE, NULL, cv[r].x, cv[r].y, NULL, cv[r].n, col);
            if (s) s->width = 0.8;
        }
    for (int gi = 0; gi < fx->ng; gi++) {
        curve gc[PLOT_MAX_RUNS];
        int n = 0;
        for (int r = 0; r < nr; r++)
            if (fx->runs[idx[r]].gi == gi) gc[n++] = cv[r];
        if (n == 0) continue;
        if (fx->ng == 1) snprintf(fx->glab[gi], sizeof fx->glab[gi], "mean of %d runs, 95%% band", n);
        else snprintf(fx->glab[gi], sizeof fx->glab[gi], "%s (%d run%s)", fx->groups[gi], n,
                      n > 1 ? "s" : "");
        add_group(c, sc, gc, n, gi % 10, fx->glab[gi], true);
    }
}

/* Build chart `k` into c (arrays in sc). Returns false when no run has the data. */
static bool fig_build(fig_kind k, ch_chart *c, scratch *sc, fig_ctx *fx) {
    const run *R = fx->runs;
    int nr = fx->nr;
    memset(c, 0, sizeof *c);
    double col[4];
    curve cv[64];
    int idx[64], nc = 0;
    const char *xsteps = R[0].ep_steps ? "environment steps" : "episode";
    switch (k) {
    case FIG_REWARD: {
        c->title = "Reward per episode";
        c->xlabel = "episode", c->ylabel = "episode reward";
        const double *x, *y;
        int n;
        if (nr == 1) {
            x = R[0].ep_idx, y = R[0].ep_ret, n = R[0].n_ep;
            dq_chart_color(0, 0.45, col);
            ch_series *s = dq_chart_add(c, CH_LINE, NULL, x, y, NULL, n, col);
            if (s) s->width = 0.9;
            dq_chart_color(0, 0.9, col);
            s = dq_chart_add(c, CH_POINTS, "reward", x, y, NULL, n, col);
            if (s) s->width = n > 2000 ? 1.0 : 1.8;
        } else {
            curve cv2[PLOT_MAX_RUNS];
            int idx[PLOT_MAX_RUNS], m = 0;
            for (int r = 0; r < nr; r++)
                if (R[r].n_ep > 0) idx[m] = r, cv2[m++] = (curve){R[r].ep_idx, R[r].ep_ret, R[r].n_ep};
            add_curves(c, sc, fx, cv2, idx, m, "reward");
            return c->n > 0; /* no single trend line over several runs */
        }
        double a, b;
        if (n > 0 && trend(x, y, n, &a, &b)) {
            double *tx = sc_alloc(sc, 2), *ty = sc_alloc(sc, 2);
            if (!tx || !ty) return false;
            tx[0] = x[0], tx[1] = x[n - 1];
            ty[0] = a * tx[0] + b, ty[1] = a * tx[1] + b;
            dq_chart_color(3, 1, col);
            ch_series *s = dq_chart_add(c, CH_LINE, "linear trend", tx, ty, NULL, 2, col);
            if (s) s->width = 2.4, s->dashed = true;
            snprintf(fx->note, sizeof fx->note, "trend: %+.4g reward per episode over %d episodes",
                     a, n);
            c->note = fx->note;
        }
        return n > 0;
    }
    case FIG_HIST: {
        c->title = "Histogram of episode rewards";
        c->xlabel = "episode reward", c->ylabel = "episodes";
        c->y_from_zero = true;
        double lo = INFINITY, hi = -INFINITY, s = 0, s2 = 0;
        int cnt = 0;
        for (int r = 0; r < nr; r++)
            for (int i = 0; i < R[r].n_ep; i++) {
                double v = R[r].ep_ret[i];
                if (!isfinite(v)) continue;
                lo = fmin(lo, v), hi = fmax(hi, v), s += v, s2 += v * v, cnt++;
            }
        if (cnt == 0) return false;
        if (hi - lo < 1e-9) lo -= 0.5, hi += 0.5;
        int nb = fx->def->bins > 0 ? fx->def->bins : 30;
        double *l = sc_alloc(sc, nb), *rr = sc_alloc(sc, nb), *h = sc_alloc(sc, nb);
        if (!l || !rr || !h) return false;
        for (int b = 0; b < nb; b++) l[b] = lo + (hi - lo) * b / nb, rr[b] = lo + (hi - lo) * (b + 1) / nb;
        for (int r = 0; r < nr; r++)
            for (int i = 0; i < R[r].n_ep; i++) {
                double v = R[r].ep_ret[i];
                if (!isfinite(v)) continue;
                int b = (int)((v - lo) / (hi - lo) * nb);
                h[b < 0 ? 0 : b >= nb ? nb - 1 : b] += 1;
            }
        double mean = s / cnt, sd = cnt > 1 ? sqrt(fmax(0, (s2 - cnt * mean * mean) / (cnt - 1))) : 0;
        if (fx->ng > 1) { /* one translucent histogram per group, never one merged count */
            for (int gi = 0; gi < fx->ng && gi < 16; gi++) {
                double *hg = sc_alloc(sc, nb);
                if (!hg) return false;
                int ng_ep = 0;
                for (int r = 0; r < nr; r++)
                    for (int i = 0; i < R[r].n_ep && R[r].gi == gi; i++) {
                        double v = R[r].ep_ret[i];
                        if (!isfinite(v)) continue;
                        int b = (int)((v - lo) / (hi - lo) * nb);
                        hg[b < 0 ? 0 : b >= nb ? nb - 1 : b] += 1, ng_ep++;
                    }
                snprintf(fx->glab[gi], sizeof fx->glab[gi], "%s (%d episodes)", fx->groups[gi],
                         ng_ep);
                dq_chart_color(gi % 10, 0.45, col);
                dq_chart_add(c, CH_BARS, fx->glab[gi], l, hg, rr, nb, col);
            }
            c->note = NULL;
            return true;
        }
        dq_chart_color(0, 0.75, col);
        snprintf(fx->lab[0], sizeof fx->lab[0], nr > 1 ? "%d episodes of %d runs" : "%d episodes",
                 cnt, nr);
        dq_chart_add(c, CH_BARS, fx->lab[0], l, h, rr, nb, col);
        double *mx = sc_alloc(sc, 2), *my = sc_alloc(sc, 2);
        if (!mx || !my) return false;
        double hmax = 0;
        for (int b = 0; b < nb; b++) hmax = fmax(hmax, h[b]);
        mx[0] = mx[1] = mean, my[0] = 0, my[1] = hmax;
        dq_chart_color(3, 1, col);
        ch_series *ms = dq_chart_add(c, CH_LINE, "mean", mx, my, NULL, 2, col);
        if (ms) ms->dashed = true, ms->width = 2;
        snprintf(fx->note, sizeof fx->note, "mean %.4g, std %.4g, min %.4g, max %.4g", mean, sd,
                 lo, hi);
        c->note = fx->note;
        return true;
    }
    case FIG_MA:
    case FIG_LEN: {
        bool len = k == FIG_LEN;
        snprintf(fx->lab[1], sizeof fx->lab[1], "%s, moving average over %d episodes",
                 len ? "Episode length" : "Episode reward", fx->def->window);
        c->title = fx->lab[1];
        c->xlabel = xsteps, c->ylabel = len ? "episode length (steps)" : "episode reward";
        for (int r = 0; r < nr && nc < 64; r++) {
            if ((len && !R[r].ep_len) || R[r].n_ep == 0) continue;
            idx[nc] = r;
            cv[nc++] = (curve){ep_xaxis(&R[r]), len ? R[r].len_ma : R[r].ep_ma, R[r].n_ep};
        }
        if (nc == 0) return false;
        add_curves(c, sc, fx, cv, idx, nc, len ? "mean length" : "mean reward");
        return c->n > 0;
    }
    case FIG_EVAL: {
        c->title = "Evaluation reward (greedy policy)";
        c->xlabel = "environment steps", c->ylabel = "mean episode reward";
        for (int r = 0; r < nr && nc < 64; r++)
            if (R[r].n_ev > 0) idx[nc] = r, cv[nc++] = (curve){R[r].ev_step, R[r].ev_mean, R[r].n_ev};
        if (nc == 0) return false;
        if (nc == 1 && fx->ng == 1) {
            const run *q = NULL;
            for (int r = 0; r < nr; r++)
                if (R[r].n_ev > 0) q = &R[r];
            if (q->ev_std) {
                double *lo = sc_alloc(sc, q->n_ev), *hi = sc_alloc(sc, q->n_ev);
                if (!lo || !hi) return false;
                for (int i = 0; i < q->n_ev; i++)
                    lo[i] = q->ev_mean[i] - q->ev_std[i], hi[i] = q->ev_mean[i] + q->ev_std[i];
                dq_chart_color(0, 0.22, col);
                dq_chart_add(c, CH_BAND, "mean \xc2\xb1 std", q->ev_step, lo, hi, q->n_ev, col);
            }
            dq_chart_color(0, 1, col);
            ch_series *s = dq_chart_add(c, CH_LINE, "mean", q->ev_step, q->ev_mean, NULL, q->n_ev, col);
            if (s) s->width = 2;
            dq_chart_color(0, 1, col);
            s = dq_chart_add(c, CH_POINTS, NULL, q->ev_step, q->ev_mean, NULL, q->n_ev, col);
            if (s) s->width = 3;
        } else {
            add_curves(c, sc, fx, cv, idx, nc, "mean");
        }
        return c->n > 0;
    }
    case FIG_EPS:
    case FIG_LOSS:
    case FIG_Q: {
        c->title = k == FIG_EPS ? "Exploration rate (epsilon)" : k == FIG_LOSS ? "TD loss" : "Mean Q-value of the batch";
        c->xlabel = "environment steps";
        c->ylabel = k == FIG_EPS ? "epsilon" : k == FIG_LOSS ? "loss" : "mean Q";
        if (k == FIG_EPS) c->y_from_zero = true;
        for (int r = 0; r < nr && nc < 64; r++) {
            const double *y = k == FIG_EPS ? R[r].pr_eps : k == FIG_LOSS ? R[r].pr_loss : R[r].pr_q;
            if (R[r].n_pr > 0 && y) idx[nc] = r, cv[nc++] = (curve){R[r].pr_step, y, R[r].n_pr};
            else if (k == FIG_EPS && R[r].ep_eps && R[r].ep_steps && R[r].n_ep > 0)
                idx[nc] = r, cv[nc++] = (curve){R[r].ep_steps, R[r].ep_eps, R[r].n_ep};
        }
        if (nc == 0) return false;
        add_curves(c, sc, fx, cv, idx, nc, c->ylabel);
        return c->n > 0;
    }
    default: return false;
    }
}

/* cairo writes through this into a dq_atomic_file, so a figure is replaced whole or not at all. */
static cairo_status_t to_atomic(void *f, const unsigned char *data, unsigned int len) {
    FILE *fp = dq_atomic_stream(f);
    return fwrite(data, 1, len, fp) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static dq_status write_png(cairo_surface_t *s, const char *path, dq_error *err) {
    dq_atomic_file *f;
    dq_status st = dq_atomic_open(&f, path, err);
    if (st) return st;
    cairo_status_t cs = cairo_surface_write_to_png_stream(s, to_atomic, f);
    if (cs != CAIRO_STATUS_SUCCESS) {
        dq_atomic_abort(f);
        return dq_fail(err, DQ_EIO, "cannot write %s: %s", path, cairo_status_to_string(cs));
    }
    return dq_atomic_commit(f, err);
}

/* Chart c as an SVG file at path, written atomically. */
static dq_status write_svg(const ch_chart *c, int w, int h, const char *path, dq_error *err) {
    dq_atomic_file *f;
    dq_status st = dq_atomic_open(&f, path, err);
    if (st) return st;
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_atomic, f, w, h);
    cairo_t *cr = cairo_create(s);
    dq_chart_draw(cr, 0, 0, w, h, c);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (cs != CAIRO_STATUS_SUCCESS) {
        dq_atomic_abort(f);
        return dq_fail(err, DQ_EIO, "cannot write %s: %s", path, cairo_status_to_string(cs));
    }
    return dq_atomic_commit(f, err);
}

dq_status dq_plot_runs(const char *const *run_dirs, int n_runs, const char *out_dir,
                       const dq_plot_def *def, int *n_written, dq_error *err) {
    return dq_plot_runs_grouped(run_dirs, NULL, n_runs, out_dir, def, n_written, err);
}

dq_status dq_plot_runs_grouped(const char *const *run_dirs, const char *const *groups, int n_runs,
                               const char *out_dir, const dq_plot_def *def_in, int *n_written,
                               dq_error *err) {
    dq_plot_def def = def_in ? *def_in : dq_plot_def_default();
    if (n_written) *n_written = 0;
    if (n_runs < 1 || !run_dirs || !out_dir)
        return dq_fail(err, DQ_EINVAL, "plot: need at least one run folder and an output folder");
    if (n_runs > PLOT_MAX_RUNS)
        return dq_fail(err, DQ_EINVAL, "plot: at most %d runs (got %d)", PLOT_MAX_RUNS, n_runs);
    if (def.width < 200 || def.height < 150 || def.window < 1)
        return dq_fail(err, DQ_EINVAL, "plot: figure size must be >= 200x150 and window >= 1");
    run *runs = calloc((size_t)n_runs, sizeof *runs);
    if (!runs) return dq_fail(err, DQ_ENOMEM, "out of memory");
    dq_status st = DQ_OK;
    int nr = 0;
    for (int i = 0; i < n_runs; i++) {
        if ((st = run_load(&runs[nr], run_dirs[i], def.window, err)) != DQ_OK) {
            run_free(&runs[nr]);
            goto out;
        }
        if (groups && groups[i] && groups[i][0])
            snprintf(runs[nr].group, sizeof runs[nr].group, "%s", groups[i]);
        nr++;
    }
    fig_ctx *fxg = calloc(1, sizeof *fxg);
    if (!fxg) {
        st = dq_fail(err, DQ_ENOMEM, "out of memory");
        goto out;
    }
    int eps_total = 0;
    for (int i = 0; i < nr; i++) { /* groups in order of first appearance */
        int gi = 0;
        while (gi < fxg->ng && strcmp(fxg->groups[gi], runs[i].group)) gi++;
        if (gi == fxg->ng) snprintf(fxg->groups[fxg->ng++], sizeof fxg->groups[0], "%s", runs[i].group);
        runs[i].gi = gi;
        fxg->group_runs[gi]++;
        eps_total += runs[i].n_ep;
    }
    if (eps_total == 0 && !(runs[0].n_ev > 0 || runs[0].n_pr > 0)) {
        st = dq_fail(err, DQ_ENOTFOUND, "%s: no episode has finished yet, nothing to plot",
                     run_dirs[0]);
        free(fxg);
        goto out;
    }
    if ((st = dq_mkdir_p(out_dir, err)) != DQ_OK) {
        free(fxg);
        goto out;
    }

    fig_ctx fx = *fxg;
    free(fxg);
    fx.runs = runs, fx.nr = nr, fx.def = &def;
    int written = 0;
    char path[4096];
    ch_chart *ch = calloc(FIG_COUNT, sizeof *ch);
    fig_ctx *fxs = calloc(FIG_COUNT, sizeof *fxs);
    scratch *scs = calloc(FIG_COUNT, sizeof *scs);
    bool have[FIG_COUNT] = {0};
    if (!ch || !fxs || !scs) {
        st = dq_fail(err, DQ_ENOMEM, "out of memory");
        goto figs_out;
    }
    for (int k = 0; k < FIG_COUNT; k++) {
        fxs[k] = fx;
        have[k] = fig_build((fig_kind)k, &ch[k], &scs[k], &fxs[k]);
        if (!have[k]) continue;
        if (def.png) {
            cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, def.width, def.height);
            cairo_t *cr = cairo_create(s);
            dq_chart_draw(cr, 0, 0, def.width, def.height, &ch[k]);
            cairo_destroy(cr);
            char fn[32];
            snprintf(fn, sizeof fn, "%s.png", FIG_FILE[k]);
            if (!join(path, sizeof path, out_dir, fn, err)) {
                cairo_surface_destroy(s);
                st = DQ_EINVAL;
                goto figs_out;
            }
            st = write_png(s, path, err);
            cairo_surface_destroy(s);
            if (st != DQ_OK) goto figs_out;
            written++;
        }
        if (def.svg) {
            char fn[32];
            snprintf(fn, sizeof fn, "%s.svg", FIG_FILE[k]);
            if (!join(path, sizeof path, out_dir, fn, err)) {
                st = DQ_EINVAL;
                goto figs_out;
            }
            if ((st = write_svg(&ch[k], def.width, def.height, path, err)) != DQ_OK) goto figs_out;
            written++;
        }
    }
    if (def.summary) {
        int np = 0;
        for (int k = 0; k < FIG_COUNT; k++) np += have[k];
        int cols = np > 4 ? 4 : np > 0 ? np : 1, rows = (np + cols - 1) / cols;
        int pw = 560, ph = 380, head = 44;
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cols * pw, rows * ph + head);
        cairo_t *cr = cairo_create(s);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
        cairo_set_font_size(cr, 18);
        char title[512];
        if (nr == 1) snprintf(title, sizeof title, "Training run %s", runs[0].name);
        else if (fx.ng == 1)
            snprintf(title, sizeof title, "%d runs of %s (%s, ...): mean and 95%% confidence band",
                     nr, fx.groups[0], runs[0].name);
        else
            snprintf(title, sizeof title, "%d runs in %d groups (%s; %s%s): mean and 95%% band per "
                     "group", nr, fx.ng, fx.groups[0], fx.groups[1], fx.ng > 2 ? "; ..." : "");
        cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
        cairo_move_to(cr, 16, 30);
        cairo_show_text(cr, title);
        int p = 0;
        for (int k = 0; k < FIG_COUNT; k++) {
            if (!have[k]) continue;
            dq_chart_draw(cr, (p % cols) * pw, head + (p / cols) * ph, pw, ph, &ch[k]);
            p++;
        }
        cairo_destroy(cr);
        st = join(path, sizeof path, out_dir, "summary.png", err) ? write_png(s, path, err)
                                                                  : DQ_EINVAL;
        cairo_surface_destroy(s);
        if (st != DQ_OK) goto figs_out;
        written++;
    }
    if (n_written) *n_written = written;
figs_out:
    if (scs)
        for (int k = 0; k < FIG_COUNT; k++) sc_free(&scs[k]);
    free(ch), free(fxs), free(scs);
out:
    for (int i = 0; i < nr; i++) run_free(&runs[i]);
    free(runs);
    return st;
}
