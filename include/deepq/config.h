/* deepq/config.h — DQN run configuration: YAML files with RL-Zoo's key names (RL-Zoo's own
 * hyperparams/dqn.yml loads as it is), `--set key=value` edits, the built-in presets, and the
 * resolved config.yml a run folder keeps.
 *
 * A YAML file is either keyed by env id (RL-Zoo's layout: the entry of the env, else the
 * `default` entry, is applied) or flat (the keys at the top level, as deepq writes config.yml).
 * Every key edits one field of the dq_dqn_def (or the env/seed fields); an unknown key or a bad
 * value is DQ_EINVAL with one line "FILE:LINE: key 'k': what is wrong". */
#ifndef DEEPQ_CONFIG_H
#define DEEPQ_CONFIG_H

#include "deepq/common.h"
#include "deepq/dqn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_run_config {
    char env_id[64];       /* Gymnasium id */
    char env_kwargs[448];  /* "k=v,..." passed to dq_env_make ("" = none) */
    char preset[64];       /* name of the preset or file the values came from (informational) */
    dq_dqn_def dqn;        /* every hyperparameter */
} dq_run_config;

/* SB3 defaults, env "CartPole-v1", no kwargs. */
DQ_API void dq_run_config_default(dq_run_config *c);
/* Apply YAML text (label names it in errors) for env_id on top of c. */
DQ_API dq_status dq_config_apply_yaml(dq_run_config *c, const char *text, const char *label,
                               const char *env_id, dq_error *err);
/* Same from a file. */
DQ_API dq_status dq_config_apply_file(dq_run_config *c, const char *path, const char *env_id,
                               dq_error *err);
/* Set one key from text, as `--set key=value` (YAML-style values: 1e5, [64, 64], true). */
DQ_API dq_status dq_config_set(dq_run_config *c, const char *key, const char *value, dq_error *err);
/* Apply the built-in preset `name` for env_id (its env entry, else its default entry). */
DQ_API dq_status dq_config_apply_preset(dq_run_config *c, const char *name, const char *env_id,
                                 dq_error *err);
/* Built-in presets: count, name, one-line summary, and the YAML text (static strings). */
DQ_API int dq_preset_count(void);
DQ_API const char *dq_preset_name(int i);
DQ_API const char *dq_preset_summary(int i);
DQ_API const char *dq_preset_yaml(int i);
/* Every resolved key as flat YAML (env, env_kwargs, preset, seed, deepq_version, then all
 * hyperparameters); *text is the caller's (free()). Loads back to the same def. */
DQ_API dq_status dq_config_to_yaml(const dq_run_config *c, char **text, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
