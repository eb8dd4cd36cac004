/* video.c — MP4 through libavcodec/libavformat and animated GIF through giflib (see
 * deepq/video.h). The GIF palette is per frame: the 256 most frequent colours of the frame's
 * 5-bit-per-channel histogram (env frames are flat shapes, so this is near exact), each pixel
 * mapped to its nearest palette entry through a lazily filled 32768-entry lookup table. */
#include "deepq/video.h"

#include <gif_lib.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct dq_video {
    int w, h;    /* frame size given at open */
    int ew, eh;  /* encoded size (even for H.264) */
    int fps;
    int64_t n;   /* frames written */
    dq_status failed;
    char codec[32];
    /* FFmpeg */
    AVFormatContext *fmt;
    AVCodecContext *enc;
    AVStream *stream;
    AVFrame *frame;
    AVPacket *pkt;
    struct SwsContext *sws;
    bool header_written;
    /* GIF */
    GifFileType *gif;
    uint8_t *idx;      /* [h*w] palette indices */
    int16_t *lut;      /* [32768] 15-bit colour -> palette index, -1 = not computed */
    uint32_t *hist;    /* [32768] */
    double delay_acc;  /* centiseconds owed (GIF delays are whole centiseconds) */
    /* Atomic save: frames go to tmp (".NAME.tmp-XXXXXX" beside path), renamed at close. */
    char *path, *tmp;
};

/* Create the hidden temp file beside path with the mode a new file gets (0644, or the old
 * file's), so a killed recording never leaves a half-written video under the real name. */
static dq_status temp_beside(dq_video *v, const char *path, dq_error *err) {
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0, n = strlen(path) + 16;
    v->path = strdup(path);
    v->tmp = malloc(n);
    if (!v->path || !v->tmp) return dq_fail(err, DQ_ENOMEM, "out of memory");
    snprintf(v->tmp, n, "%.*s.%s.tmp-XXXXXX", (int)dlen, path, path + dlen);
    int fd = mkstemp(v->tmp);
    if (fd < 0) {
        free(v->tmp);
        v->tmp = NULL;
        return dq_fail(err, DQ_EIO, "video %s: cannot create a file there", path);
    }
    struct stat sb;
    if (fchmod(fd, stat(path, &sb) == 0 ? (sb.st_mode & 0777) : 0644) != 0) {
    } /* not fatal: the video is still written */
    close(fd);
    return DQ_OK;
}

/* Make the finished temp file durable and give it the real name. */
static dq_status temp_commit(dq_video *v, dq_error *err) {
    int fd = open(v->tmp, O_RDONLY);
    if (fd >= 0) {
        if (fsync(fd) != 0) {
        } /* best effort: the rename below is what matters for readers */
        close(fd);
    }
    if (rename(v->tmp, v->path) != 0)
        return dq_fail(err, DQ_EIO, "video %s: cannot rename the finished file into place", v->path);
    free(v->tmp);
    v->tmp = NULL;
    return DQ_OK;
}

static dq_status av_fail(dq_error *err, int code, const char *what, const char *path) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(code, buf, sizeof buf);
    return dq_fail(err, DQ_EIO, "video %s: %s: %s", path, what, buf);
}

/* ---- GIF -------------------------------------------------------------------------------- */

