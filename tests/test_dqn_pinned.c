/* test_dqn_pinned.c — pinned determinism hashes (box2d style): one short training run per preset
 * (plus float64 and two Rainbow variants) must end with exactly these online and target
 * parameters, episode and update counts. A refactor of the agent that changes one bit of one
 * update fails here. When a change is MEANT to alter results, rerun, read the printed hashes,
 * and update the table with the reason in the commit message. The full preset x env check is
 * bench/preset_hashes.sh (against bench/preset_hashes.txt). */
#include <stdint.h>
#include <string.h>

#include "deepq/config.h"
#include "deepq/dqn.h"
#include "test.h"

/* FNV-1a 64 over bytes. */
static uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

typedef struct pinned {
    const char *preset, *env, *set1, *set2; /* extra key=value overrides (may be NULL) */
    uint64_t hash;                         /* of online params, target params, counters */
} pinned;

static const pinned RUNS[] = {
    {"deepq", "CartPole-v1", NULL, NULL, 0x376e66a49a63d230ull},
    {"zoo", "FlappyBird-v0", NULL, NULL, 0xda006394c1be0814ull},
    {"tutorial", "CartPole-v1", NULL, NULL, 0x1731b649db63b4b3ull},
    {"notes", "LunarLander-v3", NULL, NULL, 0x17ba52cb36249856ull},
    {"rainbow", "CartPole-v1", NULL, NULL, 0xabab00f1bf1cca8eull},
    {"deepq", "CartPole-v1", "dtype=float64", NULL, 0xb32c3feabf56e601ull},
    {"deepq", "CartPole-v1", "no_replay=true", "no_target=true", 0xa32e021c9f08e803ull},
    {"rainbow", "CartPole-v1", "noisy=false", "per_kind=rank", 0x392cab04d5c691fdull},
};

static uint64_t run(const pinned *p) {
    dq_error err;
    dq_run_config c;
    dq_run_config_default(&c);
    CHECK_OK(dq_config_apply_preset(&c, p->preset, p->env, &err));
    const char *sets[] = {"n_timesteps=1000", "learning_starts=200", "seed=3", p->set1, p->set2};
    for (int i = 0; i < 5; i++) {
        if (!sets[i]) continue;
        char key[64];
        const char *eq = strchr(sets[i], '=');
        snprintf(key, sizeof key, "%.*s", (int)(eq - sets[i]), sets[i]);
        CHECK_OK(dq_config_set(&c, key, eq + 1, &err));
    }
    dq_env *env;
    CHECK_OK(dq_env_make(p->env, NULL, &env, &err));
    dq_dqn *ag;
    CHECK_OK(dq_dqn_create(&ag, &c.dqn, &env->obs_space, &env->act_space, &err));
    CHECK_OK(dq_dqn_learn(ag, env, NULL, &err));
    const dq_mlp *q = dq_dqn_online(ag), *qt = dq_dqn_target(ag);
    const size_t es = c.dqn.dtype == DQ_F64 ? sizeof(double) : sizeof(float);
    uint64_t h = 0xcbf29ce484222325ull;
    h = fnv1a(h, q->params, q->n_params * es);
    h = fnv1a(h, qt->params, qt->n_params * es);
    const int64_t counts[3] = {dq_dqn_steps(ag), dq_dqn_episodes(ag), dq_dqn_updates(ag)};
    h = fnv1a(h, counts, sizeof counts);
    CHECK(dq_dqn_updates(ag) > 0);
    dq_dqn_destroy(ag);
    dq_env_free(env);
    return h;
}

int main(void) {
    for (size_t i = 0; i < sizeof RUNS / sizeof RUNS[0]; i++) {
        const pinned *p = &RUNS[i];
        const uint64_t h = run(p);
        CHECK_MSG(h == p->hash, "%s/%s %s %s: hash 0x%016llxull, pinned 0x%016llxull", p->preset,
                  p->env, p->set1 ? p->set1 : "", p->set2 ? p->set2 : "", (unsigned long long)h,
                  (unsigned long long)p->hash);
    }
    TEST_MAIN_END();
}
