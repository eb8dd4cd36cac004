/* bench_render.c — frames per second of each env's cairo renderer (frame drawn and copied to
 * RGB), and of MP4 (libx264) and GIF encoding of CartPole frames. Gymnasium's pygame
 * rgb_array rendering is timed beside when gymnasium is importable (bench_render_gym.py).
 * usage: bench_render [frames per env] */
#include "bench_clock.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deepq/render.h"
#include "deepq/video.h"

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 500;
    const char *ids[] = {"CartPole-v1", "Acrobot-v1", "MountainCar-v0", "Pendulum-v1",
                         "LunarLander-v3", "FlappyBird-v0", "FrozenLake-v1", "Taxi-v3",
                         "CliffWalking-v0"};
    dq_error err = {0};
    printf("%-18s %10s\n", "env", "frames/s");
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        dq_env *env;
        dq_renderer *r;
        if (dq_env_make(ids[k], NULL, &env, &err) || dq_renderer_create(env, &r, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        uint8_t *rgb = malloc((size_t)3 * dq_renderer_width(r) * dq_renderer_height(r));
        float obs[DQ_SPACE_MAX];
        dq_env_reset(env, 0, obs);
        double best = 0;
        for (int rep = 0; rep < 3; rep++) {
            double t = bench_wall();
            for (int i = 0; i < n; i++) dq_render_frame(env, r, rgb, &err);
            double fps = n / (bench_wall() - t);
            if (fps > best) best = fps;
        }
        printf("%-18s %10.0f\n", ids[k], best);
        free(rgb);
        dq_renderer_destroy(r);
        dq_env_free(env);
    }
    /* encoding: CartPole frames of a random-ish trajectory */
    dq_env *env;
    dq_renderer *r;
    dq_env_make("CartPole-v1", NULL, &env, &err);
    dq_renderer_create(env, &r, &err);
    uint8_t *rgb = malloc(600 * 400 * 3);
    const char *outs[] = {"/tmp/bench_render.mp4", "/tmp/bench_render.gif"};
    for (int o = 0; o < 2; o++) {
        float obs[4];
        dq_env_reset(env, 0, obs);
        dq_video *v;
        if (dq_video_open(&v, outs[o], 600, 400, 50, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        double t = bench_wall();
        for (int i = 0; i < n; i++) {
            dq_step so;
            if (dq_env_step(env, i % 2, obs, &so, &err) || so.terminated || so.truncated)
                dq_env_reset(env, -1, obs);
            dq_render_frame(env, r, rgb, &err);
            dq_video_write(v, rgb, &err);
        }
        const char *codec = o ? "gif" : "mp4";
        dq_video_close(v, &err);
        printf("render + encode %s: %.0f frames/s\n", codec, n / (bench_wall() - t));
        remove(outs[o]);
    }
    free(rgb);
    dq_renderer_destroy(r);
    dq_env_free(env);
    return 0;
}