static dq_status gif_open(dq_video *v, const char *path, dq_error *err) {
    int e = 0;
    v->gif = EGifOpenFileName(path, false, &e);
    if (!v->gif) return dq_fail(err, DQ_EIO, "video %s: cannot create GIF: %s", path, GifErrorString(e));
    v->idx = malloc((size_t)v->w * v->h);
    v->lut = malloc(32768 * sizeof *v->lut);
    v->hist = malloc(32768 * sizeof *v->hist);
    if (!v->idx || !v->lut || !v->hist) return dq_fail(err, DQ_ENOMEM, "out of memory");
    EGifSetGifVersion(v->gif, true);
    if (EGifPutScreenDesc(v->gif, v->w, v->h, 8, 0, NULL) == GIF_ERROR)
        return dq_fail(err, DQ_EIO, "video %s: %s", path, GifErrorString(v->gif->Error));
    /* NETSCAPE2.0 extension: loop forever */
    static const unsigned char app[11] = "NETSCAPE2.0";
    static const unsigned char loop[3] = {1, 0, 0};
    if (EGifPutExtensionLeader(v->gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(v->gif, 11, app) == GIF_ERROR ||
        EGifPutExtensionBlock(v->gif, 3, loop) == GIF_ERROR ||
        EGifPutExtensionTrailer(v->gif) == GIF_ERROR)
        return dq_fail(err, DQ_EIO, "video %s: %s", path, GifErrorString(v->gif->Error));
    snprintf(v->codec, sizeof v->codec, "gif");
    return DQ_OK;
}

static int c15(const uint8_t *p) { return (p[0] >> 3) << 10 | (p[1] >> 3) << 5 | (p[2] >> 3); }

static dq_status gif_write(dq_video *v, const uint8_t *rgb, dq_error *err) {
    size_t np = (size_t)v->w * v->h;
    memset(v->hist, 0, 32768 * sizeof *v->hist);
    for (size_t i = 0; i < np; i++) v->hist[c15(rgb + 3 * i)]++;
    /* the 256 most frequent 15-bit colours (partial selection; colour maps hold 256) */
    GifColorType pal[256];
    int top[256], nt = 0;
    for (int c = 0; c < 32768; c++) {
        if (!v->hist[c]) continue;
        if (nt < 256) {
            int j = nt++;
            while (j > 0 && v->hist[top[j - 1]] < v->hist[c]) top[j] = top[j - 1], j--;
            top[j] = c;
        } else if (v->hist[c] > v->hist[top[255]]) {
            int j = 255;
            while (j > 0 && v->hist[top[j - 1]] < v->hist[c]) top[j] = top[j - 1], j--;
            top[j] = c;
        }
    }
    /* palette entries: mean of the real colours in each 15-bit cell would be nicer; the cell
     * centre is within 4 levels of every member */
    for (int i = 0; i < 256; i++) {
        int c = i < nt ? top[i] : 0;
        pal[i].Red = (GifByteType)(((c >> 10) & 31) << 3 | 4);
        pal[i].Green = (GifByteType)(((c >> 5) & 31) << 3 | 4);
        pal[i].Blue = (GifByteType)((c & 31) << 3 | 4);
    }
    for (int c = 0; c < 32768; c++) v->lut[c] = -1;
    for (size_t i = 0; i < np; i++) {
        int c = c15(rgb + 3 * i);
        if (v->lut[c] < 0) {
            int r = (c >> 10) & 31, g = (c >> 5) & 31, b = c & 31, best = 0;
            long bd = -1;
            for (int k = 0; k < (nt ? nt : 1); k++) {
                int q = top[k];
                long dr = r - ((q >> 10) & 31), dg = g - ((q >> 5) & 31), db = b - (q & 31);
                long d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
                if (bd < 0 || d < bd) bd = d, best = k;
            }
            v->lut[c] = (int16_t)best;
        }
        v->idx[i] = (uint8_t)v->lut[c];
    }
    /* frame delay in centiseconds, carrying the rounding so the average rate is fps */
    v->delay_acc += 100.0 / v->fps;
    int delay = (int)(v->delay_acc + 0.5);
    if (delay < 1) delay = 1;
    v->delay_acc -= delay;
    GraphicsControlBlock gcb = {.DisposalMode = DISPOSE_DO_NOT, .UserInputFlag = false,
                                .DelayTime = delay, .TransparentColor = NO_TRANSPARENT_COLOR};
    GifByteType ext[4];
    EGifGCBToExtension(&gcb, ext);
    ColorMapObject *cm = GifMakeMapObject(256, pal);
    if (!cm) return dq_fail(err, DQ_ENOMEM, "out of memory");
    int bad = EGifPutExtension(v->gif, GRAPHICS_EXT_FUNC_CODE, 4, ext) == GIF_ERROR ||
              EGifPutImageDesc(v->gif, 0, 0, v->w, v->h, false, cm) == GIF_ERROR;
    GifFreeMapObject(cm);
    for (int y = 0; y < v->h && !bad; y++)
        bad = EGifPutLine(v->gif, v->idx + (size_t)y * v->w, v->w) == GIF_ERROR;
    if (bad) return dq_fail(err, DQ_EIO, "video: GIF write failed: %s", GifErrorString(v->gif->Error));
    return DQ_OK;
}

/* ---- FFmpeg ----------------------------------------------------------------------------- */

/* The container is chosen from path's extension; the bytes go to file (the temp file). */
static dq_status ff_open(dq_video *v, const char *path, const char *file, dq_error *err) {
    int r = avformat_alloc_output_context2(&v->fmt, NULL, NULL, path);
    if (r < 0 || !v->fmt) return av_fail(err, r, "unknown container (use .mp4 or .gif)", path);
    const AVCodec *codec = NULL;
    if (v->fmt->oformat->video_codec == AV_CODEC_ID_H264 || !strcmp(v->fmt->oformat->name, "mp4") ||
        !strcmp(v->fmt->oformat->name, "matroska"))
        codec = avcodec_find_encoder_by_name("libx264");
    if (!codec) codec = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!codec) codec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    if (!codec) return dq_fail(err, DQ_EUNSUPPORTED, "video %s: no H.264 or MPEG-4 encoder in this FFmpeg", path);
    snprintf(v->codec, sizeof v->codec, "%s", codec->name);
    v->ew = v->w & ~1, v->eh = v->h & ~1;
    v->stream = avformat_new_stream(v->fmt, NULL);
    v->enc = avcodec_alloc_context3(codec);
    v->frame = av_frame_alloc();
    v->pkt = av_packet_alloc();
    if (!v->stream || !v->enc || !v->frame || !v->pkt) return dq_fail(err, DQ_ENOMEM, "out of memory");
    v->enc->width = v->ew, v->enc->height = v->eh;
    v->enc->time_base = (AVRational){1, v->fps};
    v->enc->framerate = (AVRational){v->fps, 1};
    v->enc->pix_fmt = AV_PIX_FMT_YUV420P;
    v->enc->gop_size = 2 * v->fps;
    if (!strcmp(codec->name, "libx264")) {
        av_opt_set(v->enc->priv_data, "preset", "medium", 0);
        av_opt_set(v->enc->priv_data, "crf", "20", 0);
    } else {
        v->enc->bit_rate = 2000000;
        v->enc->max_b_frames = 0;
    }
    if (v->fmt->oformat->flags & AVFMT_GLOBALHEADER) v->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if ((r = avcodec_open2(v->enc, codec, NULL)) < 0) return av_fail(err, r, "cannot open encoder", path);
    if ((r = avcodec_parameters_from_context(v->stream->codecpar, v->enc)) < 0)
        return av_fail(err, r, "codec parameters", path);
    v->stream->time_base = v->enc->time_base;
    v->stream->avg_frame_rate = v->enc->framerate;
    v->frame->format = AV_PIX_FMT_YUV420P, v->frame->width = v->ew, v->frame->height = v->eh;
    if ((r = av_frame_get_buffer(v->frame, 0)) < 0) return av_fail(err, r, "frame buffer", path);
    v->sws = sws_getContext(v->ew, v->eh, AV_PIX_FMT_RGB24, v->ew, v->eh, AV_PIX_FMT_YUV420P,
                            SWS_BICUBIC, NULL, NULL, NULL);
    if (!v->sws) return dq_fail(err, DQ_ENOMEM, "video %s: no RGB->YUV converter", path);
    if (!(v->fmt->oformat->flags & AVFMT_NOFILE) &&
        (r = avio_open(&v->fmt->pb, file, AVIO_FLAG_WRITE)) < 0)
        return av_fail(err, r, "cannot create file", path);
    if ((r = avformat_write_header(v->fmt, NULL)) < 0) return av_fail(err, r, "header", path);
    v->header_written = true;
    return DQ_OK;
}

