/* bench_flappy.c — FlappyBird-v0 speed: steps per CPU second, one core, for the 12-feature and
 * the 180-ray LIDAR observation, with a policy that flaps on 1 frame in 8 (random, dq_rng).
 *
 *   build/bench/bench_flappy [steps]        (default 2,000,000 features, 1/10 of it LIDAR)
 *
 * bench/bench_flappy_gym.py measures the flappy-bird-gymnasium package the same way. */
#include "bench_clock.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "deepq/env.h"

static int run(const char *kwargs, long steps) {
    dq_error err;
    dq_env *env;
    if (dq_env_make("FlappyBird-v0", kwargs, &env, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 1;
    }
    float obs[DQ_SPACE_MAX];
    dq_rng rng;
    dq_rng_seed(&rng, 1);
    dq_env_reset(env, 0, obs);
    long episodes = 0;
    double t0 = bench_process_cpu();
    for (long t = 0; t < steps; t++) {
        dq_step st;
        if (dq_env_step(env, dq_rng_below(&rng, 8) == 0, obs, &st, &err)) {
            fprintf(stderr, "error: %s\n", err.msg);
            dq_env_free(env);
            return 1;
        }
        if (st.terminated || st.truncated) {
            dq_env_reset(env, -1, obs);
            episodes++;
        }
    }
    double secs = bench_process_cpu() - t0;
    printf("FlappyBird-v0 %-16s %9ld steps %7ld episodes %12.0f steps/cpu-s\n", kwargs, steps,
           episodes, (double)steps / secs);
    dq_env_free(env);
    return 0;
}

int main(int argc, char **argv) {
    long steps = argc > 1 ? atol(argv[1]) : 2000000;
    if (steps < 10) {
        fprintf(stderr, "usage: %s [steps >= 10]\n", argv[0]);
        return 2;
    }
    return run("use_lidar=false", steps) || run("use_lidar=true", steps / 10);
}
