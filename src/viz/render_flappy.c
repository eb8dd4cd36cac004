/* render_flappy.c — FlappyBird-v0 frames (288x512) in the layout of flappy-bird-gymnasium's
 * _draw_surface: background, the three pipe pairs at their top-left corners (52x320), the
 * scrolling ground at ground_y, the bird at (player_x, player_y) turned by its visible rotation
 * (min(rot, 20) degrees) with its wing frame; like the package's rgb_array mode, no LIDAR rays
 * and no score. The package blits sprite PNGs; we draw our own shapes in similar colours. */
#include <math.h>

#include "env/flappy.h"
#include "viz/render_internal.h"

static dq_status size_flappy(const dq_env *env, int *w, int *h, dq_error *err) {
    *w = DQ_FLAPPY_SCREEN_W, *h = DQ_FLAPPY_SCREEN_H;
    return DQ_OK;
}

static void pipe(cairo_t *cr, double x, double y, bool upper) {
    const double W = DQ_FLAPPY_PIPE_WIDTH, H = DQ_FLAPPY_PIPE_HEIGHT;
    dq_cr_rgb(cr, 115, 191, 46);
    cairo_rectangle(cr, x + 2, y, W - 4, H), cairo_fill(cr);
    dq_cr_rgb(cr, 155, 227, 89); /* highlight stripe */
    cairo_rectangle(cr, x + 6, y, 6, H), cairo_fill(cr);
    double ry = upper ? y + H - 24 : y; /* the rim faces the gap */
    dq_cr_rgb(cr, 115, 191, 46);
    cairo_rectangle(cr, x, ry, W, 24), cairo_fill(cr);
    dq_cr_rgb(cr, 84, 56, 71);
    cairo_set_line_width(cr, 2);
    cairo_rectangle(cr, x + 2, y, W - 4, H), cairo_stroke(cr);
    cairo_rectangle(cr, x + 1, ry + 1, W - 2, 22), cairo_stroke(cr);
}

static dq_status draw_flappy(cairo_t *cr, const dq_env *env, dq_renderer *r, dq_error *err) {
    const dq_flappy_state *s = dq_env_state(env);
    const double SW = DQ_FLAPPY_SCREEN_W;
    /* sky, clouds and a green skyline */
    dq_cr_rgb(cr, 78, 192, 202);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.93, 0.97, 0.93);
    for (int i = 0; i < 7; i++) {
        cairo_new_sub_path(cr);
        cairo_arc(cr, i * 48 + 10, 360 + (i % 2) * 6, 26, 0, 2 * M_PI);
    }
    cairo_rectangle(cr, 0, 362, SW, 44), cairo_fill(cr);
    dq_cr_rgb(cr, 94, 201, 104);
    for (int i = 0; i < 12; i++) {
        cairo_new_sub_path(cr);
        cairo_arc(cr, i * 26 + 6, 392, 16, 0, 2 * M_PI);
    }
    cairo_rectangle(cr, 0, 392, SW, 20), cairo_fill(cr);
    /* pipes */
    for (int i = 0; i < DQ_FLAPPY_NPIPES; i++) {
        pipe(cr, s->upper_x[i], s->upper_y[i], true);
        pipe(cr, s->lower_x[i], s->lower_y[i], false);
    }
    /* ground, striped so its scroll is visible */
    double gy = s->ground_y;
    dq_cr_rgb(cr, 222, 216, 149);
    cairo_rectangle(cr, 0, gy, SW, DQ_FLAPPY_SCREEN_H - gy), cairo_fill(cr);
    dq_cr_rgb(cr, 115, 191, 46);
    cairo_rectangle(cr, 0, gy, SW, 12), cairo_fill(cr);
    dq_cr_rgb(cr, 155, 227, 89);
    for (double x = fmod(s->ground_x, 24) - 24; x < SW + 24; x += 24) {
        cairo_move_to(cr, x, gy + 12), cairo_line_to(cr, x + 12, gy);
        cairo_line_to(cr, x + 20, gy), cairo_line_to(cr, x + 8, gy + 12), cairo_close_path(cr);
    }
    cairo_fill(cr);
    dq_cr_rgb(cr, 84, 56, 71);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, 0, gy + 1), cairo_line_to(cr, SW, gy + 1), cairo_stroke(cr);
    /* the bird: 34x24, turned by its visible rotation (positive = nose up) */
    double rot = s->player_rot <= DQ_FLAPPY_PLAYER_ROT_THR ? s->player_rot : DQ_FLAPPY_PLAYER_ROT_THR;
    const double bw = DQ_FLAPPY_PLAYER_WIDTH, bh = DQ_FLAPPY_PLAYER_HEIGHT;
    cairo_save(cr);
    cairo_translate(cr, s->player_x + bw / 2, s->player_y + bh / 2);
    cairo_rotate(cr, -rot * M_PI / 180);
    cairo_save(cr);
    cairo_scale(cr, bw / 2 - 1, bh / 2 - 1);
    cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(cr);
    dq_cr_rgb(cr, 250, 204, 40);
    cairo_fill_preserve(cr);
    dq_cr_rgb(cr, 84, 56, 71);
    cairo_set_line_width(cr, 2);
    cairo_stroke(cr);
    double wy = s->player_idx == 0 ? -4 : s->player_idx == 1 ? 1 : 5; /* wing up, mid, down */
    cairo_save(cr);
    cairo_translate(cr, -7, wy);
    cairo_scale(cr, 8, 5);
    cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(cr);
    dq_cr_rgb(cr, 252, 240, 220);
    cairo_fill_preserve(cr);
    dq_cr_rgb(cr, 84, 56, 71);
    cairo_set_line_width(cr, 1.5);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 1, 1, 1); /* eye */
    cairo_arc(cr, 8, -4, 5, 0, 2 * M_PI), cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_arc(cr, 10, -4, 2, 0, 2 * M_PI), cairo_fill(cr);
    dq_cr_rgb(cr, 240, 90, 40); /* beak */
    cairo_move_to(cr, 10, 1), cairo_line_to(cr, 19, 3), cairo_line_to(cr, 10, 7);
    cairo_close_path(cr), cairo_fill(cr);
    cairo_restore(cr);
    return DQ_OK;
}

const dq_render_kind dq_render_flappy[] = {
    {"FlappyBird-v0", size_flappy, draw_flappy},
};
const int dq_render_flappy_n = 1;
