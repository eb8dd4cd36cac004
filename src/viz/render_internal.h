/* render_internal.h — the frame renderers behind deepq/render.h: one table entry per env id,
 * each a draw function over a cairo context whose origin is the frame's top-left corner. */
#ifndef DQ_VIZ_RENDER_INTERNAL_H
#define DQ_VIZ_RENDER_INTERNAL_H

#include <cairo.h>

#include "deepq/render.h"

#define DQ_PARTICLES_MAX 512

/* A decorative particle (LunarLander's engine exhaust), in world units. */
typedef struct dq_particle {
    double x, y, vx, vy, ttl;
} dq_particle;

typedef struct dq_render_kind dq_render_kind;

struct dq_renderer {
    const dq_render_kind *kind;
    int w, h;
    cairo_surface_t *surface; /* RGB24 image of w x h */
    /* renderer-side state: never read by the env */
    dq_particle particles[DQ_PARTICLES_MAX];
    int n_particles;
    int64_t last_elapsed;     /* env->elapsed at the previous frame (-1 = none yet) */
};

struct dq_render_kind {
    const char *id;  /* Gymnasium id */
    /* Frame size for env (may depend on its options, e.g. FrozenLake's map). */
    dq_status (*size)(const dq_env *env, int *w, int *h, dq_error *err);
    /* Draw the state of env; r carries the renderer-side state. */
    dq_status (*draw)(cairo_t *cr, const dq_env *env, dq_renderer *r, dq_error *err);
};

/* Per-family tables (render_classic.c, render_toytext.c, render_lunar.c, render_flappy.c). */
extern const dq_render_kind dq_render_classic[];
extern const int dq_render_classic_n;
extern const dq_render_kind dq_render_toytext[];
extern const int dq_render_toytext_n;
extern const dq_render_kind dq_render_lunar[];
extern const int dq_render_lunar_n;
extern const dq_render_kind dq_render_flappy[];
extern const int dq_render_flappy_n;

/* Fill with an 8-bit RGB colour. */
static inline void dq_cr_rgb(cairo_t *cr, int r, int g, int b) {
    cairo_set_source_rgb(cr, r / 255.0, g / 255.0, b / 255.0);
}

#endif
