/* window.c — the SDL2 frame viewer of deepq/window.h: a streaming RGB24 texture scaled to the
 * window, key handling for pause / single-step / speed / quit, and frame pacing on SDL's
 * performance counter. */
#include "deepq/window.h"

#include <SDL2/SDL.h>
#include <stdlib.h>
#include <string.h>

struct dq_window {
    dq_window_def def;
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    bool quit, paused;
    int step_requests;  /* single steps asked while paused */
    double speed;
    Uint64 next_tick;   /* performance-counter time of the next frame */
    bool down[DQ_KEY_COUNT];
    int pressed[DQ_KEY_COUNT];
};

dq_status dq_window_open(dq_window **out, const dq_window_def *def, dq_error *err) {
    *out = NULL;
    if (def->width < 1 || def->height < 1 || def->fps < 1 || !(def->scale > 0))
        return dq_fail(err, DQ_EINVAL, "window: bad size %dx%d, fps %d or scale %g", def->width,
                       def->height, def->fps, def->scale);
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
        return dq_fail(err, DQ_EUNSUPPORTED, "window: no display (%s); run under xvfb-run or use --video",
                       SDL_GetError());
    /* SDL falls back to its offscreen driver when no display answers: a window nobody sees */
    const char *drv = SDL_GetCurrentVideoDriver(), *asked = SDL_getenv("SDL_VIDEODRIVER");
    if (drv && (!strcmp(drv, "offscreen") || !strcmp(drv, "dummy")) && !(asked && *asked)) {
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return dq_fail(err, DQ_EUNSUPPORTED,
                       "window: no display (set DISPLAY, run under xvfb-run, or use --video)");
    }
    dq_window *w = calloc(1, sizeof *w);
    if (!w) {
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    w->def = *def;
    w->speed = 1;
    int ww = (int)(def->width * def->scale + 0.5), wh = (int)(def->height * def->scale + 0.5);
    w->win = SDL_CreateWindow(def->title ? def->title : "deepq", SDL_WINDOWPOS_CENTERED,
                              SDL_WINDOWPOS_CENTERED, ww, wh,
                              def->hidden ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN);
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    if (w->win) w->ren = SDL_CreateRenderer(w->win, -1, 0);
    if (w->win && !w->ren) w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_SOFTWARE);
    if (w->ren)
        w->tex = SDL_CreateTexture(w->ren, SDL_PIXELFORMAT_RGB24, SDL_TEXTUREACCESS_STREAMING,
                                   def->width, def->height);
    if (!w->tex) {
        dq_status st = dq_fail(err, DQ_EUNSUPPORTED, "window: %s", SDL_GetError());
        dq_window_close(w);
        return st;
    }
    w->next_tick = SDL_GetPerformanceCounter();
    *out = w;
    return DQ_OK;
}

void dq_window_close(dq_window *w) {
    if (!w) return;
    if (w->tex) SDL_DestroyTexture(w->tex);
    if (w->ren) SDL_DestroyRenderer(w->ren);
    if (w->win) SDL_DestroyWindow(w->win);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    SDL_Quit();
    free(w);
}

static void present(dq_window *w) {
    SDL_RenderClear(w->ren);
    SDL_RenderCopy(w->ren, w->tex, NULL, NULL);
}

dq_status dq_window_show(dq_window *w, const uint8_t *rgb, dq_error *err) {
    if (SDL_UpdateTexture(w->tex, NULL, rgb, 3 * w->def.width) != 0)
        return dq_fail(err, DQ_EIO, "window: %s", SDL_GetError());
    present(w);
    SDL_RenderPresent(w->ren);
    return DQ_OK;
}

static int key_of(SDL_Keycode k) {
    switch (k) {
    case SDLK_LEFT: return DQ_KEY_LEFT;
    case SDLK_RIGHT: return DQ_KEY_RIGHT;
    case SDLK_UP: return DQ_KEY_UP;
    case SDLK_DOWN: return DQ_KEY_DOWN;
    case SDLK_SPACE: return DQ_KEY_SPACE;
    case SDLK_RETURN: case SDLK_KP_ENTER: return DQ_KEY_ENTER;
    case SDLK_w: return DQ_KEY_W;
    case SDLK_a: return DQ_KEY_A;
    case SDLK_s: return DQ_KEY_S;
    case SDLK_d: return DQ_KEY_D;
    case SDLK_r: return DQ_KEY_R;
    default: return -1;
    }
}

