/* deepq/video.h — write RGB frames to a video file: MP4 (H.264 through FFmpeg's libavcodec and
 * libavformat; MPEG-4 part 2 when no H.264 encoder is available) or an animated GIF (giflib).
 *
 * The container is chosen by the file name's extension: ".gif" writes a looping GIF with a
 * colour table per frame (popularity palette of the frame's colours); anything else (".mp4",
 * ".mkv", ".avi") goes through libavformat. Frames are 8-bit RGB, [height, width, 3], row-major,
 * all of the size given at open. Use the env's render fps (dq_env_type.render_fps), as
 * Gymnasium's RecordVideo does.
 *
 *   dq_video *v;
 *   dq_video_open(&v, "run.mp4", 600, 400, 50, &err);
 *   for (...) dq_video_write(v, rgb, &err);
 *   dq_video_close(v, &err);   // finishes the file; frees v even on error
 *
 * Opening an MP4 lowers FFmpeg's process-wide log level to errors-only so that libx264 does not
 * print its statistics (the library never prints). */
#ifndef DEEPQ_VIDEO_H
#define DEEPQ_VIDEO_H

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_video dq_video;

/* Create the file and an encoder for width x height frames at fps frames per second.
 * H.264 needs even sizes: an odd width or height loses its last column/row. *out owned by
 * the caller (dq_video_close). */
DQ_API dq_status dq_video_open(dq_video **out, const char *path, int width, int height, int fps,
                        dq_error *err);
/* Append one frame rgb[height, width, 3] (copied; the caller keeps it). */
DQ_API dq_status dq_video_write(dq_video *v, const uint8_t *rgb, dq_error *err);
/* Flush the encoder, write the trailer and free v (NULL-safe). Returns the first error seen. */
DQ_API dq_status dq_video_close(dq_video *v, dq_error *err);
/* Encoder in use ("libx264", "mpeg4", "gif"). */
DQ_API const char *dq_video_codec(const dq_video *v);
/* Frames written so far. */
DQ_API int64_t dq_video_frames(const dq_video *v);

/* Gymnasium RecordVideo's default episode trigger (capped_cubic_video_schedule): true for
 * episodes 0, 1, 8, 27, ..., k^3 below 1000, then every 1000th (1000, 2000, ...). */
DQ_API bool dq_video_capped_cubic(int64_t episode_id);

#ifdef __cplusplus
}
#endif
#endif
