/* test_nn_ref.c — the NN engine against PyTorch reference fixtures (tests/fixtures/nn_*.bin,
 * made by tests/ref/make_nn_ref.py; the format is documented there).
 *
 * For each shape, in float32 and float64: forward output, MSE and Huber losses with per-sample
 * weights (loss, TD errors, dloss/dpred), every parameter gradient and the input gradient, and
 * the parameters after 5 clipped steps of Adam, SGD with momentum + weight decay, RMSprop and
 * centered RMSprop with momentum.
 *
 * Error measure, per tensor: max_i |got_i - ref_i| / max(|ref_i|, floor) with
 * floor = rms(ref): entries at least as large as the tensor's RMS are judged relative to
 * themselves, smaller ones (sums that cancel to almost zero, whose float32 rounding differs
 * between any two summation orders) relative to the tensor's scale. Tolerances: 1e-5 for the
 * float32 network, 1e-12 for the float64 one (scalars such as the loss and the clipping norms
 * are judged with their network's tolerance). */
#include "deepq/nn.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

typedef struct rec {
    char name[49];
    uint32_t dtype, count;
    void *data;
} rec;

typedef struct fixture {
    rec r[128];
    int n;
} fixture;

static bool fixture_load(fixture *f, const char *path) {
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    char magic[8];
    uint32_t n = 0;
    bool ok = fread(magic, 1, 8, fp) == 8 && memcmp(magic, "DQNNREF1", 8) == 0 &&
              fread(&n, 4, 1, fp) == 1 && n <= 128;
    for (uint32_t i = 0; ok && i < n; i++) {
        rec *r = &f->r[i];
        ok = fread(r->name, 1, 48, fp) == 48 && fread(&r->dtype, 4, 1, fp) == 1 &&
             fread(&r->count, 4, 1, fp) == 1 && r->dtype <= 2;
        if (!ok) break;
        size_t es = r->dtype == 1 ? 8 : 4;
        r->data = malloc(es * r->count + 1);
        ok = r->data && fread(r->data, es, r->count, fp) == r->count;
        f->n = (int)i + 1;
    }
    fclose(fp);
    return ok;
}

static void fixture_free(fixture *f) {
    for (int i = 0; i < f->n; i++) free(f->r[i].data);
}

static const rec *get(const fixture *f, const char *name) {
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->r[i].name, name) == 0) return &f->r[i];
    return NULL;
}

static double val(const rec *r, size_t i) {
    if (r->dtype == 0) return ((const float *)r->data)[i];
    if (r->dtype == 1) return ((const double *)r->data)[i];
    return ((const int32_t *)r->data)[i];
}

/* Relative error of got[n] (dtype dt) against ref (see the file comment). */
static double rel_err(const void *got, dq_dtype dt, const rec *ref, size_t n) {
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += val(ref, i) * val(ref, i);
    const double floor_ = n ? sqrt(ss / n) : 0;
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        const double g = dt == DQ_F64 ? ((const double *)got)[i] : ((const float *)got)[i];
        const double r = val(ref, i);
        double den = fabs(r) > floor_ ? fabs(r) : floor_;
        if (den == 0) den = 1e-30;
        const double e = fabs(g - r) / den;
        if (!(e <= worst)) worst = e; /* NaN propagates as failure */
    }
    return worst;
}

static void compare(const char *what, const char *cs, const void *got, dq_dtype dt,
                    const fixture *f, const char *name, size_t n, double tol) {
    const rec *r = get(f, name);
    CHECK_MSG(r != NULL, "%s: fixture record %s missing", cs, name);
    if (!r) return;
    CHECK_MSG(r->count == n, "%s: %s has %u values, expected %zu", cs, name, r->count, n);
    if (r->count != n) return;
    const double e = rel_err(got, dt, r, n);
    if (getenv("DQ_TEST_VERBOSE")) printf("  %-6s %-18s rel err %.3g\n", cs, name, e);
    CHECK_MSG(e <= tol, "%s %s (%s): rel err %.3g > %g", cs, what, name, e, tol);
}

