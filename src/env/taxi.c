/* taxi.c — Taxi-v3 exactly as Gymnasium 1.0.0: 500 states (taxi row, column, passenger
 * location incl. "in the taxi", destination), 6 actions, the deterministic transition model P
 * built in Gymnasium's loop order, initial states uniform over the 300 with the passenger
 * waiting elsewhere than its destination, reset and step sampled as categorical_sample. */
#include "env/toy_text.h"

#include <string.h>

const char *const dq_taxi_map[7] = {
    "+---------+", "|R: | : :G|", "| : | : : |", "| : : : : |",
    "| | : | : |", "|Y| : |B: |", "+---------+",
};
const int dq_taxi_locs[4][2] = {{0, 0}, {0, 4}, {4, 0}, {4, 3}};

static int encode(int row, int col, int pass_idx, int dest_idx) {
    return ((row * 5 + col) * 5 + pass_idx) * 4 + dest_idx;
}

void dq_taxi_decode(int s, int *row, int *col, int *pass_idx, int *dest_idx) {
    *dest_idx = s % 4;
    s /= 4;
    *pass_idx = s % 5;
    s /= 5;
    *col = s % 5;
    *row = s / 5;
}

/* Index of the location at (row, col), or -1. */
static int loc_at(int row, int col) {
    for (int i = 0; i < 4; i++)
        if (dq_taxi_locs[i][0] == row && dq_taxi_locs[i][1] == col) return i;
    return -1;
}

void dq_taxi_action_mask(int s, int8_t mask[DQ_TAXI_ACTIONS]) {
    int row, col, pass, dest;
    dq_taxi_decode(s, &row, &col, &pass, &dest);
    mask[0] = row < 4;
    mask[1] = row > 0;
    mask[2] = col < 4 && dq_taxi_map[row + 1][2 * col + 2] == ':';
    mask[3] = col > 0 && dq_taxi_map[row + 1][2 * col] == ':';
    mask[4] = pass < 4 && loc_at(row, col) == pass;
    mask[5] = pass == 4 && loc_at(row, col) >= 0;
}

static dq_status taxi_init(void *st, const dq_kwargs *kw, dq_space *os, dq_space *as,
                           dq_error *err) {
    dq_taxi_state *t = st;
    int n = 0, n_start = 0;
    for (int row = 0; row < 5; row++)
        for (int col = 0; col < 5; col++)
            for (int pass = 0; pass < 5; pass++)
                for (int dest = 0; dest < 4; dest++) {
                    int s = encode(row, col, pass, dest);
                    if (pass < 4 && pass != dest) t->initial[s] = 1.0, n_start++;
                    for (int a = 0; a < DQ_TAXI_ACTIONS; a++) {
                        int nr = row, nc = col, np = pass;
                        double reward = -1.0;
                        bool term = false;
                        int here = loc_at(row, col);
                        if (a == 0) nr = row + 1 < 4 ? row + 1 : 4;
                        else if (a == 1) nr = row - 1 > 0 ? row - 1 : 0;
                        if (a == 2 && dq_taxi_map[1 + row][2 * col + 2] == ':')
                            nc = col + 1 < 4 ? col + 1 : 4;
                        else if (a == 3 && dq_taxi_map[1 + row][2 * col] == ':')
                            nc = col - 1 > 0 ? col - 1 : 0;
                        else if (a == 4) {
                            if (pass < 4 && here == pass) np = 4;
                            else reward = -10.0;
                        } else if (a == 5) {
                            if (here == dest && pass == 4) np = dest, term = true, reward = 20.0;
                            else if (here >= 0 && pass == 4) np = here;
                            else reward = -10.0;
                        }
                        t->offset[s * DQ_TAXI_ACTIONS + a] = n;
                        t->tr[n++] = (dq_transition){1.0, encode(nr, nc, np, dest), reward, term};
                    }
                }
    t->offset[DQ_TAXI_STATES * DQ_TAXI_ACTIONS] = n;
    for (int s = 0; s < DQ_TAXI_STATES; s++) t->initial[s] /= (double)n_start;
    t->tt.model =
        (dq_tabular_model){DQ_TAXI_STATES, DQ_TAXI_ACTIONS, t->offset, t->tr, t->initial};
    dq_space_discrete(os, DQ_TAXI_STATES);
    dq_space_discrete(as, DQ_TAXI_ACTIONS);
    t->tt.last_action = -1;
    return DQ_OK;
}

/* Gymnasium's info: {"prob": p, "action_mask": mask of the current state}. */
static void taxi_info(const void *st, dq_info *out) {
    const dq_toy_text *t = st;
    out->has = DQ_INFO_PROB | DQ_INFO_ACTION_MASK;
    out->prob = t->prob;
    out->n_mask = DQ_TAXI_ACTIONS;
    dq_taxi_action_mask(t->s, out->action_mask);
}

const dq_env_type dq_env_taxi = {
    .id = "Taxi-v3",
    .summary = "drive a taxi to the passenger, pick it up and drop it at its destination",
    .max_episode_steps = 200,
    .reward_threshold = 8.0,
    .render_fps = 4,
    .state_size = sizeof(dq_taxi_state),
    .init = taxi_init,
    .reset = dq_toy_text_reset,
    .step = dq_toy_text_step,
    .get_state = dq_toy_text_get_state,
    .set_state = dq_toy_text_set_state,
    .model = dq_toy_text_model,
    .info = taxi_info,
};
