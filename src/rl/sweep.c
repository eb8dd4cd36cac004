/* sweep.c — the plan, work queue and result tables of a sweep (see deepq/sweep.h). Nothing here
 * starts processes or talks MPI; it is the part every rank shares. */
#include "deepq/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/fsio.h"

void dq_sweep_init(dq_sweep *s) {
    memset(s, 0, sizeof *s);
    s->n_points = 1;
}

void dq_sweep_free(dq_sweep *s) {
    if (!s) return;
    free(s->seeds);
    free(s->runs);
    dq_sweep_init(s);
}

dq_status dq_sweep_add_grid(dq_sweep *s, const char *spec, dq_error *err) {
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return dq_fail(err, DQ_EINVAL, "--grid needs key=v1,v2,..., got '%s'", spec);
    if (s->runs) return dq_fail(err, DQ_EINVAL, "grid axes must come before the plan");
    if (s->n_keys == DQ_SWEEP_MAX_KEYS)
        return dq_fail(err, DQ_EINVAL, "at most %d --grid keys", DQ_SWEEP_MAX_KEYS);
    size_t klen = (size_t)(eq - spec);
    if (klen >= sizeof s->key[0]) return dq_fail(err, DQ_EINVAL, "--grid key too long in '%s'", spec);
    int k = s->n_keys;
    for (int j = 0; j < k; j++)
        if (strlen(s->key[j]) == klen && !strncmp(s->key[j], spec, klen))
            return dq_fail(err, DQ_EINVAL, "--grid key '%.*s' given twice", (int)klen, spec);
    memcpy(s->key[k], spec, klen);
    s->key[k][klen] = 0;
    int n = 0;
    for (const char *p = eq + 1;;) {
        const char *c = p; /* the next comma outside brackets: net_arch=[64, 64],[256] */
        for (int depth = 0; *c && (*c != ',' || depth > 0); c++)
            depth += (*c == '[') - (*c == ']');
        if (!*c) c = NULL;
        if (!c && (strchr(p, '[') != NULL) != (strchr(p, ']') != NULL))
            return dq_fail(err, DQ_EINVAL, "--grid '%s': unbalanced [ ]", spec);
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == 0) return dq_fail(err, DQ_EINVAL, "--grid '%s' has an empty value", spec);
        if (len >= sizeof s->value[0][0])
            return dq_fail(err, DQ_EINVAL, "--grid value too long in '%s'", spec);
        if (n == DQ_SWEEP_MAX_VALUES)
            return dq_fail(err, DQ_EINVAL, "--grid '%s': at most %d values", s->key[k],
                           DQ_SWEEP_MAX_VALUES);
        memcpy(s->value[k][n], p, len);
        s->value[k][n][len] = 0;
        for (int j = 0; j < n; j++)
            if (!strcmp(s->value[k][j], s->value[k][n]))
                return dq_fail(err, DQ_EINVAL, "--grid '%s' lists '%s' twice", s->key[k],
                               s->value[k][n]);
        n++;
        if (!c) break;
        p = c + 1;
    }
    if ((int64_t)s->n_points * n > 100000)
        return dq_fail(err, DQ_EINVAL, "the grid has more than 100000 points");
    s->n_values[k] = n;
    s->n_points *= n;
    s->n_keys++;
    return DQ_OK;
}

static bool parse_u64(const char *p, const char *end, uint64_t *v) {
    if (p == end) return false;
    uint64_t x = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9' || x > (UINT64_MAX - 9) / 10) return false;
        x = 10 * x + (uint64_t)(*p - '0');
    }
    *v = x;
    return true;
}

