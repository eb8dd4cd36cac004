/* frozen_lake.h — FrozenLake-v1 / FrozenLake8x8-v1 state (for renderers): the map, the agent's
 * cell and last action, and the transition model (Gymnasium's env.unwrapped.P); and the tabular
 * core and callbacks all toy-text envs share (toy_text.c). */
#ifndef DQ_ENV_FROZEN_LAKE_H
#define DQ_ENV_FROZEN_LAKE_H

#include "deepq/env.h"

#define DQ_FROZEN_LAKE_MAX 32 /* largest side of a custom map */

/* What every toy-text env state (FrozenLake, Taxi, CliffWalking) holds first: the current state
 * index, the last action and the transition model P; the shared callbacks in toy_text.c take
 * the env state through this first member. */
typedef struct dq_toy_text {
    int s;                  /* current state index */
    int last_action;        /* -1 after reset */
    double prob;            /* probability of the last transition (1 after reset): info */
    dq_tabular_model model; /* over the env's own arrays */
} dq_toy_text;

typedef struct dq_frozen_lake_state {
    dq_toy_text tt;  /* first; s = row * ncol + col; last action 0 left, 1 down, 2 right, 3 up */
    int nrow, ncol;
    char desc[DQ_FROZEN_LAKE_MAX][DQ_FROZEN_LAKE_MAX + 1]; /* rows of S, F, H, G */
    bool is_slippery;
    int32_t *offset;  /* owned arrays behind model */
    dq_transition *tr;
    double *initial;
} dq_frozen_lake_state;

extern const dq_env_type dq_env_frozen_lake;
extern const dq_env_type dq_env_frozen_lake_8x8;

/* Gymnasium's categorical_sample: first index whose cumulative probability exceeds a uniform
 * draw from rnd. */
int dq_tabular_sample(const double *p, int n, dq_env_rand *rnd);
/* Sample a transition of (s, a) from model m with Gymnasium's categorical_sample (one uniform
 * draw, even when there is a single entry); returns a pointer into m->tr. */
const dq_transition *dq_tabular_step(const dq_tabular_model *m, int s, int64_t a,
                                     dq_env_rand *rnd);

/* dq_env_type callbacks shared by the toy-text envs, for states whose first member is a
 * dq_toy_text: reset draws s from P's initial distribution, step samples P (Gymnasium's
 * categorical_sample), the state is the one index s, model returns P. */
void dq_toy_text_reset(void *st, dq_env_rand *rnd, float *obs);
void dq_toy_text_step(void *st, dq_env_rand *rnd, int64_t action, const double *caction,
                      float *obs, double *reward, bool *terminated);
int dq_toy_text_get_state(const void *st, double *out, int cap);
dq_status dq_toy_text_set_state(void *st, const double *s, int n, float *obs, dq_error *err);
const dq_tabular_model *dq_toy_text_model(const void *st);
/* Gymnasium's info of FrozenLake and CliffWalking: {"prob": p}. */
void dq_toy_text_info(const void *st, dq_info *out);

#endif
