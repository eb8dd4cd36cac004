/* export_c.c — write a DQN's greedy policy as dependency-free C99 (deepq/export.h).
 *
 * The generated forward mirrors deepq's acting path operation for operation, so its Q-values
 * carry the same bits:
 *   - float32 layers: dq_matvec_f32's AVX2 kernel (src/nn/gemm.c). Per output row, 8 lanes
 *     s_l accumulate fmaf(w[k+l], x[k+l], s_l) over whole blocks of 8 inputs, the lanes are
 *     reduced as ((s0+s1)+(s2+s3)) + ((s4+s5)+(s6+s7)), then the bias is added, then the inputs
 *     past the last whole block are added one fmaf at a time (the kernel's tail, explicit
 *     FMAs so that no compiler or optimisation level changes it; tests/export_check.c reaches
 *     it with widths 20, 14, 12 and 7 in both the Release and the sanitizer build). Inputs
 *     narrower than 8 go through one masked block (lanes past `in` are +0) and the bias after
 *     the reduction.
 *   - float64 layers: mlp.c's sequential loop s = b; s += w*x.
 *   - dueling: heads_impl.h's double-precision mean over actions.
 *   - C51: heads.c's 8-lane exp polynomial (Cephes coefficients, FMA Horner steps, 2^n from
 *     exponent bits), the lane-wise double sum and the float expectation.
 * Weights print with 9 (float) / 17 (double) significant digits: each literal reads back as
 * the exact stored value. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/export.h"
#include "deepq/fsio.h"
#include "rl/dqn_internal.h"

#define EXPORT_DEF_MAGIC 0x45585031u /* "EXP1" */

dq_export_def dq_export_def_default(void) {
    dq_export_def d;
    memset(&d, 0, sizeof d);
    d.name = "policy";
    d.magic_ = EXPORT_DEF_MAGIC;
    return d;
}

static bool is_ident(const char *s) {
    if (!s || !*s || !(isalpha((unsigned char)*s) || *s == '_')) return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_')) return false;
    return true;
}

/* Literal of a float that reads back to exactly v ("%.9g" plus a '.0' when it has no point). */
static void put_f32(FILE *f, float v) {
    char b[48];
    snprintf(b, sizeof b, "%.9g", (double)v);
    fputs(b, f);
    if (!strpbrk(b, ".e")) fputs(".0", f);
    fputc('f', f);
}

static void put_f64(FILE *f, double v) {
    char b[48];
    snprintf(b, sizeof b, "%.17g", v);
    fputs(b, f);
    if (!strpbrk(b, ".e")) fputs(".0", f);
}

/* static const T NAME_<tag><l>[n] = {...}; eight values per line. kind: 'f' float, 'd' double,
 * 'i' int8 (from ints). */
static void put_array(FILE *f, const char *name, const char *tag, int l, char kind,
                      const void *v, size_t n) {
    const char *ty = kind == 'f' ? "float" : kind == 'd' ? "double" : "int8_t";
    fprintf(f, "static const %s %s_%s%d[%zu] = {", ty, name, tag, l, n);
    for (size_t i = 0; i < n; i++) {
        fputs(i % 8 ? " " : "\n    ", f);
        if (kind == 'f') put_f32(f, ((const float *)v)[i]);
        else if (kind == 'd') put_f64(f, ((const double *)v)[i]);
        else fprintf(f, "%d", ((const int8_t *)v)[i]);
        if (i + 1 < n) fputc(',', f);
    }
    fputs("\n};\n", f);
}

static void upper(char *dst, size_t cap, const char *s) {
    size_t i = 0;
    for (; s[i] && i + 1 < cap; i++) dst[i] = (char)toupper((unsigned char)s[i]);
    dst[i] = 0;
}

/* What the generated file needs to know about the policy. */
typedef struct export_net {
    dq_mlp m;           /* greedy network (noisy layers: the mean weights) */
    int A, N;           /* actions, atoms (1 without C51) */
    bool dueling, c51, f64;
    dq_c51_def c51def;
    int maxw;           /* widest layer */
    size_t stack_bytes; /* local arrays of NAME_act */
} export_net;

