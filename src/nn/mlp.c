/* mlp.c — multi-layer perceptron: initialisation, batched forward/backward, the
 * allocation-free acting path, and whole-buffer operations (copy, Polyak, gradient clipping).
 *
 * Work buffer layout (elements of the network's dtype, each region 64-byte aligned):
 *   v0,v1 [max_width]                single-observation scratch for dq_mlp_act
 *   xin   [max_batch, n_in]          copy of the last forward's input (for dW of layer 0)
 *   act_l [max_batch, dims[l+1]]     post-activation output of every layer l
 *   d0,d1 [max_batch, max_width]     ping-pong buffers for dL/dz during backward
 *   ws    [dq_gemm_ws_floats()]      packed GEMM panels (float32 networks only)
 * Forward keeps post-activations because ReLU' and tanh' are functions of the output
 * (relu: y > 0; tanh: 1 - y^2). */
#include "deepq/nn.h"
#include "nn/gemm.h"
#include "nn/pool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#define DQ_ALIGN_ELEMS(n, es) ((((n) * (es) + 63) / 64) * 64 / (es))

dq_mlp_def dq_mlp_def_default(void) {
    dq_mlp_def d;
    memset(&d, 0, sizeof d);
    d.n_hidden = 2;
    d.hidden[0] = 64;
    d.hidden[1] = 64;
    d.act = DQ_ACT_RELU;
    d.out_act = DQ_ACT_IDENTITY;
    d.dtype = DQ_F32;
    d.init = DQ_INIT_TORCH;
    d.ortho_gain = sqrt(2.0);
    return d;
}

static size_t es_of(const dq_mlp *m) { return m->def.dtype == DQ_F64 ? 8 : 4; }

/* Element offsets of the work regions, derived from dims and max_batch. */
typedef struct work_layout {
    size_t xin, act[DQ_MLP_MAX_HIDDEN + 1], d0, d1, v0, v1, ws, total;
} work_layout;

static work_layout layout_of(const dq_mlp *m) {
    work_layout L;
    const size_t es = es_of(m), B = (size_t)m->max_batch, maxw = (size_t)m->max_width;
    size_t off = 0;
    L.v0 = off; /* first, so that dq_mlp_act finds them without walking the layers */
    off += DQ_ALIGN_ELEMS(maxw, es);
    L.v1 = off;
    off += DQ_ALIGN_ELEMS(maxw, es);
    L.xin = off;
    off += DQ_ALIGN_ELEMS(B * (size_t)m->dims[0], es);
    for (int l = 0; l < m->n_layers; l++) {
        L.act[l] = off;
        off += DQ_ALIGN_ELEMS(B * (size_t)m->dims[l + 1], es);
    }
    L.d0 = off;
    off += DQ_ALIGN_ELEMS(B * maxw, es);
    L.d1 = off;
    off += DQ_ALIGN_ELEMS(B * maxw, es);
    L.ws = off;
    if (m->def.dtype == DQ_F32) off += DQ_ALIGN_ELEMS(dq_gemm_ws_floats(), es);
    L.total = off;
    return L;
}

static void *alloc_aligned(size_t bytes) {
    size_t n = (bytes + 63) / 64 * 64;
    void *p = aligned_alloc(64, n ? n : 64);
    if (p) memset(p, 0, n ? n : 64);
    return p;
}

/* Orthogonal matrix W[rows, cols] * gain as torch.nn.init.orthogonal_: QR of a Gaussian matrix
 * (taken as [max, min] so Q has orthonormal columns), Q's columns sign-fixed so R has a positive
 * diagonal; modified Gram-Schmidt in double gives exactly that Q. Returns false on ENOMEM. */
static bool orthogonal_fill(double *W, int rows, int cols, double gain, dq_rng *rng) {
    const int big = rows >= cols ? rows : cols, small = rows >= cols ? cols : rows;
    double *Q = malloc(sizeof(double) * (size_t)big * small); /* column j at Q[j*big] */
    if (!Q) return false;
    /* Gaussian draws in torch's [rows, cols] row-major order; transposed when rows < cols. */
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            const double g = dq_rng_normal(rng);
            if (rows >= cols) Q[(size_t)c * big + r] = g;
            else Q[(size_t)r * big + c] = g;
        }
    for (int j = 0; j < small; j++) {
        double *q = Q + (size_t)j * big;
        for (int i = 0; i < j; i++) {
            const double *p = Q + (size_t)i * big;
            double d = 0;
            for (int k = 0; k < big; k++) d += p[k] * q[k];
            for (int k = 0; k < big; k++) q[k] -= d * p[k];
        }
        double n = 0;
        for (int k = 0; k < big; k++) n += q[k] * q[k];
        n = sqrt(n);
        for (int k = 0; k < big; k++) q[k] = n > 0 ? q[k] / n : 0.0;
    }
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            W[(size_t)r * cols + c] =
                gain * (rows >= cols ? Q[(size_t)c * big + r] : Q[(size_t)r * big + c]);
    free(Q);
    return true;
}

