/* ndarray.c — dtype sizes and names, shape arithmetic and the expected-shape check shared by
 * the safetensors and .npy/.npz loaders. */
#include "deepq/ndarray.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t dq_dtype_size(dq_dtype t) {
    switch (t) {
    case DQ_F32: return 4;
    case DQ_F64: return 8;
    case DQ_I64: return 8;
    case DQ_I32: return 4;
    case DQ_U8: return 1;
    case DQ_BOOL: return 1;
    }
    return 0;
}

const char *dq_dtype_name(dq_dtype t) {
    switch (t) {
    case DQ_F32: return "f32";
    case DQ_F64: return "f64";
    case DQ_I64: return "i64";
    case DQ_I32: return "i32";
    case DQ_U8: return "u8";
    case DQ_BOOL: return "bool";
    }
    return "?";
}

int64_t dq_shape_numel(int ndim, const int64_t *shape) {
    int64_t n = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0) return -1;
        if (shape[i] != 0 && n > INT64_MAX / shape[i]) return -1;
        n *= shape[i];
    }
    return n;
}

void dq_shape_format(char *buf, size_t cap, int ndim, const int64_t *shape) {
    if (cap == 0) return;
    size_t len = 0;
    buf[0] = '\0';
    int n = snprintf(buf, cap, "[");
    len = n > 0 ? (size_t)n : 0;
    for (int i = 0; i < ndim && len < cap; i++) {
        n = snprintf(buf + len, cap - len, "%s%lld", i ? "," : "", (long long)shape[i]);
        if (n < 0) break;
        len += (size_t)n;
    }
    if (len < cap) {
        snprintf(buf + len, cap - len, "]");
    } else if (cap >= 4) {
        memcpy(buf + cap - 4, "...", 4);
    }
}

dq_status dq_ndarray_expect(const dq_ndarray *a, const char *what, const char *src,
                            dq_dtype dtype, int ndim, const int64_t *shape, dq_error *err) {
    char in[300] = "";
    if (src) snprintf(in, sizeof in, " (in %s)", src);
    if (a->dtype != dtype)
        return dq_fail(err, DQ_EFORMAT, "%s '%s' has dtype %s, expected %s%s", what, a->name,
                       dq_dtype_name(a->dtype), dq_dtype_name(dtype), in);
    if (ndim < 0 || !shape) return DQ_OK;
    bool ok = a->ndim == ndim;
    for (int i = 0; ok && i < ndim; i++) ok = shape[i] < 0 || shape[i] == a->shape[i];
    if (ok) return DQ_OK;
    char got[128], want[128];
    dq_shape_format(got, sizeof got, a->ndim, a->shape);
    dq_shape_format(want, sizeof want, ndim, shape);
    /* -1 (any size) prints as "-1"; say so in words for the reader. */
    return dq_fail(err, DQ_EFORMAT, "%s '%s' has shape %s, expected %s%s%s", what, a->name, got,
                   want, strstr(want, "-1") ? " (-1 = any)" : "", in);
}

void dq_ndarray_release(dq_ndarray *a) {
    if (!a) return;
    free(a->name);
    free(a->data);
    memset(a, 0, sizeof *a);
}
