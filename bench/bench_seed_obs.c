/* bench_seed_obs.c — what a seed means: the first three observations of every env in deepq and
 * in Gymnasium for a seed you choose, side by side. The episode starts with reset(seed=SEED)
 * and takes two action_space.sample() actions after action_space.seed(SEED); Gymnasium's side
 * runs bench_seed_obs_gym.py in the same run (when python3 can import gymnasium).
 *
 *   ./build/bench/bench_seed_obs 2023
 *
 * Each row prints deepq's observation (first 4 values) and the largest |difference| from
 * Gymnasium's over all its values (LunarLander: Box2D 2.4 here, 2.3 in Gymnasium's wheel). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/env.h"

static const char *const ENVS[][2] = {
    {"CartPole-v1", "-"}, {"Acrobot-v1", "-"}, {"MountainCar-v0", "-"},
    {"MountainCarContinuous-v0", "-"}, {"Pendulum-v1", "-"}, {"LunarLander-v3", "-"},
    {"LunarLander-v3", "continuous=true"}, {"LunarLander-v3", "enable_wind=true"},
    {"FrozenLake-v1", "-"}, {"Taxi-v3", "-"}, {"CliffWalking-v0", "-"},
    {"FlappyBird-v0", "use_lidar=false"},
};
enum { N_ENVS = sizeof ENVS / sizeof ENVS[0], MAXV = 16 };

typedef struct obs_row {
    int n;
    double v[MAXV];
    bool have;
} obs_row;

/* Gymnasium's rows, [env][t], read from the script's output. */
static void read_gym(long long seed, obs_row gym[N_ENVS][3]) {
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "python3 %s/bench/bench_seed_obs_gym.py %lld 2>/dev/null",
             DQ_SOURCE_DIR, seed);
    FILE *p = popen(cmd, "r");
    if (!p) return;
    char line[8192];
    while (fgets(line, sizeof line, p)) {
        char id[64], kw[128];
        int t, used;
        if (sscanf(line, "%63s %127s %d%n", id, kw, &t, &used) != 3 || t < 0 || t > 2) continue;
        for (int e = 0; e < N_ENVS; e++) {
            if (strcmp(ENVS[e][0], id) || strcmp(ENVS[e][1], kw)) continue;
            obs_row *r = &gym[e][t];
            char *s = line + used, *end;
            for (r->n = 0; r->n < MAXV; r->n++) {
                r->v[r->n] = strtod(s, &end);
                if (end == s) break;
                s = end;
            }
            r->have = true;
        }
    }
    pclose(p);
}

int main(int argc, char **argv) {
    long long seed = argc > 1 ? atoll(argv[1]) : 0;
    if (seed < 0) {
        fprintf(stderr, "usage: bench_seed_obs [SEED >= 0]\n");
        return 2;
    }
    static obs_row gym[N_ENVS][3];
    bool with_gym = system("python3 -c 'import gymnasium' >/dev/null 2>&1") == 0;
    if (with_gym) read_gym(seed, gym);
    printf("seed %lld: reset(seed=%lld), then 2 x action_space.sample() after "
           "action_space.seed(%lld)%s\n", seed, seed, seed,
           with_gym ? "" : " (no Gymnasium here: deepq only)");
    printf("%-26s %-17s %s  %-52s %s\n", "env", "options", "t", "deepq obs (first 4)",
           "max |deepq - Gymnasium|");
    for (int e = 0; e < N_ENVS; e++) {
        dq_env *env;
        dq_error err;
        const char *kw = strcmp(ENVS[e][1], "-") ? ENVS[e][1] : NULL;
        if (dq_env_make(ENVS[e][0], kw, &env, &err)) {
            fprintf(stderr, "%s: %s\n", ENVS[e][0], err.msg);
            return 1;
        }
        float obs[DQ_SPACE_MAX];
        dq_env_reset(env, seed, obs);
        dq_env_action_seed(env, (uint64_t)seed);
        for (int t = 0; t < 3; t++) {
            if (t > 0) {
                int64_t a = 0;
                double ca[DQ_SPACE_MAX];
                dq_step st;
                dq_status s = dq_env_action_sample(env, &a, ca, &err);
                if (!s)
                    s = env->act_space.kind == DQ_SPACE_DISCRETE
                            ? dq_env_step(env, a, obs, &st, &err)
                            : dq_env_step_cont(env, ca, obs, &st, &err);
                if (s) {
                    fprintf(stderr, "%s: %s\n", ENVS[e][0], err.msg);
                    break;
                }
            }
            int n = env->obs_space.size;
            char shown[160];
            size_t k = 0;
            shown[0] = '\0';
            for (int i = 0; i < n && i < 4; i++)
                k += (size_t)snprintf(shown + k, sizeof shown - k, "%s%.6g", i ? " " : "",
                                      (double)obs[i]);
            if (n > 4) snprintf(shown + k, sizeof shown - k, " ...");
            const obs_row *g = &gym[e][t];
            char diff[64] = "-";
            if (g->have && g->n == (n < MAXV ? n : MAXV)) {
                double d = 0;
                for (int i = 0; i < g->n; i++) d = fmax(d, fabs((double)obs[i] - (double)(float)g->v[i]));
                snprintf(diff, sizeof diff, "%.3g%s", d, d == 0 ? " (identical)" : "");
            } else if (with_gym) {
                snprintf(diff, sizeof diff, "(no Gymnasium row)");
            }
            printf("%-26s %-17s %d  %-52s %s\n", ENVS[e][0], ENVS[e][1], t, shown, diff);
        }
        dq_env_free(env);
    }
    return 0;
}
