/* deepq/render.h — RGB frames of an environment, at Gymnasium's size and look, drawn with cairo.
 *
 * A renderer reads an env's state (dq_env_state / dq_env_get_state) and never writes it: the
 * dynamics and the env's random stream are untouched whether or not you render. What only the
 * picture needs — LunarLander's engine particles, for instance — lives in the dq_renderer, with
 * its own random generator, and advances once per env step seen (call dq_render_frame after
 * every step when you want the particles to look right; skipping frames is harmless).
 *
 *   dq_renderer *r;
 *   if (dq_renderer_create(env, &r, &err) == DQ_OK) {
 *       uint8_t *rgb = malloc(3 * dq_renderer_width(r) * dq_renderer_height(r));
 *       dq_render_frame(env, r, rgb, &err);   // rgb[H, W, 3]
 *       ...
 *       dq_renderer_destroy(r);
 *   }
 *
 * Sizes: CartPole 600x400, Acrobot 500x500, MountainCar 600x400, Pendulum 500x500,
 * LunarLander 600x400, FrozenLake 64 px per tile, Taxi 550x350, CliffWalking 720x240,
 * FlappyBird 288x512. Toy-text envs also render as text: dq_env_render_text in deepq/env.h. */
#ifndef DEEPQ_RENDER_H
#define DEEPQ_RENDER_H

#include "deepq/common.h"
#include "deepq/env.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_renderer dq_renderer;

/* Renderer for env (its type and options fix the frame size). DQ_EUNSUPPORTED, naming the id,
 * for envs without one. *out owned by the caller. */
DQ_API dq_status dq_renderer_create(const dq_env *env, dq_renderer **out, dq_error *err);
/* Free r (NULL-safe). */
DQ_API void dq_renderer_destroy(dq_renderer *r);
/* Frame size in pixels. */
DQ_API int dq_renderer_width(const dq_renderer *r);
DQ_API int dq_renderer_height(const dq_renderer *r);
/* Draw env's current state into rgb[height, width, 3] (8-bit RGB, row-major). env must be the
 * env r was created for (or one of the same type and options). */
DQ_API dq_status dq_render_frame(const dq_env *env, dq_renderer *r, uint8_t *rgb, dq_error *err);
/* Whether env id has a frame renderer. */
DQ_API bool dq_render_supported(const char *env_id);

/* DQ_OK when this build can draw (frames, plots, videos, windows); DQ_EUNSUPPORTED with a
 * one-line reason when deepq was built with -DDQ_VIZ=OFF, where every drawing call fails so. */
DQ_API dq_status dq_viz_available(dq_error *err);

/* Write rgb[h, w, 3] as a PNG file (frames, window screenshots). */
DQ_API dq_status dq_rgb_write_png(const char *path, const uint8_t *rgb, int w, int h, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
