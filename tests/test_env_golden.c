/* test_env_golden.c — the Gymnasium 1.0.0 recordings in ../shared/golden replay bit for bit
 * (classic control: float32 observations identical, float64 state within 1e-9, rewards and
 * flags identical; tabular: identical transition tables), through the same library code as
 * `deepq replay`. Also: a replay notices a recording that disagrees. */
#include <stdio.h>
#include <string.h>

#include "env/golden.h"
#include "test.h"

static void replay_ok(const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", DQ_GOLDEN_DIR, name);
    dq_golden_report r;
    dq_error err;
    dq_error_clear(&err);
    dq_status s = dq_golden_replay(path, &r, &err);
    CHECK_MSG(s == DQ_OK, "%s: %s", name, err.msg);
    CHECK_MSG(r.pass, "%s: first disagreement episode %d step %lld: %s", name,
              r.first_bad_episode, (long long)r.first_bad_step, r.first_bad_what);
    CHECK(r.tabular || (r.episodes > 0 && r.steps > 0 && r.judged_steps == r.steps));
    CHECK(!r.tabular || r.tab_entries > 0);
    dq_golden_report_free(&r);
}

static void detects_disagreement(void) {
    /* A one-step CartPole episode whose recorded observation is off by one float32 ulp. */
    const char *path = "golden_altered.jsonl";
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) return;
    fprintf(f, "{\"env_id\": \"CartPole-v1\", \"seed\": 0, \"init_state\": [0.01, 0.02, 0.03, "
               "0.04], \"init_obs\": [0.01, 0.02, 0.03, 0.04], \"steps\": [{\"a\": 1, \"obs\": "
               "[0.0104, 0.2, 0.0308, -0.25], \"r\": 1.0, \"term\": false, \"trunc\": false}]}\n");
    fclose(f);
    dq_golden_report r;
    dq_error err;
    CHECK_OK(dq_golden_replay(path, &r, &err));
    CHECK(!r.pass && r.first_bad_episode == 0 && r.first_bad_step == 1);
    CHECK(strstr(r.first_bad_what, "obs[") != NULL);
    dq_golden_report_free(&r);
    remove(path);
    CHECK(dq_golden_replay("no/such/file.jsonl", &r, &err) == DQ_EIO);
    dq_golden_report_free(&r);
}

int main(void) {
    replay_ok("CartPole-v1.jsonl");
    replay_ok("MountainCar-v0.jsonl");
    replay_ok("Acrobot-v1.jsonl");
    replay_ok("FrozenLake-v1-4x4.json");
    replay_ok("FrozenLake-v1-4x4-slippery.json");
    replay_ok("FrozenLake-v1-8x8.json");
    replay_ok("FrozenLake-v1-8x8-slippery.json");
    replay_ok("Taxi-v3.json");
    replay_ok("CliffWalking-v0.json");
    detects_disagreement();
    TEST_MAIN_END();
}
