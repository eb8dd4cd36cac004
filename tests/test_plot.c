/* test_plot.c — dq_plot_runs on synthetic run folders: every figure is written as PNG of the
 * asked size and SVG, is not blank, several runs aggregate, and bad folders/CSVs fail clearly. */
#include <cairo.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "deepq/plot.h"
#include "deepq/rng.h"
#include "viz/plot_agg.h"
#include "test.h"

/* Fontconfig (under cairo's text) keeps process-lifetime caches that LeakSanitizer reports. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig\n"; }

/* A fake run: rewards rising from -200 to 200 with noise, evals every 1000 steps. */
static void make_run(const char *dir, uint64_t seed, int n_ep) {
    mkdir(dir, 0777);
    char p[512];
    dq_rng r;
    dq_rng_seed(&r, seed);
    snprintf(p, sizeof p, "%s/episodes.csv", dir);
    FILE *f = fopen(p, "w");
    fprintf(f, "episode,length,return,status,total_steps,epsilon,time\n");
    long steps = 0;
    for (int i = 0; i < n_ep; i++) {
        int len = 50 + (int)(200 * dq_rng_uniform(&r));
        steps += len;
        double ret = -200 + 400.0 * i / n_ep + 60 * dq_rng_normal(&r);
        double eps = steps < 20000 ? 1 - 0.95 * steps / 20000.0 : 0.05;
        fprintf(f, "%d,%d,%.3f,%s,%ld,%.4f,%.2f\n", i + 1, len, ret, ret > 100 ? "Landed" : "Crashed",
                steps, eps, steps / 1000.0);
    }
    fclose(f);
    snprintf(p, sizeof p, "%s/evals.csv", dir);
    f = fopen(p, "w");
    fprintf(f, "step,mean,std,min,max,episodes\n");
    for (long s = 1000; s <= steps; s += 1000)
        fprintf(f, "%ld,%.3f,%.3f,-250,250,10\n", s, -150 + 300.0 * s / steps + 20 * dq_rng_normal(&r),
                30 + 10 * dq_rng_uniform(&r));
    fclose(f);
    snprintf(p, sizeof p, "%s/progress.csv", dir);
    f = fopen(p, "w");
    fprintf(f, "step,episodes,epsilon,loss,q_mean,q_max,td_abs,grad_norm,terminal_frac,"
               "ep_rew_mean,ep_len_mean,fps\n");
    for (long s = 500; s <= steps; s += 500)
        fprintf(f, "%ld,1,%.4f,%.4f,%.4f,1,1,1,0.01,0,0,1000\n", s,
                s < 20000 ? 1 - 0.95 * s / 20000.0 : 0.05, 2 + dq_rng_uniform(&r) + 5.0 * s / steps,
                10.0 * s / steps + dq_rng_normal(&r));
    fclose(f);
}

/* Fraction of pixels that are not (near) white, and whether both a dark and a coloured pixel
 * exist: axes/text and data were drawn. */
