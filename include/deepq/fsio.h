/* deepq/fsio.h — file-system helpers every saver uses: atomic replace of a file, read of a
 * whole file, and mkdir -p.
 *
 * Atomic writes go to a temp file in the destination's directory, are flushed and fsync'ed,
 * then renamed over the destination, and the directory is fsync'ed. On any failure the temp
 * file is removed and the previous file (if any) is left untouched, so a crash never leaves
 * a half-written checkpoint. */
#ifndef DEEPQ_FSIO_H
#define DEEPQ_FSIO_H

#include <stdio.h>

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An atomic file being written (opaque). */
typedef struct dq_atomic_file dq_atomic_file;

/* Start writing path atomically: creates the temp file; *out owns it until commit/abort. */
DQ_API dq_status dq_atomic_open(dq_atomic_file **out, const char *path, dq_error *err);

/* The stdio stream to write into (owned by f; do not fclose it). */
DQ_API FILE *dq_atomic_stream(dq_atomic_file *f);

/* Flush, fsync, rename over the destination, fsync the directory, and free f (also on
 * failure, which removes the temp file and leaves the old destination as it was). */
DQ_API dq_status dq_atomic_commit(dq_atomic_file *f, dq_error *err);

/* Give up: remove the temp file and free f. NULL-safe. */
DQ_API void dq_atomic_abort(dq_atomic_file *f);

/* Write len bytes to path atomically (open + fwrite + commit). */
DQ_API dq_status dq_write_file_atomic(const char *path, const void *data, size_t len, dq_error *err);

/* Read a whole file into a new buffer; *data (caller frees with free()) gets one extra NUL
 * byte after the len bytes, so text files can be used as C strings. */
DQ_API dq_status dq_read_file(const char *path, void **data, size_t *len, dq_error *err);

/* Create a directory and its missing parents (like mkdir -p); an existing directory is OK. */
DQ_API dq_status dq_mkdir_p(const char *path, dq_error *err);

/* Remove the temp files (".NAME.tmp-XXXXXX") a killed writer left in dir and in its direct
 * subfolders; *removed (may be NULL) gets their count. Call when (re)opening a folder that only
 * this process writes. A missing dir is not an error. */
DQ_API dq_status dq_remove_stale_temps(const char *dir, int *removed, dq_error *err);

/* 1 if dir is missing or empty, 0 if it holds something, -1 (err set) if it is not a readable
 * directory. */
DQ_API int dq_dir_is_empty(const char *dir, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
