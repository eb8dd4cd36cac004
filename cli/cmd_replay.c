/* cmd_replay.c — `deepq replay FILE...`: replay Gymnasium golden recordings (the
 * ../shared/golden schema, any path) through deepq's envs and report how closely they agree.
 * Exit 0 only when every file is within its env's tolerance (deepq/golden.h, src/replay/). */
#include <stdio.h>
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

int dq_cmd_replay(int argc, char **argv) {
    bool all_drift = false;
    const char *flavour = NULL; /* NULL: find the NumPy/CPU flavour of each file */
    int files = 0, passed = 0, first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (!strcmp(argv[first], "--drift")) all_drift = true;
        else if (!strcmp(argv[first], "--flavour") && first + 1 < argc) flavour = argv[++first];
        else return dq_cli_die(2, "replay: unknown flag '%s' (usage: deepq replay [--drift] "
                               "[--flavour K=V,...] FILE...)", argv[first]);
    }
    if (first >= argc)
        return dq_cli_die(2, "replay: no files (usage: deepq replay [--drift] [--flavour "
                          "K=V,...] FILE...)");
    if (flavour) {
        dq_kwargs kw;
        dq_error err;
        if (dq_kwargs_parse(&kw, flavour, &err)) return dq_cli_die(2, "replay: --flavour: %s", err.msg);
    }
    for (int i = first; i < argc; i++) {
        dq_golden_report r;
        dq_error err;
        dq_error_clear(&err);
        files++;
        dq_status s = dq_golden_replay(argv[i], flavour, &r, &err);
        if (s) {
            printf("%s: ERROR %s\n", argv[i], err.msg);
            dq_golden_report_free(&r);
            continue;
        }
        if (r.tabular) {
            printf("%s: %s transition table, %lld transitions, max |err| prob %.3g reward %.3g "
                   "-> %s\n", argv[i], r.env_id, (long long)r.tab_entries, r.err_state,
                   r.err_reward, r.pass ? "PASS" : "FAIL");
        } else {
            printf("%s: %s, %d episodes, %lld steps (%lld judged), max |err| obs %.3g state %.3g "
                   "reward %.3g (tolerance obs %.0e state %.0e reward %.0e) -> %s\n",
                   argv[i], r.env_id, r.episodes, (long long)r.steps, (long long)r.judged_steps,
                   r.err_obs, r.err_state, r.err_reward, r.tol.obs, r.tol.state, r.tol.reward,
                   r.pass ? "PASS" : "FAIL");
            if (r.seeded_resets > 0)
                printf("  reset(seed) alone: %d episodes, max |obs err| %.3g\n", r.seeded_resets,
                       r.err_seed_obs);
            if (r.math[0])
                printf("  flavour: %s%s%s\n", r.math, r.flavour[0] ? ", options " : "",
                       r.flavour);
            if (r.tol.contact_obs >= 0 || all_drift) print_drift(&r, all_drift);
        }
        if (r.first_bad_episode >= 0)
            printf("  first disagreement: episode %d %s%lld: %s (%lld in all)\n",
                   r.first_bad_episode, r.first_bad_step == 0 ? "reset " : "step ",
                   (long long)r.first_bad_step, r.first_bad_what, (long long)r.mismatches);
        passed += r.pass;
        dq_golden_report_free(&r);
    }
    printf("replay: %d file%s, %d within tolerance, %d not\n", files, files == 1 ? "" : "s",
           passed, files - passed);
    return passed == files ? 0 : 1;
}
