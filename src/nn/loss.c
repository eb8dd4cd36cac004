/* loss.c — row-wise Q-value helpers (gather, argmax, max) and the TD losses (MSE, Huber) with
 * per-sample weights, matching PyTorch's mean-reduced mse_loss / smooth_l1_loss(beta=1)
 * applied to weight * elementwise loss. */
#include "deepq/nn.h"

#include <math.h>

void dq_gather_f32(float *out, const float *q, const int32_t *a, int B, int A) {
    for (int i = 0; i < B; i++) out[i] = q[(size_t)i * A + a[i]];
}

void dq_argmax_f32(int32_t *out, const float *q, int B, int A) {
    for (int i = 0; i < B; i++) {
        const float *r = q + (size_t)i * A;
        int32_t best = 0;
        for (int j = 1; j < A; j++)
            if (r[j] > r[best]) best = j;
        out[i] = best;
    }
}

void dq_max_f32(float *out, const float *q, int B, int A) {
    for (int i = 0; i < B; i++) {
        const float *r = q + (size_t)i * A;
        float best = r[0];
        for (int j = 1; j < A; j++)
            if (r[j] > best) best = r[j];
        out[i] = best;
    }
}

void dq_scatter_f32(float *dq, const float *dpred, const int32_t *a, int B, int A) {
    for (int i = 0; i < B; i++) {
        float *r = dq + (size_t)i * A;
        for (int j = 0; j < A; j++) r[j] = 0.0f;
        r[a[i]] = dpred[i];
    }
}

/* float64 twins of the helpers above (float64 networks). */
static void gather_f64(double *out, const double *q, const int32_t *a, int B, int A) {
    for (int i = 0; i < B; i++) out[i] = q[(size_t)i * A + a[i]];
}

static void argmax_f64(int32_t *out, const double *q, int B, int A) {
    for (int i = 0; i < B; i++) {
        const double *r = q + (size_t)i * A;
        int32_t best = 0;
        for (int j = 1; j < A; j++)
            if (r[j] > r[best]) best = j;
        out[i] = best;
    }
}

static void scatter_f64(double *dq, const double *dpred, const int32_t *a, int B, int A) {
    for (int i = 0; i < B; i++) {
        double *r = dq + (size_t)i * A;
        for (int j = 0; j < A; j++) r[j] = 0.0;
        r[a[i]] = dpred[i];
    }
}

/* The dtype-generic entry points: the one place where an agent's float32/float64 choice is
 * dispatched, so the agent's update is written once. */
void dq_gather(dq_dtype dt, void *out, const void *q, const int32_t *a, int B, int A) {
    if (dt == DQ_F64) gather_f64(out, q, a, B, A);
    else dq_gather_f32(out, q, a, B, A);
}

void dq_argmax(dq_dtype dt, int32_t *out, const void *q, int B, int A) {
    if (dt == DQ_F64) argmax_f64(out, q, B, A);
    else dq_argmax_f32(out, q, B, A);
}

void dq_scatter(dq_dtype dt, void *dq, const void *dpred, const int32_t *a, int B, int A) {
    if (dt == DQ_F64) scatter_f64(dq, dpred, a, B, A);
    else dq_scatter_f32(dq, dpred, a, B, A);
}

/* Computed in the network's type as torch would: float32 products for float32 networks. */
void dq_td_target(dq_dtype dt, void *y, const float *r, const void *disc, const void *v, int B) {
    if (dt == DQ_F64) {
        double *yd = y;
        const double *dd = disc, *vd = v;
        for (int i = 0; i < B; i++) yd[i] = (double)r[i] + dd[i] * vd[i];
    } else {
        float *yf = y;
        const float *df = disc, *vf = v;
        for (int i = 0; i < B; i++) yf[i] = r[i] + df[i] * vf[i];
    }
}

double dq_elem(dq_dtype dt, const void *x, size_t i) {
    return dt == DQ_F64 ? ((const double *)x)[i] : (double)((const float *)x)[i];
}

void dq_elem_set(dq_dtype dt, void *x, size_t i, double v) {
    if (dt == DQ_F64) ((double *)x)[i] = v;
    else ((float *)x)[i] = (float)v;
}

/* Elementwise loss l(d) and its derivative for one residual d = pred - target. */
#define DQ_LOSS_BODY(T, FABS)                                                                  \
    double total = 0.0;                                                                        \
    const T inv_b = (T)1 / (T)B;                                                               \
    for (int i = 0; i < B; i++) {                                                              \
        const T d = pred[i] - target[i];                                                       \
        const T w = weight ? weight[i] : (T)1;                                                 \
        T l, g;                                                                                \
        if (kind == DQ_LOSS_HUBER) {                                                           \
            const T z = FABS(d);                                                               \
            if (z < (T)1) {                                                                    \
                l = (T)0.5 * d * d;                                                            \
                g = d;                                                                         \
            } else {                                                                           \
                l = z - (T)0.5;                                                                \
                g = d > 0 ? (T)1 : (T)-1;                                                      \
            }                                                                                  \
        } else {                                                                               \
            l = d * d;                                                                         \
            g = (T)2 * d;                                                                      \
        }                                                                                      \
        total += (double)w * (double)l;                                                        \
        dpred[i] = g * (w * inv_b);                                                            \
        if (td) td[i] = d;                                                                     \
    }                                                                                          \
    return B > 0 ? total / B : 0.0;

double dq_loss_f32(dq_loss kind, float *dpred, float *td, const float *pred, const float *target,
                   const float *weight, int B) {
    DQ_LOSS_BODY(float, fabsf)
}

double dq_loss_f64(dq_loss kind, double *dpred, double *td, const double *pred,
                   const double *target, const double *weight, int B) {
    DQ_LOSS_BODY(double, fabs)
}

double dq_td_loss(dq_dtype dt, dq_loss kind, void *dpred, void *td, const void *pred,
               const void *target, const void *weight, int B) {
    if (dt == DQ_F64) return dq_loss_f64(kind, dpred, td, pred, target, weight, B);
    return dq_loss_f32(kind, dpred, td, pred, target, weight, B);
}
