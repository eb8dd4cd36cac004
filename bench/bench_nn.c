/* bench_nn.c — speed of the NN engine on DQN-style updates, against the FMA peak of this core
 * (measured in the same run) and against PyTorch with one thread (bench_nn_torch.py, run in
 * the same process tree when torch is importable).
 *
 * One update = target forward on next_obs, max over actions, TD target, online forward on obs,
 * gather, Huber loss, scatter, zero_grad, backward (no input gradient), clip_grad_norm(10),
 * Adam step. FLOPs counted: 2*B*sum(in*out) for each of the two forwards and the weight
 * gradient, plus 2*B*sum(in*out) over all layers but the first for the input-side gradient.
 * Also: single-observation act latency, and the packed GEMM against OpenBLAS (1 thread) and
 * the portable loop on the layer shapes, which is how the GEMM path was chosen.
 *
 * With --threads N (default 2; 1 = skip) the same updates also run with a dq_pool of N threads
 * (and of 1 thread, for the same-moment comparison), timed by the wall clock, with the CPU time
 * of all threads per update.
 *
 * Usage: bench_nn [--quick] [--no-torch] [--phases] [--row 0|1|2] [--threads N] [--adam]
 * (--phases: only the per-phase times of the 4-256-256-2 b64 update; --row: one update row,
 * for perf; --adam: only the Adam step with live and with subnormal moments). Timings are best
 * of several runs; on a shared machine they are noisy — repeat. */
#include "bench_clock.h"
#include "deepq/nn.h"
#include "nn/gemm.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

void openblas_set_num_threads(int n);

#if defined(__x86_64__) || defined(__i386__)
/* 12 independent FMA chains (8 floats each): the core's FMA throughput bound. */
#define FMA12(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
__attribute__((target("avx2,fma"), noinline)) static float fma_loop(long iters, float seed) {
    const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
#define DECL(i) __m256 a##i = _mm256_set1_ps(seed + (i));
#define STEP(i) a##i = _mm256_fmadd_ps(a##i, m, c);
#define SUM(i) s = _mm256_add_ps(s, a##i);
    FMA12(DECL)
    for (long k = 0; k < iters; k++) {
        FMA12(STEP)
    }
    __m256 s = _mm256_setzero_ps();
    FMA12(SUM)
    float o[8];
    _mm256_storeu_ps(o, s);
    return o[0];
}
#endif

/* FP32 GFLOP/s of the FMA loop, best of `reps`. 0 when AVX2/FMA is absent. */
static double measure_peak(int reps) {
#if defined(__x86_64__) || defined(__i386__)
    if (!dq_cpu_has_avx2()) return 0;
    const long iters = 5000000;
    double best = 0;
    volatile float sink = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = bench_thread_cpu();
        sink += fma_loop(iters, (float)r);
        double dt = bench_thread_cpu() - t0;
        double gf = iters * 12.0 * 16.0 / dt * 1e-9;
        if (gf > best) best = gf;
    }
    (void)sink;
    return best;
#else
    (void)reps;
    return 0;
#endif
}

typedef struct cfg {
    int n_in, h, n_out, B;
} cfg;

typedef struct upd {
    dq_mlp q, tgt;
    dq_pool *pool;
    dq_optim opt;
    float *obs, *nobs, *rew, *done, *qn, *mx, *y, *qo, *pred, *dpred, *dout;
    int32_t *act;
    int B, A;
} upd;

