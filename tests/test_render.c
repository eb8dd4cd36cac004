/* test_render.c — frame renderers: every env with a renderer draws frames of Gymnasium's size
 * that are not blank, identical across two runs (hash), and rendering leaves the env's
 * trajectory bit-identical to a run that never renders (LunarLander's particles included). */
#include <stdlib.h>
#include <string.h>

#include "deepq/render.h"
#include "test.h"

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig\n"; }

typedef struct spec {
    const char *id;
    int w, h;
} spec;

static const spec SPECS[] = {
    {"CartPole-v1", 600, 400},   {"Acrobot-v1", 500, 500},       {"MountainCar-v0", 600, 400},
    {"MountainCarContinuous-v0", 600, 400}, {"Pendulum-v1", 500, 500},
    {"LunarLander-v3", 600, 400}, {"FlappyBird-v0", 288, 512},   {"FrozenLake-v1", 256, 256},
    {"FrozenLake8x8-v1", 512, 512}, {"Taxi-v3", 550, 350},       {"CliffWalking-v0", 720, 240},
};

static uint64_t fnv(const uint8_t *p, size_t n, uint64_t h) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* Step env with a fixed action pattern; returns the hash of all observations (and of all
 * frames when r is non-NULL, into *fh). Episodes restart with reset(seed = -1). */
static uint64_t run(const char *id, bool render, uint64_t *fh, int *min_colours, int steps) {
    dq_error err = {0};
    dq_env *env = NULL;
    if (dq_env_make(id, NULL, &env, &err) != DQ_OK) {
        CHECK_MSG(0, "%s: %s", id, err.msg);
        return 0;
    }
    dq_renderer *r = NULL;
    uint8_t *rgb = NULL;
    if (render) {
        CHECK_OK(dq_renderer_create(env, &r, &err));
        if (!r) {
            dq_env_free(env);
            return 0;
        }
        rgb = malloc((size_t)3 * dq_renderer_width(r) * dq_renderer_height(r));
    }
    float obs[DQ_SPACE_MAX];
    dq_env_reset(env, 7, obs);
    uint64_t h = fnv((const uint8_t *)obs, sizeof(float) * env->obs_space.size, 1469598103934665603ull);
    *fh = 1469598103934665603ull;
    *min_colours = 1 << 30;
    for (int t = 0; t < steps; t++) {
        if (r) {
            CHECK_OK(dq_render_frame(env, r, rgb, &err));
            size_t n = (size_t)3 * dq_renderer_width(r) * dq_renderer_height(r);
            *fh = fnv(rgb, n, *fh);
            /* count distinct colours (up to 8) */
            uint32_t seen[8];
            int ns = 0;
            for (size_t i = 0; i < n && ns < 8; i += 3) {
                uint32_t c = (uint32_t)rgb[i] << 16 | rgb[i + 1] << 8 | rgb[i + 2];
                int k = 0;
                while (k < ns && seen[k] != c) k++;
                if (k == ns) seen[ns++] = c;
            }
            if (ns < *min_colours) *min_colours = ns;
        }
        dq_step so;
        dq_status st;
        if (env->act_space.kind == DQ_SPACE_DISCRETE) {
            int64_t a = (t * 7 + t / 5) % env->act_space.n;
            if (!strcmp(id, "LunarLander-v3")) a = (t / 3) % 2 ? 2 : (t % 4); /* main engine often */
            st = dq_env_step(env, a, obs, &so, &err);
        } else {
            double a[DQ_SPACE_MAX];
            for (int i = 0; i < env->act_space.size; i++)
                a[i] = env->act_space.low[i] + (env->act_space.high[i] - env->act_space.low[i]) *
                                                   (((t * 5 + i * 3) % 11) / 10.0);
            st = dq_env_step_cont(env, a, obs, &so, &err);
        }
        CHECK_MSG(st == DQ_OK, "%s step %d: %s", id, t, err.msg);
        h = fnv((const uint8_t *)obs, sizeof(float) * env->obs_space.size, h);
        h = fnv((const uint8_t *)&so.reward, sizeof so.reward, h);
        if (so.terminated || so.truncated) dq_env_reset(env, -1, obs);
    }
    free(rgb);
    dq_renderer_destroy(r);
    dq_env_free(env);
    return h;
}

int main(void) {
    dq_error err = {0};
    for (size_t i = 0; i < sizeof SPECS / sizeof SPECS[0]; i++) {
        const spec *s = &SPECS[i];
        CHECK_MSG(dq_render_supported(s->id), "%s", s->id);
        dq_env *env = NULL;
        if (dq_env_make(s->id, NULL, &env, &err) != DQ_OK) {
            CHECK_MSG(0, "%s: %s", s->id, err.msg);
            continue;
        }
        float obs[DQ_SPACE_MAX];
        dq_env_reset(env, 0, obs);
        dq_renderer *r = NULL;
        CHECK_OK(dq_renderer_create(env, &r, &err));
        if (r) {
            CHECK_MSG(dq_renderer_width(r) == s->w && dq_renderer_height(r) == s->h,
                      "%s: %dx%d", s->id, dq_renderer_width(r), dq_renderer_height(r));
            dq_renderer_destroy(r);
        }
        dq_env_free(env);

        int steps = 50, colours = 0, colours2 = 0;
        uint64_t fh1, fh2, fh0;
        uint64_t h1 = run(s->id, true, &fh1, &colours, steps);
        uint64_t h2 = run(s->id, true, &fh2, &colours2, steps);
        uint64_t h0 = run(s->id, false, &fh0, &colours2, steps);
        CHECK_MSG(fh1 == fh2, "%s: frames differ between two identical runs", s->id);
        CHECK_MSG(h1 == h2 && h1 == h0, "%s: rendering changed the trajectory", s->id);
        CHECK_MSG(colours >= 3, "%s: a frame with only %d colours (blank?)", s->id, colours);
    }

    /* CartPole's look: white background, black cart at the centre after reset */
    dq_env *env = NULL;
    CHECK_OK(dq_env_make("CartPole-v1", NULL, &env, &err));
    float obs[4];
    dq_env_reset(env, 0, obs);
    dq_renderer *r = NULL;
    CHECK_OK(dq_renderer_create(env, &r, &err));
    uint8_t *rgb = malloc(600 * 400 * 3);
    CHECK_OK(dq_render_frame(env, r, rgb, &err));
    const uint8_t *bg = rgb + 3 * (20 * 600 + 20), *cart = rgb + 3 * ((400 - 95) * 600 + 300 + (int)(obs[0] * 125));
    CHECK(bg[0] == 255 && bg[1] == 255 && bg[2] == 255);
    CHECK(cart[0] == 0 && cart[1] == 0 && cart[2] == 0);
    /* a renderer made for another env is refused */
    dq_env *other = NULL;
    CHECK_OK(dq_env_make("Acrobot-v1", NULL, &other, &err));
    CHECK(dq_render_frame(other, r, rgb, &err) == DQ_EINVAL);
    CHECK(!dq_render_supported("NoSuchEnv-v0"));
    free(rgb);
    dq_renderer_destroy(r);
    dq_renderer_destroy(NULL);
    dq_env_free(env);
    dq_env_free(other);
    TEST_MAIN_END();
}
