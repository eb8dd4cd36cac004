/* deepq/tb.h — TensorBoard event files: a scalar writer for run folders and a reader that
 * parses them back (used by deepq's own tests and tools).
 *
 * File: <logdir>/events.out.tfevents.<unix time>.<hostname>, a sequence of TFRecords
 * (uint64 length, masked CRC32C of the length, Event bytes, masked CRC32C of the bytes). The
 * first Event carries file_version "brain.Event:2"; each scalar is an Event with wall_time,
 * step and a Summary holding one Value{tag, simple_value}. The Event protobuf is encoded by
 * hand (no protobuf dependency). Every record is flushed when written, so TensorBoard sees
 * progress live and a crash loses nothing already logged. */
#ifndef DEEPQ_TB_H
#define DEEPQ_TB_H

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_tb_writer dq_tb_writer;

/* Create logdir (mkdir -p) and a new event file in it (a ".N" suffix is added if the name is
 * taken); writes the file_version record. *out owned by the caller (dq_tb_writer_destroy). */
DQ_API dq_status dq_tb_writer_create(dq_tb_writer **out, const char *logdir, dq_error *err);

/* Path of the event file (owned by w). */
DQ_API const char *dq_tb_writer_path(const dq_tb_writer *w);

/* Append one scalar (stored as float32, as TensorBoard does) at step; wall_time in Unix
 * seconds, or < 0 for now. */
DQ_API dq_status dq_tb_writer_scalar(dq_tb_writer *w, const char *tag, double value, int64_t step,
                              double wall_time, dq_error *err);

/* Close the file and free w. NULL-safe. */
DQ_API void dq_tb_writer_destroy(dq_tb_writer *w);

/* One scalar read back from an event file. */
typedef struct dq_tb_scalar {
    double wall_time;
    int64_t step;
    float value;
    char tag[128]; /* longer tags are cut */
} dq_tb_scalar;

/* Read every scalar of an event file in order, verifying each record's CRCs and that the
 * first record is a "brain.Event:" file_version. *out: caller frees with free(). */
DQ_API dq_status dq_tb_read_scalars(const char *path, dq_tb_scalar **out, size_t *n, dq_error *err);

/* CRC32C (Castagnoli), the checksum of TFRecord framing. */
DQ_API uint32_t dq_crc32c(const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
