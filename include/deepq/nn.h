/* deepq/nn.h — multi-layer perceptrons, losses and optimizers with PyTorch semantics.
 *
 * A dq_mlp keeps parameters in ONE contiguous buffer, gradients in another (same layout), and
 * layers are views (offsets) into them: copying a network is one memcpy, Polyak averaging one
 * loop, saving one write. Layout per linear layer l, in order: weight [out_l, in_l] row-major
 * (PyTorch's nn.Linear.weight layout), then bias [out_l]. Element type is def.dtype (float32
 * by default, float64 when asked); `void *` data arguments point to that type.
 *
 * Forward caches the activations it needs for backward in buffers sized for max_batch; the
 * single-observation path (dq_mlp_act) never allocates.
 *
 * Speed and reproducibility: float32 products run AVX2/FMA kernels when the CPU has them
 * (checked at run time; a portable loop otherwise) with a fixed summation order, so the same
 * build on the same CPU gives bit-identical results run after run and for any number of pool
 * threads (the portable path rounds differently). float64 networks always take the portable loop.
 * Results match PyTorch to ~1e-6 relative in float32 and ~1e-13 in float64
 * (tests/test_nn_ref.c); see docs/BENCHMARKS.md "NN engine" for speed.
 *
 * The DQN update (src/rl/dqn_update.c, written once for both element types through the
 * dtype-generic helpers below; q[B,A], v[B], y[B], pred[B], dpred[B], dq[B,A] caller-owned):
 *   dq_mlp_forward(&target, next_obs, B, q);  dq_argmax(dt, a_star, q, B, A);
 *   dq_gather(dt, v, q, a_star, B, A);        dq_td_target(dt, y, r, disc, v, B);
 *   dq_mlp_zero_grad(&online);  dq_mlp_forward(&online, obs, B, q);
 *   dq_gather(dt, pred, q, act, B, A);
 *   dq_td_loss(dt, DQ_LOSS_HUBER, dpred, td, pred, y, NULL, B);
 *   dq_scatter(dt, dq, dpred, act, B, A);     dq_mlp_backward(&online, dq, B, NULL);
 *   dq_mlp_clip_grad_norm(&online, 10.0);     dq_optim_step(&adam, &online);
 * (Double DQN takes a_star from the online network's forward on next_obs instead.) */
#ifndef DEEPQ_NN_H
#define DEEPQ_NN_H

#include "deepq/common.h"
#include "deepq/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DQ_MLP_MAX_HIDDEN 8
#define DQ_POOL_MAX_THREADS 64

/* A persistent pool of threads the network math can be split over (forward/backward GEMMs,
 * gradient norm and clipping, optimizer step). Every output element is computed by the same
 * operations in the same order whatever the thread count, so results are bit-identical for
 * 1, 2, ... threads. A pool runs one network call at a time (one caller thread). */
typedef struct dq_pool dq_pool;
/* Start a pool of `threads` threads in all (threads - 1 workers; 1 = run inline). */
DQ_API dq_status dq_pool_create(dq_pool **out, int threads, dq_error *err);
/* Stop and join the workers, free the pool (NULL-safe). */
DQ_API void dq_pool_destroy(dq_pool *p);
/* Threads of p (1 for NULL). */
DQ_API int dq_pool_threads(const dq_pool *p);

typedef enum dq_act { DQ_ACT_IDENTITY = 0, DQ_ACT_RELU = 1, DQ_ACT_TANH = 2 } dq_act;
typedef enum dq_init { DQ_INIT_TORCH = 0, DQ_INIT_ORTHOGONAL = 1 } dq_init;

typedef struct dq_mlp_def {
    int n_in, n_out;
    int n_hidden;                    /* number of hidden layers (0 = linear model) */
    int hidden[DQ_MLP_MAX_HIDDEN];   /* their widths */
    dq_act act;                      /* activation after every hidden layer */
    dq_act out_act;                  /* activation on the output (identity for Q-values) */
    dq_dtype dtype;                  /* DQ_F32 (default) or DQ_F64 */
    dq_init init;                    /* PyTorch's nn.Linear default, or orthogonal */
    double ortho_gain;               /* orthogonal init: gain of hidden layers (sqrt 2); the
                                        output layer gets gain 1, all biases 0 */
} dq_mlp_def;

