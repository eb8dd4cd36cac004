/* frozen_lake.h — FrozenLake-v1 / FrozenLake8x8-v1 state (for renderers): the map, the agent's
 * cell and last action, and the transition model (Gymnasium's env.unwrapped.P). */
#ifndef DQ_ENV_FROZEN_LAKE_H
#define DQ_ENV_FROZEN_LAKE_H

#include "deepq/env.h"

#define DQ_FROZEN_LAKE_MAX 32 /* largest side of a custom map */

typedef struct dq_frozen_lake_state {
    int nrow, ncol;
    char desc[DQ_FROZEN_LAKE_MAX][DQ_FROZEN_LAKE_MAX + 1]; /* rows of S, F, H, G */
    bool is_slippery;
    int s;           /* current cell, row * ncol + col */
    int last_action; /* -1 after reset; 0 left, 1 down, 2 right, 3 up */
    dq_tabular_model model;
    int32_t *offset;  /* owned arrays behind model */
    dq_transition *tr;
    double *initial;
} dq_frozen_lake_state;

extern const dq_env_type dq_env_frozen_lake;
extern const dq_env_type dq_env_frozen_lake_8x8;

/* Gymnasium's categorical_sample: first index whose cumulative probability exceeds a uniform
 * draw from rnd. */
int dq_tabular_sample(const double *p, int n, dq_env_rand *rnd);

#endif
