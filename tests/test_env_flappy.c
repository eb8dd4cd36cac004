/* test_env_flappy.c — FlappyBird-v0: pygame's line clipping, options and bad input, reward
 * semantics (alive, top of the screen, death), observation ranges, state get/set, determinism,
 * and bit-exact replay of episodes recorded from the flappy-bird-gymnasium package (fixtures
 * made by tests/ref/make_flappy_golden.py, its np_random draws injected). */
#include <string.h>

#include "deepq/env.h"
#include "env/flappy.h"
#include "deepq/golden.h"
#include "test.h"

static void test_clipline(void) {
    /* expected values printed by pygame 2.6.1's Rect.clipline */
    int c[4];
    CHECK(dq_flappy_clipline(10, 10, 20, 20, 5.9, 5.5, 50.2, 40.7, c));
    CHECK(c[0] == 11 && c[1] == 10 && c[2] == 29 && c[3] == 24);
    CHECK(dq_flappy_clipline(10, 10, 20, 20, 50.2, 40.7, 5.9, 5.5, c));
    CHECK(c[0] == 29 && c[1] == 24 && c[2] == 12 && c[3] == 10);
    CHECK(dq_flappy_clipline(0, 0, 10, 10, -3.7, -2.2, 20.9, 15.2, c));
    CHECK(c[0] == 0 && c[1] == 0 && c[2] == 9 && c[3] == 6);
    CHECK(dq_flappy_clipline(10, 10, 20, 20, 0.0, 15.7, 50.2, 15.7, c));
    CHECK(c[0] == 10 && c[1] == 15 && c[2] == 29 && c[3] == 15);
    CHECK(!dq_flappy_clipline(10, 10, 20, 20, 0, 0, 9, 9, c));
    CHECK(!dq_flappy_clipline(8, 282, 52, 320, 147.7, 178.6, 294.3, 178.6, c));
}

static void test_options(void) {
    dq_error err;
    dq_env *env = NULL;
    CHECK_OK(dq_env_make("FlappyBird-v0", NULL, &env, &err));
    CHECK(env && env->obs_space.size == 180 && env->act_space.n == 2);
    CHECK(env && env->max_episode_steps == 0 && env->type->render_fps == 30);
    dq_env_free(env);
    env = NULL;
    CHECK_OK(dq_env_make("FlappyBird-v0", "use_lidar=false", &env, &err));
    CHECK(env && env->obs_space.size == 12 && env->obs_space.low[0] == -1.0);
    float obs[12];
    dq_step st;
    if (env) {
        dq_env_reset(env, 0, obs);
        CHECK(dq_env_step(env, 2, obs, &st, &err) == DQ_EINVAL);
        CHECK(dq_env_step(env, -1, obs, &st, &err) == DQ_EINVAL);
    }
    dq_env_free(env);
    env = NULL;
    CHECK(dq_env_make("FlappyBird-v0", "pipe_gap=0", &env, &err) == DQ_EINVAL && !env);
    CHECK(strstr(err.msg, "pipe_gap") != NULL);
    CHECK(dq_env_make("FlappyBird-v0", "use_lidar=2", &env, &err) == DQ_EINVAL);
    CHECK(dq_env_make("FlappyBird-v0", "score_limit=3", &env, &err) != DQ_OK);
}

/* Play a fixed policy: 0 idle, 1 always flap. Returns steps; checks rewards and obs ranges. */
static int play(const char *kwargs, int64_t seed, int policy, double *ret, bool *saw_top) {
    dq_error err;
    dq_env *env = NULL;
    if (dq_env_make("FlappyBird-v0", kwargs, &env, &err)) return -1;
    float obs[180];
    dq_env_reset(env, seed, obs);
    const int n = env->obs_space.size;
    dq_step st = {0};
    int t = 0;
    *ret = 0;
    *saw_top = false;
    bool bad_reward = false, bad_obs = false;
    for (; t < 2000; t++) {
        if (dq_env_step(env, policy, obs, &st, &err)) break;
        *ret += st.reward;
        const dq_flappy_state *fs = dq_env_state(env);
        if (st.reward == -0.5 && fs->player_y < 0) *saw_top = true;
        if (!(st.reward == 0.1 || st.reward == 1.0 || st.reward == -0.5 || st.reward == -1.0))
            bad_reward = true;
        if (st.terminated != (st.reward == -1.0)) bad_reward = true;
        /* LIDAR hits are truncated to whole pixels, as pygame does, so a ray can measure a
         * little more than its 196 px: the package's values exceed 1 by up to ~1 %, too */
        const float lo = n == 180 ? 0.0f : -1.0f, hi = n == 180 ? 1.01f : 1.0f;
        for (int i = 0; i < n; i++)
            if (!(obs[i] >= lo && obs[i] <= hi)) bad_obs = true;
        if (st.terminated || st.truncated) break;
    }
    CHECK(!bad_reward);
    CHECK_MSG(!bad_obs, "%s: observation out of range", kwargs ? kwargs : "lidar");
    CHECK(st.terminated && !st.truncated);
    CHECK(st.ep_length == t + 1);
    dq_env_free(env);
    return t + 1;
}

