/* cmd_eval.c — `deepq eval RUN_DIR|CKPT [--episodes 100] [--epsilon 0] [--seed N] [--json]`:
 * rebuild the agent a checkpoint describes (its metadata holds env id, kwargs and the full
 * config), play episodes, print mean +- std, min, max and the fraction at or above the env's
 * reward_threshold (one JSON object with --json). A run folder means its final.safetensors
 * (else best.safetensors); see dq_run_load_checkpoint. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_rl.h"
#include "dqn_run.h"

static const char *USAGE =
    "usage: deepq eval RUN_DIR|CKPT [--episodes 100] [--epsilon 0] [--seed N] [--json]\n"
    "       deepq eval RUN_DIR|CKPT --q x1,x2,...   (print the Q-values of one observation)\n";

int dq_cmd_eval(int argc, char **argv) {
    const char *src = NULL, *qobs = NULL;
    long long episodes = 100, seed = 0;
    double eps = 0;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(USAGE, stdout);
            return 0;
        } else if (!strcmp(a, "--q") && i + 1 < argc) {
            qobs = argv[++i];
        } else if (!strcmp(a, "--json")) {
            json = true;
        } else if ((!strcmp(a, "--episodes") || !strcmp(a, "--seed") || !strcmp(a, "--epsilon")) &&
                   i + 1 < argc) {
            char *end;
            const char *v = argv[++i];
            errno = 0;
            if (!strcmp(a, "--epsilon")) {
                eps = strtod(v, &end);
                if (*end || !(eps >= 0 && eps <= 1))
                    return dq_cli_die(2, "--epsilon: '%s' is not in [0, 1]", v);
            } else {
                long long x = strtoll(v, &end, 10);
                if (*end || errno || x < 0) return dq_cli_die(2, "%s: '%s' is not a number", a, v);
                if (!strcmp(a, "--episodes")) episodes = x;
                else seed = x;
            }
        } else if (a[0] == '-' || src) {
            return dq_cli_die(2, "unexpected argument '%s'\n%s", a, USAGE);
        } else {
            src = a;
        }
    }
    if (!src) return dq_cli_die(2, "%s", USAGE);
    if (episodes < 1 || episodes > 1000000) return dq_cli_die(2, "--episodes must be 1..1000000");
    char path[600];
    { /* a continuous-action agent's checkpoint (or run folder) goes to cmd_cont.c */
        struct stat sb;
        bool dir = stat(src, &sb) == 0 && S_ISDIR(sb.st_mode);
        snprintf(path, sizeof path, dir ? "%s/final.safetensors" : "%s", src);
        dq_safetensors *f;
        if (dq_safetensors_load(&f, path, NULL) == DQ_OK) {
            const char *fmt = dq_safetensors_meta(f, "format");
            bool cont = fmt && !strcmp(fmt, "deepq-cont");
            dq_safetensors_free(f);
            if (cont) return dq_cmd_eval_cont(path, episodes, seed, json, qobs);
        }
    }
    dq_run r;
    if (!dq_run_load_checkpoint(&r, src, NULL, "eval", path, sizeof path)) return 1;
    dq_error err;
    dq_status st;
    if (qobs) { /* Q-values of one observation, as JSON (tools/load_checkpoint.py compares) */
        float obs[DQ_SPACE_MAX], q[4096];
        int n = 0, A = (int)r.env->act_space.n;
        const char *p = qobs;
        while (*p && n < DQ_SPACE_MAX) {
            char *end;
            obs[n++] = strtof(p, &end);
            if (end == p) break;
            p = *end == ',' ? end + 1 : end;
        }
        if (n != r.env->obs_space.size || *p || A > 4096) {
            dq_run_free(&r);
            return dq_cli_die(2, "--q needs %d comma-separated numbers", r.env->obs_space.size);
        }
        int a = dq_dqn_greedy(r.ag, obs, q);
        printf("{\"action\": %d, \"q\": [", a);
        for (int i = 0; i < A; i++) printf("%s%.9g", i ? ", " : "", (double)q[i]);
        printf("]}\n");
        dq_run_free(&r);
        return 0;
    }
    double *ret = malloc((size_t)episodes * sizeof *ret);
    int64_t *len = malloc((size_t)episodes * sizeof *len);
    dq_rng rng;
    dq_rng_seed(&rng, (uint64_t)seed ^ 0x5eedULL);
    st = ret && len ? dq_dqn_evaluate(r.ag, r.eval_env, (int)episodes, eps, &rng, seed, ret, len, &err)
                    : dq_fail(&err, DQ_ENOMEM, "out of memory");
    if (st) {
        free(ret);
        free(len);
        dq_run_free(&r);
        return dq_cli_die(1, "%s", err.msg);
    }
    dq_policy_stats ps = {.episodes = (int)episodes,
                          .reward_threshold = r.env->type->reward_threshold,
                          .frac_at_threshold = NAN};
    dq_run_moments(ret, (int)episodes, &ps.mean, &ps.std, &ps.min, &ps.max);
    double thr = ps.reward_threshold;
    int k = 0;
    for (int i = 0; i < episodes; i++) {
        k += !isnan(thr) && ret[i] >= thr;
        ps.mean_length += (double)len[i] / (double)episodes;
    }
    if (!isnan(thr)) ps.frac_at_threshold = (double)k / (double)episodes;
    if (json) {
        cJSON *o = cJSON_CreateObject();
        dq_cli_eval_members(o, &ps);
        cJSON_AddNumberToObject(o, "epsilon", eps);
        cJSON_AddNumberToObject(o, "seed", (double)seed);
        cJSON_AddStringToObject(o, "env", r.cfg.env_id);
        cJSON_AddStringToObject(o, "checkpoint", path);
        char *s = cJSON_PrintUnformatted(o);
        printf("%s\n", s);
        free(s);
        cJSON_Delete(o);
    } else {
        printf("%s, %s: %lld episodes, epsilon %g, seed %lld\n", r.cfg.env_id, path, episodes, eps,
               seed);
        printf("return %.2f +- %.2f, min %.2f, max %.2f, mean length %.1f", ps.mean, ps.std,
               ps.min, ps.max, ps.mean_length);
        if (!isnan(thr)) printf(", %.0f%% >= %g", 100.0 * k / (double)episodes, thr);
        printf("\n");
    }
    free(ret);
    free(len);
    dq_run_free(&r);
    return 0;
}