static void upd_init(upd *u, const cfg *c, int threads) {
    dq_mlp_def d = dq_mlp_def_default();
    d.n_in = c->n_in;
    d.n_out = c->n_out;
    d.hidden[0] = d.hidden[1] = c->h;
    dq_rng r;
    dq_rng_seed(&r, 42);
    if (dq_mlp_init(&u->q, &d, c->B, &r, NULL) || dq_mlp_init(&u->tgt, &d, c->B, &r, NULL)) {
        fprintf(stderr, "bench_nn: init failed\n");
        exit(1);
    }
    dq_mlp_copy_params(&u->tgt, &u->q);
    u->pool = NULL;
    if (threads > 1 && (dq_pool_create(&u->pool, threads, NULL) ||
                        dq_mlp_set_pool(&u->q, u->pool, NULL) ||
                        dq_mlp_set_pool(&u->tgt, u->pool, NULL))) {
        fprintf(stderr, "bench_nn: pool failed\n");
        exit(1);
    }
    dq_optim_def od = dq_optim_def_default(DQ_OPT_ADAM);
    od.lr = 1e-4;
    if (dq_optim_init(&u->opt, &od, &u->q, NULL)) exit(1);
    const int B = c->B, A = c->n_out;
    u->B = B;
    u->A = A;
    u->obs = malloc(sizeof(float) * B * c->n_in);
    u->nobs = malloc(sizeof(float) * B * c->n_in);
    u->rew = malloc(sizeof(float) * B);
    u->done = malloc(sizeof(float) * B);
    u->qn = malloc(sizeof(float) * B * A);
    u->qo = malloc(sizeof(float) * B * A);
    u->dout = malloc(sizeof(float) * B * A);
    u->mx = malloc(sizeof(float) * B);
    u->y = malloc(sizeof(float) * B);
    u->pred = malloc(sizeof(float) * B);
    u->dpred = malloc(sizeof(float) * B);
    u->act = malloc(sizeof(int32_t) * B);
    for (int i = 0; i < B * c->n_in; i++) {
        u->obs[i] = (float)dq_rng_normal(&r);
        u->nobs[i] = (float)dq_rng_normal(&r);
    }
    for (int i = 0; i < B; i++) {
        u->rew[i] = (float)dq_rng_normal(&r);
        u->done[i] = dq_rng_uniform(&r) < 0.1 ? 1.0f : 0.0f;
        u->act[i] = (int32_t)dq_rng_below(&r, (uint64_t)A);
    }
}

static void upd_free(upd *u) {
    dq_mlp_free(&u->q);
    dq_mlp_free(&u->tgt);
    dq_optim_free(&u->opt);
    dq_pool_destroy(u->pool);
    free(u->obs); free(u->nobs); free(u->rew); free(u->done); free(u->qn); free(u->qo);
    free(u->dout); free(u->mx); free(u->y); free(u->pred); free(u->dpred); free(u->act);
}

static void upd_step(upd *u) {
    const int B = u->B, A = u->A;
    dq_mlp_forward(&u->tgt, u->nobs, B, u->qn);
    dq_max_f32(u->mx, u->qn, B, A);
    for (int i = 0; i < B; i++) u->y[i] = u->rew[i] + 0.99f * (1.0f - u->done[i]) * u->mx[i];
    dq_mlp_forward(&u->q, u->obs, B, u->qo);
    dq_gather_f32(u->pred, u->qo, u->act, B, A);
    dq_loss_f32(DQ_LOSS_HUBER, u->dpred, NULL, u->pred, u->y, NULL, B);
    dq_scatter_f32(u->dout, u->dpred, u->act, B, A);
    dq_mlp_zero_grad(&u->q);
    dq_mlp_backward(&u->q, u->dout, B, NULL);
    dq_mlp_clip_grad_norm(&u->q, 10.0);
    dq_optim_step(&u->opt, &u->q);
}

static double update_flops(const cfg *c) {
    const double l0 = (double)c->n_in * c->h, l1 = (double)c->h * c->h, l2 = (double)c->h * c->n_out;
    const double pw = l0 + l1 + l2;
    return 2.0 * c->B * (3.0 * pw + (l1 + l2));
}

/* Adam step on a 4-256-256-2 network (67.8k parameters), microseconds per step, best of reps
 * blocks of 200 steps (thread CPU clock). live: every gradient and moment a normal number.
 * dead: as a DQN network with dead ReLU units late in training: every other gradient is 0 and
 * its moments sit in the subnormal range (m, v = 1e-39), where x86 multiplies take a microcode
 * assist; optim.c stores such moments as 0, so the two should cost the same (the ratio is the
 * claim: before the flush, RL-Zoo's CartPole run spent 62% of its time here). */
