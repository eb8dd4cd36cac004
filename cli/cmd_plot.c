/* cmd_plot.c — `deepq plot RUN_DIR... [--group NAME=DIR,DIR...]... [--out DIR] [--window N]
 * [--no-svg]`: training curves of one or several runs as PNG and SVG, runs grouped by their
 * env and preset or by --group (see deepq/plot.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "deepq/plot.h"
#include "deepq/render.h"

typedef struct plot_opts {
    dq_plot_def def;
    const char *out;
    int n;                   /* runs named by --group */
    const char *dirs[64];
    const char *groups[64];  /* their group names */
    char *owned[64];         /* the --group values, split in place */
    int n_owned;
} plot_opts;

/* --group NAME=DIR,DIR,...: these runs form one group of that name. */
static dq_status add_group(void *opts, const char *v, dq_error *err) {
    plot_opts *o = opts;
    const char *eq = strchr(v, '=');
    if (!eq || eq == v || !eq[1]) return dq_fail(err, DQ_EINVAL, "--group needs NAME=DIR[,DIR...]");
    if (o->n_owned == 64) return dq_fail(err, DQ_EINVAL, "at most 64 --group options");
    char *c = strdup(v), *save = NULL;
    if (!c) return dq_fail(err, DQ_ENOMEM, "out of memory");
    o->owned[o->n_owned++] = c;
    c[eq - v] = '\0';
    for (char *d = strtok_r(c + (eq - v) + 1, ",", &save); d; d = strtok_r(NULL, ",", &save)) {
        if (o->n == 64) return dq_fail(err, DQ_EINVAL, "at most 64 run folders");
        o->groups[o->n] = c, o->dirs[o->n++] = d;
    }
    return DQ_OK;
}

static void opts_free(plot_opts *o) {
    for (int i = 0; i < o->n_owned; i++) free(o->owned[i]);
}

#define F(field) offsetof(plot_opts, field)
static const dq_cli_flag FLAGS[] = {
    {"--out", DQ_CLI_STR, F(out), 0, 0, NULL},
    {"--window", DQ_CLI_INT, F(def.window), 1, 1000000, NULL},
    {"--no-svg", DQ_CLI_UNSET, F(def.svg), 0, 0, NULL},
    {"--group", DQ_CLI_FN, 0, 0, 0, add_group},
};
#undef F

int dq_cmd_plot(int argc, char **argv) {
    dq_cli_cmd cmd = {"plot",
                      "usage: deepq plot RUN_DIR... [--group NAME=DIR,DIR...]... [--out DIR]\n"
                      "                  [--window N] [--no-svg]\n"
                      "  training curves as PNG and SVG; several runs: the mean and 95% band of\n"
                      "  each group (same env and preset, from each run's config.yml)\n"
                      "  --group NAME=DIR,DIR  these runs form group NAME (repeatable)\n"
                      "  --out DIR     where (default RUN_DIR/plots for one run, plots/ for several)\n"
                      "  --window N    episodes in the moving average\n",
                      FLAGS, sizeof FLAGS / sizeof *FLAGS, 0, 64};
    plot_opts o = {.def = dq_plot_def_default()};
    const char *pos[64];
    int np, rc0 = dq_cli_parse(&cmd, &o, argc, argv, pos, &np);
    if (rc0 != DQ_CLI_GO) return opts_free(&o), rc0;
    const char *dirs[128], *groups[128];
    int nd = 0;
    for (int i = 0; i < o.n; i++) groups[nd] = o.groups[i], dirs[nd++] = o.dirs[i];
    for (int i = 0; i < np; i++) groups[nd] = NULL, dirs[nd++] = pos[i];
    if (nd == 0 || nd > 64) {
        opts_free(&o);
        return dq_cli_die(2, nd ? "plot: at most 64 run folders" : "%s", cmd.usage);
    }
    const char *out = o.out;
    dq_plot_def def = o.def;
    char outbuf[4096];
    if (!out) { /* one run: RUN_DIR/plots; several: plots/ in the current folder */
        int k = nd == 1 ? snprintf(outbuf, sizeof outbuf, "%s/plots", dirs[0])
                        : snprintf(outbuf, sizeof outbuf, "plots");
        if (k < 0 || (size_t)k >= sizeof outbuf) {
            opts_free(&o);
            return dq_cli_die(2, "plot: run folder path too long");
        }
        out = outbuf;
    }
    dq_error err = {0};
    int n = 0;
    if (dq_plot_runs_grouped(dirs, groups, nd, out, &def, &n, &err) != DQ_OK) {
        opts_free(&o);
        return dq_cli_die(1, "plot: %s", err.msg);
    }
    printf("wrote %d files to %s/ (summary.png has every panel)\n", n, out);
    if (nd > 1) { /* say which runs were averaged together */
        char names[64][128];
        int count[64] = {0}, ng = 0;
        for (int i = 0; i < nd; i++) {
            char g[128];
            if (groups[i]) snprintf(g, sizeof g, "%s", groups[i]);
            else dq_plot_run_group(dirs[i], g, sizeof g);
            int k = 0;
            while (k < ng && strcmp(names[k], g)) k++;
            if (k == ng) snprintf(names[ng++], sizeof names[0], "%s", g);
            count[k]++;
        }
        printf("%d group%s:", ng, ng > 1 ? "s" : "");
        for (int k = 0; k < ng; k++)
            printf("%s %s (%d run%s)", k ? "," : "", names[k], count[k], count[k] > 1 ? "s" : "");
        printf("\n");
    }
    opts_free(&o);
    return 0;
}

int dq_cli_write_plots(const char *run_dir) {
    char out[4096];
    int k = snprintf(out, sizeof out, "%s/plots", run_dir);
    if (k < 0 || (size_t)k >= sizeof out)
        return fprintf(stderr, "deepq: warning: no plots: path too long\n"), 0;
    dq_plot_def def = dq_plot_def_default();
    dq_error err = {0};
    int n = 0;
    if (dq_viz_available(&err)) /* a -DDQ_VIZ=OFF build: expected there, so no warning */
        return printf("plots: none (%s)\n", err.msg), 0;
    if (dq_plot_runs(&run_dir, 1, out, &def, &n, &err) != DQ_OK) {
        fprintf(stderr, "deepq: warning: no plots: %s\n", err.msg);
        return 0;
    }
    printf("plots: %s/summary.png (and %d more files: deepq plot RUN_DIR... compares runs)\n", out,
           n - 1);
    return 0;
}
