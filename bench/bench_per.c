/* bench_per.c — cost of prioritized replay against uniform replay, per gradient step.
 *
 * For buffers of 100k and 1M transitions (obs_dim 8, LunarLander-sized) and batches of 64 and
 * 128 it times, per gradient step:
 *   uniform:     dq_replay_sample (B uniform slots + gather)
 *   prioritized: dq_per_sample (stratified sum-tree descent + weights) + dq_replay_gather
 *                + dq_per_update (B priority writes, each log2(n) levels of both trees)
 *   rank-based:  the same calls with per_kind rank (heap sift per update, binary search over
 *                the rank cdf per sample, a full heapsort every sort_interval = capacity updates,
 *                amortised into the per-step time)
 * and the same two with one full DQN update of an 8-W-W-4 MLP (target forward, online forward,
 * backward, Adam; W = 256 by default, 64 for the small nets of the classic-control presets)
 * added, so the ratio is shown both for the replay work alone and for the gradient step as a
 * whole. Best of 5 repetitions; single thread; CPU time of the thread (CLOCK_THREAD_CPUTIME_ID)
 * so slices given to other processes on a shared machine are not counted.
 *
 *   build/bench/bench_per [iterations [W]]    (default 20000 replay iterations, W = 256) */
#include "bench_clock.h"
#include "deepq/nn.h"
#include "deepq/per.h"
#include "deepq/replay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { OBS = 8, ACTS = 4, REPS = 5 };

typedef struct net_step {
    dq_mlp online, target;
    dq_optim opt;
    float *q, *qn, *dq, *pred, *tgt, *dpred, *td;
} net_step;

static void net_update(net_step *n, const dq_replay_batch *bt, const float *w, int B) {
    dq_mlp_forward(&n->target, bt->next_obs, B, n->qn);
    dq_max_f32(n->tgt, n->qn, B, ACTS);
    for (int b = 0; b < B; b++)
        n->tgt[b] = bt->reward[b] + 0.99f * (1 - bt->terminated[b]) * n->tgt[b];
    dq_mlp_forward(&n->online, bt->obs, B, n->q);
    dq_gather_f32(n->pred, n->q, bt->action, B, ACTS);
    dq_loss_f32(DQ_LOSS_HUBER, n->dpred, n->td, n->pred, n->tgt, w, B);
    dq_scatter_f32(n->dq, n->dpred, bt->action, B, ACTS);
    dq_mlp_zero_grad(&n->online);
    dq_mlp_backward(&n->online, n->dq, B, NULL);
    dq_optim_step(&n->opt, &n->online);
}

