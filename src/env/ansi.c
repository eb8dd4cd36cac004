/* ansi.c — text rendering of the toy-text grids, character for character Gymnasium 1.0.0's
 * render_mode="ansi" (its utils.colorize escape codes included): FrozenLake-v1 (agent cell on
 * red), Taxi-v3 (taxi yellow, green with the passenger aboard; passenger blue bold; destination
 * magenta), CliffWalking-v0 (x agent, C cliff, T goal, o ground); and the grid-world maps
 * (dq_env_grid) policy pictures are drawn over. It only reads the env's state struct: rendering
 * is not part of the env core. */
#include <stdio.h>
#include <string.h>

#include "deepq/env.h"
#include "env/toy_text.h"

/* Gymnasium's colorize: color 31 red .. 35 magenta; highlight adds 10; bold appends ";1". */
static void colorize(char *cell, size_t cap, int color, bool bold, bool highlight) {
    char pre[16];
    int np = snprintf(pre, sizeof pre, "\x1b[%d%sm", color + (highlight ? 10 : 0),
                      bold ? ";1" : "");
    size_t n = strlen(cell), ns = 4; /* suffix "\x1b[0m" */
    if ((size_t)np + n + ns + 1 > cap) return; /* cells are sized for three levels of nesting */
    memmove(cell + np, cell, n);
    memcpy(cell, pre, (size_t)np);
    memcpy(cell + np + n, "\x1b[0m", ns + 1);
}

typedef struct text_out {
    char *buf;
    size_t cap, len;
} text_out;

static void put(text_out *o, const char *s) {
    size_t n = strlen(s);
    if (o->len < o->cap) {
        size_t room = o->cap - o->len - 1, k = n < room ? n : room;
        memcpy(o->buf + o->len, s, k);
        o->buf[o->len + k] = '\0';
    }
    o->len += n;
}

static void render_frozen_lake(const dq_frozen_lake_state *f, text_out *o) {
    static const char *const NAMES[4] = {"Left", "Down", "Right", "Up"};
    char line[64];
    if (f->tt.last_action >= 0) snprintf(line, sizeof line, "  (%s)\n", NAMES[f->tt.last_action]);
    else snprintf(line, sizeof line, "\n");
    put(o, line);
    for (int r = 0; r < f->nrow; r++) {
        for (int c = 0; c < f->ncol; c++) {
            char cell[64] = {f->desc[r][c], '\0'};
            if (r * f->ncol + c == f->tt.s) colorize(cell, sizeof cell, 31, false, true);
            put(o, cell);
        }
        put(o, "\n");
    }
}

static void render_taxi(const dq_taxi_state *t, text_out *o) {
    static const char *const NAMES[6] = {"South", "North", "East", "West", "Pickup", "Dropoff"};
    char cells[7][11][128];
    for (int r = 0; r < 7; r++)
        for (int c = 0; c < 11; c++) cells[r][c][0] = dq_taxi_map[r][c], cells[r][c][1] = '\0';
    int row, col, pass, dest;
    dq_taxi_decode(t->tt.s, &row, &col, &pass, &dest);
    char *taxi = cells[1 + row][2 * col + 1];
    if (pass < 4) {
        colorize(taxi, sizeof cells[0][0], 33, false, true);
        colorize(cells[1 + dq_taxi_locs[pass][0]][2 * dq_taxi_locs[pass][1] + 1],
                 sizeof cells[0][0], 34, true, false);
    } else {
        if (!strcmp(taxi, " ")) taxi[0] = '_';
        colorize(taxi, sizeof cells[0][0], 32, false, true);
    }
    colorize(cells[1 + dq_taxi_locs[dest][0]][2 * dq_taxi_locs[dest][1] + 1], sizeof cells[0][0],
             35, false, false);
    for (int r = 0; r < 7; r++) {
        for (int c = 0; c < 11; c++) put(o, cells[r][c]);
        put(o, "\n");
    }
    char line[64];
    if (t->tt.last_action >= 0) snprintf(line, sizeof line, "  (%s)\n", NAMES[t->tt.last_action]);
    else snprintf(line, sizeof line, "\n");
    put(o, line);
}

static void render_cliff(const dq_cliff_state *c, text_out *o) {
    for (int s = 0; s < DQ_CLIFF_STATES; s++) {
        int row = s / DQ_CLIFF_COLS, col = s % DQ_CLIFF_COLS;
        const char *cell = s == c->tt.s                                ? " x "
                           : row == 3 && col == DQ_CLIFF_COLS - 1      ? " T "
                           : row == 3 && col >= 1 && col <= DQ_CLIFF_COLS - 2 ? " C "
                                                                       : " o ";
        char out[8];
        snprintf(out, sizeof out, "%s", col == 0 ? cell + 1 : cell); /* lstrip */
        if (col == DQ_CLIFF_COLS - 1) {
            out[strlen(out) - 1] = '\0'; /* rstrip */
            strcat(out, "\n");
        }
        put(o, out);
    }
    put(o, "\n");
}

dq_status dq_env_render_text(const dq_env *env, char *buf, size_t cap, dq_error *err) {
    text_out o = {buf, cap, 0};
    if (buf && cap) buf[0] = '\0';
    const dq_env_type *t = env->type;
    if (t == &dq_env_frozen_lake || t == &dq_env_frozen_lake_8x8) render_frozen_lake(env->st, &o);
    else if (t == &dq_env_taxi) render_taxi(env->st, &o);
    else if (t == &dq_env_cliff_walking) render_cliff(env->st, &o);
    else return dq_fail(err, DQ_EUNSUPPORTED, "%s has no text rendering (toy-text envs only)",
                        t->id);
    if (!buf || o.len >= cap)
        return dq_fail(err, DQ_EINVAL, "%s text rendering needs %zu bytes, buffer has %zu",
                       t->id, o.len + 1, cap);
    return DQ_OK;
}

dq_status dq_env_grid(const dq_env *env, char *cells, size_t cap, int *nrow, int *ncol,
                      const char **arrows, dq_error *err) {
    const char *id = env->type->id;
    int nr, nc;
    if (!strncmp(id, "FrozenLake", 10)) {
        const dq_frozen_lake_state *st = env->st;
        nr = st->nrow, nc = st->ncol;
        if ((size_t)nr * (size_t)nc + 1 > cap)
            return dq_fail(err, DQ_EINVAL, "dq_env_grid: needs %d bytes", nr * nc + 1);
        for (int r = 0; r < nr; r++)
            for (int c = 0; c < nc; c++) {
                char ch = st->desc[r][c];
                cells[r * nc + c] = (ch == 'H' || ch == 'G') ? ch : '.';
            }
        *arrows = "<v>^";
    } else if (!strncmp(id, "CliffWalking", 12)) {
        nr = DQ_CLIFF_ROWS, nc = DQ_CLIFF_COLS;
        if ((size_t)nr * (size_t)nc + 1 > cap)
            return dq_fail(err, DQ_EINVAL, "dq_env_grid: needs %d bytes", nr * nc + 1);
        memset(cells, '.', (size_t)(nr * nc));
        for (int c = 1; c < nc - 1; c++) cells[(nr - 1) * nc + c] = 'C';
        cells[nr * nc - 1] = 'G';
        *arrows = "^>v<";
    } else {
        return dq_fail(err, DQ_EUNSUPPORTED, "%s is not a grid world", id);
    }
    cells[nr * nc] = '\0';
    *nrow = nr;
    *ncol = nc;
    return DQ_OK;
}
