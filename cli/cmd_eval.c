/* cmd_eval.c — `deepq eval RUN_DIR|CKPT [--episodes 100] [--epsilon 0] [--seed N] [--json]`:
 * rebuild the agent a checkpoint describes (its metadata holds env id, kwargs and the full
 * config), play episodes, print mean +- std, min, max and the fraction at or above the env's
 * reward_threshold (one JSON object with --json). A run folder means its final.safetensors
 * (else best.safetensors); see dq_run_load_checkpoint. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
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

typedef struct eval_opts {
    const char *qobs;
    int64_t episodes, seed;
    double eps;
    bool json;
} eval_opts;

#define F(field) offsetof(eval_opts, field)
static const dq_cli_flag FLAGS[] = {
    {"--episodes", DQ_CLI_I64, F(episodes), 1, 1000000, NULL},
    {"--epsilon", DQ_CLI_F64, F(eps), 0, 1, NULL},
    {"--seed", DQ_CLI_I64, F(seed), 0, 9.0e15, NULL},
    {"--json", DQ_CLI_SET, F(json), 0, 0, NULL},
    {"--q", DQ_CLI_STR, F(qobs), 0, 0, NULL},
};
#undef F

int dq_cmd_eval(int argc, char **argv) {
    dq_cli_cmd cmd = {"eval", USAGE, FLAGS, sizeof FLAGS / sizeof *FLAGS, 1, 1};
    eval_opts o = {.episodes = 100};
    const char *pos[1];
    int n_pos, rc0 = dq_cli_parse(&cmd, &o, argc, argv, pos, &n_pos);
    if (rc0 != DQ_CLI_GO) return rc0;
    const char *src = pos[0], *qobs = o.qobs;
    long long episodes = o.episodes, seed = o.seed;
    double eps = o.eps;
    bool json = o.json;
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
            int want = r.env->obs_space.size; /* read before dq_run_free frees the env */
            dq_run_free(&r);
            return dq_cli_die(2, "eval: --q needs %d comma-separated numbers", want);
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
    /* --seed S: Gymnasium's reset(seed=S) for the first episode, the stream continues after */
    dq_env_set_seeding(r.eval_env, DQ_SEEDING_NUMPY);
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
