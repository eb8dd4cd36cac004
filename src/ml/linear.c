/* linear.c — least-squares linear regression (scikit-learn's LinearRegression), optionally on
 * polynomial features (PolynomialFeatures(degree, include_bias=False)).
 *
 * As scikit-learn does, the intercept is fitted by centring the features and the targets, and
 * the coefficients come from LAPACK's dgelsd (SVD, minimum-norm solution for rank-deficient
 * problems, singular values below eps * largest treated as zero). */
#include "ml/regress_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* LAPACK (Fortran ABI). */
extern void dgelsd_(const int *m, const int *n, const int *nrhs, double *a, const int *lda,
                    double *b, const int *ldb, double *s, const double *rcond, int *rank,
                    double *work, const int *lwork, int *iwork, int *info);

typedef struct linear_model {
    int d;          /* raw features */
    int p;          /* expanded features */
    int degree;
    int32_t *terms; /* [p, degree] feature indices of each monomial, -1 = unused slot */
    double *coef;   /* [p] */
    double intercept;
} linear_model;

/* Monomials of degree 1..degree over d features, in scikit-learn's order
 * (combinations_with_replacement per degree). Returns the count; fills terms when non-NULL. */
static int make_terms(int d, int degree, int32_t *terms) {
    int count = 0;
    int idx[8];
    for (int deg = 1; deg <= degree; deg++) {
        for (int i = 0; i < deg; i++) idx[i] = 0;
        for (;;) {
            if (terms) {
                for (int i = 0; i < degree; i++)
                    terms[(int64_t)count * degree + i] = i < deg ? idx[i] : -1;
            }
            count++;
            int i = deg - 1;
            while (i >= 0 && idx[i] == d - 1) i--;
            if (i < 0) break;
            idx[i]++;
            for (int j = i + 1; j < deg; j++) idx[j] = idx[i];
        }
    }
    return count;
}

static void expand(const linear_model *m, const double *x, double *row) {
    for (int t = 0; t < m->p; t++) {
        double v = 1;
        for (int i = 0; i < m->degree; i++) {
            int32_t f = m->terms[(int64_t)t * m->degree + i];
            if (f >= 0) v *= x[f];
        }
        row[t] = v;
    }
}

static void linear_free(dq_regressor *r) {
    linear_model *m = r->impl;
    if (!m) return;
    free(m->terms);
    free(m->coef);
    free(m);
    r->impl = NULL;
}

static dq_status linear_fit(dq_regressor *r, const double *x, const double *y, int64_t n, int d,
                            dq_error *err) {
    linear_model *m = calloc(1, sizeof *m);
    if (!m) return dq_fail(err, DQ_ENOMEM, "linear: out of memory");
    r->impl = m;
    m->d = d;
    m->degree = r->def.poly_degree;
    m->p = make_terms(d, m->degree, NULL);
    if (n > INT32_MAX / (m->p + 1) || m->p > 100000) {
        int p = m->p;
        linear_free(r);
        return dq_fail(err, DQ_EINVAL, "linear: %lld rows x %d features is too large",
                       (long long)n, p);
    }
    int p = m->p, nn = (int)n;
    m->terms = malloc((size_t)p * m->degree * sizeof *m->terms);
    m->coef = calloc((size_t)p, sizeof *m->coef);
    double *a = malloc((size_t)n * p * sizeof *a);          /* [p, n] column-major design */
    int ldb = nn > p ? nn : p;
    double *b = malloc((size_t)ldb * sizeof *b);             /* [max(n, p)] */
    double *xmean = calloc((size_t)p, sizeof *xmean);         /* [p] */
    double *sv = malloc((size_t)(nn < p ? nn : p) * sizeof *sv);
    double *row = malloc((size_t)p * sizeof *row);
    dq_status st = DQ_OK;
    double *work = NULL;
    int *iwork = NULL;
    if (!m->terms || !m->coef || !a || !b || !xmean || !sv || !row) {
        st = dq_fail(err, DQ_ENOMEM, "linear: out of memory");
        goto done;
    }
    make_terms(d, m->degree, m->terms);
    for (int64_t i = 0; i < n; i++) {
        expand(m, x + i * d, row);
        for (int j = 0; j < p; j++) a[(int64_t)j * n + i] = row[j];
    }
    double ymean = 0;
    if (r->def.fit_intercept) {
        for (int j = 0; j < p; j++) {
            double s = 0;
            for (int64_t i = 0; i < n; i++) s += a[(int64_t)j * n + i];
            xmean[j] = s / (double)n;
            for (int64_t i = 0; i < n; i++) a[(int64_t)j * n + i] -= xmean[j];
        }
        for (int64_t i = 0; i < n; i++) ymean += y[i];
        ymean /= (double)n;
    }
    for (int64_t i = 0; i < n; i++) b[i] = y[i] - ymean;
    int one = 1, rank = 0, info = 0, lwork = -1, iwq = 0;
    double rcond = DBL_EPSILON, wq = 0;
    dgelsd_(&nn, &p, &one, a, &nn, b, &ldb, sv, &rcond, &rank, &wq, &lwork, &iwq, &info);
    lwork = (int)wq + 1;
    int liwork = iwq > 1 ? iwq : 1;
    /* some LAPACK builds under-report liwork in the query; give the documented bound room */
    liwork += 3 * (nn < p ? nn : p) * 32 + 11 * (nn < p ? nn : p);
    work = malloc((size_t)lwork * sizeof *work);
    iwork = malloc((size_t)liwork * sizeof *iwork);
    if (!work || !iwork) {
        st = dq_fail(err, DQ_ENOMEM, "linear: out of memory for LAPACK workspace");
        goto done;
    }
    dgelsd_(&nn, &p, &one, a, &nn, b, &ldb, sv, &rcond, &rank, work, &lwork, iwork, &info);
    if (info != 0) {
        st = dq_fail(err, DQ_EINVAL, "linear: LAPACK dgelsd failed (info %d)", info);
        goto done;
    }
    memcpy(m->coef, b, (size_t)p * sizeof *b);
    m->intercept = ymean;
    for (int j = 0; j < p; j++) m->intercept -= xmean[j] * m->coef[j];
done:
    free(a);
    free(b);
    free(xmean);
    free(sv);
    free(row);
    free(work);
    free(iwork);
    if (st) linear_free(r);
    return st;
}

static dq_status linear_predict(const dq_regressor *r, const double *xq, int64_t mq, double *out,
                                dq_error *err) {
    const linear_model *m = r->impl;
    double *row = malloc((size_t)m->p * sizeof *row);
    if (!row) return dq_fail(err, DQ_ENOMEM, "linear: out of memory");
    for (int64_t i = 0; i < mq; i++) {
        expand(m, xq + i * m->d, row);
        double s = m->intercept;
        for (int j = 0; j < m->p; j++) s += row[j] * m->coef[j];
        out[i] = s;
    }
    free(row);
    return DQ_OK;
}

const dq_regressor_ops dq_linear_ops = {linear_fit, linear_predict, linear_free};
