/* bench_lunar_stats.c — LunarLander-v3 acceptance statistics (issue 7): 1000 episodes, seeds
 * 0..999, for the heuristic controller and a uniform random policy, discrete / wind /
 * continuous. Prints the return mean ± std, the share of returns >= 200, the length, and
 * whether the mean is within 3 standard errors of the difference from Gymnasium 1.0.0's (the
 * reference numbers measured with Gymnasium and quoted in the issue), plus steps/s.
 *
 *   build/bench/bench_lunar_stats [episodes]      (exit status 1 when a check fails)
 *
 * Random actions come from a dq_rng seeded per episode (1000003 + seed), separate from the
 * env's own stream. steps/s is per CPU second of this process, env + policy, one core. */
#include "bench_clock.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "deepq/env.h"
#include "deepq/lunar.h"

typedef struct config {
    const char *name, *kwargs;
    bool heuristic;
    double ref_mean, ref_std; /* Gymnasium 1.0.0 over 1000 episodes */
} config;

static const config CONFIGS[] = {
    {"discrete heuristic", NULL, true, 243.4, 91.0},
    {"discrete random", NULL, false, -184.3, 111.1},
    {"wind heuristic", "enable_wind=true", true, 92.2, 165.7},
    {"wind random", "enable_wind=true", false, -269.2, 143.7},
    {"continuous heuristic", "continuous=true", true, 282.8, 24.8},
    {"continuous random", "continuous=true", false, -209.7, 125.2},
};

int main(int argc, char **argv) {
    int episodes = argc > 1 ? atoi(argv[1]) : 1000;
    if (episodes < 2) {
        fprintf(stderr, "usage: %s [episodes >= 2]\n", argv[0]);
        return 2;
    }
    int failures = 0;
    printf("LunarLander-v3, %d episodes (seeds 0..%d), Gymnasium 1.0.0 reference in brackets\n",
           episodes, episodes - 1);
    printf("%-22s %18s %8s %16s %20s %8s %10s\n", "policy", "return", ">=200", "length",
           "gymnasium", "3SE", "steps/cpu-s");
    for (size_t c = 0; c < sizeof CONFIGS / sizeof CONFIGS[0]; c++) {
        const config *cf = &CONFIGS[c];
        dq_error err;
        dq_env *env;
        if (dq_env_make("LunarLander-v3", cf->kwargs, &env, &err)) {
            fprintf(stderr, "error: %s\n", err.msg);
            return 2;
        }
        const bool cont = env->act_space.kind == DQ_SPACE_BOX;
        double sr = 0, srr = 0, sl = 0, sll = 0, t0 = bench_process_cpu();
        int64_t steps = 0, good = 0;
        for (int ep = 0; ep < episodes; ep++) {
            dq_rng act_rng;
            dq_rng_seed(&act_rng, 1000003u + (uint64_t)ep);
            float obs[8];
            dq_env_reset(env, ep, obs);
            dq_step st = {0};
            for (;;) {
                double ca[2];
                int64_t a;
                if (cf->heuristic) {
                    a = dq_lunar_heuristic(obs, ca);
                } else {
                    a = (int64_t)dq_rng_below(&act_rng, 4);
                    ca[0] = (double)(2.0f * dq_rng_uniformf(&act_rng) - 1.0f);
                    ca[1] = (double)(2.0f * dq_rng_uniformf(&act_rng) - 1.0f);
                }
                dq_status s = cont ? dq_env_step_cont(env, ca, obs, &st, &err)
                                   : dq_env_step(env, a, obs, &st, &err);
                if (s) {
                    fprintf(stderr, "error: %s\n", err.msg);
                    return 2;
                }
                steps++;
                if (st.terminated || st.truncated) break;
            }
            sr += st.ep_return;
            srr += st.ep_return * st.ep_return;
            sl += (double)st.ep_length;
            sll += (double)st.ep_length * (double)st.ep_length;
            good += st.ep_return >= 200.0;
        }
        double secs = bench_process_cpu() - t0, n = episodes;
        double mean = sr / n, sd = sqrt(fmax(0.0, (srr - n * mean * mean) / (n - 1)));
        double lmean = sl / n, lsd = sqrt(fmax(0.0, (sll - n * lmean * lmean) / (n - 1)));
        double se = sqrt(sd * sd / n + cf->ref_std * cf->ref_std / 1000.0);
        bool ok = fabs(mean - cf->ref_mean) < 3 * se;
        failures += !ok;
        printf("%-22s %8.1f ± %7.1f %7.1f%% %7.1f ± %6.1f  [%7.1f ± %6.1f] %4s %4.1f %10.0f\n",
               cf->name, mean, sd, 100.0 * (double)good / n, lmean, lsd, cf->ref_mean,
               cf->ref_std, ok ? "ok" : "FAIL", fabs(mean - cf->ref_mean) / se,
               (double)steps / secs);
        dq_env_free(env);
    }
    printf("%s: %d of %zu means within 3 standard errors of Gymnasium's\n",
           failures ? "FAIL" : "PASS", (int)(sizeof CONFIGS / sizeof CONFIGS[0]) - failures,
           sizeof CONFIGS / sizeof CONFIGS[0]);
    return failures ? 1 : 0;
}