bool dq_window_poll(dq_window *w) {
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        if (e.type == SDL_QUIT) w->quit = true;
        else if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE) w->quit = true;
        else if (e.type == SDL_KEYDOWN || e.type == SDL_KEYUP) {
            SDL_Keycode k = e.key.keysym.sym;
            int dk = key_of(k);
            bool isdown = e.type == SDL_KEYDOWN;
            if (dk >= 0) {
                w->down[dk] = isdown;
                if (isdown && !e.key.repeat) w->pressed[dk]++;
            }
            if (!isdown) continue;
            if (k == SDLK_q || k == SDLK_ESCAPE) w->quit = true;
            else if ((k == SDLK_SPACE && w->def.space_pauses) || (k == SDLK_p && !w->def.space_pauses))
                w->paused = !w->paused;
            else if (w->paused && (k == SDLK_n || (k == SDLK_RIGHT && w->def.space_pauses)))
                w->step_requests++;
            else if (k == SDLK_PLUS || k == SDLK_KP_PLUS || k == SDLK_EQUALS)
                w->speed = w->speed * 2 > 64 ? 64 : w->speed * 2;
            else if (k == SDLK_MINUS || k == SDLK_KP_MINUS)
                w->speed = w->speed / 2 < 1.0 / 64 ? 1.0 / 64 : w->speed / 2;
        }
    }
    return !w->quit;
}

bool dq_window_tick(dq_window *w) {
    if (!dq_window_poll(w)) return false;
    while (w->paused && !w->step_requests && !w->quit) {
        SDL_Delay(10);
        dq_window_poll(w);
        w->next_tick = SDL_GetPerformanceCounter();
    }
    if (w->quit) return false;
    if (w->step_requests > 0) {
        w->step_requests--;
        return true;
    }
    Uint64 freq = SDL_GetPerformanceFrequency();
    w->next_tick += (Uint64)(freq / (w->def.fps * w->speed));
    Uint64 now = SDL_GetPerformanceCounter();
    if (now < w->next_tick) {
        Uint32 ms = (Uint32)((w->next_tick - now) * 1000 / freq);
        if (ms > 0) SDL_Delay(ms);
    } else if (now - w->next_tick > freq / 4) {
        w->next_tick = now; /* fell behind (slow policy): do not race to catch up */
    }
    return dq_window_poll(w);
}

bool dq_window_key_down(const dq_window *w, dq_key k) { return k < DQ_KEY_COUNT && w->down[k]; }

int dq_window_key_pressed(dq_window *w, dq_key k) {
    if (k >= DQ_KEY_COUNT) return 0;
    int n = w->pressed[k];
    w->pressed[k] = 0;
    return n;
}

double dq_window_speed(const dq_window *w) { return w->speed; }
bool dq_window_paused(const dq_window *w) { return w->paused; }

dq_status dq_window_screenshot(dq_window *w, uint8_t *rgb, dq_error *err) {
    int ow = 0, oh = 0;
    if (SDL_GetRendererOutputSize(w->ren, &ow, &oh) != 0 || ow < 1 || oh < 1)
        return dq_fail(err, DQ_EIO, "window: %s", SDL_GetError());
    uint8_t *buf = malloc((size_t)ow * oh * 3);
    if (!buf) return dq_fail(err, DQ_ENOMEM, "out of memory");
    present(w);
    int r = SDL_RenderReadPixels(w->ren, NULL, SDL_PIXELFORMAT_RGB24, buf, 3 * ow);
    SDL_RenderPresent(w->ren);
    if (r != 0) {
        free(buf);
        return dq_fail(err, DQ_EIO, "window: read back failed: %s", SDL_GetError());
    }
    int fw = w->def.width, fh = w->def.height;
    for (int y = 0; y < fh; y++)
        for (int x = 0; x < fw; x++) {
            int sx = (int)((x + 0.5) * ow / fw), sy = (int)((y + 0.5) * oh / fh);
            memcpy(rgb + 3 * ((size_t)y * fw + x), buf + 3 * ((size_t)sy * ow + sx), 3);
        }
    free(buf);
    return DQ_OK;
}
