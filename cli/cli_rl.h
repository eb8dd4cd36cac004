/* cli_rl.h — helpers shared by the tabular, collect and fqi verbs: the final evaluation as one
 * JSON object (the shape `deepq eval --json` prints). */
#ifndef DQ_CLI_RL_H
#define DQ_CLI_RL_H

#include <stdbool.h>
#include <stdint.h>

#include "deepq/dataset.h"

#include <cjson/cJSON.h>

/* Add the evaluation members every RL verb's JSON shares — mean, std, min, max, episodes,
 * mean_length, reward_threshold and frac_at_threshold (both null when the env has none) — to o,
 * in that order (`deepq eval --json` prints them compact). */
void dq_cli_eval_members(cJSON *o, const dq_policy_stats *st);

/* The JSON object {"env", "algo", <dq_cli_eval_members>, "seed", extra...} as one line
 * (caller frees with free()); extra_json is a text of additional
 * members without braces ("\"k\": 1, ...") or NULL. */
char *dq_cli_eval_json(const char *env_id, const char *algo, const dq_policy_stats *st,
                       int64_t seed, const char *extra_json);

/* Write text to DIR/name atomically, creating DIR; prints the error and returns false on
 * failure. */
bool dq_cli_write_text(const char *dir, const char *name, const char *text);

#endif
