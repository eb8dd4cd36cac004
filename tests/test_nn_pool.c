/* test_nn_pool.c — threads inside the update: the same updates (target forward, online forward,
 * Huber loss, backward with input gradient, clipping that triggers, optimizer step) run with no
 * pool, a 2-thread and a 3-thread pool must leave bit-identical parameters, gradients,
 * optimizer state and outputs, for float32 and float64 networks, odd and thin shapes, and
 * Adam, SGD with momentum and centered RMSprop. Also: pool argument checks. */
#include "deepq/nn.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

typedef struct shape {
    int n_in, h0, h1, n_out, B;
    dq_act act;
    dq_dtype dt;
    dq_optim_kind opt;
} shape;

typedef struct run_out {
    void *params, *grads, *state, *q, *dx;
    size_t np, ns, nq, nx;
} run_out;

/* n_upd updates of a fresh network pair on fixed data with `threads` threads (0 = no pool). */
static run_out run(const shape *s, int threads, int n_upd) {
    const size_t es = s->dt == DQ_F64 ? 8 : 4;
    dq_mlp_def d = dq_mlp_def_default();
    d.n_in = s->n_in;
    d.n_out = s->n_out;
    d.hidden[0] = s->h0;
    d.hidden[1] = s->h1;
    d.act = s->act;
    d.dtype = s->dt;
    dq_rng r;
    dq_rng_seed(&r, 7);
    dq_mlp q, t;
    CHECK_OK(dq_mlp_init(&q, &d, s->B, &r, NULL));
    CHECK_OK(dq_mlp_init(&t, &d, s->B, &r, NULL));
    dq_optim_def od = dq_optim_def_default(s->opt);
    od.lr = 1e-2;
    od.momentum = s->opt == DQ_OPT_ADAM ? 0 : 0.9;
    od.centered = true;
    dq_optim o;
    CHECK_OK(dq_optim_init(&o, &od, &q, NULL));
    dq_pool *pool = NULL;
    if (threads > 0) {
        CHECK_OK(dq_pool_create(&pool, threads, NULL));
        CHECK(dq_pool_threads(pool) == threads);
        CHECK_OK(dq_mlp_set_pool(&q, pool, NULL));
        CHECK_OK(dq_mlp_set_pool(&t, pool, NULL));
    }
    const int B = s->B, A = s->n_out;
    double *x = malloc(sizeof(double) * B * s->n_in), *y = malloc(sizeof(double) * B);
    for (int i = 0; i < B * s->n_in; i++) x[i] = dq_rng_normal(&r);
    for (int i = 0; i < B; i++) y[i] = 3.0 * dq_rng_normal(&r);
    run_out out;
    out.np = q.n_params * es;
    out.ns = (size_t)o.n_moments * o.n * es;
    out.nq = (size_t)B * A * es;
    out.nx = (size_t)B * s->n_in * es;
    void *xin = malloc(out.nx), *qv = malloc(out.nq), *qt = malloc(out.nq);
    void *dout = calloc(1, out.nq), *dx = malloc(out.nx);
    for (int i = 0; i < B * s->n_in; i++) {
        if (s->dt == DQ_F64) ((double *)xin)[i] = x[i];
        else ((float *)xin)[i] = (float)x[i];
    }
    for (int u = 0; u < n_upd; u++) {
        dq_mlp_forward(&t, xin, B, qt);
        dq_mlp_forward(&q, xin, B, qv);
        dq_mlp_zero_grad(&q);
        /* loss gradient on action u % A: pred - (y + target's Q) (MSE-like, any values do) */
        for (int i = 0; i < B; i++) {
            const int a = (u + i) % A;
            if (s->dt == DQ_F64) {
                double *g = dout;
                memset(g + (size_t)i * A, 0, sizeof(double) * A);
                g[(size_t)i * A + a] = ((double *)qv)[i * A + a] - y[i] - ((double *)qt)[i * A];
            } else {
                float *g = dout;
                memset(g + (size_t)i * A, 0, sizeof(float) * A);
                const float *qf = qv, *tf = qt;
                g[(size_t)i * A + a] = qf[i * A + a] - (float)y[i] - tf[i * A];
            }
        }
        dq_mlp_backward(&q, dout, B, dx);
        dq_mlp_clip_grad_norm(&q, 0.5); /* small: the scaling pass runs */
        dq_optim_step(&o, &q);
        dq_mlp_polyak(&t, &q, 0.1);
    }
    out.params = malloc(out.np);
    out.grads = malloc(out.np);
    out.state = malloc(out.ns + 1);
    memcpy(out.params, q.params, out.np);
    memcpy(out.grads, q.grads, out.np);
    if (out.ns) memcpy(out.state, o.state, out.ns);
    out.q = qv;
    out.dx = dx;
    free(x); free(y); free(xin); free(qt); free(dout);
    dq_optim_free(&o);
    dq_mlp_free(&q);
    dq_mlp_free(&t);
    dq_pool_destroy(pool);
    return out;
}