int main(int argc, char **argv) {
    const int iters = argc > 1 ? atoi(argv[1]) : 20000;
    const int width = argc > 2 ? atoi(argv[2]) : 256;
    if (iters < 1 || width < 1) {
        fprintf(stderr, "usage: bench_per [iterations >= 1 [width >= 1]]\n");
        return 2;
    }
    const int64_t sizes[2] = {100000, 1000000};
    const int batches[2] = {64, 128};
    dq_rng rng;
    dq_rng_seed(&rng, 1);
    dq_error err;

    printf("# bench_per: per gradient step, best of %d, %d replay iterations, net 8-%d-%d-4 "
           "(single thread)\n", REPS, iters, width, width);
    printf("| PER | buffer | batch | uniform us | PER us | ratio | uniform+net us | PER+net us | "
           "ratio |\n");
    printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int kind = 0; kind < 2; kind++)
    for (int si = 0; si < 2; si++) {
        dq_replay_def rd = dq_replay_def_default();
        rd.capacity = sizes[si];
        rd.obs_dim = OBS;
        dq_replay *rb;
        if (dq_replay_create(&rb, &rd, &err)) {
            fprintf(stderr, "bench_per: %s\n", err.msg);
            return 1;
        }
        dq_per_def pd = dq_per_def_default();
        pd.rank_based = kind == 1;
        dq_per per;
        if (dq_per_init(&per, &pd, sizes[si], &err)) {
            fprintf(stderr, "bench_per: %s\n", err.msg);
            return 1;
        }
        float o[OBS], o2[OBS];
        for (int64_t i = 0; i < sizes[si]; i++) {
            for (int d = 0; d < OBS; d++) o[d] = (float)dq_rng_normal(&rng), o2[d] = o[d] + 0.01f;
            dq_replay_add(rb, o, (int32_t)dq_rng_below(&rng, ACTS), (float)dq_rng_normal(&rng), o2,
                          dq_rng_uniform(&rng) < 0.01, false);
            dq_per_add(&per, dq_replay_last(rb));
        }
        /* realistic spread of priorities before timing */
        for (int64_t i = 0; i < sizes[si]; i++) {
            float td = (float)fabs(dq_rng_normal(&rng)) * (float)(1 + (i % 10));
            dq_per_update(&per, &i, &td, 1);
        }
        for (int bi = 0; bi < 2; bi++) {
            const int B = batches[bi];
            float *obs = malloc(sizeof(float) * B * OBS), *nobs = malloc(sizeof(float) * B * OBS);
            float *rew = malloc(sizeof(float) * B), *term = malloc(sizeof(float) * B);
            float *w = malloc(sizeof(float) * B), *td = malloc(sizeof(float) * B);
            int32_t *act = malloc(sizeof(int32_t) * B);
            int64_t *idx = malloc(sizeof(int64_t) * B);
            dq_replay_batch bt = {obs, nobs, act, rew, term, NULL, idx};
            for (int b = 0; b < B; b++) td[b] = (float)fabs(dq_rng_normal(&rng));

            net_step ns;
            dq_mlp_def md = dq_mlp_def_default();
            md.n_in = OBS;
            md.n_out = ACTS;
            md.hidden[0] = md.hidden[1] = width;
            dq_optim_def od = dq_optim_def_default(DQ_OPT_ADAM);
            if (dq_mlp_init(&ns.online, &md, B, &rng, &err) ||
                dq_mlp_init(&ns.target, &md, B, &rng, &err) ||
                dq_optim_init(&ns.opt, &od, &ns.online, &err)) {
                fprintf(stderr, "bench_per: %s\n", err.msg);
                return 1;
            }
            ns.q = malloc(sizeof(float) * B * ACTS);
            ns.qn = malloc(sizeof(float) * B * ACTS);
            ns.dq = malloc(sizeof(float) * B * ACTS);
            ns.pred = malloc(sizeof(float) * B);
            ns.tgt = malloc(sizeof(float) * B);
            ns.dpred = malloc(sizeof(float) * B);
            ns.td = malloc(sizeof(float) * B);

            double best[4] = {1e30, 1e30, 1e30, 1e30};
            const int net_iters = iters / 20 > 200 ? iters / 20 : 200;
            for (int rep = 0; rep < REPS; rep++) {
                double t0 = bench_thread_cpu();
                for (int it = 0; it < iters; it++) dq_replay_sample(rb, &rng, B, &bt, NULL, NULL);
                double t1 = bench_thread_cpu();
                for (int it = 0; it < iters; it++) {
                    dq_per_sample(&per, &rng, B, 0.5, idx, w, NULL);
                    dq_replay_gather(rb, idx, B, &bt);
                    for (int b = 0; b < B; b++) td[b] = td[(b + 1) % B] * 0.999f + 0.001f;
                    dq_per_update(&per, idx, td, B);
                }
                double t2 = bench_thread_cpu();
                for (int it = 0; it < net_iters; it++) {
                    dq_replay_sample(rb, &rng, B, &bt, NULL, NULL);
                    net_update(&ns, &bt, NULL, B);
                }
                double t3 = bench_thread_cpu();
                for (int it = 0; it < net_iters; it++) {
                    dq_per_sample(&per, &rng, B, 0.5, idx, w, NULL);
                    dq_replay_gather(rb, idx, B, &bt);
                    net_update(&ns, &bt, w, B);
                    dq_per_update(&per, idx, ns.td, B);
                }
                double t4 = bench_thread_cpu();
                double v[4] = {(t1 - t0) / iters, (t2 - t1) / iters, (t3 - t2) / net_iters,
                               (t4 - t3) / net_iters};
                for (int k = 0; k < 4; k++) best[k] = v[k] < best[k] ? v[k] : best[k];
            }
            printf("| %s | %lld | %d | %.2f | %.2f | %.2fx | %.1f | %.1f | %.3fx |\n",
                   kind ? "rank" : "proportional", (long long)sizes[si], B, best[0] * 1e6, best[1] * 1e6, best[1] / best[0],
                   best[2] * 1e6, best[3] * 1e6, best[3] / best[2]);
            fflush(stdout);
            dq_mlp_free(&ns.online);
            dq_mlp_free(&ns.target);
            dq_optim_free(&ns.opt);
            free(ns.q); free(ns.qn); free(ns.dq); free(ns.pred); free(ns.tgt); free(ns.dpred);
            free(ns.td);
            free(obs); free(nobs); free(rew); free(term); free(w); free(td); free(act); free(idx);
        }
        dq_per_free(&per);
        dq_replay_destroy(rb);
    }
    return 0;
}
