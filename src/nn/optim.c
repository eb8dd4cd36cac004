/* optim.c — Adam, SGD (momentum) and RMSprop (plain and centered) over a network's flat
 * parameter and gradient buffers, following torch.optim's single-tensor update formulas
 * (float32 networks update in float32 arithmetic, as torch does on float32 tensors).
 * Adam: m = lerp(m, g, 1-b1); v = b2 v + (1-b2) g^2; p -= (lr/bc1) m / (sqrt(v)/sqrt(bc2) + eps)
 * with eps added after the square root as torch. The division by sqrt(bc2) is done as a
 * multiplication by its reciprocal (computed in double): at most one ulp away in the
 * denominator, and one division fewer per parameter (Adam is ~9% of a width-256 update).
 *
 * Moments that decay into the subnormal range (|x| < FLT_MIN, or DBL_MIN for float64) are stored
 * as 0. A dead ReLU unit gets zero gradients for thousands of updates; its m shrinks by b1 and
 * its v by b2 per step, and v spends ~16k updates among the subnormals, where every multiply
 * takes a slow microcode path: in RL-Zoo's CartPole run (256x256) a quarter of the moments were
 * subnormal and Adam took 62% of the training time, more than the GEMMs. The flush cannot move a
 * parameter: a subnormal v adds at most sqrt(FLT_MIN) ~ 1e-19 to a denominator that holds
 * eps = 1e-8 (below half an ulp of it), and a subnormal m moves p by at most
 * lr * FLT_MIN / eps ~ 1e-33. (torch keeps subnormals unless set_flush_denormal(True).) */
#include "deepq/nn.h"

#include "nn/gemm.h"
#include "nn/pool.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DQ_HAVE_X86 1
#else
#define DQ_HAVE_X86 0
#endif

dq_optim_def dq_optim_def_default(dq_optim_kind kind) {
    dq_optim_def d;
    memset(&d, 0, sizeof d);
    d.kind = kind;
    d.lr = kind == DQ_OPT_ADAM ? 1e-3 : 1e-2;
    d.beta1 = 0.9;
    d.beta2 = 0.999;
    d.eps = 1e-8;
    d.alpha = 0.99;
    return d;
}

static int moments_of(const dq_optim_def *d) {
    switch (d->kind) {
    case DQ_OPT_ADAM: return 2;                   /* m, v */
    case DQ_OPT_SGD: return d->momentum != 0 ? 1 : 0; /* momentum buffer */
    case DQ_OPT_RMSPROP: return 3;                /* square_avg, momentum buffer, grad_avg */
    }
    return 0;
}

dq_status dq_optim_init(dq_optim *o, const dq_optim_def *def, const dq_mlp *m, dq_error *err) {
    memset(o, 0, sizeof *o);
    if (!def || !m) return dq_fail(err, DQ_EINVAL, "dq_optim_init: def and network required");
    if ((unsigned)def->kind > DQ_OPT_RMSPROP)
        return dq_fail(err, DQ_EINVAL, "optimizer: unknown kind %d", (int)def->kind);
    if (!(def->lr >= 0.0))
        return dq_fail(err, DQ_EINVAL, "optimizer: learning rate %g must be >= 0", def->lr);
    o->def = *def;
    o->dtype = m->def.dtype;
    o->n = m->n_params;
    o->n_moments = moments_of(def);
    const size_t es = o->dtype == DQ_F64 ? 8 : 4;
    const size_t bytes = (size_t)o->n_moments * o->n * es;
    if (bytes) {
        o->state = calloc(1, bytes);
        if (!o->state)
            return dq_fail(err, DQ_ENOMEM, "optimizer: out of memory for %zu state bytes", bytes);
    }
    return DQ_OK;
}

void dq_optim_free(dq_optim *o) {
    if (!o) return;
    free(o->state);
    o->state = NULL;
}

/* A moment below the smallest normal number becomes 0 (see the top of the file). */
static inline float flush_float(float x) { return fabsf(x) < FLT_MIN ? 0.0f : x; }
static inline double flush_double(double x) { return fabs(x) < DBL_MIN ? 0.0 : x; }

