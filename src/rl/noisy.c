/* noisy.c — factorised-Gaussian noisy linear layers as a reparameterisation of a dq_mlp's
 * flat params buffer (deepq/noisy.h). Noise is kept as the two factor vectors per layer; the
 * outer product is formed on the fly in apply and accum_grads. */
#include "deepq/noisy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

dq_status dq_noisy_init(dq_noisy *nz, const dq_mlp *m, double sigma0, int n_noisy,
                        dq_error *err) {
    memset(nz, 0, sizeof *nz);
    if (!(sigma0 >= 0.0 && sigma0 < 100.0))
        return dq_fail(err, DQ_EINVAL, "noisy_sigma0: %g must be in [0, 100)", sigma0);
    const int L = m->n_layers;
    nz->n_layers = L;
    nz->n = m->n_params;
    nz->dtype = m->def.dtype;
    if (n_noisy < 0 || n_noisy > L) n_noisy = L;
    size_t ne = 0;
    for (int l = 0; l <= L; l++) nz->dims[l] = m->dims[l];
    for (int l = 0; l < L; l++) {
        nz->noisy[l] = l >= L - n_noisy;
        nz->w_off[l] = m->w_off[l];
        nz->b_off[l] = m->b_off[l];
        nz->eps_off[l] = ne;
        ne += (size_t)m->dims[l] + (size_t)m->dims[l + 1];
    }
    const size_t es = nz->dtype == DQ_F64 ? sizeof(double) : sizeof(float);
    nz->params = malloc(2 * nz->n * es);
    nz->grads = calloc(2 * nz->n, es);
    nz->eps = calloc(ne, sizeof(double));
    if (!nz->params || !nz->grads || !nz->eps) {
        dq_noisy_free(nz);
        return dq_fail(err, DQ_ENOMEM, "noisy layers: out of memory");
    }
    memcpy(nz->params, m->params, nz->n * es);
    for (int l = 0; l < L; l++) {
        const size_t p = (size_t)m->dims[l], q = (size_t)m->dims[l + 1];
        const double s = nz->noisy[l] ? sigma0 / sqrt((double)p) : 0.0;
        const size_t w0 = nz->n + nz->w_off[l], b0 = nz->n + nz->b_off[l];
        for (size_t i = 0; i < p * q; i++) {
            if (nz->dtype == DQ_F64) ((double *)nz->params)[w0 + i] = s;
            else ((float *)nz->params)[w0 + i] = (float)s;
        }
        for (size_t i = 0; i < q; i++) {
            if (nz->dtype == DQ_F64) ((double *)nz->params)[b0 + i] = s;
            else ((float *)nz->params)[b0 + i] = (float)s;
        }
    }
    nz->view.def = m->def;
    nz->view.n_layers = 0;
    nz->view.n_params = 2 * nz->n;
    nz->view.params = nz->params;
    nz->view.grads = nz->grads;
    return DQ_OK;
}

void dq_noisy_free(dq_noisy *nz) {
    if (!nz) return;
    free(nz->params);
    free(nz->grads);
    free(nz->eps);
    nz->params = nz->grads = NULL;
    nz->eps = NULL;
    nz->view.params = nz->view.grads = NULL;
}

void dq_noisy_sample(dq_noisy *nz, dq_rng *rng) {
    for (int l = 0; l < nz->n_layers; l++) {
        if (!nz->noisy[l]) continue;
        double *e = nz->eps + nz->eps_off[l];
        const int k = nz->dims[l] + nz->dims[l + 1];
        for (int i = 0; i < k; i++) {
            const double x = dq_rng_normal(rng);
            e[i] = x < 0 ? -sqrt(-x) : sqrt(x); /* f(x) = sgn(x) sqrt|x| */
        }
    }
}

void dq_noisy_zero_noise(dq_noisy *nz) {
    size_t ne = 0;
    for (int l = 0; l < nz->n_layers; l++) ne += (size_t)nz->dims[l] + (size_t)nz->dims[l + 1];
    memset(nz->eps, 0, ne * sizeof(double));
}

/* Instantiate apply / accumulate for one element type. W row o, column i gets eps_out[o] *
 * eps_in[i]; bias o gets eps_out[o]. */
#define DQ_NOISY_KERNELS(T)                                                                    \
    static void apply_##T(const dq_noisy *nz, T *w) {                                          \
        const T *mu = (const T *)nz->params, *sg = mu + nz->n;                                 \
        for (int l = 0; l < nz->n_layers; l++) {                                               \
            const int p = nz->dims[l], q = nz->dims[l + 1];                                    \
            const size_t wo = nz->w_off[l], bo = nz->b_off[l];                                 \
            if (!nz->noisy[l]) {                                                               \
                memcpy(w + wo, mu + wo, (size_t)p * q * sizeof(T));                            \
                memcpy(w + bo, mu + bo, (size_t)q * sizeof(T));                                \
                continue;                                                                      \
            }                                                                                  \
            const double *ei = nz->eps + nz->eps_off[l], *eo = ei + p;                         \
            for (int o = 0; o < q; o++) {                                                      \
                const T eoo = (T)eo[o];                                                        \
                const T *mr = mu + wo + (size_t)o * p, *sr = sg + wo + (size_t)o * p;          \
                T *wr = w + wo + (size_t)o * p;                                                \
                for (int i = 0; i < p; i++) wr[i] = mr[i] + sr[i] * (eoo * (T)ei[i]);          \
                w[bo + o] = mu[bo + o] + sg[bo + o] * eoo;                                     \
            }                                                                                  \
        }                                                                                      \
    }                                                                                          \
    static void accum_##T(dq_noisy *nz, const T *g) {                                          \
        T *gm = (T *)nz->grads, *gs = gm + nz->n;                                              \
        for (size_t i = 0; i < nz->n; i++) gm[i] += g[i];                                      \
        for (int l = 0; l < nz->n_layers; l++) {                                               \
            if (!nz->noisy[l]) continue;                                                       \
            const int p = nz->dims[l], q = nz->dims[l + 1];                                    \
            const size_t wo = nz->w_off[l], bo = nz->b_off[l];                                 \
            const double *ei = nz->eps + nz->eps_off[l], *eo = ei + p;                         \
            for (int o = 0; o < q; o++) {                                                      \
                const T eoo = (T)eo[o];                                                        \
                const T *gr = g + wo + (size_t)o * p;                                          \
                T *sr = gs + wo + (size_t)o * p;                                               \
                for (int i = 0; i < p; i++) sr[i] += gr[i] * (eoo * (T)ei[i]);                 \
                gs[bo + o] += g[bo + o] * eoo;                                                 \
            }                                                                                  \
        }                                                                                      \
    }

DQ_NOISY_KERNELS(float)
DQ_NOISY_KERNELS(double)

void dq_noisy_apply(const dq_noisy *nz, dq_mlp *m) {
    if (nz->dtype == DQ_F64) apply_double(nz, (double *)m->params);
    else apply_float(nz, (float *)m->params);
}

void dq_noisy_apply_mean(const dq_noisy *nz, dq_mlp *m) {
    memcpy(m->params, nz->params, nz->n * (nz->dtype == DQ_F64 ? sizeof(double) : sizeof(float)));
}

void dq_noisy_accum_grads(dq_noisy *nz, const dq_mlp *m) {
    if (nz->dtype == DQ_F64) accum_double(nz, (const double *)m->grads);
    else accum_float(nz, (const float *)m->grads);
}
