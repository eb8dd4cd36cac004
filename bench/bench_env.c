/* bench_env.c — environment steps per second: each env alone (gym.make-style dq_env, random
 * actions, reset on episode end), CartPole in the batched form (dq_vecenv and its
 * structure-of-arrays path, 1 and 2 threads), against Gymnasium measured in the same run by
 * bench_env_gym.py when `python3 -c "import gymnasium"` works; and LunarLander's batch (envs
 * stepped in runs, Box2D solves overlapped) against the same envs stepped one by one.
 *
 * Usage: bench_env [--quick] [--no-gym] [--reps N]. Times are CPU time of the stepping thread
 * (wall time for the threaded batch), best of N runs: on a shared machine they are noisy. */
#include "bench_clock.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deepq/env.h"
#include "deepq/rng.h"
#include "deepq/vecenv.h"

/* Steps/s of one env (options kw, NULL for none) with random actions over about `seconds` of
 * CPU time. */
static double single_rate(const char *id, const char *kw, double seconds) {
    dq_env *env;
    dq_error err;
    if (dq_env_make(id, kw, &env, &err)) {
        fprintf(stderr, "bench_env: %s\n", err.msg);
        exit(1);
    }
    float obs[DQ_SPACE_MAX];
    dq_rng rng;
    dq_rng_seed(&rng, 1);
    dq_env_reset(env, 0, obs);
    uint64_t n_act = (uint64_t)env->act_space.n;
    int64_t steps = 0;
    double t0 = bench_thread_cpu(), t;
    do {
        for (int i = 0; i < 4096; i++) {
            dq_step st;
            dq_env_step(env, (int64_t)dq_rng_below(&rng, n_act), obs, &st, NULL);
            if (st.terminated || st.truncated) dq_env_reset(env, -1, obs);
        }
        steps += 4096;
    } while ((t = bench_thread_cpu() - t0) < seconds);
    dq_env_free(env);
    return (double)steps / t;
}

/* Steps/s (summed over the batch) of n envs id in a dq_vecenv, random actions below n_act: by wall time
 * and (*per_cpu) per CPU-second of all threads together. soa = false: one dq_env per row; the
 * SoA path with kw NULL (libm's sin/cos, the default) or "math=svml" (vector sin/cos). */
static double batch_rate(const char *id, int n_act, int n, int threads, bool soa, const char *kw,
                         double seconds, double *per_cpu) {
    dq_vecenv_def def = dq_vecenv_def_default();
    def.n = n;
    def.threads = threads;
    def.soa = soa;
    dq_vecenv *v;
    dq_error err;
    if (dq_vecenv_create(id, kw, &def, &v, &err)) {
        fprintf(stderr, "bench_env: %s\n", err.msg);
        exit(1);
    }
    /* 16 batches of random actions drawn before timing, cycled: the clock sees the envs only. */
    int64_t *act = malloc((size_t)16 * n * sizeof *act); /* [16, n] */
    dq_rng rng;
    dq_rng_seed(&rng, 1);
    for (size_t i = 0; i < (size_t)16 * n; i++) act[i] = (int64_t)dq_rng_below(&rng, (uint64_t)n_act);
    dq_vecenv_reset(v, 0);
    int64_t steps = 0;
    double t0 = bench_wall(), c0 = bench_process_cpu(), t;
    do {
        for (int k = 0; k < 16; k++) dq_vecenv_step(v, act + (size_t)k * n, NULL, &err);
        steps += 16 * (int64_t)n;
    } while ((t = bench_wall() - t0) < seconds);
    *per_cpu = (double)steps / (bench_process_cpu() - c0);
    free(act);
    dq_vecenv_destroy(v);
    return (double)steps / t;
}

/* Steps/s of n separate envs id stepped one after the other (dq_env_step, reset on episode
 * end), the same action stream as batch_rate: the reference for a batch's own speed-ups. */
static double singles_rate(const char *id, int n_act, int n, double seconds) {
    dq_env **e = malloc((size_t)n * sizeof *e);
    float obs[DQ_SPACE_MAX];
    dq_error err;
    for (int i = 0; i < n; i++) {
        if (dq_env_make(id, NULL, &e[i], &err)) {
            fprintf(stderr, "bench_env: %s\n", err.msg);
            exit(1);
        }
        dq_env_reset(e[i], i, obs);
    }
    int64_t *act = malloc((size_t)16 * n * sizeof *act); /* [16, n] */
    dq_rng rng;
    dq_rng_seed(&rng, 1);
    for (size_t i = 0; i < (size_t)16 * n; i++) act[i] = (int64_t)dq_rng_below(&rng, (uint64_t)n_act);
    int64_t steps = 0;
    double t0 = bench_thread_cpu(), t;
    do {
        for (int k = 0; k < 16; k++)
            for (int i = 0; i < n; i++) {
                dq_step st;
                dq_env_step(e[i], act[(size_t)k * n + i], obs, &st, NULL);
                if (st.terminated || st.truncated) dq_env_reset(e[i], -1, obs);
            }
        steps += 16 * (int64_t)n;
    } while ((t = bench_thread_cpu() - t0) < seconds);
    for (int i = 0; i < n; i++) dq_env_free(e[i]);
    free(e);
    free(act);
    return (double)steps / t;
}