/* Buffer of n elements of dt filled from the f32/i32 record r (exact upcast for f64). */
static void *load_as(const rec *r, dq_dtype dt) {
    size_t es = dt == DQ_F64 ? 8 : 4;
    void *p = malloc(es * r->count + 8);
    for (size_t i = 0; i < r->count; i++) {
        if (dt == DQ_F64) ((double *)p)[i] = val(r, i);
        else ((float *)p)[i] = (float)val(r, i);
    }
    return p;
}

static void set_params(dq_mlp *m, const rec *p) {
    for (size_t i = 0; i < m->n_params; i++) {
        if (m->def.dtype == DQ_F64) ((double *)m->params)[i] = val(p, i);
        else ((float *)m->params)[i] = (float)val(p, i);
    }
}

/* Forward, gather the taken actions, weighted loss, scatter into dout, backward. */
static double loss_step(dq_mlp *m, dq_loss kind, const void *x, const int32_t *a,
                        const void *target, const void *weight, int B, void *out, void *pred,
                        void *dpred, void *td, void *dout, void *dx) {
    const int A = m->def.n_out;
    dq_mlp_forward(m, x, B, out);
    double loss;
    if (m->def.dtype == DQ_F64) {
        for (int i = 0; i < B; i++) ((double *)pred)[i] = ((double *)out)[i * A + a[i]];
        loss = dq_loss_f64(kind, dpred, td, pred, target, weight, B);
        memset(dout, 0, sizeof(double) * B * A);
        for (int i = 0; i < B; i++) ((double *)dout)[i * A + a[i]] = ((double *)dpred)[i];
    } else {
        dq_gather_f32(pred, out, a, B, A);
        loss = dq_loss_f32(kind, dpred, td, pred, target, weight, B);
        dq_scatter_f32(dout, dpred, a, B, A);
    }
    dq_mlp_backward(m, dout, B, dx);
    return loss;
}

