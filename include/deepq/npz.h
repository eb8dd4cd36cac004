/* deepq/npz.h — NumPy's .npy (one array) and .npz (a zip of .npy files) formats: offline
 * datasets, Q tables, replay buffers.
 *
 * .npy: format 1.0 (2.0/3.0 for huge headers), C order, little-endian dtypes <f4 <f8 <i8 <i4
 * |u1 |b1; the bytes deepq writes are the bytes np.save writes for the same array. Files with
 * fortran_order True or big-endian dtypes are refused with a message saying how to convert.
 * .npz: written through libzip (stored or deflated, like np.savez / np.savez_compressed),
 * atomically; archives written by numpy load as they are.
 *
 * Usage:
 *   dq_npz_writer *w; dq_npz_writer_create(&w, &err);
 *   dq_npz_writer_add(w, "observations", DQ_F32, 2, (int64_t[]){n, 4}, obs, &err);
 *   dq_npz_writer_save(w, "data.npz", true, &err);  dq_npz_writer_destroy(w);
 *
 *   dq_npz *z; dq_npz_load(&z, "data.npz", &err);
 *   const dq_ndarray *obs;
 *   dq_npz_get(z, "observations", DQ_F32, 2, (int64_t[]){-1, 4}, &obs, &err);
 *   ... dq_npz_free(z); */
#ifndef DEEPQ_NPZ_H
#define DEEPQ_NPZ_H

#include "deepq/common.h"
#include "deepq/ndarray.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- .npy ---- */

/* Encode one array as .npy bytes (*bytes: caller frees with free()). */
DQ_API dq_status dq_npy_serialize(dq_dtype dtype, int ndim, const int64_t *shape, const void *data,
                           void **bytes, size_t *len, dq_error *err);

/* Write one array as a .npy file, atomically. */
DQ_API dq_status dq_npy_save(const char *path, dq_dtype dtype, int ndim, const int64_t *shape,
                      const void *data, dq_error *err);

/* Decode .npy bytes into *out (name and data owned by the caller: dq_ndarray_release);
 * label names the source in errors. */
DQ_API dq_status dq_npy_parse(const void *bytes, size_t len, const char *label, dq_ndarray *out,
                       dq_error *err);

/* Read a .npy file into *out (caller releases with dq_ndarray_release); name = the path. */
DQ_API dq_status dq_npy_load(const char *path, dq_ndarray *out, dq_error *err);

/* ---- .npz writer ---- */

typedef struct dq_npz_writer dq_npz_writer;

/* New empty writer; owned by the caller (dq_npz_writer_destroy). */
DQ_API dq_status dq_npz_writer_create(dq_npz_writer **out, dq_error *err);

/* Free a writer and its copies. NULL-safe. */
DQ_API void dq_npz_writer_destroy(dq_npz_writer *w);

/* Add an array (copied now, as its .npy encoding); the entry is "<name>.npy", so
 * numpy.load(path)[name] finds it. Names must be unique. */
DQ_API dq_status dq_npz_writer_add(dq_npz_writer *w, const char *name, dq_dtype dtype, int ndim,
                            const int64_t *shape, const void *data, dq_error *err);

/* Encode the archive in memory (*bytes: caller frees with free()); compress = deflate. */
DQ_API dq_status dq_npz_writer_serialize(const dq_npz_writer *w, bool compress, void **bytes,
                                  size_t *len, dq_error *err);

/* Write the archive atomically (temp, fsync, rename). Entry times are fixed (1980-01-01, as
 * numpy's), so the same arrays give the same bytes. */
DQ_API dq_status dq_npz_writer_save(const dq_npz_writer *w, const char *path, bool compress,
                             dq_error *err);

/* ---- .npz reader ---- */

typedef struct dq_npz dq_npz;

/* Load every .npy entry of an archive; *out owned by the caller (dq_npz_free). */
DQ_API dq_status dq_npz_load(dq_npz **out, const char *path, dq_error *err);

/* Same from bytes in memory (not kept after the call); label names the source in errors. */
DQ_API dq_status dq_npz_parse(dq_npz **out, const void *bytes, size_t len, const char *label,
                       dq_error *err);

/* Free an archive and all its arrays. NULL-safe. */
DQ_API void dq_npz_free(dq_npz *z);

/* Number of arrays and the i-th in archive order (views owned by z; names without ".npy"). */
DQ_API int dq_npz_count(const dq_npz *z);
DQ_API const dq_ndarray *dq_npz_at(const dq_npz *z, int i);

/* The array of that name, or NULL. */
DQ_API const dq_ndarray *dq_npz_find(const dq_npz *z, const char *name);

/* The array of that name checked against dtype and shape (-1 entries match any size;
 * ndim < 0 skips the shape check); DQ_ENOTFOUND / DQ_EFORMAT with a one-line message. */
DQ_API dq_status dq_npz_get(const dq_npz *z, const char *name, dq_dtype dtype, int ndim,
                     const int64_t *shape, const dq_ndarray **out, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
