/* cli_rl.c — the evaluation JSON and small file writes for the RL verbs. */
#include "cli_rl.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "deepq/fsio.h"

void dq_cli_eval_members(cJSON *o, const dq_policy_stats *st) {
    cJSON_AddNumberToObject(o, "mean", st->mean);
    cJSON_AddNumberToObject(o, "std", st->std);
    cJSON_AddNumberToObject(o, "min", st->min);
    cJSON_AddNumberToObject(o, "max", st->max);
    cJSON_AddNumberToObject(o, "episodes", st->episodes);
    cJSON_AddNumberToObject(o, "mean_length", st->mean_length);
    bool thr = !isnan(st->reward_threshold);
    if (thr) cJSON_AddNumberToObject(o, "reward_threshold", st->reward_threshold);
    else cJSON_AddNullToObject(o, "reward_threshold");
    if (thr) cJSON_AddNumberToObject(o, "frac_at_threshold", st->frac_at_threshold);
    else cJSON_AddNullToObject(o, "frac_at_threshold");
}

char *dq_cli_eval_json(const char *env_id, const char *algo, const dq_policy_stats *st,
                       int64_t seed, const char *extra_json) {
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "env", env_id);
    cJSON_AddStringToObject(o, "algo", algo);
    dq_cli_eval_members(o, st);
    cJSON_AddNumberToObject(o, "seed", (double)seed);
    char *buf = NULL; /* printed as "key": value, ... (spaced, numbers as %.10g) */
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f) {
        fputc('{', f);
        for (const cJSON *c = o->child; c; c = c->next) {
            fprintf(f, "%s\"%s\": ", c == o->child ? "" : ", ", c->string);
            if (cJSON_IsNumber(c)) {
                double v = c->valuedouble;
                fprintf(f, v == floor(v) && fabs(v) < 1e15 ? "%.0f" : "%.10g", v);
            } else {
                char *t = cJSON_PrintUnformatted(c);
                fputs(t ? t : "null", f);
                free(t);
            }
        }
        if (extra_json) fprintf(f, ", %s", extra_json);
        fputc('}', f);
        fclose(f);
    }
    cJSON_Delete(o);
    return buf;
}

bool dq_cli_write_text(const char *dir, const char *name, const char *text) {
    dq_error err = {0};
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof path) {
        dq_cli_die(1, "output path %s/%s is too long", dir, name);
        return false;
    }
    if (dq_mkdir_p(dir, &err) || dq_write_file_atomic(path, text, strlen(text), &err)) {
        dq_cli_die(1, "%s", err.msg);
        return false;
    }
    return true;
}
