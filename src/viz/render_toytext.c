/* render_toytext.c — grid-world frames in Gymnasium's layouts: FrozenLake (64 px tiles, the
 * window capped at 512 px; ice, holes, the goal's present, the start stool, the agent facing its
 * last move, tile borders (180, 200, 230)), Taxi-v3 (550x350, 50 px cells over the 7x11 text
 * map: walls, the R/G/Y/B stands, passenger, destination, taxi) and CliffWalking-v0 (720x240,
 * 60 px cells: cliff, start, goal, agent). Gymnasium draws sprites from PNG files; we draw our
 * own plain shapes instead. Text ("ansi") rendering is the env's (dq_env_render_text). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "env/toy_text.h"
#include "viz/render_internal.h"

/* ---- FrozenLake ------------------------------------------------------------------------- */

static void fl_cell(const dq_frozen_lake_state *s, double *cw, double *ch) {
    double ww = fmin(64.0 * s->ncol, 512), wh = fmin(64.0 * s->nrow, 512);
    *cw = ww / s->ncol, *ch = wh / s->nrow;
}

static dq_status size_frozen(const dq_env *env, int *w, int *h, dq_error *err) {
    const dq_frozen_lake_state *s = dq_env_state(env);
    *w = (int)fmin(64.0 * s->ncol, 512), *h = (int)fmin(64.0 * s->nrow, 512);
    return DQ_OK;
}

static void ellipse(cairo_t *cr, double cx, double cy, double rx, double ry) {
    cairo_save(cr);
    cairo_translate(cr, cx, cy);
    cairo_scale(cr, rx, ry);
    cairo_new_sub_path(cr);
    cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(cr);
}

/* The agent: a small figure in a red coat, its face turned towards dir (0 L, 1 D, 2 R, 3 U). */
static void draw_agent(cairo_t *cr, double x, double y, double w, double h, int dir) {
    double cx = x + w / 2, u = fmin(w, h) / 64;
    dq_cr_rgb(cr, 60, 60, 80); /* boots */
    cairo_rectangle(cr, cx - 9 * u, y + 50 * u, 7 * u, 8 * u);
    cairo_rectangle(cr, cx + 2 * u, y + 50 * u, 7 * u, 8 * u);
    cairo_fill(cr);
    dq_cr_rgb(cr, 200, 40, 40); /* coat */
    cairo_move_to(cr, cx - 13 * u, y + 52 * u);
    cairo_line_to(cr, cx - 9 * u, y + 26 * u), cairo_line_to(cr, cx + 9 * u, y + 26 * u);
    cairo_line_to(cr, cx + 13 * u, y + 52 * u), cairo_close_path(cr), cairo_fill(cr);
    dq_cr_rgb(cr, 250, 215, 180); /* head */
    ellipse(cr, cx, y + 18 * u, 9 * u, 9 * u), cairo_fill(cr);
    dq_cr_rgb(cr, 40, 140, 60); /* pointed hat */
    cairo_move_to(cr, cx - 10 * u, y + 13 * u), cairo_line_to(cr, cx + 10 * u, y + 13 * u);
    cairo_line_to(cr, cx + (dir == 0 ? -6 : dir == 2 ? 6 : 0) * u, y + 1 * u);
    cairo_close_path(cr), cairo_fill(cr);
    if (dir != 3) { /* eyes unless walking away */
        double ex = dir == 0 ? -4 : dir == 2 ? 4 : 0;
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        if (dir == 1) {
            ellipse(cr, cx - 3.5 * u, y + 19 * u, 1.4 * u, 1.6 * u);
            ellipse(cr, cx + 3.5 * u, y + 19 * u, 1.4 * u, 1.6 * u);
        } else {
            ellipse(cr, cx + ex * u, y + 19 * u, 1.4 * u, 1.6 * u);
        }
        cairo_fill(cr);
    }
}

