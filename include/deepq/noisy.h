/* deepq/noisy.h — noisy linear layers with factorised Gaussian noise (Fortunato et al. 2018,
 * "Noisy Networks for Exploration", section 3.2), as a reparameterisation of a plain dq_mlp.
 *
 * A noisy layer with p inputs and q outputs has W = mu_W + sigma_W ⊙ (f(eps_out) f(eps_in)^T)
 * and b = mu_b + sigma_b ⊙ f(eps_out), eps ~ N(0, 1), f(x) = sgn(x) sqrt|x|. Init as the paper:
 * mu ~ U(-1/sqrt p, 1/sqrt p) (= the dq_mlp's own PyTorch init, copied), sigma = sigma0/sqrt p.
 *
 * The noisy parameters live in ONE contiguous buffer [mu | sigma] (each in the dq_mlp's own
 * params layout), their gradients in another. dq_noisy_apply writes W = mu + sigma ⊙ eps into
 * the network's params before a forward; after dq_mlp_backward, dq_noisy_accum_grads turns the
 * network's dW into dmu += dW and dsigma += dW ⊙ eps. The nn engine is untouched. Layers not
 * chosen to be noisy keep sigma = 0 and eps = 0 (so their sigma never moves).
 *
 * `view` is a dq_mlp-shaped handle over [mu | sigma] and its gradients (n_params = 2n, dtype of
 * the network) for the flat operations only: dq_optim_init/step, dq_mlp_clip_grad_norm,
 * dq_mlp_zero_grad, dq_mlp_copy_params, dq_mlp_polyak. Never forward it.
 *
 * Usage per update:
 *   dq_noisy_sample(&nz, &rng); dq_noisy_apply(&nz, &net);
 *   dq_mlp_forward(&net, ...); dq_mlp_zero_grad(&net); dq_mlp_backward(&net, ...);
 *   dq_mlp_zero_grad(&nz.view); dq_noisy_accum_grads(&nz, &net);
 *   dq_optim_step(&opt, &nz.view);          (opt initialised on &nz.view)
 * Greedy evaluation: dq_noisy_zero_noise(&nz); dq_noisy_apply(&nz, &net) (uses mu). */
#ifndef DEEPQ_NOISY_H
#define DEEPQ_NOISY_H

#include "deepq/nn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_noisy {
    int n_layers;                         /* linear layers of the network */
    int dims[DQ_MLP_MAX_HIDDEN + 2];      /* network dims */
    bool noisy[DQ_MLP_MAX_HIDDEN + 1];    /* which layers carry noise */
    size_t w_off[DQ_MLP_MAX_HIDDEN + 1], b_off[DQ_MLP_MAX_HIDDEN + 1];
    size_t n;                             /* network parameters */
    dq_dtype dtype;
    void *params;                         /* [2n]: mu [n] then sigma [n] */
    void *grads;                          /* [2n]: dmu then dsigma */
    size_t eps_off[DQ_MLP_MAX_HIDDEN + 1];/* layer l: f(eps_in)[in_l] then f(eps_out)[out_l] */
    double *eps;                          /* [sum_l in_l + out_l] */
    dq_mlp view;                          /* flat handle over params/grads (see above) */
} dq_noisy;

/* Wrap network m: mu = m's current params, sigma = sigma0/sqrt(fan_in) on the LAST n_noisy
 * layers (n_noisy < 0 or > layers: all), 0 elsewhere; noise starts at 0. sigma0 >= 0 (0.5). */
DQ_API dq_status dq_noisy_init(dq_noisy *nz, const dq_mlp *m, double sigma0, int n_noisy,
                        dq_error *err);
/* Release (NULL-safe). */
DQ_API void dq_noisy_free(dq_noisy *nz);
/* Draw fresh factorised noise for every noisy layer from rng (sum_l in_l + out_l normals in a
 * fixed order: layer by layer, inputs then outputs). */
DQ_API void dq_noisy_sample(dq_noisy *nz, dq_rng *rng);
/* Set all noise to 0 (the network then computes with mu only). */
DQ_API void dq_noisy_zero_noise(dq_noisy *nz);
/* m.params = mu + sigma ⊙ eps (m must be the network nz was made from, or a same-def one). */
DQ_API void dq_noisy_apply(const dq_noisy *nz, dq_mlp *m);
/* m.params = mu (the noise stays as sampled; a later dq_noisy_apply restores it). */
DQ_API void dq_noisy_apply_mean(const dq_noisy *nz, dq_mlp *m);
/* nz.grads += [m.grads ; m.grads ⊙ eps] for the noise of the last apply. */
DQ_API void dq_noisy_accum_grads(dq_noisy *nz, const dq_mlp *m);

#ifdef __cplusplus
}
#endif
#endif
