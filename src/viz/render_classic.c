/* render_classic.c — CartPole, Acrobot, MountainCar (and its continuous twin) and Pendulum
 * frames with the geometry and colours of Gymnasium's pygame renderers (same sizes, scales,
 * shapes, RGB values). Drawing happens in a y-up frame (origin bottom-left) as Gymnasium draws
 * before its final vertical flip. Positions come from dq_env_get_state (Gymnasium's
 * env.unwrapped.state); the goal flag and the pendulum's last torque from the state structs. */
#include <math.h>

#include "env/mountain_car.h"
#include "env/pendulum.h"
#include "viz/render_internal.h"

/* Read n state values (Gymnasium's env.unwrapped.state). */
static dq_status state_of(const dq_env *env, double *s, int n, dq_error *err) {
    int got = dq_env_get_state(env, s, n);
    if (got < n)
        return dq_fail(err, DQ_EUNSUPPORTED, "render %s: env exposes %d state values, need %d",
                       env->type->id, got, n);
    return DQ_OK;
}

static void y_up(cairo_t *cr, int h) {
    cairo_translate(cr, 0, h);
    cairo_scale(cr, 1, -1);
}

static void white(cairo_t *cr) {
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
}

/* Filled polygon of the rectangle (l, b)-(r, t) rotated by a (radians, counter-clockwise in the
 * y-up frame, as pygame's rotate_rad before the flip) and moved to (ox, oy). */
static void rot_rect(cairo_t *cr, double l, double r, double t, double b, double a, double ox,
                     double oy) {
    double c = cos(a), s = sin(a);
    double pts[4][2] = {{l, b}, {l, t}, {r, t}, {r, b}};
    for (int i = 0; i < 4; i++) {
        double x = pts[i][0] * c - pts[i][1] * s + ox, y = pts[i][0] * s + pts[i][1] * c + oy;
        if (i == 0) cairo_move_to(cr, x, y);
        else cairo_line_to(cr, x, y);
    }
    cairo_close_path(cr);
    cairo_fill(cr);
}

static void disc(cairo_t *cr, double x, double y, double rad) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, rad, 0, 2 * M_PI);
    cairo_fill(cr);
}

/* ---- CartPole-v1: 600x400 ---------------------------------------------------------------- */

static dq_status size_600x400(const dq_env *env, int *w, int *h, dq_error *err) {
    *w = 600, *h = 400;
    return DQ_OK;
}

static dq_status size_500(const dq_env *env, int *w, int *h, dq_error *err) {
    *w = 500, *h = 500;
    return DQ_OK;
}

static dq_status draw_cartpole(cairo_t *cr, const dq_env *env, dq_renderer *r, dq_error *err) {
    double s[4];
    dq_status st = state_of(env, s, 4, err);
    if (st != DQ_OK) return st;
    const double x_threshold = 2.4, length = 0.5;
    double scale = 600 / (2 * x_threshold);
    double polewidth = 10, polelen = scale * (2 * length), cartwidth = 50, cartheight = 30;
    white(cr);
    y_up(cr, 400);
    double cartx = s[0] * scale + 300, carty = 100, axleoffset = cartheight / 4.0;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_rectangle(cr, cartx - cartwidth / 2, carty - cartheight / 2, cartwidth, cartheight);
    cairo_fill(cr);
    dq_cr_rgb(cr, 202, 152, 101);
    /* pygame rotates by -theta in its y-up frame: the pole leans right for theta > 0 */
    rot_rect(cr, -polewidth / 2, polewidth / 2, polelen - polewidth / 2, -polewidth / 2, -s[2],
             cartx, carty + axleoffset);
    dq_cr_rgb(cr, 129, 132, 203);
    disc(cr, floor(cartx), carty + axleoffset, polewidth / 2);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, 0, carty + 0.5), cairo_line_to(cr, 600, carty + 0.5), cairo_stroke(cr);
    return DQ_OK;
}

/* ---- Acrobot-v1: 500x500 ----------------------------------------------------------------- */

static dq_status draw_acrobot(cairo_t *cr, const dq_env *env, dq_renderer *r, dq_error *err) {
    double s[4];
    dq_status st = state_of(env, s, 4, err);
    if (st != DQ_OK) return st;
    const double L1 = 1.0, L2 = 1.0, bound = L1 + L2 + 0.2, scale = 500 / (bound * 2), off = 250;
    white(cr);
    y_up(cr, 500);
    double p1[2] = {-L1 * cos(s[0]) * scale, L1 * sin(s[0]) * scale};
    double p2[2] = {p1[0] - L2 * cos(s[0] + s[1]) * scale, p1[1] + L2 * sin(s[0] + s[1]) * scale};
    /* Gymnasium swaps the coordinates of each joint: (x, y) = (p[1], p[0]) */
    double joints[2][2] = {{0, 0}, {p1[1], p1[0]}};
    double th[2] = {s[0] - M_PI / 2, s[0] + s[1] - M_PI / 2};
    (void)p2;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, -2.2 * scale + off, 1 * scale + off + 0.5);
    cairo_line_to(cr, 2.2 * scale + off, 1 * scale + off + 0.5);
    cairo_stroke(cr);
    for (int i = 0; i < 2; i++) {
        double x = joints[i][0] + off, y = joints[i][1] + off;
        dq_cr_rgb(cr, 0, 204, 204);
        rot_rect(cr, 0, (i ? L2 : L1) * scale, 0.1 * scale, -0.1 * scale, th[i], x, y);
        dq_cr_rgb(cr, 204, 204, 0);
        disc(cr, floor(x), floor(y), floor(0.1 * scale));
    }
    return DQ_OK;
}