static double bench_adam(int dead, int reps) {
    dq_mlp_def d = dq_mlp_def_default();
    d.n_in = 4;
    d.n_out = 2;
    d.hidden[0] = d.hidden[1] = 256;
    dq_rng r;
    dq_rng_seed(&r, 7);
    dq_mlp m;
    dq_optim o;
    dq_optim_def od = dq_optim_def_default(DQ_OPT_ADAM);
    if (dq_mlp_init(&m, &d, 1, &r, NULL) || dq_optim_init(&o, &od, &m, NULL)) exit(1);
    const size_t n = m.n_params;
    float *g = m.grads, *mo = (float *)o.state, *v = mo + n;
    double best = 1e30;
    for (int rep = 0; rep < reps; rep++) {
        o.t = 1000;
        for (size_t i = 0; i < n; i++) {
            const int zero = dead && i % 2;
            g[i] = zero ? 0.0f : 1e-3f * (float)dq_rng_normal(&r);
            mo[i] = zero ? 1e-39f : 1e-3f * (float)dq_rng_normal(&r);
            v[i] = zero ? 1e-39f : 1e-6f;
        }
        const double t0 = bench_thread_cpu();
        for (int s = 0; s < 200; s++) dq_optim_step(&o, &m);
        const double us = (bench_thread_cpu() - t0) / 200 * 1e6;
        if (us < best) best = us;
    }
    dq_optim_free(&o);
    dq_mlp_free(&m);
    return best;
}

/* The Adam row: live against half-subnormal moments, measured now. */
static void print_adam(int reps) {
    const double live = bench_adam(0, reps), dead = bench_adam(1, reps);
    printf("Adam step 4-256-256-2 (67.8k params): live moments %.1f us, half of them subnormal "
           "(dead units) %.1f us (%.2fx)\n", live, dead, dead / live);
}

/* updates/s, best of reps runs of ~secs each, timed by the thread's CPU clock */
static double bench_updates(const cfg *c, int reps, double secs) {
    upd u;
    upd_init(&u, c, 1);
    for (int i = 0; i < 20; i++) upd_step(&u);
    double best = 0;
    for (int r = 0; r < reps; r++) {
        long n = 0;
        const double t0 = bench_thread_cpu();
        double dt;
        do {
            for (int i = 0; i < 10; i++) upd_step(&u);
            n += 10;
            dt = bench_thread_cpu() - t0;
        } while (dt < secs);
        if (n / dt > best) best = n / dt;
    }
    upd_free(&u);
    return best;
}

/* With a pool of `threads`: best updates/s by the wall clock, and the process CPU seconds per
 * update of that same run. */
static void bench_updates_mt(const cfg *c, int threads, int reps, double secs, double *ups,
                             double *cpu_per_upd) {
    upd u;
    upd_init(&u, c, threads);
    for (int i = 0; i < 20; i++) upd_step(&u);
    *ups = 0;
    *cpu_per_upd = 0;
    for (int r = 0; r < reps; r++) {
        long n = 0;
        const double t0 = bench_wall(), c0 = bench_process_cpu();
        double dt;
        do {
            for (int i = 0; i < 10; i++) upd_step(&u);
            n += 10;
            dt = bench_wall() - t0;
        } while (dt < secs);
        if (n / dt > *ups) {
            *ups = n / dt;
            *cpu_per_upd = (bench_process_cpu() - c0) / n;
        }
    }
    upd_free(&u);
}

