/* tb.c — TensorBoard event-file writer and reader (TFRecord framing + hand-encoded Event
 * protobuf). Field numbers, from tensorflow/core/util/event.proto and summary.proto:
 * Event{wall_time=1 double, step=2 int64, file_version=3 string, summary=5 Summary},
 * Summary{value=1 repeated Value}, Value{tag=1 string, simple_value=2 float}. */
#include "deepq/tb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deepq/fsio.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "deepq's file formats assume a little-endian host"
#endif

struct dq_tb_writer {
    FILE *fp;
    char *path;
};

uint32_t dq_crc32c(const void *data, size_t len) {
    /* Bitwise (reflected polynomial 0x82F63B78): event records are small and rare. */
    const unsigned char *p = data;
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return crc ^ 0xFFFFFFFFu;
}

static uint32_t masked_crc(const void *data, size_t len) {
    uint32_t c = dq_crc32c(data, len);
    return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

/* ------------------------------------------------------------------ protobuf encoding */

typedef struct pb_buf {
    unsigned char b[1024];
    size_t n;
    bool overflow;
} pb_buf;

static void pb_bytes(pb_buf *o, const void *p, size_t len) {
    if (o->n + len > sizeof o->b) {
        o->overflow = true;
        return;
    }
    memcpy(o->b + o->n, p, len);
    o->n += len;
}

static void pb_varint(pb_buf *o, uint64_t v) {
    unsigned char t[10];
    size_t k = 0;
    do {
        t[k++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    pb_bytes(o, t, k);
}

static void pb_fixed(pb_buf *o, uint64_t v, int nbytes) {
    unsigned char t[8];
    for (int i = 0; i < nbytes; i++) t[i] = (unsigned char)(v >> (8 * i));
    pb_bytes(o, t, (size_t)nbytes);
}

static void pb_lenfield(pb_buf *o, int field, const void *p, size_t len) {
    pb_varint(o, (uint64_t)field << 3 | 2);
    pb_varint(o, len);
    pb_bytes(o, p, len);
}

static void pb_double(pb_buf *o, int field, double v) {
    uint64_t u;
    memcpy(&u, &v, 8);
    pb_varint(o, (uint64_t)field << 3 | 1);
    pb_fixed(o, u, 8);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static dq_status write_record(dq_tb_writer *w, const pb_buf *ev, dq_error *err) {
    unsigned char hdr[12];
    uint64_t len = ev->n;
    for (int i = 0; i < 8; i++) hdr[i] = (unsigned char)(len >> (8 * i));
    uint32_t c = masked_crc(hdr, 8);
    for (int i = 0; i < 4; i++) hdr[8 + i] = (unsigned char)(c >> (8 * i));
    unsigned char tail[4];
    c = masked_crc(ev->b, ev->n);
    for (int i = 0; i < 4; i++) tail[i] = (unsigned char)(c >> (8 * i));
    if (fwrite(hdr, 1, 12, w->fp) != 12 || fwrite(ev->b, 1, ev->n, w->fp) != ev->n ||
        fwrite(tail, 1, 4, w->fp) != 4 || fflush(w->fp) != 0)
        return dq_fail(err, DQ_EIO, "cannot write TensorBoard events to '%s': %s", w->path, strerror(errno));
    return DQ_OK;
}

/* ------------------------------------------------------------------ writer */

dq_status dq_tb_writer_create(dq_tb_writer **out, const char *logdir, dq_error *err) {
    *out = NULL;
    dq_status s = dq_mkdir_p(logdir, err);
    if (s) return s;
    char host[256] = "localhost";
    if (gethostname(host, sizeof host - 1) != 0 || !host[0]) strcpy(host, "localhost");
    host[sizeof host - 1] = '\0';
    for (char *c = host; *c; c++)
        if (*c == '/') *c = '_';
    dq_tb_writer *w = calloc(1, sizeof *w);
    size_t cap = strlen(logdir) + strlen(host) + 80;
    if (!w || !(w->path = malloc(cap))) {
        free(w);
        return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    double t0 = now_seconds();
    for (int k = 0; k < 1000 && !w->fp; k++) {
        int n = snprintf(w->path, cap, "%s/events.out.tfevents.%lld.%s", logdir, (long long)t0, host);
        if (k) snprintf(w->path + n, cap - (size_t)n, ".%d", k);
        int fd = open(w->path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0 && errno == EEXIST) continue;
        if (fd < 0 || !(w->fp = fdopen(fd, "wb"))) {
            if (fd >= 0) close(fd);
            s = dq_fail(err, DQ_EIO, "cannot create '%s': %s", w->path, strerror(errno));
            dq_tb_writer_destroy(w);
            return s;
        }
    }
    if (!w->fp) {
        dq_tb_writer_destroy(w);
        return dq_fail(err, DQ_EIO, "cannot create an event file in '%s': names taken", logdir);
    }
    pb_buf ev = {.n = 0};
    pb_double(&ev, 1, t0);
    pb_lenfield(&ev, 3, "brain.Event:2", 13);
    if ((s = write_record(w, &ev, err))) {
        dq_tb_writer_destroy(w);
        return s;
    }
    *out = w;
    return DQ_OK;
}

const char *dq_tb_writer_path(const dq_tb_writer *w) { return w ? w->path : NULL; }

dq_status dq_tb_writer_scalar(dq_tb_writer *w, const char *tag, double value, int64_t step,
                              double wall_time, dq_error *err) {
    size_t tl = strlen(tag);
    if (tl == 0 || tl > 512) return dq_fail(err, DQ_EINVAL, "TensorBoard tag must be 1 to 512 bytes");
    pb_buf val = {.n = 0}, sum = {.n = 0}, ev = {.n = 0};
    pb_lenfield(&val, 1, tag, tl);
    float f = (float)value;
    uint32_t u;
    memcpy(&u, &f, 4);
    pb_varint(&val, 2 << 3 | 5);
    pb_fixed(&val, u, 4);
    pb_lenfield(&sum, 1, val.b, val.n);
    pb_double(&ev, 1, wall_time < 0 ? now_seconds() : wall_time);
    pb_varint(&ev, 2 << 3 | 0);
    pb_varint(&ev, (uint64_t)step);
    pb_lenfield(&ev, 5, sum.b, sum.n);
    if (val.overflow || sum.overflow || ev.overflow) return dq_fail(err, DQ_EINVAL, "TensorBoard event too large");
    return write_record(w, &ev, err);
}

void dq_tb_writer_destroy(dq_tb_writer *w) {
    if (!w) return;
    if (w->fp) fclose(w->fp);
    free(w->path);
    free(w);
}

/* ------------------------------------------------------------------ reader */

typedef struct pb_in {
    const unsigned char *p, *end;
} pb_in;

static int pb_get_varint(pb_in *in, uint64_t *v) {
    *v = 0;
    for (int shift = 0; shift < 64 && in->p < in->end; shift += 7) {
        unsigned char c = *in->p++;
        *v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) return 1;
    }
    return 0;
}

/* Next field: number, wire type, and for length-delimited ones the sub-range. Fixed-width
 * values land in *fixed; returns 0 on malformed input. */
static int pb_next(pb_in *in, uint32_t *field, int *wire, uint64_t *varint, uint64_t *fixed, pb_in *sub) {
    uint64_t key;
    if (!pb_get_varint(in, &key)) return 0;
    *field = (uint32_t)(key >> 3);
    *wire = (int)(key & 7);
    switch (*wire) {
    case 0: return pb_get_varint(in, varint);
    case 1:
    case 5: {
        int nb = *wire == 1 ? 8 : 4;
        if (in->end - in->p < nb) return 0;
        *fixed = 0;
        for (int i = 0; i < nb; i++) *fixed |= (uint64_t)in->p[i] << (8 * i);
        in->p += nb;
        return 1;
    }
    case 2: {
        uint64_t len;
        if (!pb_get_varint(in, &len) || len > (uint64_t)(in->end - in->p)) return 0;
        sub->p = in->p;
        sub->end = in->p + len;
        in->p += len;
        return 1;
    }
    }
    return 0;
}

/* One Event: appends its scalars to *out; sets *version when it has a file_version. */
static int parse_event(pb_in in, dq_tb_scalar **out, size_t *n, size_t *cap, char *version, size_t vcap) {
    double wall = 0;
    int64_t step = 0;
    pb_in summary = {NULL, NULL};
    while (in.p < in.end) {
        uint32_t f;
        int wt;
        uint64_t v = 0, fx = 0;
        pb_in sub = {NULL, NULL};
        if (!pb_next(&in, &f, &wt, &v, &fx, &sub)) return 0;
        if (f == 1 && wt == 1) memcpy(&wall, &fx, 8);
        else if (f == 2 && wt == 0) step = (int64_t)v;
        else if (f == 3 && wt == 2) {
            size_t l = (size_t)(sub.end - sub.p);
            if (l >= vcap) l = vcap - 1;
            memcpy(version, sub.p, l);
            version[l] = '\0';
        } else if (f == 5 && wt == 2) summary = sub;
    }
    while (summary.p && summary.p < summary.end) { /* Summary.value entries */
        uint32_t f;
        int wt;
        uint64_t v = 0, fx = 0;
        pb_in val = {NULL, NULL};
        if (!pb_next(&summary, &f, &wt, &v, &fx, &val)) return 0;
        if (f != 1 || wt != 2) continue;
        dq_tb_scalar sc = {.wall_time = wall, .step = step};
        bool has_value = false;
        while (val.p < val.end) {
            pb_in sub = {NULL, NULL};
            if (!pb_next(&val, &f, &wt, &v, &fx, &sub)) return 0;
            if (f == 1 && wt == 2) {
                size_t l = (size_t)(sub.end - sub.p);
                if (l >= sizeof sc.tag) l = sizeof sc.tag - 1;
                memcpy(sc.tag, sub.p, l);
                sc.tag[l] = '\0';
            } else if (f == 2 && wt == 5) {
                uint32_t u = (uint32_t)fx;
                memcpy(&sc.value, &u, 4);
                has_value = true;
            }
        }
        if (!has_value) continue;
        if (*n == *cap) {
            size_t nc = *cap ? 2 * *cap : 64;
            dq_tb_scalar *no = realloc(*out, nc * sizeof *no);
            if (!no) return -1;
            *out = no;
            *cap = nc;
        }
        (*out)[(*n)++] = sc;
    }
    return 1;
}

static uint32_t get_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

dq_status dq_tb_read_scalars(const char *path, dq_tb_scalar **out, size_t *n, dq_error *err) {
    *out = NULL;
    *n = 0;
    void *buf;
    size_t len, cap = 0;
    dq_status s = dq_read_file(path, &buf, &len, err);
    if (s) return s;
    const unsigned char *b = buf;
    size_t pos = 0;
    int rec = 0;
    char version[64] = "";
    while (pos < len && !s) {
        if (len - pos < 12) {
            s = dq_fail(err, DQ_EFORMAT, "%s: truncated record header at byte %zu", path, pos);
            break;
        }
        uint64_t rlen = 0;
        for (int i = 0; i < 8; i++) rlen |= (uint64_t)b[pos + i] << (8 * i);
        if (get_u32(b + pos + 8) != masked_crc(b + pos, 8)) {
            s = dq_fail(err, DQ_EFORMAT, "%s: bad length checksum in record %d at byte %zu", path, rec, pos);
            break;
        }
        if (rlen > len - pos - 12 || len - pos - 12 - rlen < 4) {
            s = dq_fail(err, DQ_EFORMAT, "%s: truncated record %d at byte %zu", path, rec, pos);
            break;
        }
        const unsigned char *data = b + pos + 12;
        if (get_u32(data + rlen) != masked_crc(data, (size_t)rlen)) {
            s = dq_fail(err, DQ_EFORMAT, "%s: bad data checksum in record %d at byte %zu", path, rec, pos);
            break;
        }
        pb_in in = {data, data + rlen};
        int r = parse_event(in, out, n, &cap, version, sizeof version);
        if (r < 0) s = dq_fail(err, DQ_ENOMEM, "out of memory");
        else if (r == 0) s = dq_fail(err, DQ_EFORMAT, "%s: malformed Event in record %d", path, rec);
        else if (rec == 0 && strncmp(version, "brain.Event:", 12) != 0)
            s = dq_fail(err, DQ_EFORMAT, "%s: first record has no brain.Event file_version: not a TensorBoard event file", path);
        pos += 12 + (size_t)rlen + 4;
        rec++;
    }
    if (!s && rec == 0) s = dq_fail(err, DQ_EFORMAT, "%s: empty event file", path);
    free(buf);
    if (s) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return s;
}