static void run_case(const char *file) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", DQ_FIXTURE_DIR, file);
    fixture f;
    bool ok = fixture_load(&f, path);
    CHECK_MSG(ok, "cannot read fixture %s", path);
    if (!ok) {
        fixture_free(&f);
        return;
    }
    const rec *dims = get(&f, "dims"), *actr = get(&f, "act"), *xr = get(&f, "x");
    const rec *pr = get(&f, "params"), *ar = get(&f, "actions"), *tr = get(&f, "target");
    const rec *wr = get(&f, "weight"), *mn = get(&f, "max_norm");
    CHECK(dims && actr && xr && pr && ar && tr && wr && mn);
    if (!(dims && actr && xr && pr && ar && tr && wr && mn)) {
        fixture_free(&f);
        return;
    }
    const int nl = (int)dims->count - 1, B = (int)ar->count;
    const double max_norm = val(mn, 0);
    for (int dti = 0; dti < 2; dti++) {
        const dq_dtype dt = dti ? DQ_F64 : DQ_F32;
        const char *sfx = dti ? "f64" : "f32";
        const double tol = dti ? 1e-12 : 1e-5;
        char cs[64], nm[64];
        snprintf(cs, sizeof cs, "%s/%s", file, sfx);
        dq_mlp_def def = dq_mlp_def_default();
        def.n_in = (int)val(dims, 0);
        def.n_out = (int)val(dims, nl);
        def.n_hidden = nl - 1;
        for (int i = 0; i + 1 < nl; i++) def.hidden[i] = (int)val(dims, i + 1);
        def.act = (dq_act)(int)val(actr, 0);
        def.dtype = dt;
        dq_mlp m;
        dq_rng rng;
        dq_rng_seed(&rng, 1);
        CHECK_OK(dq_mlp_init(&m, &def, B, &rng, NULL));
        CHECK(m.n_params == pr->count);
        if (m.n_params != pr->count) {
            dq_mlp_free(&m);
            continue;
        }
        const size_t es = dti ? 8 : 4, A = (size_t)def.n_out;
        void *x = load_as(xr, dt), *target = load_as(tr, dt), *weight = load_as(wr, dt);
        int32_t *a = malloc(sizeof(int32_t) * B);
        for (int i = 0; i < B; i++) a[i] = (int32_t)val(ar, i);
        void *out = malloc(es * B * A), *pred = malloc(es * B), *dpred = malloc(es * B);
        void *td = malloc(es * B), *dout = malloc(es * B * A);
        void *dx = malloc(es * B * def.n_in);

        const char *losses[2] = {"mse", "huber"};
        for (int li = 0; li < 2; li++) {
            snprintf(nm, sizeof nm, "grads_%s.%s", losses[li], sfx);
            if (!get(&f, nm)) continue;
            set_params(&m, pr);
            dq_mlp_zero_grad(&m);
            double loss = loss_step(&m, li ? DQ_LOSS_HUBER : DQ_LOSS_MSE, x, a, target, weight,
                                    B, out, pred, dpred, td, dout, dx);
            snprintf(nm, sizeof nm, "out.%s", sfx);
            compare("forward output", cs, out, dt, &f, nm, B * A, tol);
            snprintf(nm, sizeof nm, "loss_%s.%s", losses[li], sfx);
            compare("loss", cs, &loss, DQ_F64, &f, nm, 1, tol);
            snprintf(nm, sizeof nm, "td_%s.%s", losses[li], sfx);
            compare("td errors", cs, td, dt, &f, nm, B, tol);
            snprintf(nm, sizeof nm, "dpred_%s.%s", losses[li], sfx);
            compare("dloss/dpred", cs, dpred, dt, &f, nm, B, tol);
            snprintf(nm, sizeof nm, "grads_%s.%s", losses[li], sfx);
            compare("parameter gradients", cs, m.grads, dt, &f, nm, m.n_params, tol);
            snprintf(nm, sizeof nm, "dx_%s.%s", losses[li], sfx);
            compare("input gradients", cs, dx, dt, &f, nm, (size_t)B * def.n_in, tol);
        }

        const char *onames[4] = {"adam", "sgd", "rmsprop", "rmsprop_c"};
        for (int oi = 0; oi < 4; oi++) {
            snprintf(nm, sizeof nm, "%s.%s", onames[oi], sfx);
            if (!get(&f, nm)) continue;
            snprintf(nm, sizeof nm, "hp_%s", onames[oi]);
            const rec *hp = get(&f, nm);
            CHECK_MSG(hp && hp->count == 8, "%s: %s missing", cs, nm);
            if (!hp || hp->count != 8) continue;
            dq_optim_def od = dq_optim_def_default(oi == 0   ? DQ_OPT_ADAM
                                                   : oi == 1 ? DQ_OPT_SGD
                                                             : DQ_OPT_RMSPROP);
            od.lr = val(hp, 0);
            od.beta1 = val(hp, 1);
            od.beta2 = val(hp, 2);
            od.eps = val(hp, 3);
            od.momentum = val(hp, 4);
            od.alpha = val(hp, 5);
            od.centered = val(hp, 6) != 0;
            od.weight_decay = val(hp, 7);
            dq_optim o;
            CHECK_OK(dq_optim_init(&o, &od, &m, NULL));
            set_params(&m, pr);
            double norms[5];
            for (int s = 0; s < 5; s++) {
                dq_mlp_zero_grad(&m);
                loss_step(&m, DQ_LOSS_HUBER, x, a, target, weight, B, out, pred, dpred, td,
                          dout, NULL);
                norms[s] = dq_mlp_clip_grad_norm(&m, max_norm);
                dq_optim_step(&o, &m);
            }
            char what[64];
            snprintf(what, sizeof what, "%s grad norms", onames[oi]);
            snprintf(nm, sizeof nm, "norms_%s.%s", onames[oi], sfx);
            compare(what, cs, norms, DQ_F64, &f, nm, 5, tol);
            snprintf(what, sizeof what, "params after 5 %s steps", onames[oi]);
            snprintf(nm, sizeof nm, "%s.%s", onames[oi], sfx);
            compare(what, cs, m.params, dt, &f, nm, m.n_params, tol);
            dq_optim_free(&o);
        }
        free(x); free(target); free(weight); free(a); free(out); free(pred); free(dpred);
        free(td); free(dout); free(dx);
        dq_mlp_free(&m);
    }
    fixture_free(&f);
}

int main(void) {
    run_case("nn_s64.bin");
    run_case("nn_tanh3.bin");
    run_case("nn_s256.bin");
    TEST_MAIN_END();
}
