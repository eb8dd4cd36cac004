/* cmd_plot.c — `deepq plot RUN_DIR... [--group NAME=DIR,DIR...]... [--out DIR] [--window N]
 * [--no-svg]`: training curves of one or several runs as PNG and SVG, runs grouped by their
 * env and preset or by --group (see deepq/plot.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "deepq/plot.h"

int dq_cmd_plot(int argc, char **argv) {
    const char *dirs[64], *groups[64];
    char *owned[64]; /* --group values split in place */
    int nd = 0, n_owned = 0;
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
        else if (!strcmp(a, "--group") && i + 1 < argc) { /* NAME=DIR,DIR,... */
            if (n_owned == 64) return dq_cli_die(2, "plot: at most 64 --group options");
            char *v = strdup(argv[++i]), *eq = v ? strchr(v, '=') : NULL, *save = NULL;
            if (!eq || eq == v || !eq[1]) {
                free(v);
                return dq_cli_die(2, "plot: --group needs NAME=DIR[,DIR...]");
            }
            *eq = '\0';
            owned[n_owned++] = v;
            for (char *d = strtok_r(eq + 1, ",", &save); d; d = strtok_r(NULL, ",", &save)) {
                if (nd == 64) return dq_cli_die(2, "plot: at most 64 run folders");
                groups[nd] = v, dirs[nd++] = d;
            }
        } else if (a[0] == '-' && a[1]) return dq_cli_die(2, "plot: unknown option '%s'", a);
        else if (nd == 64) return dq_cli_die(2, "plot: at most 64 run folders");
        else groups[nd] = NULL, dirs[nd++] = a;
    }
    if (nd == 0)
        return dq_cli_die(2, "usage: deepq plot RUN_DIR... [--group NAME=DIR,DIR...]... [--out DIR] "
                             "[--window N] [--no-svg]");
    char outbuf[4096];
    if (!out) { /* one run: RUN_DIR/plots; several: plots/ in the current folder */
        int k = nd == 1 ? snprintf(outbuf, sizeof outbuf, "%s/plots", dirs[0])
                        : snprintf(outbuf, sizeof outbuf, "plots");
        if (k < 0 || (size_t)k >= sizeof outbuf) return dq_cli_die(2, "plot: run folder path too long");
        out = outbuf;
    }
    dq_error err = {0};
    int n = 0;
    dq_status st = dq_plot_runs_grouped(dirs, groups, nd, out, &def, &n, &err);
    if (st != DQ_OK) {
        for (int i = 0; i < n_owned; i++) free(owned[i]);
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
    for (int i = 0; i < n_owned; i++) free(owned[i]);
    return 0;
}

int dq_cli_write_plots(const char *run_dir) {
    char out[4096];
    int k = snprintf(out, sizeof out, "%s/plots", run_dir);
    if (k < 0 || (size_t)k >= sizeof out) return fprintf(stderr, "deepq: warning: no plots: path too long\n"), 0;
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
