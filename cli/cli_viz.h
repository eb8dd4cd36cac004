/* cli_viz.h — what `deepq enjoy` and `deepq play` share: an env "viewer" that renders every
 * frame once and sends it to a video file, the SDL window and/or a PNG screenshot. */
#ifndef DQ_CLI_VIZ_H
#define DQ_CLI_VIZ_H

#include <stdbool.h>
#include <stdint.h>

#include "deepq/env.h"
#include "deepq/render.h"
#include "deepq/video.h"
#include "deepq/window.h"

typedef struct dq_viewer {
    dq_renderer *r;
    uint8_t *rgb;           /* [h, w, 3] last frame */
    int w, h;
    dq_video *video;        /* NULL when not recording */
    dq_window *win;         /* NULL unless --render human */
    const char *screenshot; /* PNG written at close (window read-back, or the last frame) */
    int64_t frames;
} dq_viewer;

/* Open what was asked (any of video_path, human, screenshot may be absent; then frames are
 * not even rendered). fps <= 0: the env's render_fps. Prints the error and returns false. */
bool dq_viewer_open(dq_viewer *v, const dq_env *env, const char *video_path, bool human,
                    const char *screenshot, int fps, bool space_pauses);
/* Render the env's current state and emit it; paces and handles keys when a window is open.
 * Returns false when the user quit or an output failed (printed). */
bool dq_viewer_frame(dq_viewer *v, const dq_env *env);
/* Write the screenshot, finish the video, close the window; false (printed) on failure. */
bool dq_viewer_close(dq_viewer *v);
/* One step with whichever action the env takes: the discrete a, or the continuous ca. */
dq_status dq_cli_step(dq_env *env, int64_t a, const double *ca, float *obs, dq_step *out,
                      dq_error *err);

#include "deepq/dqn.h"

/* Play one greedy episode of ag on a fresh env (env_id with kwargs, reset with seed) and record
 * it to path (parent folder created); *length (may be NULL) gets its length. Uses its own env,
 * so the training env and every random stream are untouched. Prints and returns false on
 * failure. */
bool dq_cli_record_greedy(const char *env_id, const char *kwargs, dq_dqn *ag, int64_t seed,
                          const char *path, int64_t *length);

#endif