static void set_param(dq_mlp *m, size_t i, double v) {
    if (m->def.dtype == DQ_F64) ((double *)m->params)[i] = v;
    else ((float *)m->params)[i] = (float)v;
}

dq_status dq_mlp_init(dq_mlp *m, const dq_mlp_def *def, int max_batch, dq_rng *rng,
                      dq_error *err) {
    memset(m, 0, sizeof *m);
    if (!def || !rng) return dq_fail(err, DQ_EINVAL, "dq_mlp_init: def and rng are required");
    if (def->n_in <= 0 || def->n_out <= 0)
        return dq_fail(err, DQ_EINVAL, "mlp: n_in (%d) and n_out (%d) must be positive",
                       def->n_in, def->n_out);
    if (def->n_hidden < 0 || def->n_hidden > DQ_MLP_MAX_HIDDEN)
        return dq_fail(err, DQ_EINVAL, "mlp: n_hidden %d out of range 0..%d", def->n_hidden,
                       DQ_MLP_MAX_HIDDEN);
    for (int i = 0; i < def->n_hidden; i++)
        if (def->hidden[i] <= 0)
            return dq_fail(err, DQ_EINVAL, "mlp: hidden[%d] = %d must be positive", i,
                           def->hidden[i]);
    if (def->dtype != DQ_F32 && def->dtype != DQ_F64)
        return dq_fail(err, DQ_EINVAL, "mlp: dtype must be float32 or float64");
    if ((unsigned)def->act > DQ_ACT_TANH || (unsigned)def->out_act > DQ_ACT_TANH)
        return dq_fail(err, DQ_EINVAL, "mlp: unknown activation");
    if (def->init != DQ_INIT_TORCH && def->init != DQ_INIT_ORTHOGONAL)
        return dq_fail(err, DQ_EINVAL, "mlp: unknown init scheme");
    if (max_batch <= 0)
        return dq_fail(err, DQ_EINVAL, "mlp: max_batch %d must be positive", max_batch);

    m->def = *def;
    m->n_layers = def->n_hidden + 1;
    m->dims[0] = def->n_in;
    for (int i = 0; i < def->n_hidden; i++) m->dims[i + 1] = def->hidden[i];
    m->dims[m->n_layers] = def->n_out;
    size_t off = 0;
    for (int l = 0; l < m->n_layers; l++) {
        m->w_off[l] = off;
        off += (size_t)m->dims[l + 1] * m->dims[l];
        m->b_off[l] = off;
        off += (size_t)m->dims[l + 1];
    }
    m->n_params = off;
    m->max_batch = max_batch;
    m->max_width = 0;
    for (int i = 0; i <= m->n_layers; i++)
        if (m->dims[i] > m->max_width) m->max_width = m->dims[i];
    const size_t es = es_of(m);
    const work_layout L = layout_of(m);
    m->work_size = L.total * es;
    m->params = alloc_aligned(m->n_params * es);
    m->grads = alloc_aligned(m->n_params * es);
    m->work = alloc_aligned(m->work_size);
    if (!m->params || !m->grads || !m->work) {
        dq_mlp_free(m);
        return dq_fail(err, DQ_ENOMEM, "mlp: out of memory for %zu parameters", off);
    }

    for (int l = 0; l < m->n_layers; l++) {
        const int in = m->dims[l], out = m->dims[l + 1];
        if (def->init == DQ_INIT_TORCH) {
            /* kaiming_uniform_(a=sqrt(5)) on W and the bias rule both give U(-1/sqrt(in), +). */
            const double bound = 1.0 / sqrt((double)in);
            for (size_t i = 0; i < (size_t)out * in; i++)
                set_param(m, m->w_off[l] + i, dq_rng_range(rng, -bound, bound));
            for (int i = 0; i < out; i++)
                set_param(m, m->b_off[l] + i, dq_rng_range(rng, -bound, bound));
        } else {
            double *W = malloc(sizeof(double) * (size_t)out * in);
            const double gain = l + 1 < m->n_layers ? def->ortho_gain : 1.0;
            if (!W || !orthogonal_fill(W, out, in, gain, rng)) {
                free(W);
                dq_mlp_free(m);
                return dq_fail(err, DQ_ENOMEM, "mlp: out of memory in orthogonal init");
            }
            for (size_t i = 0; i < (size_t)out * in; i++) set_param(m, m->w_off[l] + i, W[i]);
            free(W);
            for (int i = 0; i < out; i++) set_param(m, m->b_off[l] + i, 0.0);
        }
    }
    return DQ_OK;
}

