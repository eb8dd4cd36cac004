/* test_env_golden.c — the Gymnasium 1.0.0 recordings in ../shared/golden replay bit for bit
 * (classic control: float32 observations identical, float64 state within 1e-9, rewards and
 * flags identical; tabular: identical transition tables), through the same library code as
 * `deepq replay`: the NumPy 2 / libm ones (libm-numpy2/) with the default options, the NumPy
 * 1.24 / AVX-512 ones with numpy=1.24 and math=svml on any CPU. The options matter: the other
 * flavour fails. Also: a replay notices a recording that disagrees. */
#include <stdio.h>
#include <string.h>

#include "deepq/golden.h"
#include "test.h"

/* Replay name with flavour (NULL: auto); must pass. */
static void replay_as(const char *name, const char *flavour) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", DQ_GOLDEN_DIR, name);
    dq_golden_report r;
    dq_error err;
    dq_error_clear(&err);
    dq_status s = dq_golden_replay(path, flavour, &r, &err);
    CHECK_MSG(s == DQ_OK, "%s: %s", name, err.msg);
    CHECK_MSG(r.pass, "%s: first disagreement episode %d step %lld: %s", name,
              r.first_bad_episode, (long long)r.first_bad_step, r.first_bad_what);
    CHECK(r.tabular || (r.episodes > 0 && r.steps > 0 && r.judged_steps == r.steps));
    CHECK(!r.tabular || r.tab_entries > 0);
    if (flavour) CHECK_MSG(!strcmp(r.flavour, flavour), "%s: flavour '%s'", name, r.flavour);
    dq_golden_report_free(&r);
}

static void replay_ok(const char *name) { replay_as(name, NULL); }

/* MountainCarContinuous recorded with NumPy 1.26.4 (tests/ref/make_numpy1_golden.py): NumPy 1's
 * promotion (numpy=1.x) replays it exactly, NumPy 2's (the default) does not. */
static void numpy1_recording(void) {
    const char *path = DQ_FIXTURE_DIR "/MountainCarContinuous-v0-numpy1.jsonl";
    dq_golden_report r;
    dq_error err;
    CHECK_OK(dq_golden_replay(path, "numpy=1.26", &r, &err));
    CHECK_MSG(r.pass && r.steps > 500 && r.seeded_resets == 4, "NumPy 1.26 MountainCarContinuous: "
              "%s", r.first_bad_what);
    dq_golden_report_free(&r);
    CHECK_OK(dq_golden_replay(path, "numpy=2", &r, &err));
    CHECK(!r.pass && r.mismatches > 0);
    dq_golden_report_free(&r);
}

/* Replay name with a flavour it was not recorded with: must fail. */
static void replay_fails(const char *name, const char *flavour) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", DQ_GOLDEN_DIR, name);
    dq_golden_report r;
    dq_error err;
    CHECK_OK(dq_golden_replay(path, flavour, &r, &err));
    CHECK_MSG(!r.pass && r.mismatches > 0, "%s passed with %s", name, flavour);
    dq_golden_report_free(&r);
}

static void detects_disagreement(void) {
    /* A one-step CartPole episode whose recorded observation is off by one float32 ulp. */
    const char *path = "golden_altered.jsonl";
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    fprintf(f, "{\"env_id\": \"CartPole-v1\", \"init_state\": [0.01, 0.02, 0.03, "
               "0.04], \"init_obs\": [0.01, 0.02, 0.03, 0.04], \"steps\": [{\"a\": 1, \"obs\": "
               "[0.0104, 0.2, 0.0308, -0.25], \"r\": 1.0, \"term\": false, \"trunc\": false}]}\n");
    fclose(f);
    dq_golden_report r;
    dq_error err;
    CHECK_OK(dq_golden_replay(path, NULL, &r, &err));
    CHECK(!r.pass && r.first_bad_episode == 0 && r.first_bad_step == 1);
    CHECK(strstr(r.first_bad_what, "obs[") != NULL);
    dq_golden_report_free(&r);
    remove(path);
    CHECK(dq_golden_replay("no/such/file.jsonl", NULL, &r, &err) == DQ_EIO);
    dq_golden_report_free(&r);
}

int main(void) {
    replay_ok("CartPole-v1.jsonl");
    replay_ok("MountainCar-v0.jsonl");
    replay_ok("Acrobot-v1.jsonl");
    /* The AVX-512 NumPy 1.24 recordings on any CPU, and the NumPy 2 ones with the defaults. */
    replay_as("CartPole-v1.jsonl", "numpy=1.24,math=svml");
    replay_as("Acrobot-v1.jsonl", "numpy=1.24,math=svml");
    replay_as("libm-numpy2/CartPole-v1.jsonl", "");
    replay_as("libm-numpy2/Acrobot-v1.jsonl", "");
    replay_as("libm-numpy2/MountainCar-v0.jsonl", "");
    replay_as("libm-numpy2/Pendulum-v1.jsonl", "");
    replay_as("libm-numpy2/MountainCarContinuous-v0.jsonl", "");
    replay_fails("CartPole-v1.jsonl", "math=libm");
    replay_fails("libm-numpy2/CartPole-v1.jsonl", "math=svml");
    replay_fails("libm-numpy2/Pendulum-v1.jsonl", "math=svml");
    replay_fails("libm-numpy2/MountainCarContinuous-v0.jsonl", "numpy=1.24");
    numpy1_recording();
    replay_ok("FrozenLake-v1-4x4.json");
    replay_ok("FrozenLake-v1-4x4-slippery.json");
    replay_ok("FrozenLake-v1-8x8.json");
    replay_ok("FrozenLake-v1-8x8-slippery.json");
    replay_ok("Taxi-v3.json");
    replay_ok("CliffWalking-v0.json");
    detects_disagreement();
    TEST_MAIN_END();
}