dq_status dq_sweep_plan(dq_sweep *s, const char *spec, dq_error *err) {
    uint64_t seeds[DQ_SWEEP_MAX_SEEDS];
    int n = 0;
    for (const char *p = spec;;) {
        const char *c = strchr(p, ','), *end = c ? c : p + strlen(p);
        const char *dash = memchr(p, '-', (size_t)(end - p));
        uint64_t a, b;
        if (!(dash ? parse_u64(p, dash, &a) && parse_u64(dash + 1, end, &b) && a <= b
                   : parse_u64(p, end, &a) && (b = a, true)))
            return dq_fail(err, DQ_EINVAL, "--seeds: '%.*s' is not N or A-B (A <= B)",
                           (int)(end - p), p);
        for (uint64_t x = a;; x++) {
            if (n == DQ_SWEEP_MAX_SEEDS)
                return dq_fail(err, DQ_EINVAL, "--seeds: at most %d seeds", DQ_SWEEP_MAX_SEEDS);
            for (int j = 0; j < n; j++)
                if (seeds[j] == x)
                    return dq_fail(err, DQ_EINVAL, "--seeds lists seed %llu twice",
                                   (unsigned long long)x);
            seeds[n++] = x;
            if (x == b) break;
        }
        if (!c) break;
        p = c + 1;
    }
    free(s->seeds);
    free(s->runs);
    s->n_seeds = n;
    s->n_runs = s->n_points * n;
    s->seeds = malloc((size_t)n * sizeof *s->seeds);
    s->runs = calloc((size_t)s->n_runs, sizeof *s->runs);
    if (!s->seeds || !s->runs) {
        free(s->seeds), free(s->runs);
        s->seeds = NULL, s->runs = NULL, s->n_runs = s->n_seeds = 0;
        return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    memcpy(s->seeds, seeds, (size_t)n * sizeof *seeds);
    for (int i = 0; i < s->n_runs; i++) {
        dq_sweep_run *r = &s->runs[i];
        r->point = i / n;
        r->seed = seeds[i % n];
        r->state = DQ_SWEEP_TODO;
        r->final_eval = r->best_eval = NAN;
    }
    return DQ_OK;
}

/* Value index of key k at point p: the last key varies fastest. */
static int value_index(const dq_sweep *s, int point, int k) {
    for (int j = s->n_keys - 1; j > k; j--) point /= s->n_values[j];
    return point % s->n_values[k];
}

const char *dq_sweep_value(const dq_sweep *s, int point, int k) {
    return s->value[k][value_index(s, point, k)];
}

void dq_sweep_point_name(const dq_sweep *s, int point, char *buf, size_t cap) {
    if (!cap) return;
    buf[0] = 0;
    if (s->n_keys == 0) {
        snprintf(buf, cap, "base");
        return;
    }
    size_t len = 0;
    for (int k = 0; k < s->n_keys && len < cap; k++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s=%s", k ? "," : "", s->key[k],
                                dq_sweep_value(s, point, k));
    for (char *c = buf; *c; c++)
        if (*c == '/') *c = '_';
}

int dq_sweep_next(dq_sweep *s) {
    int best = -1;
    for (int i = 0; i < s->n_runs; i++)
        if (s->runs[i].state == DQ_SWEEP_TODO && (best < 0 || s->runs[i].cost > s->runs[best].cost))
            best = i;
    if (best >= 0) s->runs[best].state = DQ_SWEEP_RUNNING;
    return best;
}

void dq_sweep_finish(dq_sweep *s, int i, dq_sweep_state state, double final_eval,
                     double best_eval) {
    if (i < 0 || i >= s->n_runs) return;
    s->runs[i].state = state;
    s->runs[i].final_eval = final_eval;
    s->runs[i].best_eval = best_eval;
}

/* Two-sided 95% Student t quantile for df degrees of freedom (tables; 1.96 + 2.4/df beyond 30
 * is within 0.001 of the exact value). */
static double t95(int df) {
    static const double T[] = {0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                               2.262, 2.228,  2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110,
                               2.101, 2.093,  2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
                               2.052, 2.048,  2.045, 2.042};
    if (df < 1) return NAN;
    return df <= 30 ? T[df] : 1.96 + 2.4 / df;
}

void dq_sweep_mean_ci(const double *x, int n, double *mean, double *ci95, int *n_used) {
    double s = 0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i])) s += x[i], k++;
    double m = k ? s / k : NAN, v = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i])) v += (x[i] - m) * (x[i] - m);
    *mean = m;
    *ci95 = k >= 2 ? t95(k - 1) * sqrt(v / (k - 1)) / sqrt((double)k) : NAN;
    if (n_used) *n_used = k;
}

static const char *state_word(dq_sweep_state st) {
    switch (st) {
    case DQ_SWEEP_DONE: return "done";
    case DQ_SWEEP_FAILED: return "failed";
    case DQ_SWEEP_RUNNING: return "running";
    case DQ_SWEEP_STOPPED: return "stopped";
    default: return "todo";
    }
}

/* "%.2f" or "" for NaN (CSV) / "-" (Markdown). */
static void put_num(FILE *f, double x, bool md) {
    if (isnan(x)) fputs(md ? "-" : "", f);
    else fprintf(f, "%.2f", x);
}

static void put_mean_ci(FILE *f, double m, double ci) {
    if (isnan(m)) fputs("-", f);
    else if (isnan(ci)) fprintf(f, "%.2f", m);
    else fprintf(f, "%.2f ± %.2f", m, ci);
}

