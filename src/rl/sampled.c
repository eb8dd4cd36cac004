/* sampled.c — max_a Q(s, a) by search: evaluate a critic at candidate actions and keep the best,
 * either N uniform samples (random shooting) or the cross-entropy method (QT-Opt's CEM): draw
 * from a diagonal normal, refit it to the best few, repeat (deepq/cont_math.h). */
#include <math.h>
#include <string.h>

#include "deepq/cont_math.h"

void dq_qmax_candidates(float *best_q, float *best_a, int32_t *best_n, dq_mlp *critic,
                        const float *obs, const float *cand, int B, int N, int D, float *x,
                        float *q, int chunk) {
    const int O = critic->dims[0] - D;
    const long total = (long)B * N;
    for (long r0 = 0; r0 < total; r0 += chunk) { /* rows r = b * N + n, chunk at a time */
        const int n_rows = (int)(total - r0 < chunk ? total - r0 : chunk);
        for (int k = 0; k < n_rows; k++) {
            const long r = r0 + k;
            memcpy(x + (size_t)k * (O + D), obs + (size_t)(r / N) * O, sizeof(float) * O);
            memcpy(x + (size_t)k * (O + D) + O, cand + (size_t)r * D, sizeof(float) * D);
        }
        dq_mlp_forward(critic, x, n_rows, q);
        for (int k = 0; k < n_rows; k++) {
            const long r = r0 + k;
            const int b = (int)(r / N), n = (int)(r % N);
            if (n == 0 || q[k] > best_q[b]) {
                best_q[b] = q[k];
                memcpy(best_a + (size_t)b * D, cand + (size_t)r * D, sizeof(float) * D);
                if (best_n) best_n[b] = n;
            }
        }
    }
}

/* Scores of every candidate (the same chunked evaluation, keeping all values). */
static void score_all(float *score, dq_mlp *critic, const float *obs, const float *cand, int B,
                      int N, int D, float *x, float *q, int chunk) {
    const int O = critic->dims[0] - D;
    const long total = (long)B * N;
    for (long r0 = 0; r0 < total; r0 += chunk) {
        const int n_rows = (int)(total - r0 < chunk ? total - r0 : chunk);
        for (int k = 0; k < n_rows; k++) {
            const long r = r0 + k;
            memcpy(x + (size_t)k * (O + D), obs + (size_t)(r / N) * O, sizeof(float) * O);
            memcpy(x + (size_t)k * (O + D) + O, cand + (size_t)r * D, sizeof(float) * D);
        }
        dq_mlp_forward(critic, x, n_rows, q);
        memcpy(score + r0, q, sizeof(float) * n_rows);
    }
}

static inline float clamp1(float v) { return v < -1.0f ? -1.0f : v > 1.0f ? 1.0f : v; }

void dq_sampled_max(float *best_q, float *best_a, dq_mlp *critic, const float *obs, int B, int D,
                    int N, int cem_iters, int n_elite, dq_rng *rng, const dq_sampled_scratch *s) {
    if (cem_iters <= 0) {
        for (size_t i = 0; i < (size_t)B * N * D; i++)
            s->cand[i] = (float)dq_rng_range(rng, -1.0, 1.0);
        dq_qmax_candidates(best_q, best_a, NULL, critic, obs, s->cand, B, N, D, s->x, s->q,
                           s->chunk);
        return;
    }
    if (n_elite < 1) n_elite = 1;
    if (n_elite > N) n_elite = N;
    for (size_t i = 0; i < (size_t)B * D; i++) {
        s->mean[i] = 0.0f;
        s->std[i] = 0.5f;
    }
    for (int it = 0; it < cem_iters; it++) {
        for (int b = 0; b < B; b++)
            for (int n = 0; n < N; n++)
                for (int j = 0; j < D; j++) {
                    const size_t k = ((size_t)b * N + n) * D + j;
                    s->cand[k] = clamp1(s->mean[(size_t)b * D + j] +
                                        s->std[(size_t)b * D + j] * (float)dq_rng_normal(rng));
                }
        score_all(s->score, critic, obs, s->cand, B, N, D, s->x, s->q, s->chunk);
        for (int b = 0; b < B; b++) {
            const float *sc = s->score + (size_t)b * N;
            /* order[0..n_elite) = indices of the n_elite best scores, best first (stable) */
            int m = 0;
            for (int n = 0; n < N; n++) {
                if (m == n_elite && !(sc[n] > sc[s->order[m - 1]])) continue;
                int p = m < n_elite ? m++ : n_elite - 1; /* when full the last one drops out */
                while (p > 0 && sc[n] > sc[s->order[p - 1]]) {
                    s->order[p] = s->order[p - 1];
                    p--;
                }
                s->order[p] = n;
            }
            const int top = s->order[0];
            if (it == 0 || sc[top] > best_q[b]) {
                best_q[b] = sc[top];
                memcpy(best_a + (size_t)b * D, s->cand + ((size_t)b * N + top) * D,
                       sizeof(float) * D);
            }
            for (int j = 0; j < D; j++) { /* refit to the elite: mean and population std */
                double mu = 0, var = 0;
                for (int e = 0; e < n_elite; e++)
                    mu += s->cand[((size_t)b * N + s->order[e]) * D + j];
                mu /= n_elite;
                for (int e = 0; e < n_elite; e++) {
                    const double d = s->cand[((size_t)b * N + s->order[e]) * D + j] - mu;
                    var += d * d;
                }
                s->mean[(size_t)b * D + j] = (float)mu;
                s->std[(size_t)b * D + j] = (float)sqrt(var / n_elite);
            }
        }
    }
}