/* Time of each phase of the update (best of n), printed as one table row per phase. */
static void bench_phases(const cfg *c, int n) {
    upd u;
    upd_init(&u, c, 1);
    const char *nm[6] = {"target forward + max", "online forward + loss", "zero_grad", "backward",
                         "clip_grad_norm", "Adam step"};
    double best[6];
    for (int r = 0; r < n; r++) {
        double t[7];
        t[0] = bench_thread_cpu();
        dq_mlp_forward(&u.tgt, u.nobs, u.B, u.qn);
        dq_max_f32(u.mx, u.qn, u.B, u.A);
        for (int i = 0; i < u.B; i++) u.y[i] = u.rew[i] + 0.99f * (1.0f - u.done[i]) * u.mx[i];
        t[1] = bench_thread_cpu();
        dq_mlp_forward(&u.q, u.obs, u.B, u.qo);
        dq_gather_f32(u.pred, u.qo, u.act, u.B, u.A);
        dq_loss_f32(DQ_LOSS_HUBER, u.dpred, NULL, u.pred, u.y, NULL, u.B);
        dq_scatter_f32(u.dout, u.dpred, u.act, u.B, u.A);
        t[2] = bench_thread_cpu();
        dq_mlp_zero_grad(&u.q);
        t[3] = bench_thread_cpu();
        dq_mlp_backward(&u.q, u.dout, u.B, NULL);
        t[4] = bench_thread_cpu();
        dq_mlp_clip_grad_norm(&u.q, 10.0);
        t[5] = bench_thread_cpu();
        dq_optim_step(&u.opt, &u.q);
        t[6] = bench_thread_cpu();
        for (int i = 0; i < 6; i++)
            if (r == 0 || t[i + 1] - t[i] < best[i]) best[i] = t[i + 1] - t[i];
    }
    printf("phases of one update, %d-%d-%d-%d b%d (best of %d each):\n", c->n_in, c->h, c->h,
           c->n_out, c->B, n);
    for (int i = 0; i < 6; i++) printf("  %-22s %8.1f us\n", nm[i], best[i] * 1e6);
    upd_free(&u);
}

/* ns per dq_mlp_act call, best of reps */
static double bench_act(int reps) {
    dq_mlp_def d = dq_mlp_def_default();
    d.n_in = 4;
    d.n_out = 2;
    dq_rng r;
    dq_rng_seed(&r, 1);
    dq_mlp m;
    if (dq_mlp_init(&m, &d, 1, &r, NULL)) exit(1);
    float obs[64 * 4];
    for (int i = 0; i < 64 * 4; i++) obs[i] = (float)dq_rng_normal(&r);
    const long n = 200000;
    double best = 1e9;
    volatile int sink = 0;
    for (int rep = 0; rep < reps; rep++) {
        const double t0 = bench_thread_cpu();
        for (long i = 0; i < n; i++) sink += dq_mlp_act(&m, obs + 4 * (i & 63), NULL);
        const double ns = (bench_thread_cpu() - t0) / n * 1e9;
        if (ns < best) best = ns;
    }
    (void)sink;
    dq_mlp_free(&m);
    return best;
}

/* GFLOP/s of C[M,N] = A[M,K] B[K,N] with layout `kind` (0: X W^T forward, 1: dW = D^T X,
 * 2: dX = D W) for: 0 our packed kernel, 1 OpenBLAS sgemm, 2 the portable loop. */
