/* render_toytext.c — grid-world frames and text: FrozenLake (64 px tiles, the window capped at
 * 512 px as Gymnasium's), drawn with plain cairo shapes in Gymnasium's layout and palette
 * (ice, holes, the goal's present, the start stool, the agent facing its last move; the tile
 * border colour (180, 200, 230) is Gymnasium's). Gymnasium draws sprites from PNG files; we draw
 * our own shapes instead. Text output follows Gymnasium's "ansi" mode. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "env/frozen_lake.h"
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
    int row = s->s / s->ncol, col = s->s % s->ncol;
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
        draw_agent(cr, px, py, cw, chh, s->last_action >= 0 ? s->last_action : 1);
    }
    return DQ_OK;
}

static dq_status text_frozen(const dq_env *env, bool color, char *buf, size_t cap, dq_error *err) {
    const dq_frozen_lake_state *s = dq_env_state(env);
    static const char *const ACT[4] = {"Left", "Down", "Right", "Up"};
    size_t n = 0;
    int w;
#define PUT(...)                                                                             \
    do {                                                                                     \
        w = snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__);                           \
        n += (size_t)(w > 0 ? w : 0);                                                        \
    } while (0)
    if (s->last_action >= 0 && s->last_action < 4) PUT("  (%s)\n", ACT[s->last_action]);
    else PUT("\n");
    for (int y = 0; y < s->nrow; y++) {
        for (int x = 0; x < s->ncol; x++) {
            char c = s->desc[y][x];
            if (y * s->ncol + x == s->s) {
                if (color) PUT("\x1b[41m%c\x1b[0m", c);
                else PUT("@");
            } else {
                PUT("%c", c);
            }
        }
        PUT("\n");
    }
#undef PUT
    if (n >= cap) return dq_fail(err, DQ_EINVAL, "render text: buffer of %zu bytes too small", cap);
    return DQ_OK;
}

const dq_render_kind dq_render_toytext[] = {
    {"FrozenLake-v1", size_frozen, draw_frozen, text_frozen},
    {"FrozenLake8x8-v1", size_frozen, draw_frozen, text_frozen},
};
const int dq_render_toytext_n = sizeof dq_render_toytext / sizeof dq_render_toytext[0];
