/* deepq/safetensors.h — read and write the safetensors format (Hugging Face), the format of
 * deepq checkpoints.
 *
 * Layout: 8-byte little-endian header length N, N bytes of JSON
 *   {"__metadata__": {"k": "v", ...}, "name": {"dtype": "F32", "shape": [64, 4],
 *    "data_offsets": [begin, end]}, ...}
 * padded with spaces to a multiple of 8, then the data buffer; offsets are relative to the
 * buffer and the tensors must tile it exactly. Supported dtypes: F32 F64 I64 I32 U8 BOOL.
 *
 * Usage:
 *   dq_safetensors_writer *w; dq_safetensors_writer_create(&w, &err);
 *   dq_safetensors_writer_add(w, "q.0.weight", DQ_F32, 2, (int64_t[]){64, 4}, W, &err);
 *   dq_safetensors_writer_add_meta(w, "env", "CartPole-v1", &err);
 *   dq_safetensors_writer_save(w, "ckpt.safetensors", &err);   (atomic)
 *   dq_safetensors_writer_destroy(w);
 *
 *   dq_safetensors *f; dq_safetensors_load(&f, "ckpt.safetensors", &err);
 *   dq_safetensors_read(f, "q.0.weight", DQ_F32, 2, (int64_t[]){64, 4}, W, &err);
 *   const char *env = dq_safetensors_meta(f, "env");
 *   dq_safetensors_free(f);
 * Every load error is one line naming the file and what is wrong. */
#ifndef DEEPQ_SAFETENSORS_H
#define DEEPQ_SAFETENSORS_H

#include "deepq/common.h"
#include "deepq/ndarray.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- writer ---- */

typedef struct dq_safetensors_writer dq_safetensors_writer;

/* New empty writer; *out is owned by the caller (dq_safetensors_writer_destroy). */
DQ_API dq_status dq_safetensors_writer_create(dq_safetensors_writer **out, dq_error *err);

/* Free a writer and the copies it holds. NULL-safe. */
DQ_API void dq_safetensors_writer_destroy(dq_safetensors_writer *w);

/* Add a tensor: copies name and the numel*size bytes of data (C order). Names must be unique,
 * non-empty and not "__metadata__". Tensors are laid out in the order added. */
DQ_API dq_status dq_safetensors_writer_add(dq_safetensors_writer *w, const char *name, dq_dtype dtype,
                                    int ndim, const int64_t *shape, const void *data,
                                    dq_error *err);

/* Set a __metadata__ entry (string to string; copies both; a repeated key replaces). */
DQ_API dq_status dq_safetensors_writer_add_meta(dq_safetensors_writer *w, const char *key,
                                         const char *value, dq_error *err);

/* Serialize to a new buffer (*bytes: caller frees with free()). */
DQ_API dq_status dq_safetensors_writer_serialize(const dq_safetensors_writer *w, void **bytes,
                                          size_t *len, dq_error *err);

/* Write the file atomically (temp file, fsync, rename); the old file survives any failure. */
DQ_API dq_status dq_safetensors_writer_save(const dq_safetensors_writer *w, const char *path,
                                     dq_error *err);

/* ---- reader ---- */

typedef struct dq_safetensors dq_safetensors;

/* Load and validate a whole file; *out owned by the caller (dq_safetensors_free). */
DQ_API dq_status dq_safetensors_load(dq_safetensors **out, const char *path, dq_error *err);

/* Same from bytes in memory (copied); label names the source in error messages. */
DQ_API dq_status dq_safetensors_parse(dq_safetensors **out, const void *bytes, size_t len,
                               const char *label, dq_error *err);

/* Free a loaded file and every array view into it. NULL-safe. */
DQ_API void dq_safetensors_free(dq_safetensors *f);

/* Number of tensors, and the i-th in file (offset) order; views owned by f, data aligned. */
DQ_API int dq_safetensors_count(const dq_safetensors *f);
DQ_API const dq_ndarray *dq_safetensors_at(const dq_safetensors *f, int i);

/* The tensor of that name, or NULL. */
DQ_API const dq_ndarray *dq_safetensors_find(const dq_safetensors *f, const char *name);

/* The tensor of that name checked against dtype and shape (-1 entries match any size;
 * ndim < 0 skips the shape check); DQ_ENOTFOUND / DQ_EFORMAT with a one-line message. */
DQ_API dq_status dq_safetensors_get(const dq_safetensors *f, const char *name, dq_dtype dtype,
                             int ndim, const int64_t *shape, const dq_ndarray **out,
                             dq_error *err);

/* dq_safetensors_get, then copy its bytes into dst (caller's buffer of the tensor's size). */
DQ_API dq_status dq_safetensors_read(const dq_safetensors *f, const char *name, dq_dtype dtype,
                              int ndim, const int64_t *shape, void *dst, dq_error *err);

/* Metadata value for key, or NULL (owned by f). */
DQ_API const char *dq_safetensors_meta(const dq_safetensors *f, const char *key);

/* Number of metadata entries and the i-th (key, value), owned by f, in file order. */
DQ_API int dq_safetensors_meta_count(const dq_safetensors *f);
DQ_API void dq_safetensors_meta_at(const dq_safetensors *f, int i, const char **key, const char **value);

#ifdef __cplusplus
}
#endif
#endif
