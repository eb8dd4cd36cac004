/* deepq/window.h — a window that shows RGB frames (SDL2), paced at an fps, with keys for a
 * viewer: space pauses, n or the right arrow steps one frame while paused, + and - change the
 * speed (x2 / x0.5), q or Esc quits. For `deepq play` the keys are also read as game input
 * (dq_window_key_down / dq_window_key_pressed); set def.space_pauses = false there so space can
 * be a game key (p then pauses).
 *
 *   dq_window_def d = dq_window_def_default();
 *   d.title = "CartPole-v1"; d.width = 600; d.height = 400; d.fps = 50;
 *   dq_window *w; dq_window_open(&w, &d, &err);
 *   while (dq_window_show(w, rgb, &err) == DQ_OK && dq_window_tick(w)) { ...step... }
 *   dq_window_close(w);
 *
 * One window per process (SDL's video subsystem is process-wide). */
#ifndef DEEPQ_WINDOW_H
#define DEEPQ_WINDOW_H

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_window_def {
    const char *title; /* window title ("deepq") */
    int width, height; /* frame size in pixels (required) */
    int fps;           /* frames per second at speed 1 (30) */
    double scale;      /* window size / frame size (1) */
    bool space_pauses; /* space toggles pause (true); false: p does */
    bool hidden;       /* create the window hidden (tests) (false) */
} dq_window_def;

/* Defaults as listed above; width and height must be set. */
DQ_API dq_window_def dq_window_def_default(void);

typedef enum dq_key {
    DQ_KEY_LEFT = 0, DQ_KEY_RIGHT, DQ_KEY_UP, DQ_KEY_DOWN, DQ_KEY_SPACE, DQ_KEY_ENTER,
    DQ_KEY_W, DQ_KEY_A, DQ_KEY_S, DQ_KEY_D, DQ_KEY_R, DQ_KEY_COUNT
} dq_key;

typedef struct dq_window dq_window;

/* Open the window. DQ_EUNSUPPORTED (with SDL's reason) when no display is available. */
DQ_API dq_status dq_window_open(dq_window **out, const dq_window_def *def, dq_error *err);
/* Close and free (NULL-safe). */
DQ_API void dq_window_close(dq_window *w);
/* Show rgb[height, width, 3] (copied). */
DQ_API dq_status dq_window_show(dq_window *w, const uint8_t *rgb, dq_error *err);
/* Handle events and wait for the next frame time (fps x speed); while paused, waits until the
 * user unpauses, single-steps or quits. Returns false once the user asked to quit (or closed
 * the window). */
DQ_API bool dq_window_tick(dq_window *w);
/* Handle pending events without waiting; false once quit was asked. */
DQ_API bool dq_window_poll(dq_window *w);
/* Whether key k is held down now. */
DQ_API bool dq_window_key_down(const dq_window *w, dq_key k);
/* Presses of key k since the last call for k (edge-triggered input for turn-based games). */
DQ_API int dq_window_key_pressed(dq_window *w, dq_key k);
/* Current speed factor (1 = fps) and pause state. */
DQ_API double dq_window_speed(const dq_window *w);
DQ_API bool dq_window_paused(const dq_window *w);
/* Read back what the window's renderer holds now into rgb[height, width, 3] at frame size. */
DQ_API dq_status dq_window_screenshot(dq_window *w, uint8_t *rgb, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