static double bench_gemm(int M, int N, int K, int kind, int impl, int reps) {
    float *A = aligned_alloc(64, sizeof(float) * (size_t)M * K + 64);
    float *Bm = aligned_alloc(64, sizeof(float) * (size_t)K * N + 64);
    float *C = aligned_alloc(64, sizeof(float) * (size_t)M * N + 64);
    float *ws = aligned_alloc(64, dq_gemm_ws_floats() * sizeof(float));
    for (size_t i = 0; i < (size_t)M * K; i++) A[i] = (float)(i % 13) * 0.1f - 0.6f;
    for (size_t i = 0; i < (size_t)K * N; i++) Bm[i] = (float)(i % 7) * 0.1f - 0.3f;
    memset(C, 0, sizeof(float) * (size_t)M * N);
    /* strides per kind: forward A row-major [M,K], B = W^T with W [N,K]; dW: A = D^T with D
     * [K,M], B row-major [K,N]; dX: both row-major */
    const ptrdiff_t rsa = kind == 1 ? 1 : K, csa = kind == 1 ? M : 1;
    const ptrdiff_t rsb = kind == 0 ? 1 : N, csb = kind == 0 ? K : 1;
    const double flop = 2.0 * M * N * K;
    double best = 0;
    for (int r = 0; r < reps; r++) {
        long n = 0;
        const double t0 = bench_thread_cpu();
        double dt;
        do {
            for (int i = 0; i < 10; i++) {
                if (impl == 0)
                    dq_gemm_f32(M, N, K, A, rsa, csa, Bm, rsb, csb, C, N, 1, true, ws);
                else if (impl == 1)
                    cblas_sgemm(CblasRowMajor, kind == 1 ? CblasTrans : CblasNoTrans,
                                kind == 0 ? CblasTrans : CblasNoTrans, M, N, K, 1.0f, A,
                                kind == 1 ? M : K, Bm, kind == 0 ? K : N, 1.0f, C, N);
                else
                    dq_gemm_f32_ref(M, N, K, A, rsa, csa, Bm, rsb, csb, C, N, 1, true);
            }
            n += 10;
            dt = bench_thread_cpu() - t0;
        } while (dt < 0.05);
        const double gf = flop * n / dt * 1e-9;
        if (gf > best) best = gf;
    }
    free(A); free(Bm); free(C); free(ws);
    return best;
}