void dq_mlp_free(dq_mlp *m) {
    if (!m) return;
    free(m->params);
    free(m->grads);
    free(m->work);
    free(m->ws_extra);
    m->params = m->grads = m->work = m->ws_extra = NULL;
    m->ws_threads = 0;
    m->pool = NULL;
}

dq_status dq_mlp_set_pool(dq_mlp *m, dq_pool *pool, dq_error *err) {
    const int T = dq_pool_threads(pool);
    if (m->def.dtype == DQ_F32 && T > 1 && m->ws_threads < T) {
        void *w = alloc_aligned(sizeof(float) * dq_gemm_ws_floats() * (size_t)(T - 1));
        if (!w) return dq_fail(err, DQ_ENOMEM, "mlp: out of memory for %d threads' scratch", T);
        free(m->ws_extra);
        m->ws_extra = w;
        m->ws_threads = T;
    }
    m->pool = pool;
    return DQ_OK;
}

/* ---- element-wise helpers, one per dtype ---- */
#define DQ_ACT_FWD(T, TANH)                                                                    \
    static void act_fwd_##T(T *y, size_t n, dq_act a) {                                        \
        if (a == DQ_ACT_RELU)                                                                  \
            for (size_t i = 0; i < n; i++) y[i] = y[i] > 0 ? y[i] : (T)0;                      \
        else if (a == DQ_ACT_TANH)                                                             \
            for (size_t i = 0; i < n; i++) y[i] = TANH(y[i]);                                  \
    }                                                                                          \
    /* d[n] *= act'(.) given the activation's output y[n] */                                   \
    static void act_bwd_##T(T *d, const T *y, size_t n, dq_act a) {                            \
        if (a == DQ_ACT_RELU)                                                                  \
            for (size_t i = 0; i < n; i++) d[i] = y[i] > 0 ? d[i] : (T)0;                      \
        else if (a == DQ_ACT_TANH)                                                             \
            for (size_t i = 0; i < n; i++) d[i] *= (T)1 - y[i] * y[i];                         \
    }
DQ_ACT_FWD(float, tanhf)
DQ_ACT_FWD(double, tanh)

#if defined(__x86_64__) || defined(__i386__)
/* gb[j] += sum_i d[i*o + j], summed in row order i = 0..B-1 for every j (as the scalar loop
 * below, so both give the same bits), 32 columns at a time in 4 independent vectors. */
__attribute__((target("avx2,fma"))) static void colsum_avx2(float *gb, const float *d, int B,
                                                            int o) {
    int j = 0;
    for (; j + 32 <= o; j += 32) {
        __m256 s0 = _mm256_loadu_ps(gb + j), s1 = _mm256_loadu_ps(gb + j + 8);
        __m256 s2 = _mm256_loadu_ps(gb + j + 16), s3 = _mm256_loadu_ps(gb + j + 24);
        for (int i = 0; i < B; i++) {
            const float *di = d + (size_t)i * o + j;
            s0 = _mm256_add_ps(s0, _mm256_loadu_ps(di));
            s1 = _mm256_add_ps(s1, _mm256_loadu_ps(di + 8));
            s2 = _mm256_add_ps(s2, _mm256_loadu_ps(di + 16));
            s3 = _mm256_add_ps(s3, _mm256_loadu_ps(di + 24));
        }
        _mm256_storeu_ps(gb + j, s0);
        _mm256_storeu_ps(gb + j + 8, s1);
        _mm256_storeu_ps(gb + j + 16, s2);
        _mm256_storeu_ps(gb + j + 24, s3);
    }
    for (; j + 8 <= o; j += 8) {
        __m256 s0 = _mm256_loadu_ps(gb + j);
        for (int i = 0; i < B; i++) s0 = _mm256_add_ps(s0, _mm256_loadu_ps(d + (size_t)i * o + j));
        _mm256_storeu_ps(gb + j, s0);
    }
    for (; j < o; j++) {
        float s = gb[j];
        for (int i = 0; i < B; i++) s += d[(size_t)i * o + j];
        gb[j] = s;
    }
}
#endif

