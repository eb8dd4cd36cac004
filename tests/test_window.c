/* test_window.c — the SDL2 viewer under a virtual X server: a CartPole frame shown in the window
 * reads back (SDL_RenderReadPixels) identical and not blank; pause, single-step, speed and quit
 * keys act as documented. Without $DISPLAY the test re-runs itself under `xvfb-run -a`. */
#include <SDL2/SDL.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deepq/render.h"
#include "deepq/window.h"
#include "test.h"

/* X11/SDL keep process-lifetime allocations that LeakSanitizer would report. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
    return "leak:libX11\nleak:libSDL2\nleak:libxcb\nleak:libdbus\nleak:libfontconfig\n"
           "leak:libXcursor\nleak:libXi\nleak:libXrandr\nleak:libxkbcommon\nleak:libXext\n"
           "leak:libGL\nleak:libglapi\nleak:swrast_dri\nleak:libLLVM\n";
}

static void key(SDL_Keycode k) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    SDL_PushEvent(&e);
    e.type = SDL_KEYUP;
    e.key.state = SDL_RELEASED;
    SDL_PushEvent(&e);
}

int main(int argc, char **argv) {
    if (!getenv("DISPLAY") || !*getenv("DISPLAY")) {
        if (getenv("DQ_TEST_XVFB")) {
            fprintf(stderr, "no DISPLAY even under xvfb-run\n");
            return 1;
        }
        setenv("DQ_TEST_XVFB", "1", 1);
        /* -n: a server number apart from cli_viz.sh's so parallel ctest runs do not race for one */
        execlp("xvfb-run", "xvfb-run", "-a", "-n", "170", "-s", "-screen 0 800x600x24", argv[0],
               (char *)NULL);
        fprintf(stderr, "cannot run xvfb-run (install xvfb): needed for the window test\n");
        return 1;
    }
    /* SDL dlopens the X11 libraries and unloads them at SDL_Quit; keep them resident so that
     * LeakSanitizer can name (and the suppressions above match) their internal caches */
    const char *xlibs[] = {"libX11.so.6", "libXext.so.6", "libXcursor.so.1", "libXi.so.6",
                           "libXrandr.so.2", "libXss.so.1", "libXfixes.so.3", "libxkbcommon.so.0",
                           "libGL.so.1", "libGLX.so.0", "libGLX_mesa.so.0", "libglapi.so.0",
                           "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so", "libLLVM-15.so.1"};
    for (size_t i = 0; i < sizeof xlibs / sizeof xlibs[0]; i++)
        dlopen(xlibs[i], RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE);
    /* the software renderer: exact read-back, and no Mesa driver loaded and unloaded */
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    dq_error err = {0};
    dq_env *env = NULL;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    float obs[4];
    dq_env_reset(env, 1, obs);
    dq_renderer *r = NULL;
    CHECK_OK(dq_renderer_create(env, &r, &err));
    if (!r) return 1;
    int W = dq_renderer_width(r), H = dq_renderer_height(r);
    uint8_t *rgb = malloc((size_t)W * H * 3), *shot = malloc((size_t)W * H * 3);
    CHECK_OK(dq_render_frame(env, r, rgb, &err));

    dq_window_def d = dq_window_def_default();
    d.title = "deepq test", d.width = W, d.height = H, d.fps = 200;
    dq_window *w = NULL;
    dq_status st = dq_window_open(&w, &d, &err);
    CHECK_MSG(st == DQ_OK, "%s", err.msg);
    if (w) {
        CHECK_OK(dq_window_show(w, rgb, &err));
        CHECK(dq_window_tick(w));
        memset(shot, 0, (size_t)W * H * 3);
        CHECK_OK(dq_window_screenshot(w, shot, &err));
        long dark = 0, diff = 0;
        for (long i = 0; i < (long)W * H; i++) {
            if (shot[3 * i] < 100 && shot[3 * i + 1] < 100 && shot[3 * i + 2] < 100) dark++;
            for (int c = 0; c < 3; c++) diff += abs(shot[3 * i + c] - rgb[3 * i + c]) > 2;
        }
        CHECK_MSG(dark > 1000, "screenshot has %ld dark pixels (blank?)", dark); /* the cart */
        CHECK_MSG(diff == 0, "%ld channel values differ from the frame", diff);
        dq_rgb_write_png("window_shot.png", shot, W, H, &err);

        /* keys: space pauses, + doubles speed, n single-steps while paused, q quits */
        key(SDLK_SPACE);
        CHECK(dq_window_poll(w));
        CHECK(dq_window_paused(w));
        key(SDLK_PLUS);
        key(SDLK_MINUS);
        key(SDLK_PLUS);
        CHECK(dq_window_poll(w));
        CHECK_NEAR(dq_window_speed(w), 2.0, 0);
        key(SDLK_n);
        CHECK(dq_window_tick(w)); /* returns at once: one step granted */
        key(SDLK_LEFT);
        CHECK(dq_window_poll(w));
        CHECK(dq_window_key_pressed(w, DQ_KEY_LEFT) == 1);
        CHECK(dq_window_key_pressed(w, DQ_KEY_LEFT) == 0);
        key(SDLK_q);
        CHECK(!dq_window_tick(w)); /* quit also ends a pause */
        dq_window_close(w);
    }
    dq_window_close(NULL);
    free(rgb), free(shot);
    dq_renderer_destroy(r);
    dq_env_free(env);
    TEST_MAIN_END();
}