int main(int argc, char **argv) {
    int quick = 0, torch = 1, phases = 0, row = -1, threads = 2, adam_only = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) quick = 1;
        else if (!strcmp(argv[i], "--row") && i + 1 < argc) row = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-torch")) torch = 0;
        else if (!strcmp(argv[i], "--phases")) phases = 1;
        else if (!strcmp(argv[i], "--adam")) adam_only = 1;
        else {
            fprintf(stderr, "usage: bench_nn [--quick] [--no-torch] [--phases] [--row 0|1|2] "
                            "[--threads N] [--adam]\n");
            return 2;
        }
    }
    openblas_set_num_threads(1);
    if (phases) {
        const cfg c = {4, 256, 2, 64};
        bench_phases(&c, 2000);
        return 0;
    }
    const int reps = quick ? 2 : 5;
    const double secs = quick ? 0.1 : 0.3;
    if (adam_only) {
        print_adam(reps);
        return 0;
    }
    const double peak = measure_peak(reps);
    printf("# NN engine bench (%s kernels)\n", dq_cpu_has_avx2() ? "AVX2/FMA" : "portable");
    printf("FP32 FMA peak, 1 core (measured): %.1f GFLOP/s\n\n", peak);

    const cfg cfgs[3] = {{4, 64, 2, 64}, {4, 256, 2, 64}, {8, 256, 4, 128}};
    if (row >= 0 && row < 3) { /* one row only, no peak, torch or GEMM table (for perf) */
        const cfg *c = &cfgs[row];
        const double u = bench_updates(c, reps, secs);
        printf("%d-%d-%d-%d b%d: %.0f updates/s, %.1f GFLOP/s (1 thread, CPU clock)\n", c->n_in,
               c->h, c->h, c->n_out, c->B, u, update_flops(c) * u * 1e-9);
        if (threads > 1) {
            double w, cpu;
            bench_updates_mt(c, threads, reps, secs, &w, &cpu);
            printf("%d-%d-%d-%d b%d: %.0f updates/s wall, %.1f us CPU/update (%d threads)\n",
                   c->n_in, c->h, c->h, c->n_out, c->B, w, cpu * 1e6, threads);
        }
        return 0;
    }
    double ups[3];
    for (int i = 0; i < 3; i++) ups[i] = bench_updates(&cfgs[i], reps, secs);
    const double peak2 = measure_peak(reps); /* again: the machine is shared, keep the best */
    const double pk = peak2 > peak ? peak2 : peak;

    double tups[3] = {0, 0, 0};
    int have_torch = 0;
    if (torch && system("python3 -c 'import torch' >/dev/null 2>&1") == 0) {
        char cmd[2048];
        snprintf(cmd, sizeof cmd,
                 "python3 %s/bench/bench_nn_torch.py 4-64-64-2:64 4-256-256-2:64 8-256-256-4:128",
                 DQ_SOURCE_DIR);
        FILE *p = popen(cmd, "r");
        if (p) {
            char line[256];
            int k = 0;
            while (k < 3 && fgets(line, sizeof line, p)) {
                char arch[64], b[16];
                double v;
                if (sscanf(line, "%63s %15s %lf", arch, b, &v) == 3) tups[k++] = v;
            }
            have_torch = pclose(p) == 0 && k == 3;
        }
    }

    printf("| net | batch | MFLOP/update | updates/s | GFLOP/s | %% of peak | torch 1-thread updates/s | ratio |\n");
    printf("|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < 3; i++) {
        const cfg *c = &cfgs[i];
        const double f = update_flops(c);
        const double gf = f * ups[i] * 1e-9;
        printf("| %d-%d-%d-%d | %d | %.2f | %.0f | %.1f | %.1f%% |", c->n_in, c->h, c->h,
               c->n_out, c->B, f * 1e-6, ups[i], gf, pk > 0 ? 100 * gf / pk : 0);
        if (have_torch) printf(" %.0f | %.1fx |\n", tups[i], ups[i] / tups[i]);
        else printf(" n/a | n/a |\n");
    }
    if (threads > 1) {
        printf("\nThreads inside the update (dq_pool; wall clock, best of %d; CPU = all threads of "
               "the process, spinning included; machine load: other jobs share the cores):\n\n",
               reps);
        printf("| net | batch | 1 thread updates/s (wall) | CPU us/update | %d threads updates/s "
               "(wall) | CPU us/update | speed-up (wall) |\n", threads);
        printf("|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < 3; i++) {
            const cfg *c = &cfgs[i];
            double w1, c1, wt, ct;
            bench_updates_mt(c, 1, reps, secs, &w1, &c1);
            bench_updates_mt(c, threads, reps, secs, &wt, &ct);
            printf("| %d-%d-%d-%d | %d | %.0f | %.0f | %.0f | %.0f | %.2fx |\n", c->n_in, c->h,
                   c->h, c->n_out, c->B, w1, c1 * 1e6, wt, ct * 1e6, wt / w1);
        }
    }
    printf("\nFP32 FMA peak used for %%: %.1f GFLOP/s (best of the two peak runs)\n", pk);
    printf("act latency (4-64-64-2, one observation, forward + argmax): %.0f ns\n",
           bench_act(reps));
    print_adam(reps);
    printf("\n");

    printf("GEMM GFLOP/s on the layer shapes (M x N x K; packed AVX2 | OpenBLAS 1 thread | portable):\n");
    const int gs[][4] = {{64, 64, 64, 0}, {64, 64, 64, 1}, {64, 64, 64, 2},
                         {64, 256, 256, 0}, {256, 256, 64, 1}, {64, 256, 256, 2},
                         {128, 256, 256, 0}, {256, 256, 128, 1}, {128, 256, 256, 2},
                         {64, 2, 64, 0}, {64, 4, 64, 1}};
    const char *kn[3] = {"fwd  X W^T", "dW   D^T X", "dX   D W  "};
    for (size_t i = 0; i < sizeof gs / sizeof gs[0]; i++) {
        const int M = gs[i][0], N = gs[i][1], K = gs[i][2], k = gs[i][3];
        printf("  %s %4d x %4d x %4d: %6.1f | %6.1f | %6.1f\n", kn[k], M, N, K,
               bench_gemm(M, N, K, k, 0, reps), bench_gemm(M, N, K, k, 1, reps),
               bench_gemm(M, N, K, k, 2, reps));
    }
    return 0;
}