/* Bias gradient gb[o] += column sums of d[B, o] (row order). */
static void colsum_float(float *gb, const float *d, int B, int o) {
#if defined(__x86_64__) || defined(__i386__)
    if (dq_cpu_has_avx2()) {
        colsum_avx2(gb, d, B, o);
        return;
    }
#endif
    for (int i = 0; i < B; i++) {
        const float *di = d + (size_t)i * o;
        for (int j = 0; j < o; j++) gb[j] += di[j];
    }
}

static void colsum_double(double *gb, const double *d, int B, int o) {
    for (int i = 0; i < B; i++) {
        const double *di = d + (size_t)i * o;
        for (int j = 0; j < o; j++) gb[j] += di[j];
    }
}

/* ---- products split over the pool ----
 * C is cut into blocks of whole 16-column panels (or whole 6-row / 16-row blocks, see
 * mlp_gemm), and each thread runs the ordinary product on its block with its own scratch.
 * The GEMM's tiles start at the block's first row/column and each tile's arithmetic depends
 * only on its own rows, columns and the full K, so every element of C gets the same bits as
 * in the single-threaded call. */
typedef struct par_gemm {
    const dq_mlp *m;
    float *ws0;                     /* the calling thread's scratch */
    bool f64, split_m;              /* element type; cut rows (else columns) */
    int unit;                       /* rows/columns per cut unit */
    int M, N, K;
    const char *A, *B;
    char *C;
    ptrdiff_t rsa, csa, rsb, csb, rsc, csc;
    bool acc;
    const dq_gemm_epi *epi;
} par_gemm;

/* Parts per job for T threads: two each, so a part claimed by a worker that gets descheduled
 * on a busy machine holds back only a quarter of the job (any count gives the same bits). */
#define DQ_PAR_PARTS(T) (2 * (T))
/* Products below this many FLOPs run on one thread (a hand-out costs ~1 us). */
#define DQ_PAR_MIN_FLOP 2.0e5

static inline bool swaps(int M, int N) { return N < DQ_GEMM_NR && M > N; } /* see gemm.c */

static void part_rows(const par_gemm *g, int part, int np, int *r0, int *r1) {
    const int dim = g->split_m ? g->M : g->N;
    long lo, hi;
    dq_pool_range((dim + g->unit - 1) / g->unit, part, np, &lo, &hi);
    *r0 = (int)(lo * g->unit);
    *r1 = (int)(hi * g->unit < dim ? hi * g->unit : dim);
}

static void par_gemm_part(void *vp, int part, int np, int thread) {
    const par_gemm *g = vp;
    int i0, i1;
    part_rows(g, part, np, &i0, &i1);
    if (i0 >= i1) return;
    const size_t es = g->f64 ? 8 : 4;
    const int M = g->split_m ? i1 - i0 : g->M, N = g->split_m ? g->N : i1 - i0;
    const ptrdiff_t r = g->split_m ? i0 : 0, c = g->split_m ? 0 : i0; /* block origin */
    dq_gemm_epi e, *ep = NULL;
    if (g->epi) {
        e = *g->epi;
        if (e.bias_col) e.bias_col = (const char *)e.bias_col + (size_t)c * es;
        if (e.bias_row) e.bias_row = (const char *)e.bias_row + (size_t)r * es;
        if (e.mask) e.mask = (const char *)e.mask + (size_t)(r * e.rsm + c * e.csm) * es;
        ep = &e;
    }
    const char *A = g->A + (size_t)(r * g->rsa) * es, *B = g->B + (size_t)(c * g->csb) * es;
    char *C = g->C + (size_t)(r * g->rsc + c * g->csc) * es;
    if (g->f64) {
        dq_gemm_f64_epi(M, N, g->K, (const double *)A, g->rsa, g->csa, (const double *)B, g->rsb,
                        g->csb, (double *)C, g->rsc, g->csc, g->acc, ep);
    } else {
        const size_t wsf = dq_gemm_ws_floats();
        float *ws = thread == 0 ? g->ws0 : (float *)g->m->ws_extra + (size_t)(thread - 1) * wsf;
        dq_gemm_f32_epi(M, N, g->K, (const float *)A, g->rsa, g->csa, (const float *)B, g->rsb,
                        g->csb, (float *)C, g->rsc, g->csc, g->acc, ep, ws);
    }
}

