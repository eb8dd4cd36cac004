/* cli_rl.c — number parsing, the evaluation JSON and small file writes for the RL verbs. */
#include "cli_rl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "deepq/fsio.h"

bool dq_cli_int(const char *s, int64_t lo, int64_t hi, int64_t *out) {
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno || v < lo || v > hi) return false;
    *out = v;
    return true;
}

bool dq_cli_double(const char *s, double lo, double hi, double *out) {
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v) || v < lo || v > hi) return false;
    *out = v;
    return true;
}

char *dq_cli_eval_json(const char *env_id, const char *algo, const dq_policy_stats *st,
                       int64_t seed, const char *extra_json) {
    size_t cap = 512 + (extra_json ? strlen(extra_json) : 0);
    char *buf = malloc(cap);
    if (!buf) return NULL;
    snprintf(buf, cap,
             "{\"env\": \"%s\", \"algo\": \"%s\", \"mean\": %.10g, \"std\": %.10g, \"min\": %.10g, "
             "\"max\": %.10g, \"episodes\": %d, \"mean_length\": %.10g, \"seed\": %lld%s%s}",
             env_id, algo, st->mean, st->std, st->min, st->max, st->episodes, st->mean_length,
             (long long)seed, extra_json ? ", " : "", extra_json ? extra_json : "");
    return buf;
}

bool dq_cli_write_text(const char *dir, const char *name, const char *text) {
    dq_error err = {0};
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (dq_mkdir_p(dir, &err) || dq_write_file_atomic(path, text, strlen(text), &err)) {
        dq_cli_die(1, "%s", err.msg);
        return false;
    }
    return true;
}
