/* cmd_replay.c — `deepq replay FILE...`: replay Gymnasium golden recordings (the
 * ../shared/golden schema, any path) through deepq's envs and report how closely they agree.
 * Exit 0 only when every file is within its env's tolerance (deepq/golden.h, src/replay/). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "deepq/golden.h"

static void print_drift(const dq_golden_report *r, bool all) {
    static const int64_t MARKS[] = {0, 1, 2, 5, 10, 15, 20, 50, 100, 200, 500, 1000};
    printf("  drift (max |obs error| over episodes, by step):");
    for (int64_t k = 0; k < r->n_drift; k++) {
        bool mark = all;
        for (size_t i = 0; !mark && i < sizeof MARKS / sizeof MARKS[0]; i++) mark = MARKS[i] == k;
        if (mark && r->drift[k] >= 0) printf(" %lld:%.2g", (long long)k, r->drift[k]);
    }
    int64_t over = -1;
    for (int64_t k = 0; k < r->n_drift && over < 0; k++)
        if (r->drift[k] > r->tol.obs) over = k;
    if (over >= 0) printf("\n  first step over %.0e: %lld", r->tol.obs, (long long)over);
    printf("\n");
}

enum { MAX_FILES = 4096 };
typedef struct replay_opts {
    bool all_drift;
    const char *flavour; /* NULL: find the NumPy/CPU flavour of each file */
} replay_opts;

static dq_status check_flavour(void *o, const char *v, dq_error *err) {
    dq_kwargs kw;
    dq_status s = dq_kwargs_parse(&kw, v, err);
    if (!s) ((replay_opts *)o)->flavour = v;
    return s;
}

static const dq_cli_flag FLAGS[] = {
    {"--drift", DQ_CLI_SET, offsetof(replay_opts, all_drift), 0, 0, NULL},
    {"--flavour", DQ_CLI_FN, 0, 0, 0, check_flavour},
};

int dq_cmd_replay(int argc, char **argv) {
    dq_cli_cmd cmd = {"replay",
                      "usage: deepq replay [--drift] [--flavour K=V,...] FILE...\n"
                      "  replay Gymnasium golden recordings through deepq's envs; exit 0 when every\n"
                      "  file is within its env's tolerance (--drift: per-step drift of every file)\n"
                      "  --flavour math=svml,numpy=1.24  options added where an env takes them (the\n"
                      "  NumPy/CPU a recording came from); default: found per file and printed\n",
                      FLAGS, 2, 1, MAX_FILES};
    replay_opts o = {0};
    int files = 0, passed = 0, n_pos;
    const char **pos = malloc(MAX_FILES * sizeof *pos);
    if (!pos) return dq_cli_die(1, "replay: out of memory");
    int rc0 = dq_cli_parse(&cmd, &o, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) {
        free(pos);
        return rc0;
    }
    for (int f = 0; f < n_pos; f++) {
        const char *path = pos[f];
        dq_golden_report r;
        dq_error err;
        dq_error_clear(&err);
        files++;
        dq_status s = dq_golden_replay(path, o.flavour, &r, &err);
        if (s) {
            printf("%s: ERROR %s\n", path, err.msg);
            dq_golden_report_free(&r);
            continue;
        }
        if (r.tabular) {
            printf("%s: %s transition table, %lld transitions, max |err| prob %.3g reward %.3g "
                   "-> %s\n", path, r.env_id, (long long)r.tab_entries, r.err_state,
                   r.err_reward, r.pass ? "PASS" : "FAIL");
        } else {
            printf("%s: %s, %d episodes, %lld steps (%lld judged), max |err| obs %.3g state %.3g "
                   "reward %.3g (tolerance obs %.0e state %.0e reward %.0e) -> %s\n",
                   path, r.env_id, r.episodes, (long long)r.steps, (long long)r.judged_steps,
                   r.err_obs, r.err_state, r.err_reward, r.tol.obs, r.tol.state, r.tol.reward,
                   r.pass ? "PASS" : "FAIL");
            if (r.seeded_resets > 0)
                printf("  reset(seed) alone: %d episodes, max |obs err| %.3g\n", r.seeded_resets,
                       r.err_seed_obs);
            if (r.math[0])
                printf("  flavour: %s%s%s\n", r.math, r.flavour[0] ? ", options " : "",
                       r.flavour);
            if (r.tol.contact_obs >= 0 || o.all_drift) print_drift(&r, o.all_drift);
        }
        if (r.first_bad_episode >= 0)
            printf("  first disagreement: episode %d %s%lld: %s (%lld in all)\n",
                   r.first_bad_episode, r.first_bad_step == 0 ? "reset " : "step ",
                   (long long)r.first_bad_step, r.first_bad_what, (long long)r.mismatches);
        passed += r.pass;
        dq_golden_report_free(&r);
    }
    free(pos);
    printf("replay: %d file%s, %d within tolerance, %d not\n", files, files == 1 ? "" : "s",
           passed, files - passed);
    return passed == files ? 0 : 1;
}