/* C = A B (+ epilogue) for a network's pass, split over m's pool when worth it. */
static void mlp_gemm(const dq_mlp *m, float *ws, bool f64, int M, int N, int K, const void *A,
                     ptrdiff_t rsa, ptrdiff_t csa, const void *B, ptrdiff_t rsb, ptrdiff_t csb,
                     void *C, ptrdiff_t rsc, ptrdiff_t csc, bool acc, const dq_gemm_epi *epi) {
    if (M <= 0 || N <= 0) return;
    par_gemm g = {m, ws, f64, false, DQ_GEMM_NR, M, N, K, A, B, C,
                  rsa, csa, rsb, csb, rsc, csc, acc, epi};
    const int T = dq_pool_threads(m->pool);
    bool split = T > 1 && 2.0 * M * N * K >= DQ_PAR_MIN_FLOP && (f64 || m->ws_threads >= T);
    if (split) {
        if (swaps(M, N)) { /* rows of C are the packed product's columns: cut whole panels */
            g.split_m = true;
        } else if (rsa == 1 && csa != 1) { /* A^T stored: each thread packs its own rows */
            g.split_m = true;
            g.unit = DQ_GEMM_MR;
        }
        /* every block must take the same (un)swapped route as the whole product */
        for (int p = 0; p < DQ_PAR_PARTS(T) && split; p++) {
            int i0, i1;
            part_rows(&g, p, DQ_PAR_PARTS(T), &i0, &i1);
            if (i0 < i1)
                split = swaps(g.split_m ? i1 - i0 : M, g.split_m ? N : i1 - i0) == swaps(M, N);
        }
    }
    if (!split) {
        g.split_m = false;
        g.unit = N;
        par_gemm_part(&g, 0, 1, 0);
        return;
    }
    dq_pool_run(m->pool, DQ_PAR_PARTS(T), par_gemm_part, &g);
}

/* One template for the batched forward and backward of both dtypes. GEMM_CALL(M,N,K,A,rsa,csa,
 * B,rsb,csb,C,rsc,csc,acc,epi) is the dtype's product; the bias, ReLU and ReLU' are fused into
 * it as an epilogue (tanh runs as a separate pass). */
