/* heads_impl.h — type-generic bodies of the dueling and C51 kernels (deepq/heads.h). Included
 * twice by heads.c with T = float / double and SFX = f32 / f64; not a public header.
 * Means, log-sum-exp, softmax sums and projection positions run in double for both types; the
 * softmax exponentials in T through FN(exp_row), which the including file defines (heads.c:
 * libm exp for float64, an AVX2 polynomial or libm expf for float32). */
#define DQ_CAT_(a, b) a##_##b
#define DQ_CAT(a, b) DQ_CAT_(a, b)
#define FN(name) DQ_CAT(name, SFX)

void FN(dq_dueling_forward)(T *out, const T *h, int B, int A, int N) {
    const int W = (1 + A) * N;
    double mean[DQ_HEADS_MAX_ATOMS];
    for (int b = 0; b < B; b++) {
        const T *hv = h + (size_t)b * W, *ha = hv + N;
        T *o = out + (size_t)b * A * N;
        for (int j = 0; j < N; j++) mean[j] = 0.0;
        for (int a = 0; a < A; a++)
            for (int j = 0; j < N; j++) mean[j] += ha[a * N + j];
        for (int j = 0; j < N; j++) mean[j] = (double)hv[j] - mean[j] / A; /* V - mean A */
        for (int a = 0; a < A; a++)
            for (int j = 0; j < N; j++) o[a * N + j] = (T)(ha[a * N + j] + mean[j]);
    }
}

void FN(dq_dueling_backward)(T *dh, const T *dout, int B, int A, int N) {
    const int W = (1 + A) * N;
    double sum[DQ_HEADS_MAX_ATOMS];
    for (int b = 0; b < B; b++) {
        const T *d = dout + (size_t)b * A * N;
        T *gv = dh + (size_t)b * W, *ga = gv + N;
        for (int j = 0; j < N; j++) sum[j] = 0.0;
        for (int a = 0; a < A; a++)
            for (int j = 0; j < N; j++) sum[j] += d[a * N + j];
        for (int j = 0; j < N; j++) gv[j] = (T)sum[j];
        for (int j = 0; j < N; j++) sum[j] /= A;
        for (int a = 0; a < A; a++)
            for (int j = 0; j < N; j++) ga[a * N + j] = (T)((double)d[a * N + j] - sum[j]);
    }
}

void FN(dq_c51_probs)(T *p, T *q, const T *logits, int B, int A, const dq_c51_def *def) {
    const int N = def->atoms;
    const double dz = (def->v_max - def->v_min) / (N - 1);
    T z[DQ_HEADS_MAX_ATOMS];
    for (int j = 0; j < N; j++) z[j] = (T)(def->v_min + j * dz);
    for (int r = 0; r < B * A; r++) {
        const T *l = logits + (size_t)r * N;
        T *pr = p + (size_t)r * N;
        T mx;
        const T inv = (T)(1.0 / FN(exp_row)(pr, l, N, &mx)); /* pr = exp(l - max l) */
        T qq = 0;
        for (int j = 0; j < N; j++) {
            pr[j] *= inv;
            qq += pr[j] * z[j];
        }
        if (q) q[r] = qq;
    }
}

void FN(dq_c51_project)(T *m, const T *p_next, const T *reward, const T *discount, int B,
                        const dq_c51_def *def) {
    const int N = def->atoms;
    const double vmin = def->v_min, vmax = def->v_max, dz = (vmax - vmin) / (N - 1);
    for (int b = 0; b < B; b++) {
        T *mb = m + (size_t)b * N;
        const T *pb = p_next + (size_t)b * N;
        for (int j = 0; j < N; j++) mb[j] = 0;
        for (int j = 0; j < N; j++) {
            double tz = (double)reward[b] + (double)discount[b] * (vmin + j * dz);
            tz = tz < vmin ? vmin : (tz > vmax ? vmax : tz);
            double pos = (tz - vmin) / dz;
            if (pos > N - 1) pos = N - 1;
            /* floor and ceil of pos >= 0 without the libm calls */
            const int lo = (int)pos, hi = lo + ((double)lo < pos);
            if (lo == hi) {
                mb[lo] += pb[j]; /* exactly on an atom: all mass there */
            } else {
                mb[lo] += (T)((double)pb[j] * (hi - pos));
                mb[hi] += (T)((double)pb[j] * (pos - lo));
            }
        }
    }
}

double FN(dq_c51_loss)(T *dlogits, T *loss_out, const T *logits, const int32_t *action,
                       const T *m, const T *weight, int B, int A, int N) {
    double total = 0.0;
    for (size_t i = 0; i < (size_t)B * A * N; i++) dlogits[i] = 0;
    for (int b = 0; b < B; b++) {
        const T *l = logits + ((size_t)b * A + action[b]) * N;
        T *g = dlogits + ((size_t)b * A + action[b]) * N;
        const T *mb = m + (size_t)b * N;
        T mx;
        const double s = FN(exp_row)(g, l, N, &mx); /* exp kept in g, scaled below */
        double msum = 0.0;
        for (int j = 0; j < N; j++) msum += mb[j];
        const double lse = (double)mx + log(s);
        double lb = 0.0;
        for (int j = 0; j < N; j++) lb -= (double)mb[j] * ((double)l[j] - lse);
        const double w = weight ? (double)weight[b] : 1.0;
        /* d(-sum_j m_j log p_j)/d l_i = p_i * sum_j m_j - m_i */
        const double sc = msum / s, wb = w / B;
        for (int j = 0; j < N; j++) g[j] = (T)(wb * ((double)g[j] * sc - (double)mb[j]));
        if (loss_out) loss_out[b] = (T)lb;
        total += w * lb;
    }
    return total / B;
}

#undef FN
#undef DQ_CAT
#undef DQ_CAT_
