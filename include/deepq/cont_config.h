/* deepq/cont_config.h — configuration of continuous-action runs (deepq/cont.h): RL-Zoo's keys
 * (its td3.yml / ddpg.yml entries load as they are), `--set key=value` edits, the built-in
 * presets (`zoo`: RL-Zoo's published entries; `deepq`: small, fast networks), and the resolved
 * config.yml of a run folder. One key table reads and writes every field. */
#ifndef DEEPQ_CONT_CONFIG_H
#define DEEPQ_CONT_CONFIG_H

#include "deepq/common.h"
#include "deepq/cont.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_cont_config {
    char env_id[64];      /* Gymnasium id */
    char env_kwargs[448]; /* "k=v,..." for dq_env_make ("" = none) */
    char preset[64];      /* where the values came from (informational) */
    dq_cont_def def;      /* every hyperparameter, def.algo included */
} dq_cont_config;

/* SB3's defaults of algo, env Pendulum-v1. */
DQ_API void dq_cont_config_default(dq_cont_config *c, dq_cont_algo algo);
/* Set one key from text (YAML-style values: 1e5, [400, 300], "dict(net_arch=[64, 64])",
 * [1, "episode"], normal); DQ_EINVAL "key 'k': what is wrong", DQ_ENOTFOUND for unknown keys. */
DQ_API dq_status dq_cont_config_set(dq_cont_config *c, const char *key, const char *value,
                                    dq_error *err);
/* Apply YAML text (label in errors): the entry of env_id when the top level is keyed by env ids
 * (LunarLander-v3 also takes a LunarLanderContinuous-v3 entry, with continuous=true), else the
 * top level itself (a flat file such as config.yml). */
DQ_API dq_status dq_cont_config_apply_yaml(dq_cont_config *c, const char *text, const char *label,
                                           const char *env_id, dq_error *err);
/* Same from a file. */
DQ_API dq_status dq_cont_config_apply_file(dq_cont_config *c, const char *path, const char *env_id,
                                           dq_error *err);
/* Built-in preset name ("zoo" or "deepq") for c->def.algo and env_id. */
DQ_API dq_status dq_cont_config_apply_preset(dq_cont_config *c, const char *name,
                                             const char *env_id, dq_error *err);
/* The preset's YAML text for algo (NULL when there is none). */
DQ_API const char *dq_cont_preset_yaml(const char *name, dq_cont_algo algo);
/* Every key as flat YAML (loads back to the same config); *text is the caller's (free()). */
DQ_API dq_status dq_cont_config_to_yaml(const dq_cont_config *c, char **text, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