static const char *const IDS[] = {"CartPole-v1", "Acrobot-v1", "MountainCar-v0",
                                  "LunarLander-v3", "FrozenLake-v1", "Taxi-v3"};
enum { N_IDS = sizeof IDS / sizeof IDS[0] };
/* The same envs with the SVML flavour's sin/cos (NumPy 1.22-1.24 on AVX-512), for the cost of
 * libm's (the default) */
static const char *const SVML_IDS[] = {"CartPole-v1", "Acrobot-v1"};

int main(int argc, char **argv) {
    bool quick = false, gym = true;
    int reps = 5;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) quick = true, reps = 2;
        else if (!strcmp(argv[i], "--no-gym")) gym = false;
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_env [--quick] [--no-gym] [--reps N]\n");
            return 2;
        }
    }
    double secs = quick ? 0.1 : 0.4;
    double gym_rate[N_IDS] = {0};
    if (gym && system("python3 -c 'import gymnasium' >/dev/null 2>&1") == 0) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "python3 %s/bench/bench_env_gym.py --seconds %g --reps %d",
                 DQ_SOURCE_DIR, quick ? 0.2 : 0.5, quick ? 1 : 3);
        FILE *p = popen(cmd, "r");
        char line[256], id[64];
        double r;
        while (p && fgets(line, sizeof line, p))
            if (sscanf(line, "%63s %lf", id, &r) == 2)
                for (int i = 0; i < N_IDS; i++)
                    if (!strcmp(id, IDS[i])) gym_rate[i] = r;
        if (p) pclose(p);
    }
    printf("| env | deepq steps/s | Gymnasium steps/s | ratio |\n|---|---|---|---|\n");
    for (int i = 0; i < N_IDS; i++) {
        double best = 0;
        for (int r = 0; r < reps; r++) {
            double x = single_rate(IDS[i], NULL, secs);
            if (x > best) best = x;
        }
        if (gym_rate[i] > 0)
            printf("| %s | %.3gM | %.3gk | %.0fx |\n", IDS[i], best / 1e6, gym_rate[i] / 1e3,
                   best / gym_rate[i]);
        else
            printf("| %s | %.3gM | - | - |\n", IDS[i], best / 1e6);
        fflush(stdout);
    }
    for (size_t i = 0; i < sizeof SVML_IDS / sizeof SVML_IDS[0]; i++) {
        double best = 0;
        for (int r = 0; r < reps; r++) {
            double x = single_rate(SVML_IDS[i], "math=svml", secs);
            if (x > best) best = x;
        }
        printf("| %s math=svml | %.3gM | - | - |\n", SVML_IDS[i], best / 1e6);
        fflush(stdout);
    }
    static const struct {
        int n, threads;
        bool soa;
        const char *kw;
    } B[] = {{1024, 1, false, NULL},       {1024, 1, true, NULL},        {4096, 1, true, NULL},
             {4096, 2, true, NULL},        {1024, 1, true, "math=svml"}, {4096, 1, true, "math=svml"},
             {4096, 2, true, "math=svml"}, {65536, 2, true, "math=svml"}};
    printf("\n| batched CartPole-v1 | envs | threads | steps/s (wall) | steps per CPU-second |\n"
           "|---|---|---|---|---|\n");
    for (size_t k = 0; k < sizeof B / sizeof B[0]; k++) {
        double best = 0, best_cpu = 0, cpu;
        for (int r = 0; r < reps; r++) {
            double x =
                batch_rate("CartPole-v1", 2, B[k].n, B[k].threads, B[k].soa, B[k].kw, secs, &cpu);
            if (x > best) best = x;
            if (cpu > best_cpu) best_cpu = cpu;
        }
        printf("| %s | %d | %d | %.3gM | %.3gM |\n",
               !B[k].soa ? "generic (N dq_env, libm)"
               : B[k].kw ? "SoA path (math=svml)" : "SoA path (libm, the default)",
               B[k].n, B[k].threads, best / 1e6, best_cpu / 1e6);
        fflush(stdout);
    }
    /* LunarLander's batch steps its envs in runs (dq_env_step_many); the reference is the same
     * 256 envs stepped one by one in the same run. One thread: steps per CPU-second. */
    double single = 0, paired = 0, cpu;
    for (int r = 0; r < reps; r++) {
        double x = singles_rate("LunarLander-v3", 4, 256, 3 * secs);
        if (x > single) single = x;
        batch_rate("LunarLander-v3", 4, 256, 1, false, NULL, 3 * secs, &cpu);
        if (cpu > paired) paired = cpu;
    }
    printf("\n| LunarLander-v3, 256 envs, one thread | steps per CPU-second | ratio |\n"
           "|---|---|---|\n| one dq_env_step after another | %.3gk | 1.00x |\n"
           "| dq_vecenv (runs, solves overlapped) | %.3gk | %.2fx |\n",
           single / 1e3, paired / 1e3, paired / single);
    return 0;
}
