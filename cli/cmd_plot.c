/* cmd_plot.c — `deepq plot RUN_DIR... [--out DIR] [--window N] [--no-svg]`: training curves of
 * one or several runs as PNG and SVG (see deepq/plot.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "deepq/plot.h"

typedef struct plot_opts {
    dq_plot_def def;
    const char *out;
} plot_opts;

#define F(field) offsetof(plot_opts, field)
static const dq_cli_flag FLAGS[] = {
    {"--out", DQ_CLI_STR, F(out), 0, 0, NULL},
    {"--window", DQ_CLI_INT, F(def.window), 1, 1000000, NULL},
    {"--no-svg", DQ_CLI_UNSET, F(def.svg), 0, 0, NULL},
};
#undef F

int dq_cmd_plot(int argc, char **argv) {
    dq_cli_cmd cmd = {"plot",
                      "usage: deepq plot RUN_DIR... [--out DIR] [--window N] [--no-svg]\n"
                      "  training curves as PNG and SVG; several runs: their mean and 95% band\n"
                      "  --out DIR     where (default RUN_DIR/plots for one run, plots/ for several)\n"
                      "  --window N    episodes in the moving average\n",
                      FLAGS, sizeof FLAGS / sizeof *FLAGS, 1, 64};
    plot_opts o = {.def = dq_plot_def_default()};
    const char *dirs[64];
    int nd, rc0 = dq_cli_parse(&cmd, &o, argc, argv, dirs, &nd);
    if (rc0 != DQ_CLI_GO) return rc0;
    const char *out = o.out;
    dq_plot_def def = o.def;
    char outbuf[4096];
    if (!out) { /* one run: RUN_DIR/plots; several: plots/ in the current folder */
        if (nd == 1) snprintf(outbuf, sizeof outbuf, "%s/plots", dirs[0]);
        else snprintf(outbuf, sizeof outbuf, "plots");
        out = outbuf;
    }
    dq_error err = {0};
    int n = 0;
    if (dq_plot_runs(dirs, nd, out, &def, &n, &err) != DQ_OK)
        return dq_cli_die(1, "plot: %s", err.msg);
    printf("wrote %d files to %s/ (summary.png has every panel)\n", n, out);
    return 0;
}

int dq_cli_write_plots(const char *run_dir) {
    char out[4096];
    snprintf(out, sizeof out, "%s/plots", run_dir);
    dq_plot_def def = dq_plot_def_default();
    dq_error err = {0};
    int n = 0;
    if (dq_plot_runs(&run_dir, 1, out, &def, &n, &err) != DQ_OK) {
        fprintf(stderr, "deepq: warning: no plots: %s\n", err.msg);
        return 0;
    }
    printf("plots: %s/summary.png (and %d more files: deepq plot RUN_DIR... compares runs)\n", out,
           n - 1);
    return 0;
}