static dq_status draw_frozen(cairo_t *cr, const dq_env *env, dq_renderer *r, dq_error *err) {
    const dq_frozen_lake_state *s = dq_env_state(env);
    double cw, chh;
    fl_cell(s, &cw, &chh);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    for (int y = 0; y < s->nrow; y++)
        for (int x = 0; x < s->ncol; x++) {
            double px = x * cw, py = y * chh, u = fmin(cw, chh) / 64;
            char c = s->desc[y][x];
            /* ice with two glints */
            dq_cr_rgb(cr, 205, 232, 250);
            cairo_rectangle(cr, px, py, cw, chh), cairo_fill(cr);
            cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
            cairo_set_line_width(cr, 2 * u);
            cairo_move_to(cr, px + 8 * u, py + 14 * u), cairo_line_to(cr, px + 20 * u, py + 8 * u);
            cairo_move_to(cr, px + 44 * u, py + 56 * u), cairo_line_to(cr, px + 56 * u, py + 50 * u);
            cairo_stroke(cr);
            if (c == 'H') {
                dq_cr_rgb(cr, 120, 160, 190);
                ellipse(cr, px + cw / 2, py + chh / 2 + 2 * u, 26 * u, 20 * u), cairo_fill(cr);
                dq_cr_rgb(cr, 20, 40, 80);
                ellipse(cr, px + cw / 2, py + chh / 2 + 4 * u, 22 * u, 16 * u), cairo_fill(cr);
            } else if (c == 'G') { /* a present */
                dq_cr_rgb(cr, 240, 190, 40);
                cairo_rectangle(cr, px + 16 * u, py + 24 * u, 32 * u, 28 * u), cairo_fill(cr);
                dq_cr_rgb(cr, 210, 40, 40);
                cairo_rectangle(cr, px + 29 * u, py + 24 * u, 6 * u, 28 * u);
                cairo_rectangle(cr, px + 14 * u, py + 20 * u, 36 * u, 7 * u), cairo_fill(cr);
                ellipse(cr, px + 26 * u, py + 16 * u, 6 * u, 4 * u);
                ellipse(cr, px + 38 * u, py + 16 * u, 6 * u, 4 * u), cairo_fill(cr);
            } else if (c == 'S') { /* a wooden stool */
                dq_cr_rgb(cr, 150, 100, 55);
                cairo_rectangle(cr, px + 18 * u, py + 30 * u, 28 * u, 6 * u);
                cairo_rectangle(cr, px + 20 * u, py + 36 * u, 4 * u, 16 * u);
                cairo_rectangle(cr, px + 40 * u, py + 36 * u, 4 * u, 16 * u), cairo_fill(cr);
            }
            dq_cr_rgb(cr, 180, 200, 230);
            cairo_set_line_width(cr, 1);
            cairo_rectangle(cr, px + 0.5, py + 0.5, cw - 1, chh - 1), cairo_stroke(cr);
        }
    int row = s->tt.s / s->ncol, col = s->tt.s % s->ncol;
    double px = col * cw, py = row * chh, u = fmin(cw, chh) / 64;
    if (s->desc[row][col] == 'H') { /* fell in: cracked ice around the hole */
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 2 * u);
        for (int k = 0; k < 6; k++) {
            double a = k * M_PI / 3 + 0.3;
            cairo_move_to(cr, px + cw / 2 + 22 * u * cos(a), py + chh / 2 + 17 * u * sin(a));
            cairo_line_to(cr, px + cw / 2 + 30 * u * cos(a + 0.2), py + chh / 2 + 28 * u * sin(a + 0.2));
        }
        cairo_stroke(cr);
    } else {
        draw_agent(cr, px, py, cw, chh, s->tt.last_action >= 0 ? s->tt.last_action : 1);
    }
    return DQ_OK;
}

/* ---- Taxi-v3 ---------------------------------------------------------------------------- */

static dq_status size_taxi(const dq_env *env, int *w, int *h, dq_error *err) {
    *w = 550, *h = 350;
    return DQ_OK;
}

static const int LOC_RGB[4][3] = {{220, 50, 50}, {40, 170, 70}, {230, 200, 30}, {50, 90, 220}};