static void check_png(const char *path, int w, int h) {
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    CHECK_MSG(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS, "%s unreadable", path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return;
    }
    CHECK_MSG(cairo_image_surface_get_width(s) == w && cairo_image_surface_get_height(s) == h,
              "%s is %dx%d", path, cairo_image_surface_get_width(s), cairo_image_surface_get_height(s));
    cairo_surface_flush(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    long ink = 0, dark = 0, colour = 0;
    for (int y = 0; y < cairo_image_surface_get_height(s); y++)
        for (int x = 0; x < cairo_image_surface_get_width(s); x++) {
            const unsigned char *p = d + y * stride + 4 * x; /* B G R A (little endian) */
            int mx = p[0] > p[1] ? (p[0] > p[2] ? p[0] : p[2]) : (p[1] > p[2] ? p[1] : p[2]);
            int mn = p[0] < p[1] ? (p[0] < p[2] ? p[0] : p[2]) : (p[1] < p[2] ? p[1] : p[2]);
            if (mn < 230) ink++;
            if (mx < 60) dark++;
            if (mx - mn > 80) colour++;
        }
    double frac = (double)ink / (cairo_image_surface_get_width(s) * cairo_image_surface_get_height(s));
    CHECK_MSG(frac > 0.01 && frac < 0.6, "%s: ink fraction %.3f", path, frac);
    CHECK_MSG(dark > 200, "%s: %ld dark pixels (no axes/text?)", path, dark);
    CHECK_MSG(colour > 200, "%s: %ld coloured pixels (no data?)", path, colour);
    cairo_surface_destroy(s);
}

static long file_size(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

int main(void) {
    const char *figs[] = {"reward", "reward_hist", "reward_ma", "length_ma", "eval",
                          "epsilon", "loss", "q_mean"};
    mkdir("plot_tmp", 0777);
    make_run("plot_tmp/run_a", 1, 400);
    make_run("plot_tmp/run_b", 2, 380);
    make_run("plot_tmp/run_c", 3, 420);

    dq_error err = {0};
    dq_plot_def def = dq_plot_def_default();
    def.width = 640, def.height = 400;
    int n = 0;
    const char *one[] = {"plot_tmp/run_a/"};
    CHECK_OK(dq_plot_runs(one, 1, "plot_tmp/out1", &def, &n, &err));
    CHECK_MSG(n == 17, "wrote %d files (%s)", n, err.msg);
    char p[512];
    for (int i = 0; i < 8; i++) {
        snprintf(p, sizeof p, "plot_tmp/out1/%s.png", figs[i]);
        check_png(p, 640, 400);
        snprintf(p, sizeof p, "plot_tmp/out1/%s.svg", figs[i]);
        CHECK_MSG(file_size(p) > 2000, "%s size %ld", p, file_size(p));
    }
    check_png("plot_tmp/out1/summary.png", 4 * 560, 2 * 380 + 44);
    /* figures are saved atomically: no temp file is left beside them */
    {
        DIR *d = opendir("plot_tmp/out1");
        int temps = 0;
        for (struct dirent *e; d && (e = readdir(d));) temps += strstr(e->d_name, ".tmp-") != NULL;
        if (d) closedir(d);
        CHECK(temps == 0);
    }

    const char *three[] = {"plot_tmp/run_a", "plot_tmp/run_b", "plot_tmp/run_c"};
    def.svg = false;
    CHECK_OK(dq_plot_runs(three, 3, "plot_tmp/out3/nested", &def, &n, &err));
    CHECK(n == 9);
    for (int i = 0; i < 8; i++) {
        snprintf(p, sizeof p, "plot_tmp/out3/nested/%s.png", figs[i]);
        check_png(p, 640, 400);
    }

    /* a run with episodes only: the other figures are skipped, not failed */
    mkdir("plot_tmp/bare", 0777);
    FILE *f = fopen("plot_tmp/bare/episodes.csv", "w");
    fprintf(f, "episode,length,return\n1,10,10\n2,12,12\n3,9,9\n");
    fclose(f);
    const char *bare[] = {"plot_tmp/bare"};
    CHECK_OK(dq_plot_runs(bare, 1, "plot_tmp/out_bare", &def, &n, &err));
    CHECK_MSG(n == 5, "bare run wrote %d files", n); /* reward, hist, 2 moving averages, summary */

    /* errors */
    const char *missing[] = {"plot_tmp/nope"};
    CHECK(dq_plot_runs(missing, 1, "plot_tmp/x", &def, &n, &err) == DQ_ENOTFOUND);
    CHECK(strstr(err.msg, "episodes.csv") != NULL);
    mkdir("plot_tmp/bad", 0777);
    f = fopen("plot_tmp/bad/episodes.csv", "w");
    fprintf(f, "episode,length,return\n1,10\n");
    fclose(f);
    const char *bad[] = {"plot_tmp/bad"};
    CHECK(dq_plot_runs(bad, 1, "plot_tmp/x", &def, &n, &err) == DQ_EFORMAT);
    CHECK(strstr(err.msg, ":2:") != NULL);
    cairo_debug_reset_static_data();
    /* aggregation: the grid spans every run (not only the shortest), counts who reaches each
     * point, and the band stays inside the values the data takes */
    {
        double xa[11], ya[11], xb[6], yb[6];
        for (int i = 0; i <= 10; i++) xa[i] = i, ya[i] = 0.0;
        for (int i = 0; i <= 5; i++) xb[i] = i, yb[i] = 1.0;
        curve cv[2] = {{xa, ya, 11}, {xb, yb, 6}};
        double gx[21], m[21], lo[21], hi[21], cnt[21];
        CHECK(dq_plot_aggregate(cv, 2, 21, gx, m, lo, hi, cnt) == 21);
        CHECK(gx[0] == 0 && gx[20] == 10);
        CHECK(cnt[10] == 2 && cnt[11] == 1 && m[10] == 0.5 && m[20] == 0.0);
        int inside = 1;
        for (int i = 0; i <= 10; i++) inside &= lo[i] == 0.0 && hi[i] == 1.0; /* t95(1) ~ 12.7 */
        CHECK(inside);
        CHECK(isnan(lo[15]) && isnan(hi[15])); /* one run: no band */
    }

    /* groups: runs of different envs or presets are never averaged together */
    {
        f = fopen("plot_tmp/run_a/config.yml", "w");
        fprintf(f, "deepq_version: \"0.1.0\"\nenv: CartPole-v1\npreset: deepq\n");
        fclose(f);
        f = fopen("plot_tmp/run_b/config.yml", "w");
        fprintf(f, "env: Acrobot-v1\npreset: zoo\n");
        fclose(f);
        char g[128];
        dq_plot_run_group("plot_tmp/run_a", g, sizeof g);
        CHECK(!strcmp(g, "CartPole-v1 deepq"));
        dq_plot_run_group("plot_tmp/run_b", g, sizeof g);
        CHECK(!strcmp(g, "Acrobot-v1 zoo"));
        dq_plot_run_group("plot_tmp/run_c", g, sizeof g);
        CHECK(!strcmp(g, "runs"));
        CHECK_OK(dq_plot_runs(three, 3, "plot_tmp/out_groups", &def, &n, &err));
        CHECK(n == 9);
        const char *named[] = {"G1", "G1", "G2"};
        CHECK_OK(dq_plot_runs_grouped(three, named, 3, "plot_tmp/out_named", &def, &n, &err));
        check_png("plot_tmp/out_named/reward_ma.png", 640, 400);
    }

    /* no finished episode yet: an empty episodes.csv (or a header only) is not an error when
     * other logs exist */
    {
        mkdir("plot_tmp/young", 0777);
        f = fopen("plot_tmp/young/episodes.csv", "w");
        fclose(f);
        f = fopen("plot_tmp/young/progress.csv", "w");
        fprintf(f, "step,episodes,epsilon,loss\n100,0,0.9,\n200,0,0.8,\n");
        fclose(f);
        const char *young[] = {"plot_tmp/young"};
        dq_status st = dq_plot_runs(young, 1, "plot_tmp/out_young", &def, &n, &err);
        CHECK_MSG(st == DQ_OK && n >= 2, "status %d, %d files: %s", (int)st, n, err.msg);
        f = fopen("plot_tmp/young/episodes.csv", "w");
        fprintf(f, "episode,length,return,status,total_steps,epsilon,time\n");
        fclose(f);
        CHECK_OK(dq_plot_runs(young, 1, "plot_tmp/out_young", &def, &n, &err));
        const char *mixed[] = {"plot_tmp/young", "plot_tmp/run_a"};
        CHECK_OK(dq_plot_runs(mixed, 2, "plot_tmp/out_mixed", &def, &n, &err));
        remove("plot_tmp/young/progress.csv");
        st = dq_plot_runs(young, 1, "plot_tmp/out_young2", &def, &n, &err);
        CHECK_MSG(st == DQ_ENOTFOUND && strstr(err.msg, "no episode has finished"), "%s", err.msg);
    }
    TEST_MAIN_END();
}
