/* state_check.c — per-tensor checks of training state files (see state_check.h). */
#include "rl/state_check.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "deepq/rng.h"

static const char *rule_text(state_rule r) {
    switch (r) {
    case RULE_FINITE: return "not finite";
    case RULE_UNIT: return "outside [0, 1]";
    case RULE_NONNEG: return "negative or not finite";
    case RULE_POSITIVE: return "not a finite positive number";
    case RULE_BOOL: return "not 0 or 1";
    default: return "out of range";
    }
}

static double elem_f(const dq_ndarray *t, int64_t i) {
    return t->dtype == DQ_F64 ? ((const double *)t->data)[i] : (double)((const float *)t->data)[i];
}

static int64_t elem_i(const dq_ndarray *t, int64_t i) {
    switch (t->dtype) {
    case DQ_I64: return ((const int64_t *)t->data)[i];
    case DQ_I32: return ((const int32_t *)t->data)[i];
    default: return ((const uint8_t *)t->data)[i];
    }
}

static bool float_ok(double v, state_rule r) {
    switch (r) {
    case RULE_UNIT: return v >= 0.0 && v <= 1.0;
    case RULE_NONNEG: return v >= 0.0 && isfinite(v);
    case RULE_POSITIVE: return v > 0.0 && isfinite(v);
    default: return isfinite(v);
    }
}

dq_status state_check_tensor(const dq_safetensors *f, const char *path, const char *name,
                             dq_dtype dt, int ndim, const int64_t *shape, int64_t from,
                             int64_t to, state_rule rule, int64_t lo, int64_t hi,
                             const dq_ndarray **out, dq_error *err) {
    const dq_ndarray *t;
    dq_status st = dq_safetensors_get(f, name, dt, ndim, shape, &t, err);
    if (st) return st;
    if (out) *out = t;
    const bool is_float = dt == DQ_F32 || dt == DQ_F64;
    for (int64_t i = from; i < to; i++) {
        if (is_float) {
            const double v = elem_f(t, i);
            if (!float_ok(v, rule))
                return dq_fail(err, DQ_EFORMAT,
                               "%s: tensor '%s' element %" PRId64 " is %g, %s (corrupted state "
                               "file)", path, name, i, v, rule_text(rule));
        } else {
            const int64_t v = elem_i(t, i);
            const bool ok = rule == RULE_BOOL ? (v == 0 || v == 1) : (v >= lo && v < hi);
            if (!ok)
                return dq_fail(err, DQ_EFORMAT,
                               "%s: tensor '%s' element %" PRId64 " is %" PRId64 ", %s "
                               "[%" PRId64 ", %" PRId64 ") (corrupted state file)", path, name,
                               i, v, rule == RULE_BOOL ? "not in" : "outside",
                               rule == RULE_BOOL ? 0 : lo, rule == RULE_BOOL ? 2 : hi);
        }
    }
    return DQ_OK;
}

/* One dq_rng packed as 6 int64 words (s[0..4), spare as bits, has_spare): a xoshiro state of
 * all zeros never leaves zero, the spare normal must be finite, has_spare 0 or 1. */
dq_status state_check_rng(const char *path, const char *name, int which, const int64_t *w,
                          dq_error *err) {
    double spare;
    memcpy(&spare, &w[4], sizeof spare);
    if (!(w[0] | w[1] | w[2] | w[3]) || !isfinite(spare) || (w[5] != 0 && w[5] != 1))
        return dq_fail(err, DQ_EFORMAT,
                       "%s: tensor '%s' row %d is not a valid random generator state (corrupted "
                       "state file)", path, name, which);
    return DQ_OK;
}

