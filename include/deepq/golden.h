/* deepq/golden.h — replay of Gymnasium recordings (the ../shared/golden schema) through
 * deepq's envs, used by `deepq replay` and the golden unit tests. Test tooling, not an
 * environment: it lives in src/replay, a layer above src/env (reads JSON with cJSON).
 *
 * Trajectory files (.jsonl, one episode per line): the env is made with the file's kwargs,
 * reset with its seed, then either its init_state is set directly (classic control) or its
 * reset_draws are injected before reset and steps[].draws before each step (LunarLander); the
 * recorded actions are applied and every observation, state, reward and flag is compared.
 * An episode with a seed is also reset with that seed on a second env without injected draws:
 * Gymnasium's reset(seed) must give init_obs (and init_state) within the tolerance.
 * Tabular files (.json with "P"): the whole transition table, initial distribution and limits
 * are compared with dq_env_model(). Tolerances are per env (dq_golden_tolerance). */
#ifndef DEEPQ_GOLDEN_H
#define DEEPQ_GOLDEN_H

#include "deepq/env.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How closely a replay must track a recording. */
typedef struct dq_golden_tol {
    double obs;    /* max |obs error| (0 = bit-identical float32) */
    double state;  /* max |state error| (float64 internal state, when recorded) */
    double reward; /* max |reward error| */
    /* >= 0: judge each episode only up to and including the first recorded step whose
     * observation has a non-zero component at this index or the next (LunarLander's leg contact
     * flags 6 and 7: "up to the first ground contact"); later steps only feed the drift. */
    int contact_obs;
} dq_golden_tol;

/* Tolerance used for env id (classic control strict by default). */
DQ_API dq_golden_tol dq_golden_tolerance(const char *env_id);

typedef struct dq_golden_report {
    char env_id[64];
    bool tabular;
    int episodes;
    int64_t steps;        /* steps replayed */
    int64_t judged_steps; /* steps held to the tolerance */
    double err_obs, err_state, err_reward; /* max abs errors over judged steps and resets */
    double err_obs_all;   /* max obs error over every replayed step */
    int64_t mismatches;   /* judged values out of tolerance (flags, rewards, draws included) */
    int first_bad_episode;  /* -1 when all agree */
    int64_t first_bad_step; /* 0 = the reset, k = the k-th step */
    char first_bad_what[160];
    dq_golden_tol tol;
    double *drift;   /* [n_drift] max obs error at step index k (0 = reset) over episodes; owned */
    int64_t n_drift;
    int64_t tab_entries; /* tabular: transitions compared */
    int seeded_resets;   /* episodes whose reset(seed) (no injected draws) was compared */
    double err_seed_obs; /* max |obs error| of those resets against init_obs */
    char flavour[128];   /* options added to the file's kwargs for this replay ("" = none) */
    char math[128];      /* what the env followed, from dq_env_flavour ("" for envs without) */
    bool pass;
} dq_golden_report;

/* Replay one file (any path). flavour: "k=v,..." options added to the file's kwargs where the
 * env accepts them (math, numpy: a recording is of one NumPy on one CPU), or NULL to find them:
 * the defaults first, then NumPy 1.24 as dispatched on this CPU, NumPy 1.24 with SVML, SVML,
 * NumPy 1.24 with libm; the first that passes is kept (none: the defaults' report). DQ_OK with
 * rep->pass telling the verdict; an error status (with err) when the file cannot be read, is
 * malformed or names an unknown env. Free rep after. */
DQ_API dq_status dq_golden_replay(const char *path, const char *flavour, dq_golden_report *rep,
                           dq_error *err);
/* Release rep's arrays (NULL-safe, rep may be re-used). */
DQ_API void dq_golden_report_free(dq_golden_report *rep);

#ifdef __cplusplus
}
#endif
#endif