#define DQ_MLP_PASSES(T, GEMM_CALL)                                                            \
    static void forward_##T(dq_mlp *m, const T *x, int B, T *out) {                            \
        const work_layout L = layout_of(m);                                                    \
        T *w = (T *)m->work, *p = (T *)m->params;                                              \
        float *ws = (float *)m->work + (m->def.dtype == DQ_F32 ? L.ws : 0);                    \
        (void)ws;                                                                              \
        memcpy(w + L.xin, x, sizeof(T) * (size_t)B * m->dims[0]);                              \
        const T *in_act = w + L.xin;                                                           \
        for (int l = 0; l < m->n_layers; l++) {                                                \
            const int in = m->dims[l], o = m->dims[l + 1];                                     \
            T *z = w + L.act[l]; /* [B, o] */                                                  \
            const T *W = p + m->w_off[l], *b = p + m->b_off[l];                                \
            const dq_act a = l + 1 < m->n_layers ? m->def.act : m->def.out_act;                \
            const dq_gemm_epi e = {b, NULL, NULL, 0, 0, a == DQ_ACT_RELU};                     \
            GEMM_CALL(B, o, in, in_act, in, 1, W, 1, in, z, o, 1, false, &e);                  \
            if (a == DQ_ACT_TANH) act_fwd_##T(z, (size_t)B * o, a);                            \
            in_act = z;                                                                        \
        }                                                                                      \
        memcpy(out, in_act, sizeof(T) * (size_t)B * m->dims[m->n_layers]);                     \
        m->last_batch = B;                                                                     \
    }                                                                                          \
    static void backward_##T(dq_mlp *m, const T *dout, int B, T *dx) {                         \
        const work_layout L = layout_of(m);                                                    \
        T *w = (T *)m->work, *p = (T *)m->params, *g = (T *)m->grads;                          \
        float *ws = (float *)m->work + (m->def.dtype == DQ_F32 ? L.ws : 0);                    \
        (void)ws;                                                                              \
        const int nl = m->n_layers;                                                            \
        T *d = w + L.d0, *dn = w + L.d1; /* dL/dz of the current layer, [B, o] */              \
        memcpy(d, dout, sizeof(T) * (size_t)B * m->dims[nl]);                                  \
        act_bwd_##T(d, w + L.act[nl - 1], (size_t)B * m->dims[nl], m->def.out_act);            \
        for (int l = nl - 1; l >= 0; l--) {                                                    \
            const int in = m->dims[l], o = m->dims[l + 1];                                     \
            const T *X = l > 0 ? w + L.act[l - 1] : w + L.xin; /* [B, in] */                   \
            T *gW = g + m->w_off[l], *gb = g + m->b_off[l];                                    \
            GEMM_CALL(o, in, B, d, 1, o, X, in, 1, gW, in, 1, true, NULL);                     \
            colsum_##T(gb, d, B, o);                                                           \
            if (l == 0 && !dx) break;                                                          \
            T *dA = l > 0 ? dn : dx; /* [B, in] */                                             \
            /* ReLU' is fused into the product as a mask on the layer input X (= its output) */ \
            const bool relu_m = l > 0 && m->def.act == DQ_ACT_RELU;                            \
            const dq_gemm_epi e = {NULL, NULL, relu_m ? X : NULL, in, 1, false};               \
            GEMM_CALL(B, in, o, d, o, 1, p + m->w_off[l], in, 1, dA, in, 1, false, &e);        \
            if (l > 0) {                                                                       \
                if (!relu_m) act_bwd_##T(dA, X, (size_t)B * in, m->def.act);                   \
                T *t = d;                                                                      \
                d = dn;                                                                        \
                dn = t;                                                                        \
            }                                                                                  \
        }                                                                                      \
    }

#define GEMM_F32(M, N, K, A, rsa, csa, Bm, rsb, csb, C, rsc, csc, acc, epi)                    \
    mlp_gemm(m, ws, false, M, N, K, A, rsa, csa, Bm, rsb, csb, C, rsc, csc, acc, epi)
#define GEMM_F64(M, N, K, A, rsa, csa, Bm, rsb, csb, C, rsc, csc, acc, epi)                    \
    mlp_gemm(m, NULL, true, M, N, K, A, rsa, csa, Bm, rsb, csb, C, rsc, csc, acc, epi)
DQ_MLP_PASSES(float, GEMM_F32)
DQ_MLP_PASSES(double, GEMM_F64)

void dq_mlp_forward(dq_mlp *m, const void *x, int B, void *out) {
    if (m->def.dtype == DQ_F64) forward_double(m, x, B, out);
    else forward_float(m, x, B, out);
}

void dq_mlp_backward(dq_mlp *m, const void *dout, int B, void *dx) {
    if (m->def.dtype == DQ_F64) backward_double(m, dout, B, dx);
    else backward_float(m, dout, B, dx);
}

/* The input gradient alone: the chain of backward's dA products without its weight-gradient
 * products (a third less work, and the parameter grads stay as they were). */
void dq_mlp_backward_input(dq_mlp *m, const float *dout, int B, float *dx) {
    const work_layout L = layout_of(m);
    float *w = (float *)m->work, *p = (float *)m->params;
    float *ws = (float *)m->work + L.ws;
    const int nl = m->n_layers;
    float *d = w + L.d0, *dn = w + L.d1; /* dL/dz of the current layer, [B, o] */
    memcpy(d, dout, sizeof(float) * (size_t)B * m->dims[nl]);
    act_bwd_float(d, w + L.act[nl - 1], (size_t)B * m->dims[nl], m->def.out_act);
    for (int l = nl - 1; l >= 0; l--) {
        const int in = m->dims[l], o = m->dims[l + 1];
        const float *X = l > 0 ? w + L.act[l - 1] : w + L.xin; /* [B, in] */
        float *dA = l > 0 ? dn : dx;                           /* [B, in] */
        const bool relu_m = l > 0 && m->def.act == DQ_ACT_RELU;
        const dq_gemm_epi e = {NULL, NULL, relu_m ? X : NULL, in, 1, false};
        mlp_gemm(m, ws, false, B, in, o, d, o, 1, p + m->w_off[l], in, 1, dA, in, 1, false, &e);
        if (l > 0) {
            if (!relu_m) act_bwd_float(dA, X, (size_t)B * in, m->def.act);
            float *t = d;
            d = dn;
            dn = t;
        }
    }
}

