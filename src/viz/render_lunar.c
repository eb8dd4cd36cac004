/* render_lunar.c — LunarLander-v3 frames (600x400) as Gymnasium draws them: black sky above the
 * terrain polyline, white ground, the purple lander and legs with their dark outlines, the two
 * helipad flags, and the engines' exhaust particles.
 *
 * Gymnasium makes each particle a Box2D body, but only when rendering; here they are simulated
 * on the renderer side (ballistic under the env's gravity, bouncing off the terrain with
 * Box2D's restitution 0.3), seeded from the impulse the env recorded for the step, so the
 * physics and the random stream are exactly the same whether or not a frame is drawn. */
#include <math.h>

#include "env/lunar.h"
#include "viz/render_internal.h"

static dq_status size_lunar(const dq_env *env, int *w, int *h, dq_error *err) {
    *w = (int)DQ_LUNAR_VIEWPORT_W, *h = (int)DQ_LUNAR_VIEWPORT_H;
    return DQ_OK;
}

/* Terrain height (metres) under x, on the polyline through the chunk points. */
static double ground_at(const dq_lunar_state *s, double x) {
    if (x <= s->chunk_x[0]) return s->smooth_y[0];
    for (int i = 0; i + 1 < DQ_LUNAR_CHUNKS; i++)
        if (x <= s->chunk_x[i + 1]) {
            double t = (x - s->chunk_x[i]) / (s->chunk_x[i + 1] - s->chunk_x[i]);
            return s->smooth_y[i] + t * (s->smooth_y[i + 1] - s->smooth_y[i]);
        }
    return s->smooth_y[DQ_LUNAR_CHUNKS - 1];
}

static void spawn(dq_renderer *r, double density, const double pos[2], const double imp[2],
                  double ttl) {
    if (r->n_particles == DQ_PARTICLES_MAX) { /* drop the oldest */
        for (int i = 1; i < r->n_particles; i++) r->particles[i - 1] = r->particles[i];
        r->n_particles--;
    }
    double rad = 2 / DQ_LUNAR_SCALE, mass = density * M_PI * rad * rad;
    r->particles[r->n_particles++] =
        (dq_particle){pos[0], pos[1], imp[0] / mass, imp[1] / mass, ttl};
}

/* Advance the particles by the env steps since the last frame (spawn from the last step). */
static void update_particles(const dq_env *env, const dq_lunar_state *s, dq_renderer *r) {
    if (env->elapsed == r->last_elapsed) return;
    if (env->elapsed == 0 || env->elapsed < r->last_elapsed) { /* reset: the world was rebuilt */
        r->n_particles = 0;
        return;
    }
    const dq_lunar_engines *e = &s->engines;
    if (e->m_power > 0) spawn(r, 3.5, e->main_pos, e->main_impulse, e->m_power);
    if (e->s_power > 0) spawn(r, 0.7, e->side_pos, e->side_impulse, e->s_power);
    double dt = 1.0 / DQ_LUNAR_FPS, g = s->gravity;
    int k = 0;
    for (int i = 0; i < r->n_particles; i++) {
        dq_particle p = r->particles[i];
        p.vy += g * dt;
        p.x += p.vx * dt, p.y += p.vy * dt;
        double gy = ground_at(s, p.x) + 2 / DQ_LUNAR_SCALE;
        if (p.y < gy && p.vy < 0) p.y = gy, p.vy = -0.3 * p.vy, p.vx *= 0.9;
        p.ttl -= 0.15;
        if (p.ttl >= 0) r->particles[k++] = p;
    }
    r->n_particles = k;
}

/* Polygon of body-frame vertices v[n][2] (metres) at pose b, in pixels. */
static void body_path(cairo_t *cr, const dq_lunar_body *b, const double (*v)[2], int n) {
    double c = cos(b->angle), sn = sin(b->angle);
    for (int i = 0; i < n; i++) {
        double x = (b->x + v[i][0] * c - v[i][1] * sn) * DQ_LUNAR_SCALE;
        double y = (b->y + v[i][0] * sn + v[i][1] * c) * DQ_LUNAR_SCALE;
        if (i == 0) cairo_move_to(cr, x, y);
        else cairo_line_to(cr, x, y);
    }
    cairo_close_path(cr);
}

static void draw_body(cairo_t *cr, const dq_lunar_body *b, const double (*v)[2], int n) {
    body_path(cr, b, v, n);
    dq_cr_rgb(cr, 128, 102, 230);
    cairo_fill_preserve(cr);
    dq_cr_rgb(cr, 77, 77, 128);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
}

static dq_status draw_lunar(cairo_t *cr, const dq_env *env, dq_renderer *r, dq_error *err) {
    const dq_lunar_state *s = dq_env_state(env);
    const double H = DQ_LUNAR_VIEWPORT_H, S = DQ_LUNAR_SCALE;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    if (!s->b2) return dq_fail(err, DQ_EINVAL, "render LunarLander-v3: reset the env first");
    update_particles(env, s, r);
    cairo_translate(cr, 0, H);
    cairo_scale(cr, 1, -1);
    /* sky: everything above the terrain polyline is black */
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, s->chunk_x[0] * S, H + 1);
    for (int i = 0; i < DQ_LUNAR_CHUNKS; i++) cairo_line_to(cr, s->chunk_x[i] * S, s->smooth_y[i] * S);
    cairo_line_to(cr, s->chunk_x[DQ_LUNAR_CHUNKS - 1] * S, H + 1);
    cairo_close_path(cr);
    cairo_fill(cr);
    /* particles: red-orange fading to grey as their ttl runs out */
    for (int i = 0; i < r->n_particles; i++) {
        const dq_particle *p = &r->particles[i];
        cairo_set_source_rgb(cr, fmax(0.2, 0.15 + p->ttl), fmax(0.2, 0.5 * p->ttl),
                             fmax(0.2, 0.5 * p->ttl));
        cairo_new_sub_path(cr);
        cairo_arc(cr, p->x * S, p->y * S, 2, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    /* legs (boxes of half-size LEG_W x LEG_H pixels), then the lander */
    const double lw = DQ_LUNAR_LEG_W / S, lh = DQ_LUNAR_LEG_H / S;
    const double leg[4][2] = {{-lw, -lh}, {lw, -lh}, {lw, lh}, {-lw, lh}};
    for (int i = 0; i < 2; i++) draw_body(cr, &s->legs[i], leg, 4);
    draw_body(cr, &s->lander, dq_lunar_lander_poly, DQ_LUNAR_LANDER_NV);
    /* helipad flags */
    for (int k = 0; k < 2; k++) {
        double x = floor((k ? s->helipad_x2 : s->helipad_x1) * S), y1 = s->helipad_y * S,
               y2 = y1 + 50;
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, x + 0.5, y1), cairo_line_to(cr, x + 0.5, y2), cairo_stroke(cr);
        dq_cr_rgb(cr, 204, 204, 0);
        cairo_move_to(cr, x, y2), cairo_line_to(cr, x, y2 - 10), cairo_line_to(cr, x + 25, y2 - 5);
        cairo_close_path(cr);
        cairo_fill(cr);
    }
    return DQ_OK;
}

const dq_render_kind dq_render_lunar[] = {
    {"LunarLander-v3", size_lunar, draw_lunar},
};
const int dq_render_lunar_n = 1;
