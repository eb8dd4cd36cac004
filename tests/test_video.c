/* test_video.c — dq_video writes MP4 (read back with libavformat: size, frame count, codec)
 * and GIF (read back with giflib: size, frame count, colours close to the source), and rejects
 * bad arguments. */
#include <gif_lib.h>
#include <libavformat/avformat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

#include "deepq/video.h"
#include "test.h"

enum { W = 160, H = 96, N = 37 };

/* Frame i: white background, a red square moving right, a blue bar. */
static void frame(uint8_t *rgb, int i) {
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint8_t *p = rgb + 3 * (y * W + x);
            p[0] = p[1] = p[2] = 255;
            if (x >= 2 * i && x < 2 * i + 20 && y >= 30 && y < 50) p[0] = 220, p[1] = 30, p[2] = 30;
            if (y >= 80) p[0] = 20, p[1] = 60, p[2] = 200;
        }
}

static void write_video(const char *path, int w, int h, const char **codec) {
    dq_error err = {0};
    dq_video *v = NULL;
    uint8_t *rgb = malloc(W * H * 3);
    CHECK_OK(dq_video_open(&v, path, w, h, 30, &err));
    if (!v) {
        fprintf(stderr, "%s\n", err.msg);
        free(rgb);
        return;
    }
    for (int i = 0; i < N; i++) {
        frame(rgb, i);
        CHECK_OK(dq_video_write(v, rgb, &err));
    }
    CHECK(dq_video_frames(v) == N);
    static char name[32];
    snprintf(name, sizeof name, "%s", dq_video_codec(v));
    *codec = name;
    CHECK_OK(dq_video_close(v, &err));
    free(rgb);
}

int main(void) {
    const char *codec = NULL;
    write_video("video_test.mp4", W, H, &codec);
    CHECK(codec && (!strcmp(codec, "libx264") || !strcmp(codec, "mpeg4") || strstr(codec, "264")));

    AVFormatContext *fc = NULL;
    CHECK(avformat_open_input(&fc, "video_test.mp4", NULL, NULL) == 0);
    if (fc) {
        CHECK(avformat_find_stream_info(fc, NULL) >= 0);
        int vs = av_find_best_stream(fc, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
        CHECK(vs >= 0);
        if (vs >= 0) {
            AVCodecParameters *cp = fc->streams[vs]->codecpar;
            CHECK(cp->width == W && cp->height == H);
            AVRational fr = fc->streams[vs]->avg_frame_rate;
            CHECK_MSG(fr.den > 0 && fr.num == 30 * fr.den, "frame rate %d/%d", fr.num, fr.den);
            AVPacket *pkt = av_packet_alloc();
            int packets = 0;
            while (av_read_frame(fc, pkt) >= 0) {
                if (pkt->stream_index == vs) packets++;
                av_packet_unref(pkt);
            }
            av_packet_free(&pkt);
            CHECK_MSG(packets == N, "%d packets", packets);
        }
        avformat_close_input(&fc);
    }

    /* odd size: H.264 encodes the even part */
    remove("video_odd.mp4"); /* a new file's mode is checked below, not an old build's file */
    remove("video_test.gif");
    write_video("video_odd.mp4", W - 1, H - 1, &codec);

    write_video("video_test.gif", W, H, &codec);
    CHECK(!strcmp(codec, "gif"));
    /* saved atomically (no temp file left) with a normal file mode, not mkstemp's 0600 */
    struct stat sb;
    CHECK(stat("video_test.gif", &sb) == 0 && (sb.st_mode & 0777) == 0644);
    CHECK(stat("video_odd.mp4", &sb) == 0 && (sb.st_mode & 0777) == 0644);
    DIR *dir = opendir(".");
    int temps = 0;
    for (struct dirent *de; dir && (de = readdir(dir));) temps += strstr(de->d_name, ".tmp-") != NULL;
    if (dir) closedir(dir);
    CHECK_MSG(temps == 0, "%d temp files left", temps);
    int e = 0;
    GifFileType *g = DGifOpenFileName("video_test.gif", &e);
    CHECK(g != NULL);
    if (g) {
        CHECK(DGifSlurp(g) == GIF_OK);
        CHECK(g->SWidth == W && g->SHeight == H);
        CHECK_MSG(g->ImageCount == N, "%d images", g->ImageCount);
        /* frame 5 decodes back to its source colours within the 5-bit quantisation */
        uint8_t *rgb = malloc(W * H * 3);
        frame(rgb, 5);
        SavedImage *im = &g->SavedImages[5];
        ColorMapObject *cm = im->ImageDesc.ColorMap ? im->ImageDesc.ColorMap : g->SColorMap;
        CHECK(cm != NULL && im->ImageDesc.Width == W && im->ImageDesc.Height == H);
        int maxd = 0;
        for (int i = 0; cm && i < W * H; i++) {
            GifColorType c = cm->Colors[im->RasterBits[i]];
            int d = abs(c.Red - rgb[3 * i]) + abs(c.Green - rgb[3 * i + 1]) + abs(c.Blue - rgb[3 * i + 2]);
            if (d > maxd) maxd = d;
        }
        CHECK_MSG(maxd <= 3 * 8, "max colour error %d", maxd);
        GraphicsControlBlock gcb;
        CHECK(DGifSavedExtensionToGCB(g, 0, &gcb) == GIF_OK && (gcb.DelayTime == 3 || gcb.DelayTime == 4));
        free(rgb);
        DGifCloseFile(g, &e);
    }

    dq_error err = {0};
    dq_video *v = (dq_video *)1;
    CHECK(dq_video_open(&v, "x.mp4", 0, 10, 30, &err) == DQ_EINVAL && v == NULL);
    CHECK(dq_video_open(&v, "x.mp4", 10, 10, 0, &err) == DQ_EINVAL);
    CHECK(dq_video_open(&v, "/nonexistent_dir/x.mp4", 16, 16, 30, &err) != DQ_OK);
    CHECK(dq_video_open(&v, "/nonexistent_dir/x.gif", 16, 16, 30, &err) == DQ_EIO);
    CHECK(strstr(err.msg, "x.gif") != NULL);
    CHECK(dq_video_close(NULL, &err) == DQ_OK);

    /* RecordVideo's schedule: 0, 1, 8, 27, 64, ..., 729, then 1000, 2000, ... */
    int n_rec = 0;
    for (int64_t e = 0; e < 3001; e++) n_rec += dq_video_capped_cubic(e);
    CHECK_MSG(n_rec == 10 + 3, "%d recorded episodes", n_rec);
    CHECK(dq_video_capped_cubic(0) && dq_video_capped_cubic(1) && dq_video_capped_cubic(8));
    CHECK(dq_video_capped_cubic(729) && !dq_video_capped_cubic(730) && !dq_video_capped_cubic(2));
    CHECK(dq_video_capped_cubic(1000) && dq_video_capped_cubic(2000) && !dq_video_capped_cubic(1331));
    TEST_MAIN_END();
}