/* Move every packet the encoder has ready into the file. */
static dq_status ff_drain(dq_video *v, dq_error *err) {
    for (;;) {
        int r = avcodec_receive_packet(v->enc, v->pkt);
        if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return DQ_OK;
        if (r < 0) return av_fail(err, r, "encode", v->fmt->url);
        av_packet_rescale_ts(v->pkt, v->enc->time_base, v->stream->time_base);
        v->pkt->stream_index = v->stream->index;
        r = av_interleaved_write_frame(v->fmt, v->pkt);
        if (r < 0) return av_fail(err, r, "write", v->fmt->url);
    }
}

static dq_status ff_write(dq_video *v, const uint8_t *rgb, dq_error *err) {
    int r = av_frame_make_writable(v->frame);
    if (r < 0) return av_fail(err, r, "frame", v->fmt->url);
    const uint8_t *src[1] = {rgb};
    int stride[1] = {3 * v->w};
    sws_scale(v->sws, src, stride, 0, v->eh, v->frame->data, v->frame->linesize);
    v->frame->pts = v->n;
    if ((r = avcodec_send_frame(v->enc, v->frame)) < 0) return av_fail(err, r, "encode", v->fmt->url);
    return ff_drain(v, err);
}

/* ---- public ----------------------------------------------------------------------------- */