/* Defaults: 64x64 ReLU, identity output, float32, PyTorch init. n_in/n_out must be set. */
DQ_API dq_mlp_def dq_mlp_def_default(void);

typedef struct dq_mlp {
    dq_mlp_def def;
    int n_layers;                    /* linear layers = n_hidden + 1 */
    int dims[DQ_MLP_MAX_HIDDEN + 2]; /* n_in, hidden..., n_out */
    size_t w_off[DQ_MLP_MAX_HIDDEN + 1], b_off[DQ_MLP_MAX_HIDDEN + 1]; /* element offsets */
    size_t n_params;
    void *params;                    /* [n_params] */
    void *grads;                     /* [n_params], accumulated by backward */
    int max_batch;
    int max_width;                   /* widest of dims (sizes the internal scratch) */
    void *work;                      /* internal activation cache and scratch */
    size_t work_size;                /* bytes */
    int last_batch;                  /* rows cached by the last forward */
    dq_pool *pool;                   /* borrowed; NULL = single-threaded (dq_mlp_set_pool) */
    void *ws_extra;                  /* GEMM scratch of pool threads 1.. (float32 networks) */
    int ws_threads;                  /* threads ws_extra was sized for */
} dq_mlp;

/* Allocate and initialise from rng (the draws consumed follow a fixed order). */
DQ_API dq_status dq_mlp_init(dq_mlp *m, const dq_mlp_def *def, int max_batch, dq_rng *rng,
                      dq_error *err);
/* Release buffers (NULL-safe; m itself is the caller's; the pool is not destroyed). */
DQ_API void dq_mlp_free(dq_mlp *m);
/* Split m's batched forward/backward, gradient clipping and dq_optim_step over pool's threads
 * (borrowed, must outlive m's use of it; NULL = single-threaded). Allocates per-thread scratch
 * once; results are bit-identical to the single-threaded ones. */
DQ_API dq_status dq_mlp_set_pool(dq_mlp *m, dq_pool *pool, dq_error *err);
/* out[B, n_out] = net(x[B, n_in]); caches activations for backward. B <= max_batch. */
DQ_API void dq_mlp_forward(dq_mlp *m, const void *x, int B, void *out);
/* grads += d loss/d params given dout[B, n_out] for the last forward; dx[B, n_in] if non-NULL. */
DQ_API void dq_mlp_backward(dq_mlp *m, const void *dout, int B, void *dx);
/* dx[B, n_in] = d loss/d input given dout[B, n_out] for the last forward, leaving grads alone
 * (float32 networks; the actor update's dQ/da through a critic). */
DQ_API void dq_mlp_backward_input(dq_mlp *m, const float *dout, int B, float *dx);
/* grads = 0 */
DQ_API void dq_mlp_zero_grad(dq_mlp *m);
/* Greedy action for one float32 observation [n_in]: forward + argmax, no allocation.
 * q_out[n_out] receives the Q-values when non-NULL. */
DQ_API int dq_mlp_act(dq_mlp *m, const float *obs, float *q_out);
/* dst.params = src.params (same def). */
DQ_API void dq_mlp_copy_params(dq_mlp *dst, const dq_mlp *src);
/* Number of parameters that are NaN or +-inf (0 for a healthy network). */
DQ_API size_t dq_mlp_count_nonfinite(const dq_mlp *m);
/* dst = (1 - tau) dst + tau src, as SB3's polyak_update. */
DQ_API void dq_mlp_polyak(dq_mlp *dst, const dq_mlp *src, double tau);
/* Scale gradients so their global L2 norm is at most max_norm (torch clip_grad_norm_);
 * returns the norm before clipping. */
DQ_API double dq_mlp_clip_grad_norm(dq_mlp *m, double max_norm);

/* Row-wise helpers over float32 Q-value matrices q[B, A]. */
DQ_API void dq_gather_f32(float *out /*[B]*/, const float *q /*[B,A]*/, const int32_t *a /*[B]*/,
                   int B, int A);