#define DQ_OPTIM_STEP(T, SQRT)                                                                 \
    static void step_##T(dq_optim *o, T *restrict p, const T *restrict gr, size_t i0,          \
                         size_t i1) {                                                          \
        const dq_optim_def *d = &o->def;                                                       \
        const size_t n = o->n;                                                                 \
        const T lr = (T)d->lr, wd = (T)d->weight_decay;                                        \
        T *s = (T *)o->state;                                                                  \
        if (d->kind == DQ_OPT_ADAM) {                                                          \
            T *m1 = s, *v = s + n;                                                             \
            const T b1 = (T)d->beta1, b2 = (T)d->beta2, eps = (T)d->eps;                       \
            const double bc1 = 1.0 - pow(d->beta1, (double)o->t);                              \
            const double bc2 = 1.0 - pow(d->beta2, (double)o->t);                              \
            const T step = (T)(d->lr / bc1), ibc2s = (T)(1.0 / sqrt(bc2));                         \
            for (size_t i = i0; i < i1; i++) {                                                   \
                const T g = wd != 0 ? gr[i] + wd * p[i] : gr[i];                               \
                m1[i] = flush_##T(m1[i] + ((T)1 - b1) * (g - m1[i])); /* lerp, as torch */     \
                v[i] = flush_##T(v[i] * b2 + ((T)1 - b2) * g * g);                             \
                const T denom = SQRT(v[i]) * ibc2s + eps;                                       \
                p[i] = p[i] - step * (m1[i] / denom);                                          \
            }                                                                                  \
        } else if (d->kind == DQ_OPT_SGD) {                                                    \
            const T mom = (T)d->momentum;                                                      \
            for (size_t i = i0; i < i1; i++) {                                                   \
                T g = wd != 0 ? gr[i] + wd * p[i] : gr[i];                                     \
                if (o->n_moments) {                                                            \
                    s[i] = flush_##T(o->t == 1 ? g : s[i] * mom + g); /* torch clones g, step 1 */\
                    g = s[i];                                                                  \
                }                                                                              \
                p[i] = p[i] - lr * g;                                                          \
            }                                                                                  \
        } else {                                                                               \
            T *sq = s, *buf = s + n, *ga = s + 2 * n;                                          \
            const T alpha = (T)d->alpha, eps = (T)d->eps, mom = (T)d->momentum;                \
            for (size_t i = i0; i < i1; i++) {                                                   \
                const T g = wd != 0 ? gr[i] + wd * p[i] : gr[i];                               \
                sq[i] = flush_##T(sq[i] * alpha + ((T)1 - alpha) * g * g);                     \
                T avg;                                                                         \
                if (d->centered) {                                                             \
                    ga[i] = flush_##T(ga[i] + ((T)1 - alpha) * (g - ga[i]));                   \
                    avg = SQRT(sq[i] - ga[i] * ga[i]) + eps;                                   \
                } else {                                                                       \
                    avg = SQRT(sq[i]) + eps;                                                   \
                }                                                                              \
                if (mom > 0) {                                                                 \
                    buf[i] = flush_##T(buf[i] * mom + g / avg);                                \
                    p[i] = p[i] - lr * buf[i];                                                 \
                } else {                                                                       \
                    p[i] = p[i] - lr * (g / avg);                                              \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
    }
DQ_OPTIM_STEP(float, sqrtf)
DQ_OPTIM_STEP(double, sqrt)

#if DQ_HAVE_X86
/* The float32 Adam update, 8 lanes at a time, with the same operations in the same order as
 * step_float (separate multiplies and adds — contraction into FMA is switched off here — IEEE
 * sqrt and division), so it computes the same parameters as the portable loop, about 8x faster
 * (the square root and the division dominate the scalar loop). */
/* flush_float on 8 lanes: keep the lanes with |x| >= FLT_MIN */
__attribute__((target("avx2"))) static inline __m256 flush8(__m256 x) {
    const __m256 ax = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
    return _mm256_and_ps(x, _mm256_cmp_ps(ax, _mm256_set1_ps(FLT_MIN), _CMP_GE_OQ));
}

__attribute__((target("avx2,fma"), optimize("fp-contract=off"))) static void
adam_f32_avx2(dq_optim *o, float *restrict p, const float *restrict gr, size_t i0, size_t i1) {
    const dq_optim_def *d = &o->def;
    const size_t n = o->n;
    float *m1 = (float *)o->state, *v = m1 + n;
    const double bc1 = 1.0 - pow(d->beta1, (double)o->t);
    const double bc2 = 1.0 - pow(d->beta2, (double)o->t);
    const float b1 = (float)d->beta1, b2 = (float)d->beta2, eps = (float)d->eps;
    const float step = (float)(d->lr / bc1), ibc2s = (float)(1.0 / sqrt(bc2));
    const float wd = (float)d->weight_decay;
    const __m256 vb1c = _mm256_set1_ps(1.0f - b1), vb2 = _mm256_set1_ps(b2);
    const __m256 vb2c = _mm256_set1_ps(1.0f - b2), veps = _mm256_set1_ps(eps);
    const __m256 vstep = _mm256_set1_ps(step), vibc2s = _mm256_set1_ps(ibc2s);
    const __m256 vwd = _mm256_set1_ps(wd);
    size_t i = i0;
    for (; i + 8 <= i1; i += 8) {
        const __m256 pv = _mm256_loadu_ps(p + i);
        __m256 g = _mm256_loadu_ps(gr + i);
        if (wd != 0) g = _mm256_add_ps(g, _mm256_mul_ps(vwd, pv));
        __m256 mv = _mm256_loadu_ps(m1 + i), vv = _mm256_loadu_ps(v + i);
        mv = _mm256_add_ps(mv, _mm256_mul_ps(vb1c, _mm256_sub_ps(g, mv)));
        vv = _mm256_add_ps(_mm256_mul_ps(vv, vb2), _mm256_mul_ps(_mm256_mul_ps(vb2c, g), g));
        mv = flush8(mv);
        vv = flush8(vv);
        const __m256 den = _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(vv), vibc2s), veps);
        _mm256_storeu_ps(m1 + i, mv);
        _mm256_storeu_ps(v + i, vv);
        _mm256_storeu_ps(p + i, _mm256_sub_ps(pv, _mm256_mul_ps(vstep, _mm256_div_ps(mv, den))));
    }
    for (; i < i1; i++) {
        const float g = wd != 0 ? gr[i] + wd * p[i] : gr[i];
        m1[i] = flush_float(m1[i] + (1.0f - b1) * (g - m1[i]));
        v[i] = flush_float(v[i] * b2 + (1.0f - b2) * g * g);
        const float den = sqrtf(v[i]) * ibc2s + eps;
        p[i] = p[i] - step * (m1[i] / den);
    }
}
#endif

/* One part of a step: parameters [i0, i1) with i0, i1 multiples of 8 (but the last). Every
 * update is element-wise, so any split gives the same bits. */
typedef struct optim_job {
    dq_optim *o;
    dq_mlp *m;
} optim_job;

static void optim_part(void *vp, int part, int np, int thread) {
    const optim_job *j = vp;
    (void)thread;
    dq_optim *o = j->o;
    long u0, u1;
    dq_pool_range((long)(o->n + 7) / 8, part, np, &u0, &u1);
    const size_t i0 = (size_t)u0 * 8, i1 = (size_t)u1 * 8 < o->n ? (size_t)u1 * 8 : o->n;
    if (i0 >= i1) return;
    if (o->dtype == DQ_F64) {
        step_double(o, j->m->params, j->m->grads, i0, i1);
        return;
    }
#if DQ_HAVE_X86
    if (o->def.kind == DQ_OPT_ADAM && dq_cpu_has_avx2()) {
        adam_f32_avx2(o, j->m->params, j->m->grads, i0, i1);
        return;
    }
#endif
    step_float(o, j->m->params, j->m->grads, i0, i1);
}

void dq_optim_step(dq_optim *o, dq_mlp *m) {
    o->t++;
    optim_job j = {o, m};
    dq_pool *pool = o->n >= 4096 ? m->pool : NULL;
    const int T = dq_pool_threads(pool);
    dq_pool_run(pool, T > 1 ? 2 * T : 1, optim_part, &j);
}
