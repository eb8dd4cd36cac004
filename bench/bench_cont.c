/* bench_cont.c — speed of the continuous-action updates (TD3 and DDPG at RL-Zoo's 400x300, batch
 * 256, Pendulum's 3-dim observation and 1-dim action), as GFLOP/s of the GEMM work they do and
 * as % of this core's FP32 FMA peak measured in the same run (thread CPU time: the machine is
 * shared). Usage: bench_cont [updates]   (default 300) */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_clock.h"
#include "deepq/cont.h"
#include "rl/cont_internal.h"

/* FP32 GFLOP/s of 12 independent FMA chains in registers (8 lanes x 2 flops each), best of 3. */
__attribute__((target("avx2,fma"), noinline)) static float fma_chains(long iters, float seed) {
    const __m256 m = _mm256_set1_ps(0.999f), c = _mm256_set1_ps(1e-3f);
    __m256 a0 = _mm256_set1_ps(seed), a1 = _mm256_set1_ps(seed + 1), a2 = _mm256_set1_ps(seed + 2);
    __m256 a3 = _mm256_set1_ps(seed + 3), a4 = _mm256_set1_ps(seed + 4),
           a5 = _mm256_set1_ps(seed + 5);
    __m256 a6 = _mm256_set1_ps(seed + 6), a7 = _mm256_set1_ps(seed + 7),
           a8 = _mm256_set1_ps(seed + 8);
    __m256 a9 = _mm256_set1_ps(seed + 9), a10 = _mm256_set1_ps(seed + 10),
           a11 = _mm256_set1_ps(seed + 11);
    for (long k = 0; k < iters; k++) {
        a0 = _mm256_fmadd_ps(a0, m, c), a1 = _mm256_fmadd_ps(a1, m, c),
        a2 = _mm256_fmadd_ps(a2, m, c);
        a3 = _mm256_fmadd_ps(a3, m, c), a4 = _mm256_fmadd_ps(a4, m, c),
        a5 = _mm256_fmadd_ps(a5, m, c);
        a6 = _mm256_fmadd_ps(a6, m, c), a7 = _mm256_fmadd_ps(a7, m, c),
        a8 = _mm256_fmadd_ps(a8, m, c);
        a9 = _mm256_fmadd_ps(a9, m, c), a10 = _mm256_fmadd_ps(a10, m, c),
        a11 = _mm256_fmadd_ps(a11, m, c);
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
    float o[8];
    _mm256_storeu_ps(o, s);
    return o[0];
}

static double fma_peak(void) {
    double best = 0;
    volatile float sink = 0;
    for (int r = 0; r < 3; r++) {
        const long iters = 5000000;
        const double t0 = bench_thread_cpu();
        sink += fma_chains(iters, (float)r);
        const double gf = iters * 12.0 * 16.0 / (bench_thread_cpu() - t0) * 1e-9;
        if (gf > best) best = gf;
    }
    (void)sink;
    return best;
}

/* Multiply-adds of one forward pass of m over B rows, as flops (2 per multiply-add). */
static double fwd_flops(const dq_mlp *m, int B) {
    double s = 0;
    for (int l = 0; l < m->n_layers; l++) s += (double)m->dims[l] * m->dims[l + 1];
    return 2.0 * B * s;
}

static void bench(dq_cont_algo algo, int n_updates, double peak) {
    dq_error err;
    dq_env *env;
    if (dq_env_make("Pendulum-v1", NULL, &env, &err)) return;
    dq_cont_def d = dq_cont_def_default(algo);
    d.n_timesteps = 2000;
    d.learning_starts = 2000; /* fill the replay with random steps, no update */
    d.eval_freq = 0;
    dq_cont *ag;
    if (dq_cont_create(&ag, &d, &env->obs_space, &env->act_space, &err) ||
        dq_cont_learn(ag, env, NULL, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    const int B = d.batch_size;
    cont_update(ag); /* warm the caches */
    const double t0 = bench_thread_cpu();
    for (int i = 0; i < n_updates; i++) cont_update(ag);
    const double dt = bench_thread_cpu() - t0;
    /* per update: target actor + n_q target critics forward; each critic forward + backward
     * (weight and input gradients: 2 forwards' work); every policy_delay-th update the actor
     * step: actor forward, critic forward, critic input gradient, actor backward. */
    const double fa = fwd_flops(&ag->actor, B), fc = fwd_flops(&ag->critic[0], B);
    const double per =
        fa + ag->n_q * fc + ag->n_q * 3 * fc + (fa + fc + fc + 2 * fa) / d.policy_delay;
    const double gf = per * n_updates / dt * 1e-9;
    printf("%-5s 400x300 b%d: %7.1f updates/s, %6.1f GFLOP/s = %5.1f%% of the measured peak"
           " (%.4f GFLOP per update)\n",
           dq_cont_algo_name(algo), B, n_updates / dt, gf, 100 * gf / peak, per * 1e-9);
    dq_cont_destroy(ag);
    dq_env_free(env);
}

int main(int argc, char **argv) {
    const int n = argc > 1 ? atoi(argv[1]) : 300;
    const double peak = fma_peak();
    printf("FP32 FMA peak, 1 core (measured now): %.1f GFLOP/s\n", peak);
    bench(DQ_ALGO_TD3, n, peak);
    bench(DQ_ALGO_DDPG, n, peak);
    return 0;
}