/* ---- MountainCar-v0 / MountainCarContinuous-v0: 600x400 ----------------------------------- */

static double mc_height(double x) { return sin(3 * x) * 0.45 + 0.55; }

static dq_status draw_mountaincar(cairo_t *cr, const dq_env *env, dq_renderer *r,
                                  dq_error *err) {
    double s[2];
    dq_status st = state_of(env, s, 2, err);
    if (st != DQ_OK) return st;
    const double min_pos = -1.2, max_pos = 0.6, scale = 600 / (max_pos - min_pos);
    double goal = ((const dq_mountain_car_state *)dq_env_state(env))->goal_position;
    const double carwidth = 40, carheight = 20, clearance = 10;
    white(cr);
    y_up(cr, 400);
    /* the hill: 100 points, black line */
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1.2);
    for (int i = 0; i < 100; i++) {
        double x = min_pos + (max_pos - min_pos) * i / 99.0;
        double px = (x - min_pos) * scale, py = mc_height(x) * scale;
        if (i == 0) cairo_move_to(cr, px, py);
        else cairo_line_to(cr, px, py);
    }
    cairo_stroke(cr);
    double pos = s[0], ang = cos(3 * pos);
    double ox = (pos - min_pos) * scale, oy = clearance + mc_height(pos) * scale;
    rot_rect(cr, -carwidth / 2, carwidth / 2, carheight, 0, ang, ox, oy);
    dq_cr_rgb(cr, 128, 128, 128);
    for (int k = 0; k < 2; k++) {
        double cx = (k ? -1 : 1) * carwidth / 4;
        disc(cr, floor(cx * cos(ang) + ox), floor(cx * sin(ang) + oy), floor(carheight / 2.5));
    }
    double flagx = floor((goal - min_pos) * scale), flagy1 = floor(mc_height(goal) * scale);
    double flagy2 = flagy1 + 50;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, flagx + 0.5, flagy1), cairo_line_to(cr, flagx + 0.5, flagy2);
    cairo_stroke(cr);
    dq_cr_rgb(cr, 204, 204, 0);
    cairo_move_to(cr, flagx, flagy2), cairo_line_to(cr, flagx, flagy2 - 10);
    cairo_line_to(cr, flagx + 25, flagy2 - 5), cairo_close_path(cr), cairo_fill(cr);
    return DQ_OK;
}

/* ---- Pendulum-v1: 500x500 ---------------------------------------------------------------- */

static dq_status draw_pendulum(cairo_t *cr, const dq_env *env, dq_renderer *r, dq_error *err) {
    const dq_pendulum_state *ps = dq_env_state(env);
    double s[2] = {ps->th, ps->last_u};
    const double bound = 2.2, scale = 500 / (bound * 2), off = 250;
    double rod_length = 1 * scale, rod_width = 0.2 * scale, a = s[0] + M_PI / 2;
    white(cr);
    y_up(cr, 500);
    dq_cr_rgb(cr, 204, 77, 77);
    rot_rect(cr, 0, rod_length, rod_width / 2, -rod_width / 2, a, off, off);
    disc(cr, off, off, floor(rod_width / 2));
    disc(cr, floor(rod_length * cos(a) + off), floor(rod_length * sin(a) + off),
         floor(rod_width / 2));
    /* the last torque as a curved arrow whose size grows with |u|, like Gymnasium's
     * clockwise.png (not drawn after reset, when last_u is None) */
    if (isfinite(s[1]) && s[1] != 0) {
        double u = s[1], rad = scale * fabs(u) / 4;
        cairo_set_source_rgba(cr, 0, 0, 0, 0.85);
        cairo_set_line_width(cr, fmax(2, rad / 8));
        double a0 = M_PI * 0.15, a1 = M_PI * 1.55;
        cairo_new_path(cr);
        cairo_arc(cr, off, off, rad, a0, a1);
        cairo_stroke(cr);
        /* head at the end the torque turns towards: u > 0 counter-clockwise (y-up frame) */
        double ae = u > 0 ? a1 : a0, dir = u > 0 ? 1 : -1;
        double hx = off + rad * cos(ae), hy = off + rad * sin(ae);
        double tx = -sin(ae) * dir, ty = cos(ae) * dir; /* tangent */
        double nx = cos(ae), ny = sin(ae), hl = fmax(6, rad / 3);
        cairo_move_to(cr, hx + tx * hl, hy + ty * hl);
        cairo_line_to(cr, hx + nx * hl / 2, hy + ny * hl / 2);
        cairo_line_to(cr, hx - nx * hl / 2, hy - ny * hl / 2);
        cairo_close_path(cr);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    disc(cr, off, off, floor(0.05 * scale));
    return DQ_OK;
}

const dq_render_kind dq_render_classic[] = {
    {"CartPole-v1", size_600x400, draw_cartpole},
    {"CartPole-v0", size_600x400, draw_cartpole},
    {"Acrobot-v1", size_500, draw_acrobot},
    {"MountainCar-v0", size_600x400, draw_mountaincar},
    {"MountainCarContinuous-v0", size_600x400, draw_mountaincar},
    {"Pendulum-v1", size_500, draw_pendulum},
};
const int dq_render_classic_n = sizeof dq_render_classic / sizeof dq_render_classic[0];