void dq_mlp_zero_grad(dq_mlp *m) { memset(m->grads, 0, m->n_params * es_of(m)); }

int dq_mlp_act(dq_mlp *m, const float *obs, float *q_out) {
    work_layout L; /* only v0, v1: at the start of work (see layout_of) */
    L.v0 = 0;
    L.v1 = DQ_ALIGN_ELEMS((size_t)m->max_width, es_of(m));
    const int nl = m->n_layers, A = m->dims[nl];
    int32_t best = 0;
    if (m->def.dtype == DQ_F32) {
        float *w = (float *)m->work, *p = (float *)m->params;
        float *a = w + L.v0, *bb = w + L.v1;
        const float *x = obs;
        for (int l = 0; l < nl; l++) {
            dq_matvec_f32(a, p + m->w_off[l], p + m->b_off[l], x, m->dims[l + 1], m->dims[l]);
            act_fwd_float(a, (size_t)m->dims[l + 1], l + 1 < nl ? m->def.act : m->def.out_act);
            x = a;
            a = bb;
            bb = (float *)x;
        }
        dq_argmax_f32(&best, x, 1, A);
        if (q_out) memcpy(q_out, x, sizeof(float) * A);
    } else {
        double *w = (double *)m->work, *p = (double *)m->params;
        double *a = w + L.v0, *bb = w + L.v1;
        for (int k = 0; k < m->dims[0]; k++) bb[k] = obs[k];
        const double *x = bb;
        a = w + L.v0;
        for (int l = 0; l < nl; l++) {
            const int in = m->dims[l], o = m->dims[l + 1];
            const double *W = p + m->w_off[l], *b = p + m->b_off[l];
            for (int j = 0; j < o; j++) {
                double s = b[j];
                for (int k = 0; k < in; k++) s += W[(size_t)j * in + k] * x[k];
                a[j] = s;
            }
            act_fwd_double(a, (size_t)o, l + 1 < nl ? m->def.act : m->def.out_act);
            double *t = (double *)x;
            x = a;
            a = t;
        }
        dq_argmax(DQ_F64, &best, x, 1, A);
        if (q_out)
            for (int j = 0; j < A; j++) q_out[j] = (float)x[j];
    }
    return best;
}

void dq_mlp_copy_params(dq_mlp *dst, const dq_mlp *src) {
    memcpy(dst->params, src->params, src->n_params * es_of(src));
}

size_t dq_mlp_count_nonfinite(const dq_mlp *m) {
    size_t bad = 0;
    if (m->def.dtype == DQ_F64) {
        const double *p = m->params;
        for (size_t i = 0; i < m->n_params; i++) bad += !isfinite(p[i]);
    } else {
        const float *p = m->params;
        for (size_t i = 0; i < m->n_params; i++) bad += !isfinite(p[i]);
    }
    return bad;
}

void dq_mlp_polyak(dq_mlp *dst, const dq_mlp *src, double tau) {
    const size_t n = src->n_params;
    if (dst->def.dtype == DQ_F64) {
        double *d = dst->params;
        const double *s = src->params;
        for (size_t i = 0; i < n; i++) d[i] = d[i] * (1.0 - tau) + tau * s[i];
    } else {
        float *d = dst->params;
        const float *s = src->params;
        const float a = (float)(1.0 - tau), t = (float)tau;
        for (size_t i = 0; i < n; i++) d[i] = d[i] * a + t * s[i];
    }
}

#if defined(__x86_64__) || defined(__i386__)
/* Sum of squares of g[n] in double: 4 lanes x 8 independent accumulators (two accumulators
 * left the loop bound by the FMA latency: 11 -> ~3 us at 67k parameters). */
__attribute__((target("avx2,fma"))) static double sumsq_f32_avx2(const float *g, size_t n) {
    __m256d s[8];
    for (int k = 0; k < 8; k++) s[k] = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + 32 <= n; i += 32)