static const char *base_name(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void write_header(FILE *f, const export_net *e, const dq_export_def *def) {
    char up[128];
    upper(up, sizeof up, def->name);
    const char *n = def->name;
    fprintf(f, "/* %s.h — greedy policy exported by deepq %s (`deepq export --format c`).\n",
            n, DQ_VERSION);
    if (def->comment) fprintf(f, " * %s\n", def->comment);
    fprintf(f,
            " * Network: %d inputs,", e->m.dims[0]);
    for (int l = 1; l < e->m.n_layers; l++) fprintf(f, " %d", e->m.dims[l]);
    fprintf(f, " hidden (%s), %d raw outputs; head: %s%s%s; %s weights.\n",
            e->m.def.act == DQ_ACT_TANH ? "tanh" : e->m.def.act == DQ_ACT_RELU ? "relu"
                                                                              : "identity",
            e->m.dims[e->m.n_layers], e->dueling ? "dueling" : "", e->dueling && e->c51 ? "+" : "",
            e->c51 ? "C51 expectation" : e->dueling ? "" : "plain Q",
            def->int8 ? "int8 (per-row scales)" : e->f64 ? "float64" : "float32");
    fprintf(f,
            " * Usage: float q[%s_N_ACTIONS]; int a = %s_act(obs, q);   (q may be NULL)\n"
            " * No heap, no mutable globals; reentrant. Stack: %s_STACK_BYTES of local arrays\n"
            " * plus a few scalars. Build the .c in ISO mode (-std=c99) or with\n"
            " * -ffp-contract=off so the compiler keeps deepq's rounding. */\n",
            up, n, up);
    fprintf(f, "#ifndef %s_H\n#define %s_H\n\n", up, up);
    fprintf(f, "#define %s_OBS_DIM %d\n#define %s_N_ACTIONS %d\n#define %s_STACK_BYTES %zu\n\n",
            up, e->m.dims[0], up, e->A, up, e->stack_bytes);
    fprintf(f, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
    fprintf(f,
            "/* Greedy action for obs[%s_OBS_DIM] (the lowest index among equal Q-values);\n"
            " * q_out[%s_N_ACTIONS] receives the Q-values when not NULL. */\n"
            "int %s_act(const float *obs, float *q_out);\n\n",
            up, up, n);
    fprintf(f, "#ifdef __cplusplus\n}\n#endif\n#endif\n");
}

/* The float32 dense layer in deepq's kernel order (see the file comment). */
static void write_dense_f32(FILE *f, const char *n) {
    fprintf(f,
            "/* y[out] = W[out,in] x[in] + b[out], summed in deepq's order: 8 FMA lanes over whole\n"
            " * blocks of 8 inputs, a pairwise lane reduction, the bias, then the remaining inputs\n"
            " * one FMA each; inputs narrower than 8: one block with the missing lanes at +0. */\n"
            "static void %s_dense(float *y, const float *W, const float *b, const float *x,\n"
            "                     int out, int in) {\n"
            "    int j = 0, k, l, r;\n"
            "    if (in >= 8) /* four rows at a time: the same per-row arithmetic, four chains */\n"
            "        for (; j + 4 <= out; j += 4) {\n"
            "            const float *w0 = W + (size_t)j * (size_t)in, *w1 = w0 + in, *w2 = w1 + in;\n"
            "            const float *w3 = w2 + in, *wr[4];\n"
            "            float s0[8], s1[8], s2[8], s3[8], *sr[4], t;\n"
            "            for (l = 0; l < 8; l++) s0[l] = s1[l] = s2[l] = s3[l] = 0.0f;\n"
            "            for (k = 0; k + 8 <= in; k += 8)\n"
            "                for (l = 0; l < 8; l++) {\n"
            "                    const float xv = x[k + l];\n"
            "                    s0[l] = fmaf(w0[k + l], xv, s0[l]);\n"
            "                    s1[l] = fmaf(w1[k + l], xv, s1[l]);\n"
            "                    s2[l] = fmaf(w2[k + l], xv, s2[l]);\n"
            "                    s3[l] = fmaf(w3[k + l], xv, s3[l]);\n"
            "                }\n"
            "            wr[0] = w0, wr[1] = w1, wr[2] = w2, wr[3] = w3;\n"
            "            sr[0] = s0, sr[1] = s1, sr[2] = s2, sr[3] = s3;\n"
            "            for (r = 0; r < 4; r++) {\n"
            "                const float *sv = sr[r];\n"
            "                t = (((sv[0] + sv[1]) + (sv[2] + sv[3])) + ((sv[4] + sv[5]) + (sv[6] + sv[7])))"
            " + b[j + r];\n"
            "                for (l = in - in %% 8; l < in; l++) t = fmaf(wr[r][l], x[l], t);\n"
            "                y[j + r] = t;\n"
            "            }\n"
            "        }\n"
            "    for (; j < out; j++) {\n"
            "        const float *w = W + (size_t)j * (size_t)in;\n"
            "        float s[8], t;\n"
            "        for (l = 0; l < 8; l++) s[l] = 0.0f;\n"
            "        if (in < 8) {\n"
            "            for (l = 0; l < in; l++) s[l] = fmaf(w[l], x[l], 0.0f);\n"
            "            y[j] = (((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7])))"
            " + b[j];\n"
            "            continue;\n"
            "        }\n"
            "        for (k = 0; k + 8 <= in; k += 8)\n"
            "            for (l = 0; l < 8; l++) s[l] = fmaf(w[k + l], x[k + l], s[l]);\n"
            "        t = (((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))) + b[j];\n"
            "        for (; k < in; k++) t = fmaf(w[k], x[k], t);\n"
            "        y[j] = t;\n"
            "    }\n"
            "}\n\n",
            n);
}

static void write_dense_f64(FILE *f, const char *n) {
    fprintf(f,
            "/* y[out] = W[out,in] x[in] + b[out], summed in order from the bias (deepq's float64\n"
            " * loop). */\n"
            "static void %s_dense(double *y, const double *W, const double *b, const double *x,\n"
            "                     int out, int in) {\n"
            "    int j, k;\n"
            "    for (j = 0; j < out; j++) {\n"
            "        const double *w = W + (size_t)j * (size_t)in;\n"
            "        double s = b[j];\n"
            "        for (k = 0; k < in; k++) s += w[k] * x[k];\n"
            "        y[j] = s;\n"
            "    }\n"
            "}\n\n",
            n);
}

static void write_dense_q8(FILE *f, const char *n) {
    fprintf(f,
            "/* y[out] = scale[out] * (Wq[out,in] x[in]) + b[out] with int8 rows Wq (w ~ scale * q). */\n"
            "static void %s_dense(float *y, const int8_t *W, const float *scale, const float *b,\n"
            "                     const float *x, int out, int in) {\n"
            "    int j, k;\n"
            "    for (j = 0; j < out; j++) {\n"
            "        const int8_t *w = W + (size_t)j * (size_t)in;\n"
            "        float s = 0.0f;\n"
            "        for (k = 0; k < in; k++) s += (float)w[k] * x[k];\n"
            "        y[j] = s * scale[j] + b[j];\n"
            "    }\n"
            "}\n\n",
            n);
}

static void write_act_fn(FILE *f, const char *n, const char *T, dq_act a, bool f64) {
    if (a == DQ_ACT_RELU)
        fprintf(f,
                "static void %s_relu(%s *y, int n) {\n"
                "    int i;\n"
                "    for (i = 0; i < n; i++) y[i] = y[i] > 0 ? y[i] : (%s)0;\n"
                "}\n\n",
                n, T, T);
    else if (a == DQ_ACT_TANH)
        fprintf(f,
                "static void %s_tanh(%s *y, int n) {\n"
                "    int i;\n"
                "    for (i = 0; i < n; i++) y[i] = %s(y[i]);\n"
                "}\n\n",
                n, T, f64 ? "tanh" : "tanhf");
}

/* The C51 exp polynomial of heads.c and the softmax expectation. */
static void write_c51(FILE *f, const export_net *e, const char *n) {
    fprintf(f,
            "/* e^x for x <= 0 as deepq's C51 head computes it: x = n ln2 + r, e^r by a degree-6\n"
            " * polynomial in FMA steps, times 2^n made from exponent bits (x clamped at -87.3). */\n"
            "static float %s_exp_neg(float x) {\n"
            "    union { uint32_t u; float f; } two_n;\n"
            "    float n, r, p;\n"
            "    x = x > -87.3f ? x : -87.3f;\n"
            "    n = x * 1.44269504088896341f;\n"
            "    n = (n + 12582912.0f) - 12582912.0f; /* round to nearest even (|n| < 2^22) */\n"
            "    r = fmaf(-n, 0.693359375f, x);\n"
            "    r = fmaf(-n, -2.12194440e-4f, r);\n"
            "    p = 1.9875691500e-4f;\n"
            "    p = fmaf(p, r, 1.3981999507e-3f);\n"
            "    p = fmaf(p, r, 8.3334519073e-3f);\n"
            "    p = fmaf(p, r, 4.1665795894e-2f);\n"
            "    p = fmaf(p, r, 1.6666665459e-1f);\n"
            "    p = fmaf(p, r, 5.0000001201e-1f);\n"
            "    p = fmaf(p, r * r, r + 1.0f);\n"
            "    two_n.u = (uint32_t)((int32_t)n + 127) << 23;\n"
            "    return p * two_n.f;\n"
            "}\n\n",
            n);
    fprintf(f,
            "/* q[%d] = sum_j softmax(logits[a, :])_j z_j per action over %d atoms; e[%d] scratch. The\n"
            " * exponentials are summed in double in 8 lanes, reduced (l0+l4 + l1+l5) + (l2+l6 + l3+l7). */\n"
            "static void %s_c51(float *q, float *e, const float *logits) {\n"
            "    int a, j;\n"
            "    for (a = 0; a < %d; a++) {\n"
            "        const float *l = logits + a * %d;\n"
            "        double s[8] = {0, 0, 0, 0, 0, 0, 0, 0}, t0, t1, t2, t3;\n"
            "        float m = l[0], inv, qq = 0.0f;\n"
            "        for (j = 1; j < %d; j++) m = l[j] > m ? l[j] : m;\n"
            "        for (j = 0; j < %d; j++) {\n"
            "            e[j] = %s_exp_neg(l[j] - m);\n"
            "            s[j %% 8] += (double)e[j];\n"
            "        }\n"
            "        t0 = s[0] + s[4];\n"
            "        t1 = s[1] + s[5];\n"
            "        t2 = s[2] + s[6];\n"
            "        t3 = s[3] + s[7];\n"
            "        inv = (float)(1.0 / ((t0 + t1) + (t2 + t3)));\n"
            "        for (j = 0; j < %d; j++) {\n"
            "            const float p = e[j] * inv;\n"
            "            qq += p * %s_z0[j];\n"
            "        }\n"
            "        q[a] = qq;\n"
            "    }\n"
            "}\n\n",
            e->A, e->N, e->N, n, e->A, e->N, e->N, e->N, n, e->N, n);
}

static void write_dueling(FILE *f, const export_net *e, const char *n) {
    fprintf(f,
            "/* out[%d x %d] = V + A_a - mean_a A_a per atom from h = [V | A_0 .. A_%d] (deepq's double\n"
            " * mean). */\n"
            "static void %s_dueling(float *out, const float *h) {\n"
            "    int a, j;\n"
            "    for (j = 0; j < %d; j++) {\n"
            "        double mean = 0.0;\n"
            "        for (a = 0; a < %d; a++) mean += h[%d + a * %d + j];\n"
            "        mean = (double)h[j] - mean / %d;\n"
            "        for (a = 0; a < %d; a++) out[a * %d + j] = (float)(h[%d + a * %d + j] + mean);\n"
            "    }\n"
            "}\n\n",
            e->A, e->N, e->A - 1, n, e->N, e->A, e->N, e->N, e->A, e->A, e->N, e->N, e->N);
}

/* Per-row int8 quantisation of W[out, in]: scale = max|w| / 127, q = round(w / scale). */
static void quantize_rows(int8_t *q, float *scale, const float *W, int out, int in) {
    for (int j = 0; j < out; j++) {
        float mx = 0;
        for (int k = 0; k < in; k++) {
            const float a = fabsf(W[(size_t)j * in + k]);
            mx = a > mx ? a : mx;
        }
        scale[j] = mx > 0 ? mx / 127.0f : 1.0f;
        for (int k = 0; k < in; k++) {
            long v = lrintf(W[(size_t)j * in + k] / scale[j]);
            q[(size_t)j * in + k] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
        }
    }
}

static dq_status write_source(FILE *f, const export_net *e, const dq_export_def *def,
                              const char *h_name, dq_error *err) {
    const char *n = def->name;
    const dq_mlp *m = &e->m;
    const char *T = e->f64 ? "double" : "float";
    fprintf(f, "/* %s.c — greedy policy exported by deepq %s; see %s for the interface.\n", n,
            DQ_VERSION, h_name);
    if (def->comment) fprintf(f, " * %s\n", def->comment);
    fprintf(f, " * Generated: edit the checkpoint, not this file. */\n");
    fprintf(f, "#include <stddef.h>\n#include <stdint.h>\n\n#include \"%s\"\n\n", h_name);
    fprintf(f, "/* Keep every a*b+c as written: deepq's rounding (GCC contracts nothing in ISO\n"
               " * mode; clang needs the pragma). */\n"
               "#if defined(__clang__)\n#pragma STDC FP_CONTRACT OFF\n#endif\n\n");
    const bool tanh_used = m->def.act == DQ_ACT_TANH || m->def.out_act == DQ_ACT_TANH;
    const bool need_fma = !e->f64 && !def->int8;
    if (need_fma || tanh_used)
        fprintf(f, "/* C99 <math.h> functions, declared here (C99 7.1.4) so that only\n"
                   " * <stddef.h>/<stdint.h> are included: freestanding targets link them from\n"
                   " * their libm. */\n");
    if (need_fma || e->c51) fprintf(f, "float fmaf(float x, float y, float z);\n");
    if (tanh_used) fputs(e->f64 ? "double tanh(double x);\n" : "float tanhf(float x);\n", f);
    fputc('\n', f);

    /* weights */
    int8_t *q8 = NULL;
    float *sc = NULL;
    if (def->int8) {
        q8 = malloc((size_t)e->maxw * e->maxw);
        sc = malloc(sizeof(float) * (size_t)e->maxw);
        if (!q8 || !sc) {
            free(q8);
            free(sc);
            return dq_fail(err, DQ_ENOMEM, "export: out of memory");
        }
    }
    for (int l = 0; l < m->n_layers; l++) {
        const int in = m->dims[l], out = m->dims[l + 1];
        const size_t nw = (size_t)out * in;
        if (e->f64) {
            const double *p = m->params;
            put_array(f, n, "w", l, 'd', p + m->w_off[l], nw);
            put_array(f, n, "b", l, 'd', p + m->b_off[l], (size_t)out);
        } else if (def->int8) {
            const float *p = m->params;
            quantize_rows(q8, sc, p + m->w_off[l], out, in);
            put_array(f, n, "w", l, 'i', q8, nw);
            put_array(f, n, "s", l, 'f', sc, (size_t)out);
            put_array(f, n, "b", l, 'f', p + m->b_off[l], (size_t)out);
        } else {
            const float *p = m->params;
            put_array(f, n, "w", l, 'f', p + m->w_off[l], nw);
            put_array(f, n, "b", l, 'f', p + m->b_off[l], (size_t)out);
        }
    }
    free(q8);
    free(sc);
    if (e->c51) {
        const double dz = (e->c51def.v_max - e->c51def.v_min) / (e->N - 1);
        float *z = malloc(sizeof(float) * (size_t)e->N);
        if (!z) return dq_fail(err, DQ_ENOMEM, "export: out of memory");
        for (int j = 0; j < e->N; j++) z[j] = (float)(e->c51def.v_min + j * dz);
        fprintf(f, "/* C51 support: %d atoms on [%.17g, %.17g] */\n", e->N, e->c51def.v_min,
                e->c51def.v_max);
        put_array(f, n, "z", 0, 'f', z, (size_t)e->N);
        free(z);
    }
    fputc('\n', f);

    if (e->f64) write_dense_f64(f, n);
    else if (def->int8) write_dense_q8(f, n);
    else write_dense_f32(f, n);
    write_act_fn(f, n, T, m->def.act, e->f64);
    if (m->def.out_act != m->def.act) write_act_fn(f, n, T, m->def.out_act, e->f64);
    if (e->dueling) write_dueling(f, e, n);
    if (e->c51) write_c51(f, e, n);

    /* NAME_act */
    const int nl = m->n_layers, nraw = m->dims[nl];
    fprintf(f, "int %s_act(const float *obs, float *q_out) {\n", n);
    fprintf(f, "    %s u[%d], v[%d];\n", T, e->maxw, e->maxw);
    if (e->dueling) fprintf(f, "    float head[%d];\n", e->A * e->N);
    if (e->c51) fprintf(f, "    float ex[%d], qc[%d];\n", e->N, e->A);
    fprintf(f, "    const %s *q;\n    int a, best = 0;\n", e->f64 ? "double" : "float");
    const char *x = "obs";
    if (e->f64) {
        fprintf(f, "    for (a = 0; a < %d; a++) v[a] = (double)obs[a];\n", m->dims[0]);
        x = "v";
    }
    for (int l = 0; l < nl; l++) {
        const char *y = (l % 2 == 0) ? "u" : "v";
        if (def->int8)
            fprintf(f, "    %s_dense(%s, %s_w%d, %s_s%d, %s_b%d, %s, %d, %d);\n", n, y, n, l, n, l, n,
                    l, x, m->dims[l + 1], m->dims[l]);
        else
            fprintf(f, "    %s_dense(%s, %s_w%d, %s_b%d, %s, %d, %d);\n", n, y, n, l, n, l, x,
                    m->dims[l + 1], m->dims[l]);
        const dq_act a = l + 1 < nl ? m->def.act : m->def.out_act;
        if (a == DQ_ACT_RELU) fprintf(f, "    %s_relu(%s, %d);\n", n, y, m->dims[l + 1]);
        else if (a == DQ_ACT_TANH) fprintf(f, "    %s_tanh(%s, %d);\n", n, y, m->dims[l + 1]);
        x = y;
    }
    const char *raw = x;
    if (e->dueling) {
        fprintf(f, "    %s_dueling(head, %s);\n", n, raw);
        raw = "head";
    }
    if (e->c51) {
        fprintf(f, "    %s_c51(qc, ex, %s);\n", n, raw);
        raw = "qc";
    }
    (void)nraw;
    fprintf(f, "    q = %s;\n", raw);
    fprintf(f, "    for (a = 1; a < %d; a++)\n        if (q[a] > q[best]) best = a;\n", e->A);
    fprintf(f, "    if (q_out)\n        for (a = 0; a < %d; a++) q_out[a] = %sq[a];\n", e->A,
            e->f64 ? "(float)" : "");
    fprintf(f, "    return best;\n}\n");
    return DQ_OK;
}

static dq_status write_atomic(const char *path, const export_net *e, const dq_export_def *def,
                              const char *h_name, bool header, dq_error *err) {
    dq_atomic_file *af;
    dq_status st = dq_atomic_open(&af, path, err);
    if (st) return st;
    FILE *f = dq_atomic_stream(af);
    if (header) write_header(f, e, def);
    else if ((st = write_source(f, e, def, h_name, err))) {
        dq_atomic_abort(af);
        return st;
    }
    if (ferror(f)) {
        dq_atomic_abort(af);
        return dq_fail(err, DQ_EIO, "export: writing %s failed", path);
    }
    return dq_atomic_commit(af, err);
}

dq_status dq_export_c(const dq_dqn *ag, const dq_export_def *def, const char *c_path,
                      const char *h_path, dq_error *err) {
    if (!ag || !def || !c_path || !h_path)
        return dq_fail(err, DQ_EINVAL, "dq_export_c: agent, def and both paths are required");
    if (def->magic_ != EXPORT_DEF_MAGIC)
        return dq_fail(err, DQ_EINVAL, "dq_export_c: def not made by dq_export_def_default");
    if (!is_ident(def->name) || strlen(def->name) > 64)
        return dq_fail(err, DQ_EINVAL,
                       "export name '%s' must be a C identifier (letters, digits, _; 64 at most)",
                       def->name ? def->name : "");
    export_net e;
    memset(&e, 0, sizeof e);
    e.m = dqn_rainbow_mean_net(ag, false);
    e.A = ag->n_actions;
    e.N = ag->n_atoms;
    e.dueling = ag->def.dueling;
    e.c51 = ag->def.distributional;
    e.c51def = ag->c51;
    e.f64 = e.m.def.dtype == DQ_F64;
    if (def->int8 && e.f64)
        return dq_fail(err, DQ_EUNSUPPORTED, "export --int8 takes float32 networks only");
    e.maxw = e.m.max_width;
    const size_t es = e.f64 ? 8 : 4;
    e.stack_bytes = 2 * (size_t)e.maxw * es;
    if (e.dueling) e.stack_bytes += 4 * (size_t)e.A * e.N;
    if (e.c51) e.stack_bytes += 4 * (size_t)(e.N + e.A) + 8 * 8;
    for (size_t i = 0; i < e.m.n_params; i++) {
        const double v = e.f64 ? ((const double *)e.m.params)[i] : ((const float *)e.m.params)[i];
        if (!isfinite(v))
            return dq_fail(err, DQ_EUNSUPPORTED,
                           "export: parameter %zu is not finite (%g); the checkpoint is broken", i,
                           v);
    }
    const char *h_name = base_name(h_path);
    dq_status st = write_atomic(h_path, &e, def, h_name, true, err);
    if (!st) st = write_atomic(c_path, &e, def, h_name, false, err);
    return st;
}