/* Per-point statistics over the point's DONE runs. */
static void point_stats(const dq_sweep *s, int p, double *fm, double *fc, double *bm, double *bc,
                        int *n) {
    double fin[DQ_SWEEP_MAX_SEEDS], best[DQ_SWEEP_MAX_SEEDS];
    for (int j = 0; j < s->n_seeds; j++) {
        const dq_sweep_run *r = &s->runs[p * s->n_seeds + j];
        fin[j] = r->state == DQ_SWEEP_DONE ? r->final_eval : NAN;
        best[j] = r->state == DQ_SWEEP_DONE ? r->best_eval : NAN;
    }
    int nb;
    dq_sweep_mean_ci(fin, s->n_seeds, fm, fc, n);
    dq_sweep_mean_ci(best, s->n_seeds, bm, bc, &nb);
}

static dq_status write_text(const char *dir, const char *name, char *text, size_t len,
                            dq_error *err) {
    char p[1200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return dq_write_file_atomic(p, text, len, err);
}

dq_status dq_sweep_write_tables(const dq_sweep *s, const char *dir, char **markdown,
                                dq_error *err) {
    char *csv = NULL, *sum = NULL, *md = NULL;
    size_t ncsv = 0, nsum = 0, nmd = 0;
    FILE *fc = open_memstream(&csv, &ncsv), *fs = open_memstream(&sum, &nsum),
         *fm = open_memstream(&md, &nmd);
    dq_status st = DQ_OK;
    if (!fc || !fs || !fm) {
        st = dq_fail(err, DQ_ENOMEM, "out of memory");
        goto done;
    }
    char name[1024];
    /* results.csv: one row per run. */
    fputs("point", fc);
    for (int k = 0; k < s->n_keys; k++) fprintf(fc, ",%s", s->key[k]);
    fputs(",seed,state,final_eval,best_eval\n", fc);
    for (int i = 0; i < s->n_runs; i++) {
        const dq_sweep_run *r = &s->runs[i];
        dq_sweep_point_name(s, r->point, name, sizeof name);
        fprintf(fc, "\"%s\"", name);
        for (int k = 0; k < s->n_keys; k++) fprintf(fc, ",%s", dq_sweep_value(s, r->point, k));
        fprintf(fc, ",%llu,%s,", (unsigned long long)r->seed, state_word(r->state));
        put_num(fc, r->final_eval, false);
        fputc(',', fc);
        put_num(fc, r->best_eval, false);
        fputc('\n', fc);
    }
    /* summary.csv and the Markdown tables: one row per point. */
    fputs("point", fs);
    for (int k = 0; k < s->n_keys; k++) fprintf(fs, ",%s", s->key[k]);
    fputs(",runs,final_mean,final_ci95,best_mean,best_ci95\n", fs);
    fputs("| point | runs | final eval (mean ± 95% CI) | best eval (mean ± 95% CI) |\n"
          "|---|---:|---:|---:|\n", fm);
    for (int p = 0; p < s->n_points; p++) {
        double fmean, fci, bmean, bci;
        int n;
        point_stats(s, p, &fmean, &fci, &bmean, &bci, &n);
        dq_sweep_point_name(s, p, name, sizeof name);
        fprintf(fs, "\"%s\"", name);
        for (int k = 0; k < s->n_keys; k++) fprintf(fs, ",%s", dq_sweep_value(s, p, k));
        fprintf(fs, ",%d,", n);
        put_num(fs, fmean, false), fputc(',', fs), put_num(fs, fci, false), fputc(',', fs);
        put_num(fs, bmean, false), fputc(',', fs), put_num(fs, bci, false), fputc('\n', fs);
        fprintf(fm, "| %s | %d/%d | ", name, n, s->n_seeds);
        put_mean_ci(fm, fmean, fci);
        fputs(" | ", fm);
        put_mean_ci(fm, bmean, bci);
        fputs(" |\n", fm);
    }
    fputs("\n| point | seed | state | final eval | best eval |\n|---|---:|---|---:|---:|\n", fm);
    for (int i = 0; i < s->n_runs; i++) {
        const dq_sweep_run *r = &s->runs[i];
        dq_sweep_point_name(s, r->point, name, sizeof name);
        fprintf(fm, "| %s | %llu | %s | ", name, (unsigned long long)r->seed, state_word(r->state));
        put_num(fm, r->final_eval, true);
        fputs(" | ", fm);
        put_num(fm, r->best_eval, true);
        fputs(" |\n", fm);
    }
done:
    if (fc) fclose(fc);
    if (fs) fclose(fs);
    if (fm) fclose(fm);
    if (!st) st = write_text(dir, "results.csv", csv, ncsv, err);
    if (!st) st = write_text(dir, "summary.csv", sum, nsum, err);
    if (!st) st = write_text(dir, "results.md", md, nmd, err);
    free(csv);
    free(sum);
    if (markdown && !st) *markdown = md;
    else free(md);
    return st;
}