static void video_free(dq_video *v) {
    if (v->gif) EGifCloseFile(v->gif, NULL);
    if (v->tmp) unlink(v->tmp); /* not committed: the real name keeps its old file, if any */
    free(v->tmp), free(v->path);
    free(v->idx), free(v->lut), free(v->hist);
    sws_freeContext(v->sws);
    av_packet_free(&v->pkt);
    av_frame_free(&v->frame);
    avcodec_free_context(&v->enc);
    if (v->fmt) {
        if (!(v->fmt->oformat->flags & AVFMT_NOFILE) && v->fmt->pb) avio_closep(&v->fmt->pb);
        avformat_free_context(v->fmt);
    }
    free(v);
}

dq_status dq_video_open(dq_video **out, const char *path, int width, int height, int fps,
                        dq_error *err) {
    *out = NULL;
    if (!path || !*path) return dq_fail(err, DQ_EINVAL, "video: empty file name");
    if (width < 2 || height < 2 || width > 8192 || height > 8192)
        return dq_fail(err, DQ_EINVAL, "video %s: bad frame size %dx%d", path, width, height);
    if (fps < 1 || fps > 1000) return dq_fail(err, DQ_EINVAL, "video %s: bad fps %d", path, fps);
    dq_video *v = calloc(1, sizeof *v);
    if (!v) return dq_fail(err, DQ_ENOMEM, "out of memory");
    v->w = width, v->h = height, v->fps = fps;
    const char *dot = strrchr(path, '.');
    dq_status st;
    st = temp_beside(v, path, err);
    if (st == DQ_OK && dot && !strcasecmp(dot, ".gif")) {
        st = gif_open(v, v->tmp, err);
    } else if (st == DQ_OK) {
        av_log_set_level(AV_LOG_ERROR);
        st = ff_open(v, path, v->tmp, err);
    }
    if (st != DQ_OK) {
        video_free(v);
        return st;
    }
    *out = v;
    return DQ_OK;
}

dq_status dq_video_write(dq_video *v, const uint8_t *rgb, dq_error *err) {
    if (v->failed) return dq_fail(err, v->failed, "video: an earlier write failed");
    dq_status st = v->gif ? gif_write(v, rgb, err) : ff_write(v, rgb, err);
    if (st != DQ_OK) v->failed = st;
    else v->n++;
    return st;
}

dq_status dq_video_close(dq_video *v, dq_error *err) {
    if (!v) return DQ_OK;
    dq_status st = DQ_OK;
    if (v->gif) {
        int e = 0;
        if (EGifCloseFile(v->gif, &e) == GIF_ERROR)
            st = dq_fail(err, DQ_EIO, "video: closing GIF: %s", GifErrorString(e));
        v->gif = NULL;
    } else if (v->header_written) {
        int r = avcodec_send_frame(v->enc, NULL); /* flush */
        if (r < 0) st = av_fail(err, r, "flush", v->fmt->url);
        if (st == DQ_OK) st = ff_drain(v, err);
        r = av_write_trailer(v->fmt);
        if (r < 0 && st == DQ_OK) st = av_fail(err, r, "trailer", v->fmt->url);
    }
    if (st == DQ_OK && v->failed) st = dq_fail(err, v->failed, "video: a frame write failed");
    if (v->fmt && !(v->fmt->oformat->flags & AVFMT_NOFILE) && v->fmt->pb)
        avio_closep(&v->fmt->pb); /* all bytes in the file before it is renamed */
    if (st == DQ_OK) st = temp_commit(v, err);
    video_free(v);
    return st;
}

const char *dq_video_codec(const dq_video *v) { return v->codec; }
int64_t dq_video_frames(const dq_video *v) { return v->n; }
