/* cli_rl.h — helpers shared by the tabular, collect and fqi verbs: strict number parsing and
 * the final evaluation as one JSON object (the shape `deepq eval --json` prints). */
#ifndef DQ_CLI_RL_H
#define DQ_CLI_RL_H

#include <stdbool.h>
#include <stdint.h>

#include "deepq/dataset.h"

/* Parse a whole string as an integer / double in [lo, hi]; false on junk or out of range. */
bool dq_cli_int(const char *s, int64_t lo, int64_t hi, int64_t *out);
bool dq_cli_double(const char *s, double lo, double hi, double *out);

/* The JSON object {"env", "algo", "mean", "std", "min", "max", "episodes", "mean_length",
 * "seed", extra...} as one line (caller frees with free()); extra_json is a text of additional
 * members without braces ("\"k\": 1, ...") or NULL. */
char *dq_cli_eval_json(const char *env_id, const char *algo, const dq_policy_stats *st,
                       int64_t seed, const char *extra_json);

/* Write text to DIR/name atomically, creating DIR; prints the error and returns false on
 * failure. */
bool dq_cli_write_text(const char *dir, const char *name, const char *text);

#endif