static void test_semantics(void) {
    double ret;
    bool top;
    /* idle: falls from y=244 with vel -9 to the ground (y + 24 >= 403.48): alive frames at +0.1,
     * then -1 on the step that lands */
    int n = play("use_lidar=false", 1, 0, &ret, &top);
    CHECK(n > 10 && n < 40);
    CHECK_NEAR(ret, 0.1 * (n - 1) - 1.0, 1e-9);
    CHECK(!top);
    /* always flapping: rises above the screen (-0.5 per frame there) and dies in a pipe */
    n = play("use_lidar=false", 1, 1, &ret, &top);
    CHECK(top);
    CHECK(n > 30 && n < 100);
    /* LIDAR: distances normalised into [0, 1] (checked in play) */
    n = play(NULL, 2, 0, &ret, &top);
    CHECK(n > 10);
}

static void test_state_and_determinism(void) {
    dq_error err;
    dq_env *a = NULL, *b = NULL;
    CHECK_OK(dq_env_make("FlappyBird-v0", "use_lidar=false", &a, &err));
    CHECK_OK(dq_env_make("FlappyBird-v0", "use_lidar=false", &b, &err));
    if (!a || !b) {
        dq_env_free(a);
        dq_env_free(b);
        return;
    }
    float oa[12], ob[12];
    dq_env_reset(a, 5, oa);
    dq_env_reset(b, 5, ob);
    CHECK(memcmp(oa, ob, sizeof oa) == 0);
    dq_step sa, sb;
    for (int t = 0; t < 30; t++) {
        CHECK_OK(dq_env_step(a, t % 5 == 0, oa, &sa, &err));
        CHECK_OK(dq_env_step(b, t % 5 == 0, ob, &sb, &err));
    }
    CHECK(memcmp(oa, ob, sizeof oa) == 0 && sa.reward == sb.reward);
    double s[DQ_FLAPPY_STATE_N];
    CHECK(dq_env_get_state(a, s, DQ_FLAPPY_STATE_N) == DQ_FLAPPY_STATE_N);
    dq_env_reset(b, 99, ob);
    CHECK_OK(dq_env_set_state(b, s, DQ_FLAPPY_STATE_N, ob, &err));
    CHECK(memcmp(oa, ob, sizeof oa) == 0);
    CHECK_OK(dq_env_step(a, 1, oa, &sa, &err));
    CHECK_OK(dq_env_step(b, 1, ob, &sb, &err));
    CHECK(memcmp(oa, ob, sizeof oa) == 0 && sa.reward == sb.reward);
    CHECK(dq_env_set_state(b, s, 3, ob, &err) == DQ_EINVAL);
    dq_env_free(a);
    dq_env_free(b);
}

static void test_recordings(void) {
    const char *files[] = {"FlappyBird-v0-features.jsonl", "FlappyBird-v0-lidar.jsonl"};
    for (int i = 0; i < 2; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", DQ_FIXTURE_DIR, files[i]);
        dq_golden_report rep;
        dq_error err;
        memset(&rep, 0, sizeof rep);
        CHECK_OK(dq_golden_replay(path, NULL, &rep, &err));
        CHECK_MSG(rep.pass && rep.err_obs == 0.0 && rep.err_reward == 0.0 && rep.mismatches == 0,
                  "%s: %s (obs err %g)", files[i], rep.first_bad_what, rep.err_obs);
        CHECK(rep.episodes >= 2 && rep.steps >= 150);
        dq_golden_report_free(&rep);
    }
}

int main(void) {
    test_clipline();
    test_options();
    test_semantics();
    test_state_and_determinism();
    test_recordings();
    TEST_MAIN_END();
}
