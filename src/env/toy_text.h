/* toy_text.h — state structs of the toy-text envs (Taxi-v3, CliffWalking-v0; FrozenLake is in
 * frozen_lake.h) for renderers, and the tabular helpers they share: a transition model P stored
 * as flat arrays in Gymnasium's entry order, and categorical sampling as Gymnasium's. */
#ifndef DQ_ENV_TOY_TEXT_H
#define DQ_ENV_TOY_TEXT_H

#include "deepq/env.h"
#include "env/frozen_lake.h"

/* Taxi-v3: 5x5 grid, 4 pick-up/drop-off locations R, G, Y, B. */
#define DQ_TAXI_STATES 500
#define DQ_TAXI_ACTIONS 6

typedef struct dq_taxi_state {
    dq_toy_text tt; /* first; s = encode(row, col, pass_idx, dest_idx)
                       = ((row*5 + col)*5 + pass)*4 + dest; last action 0 south, 1 north,
                       2 east, 3 west, 4 pickup, 5 dropoff */
    int32_t offset[DQ_TAXI_STATES * DQ_TAXI_ACTIONS + 1];
    dq_transition tr[DQ_TAXI_STATES * DQ_TAXI_ACTIONS];
    double initial[DQ_TAXI_STATES];
} dq_taxi_state;

/* Exported (DQ_API) for libdeepq_viz's Taxi renderer, a separate library. */
/* Taxi's map as Gymnasium draws it (7 rows of 11 characters). */
DQ_API extern const char *const dq_taxi_map[7];
/* Taxi's locations R, G, Y, B as (row, col). */
DQ_API extern const int dq_taxi_locs[4][2];
/* Split a Taxi state index into taxi row, column, passenger index (4 = in taxi), destination. */
DQ_API void dq_taxi_decode(int s, int *row, int *col, int *pass_idx, int *dest_idx);
/* Gymnasium's TaxiEnv.action_mask: mask[a] = 1 where action a changes the state. */
void dq_taxi_action_mask(int s, int8_t mask[DQ_TAXI_ACTIONS]);

/* CliffWalking-v0: 4x12 grid, start (3,0), goal (3,11), cliff (3,1..10). */
#define DQ_CLIFF_ROWS 4
#define DQ_CLIFF_COLS 12
#define DQ_CLIFF_STATES (DQ_CLIFF_ROWS * DQ_CLIFF_COLS)

typedef struct dq_cliff_state {
    dq_toy_text tt; /* first; s = row * 12 + col; last action 0 up, 1 right, 2 down, 3 left */
    bool is_slippery;
    int32_t offset[DQ_CLIFF_STATES * 4 + 1];
    dq_transition tr[DQ_CLIFF_STATES * 4 * 3];
    double initial[DQ_CLIFF_STATES];
} dq_cliff_state;

extern const dq_env_type dq_env_taxi;
extern const dq_env_type dq_env_cliff_walking;

#endif