#pragma GCC unroll 8
        for (int k = 0; k < 8; k++) {
            const __m256d a = _mm256_cvtps_pd(_mm_loadu_ps(g + i + 4 * k));
            s[k] = _mm256_fmadd_pd(a, a, s[k]);
        }
    for (; i + 4 <= n; i += 4) {
        const __m256d a = _mm256_cvtps_pd(_mm_loadu_ps(g + i));
        s[0] = _mm256_fmadd_pd(a, a, s[0]);
    }
    const __m256d t0 = _mm256_add_pd(_mm256_add_pd(s[0], s[1]), _mm256_add_pd(s[2], s[3]));
    const __m256d t1 = _mm256_add_pd(_mm256_add_pd(s[4], s[5]), _mm256_add_pd(s[6], s[7]));
    double t[4];
    _mm256_storeu_pd(t, _mm256_add_pd(t0, t1));
    double ss = (t[0] + t[1]) + (t[2] + t[3]);
    for (; i < n; i++) ss += (double)g[i] * g[i];
    return ss;
}
#endif

/* The gradient norm is summed in fixed chunks (their size depends only on n) whose partial
 * sums are added in chunk order, so any number of threads gives the same bits. */
#define DQ_NORM_MAX_CHUNKS 64
#define DQ_NORM_MIN_CHUNK 8192

static size_t norm_chunk(size_t n) {
    size_t c = (n + DQ_NORM_MAX_CHUNKS - 1) / DQ_NORM_MAX_CHUNKS;
    if (c < DQ_NORM_MIN_CHUNK) c = DQ_NORM_MIN_CHUNK;
    return (c + 31) / 32 * 32;
}

typedef struct norm_job {
    dq_mlp *m;
    size_t n, chunk;
    int n_chunks;
    double part[DQ_NORM_MAX_CHUNKS];
    double coef; /* scaling pass: g *= coef */
} norm_job;

static double sumsq_range(const dq_mlp *m, size_t i0, size_t i1) {
    double ss = 0.0;
    if (m->def.dtype == DQ_F64) {
        const double *g = (const double *)m->grads;
        for (size_t i = i0; i < i1; i++) ss += g[i] * g[i];
        return ss;
    }
    const float *g = (const float *)m->grads;
#if defined(__x86_64__) || defined(__i386__)
    if (dq_cpu_has_avx2()) return sumsq_f32_avx2(g + i0, i1 - i0);
#endif
    for (size_t i = i0; i < i1; i++) ss += (double)g[i] * g[i];
    return ss;
}

static void norm_part(void *vp, int part, int np, int thread) {
    norm_job *j = vp;
    long c0, c1;
    (void)thread;
    dq_pool_range(j->n_chunks, part, np, &c0, &c1);
    for (long c = c0; c < c1; c++) {
        const size_t i0 = (size_t)c * j->chunk;
        const size_t i1 = i0 + j->chunk < j->n ? i0 + j->chunk : j->n;
        j->part[c] = sumsq_range(j->m, i0, i1);
    }
}

static void scale_part(void *vp, int part, int np, int thread) {
    norm_job *j = vp;
    (void)thread;
    long i0, i1;
    dq_pool_range((long)j->n, part, np, &i0, &i1);
    if (j->m->def.dtype == DQ_F64) {
        double *g = j->m->grads;
        for (long i = i0; i < i1; i++) g[i] *= j->coef;
    } else {
        float *g = j->m->grads;
        const float c = (float)j->coef;
        for (long i = i0; i < i1; i++) g[i] *= c;
    }
}

double dq_mlp_clip_grad_norm(dq_mlp *m, double max_norm) {
    norm_job j;
    j.m = m;
    j.n = m->n_params;
    j.chunk = norm_chunk(j.n);
    j.n_chunks = (int)((j.n + j.chunk - 1) / j.chunk);
    dq_pool *pool = j.n_chunks > 1 ? m->pool : NULL;
    dq_pool_run(pool, j.n_chunks, norm_part, &j);
    double ss = 0.0;
    for (int c = 0; c < j.n_chunks; c++) ss += j.part[c];
    const double norm = sqrt(ss);
    j.coef = max_norm / (norm + 1e-6); /* torch.nn.utils.clip_grad_norm_ */
    const int T = dq_pool_threads(pool);
    if (j.coef < 1.0) dq_pool_run(pool, T > 1 ? DQ_PAR_PARTS(T) : 1, scale_part, &j);
    return norm;
}
