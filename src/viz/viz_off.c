/* viz_off.c — deepq_viz of a build without drawing support (cmake -DDQ_VIZ=OFF): compiled
 * instead of the cairo/SDL2/FFmpeg/giflib sources, so such a build neither needs nor links
 * them. Every call that would draw, encode or open a window fails with DQ_EUNSUPPORTED and the
 * one message below (pointer outputs set to NULL); the rest keep their documented meaning for
 * a library that has no renderer. Defaults and the video schedule are in viz_common.c. */
#include "deepq/plot.h"
#include "deepq/render.h"
#include "deepq/video.h"
#include "deepq/window.h"

static dq_status off(dq_error *err) {
    return dq_fail(err, DQ_EUNSUPPORTED, "deepq was built without drawing support "
                                         "(cmake -DDQ_VIZ=ON needs cairo, SDL2, FFmpeg, giflib)");
}

dq_status dq_viz_available(dq_error *err) { return off(err); }

/* deepq/plot.h */
dq_status dq_plot_runs(const char *const *run_dirs, int n_runs, const char *out_dir,
                       const dq_plot_def *def, int *n_written, dq_error *err) {
    if (n_written) *n_written = 0;
    return off(err);
}

dq_status dq_plot_runs_grouped(const char *const *run_dirs, const char *const *groups,
                               int n_runs, const char *out_dir, const dq_plot_def *def,
                               int *n_written, dq_error *err) {
    if (n_written) *n_written = 0;
    return off(err);
}

/* deepq/render.h: no env has a renderer, so no renderer is ever created. */
dq_status dq_renderer_create(const dq_env *env, dq_renderer **out, dq_error *err) {
    *out = NULL;
    return off(err);
}

void dq_renderer_destroy(dq_renderer *r) {}
int dq_renderer_width(const dq_renderer *r) { return 0; }
int dq_renderer_height(const dq_renderer *r) { return 0; }
dq_status dq_render_frame(const dq_env *env, dq_renderer *r, uint8_t *rgb, dq_error *err) {
    return off(err);
}
bool dq_render_supported(const char *env_id) { return false; }
dq_status dq_rgb_write_png(const char *path, const uint8_t *rgb, int w, int h, dq_error *err) {
    return off(err);
}

/* deepq/video.h: no video is ever opened, so close has nothing to finish. */
dq_status dq_video_open(dq_video **out, const char *path, int width, int height, int fps,
                        dq_error *err) {
    *out = NULL;
    return off(err);
}
dq_status dq_video_write(dq_video *v, const uint8_t *rgb, dq_error *err) { return off(err); }
dq_status dq_video_close(dq_video *v, dq_error *err) { return DQ_OK; }
const char *dq_video_codec(const dq_video *v) { return "none"; }
int64_t dq_video_frames(const dq_video *v) { return 0; }

/* deepq/window.h: no window is ever opened; the queries answer as for a closed window. */
dq_status dq_window_open(dq_window **out, const dq_window_def *def, dq_error *err) {
    *out = NULL;
    return off(err);
}
void dq_window_close(dq_window *w) {}
dq_status dq_window_show(dq_window *w, const uint8_t *rgb, dq_error *err) { return off(err); }
bool dq_window_tick(dq_window *w) { return false; }
bool dq_window_poll(dq_window *w) { return false; }
bool dq_window_key_down(const dq_window *w, dq_key k) { return false; }
int dq_window_key_pressed(dq_window *w, dq_key k) { return 0; }
double dq_window_speed(const dq_window *w) { return 1; }
bool dq_window_paused(const dq_window *w) { return false; }
dq_status dq_window_screenshot(dq_window *w, uint8_t *rgb, dq_error *err) { return off(err); }