DQ_API void dq_argmax_f32(int32_t *out /*[B]*/, const float *q /*[B,A]*/, int B, int A);
DQ_API void dq_max_f32(float *out /*[B]*/, const float *q /*[B,A]*/, int B, int A);
/* dq[B, A] = 0 except dq[i, a[i]] = dpred[i] (the loss gradient routed back to the Q-values). */
DQ_API void dq_scatter_f32(float *dq /*[B,A]*/, const float *dpred /*[B]*/, const int32_t *a /*[B]*/,
                    int B, int A);

/* The same helpers for either element type: void pointers hold dt's type (float or double).
 * Ties in argmax go to the first index (as torch.argmax on CPU). */
DQ_API void dq_gather(dq_dtype dt, void *out /*[B]*/, const void *q /*[B,A]*/, const int32_t *a /*[B]*/,
               int B, int A);
DQ_API void dq_argmax(dq_dtype dt, int32_t *out /*[B]*/, const void *q /*[B,A]*/, int B, int A);
DQ_API void dq_scatter(dq_dtype dt, void *dq /*[B,A]*/, const void *dpred /*[B]*/,
                const int32_t *a /*[B]*/, int B, int A);
/* TD target y[i] = r[i] + disc[i] * v[i] in dt (disc: the bootstrap discount, gamma^k or 0). */
DQ_API void dq_td_target(dq_dtype dt, void *y /*[B]*/, const float *r /*[B]*/, const void *disc /*[B]*/,
                  const void *v /*[B]*/, int B);
/* Element i of x (dt) as a double, and x[i] = v rounded to dt. */
DQ_API double dq_elem(dq_dtype dt, const void *x, size_t i);
DQ_API void dq_elem_set(dq_dtype dt, void *x, size_t i, double v);

/* Losses, mean over the batch of w_i * l(pred_i - target_i) (w = 1 when weight is NULL).
 * MSE: l(d) = d^2. Huber: PyTorch smooth_l1_loss with beta = 1. Writes dpred = d loss/d pred
 * and, when td is non-NULL, td_i = pred_i - target_i. Returns the loss. */
typedef enum dq_loss { DQ_LOSS_MSE = 0, DQ_LOSS_HUBER = 1 } dq_loss;
DQ_API double dq_loss_f32(dq_loss kind, float *dpred, float *td, const float *pred, const float *target,
                   const float *weight, int B);
DQ_API double dq_loss_f64(dq_loss kind, double *dpred, double *td, const double *pred,
                   const double *target, const double *weight, int B);
/* Either of the two by dt (void pointers of dt's type). */
DQ_API double dq_td_loss(dq_dtype dt, dq_loss kind, void *dpred, void *td, const void *pred,
               const void *target, const void *weight, int B);

typedef enum dq_optim_kind { DQ_OPT_ADAM = 0, DQ_OPT_SGD = 1, DQ_OPT_RMSPROP = 2 } dq_optim_kind;

typedef struct dq_optim_def {
    dq_optim_kind kind;
    double lr;
    double beta1, beta2, eps;  /* Adam (torch defaults 0.9, 0.999, 1e-8) */
    double momentum;           /* SGD and RMSprop */
    double alpha;              /* RMSprop smoothing (torch default 0.99) */
    bool centered;             /* RMSprop centered variant */
    double weight_decay;       /* L2 added to the gradient, as torch (0 by default) */
} dq_optim_def;

/* torch.optim defaults for kind (Adam lr 1e-3; SGD lr 1e-2; RMSprop lr 1e-2, eps 1e-8). */
DQ_API dq_optim_def dq_optim_def_default(dq_optim_kind kind);

typedef struct dq_optim {
    dq_optim_def def;
    dq_dtype dtype;
    size_t n;
    void *state;   /* ONE buffer: [n_moments * n] (Adam m, v; SGD buf; RMSprop sq, buf, avg) */
    int n_moments;
    int64_t t;     /* steps taken (Adam bias correction) */
} dq_optim;

/* Allocate optimizer state for m's parameters. */
DQ_API dq_status dq_optim_init(dq_optim *o, const dq_optim_def *def, const dq_mlp *m, dq_error *err);
/* Release (NULL-safe). */
DQ_API void dq_optim_free(dq_optim *o);
/* One update of m.params from m.grads (split over m's pool when it has one). */
DQ_API void dq_optim_step(dq_optim *o, dq_mlp *m);

#ifdef __cplusplus
}
#endif
#endif
