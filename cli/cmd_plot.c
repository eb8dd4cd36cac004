/* cmd_plot.c — `deepq plot RUN_DIR... [--out DIR] [--window N] [--no-svg]`: training curves of
 * one or several runs as PNG and SVG (see deepq/plot.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "deepq/plot.h"

int dq_cmd_plot(int argc, char **argv) {
    const char *dirs[64];
    int nd = 0;
    const char *out = NULL;
    dq_plot_def def = dq_plot_def_default();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--out") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(a, "--window") && i + 1 < argc) {
            char *end;
            long w = strtol(argv[++i], &end, 10);
            if (*end || w < 1) return dq_cli_die(2, "plot: --window needs a positive integer");
            def.window = (int)w;
        } else if (!strcmp(a, "--no-svg")) def.svg = false;
        else if (a[0] == '-' && a[1]) return dq_cli_die(2, "plot: unknown option '%s'", a);
        else if (nd == 64) return dq_cli_die(2, "plot: at most 64 run folders");
        else dirs[nd++] = a;
    }
    if (nd == 0) return dq_cli_die(2, "usage: deepq plot RUN_DIR... [--out DIR] [--window N] [--no-svg]");
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
