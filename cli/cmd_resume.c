/* cmd_resume.c — `deepq resume RUN_DIR`: reload config.yml and resume.safetensors (weights,
 * target, optimizer moments, counters, random streams, replay buffer), cut the logs back to
 * where that state was saved, and continue so the result equals an uninterrupted run. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "dqn_run.h"

static const char *USAGE =
    "usage: deepq resume RUN_DIR [--episode-table] [--no-wall-time] [--final-episodes N]\n"
    "                    [--stop-at STEP]\n";

typedef struct resume_opts {
    bool table, no_wall_time;
    int64_t final_eps, stop_at; /* final_eps -1: as the interrupted run */
} resume_opts;

#define F(field) offsetof(resume_opts, field)
static const dq_cli_flag FLAGS[] = {
    {"--episode-table", DQ_CLI_SET, F(table), 0, 0, NULL},
    {"--no-wall-time", DQ_CLI_SET, F(no_wall_time), 0, 0, NULL},
    {"--final-episodes", DQ_CLI_I64, F(final_eps), 0, 1000000, NULL},
    {"--stop-at", DQ_CLI_I64, F(stop_at), 0, 9.0e15, NULL},
};
#undef F

int dq_cmd_resume(int argc, char **argv) {
    dq_cli_cmd cmd = {"resume", USAGE, FLAGS, sizeof FLAGS / sizeof *FLAGS, 1, 1};
    resume_opts o = {.final_eps = -1};
    const char *pos[1];
    int n_pos, rc0 = dq_cli_parse(&cmd, &o, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) return rc0;
    const char *dir = pos[0];
    bool table = o.table, no_wall_time = o.no_wall_time;
    long long final_eps = o.final_eps, stop_at = o.stop_at;
    if (strlen(dir) >= sizeof((dq_run *)0)->dir)
        return dq_cli_die(1, "resume: run folder path is %zu bytes long; the limit is %zu",
                          strlen(dir), sizeof((dq_run *)0)->dir - 1);
    char p[600];
    struct stat sb;
    snprintf(p, sizeof p, "%s/final.safetensors", dir);
    if (stat(p, &sb) == 0) return dq_cli_die(1, "%s is complete (final.safetensors exists)", dir);
    snprintf(p, sizeof p, "%s/config.yml", dir);
    { /* a continuous-action run (config.yml names its algo) goes to cmd_cont.c */
        FILE *cf = fopen(p, "r");
        char line[256];
        bool cont = false;
        while (cf && fgets(line, sizeof line, cf))
            cont |= !strncmp(line, "algo: ", 6) && strncmp(line, "algo: dqn", 9);
        if (cf) fclose(cf);
        if (cont) return dq_cmd_resume_cont(dir, final_eps, stop_at, no_wall_time);
    }
    dq_run r;
    memset(&r, 0, sizeof r);
    dq_error err;
    dq_run_config_default(&r.cfg);
    snprintf(p, sizeof p, "%s/config.yml", dir);
    dq_status st = dq_config_apply_file(&r.cfg, p, r.cfg.env_id, &err);
    if (st) return dq_cli_die(1, "%s", err.msg);
    if ((st = dq_run_set_dir(&r, dir, &err))) return dq_cli_die(1, "%s", err.msg);
    r.episode_table = table;
    r.no_wall_time = no_wall_time;
    r.final_episodes = (int)final_eps;
    r.stop_at = stop_at;
    if ((st = dq_run_build(&r, &err))) goto fail;
    snprintf(p, sizeof p, "%s/resume.safetensors", dir);
    if (stat(p, &sb) != 0) {
        st = dq_fail(&err, DQ_ENOTFOUND, "%s has no resume state yet (one is saved every %d steps "
                     "at an episode end); start it again with deepq train --out %s --force",
                     dir, DQ_RUN_STATE_EVERY, dir);
        goto fail;
    }
    dq_safetensors *meta;
    if ((st = dq_dqn_load_state(r.ag, r.env, p, &meta, &err))) goto fail;
    /* Cut every log back to the saved point, then append. */
    static const char *files[] = {"train.log", "episodes.csv", "evals.csv", "progress.csv"};
    for (int i = 0; i < 4; i++) {
        const char *v = dq_safetensors_meta(meta, files[i]);
        char f[600];
        snprintf(f, sizeof f, "%s/%s", dir, files[i]);
        if (v && atoll(v) >= 0 && truncate(f, (off_t)atoll(v)) != 0) {
            dq_safetensors_free(meta);
            st = dq_fail(&err, DQ_EIO, "cannot cut %s back to the saved state", f);
            goto fail;
        }
    }
    /* TensorBoard events after the saved point are cut as well (a missing file is harmless:
     * the resumed run writes a new events file beside it). */
    const char *tbf = dq_safetensors_meta(meta, "tb_file"), *tbs = dq_safetensors_meta(meta, "tb_size");
    if (tbf && tbs && atoll(tbs) > 0 && !strchr(tbf, '/')) {
        char f[700];
        snprintf(f, sizeof f, "%s/tb/%s", dir, tbf);
        struct stat tsb;
        if (stat(f, &tsb) == 0 && truncate(f, (off_t)atoll(tbs)) != 0) {
            dq_safetensors_free(meta);
            st = dq_fail(&err, DQ_EIO, "cannot cut %s back to the saved state", f);
            goto fail;
        }
    }
    const char *best = dq_safetensors_meta(meta, "best_eval");
    if (best && strcmp(best, "-inf")) {
        r.best_eval = strtod(best, NULL);
        r.have_best = true;
    }
    const char *fe = dq_safetensors_meta(meta, "final_episodes");
    if (final_eps < 0) r.final_episodes = fe ? atoi(fe) : 100;
    const char *el = dq_safetensors_meta(meta, "elapsed_s");
    r.t_offset = el ? strtod(el, NULL) : 0;
    dq_safetensors_free(meta);
    if ((st = dq_run_open_logs(&r, true, &err))) goto fail;
    dq_run_say(&r, "deepq %s: resuming %s at step %lld of %lld (episode %lld)\n", DQ_VERSION, dir,
               (long long)dq_dqn_steps(r.ag), (long long)r.cfg.dqn.n_timesteps,
               (long long)dq_dqn_episodes(r.ag));
    st = dq_run_learn(&r, &err);
fail:
    dq_run_free(&r); /* closes (flushes) the CSV logs the plots read */
    if (st) return dq_cli_die(1, "%s", err.msg);
    int rc = dq_cli_write_plots(dir);
    /* stopped by Ctrl-C or SIGTERM (state saved): 130 or 143, so `train && eval` stops too */
    int sig = dq_cli_interrupted();
    return sig ? dq_cli_interrupt_status(sig) : rc;
}
