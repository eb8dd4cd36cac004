/* naf.c — the Normalized Advantage Function head (Gu et al. 2016): a Q-function whose max over
 * the action is closed-form. Q(s, a) = V(s) - 1/2 (a - mu)^T P (a - mu), P = L L^T with L lower
 * triangular and a positive (exp'd) diagonal, so argmax_a Q = mu and max_a Q = V.
 * Layout of a head row and the gradients: deepq/cont_math.h. */
#include <math.h>
#include <string.h>

#include "deepq/cont_math.h"

int dq_naf_width(int D) { return 1 + D + D * (D + 1) / 2; }

/* L[D, D] (lower triangle, zeros above) of one head row's l entries. */
static void naf_L(float *L, const float *l, int D) {
    memset(L, 0, sizeof(float) * D * D);
    int k = 0;
    for (int i = 0; i < D; i++)
        for (int j = 0; j <= i; j++, k++) L[i * D + j] = i == j ? expf(l[k]) : l[k];
}

#define NAF_DMAX DQ_NAF_MAX_ACT /* stack buffers per row; agents check act_dim against it */

void dq_naf_q(float *q, float *mu, const float *head, const float *a, int B, int D) {
    const int H = dq_naf_width(D);
    float L[NAF_DMAX * NAF_DMAX], u[NAF_DMAX];
    for (int b = 0; b < B; b++) {
        const float *h = head + (size_t)b * H;
        naf_L(L, h + 1 + D, D);
        for (int i = 0; i < D; i++) {
            const float m = tanhf(h[1 + i]);
            if (mu) mu[(size_t)b * D + i] = m;
            u[i] = a[(size_t)b * D + i] - m;
        }
        float s = 0; /* |L^T u|^2 = sum_j (sum_{i>=j} L_ij u_i)^2 */
        for (int j = 0; j < D; j++) {
            float w = 0;
            for (int i = j; i < D; i++) w += L[i * D + j] * u[i];
            s += w * w;
        }
        q[b] = h[0] - 0.5f * s;
    }
}

void dq_naf_backward(float *dhead, const float *dq, const float *head, const float *a, int B,
                     int D) {
    const int H = dq_naf_width(D);
    float L[NAF_DMAX * NAF_DMAX], u[NAF_DMAX], w[NAF_DMAX], mu[NAF_DMAX];
    for (int b = 0; b < B; b++) {
        const float *h = head + (size_t)b * H;
        float *g = dhead + (size_t)b * H;
        const float gq = dq[b];
        naf_L(L, h + 1 + D, D);
        for (int i = 0; i < D; i++) {
            mu[i] = tanhf(h[1 + i]);
            u[i] = a[(size_t)b * D + i] - mu[i];
        }
        for (int j = 0; j < D; j++) { /* w = L^T u */
            w[j] = 0;
            for (int i = j; i < D; i++) w[j] += L[i * D + j] * u[i];
        }
        g[0] = gq; /* dQ/dV = 1 */
        /* A = -1/2 |w|^2: dA/du_i = -(L w)_i, so dA/dmu_i = (L w)_i; mu = tanh(m) */
        for (int i = 0; i < D; i++) {
            float lw = 0;
            for (int j = 0; j <= i; j++) lw += L[i * D + j] * w[j];
            g[1 + i] = gq * lw * (1.0f - mu[i] * mu[i]);
        }
        /* dA/dL_ij = -w_j u_i (i >= j); the diagonal entry is exp(l): times L_ii */
        int k = 0;
        for (int i = 0; i < D; i++)
            for (int j = 0; j <= i; j++, k++) {
                const float d = -w[j] * u[i];
                g[1 + D + k] = gq * (i == j ? d * L[i * D + i] : d);
            }
    }
}

void dq_naf_P(float *P, const float *head, int B, int D) {
    const int H = dq_naf_width(D);
    float L[NAF_DMAX * NAF_DMAX];
    for (int b = 0; b < B; b++) {
        naf_L(L, head + (size_t)b * H + 1 + D, D);
        float *p = P + (size_t)b * D * D;
        for (int i = 0; i < D; i++)
            for (int j = 0; j < D; j++) {
                float s = 0;
                for (int k = 0; k <= (i < j ? i : j); k++) s += L[i * D + k] * L[j * D + k];
                p[i * D + j] = s;
            }
    }
}