/* A passenger standing in cell (x, y) of size c, coat in colour rgb. */
static void person(cairo_t *cr, double x, double y, double c, const int *rgb) {
    double u = c / 50, cx = x + c / 2;
    dq_cr_rgb(cr, rgb[0], rgb[1], rgb[2]);
    cairo_move_to(cr, cx - 9 * u, y + 44 * u), cairo_line_to(cr, cx - 6 * u, y + 22 * u);
    cairo_line_to(cr, cx + 6 * u, y + 22 * u), cairo_line_to(cr, cx + 9 * u, y + 44 * u);
    cairo_close_path(cr), cairo_fill(cr);
    dq_cr_rgb(cr, 250, 215, 180);
    ellipse(cr, cx, y + 15 * u, 7 * u, 7 * u), cairo_fill(cr);
    dq_cr_rgb(cr, 60, 40, 30);
    cairo_set_line_width(cr, 1);
    ellipse(cr, cx, y + 15 * u, 7 * u, 7 * u), cairo_stroke(cr);
}

static dq_status draw_taxi(cairo_t *cr, const dq_env *env, dq_renderer *r, dq_error *err) {
    const dq_taxi_state *s = dq_env_state(env);
    const double c = 50;
    int row, col, pass, dest;
    dq_taxi_decode(s->tt.s, &row, &col, &pass, &dest);
    dq_cr_rgb(cr, 120, 120, 125); /* asphalt */
    cairo_paint(cr);
    /* lane markings between cells */
    cairo_set_source_rgba(cr, 1, 1, 1, 0.35);
    cairo_set_line_width(cr, 2);
    double dash[2] = {6, 6};
    cairo_set_dash(cr, dash, 2, 0);
    for (int k = 1; k < 5; k++) {
        cairo_move_to(cr, c, (1 + k) * c), cairo_line_to(cr, 10 * c, (1 + k) * c);
        cairo_move_to(cr, (1 + 2 * k) * c, c), cairo_line_to(cr, (1 + 2 * k) * c, 6 * c);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    /* the four stands, the destination outlined */
    for (int i = 0; i < 4; i++) {
        double x = (2 * dq_taxi_locs[i][1] + 1) * c, y = (dq_taxi_locs[i][0] + 1) * c;
        cairo_set_source_rgba(cr, LOC_RGB[i][0] / 255.0, LOC_RGB[i][1] / 255.0, LOC_RGB[i][2] / 255.0, 0.45);
        cairo_rectangle(cr, x, y, c, c), cairo_fill(cr);
        if (i == dest) { /* a hotel door frame in the destination's colour */
            dq_cr_rgb(cr, LOC_RGB[i][0], LOC_RGB[i][1], LOC_RGB[i][2]);
            cairo_set_line_width(cr, 5);
            cairo_rectangle(cr, x + 4, y + 4, c - 8, c - 8), cairo_stroke(cr);
        }
    }
    /* walls: the map's '|' between cells and the border */
    dq_cr_rgb(cr, 60, 45, 35);
    for (int y = 0; y < 7; y++)
        for (int x = 0; x < 11; x++) {
            char ch = dq_taxi_map[y][x];
            if (y == 0 || y == 6 || x == 0 || x == 10) cairo_rectangle(cr, x * c, y * c, c, c);
            else if (ch == '|') cairo_rectangle(cr, x * c + c / 2 - 4, y * c, 8, c);
        }
    cairo_fill(cr);
    if (pass < 4)
        person(cr, (2 * dq_taxi_locs[pass][1] + 1) * c, (dq_taxi_locs[pass][0] + 1) * c, c, LOC_RGB[pass]);
    /* the taxi, seen from above; its roof light is green while carrying the passenger */
    double tx = (2 * col + 1) * c, ty = (row + 1) * c;
    dq_cr_rgb(cr, 245, 195, 20);
    cairo_rectangle(cr, tx + 10, ty + 6, c - 20, c - 12), cairo_fill(cr);
    dq_cr_rgb(cr, 40, 40, 50);
    cairo_rectangle(cr, tx + 14, ty + 12, c - 28, 8);
    cairo_rectangle(cr, tx + 14, ty + c - 20, c - 28, 7);
    cairo_rectangle(cr, tx + 6, ty + 9, 4, 10), cairo_rectangle(cr, tx + c - 10, ty + 9, 4, 10);
    cairo_rectangle(cr, tx + 6, ty + c - 19, 4, 10), cairo_rectangle(cr, tx + c - 10, ty + c - 19, 4, 10);
    cairo_fill(cr);
    if (pass == 4) dq_cr_rgb(cr, 40, 200, 80);
    else dq_cr_rgb(cr, 250, 250, 250);
    cairo_rectangle(cr, tx + c / 2 - 6, ty + c / 2 - 4, 12, 8), cairo_fill(cr);
    return DQ_OK;
}

/* ---- CliffWalking-v0 -------------------------------------------------------------------- */

static dq_status size_cliff(const dq_env *env, int *w, int *h, dq_error *err) {
    *w = DQ_CLIFF_COLS * 60, *h = DQ_CLIFF_ROWS * 60;
    return DQ_OK;
}

static dq_status draw_cliff(cairo_t *cr, const dq_env *env, dq_renderer *r, dq_error *err) {
    const dq_cliff_state *s = dq_env_state(env);
    const double c = 60, u = c / 64;
    for (int y = 0; y < DQ_CLIFF_ROWS; y++)
        for (int x = 0; x < DQ_CLIFF_COLS; x++) {
            double px = x * c, py = y * c;
            bool cliff = y == 3 && x >= 1 && x <= 10;
            if (cliff) { /* a drop: dark rock with a lighter rim */
                dq_cr_rgb(cr, 45, 35, 40);
                cairo_rectangle(cr, px, py, c, c), cairo_fill(cr);
                dq_cr_rgb(cr, 110, 90, 80);
                cairo_rectangle(cr, px, py, c, 8), cairo_fill(cr);
            } else { /* grass with a few tufts */
                dq_cr_rgb(cr, 150, 200, 110);
                cairo_rectangle(cr, px, py, c, c), cairo_fill(cr);
                dq_cr_rgb(cr, 110, 165, 80);
                cairo_set_line_width(cr, 1.5);
                cairo_move_to(cr, px + 12, py + 20), cairo_line_to(cr, px + 15, py + 12);
                cairo_move_to(cr, px + 44, py + 46), cairo_line_to(cr, px + 47, py + 38);
                cairo_stroke(cr);
            }
            if (y == 3 && x == 0) { /* start stool */
                dq_cr_rgb(cr, 150, 100, 55);
                cairo_rectangle(cr, px + 18 * u, py + 30 * u, 28 * u, 6 * u);
                cairo_rectangle(cr, px + 20 * u, py + 36 * u, 4 * u, 16 * u);
                cairo_rectangle(cr, px + 40 * u, py + 36 * u, 4 * u, 16 * u), cairo_fill(cr);
            } else if (y == 3 && x == 11) { /* goal: a cookie */
                dq_cr_rgb(cr, 200, 150, 80);
                ellipse(cr, px + c / 2, py + c / 2, 18, 18), cairo_fill(cr);
                dq_cr_rgb(cr, 90, 50, 30);
                ellipse(cr, px + c / 2 - 6, py + c / 2 - 5, 3, 3);
                ellipse(cr, px + c / 2 + 7, py + c / 2 + 1, 3, 3);
                ellipse(cr, px + c / 2 - 2, py + c / 2 + 8, 3, 3), cairo_fill(cr);
            }
            dq_cr_rgb(cr, 180, 200, 230);
            cairo_set_line_width(cr, 1);
            cairo_rectangle(cr, px + 0.5, py + 0.5, c - 1, c - 1), cairo_stroke(cr);
        }
    /* CliffWalking's actions are 0 up, 1 right, 2 down, 3 left; the figure faces L/D/R/U */
    static const int FACE[4] = {3, 2, 1, 0};
    int dir = s->tt.last_action >= 0 && s->tt.last_action < 4 ? FACE[s->tt.last_action] : 1;
    draw_agent(cr, (s->tt.s % DQ_CLIFF_COLS) * c, (s->tt.s / DQ_CLIFF_COLS) * c, c, c, dir);
    return DQ_OK;
}
const dq_render_kind dq_render_toytext[] = {
    {"FrozenLake-v1", size_frozen, draw_frozen},
    {"FrozenLake8x8-v1", size_frozen, draw_frozen},
    {"Taxi-v3", size_taxi, draw_taxi},
    {"CliffWalking-v0", size_cliff, draw_cliff},
};
const int dq_render_toytext_n = sizeof dq_render_toytext / sizeof dq_render_toytext[0];
