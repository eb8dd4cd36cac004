/* render.c — dispatch of deepq/render.h by env id to the per-family renderers, and the
 * cairo-image → RGB copy. */
#include <stdlib.h>
#include <string.h>

#include "viz/render_internal.h"

typedef struct family {
    const dq_render_kind *kinds;
    const int *n;
} family;

static const dq_render_kind *find_kind(const char *id) {
    const family fams[] = {{dq_render_classic, &dq_render_classic_n},
                           {dq_render_toytext, &dq_render_toytext_n},
                           {dq_render_lunar, &dq_render_lunar_n},
                           {dq_render_flappy, &dq_render_flappy_n}};
    for (size_t f = 0; f < sizeof fams / sizeof fams[0]; f++)
        for (int i = 0; i < *fams[f].n; i++)
            if (!strcmp(fams[f].kinds[i].id, id)) return &fams[f].kinds[i];
    return NULL;
}

dq_status dq_viz_available(dq_error *err) { return DQ_OK; } /* viz_off.c: the other build */

bool dq_render_supported(const char *env_id) { return env_id && find_kind(env_id) != NULL; }

dq_status dq_renderer_create(const dq_env *env, dq_renderer **out, dq_error *err) {
    *out = NULL;
    const dq_render_kind *k = find_kind(env->type->id);
    if (!k) return dq_fail(err, DQ_EUNSUPPORTED, "no frame renderer for %s", env->type->id);
    int w = 0, h = 0;
    dq_status st = k->size(env, &w, &h, err);
    if (st != DQ_OK) return st;
    dq_renderer *r = calloc(1, sizeof *r);
    if (!r) return dq_fail(err, DQ_ENOMEM, "out of memory");
    r->kind = k, r->w = w, r->h = h, r->last_elapsed = -1;
    r->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(r->surface) != CAIRO_STATUS_SUCCESS) {
        dq_renderer_destroy(r);
        return dq_fail(err, DQ_ENOMEM, "render: cannot allocate a %dx%d image", w, h);
    }
    *out = r;
    return DQ_OK;
}

void dq_renderer_destroy(dq_renderer *r) {
    if (!r) return;
    if (r->surface) cairo_surface_destroy(r->surface);
    free(r);
}

int dq_renderer_width(const dq_renderer *r) { return r->w; }
int dq_renderer_height(const dq_renderer *r) { return r->h; }

dq_status dq_render_frame(const dq_env *env, dq_renderer *r, uint8_t *rgb, dq_error *err) {
    if (strcmp(env->type->id, r->kind->id))
        return dq_fail(err, DQ_EINVAL, "render: renderer made for %s, env is %s", r->kind->id,
                       env->type->id);
    cairo_t *cr = cairo_create(r->surface);
    dq_status st = r->kind->draw(cr, env, r, err);
    cairo_destroy(cr);
    r->last_elapsed = env->elapsed;
    if (st != DQ_OK) return st;
    cairo_surface_flush(r->surface);
    const uint8_t *d = cairo_image_surface_get_data(r->surface);
    int stride = cairo_image_surface_get_stride(r->surface);
    for (int y = 0; y < r->h; y++) {
        const uint32_t *row = (const uint32_t *)(d + (size_t)y * stride);
        uint8_t *o = rgb + (size_t)y * r->w * 3;
        for (int x = 0; x < r->w; x++) {
            uint32_t p = row[x]; /* 0x00RRGGBB in native order */
            o[3 * x] = (uint8_t)(p >> 16), o[3 * x + 1] = (uint8_t)(p >> 8), o[3 * x + 2] = (uint8_t)p;
        }
    }
    return DQ_OK;
}

dq_status dq_rgb_write_png(const char *path, const uint8_t *rgb, int w, int h, dq_error *err) {
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return dq_fail(err, DQ_EINVAL, "png %s: bad size %dx%d", path, w, h);
    }
    cairo_surface_flush(s);
    uint8_t *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(d + (size_t)y * stride);
        const uint8_t *i = rgb + (size_t)y * w * 3;
        for (int x = 0; x < w; x++)
            row[x] = (uint32_t)i[3 * x] << 16 | (uint32_t)i[3 * x + 1] << 8 | i[3 * x + 2];
    }
    cairo_surface_mark_dirty(s);
    cairo_status_t cs = cairo_surface_write_to_png(s, path);
    cairo_surface_destroy(s);
    if (cs != CAIRO_STATUS_SUCCESS)
        return dq_fail(err, DQ_EIO, "cannot write %s: %s", path, cairo_status_to_string(cs));
    return DQ_OK;
}
