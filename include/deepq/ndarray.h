/* deepq/ndarray.h — a named n-dimensional array view shared by the file formats
 * (safetensors, .npy/.npz), plus dtype helpers and the shape check every loader uses.
 *
 * A dq_ndarray never owns anything by itself: the container that returned it (a loaded
 * safetensors file, a loaded .npz archive) owns name and data, except for dq_npy_load whose
 * result the caller releases with dq_ndarray_release. Data is C order, little-endian, and
 * aligned for its dtype. */
#ifndef DEEPQ_NDARRAY_H
#define DEEPQ_NDARRAY_H

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DQ_NDARRAY_MAX_DIMS 8

typedef struct dq_ndarray {
    char *name;                          /* tensor / array name; NUL-terminated */
    dq_dtype dtype;
    int ndim;                            /* 0 = scalar */
    int64_t shape[DQ_NDARRAY_MAX_DIMS];  /* shape[0..ndim) */
    void *data;                          /* [numel] elements of dtype, C order */
    size_t nbytes;                       /* numel * dq_dtype_size(dtype) */
} dq_ndarray;

/* Bytes per element of a dtype (0 for an invalid value). */
DQ_API size_t dq_dtype_size(dq_dtype t);

/* Short lower-case name of a dtype ("f32", "f64", "i64", "i32", "u8", "bool"). */
DQ_API const char *dq_dtype_name(dq_dtype t);

/* Number of elements of a shape (1 for ndim 0); -1 if a dim is negative or the product
 * overflows int64. */
DQ_API int64_t dq_shape_numel(int ndim, const int64_t *shape);

/* Write "[64,4]" into buf (always NUL-terminated; truncated with "..." if too small). */
DQ_API void dq_shape_format(char *buf, size_t cap, int ndim, const int64_t *shape);

/* Check a against an expected dtype and shape; shape entries of -1 match any size, and
 * shape == NULL (with ndim < 0) skips the shape check. what names the object in the error,
 * e.g. "tensor" or "array", and src the file (may be NULL). Fails with DQ_EFORMAT and
 * "tensor 'q.0.weight' has shape [64,4], expected [64,8] (in ckpt.safetensors)". */
DQ_API dq_status dq_ndarray_expect(const dq_ndarray *a, const char *what, const char *src,
                            dq_dtype dtype, int ndim, const int64_t *shape, dq_error *err);

/* Free the name and data of an array the caller owns (from dq_npy_load) and zero it;
 * NULL-safe. */
DQ_API void dq_ndarray_release(dq_ndarray *a);

#ifdef __cplusplus
}
#endif
#endif
