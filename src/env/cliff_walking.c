/* cliff_walking.c — CliffWalking-v0 exactly as Gymnasium 1.0.0: a 4x12 grid walked from (3,0)
 * to (3,11), -1 per move, stepping on the cliff (3,1..10) costs -100 and sends the agent back to
 * the start without ending the episode; is_slippery moves perpendicular with probability 2/3.
 * P is built in Gymnasium's order; no time limit and no reward threshold are registered. */
#include "env/toy_text.h"

#include <math.h>

static const char *const OPTIONS[] = {"is_slippery", NULL};
/* Row and column change of actions up, right, down, left. */
static const int DELTA[4][2] = {{-1, 0}, {0, 1}, {1, 0}, {0, -1}};
#define START_STATE (3 * DQ_CLIFF_COLS + 0)

static bool is_cliff(int row, int col) {
    return row == DQ_CLIFF_ROWS - 1 && col >= 1 && col <= DQ_CLIFF_COLS - 2;
}

static int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static dq_status cw_init(void *st, const dq_kwargs *kw, dq_space *os, dq_space *as,
                         dq_error *err) {
    dq_cliff_state *c = st;
    dq_status s = dq_kwargs_bool(kw, "is_slippery", &c->is_slippery, err);
    if (s) return s;
    int n = 0, per = c->is_slippery ? 3 : 1;
    for (int st_i = 0; st_i < DQ_CLIFF_STATES; st_i++) {
        int row = st_i / DQ_CLIFF_COLS, col = st_i % DQ_CLIFF_COLS;
        for (int a = 0; a < 4; a++) {
            c->offset[st_i * 4 + a] = n;
            for (int k = 0; k < per; k++) {
                int m = c->is_slippery ? (a - 1 + k + 4) % 4 : a;
                int r = clampi(row + DELTA[m][0], 0, DQ_CLIFF_ROWS - 1);
                int cc = clampi(col + DELTA[m][1], 0, DQ_CLIFF_COLS - 1);
                double p = 1.0 / per;
                if (is_cliff(r, cc))
                    c->tr[n++] = (dq_transition){p, START_STATE, -100.0, false};
                else
                    c->tr[n++] = (dq_transition){p, r * DQ_CLIFF_COLS + cc, -1.0,
                                                 r == DQ_CLIFF_ROWS - 1 && cc == DQ_CLIFF_COLS - 1};
            }
        }
    }
    c->offset[DQ_CLIFF_STATES * 4] = n;
    c->initial[START_STATE] = 1.0;
    c->tt.model = (dq_tabular_model){DQ_CLIFF_STATES, 4, c->offset, c->tr, c->initial};
    dq_space_discrete(os, DQ_CLIFF_STATES);
    dq_space_discrete(as, 4);
    c->tt.last_action = -1;
    return DQ_OK;
}

const dq_env_type dq_env_cliff_walking = {
    .id = "CliffWalking-v0",
    .summary = "walk along a cliff edge from start to goal; falling costs -100 and restarts",
    .max_episode_steps = 0,
    .reward_threshold = NAN,
    .options = OPTIONS,
    .render_fps = 4,
    .state_size = sizeof(dq_cliff_state),
    .init = cw_init,
    .reset = dq_toy_text_reset,
    .step = dq_toy_text_step,
    .get_state = dq_toy_text_get_state,
    .set_state = dq_toy_text_set_state,
    .model = dq_toy_text_model,
    .info = dq_toy_text_info,
};
