/* cli_viz.c — the env viewer of cli_viz.h. */
#include "cli_viz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "deepq/fsio.h"

bool dq_viewer_open(dq_viewer *v, const dq_env *env, const char *video_path, bool human,
                    const char *screenshot, int fps, bool space_pauses) {
    memset(v, 0, sizeof *v);
    v->screenshot = screenshot;
    if (!video_path && !human && !screenshot) return true;
    dq_error err = {0};
    if (dq_renderer_create(env, &v->r, &err) != DQ_OK) {
        dq_cli_die(1, "%s", err.msg);
        return false;
    }
    v->w = dq_renderer_width(v->r), v->h = dq_renderer_height(v->r);
    v->rgb = calloc((size_t)v->w * v->h, 3);
    if (!v->rgb) {
        dq_cli_die(1, "out of memory");
        return false;
    }
    if (fps <= 0) fps = env->type->render_fps > 0 ? env->type->render_fps : 30;
    if (video_path && dq_video_open(&v->video, video_path, v->w, v->h, fps, &err) != DQ_OK) {
        dq_cli_die(1, "%s", err.msg);
        return false;
    }
    if (human) {
        dq_window_def d = dq_window_def_default();
        d.title = env->type->id, d.width = v->w, d.height = v->h, d.fps = fps;
        d.space_pauses = space_pauses;
        if (dq_window_open(&v->win, &d, &err) != DQ_OK) {
            dq_cli_die(1, "%s", err.msg);
            return false;
        }
    }
    return true;
}

bool dq_viewer_frame(dq_viewer *v, const dq_env *env) {
    if (!v->r) return true;
    dq_error err = {0};
    if (dq_render_frame(env, v->r, v->rgb, &err) != DQ_OK ||
        (v->video && dq_video_write(v->video, v->rgb, &err) != DQ_OK) ||
        (v->win && dq_window_show(v->win, v->rgb, &err) != DQ_OK)) {
        dq_cli_die(1, "%s", err.msg);
        return false;
    }
    v->frames++;
    return v->win ? dq_window_tick(v->win) : true;
}

dq_status dq_cli_step(dq_env *env, int64_t a, const double *ca, float *obs, dq_step *out,
                      dq_error *err) {
    return env->act_space.kind == DQ_SPACE_DISCRETE ? dq_env_step(env, a, obs, out, err)
                                                    : dq_env_step_cont(env, ca, obs, out, err);
}

bool dq_viewer_close(dq_viewer *v) {
    dq_error err = {0};
    bool ok = true;
    if (v->screenshot && v->r) {
        if (v->win && dq_window_screenshot(v->win, v->rgb, &err) != DQ_OK) {
            dq_cli_die(1, "%s", err.msg);
            ok = false;
        } else if (dq_rgb_write_png(v->screenshot, v->rgb, v->w, v->h, &err) != DQ_OK) {
            dq_cli_die(1, "%s", err.msg);
            ok = false;
        }
    }
    if (v->video) {
        const char *codec = dq_video_codec(v->video);
        char name[32];
        snprintf(name, sizeof name, "%s", codec);
        int64_t n = dq_video_frames(v->video);
        if (dq_video_close(v->video, &err) != DQ_OK) {
            dq_cli_die(1, "%s", err.msg);
            ok = false;
        } else {
            printf("video: %lld frames %dx%d (%s)\n", (long long)n, v->w, v->h, name);
        }
    }
    dq_window_close(v->win);
    dq_renderer_destroy(v->r);
    free(v->rgb);
    memset(v, 0, sizeof *v);
    return ok;
}

bool dq_cli_record_greedy(const char *env_id, const char *kwargs, dq_dqn *ag, int64_t seed,
                          const char *path, int64_t *length) {
    dq_error err = {0};
    char dir[4096];
    if (strlen(path) >= sizeof dir) {
        fprintf(stderr, "deepq: video path too long: %s\n", path);
        return false;
    }
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        if (dq_mkdir_p(dir, &err) != DQ_OK) {
            dq_cli_die(1, "%s", err.msg);
            return false;
        }
    }
    dq_env *env = NULL;
    if (dq_env_make(env_id, kwargs && *kwargs ? kwargs : NULL, &env, &err) != DQ_OK) {
        dq_cli_die(1, "%s", err.msg);
        return false;
    }
    dq_viewer v;
    bool ok = dq_viewer_open(&v, env, path, false, NULL, 0, true);
    float obs[DQ_SPACE_MAX];
    int64_t len = 0;
    if (ok) {
        dq_env_reset(env, seed, obs);
        ok = dq_viewer_frame(&v, env);
        dq_step so = {0};
        while (ok && !so.terminated && !so.truncated) {
            if (dq_env_step(env, dq_dqn_greedy(ag, obs, NULL), obs, &so, &err) != DQ_OK) {
                dq_cli_die(1, "%s", err.msg);
                ok = false;
                break;
            }
            len++;
            ok = dq_viewer_frame(&v, env);
        }
    }
    if (!dq_viewer_close(&v)) ok = false;
    dq_env_free(env);
    if (length) *length = len;
    return ok;
}