static void free_out(run_out *o) {
    free(o->params); free(o->grads); free(o->state); free(o->q); free(o->dx);
}

static void test_identical(void) {
    const shape shapes[] = {
        {4, 256, 256, 2, 64, DQ_ACT_RELU, DQ_F32, DQ_OPT_ADAM},   /* the LunarLander/Zoo shape */
        {8, 100, 36, 4, 37, DQ_ACT_TANH, DQ_F32, DQ_OPT_RMSPROP}, /* odd widths, partial tiles */
        {3, 70, 50, 5, 131, DQ_ACT_RELU, DQ_F32, DQ_OPT_SGD},     /* thin products split by rows */
        {4, 64, 48, 2, 40, DQ_ACT_RELU, DQ_F64, DQ_OPT_ADAM},     /* float64 (portable loop) */
        {4, 64, 300, 3, 150, DQ_ACT_RELU, DQ_F32, DQ_OPT_ADAM},   /* thin dot-product output */
    };
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        run_out base = run(&shapes[k], 0, 6);
        for (int th = 1; th <= 3; th++) {
            run_out o = run(&shapes[k], th, 6);
            CHECK_MSG(memcmp(base.params, o.params, base.np) == 0, "shape %zu, %d threads", k, th);
            CHECK_MSG(memcmp(base.grads, o.grads, base.np) == 0, "shape %zu, %d threads", k, th);
            CHECK_MSG(base.ns == 0 || memcmp(base.state, o.state, base.ns) == 0,
                      "shape %zu, %d threads", k, th);
            CHECK_MSG(memcmp(base.q, o.q, base.nq) == 0, "shape %zu, %d threads", k, th);
            CHECK_MSG(memcmp(base.dx, o.dx, base.nx) == 0, "shape %zu, %d threads", k, th);
            free_out(&o);
        }
        /* and the updates did move the parameters (the comparison is not vacuous) */
        run_out none = run(&shapes[k], 2, 0);
        CHECK(memcmp(base.params, none.params, base.np) != 0);
        free_out(&none);
        free_out(&base);
    }
}

static void test_pool_args(void) {
    dq_pool *p = (dq_pool *)1;
    dq_error e;
    CHECK(dq_pool_create(&p, 0, &e) == DQ_EINVAL && p == NULL);
    CHECK(dq_pool_create(&p, DQ_POOL_MAX_THREADS + 1, &e) == DQ_EINVAL);
    CHECK(dq_pool_threads(NULL) == 1);
    dq_pool_destroy(NULL);
    CHECK_OK(dq_pool_create(&p, 1, &e));
    CHECK(dq_pool_threads(p) == 1);
    dq_pool_destroy(p);
}

int main(void) {
    test_identical();
    test_pool_args();
    TEST_MAIN_END();
}
