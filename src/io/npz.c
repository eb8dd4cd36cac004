/* npz.c — .npy encode/decode and .npz archives through libzip.
 *
 * The .npy header is a Python dict literal; we write exactly what numpy writes (sorted keys,
 * 21-digit growth room after the dict, padding to 64 bytes, final newline) and parse it with a
 * small tokenizer that accepts numpy's variations (quotes, spacing, trailing commas, any key
 * order, format versions 1.0 to 3.0). Archives are built in a libzip memory buffer and then
 * written atomically, so a crash never leaves half an archive. */
#include "deepq/npz.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "deepq/fsio.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "deepq's file formats assume a little-endian host"
#endif

static const char NPY_MAGIC[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};

static const char *npy_descr(dq_dtype t) {
    switch (t) {
    case DQ_F32: return "<f4";
    case DQ_F64: return "<f8";
    case DQ_I64: return "<i8";
    case DQ_I32: return "<i4";
    case DQ_U8: return "|u1";
    case DQ_BOOL: return "|b1";
    }
    return NULL;
}

/* ------------------------------------------------------------------ .npy write */

/* The full .npy prefix (magic .. newline) into buf; returns its length or 0 if cap is short. */
static size_t npy_header(char *buf, size_t cap, dq_dtype dtype, int ndim, const int64_t *shape) {
    char dict[512];
    size_t n = (size_t)snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
                                npy_descr(dtype));
    for (int i = 0; i < ndim; i++)
        n += (size_t)snprintf(dict + n, sizeof dict - n, "%s%lld", i ? ", " : "", (long long)shape[i]);
    n += (size_t)snprintf(dict + n, sizeof dict - n, "%s), }", ndim == 1 ? "," : "");
    if (ndim > 0) { /* numpy leaves room to grow the first axis in place */
        int digits = snprintf(NULL, 0, "%lld", (long long)shape[0]);
        for (int i = digits; i < 21; i++) dict[n++] = ' ';
    }
    size_t hlen = n + 1;                   /* + newline */
    size_t pad = 64 - (10 + hlen) % 64;    /* numpy pads a full 64 when already aligned */
    size_t total = 10 + hlen + pad;
    if (total > cap || hlen + pad > 65535) return 0;
    memcpy(buf, NPY_MAGIC, 6);
    buf[6] = 1;
    buf[7] = 0;
    buf[8] = (char)((hlen + pad) & 0xff);
    buf[9] = (char)((hlen + pad) >> 8);
    memcpy(buf + 10, dict, n);
    memset(buf + 10 + n, ' ', pad);
    buf[total - 1] = '\n';
    return total;
}

static dq_status npy_check_args(const char *what, dq_dtype dtype, int ndim, const int64_t *shape,
                                size_t *nbytes, dq_error *err) {
    if (!npy_descr(dtype)) return dq_fail(err, DQ_EINVAL, "%s: invalid dtype %d", what, (int)dtype);
    if (ndim < 0 || ndim > DQ_NDARRAY_MAX_DIMS)
        return dq_fail(err, DQ_EINVAL, "%s: %d dims (0..%d supported)", what, ndim, DQ_NDARRAY_MAX_DIMS);
    int64_t numel = dq_shape_numel(ndim, shape);
    if (numel < 0 || (uint64_t)numel > SIZE_MAX / 8) return dq_fail(err, DQ_EINVAL, "%s: invalid shape", what);
    *nbytes = (size_t)numel * dq_dtype_size(dtype);
    return DQ_OK;
}

dq_status dq_npy_serialize(dq_dtype dtype, int ndim, const int64_t *shape, const void *data,
                           void **bytes, size_t *len, dq_error *err) {
    *bytes = NULL;
    *len = 0;
    size_t nbytes;
    dq_status s = npy_check_args(".npy", dtype, ndim, shape, &nbytes, err);
    if (s) return s;
    char hdr[1024];
    size_t h = npy_header(hdr, sizeof hdr, dtype, ndim, shape);
    char *b = malloc(h + nbytes + 1);
    if (!b) return dq_fail(err, DQ_ENOMEM, "out of memory encoding .npy (%zu bytes)", h + nbytes);
    memcpy(b, hdr, h);
    if (nbytes) memcpy(b + h, data, nbytes);
    *bytes = b;
    *len = h + nbytes;
    return DQ_OK;
}

dq_status dq_npy_save(const char *path, dq_dtype dtype, int ndim, const int64_t *shape,
                      const void *data, dq_error *err) {
    size_t nbytes;
    dq_status s = npy_check_args(path, dtype, ndim, shape, &nbytes, err);
    if (s) return s;
    char hdr[1024];
    size_t h = npy_header(hdr, sizeof hdr, dtype, ndim, shape);
    dq_atomic_file *f;
    if ((s = dq_atomic_open(&f, path, err))) return s;
    FILE *fp = dq_atomic_stream(f);
    if (fwrite(hdr, 1, h, fp) != h || (nbytes && fwrite(data, 1, nbytes, fp) != nbytes)) {
        dq_atomic_abort(f);
        return dq_fail(err, DQ_EIO, "cannot write '%s' (disk full?); the old file is unchanged", path);
    }
    return dq_atomic_commit(f, err);
}

/* ------------------------------------------------------------------ .npy read */

typedef struct npy_cur {
    const char *p, *end;
} npy_cur;

static void cur_ws(npy_cur *c) {
    while (c->p < c->end && isspace((unsigned char)*c->p)) c->p++;
}

static int cur_eat(npy_cur *c, char ch) {
    cur_ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return 1;
    }
    return 0;
}

/* A quoted Python string without escapes into out (cap bytes). */
static int cur_str(npy_cur *c, char *out, size_t cap) {
    cur_ws(c);
    if (c->p >= c->end || (*c->p != '\'' && *c->p != '"')) return 0;
    char q = *c->p++;
    size_t n = 0;
    while (c->p < c->end && *c->p != q) {
        if (*c->p == '\\' || n + 1 >= cap) return 0;
        out[n++] = *c->p++;
    }
    if (c->p >= c->end) return 0;
    c->p++;
    out[n] = '\0';
    return 1;
}

static int cur_word(npy_cur *c, const char *w) {
    cur_ws(c);
    size_t n = strlen(w);
    if ((size_t)(c->end - c->p) >= n && memcmp(c->p, w, n) == 0) {
        c->p += n;
        return 1;
    }
    return 0;
}

/* "(2, 3)" / "(5,)" / "()" with optional Python 2 'L' suffixes. */
static int cur_shape(npy_cur *c, int *ndim, int64_t *shape) {
    if (!cur_eat(c, '(')) return 0;
    *ndim = 0;
    for (;;) {
        if (cur_eat(c, ')')) return 1;
        cur_ws(c);
        if (c->p >= c->end || !isdigit((unsigned char)*c->p)) return 0;
        int64_t v = 0;
        while (c->p < c->end && isdigit((unsigned char)*c->p)) {
            if (v > (INT64_MAX - 9) / 10) return 0;
            v = v * 10 + (*c->p++ - '0');
        }
        if (c->p < c->end && *c->p == 'L') c->p++;
        if (*ndim == DQ_NDARRAY_MAX_DIMS) return -1;
        shape[(*ndim)++] = v;
        if (!cur_eat(c, ',')) return cur_eat(c, ')');
    }
}

/* Parse the header of bytes into out (no data yet); *off = data offset. */
static dq_status npy_parse_header(const unsigned char *b, size_t len, const char *src,
                                  dq_ndarray *out, size_t *off, dq_error *err) {
    if (len < 10 || memcmp(b, NPY_MAGIC, 6) != 0)
        return dq_fail(err, DQ_EFORMAT, len < 10 && len && b[0] == 0x93 ? "%s: truncated .npy file" : "%s: not a .npy file (no \\x93NUMPY magic)", src);
    int major = b[6];
    size_t hlen, start;
    if (major == 1) {
        hlen = (size_t)b[8] | (size_t)b[9] << 8;
        start = 10;
    } else if (major == 2 || major == 3) {
        if (len < 12) return dq_fail(err, DQ_EFORMAT, "%s: truncated .npy file", src);
        hlen = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
        start = 12;
    } else {
        return dq_fail(err, DQ_EUNSUPPORTED, "%s: .npy format version %d.%d is not supported (1.0 to 3.0)", src, major, b[7]);
    }
    if (hlen > len - start) return dq_fail(err, DQ_EFORMAT, "%s: truncated .npy header", src);
    npy_cur c = {(const char *)b + start, (const char *)b + start + hlen};
    char key[32], descr[32] = "";
    int have_descr = 0, have_fortran = 0, have_shape = 0, fortran = 0;
    if (!cur_eat(&c, '{')) return dq_fail(err, DQ_EFORMAT, "%s: malformed .npy header (no dict)", src);
    for (;;) {
        if (cur_eat(&c, '}')) break;
        if (!cur_str(&c, key, sizeof key) || !cur_eat(&c, ':'))
            return dq_fail(err, DQ_EFORMAT, "%s: malformed .npy header", src);
        if (strcmp(key, "descr") == 0) {
            if (!cur_str(&c, descr, sizeof descr)) {
                cur_ws(&c);
                return dq_fail(err, DQ_EUNSUPPORTED, "%s: structured or unusual dtypes are not supported (deepq reads <f4 <f8 <i8 <i4 |u1 |b1)", src);
            }
            have_descr = 1;
        } else if (strcmp(key, "fortran_order") == 0) {
            if (cur_word(&c, "True")) fortran = 1;
            else if (!cur_word(&c, "False")) return dq_fail(err, DQ_EFORMAT, "%s: malformed fortran_order in .npy header", src);
            have_fortran = 1;
        } else if (strcmp(key, "shape") == 0) {
            int r = cur_shape(&c, &out->ndim, out->shape);
            if (r < 0) return dq_fail(err, DQ_EUNSUPPORTED, "%s: more than %d dims", src, DQ_NDARRAY_MAX_DIMS);
            if (!r) return dq_fail(err, DQ_EFORMAT, "%s: malformed shape in .npy header", src);
            have_shape = 1;
        } else {
            return dq_fail(err, DQ_EFORMAT, "%s: unexpected key '%s' in .npy header", src, key);
        }
        if (!cur_eat(&c, ',')) {
            if (!cur_eat(&c, '}')) return dq_fail(err, DQ_EFORMAT, "%s: malformed .npy header", src);
            break;
        }
    }
    if (!have_descr || !have_fortran || !have_shape)
        return dq_fail(err, DQ_EFORMAT, "%s: .npy header lacks descr, fortran_order or shape", src);
    static const dq_dtype all[] = {DQ_F32, DQ_F64, DQ_I64, DQ_I32, DQ_U8, DQ_BOOL};
    int found = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0] && !found; i++)
        if (strcmp(descr, npy_descr(all[i])) == 0 ||
            (dq_dtype_size(all[i]) == 1 && descr[0] != '|' && strcmp(descr + 1, npy_descr(all[i]) + 1) == 0)) {
            out->dtype = all[i];
            found = 1;
        }
    if (!found) {
        if (descr[0] == '>')
            return dq_fail(err, DQ_EUNSUPPORTED, "%s: big-endian dtype '%s' is not supported; convert with arr.astype('<%s')", src, descr, descr + 1);
        return dq_fail(err, DQ_EUNSUPPORTED, "%s: dtype '%s' is not supported (deepq reads <f4 <f8 <i8 <i4 |u1 |b1)", src, descr);
    }
    if (fortran && out->ndim > 1)
        return dq_fail(err, DQ_EUNSUPPORTED, "%s: array is in Fortran order; save it with np.ascontiguousarray(arr)", src);
    int64_t numel = dq_shape_numel(out->ndim, out->shape);
    size_t es = dq_dtype_size(out->dtype);
    if (numel < 0 || (uint64_t)numel > SIZE_MAX / es) return dq_fail(err, DQ_EFORMAT, "%s: shape too large", src);
    out->nbytes = (size_t)numel * es;
    *off = start + hlen;
    return DQ_OK;
}

/* Checks the data length: exactly nbytes after the header. */
static dq_status npy_check_len(const dq_ndarray *a, size_t off, size_t len, const char *src, dq_error *err) {
    if (len - off < a->nbytes)
        return dq_fail(err, DQ_EFORMAT, "%s: truncated: the shape needs %zu data bytes, the file has %zu", src, a->nbytes, len - off);
    if (len - off > a->nbytes)
        return dq_fail(err, DQ_EFORMAT, "%s: %zu unexpected bytes after the array data", src, len - off - a->nbytes);
    return DQ_OK;
}

dq_status dq_npy_parse(const void *bytes, size_t len, const char *label, dq_ndarray *out,
                       dq_error *err) {
    memset(out, 0, sizeof *out);
    const char *src = label ? label : ".npy";
    size_t off;
    dq_ndarray a = {0};
    dq_status s = npy_parse_header(bytes, len, src, &a, &off, err);
    if (!s) s = npy_check_len(&a, off, len, src, err);
    if (s) return s;
    a.name = strdup(src);
    a.data = malloc(a.nbytes ? a.nbytes : 1);
    if (!a.name || !a.data) {
        dq_ndarray_release(&a);
        return dq_fail(err, DQ_ENOMEM, "out of memory reading %s (%zu bytes)", src, a.nbytes);
    }
    if (a.nbytes) memcpy(a.data, (const unsigned char *)bytes + off, a.nbytes);
    *out = a;
    return DQ_OK;
}

dq_status dq_npy_load(const char *path, dq_ndarray *out, dq_error *err) {
    memset(out, 0, sizeof *out);
    void *b;
    size_t len;
    dq_status s = dq_read_file(path, &b, &len, err);
    if (s) return s;
    s = dq_npy_parse(b, len, path, out, err);
    free(b);
    return s;
}

/* ------------------------------------------------------------------ .npz write */

typedef struct npz_entry {
    char *name; /* "<name>.npy" */
    void *bytes;
    size_t len;
} npz_entry;

struct dq_npz_writer {
    npz_entry *e;
    int n, cap;
};

dq_status dq_npz_writer_create(dq_npz_writer **out, dq_error *err) {
    *out = calloc(1, sizeof **out);
    return *out ? DQ_OK : dq_fail(err, DQ_ENOMEM, "out of memory");
}

void dq_npz_writer_destroy(dq_npz_writer *w) {
    if (!w) return;
    for (int i = 0; i < w->n; i++) {
        free(w->e[i].name);
        free(w->e[i].bytes);
    }
    free(w->e);
    free(w);
}

dq_status dq_npz_writer_add(dq_npz_writer *w, const char *name, dq_dtype dtype, int ndim,
                            const int64_t *shape, const void *data, dq_error *err) {
    if (!name || !*name) return dq_fail(err, DQ_EINVAL, ".npz: empty array name");
    size_t nl = strlen(name);
    for (int i = 0; i < w->n; i++)
        if (strncmp(w->e[i].name, name, nl) == 0 && strcmp(w->e[i].name + nl, ".npy") == 0)
            return dq_fail(err, DQ_EINVAL, ".npz: array '%s' added twice", name);
    if (w->n == w->cap) {
        int ncap = w->cap ? 2 * w->cap : 8;
        npz_entry *ne = realloc(w->e, (size_t)ncap * sizeof *ne);
        if (!ne) return dq_fail(err, DQ_ENOMEM, "out of memory");
        w->e = ne;
        w->cap = ncap;
    }
    npz_entry *e = &w->e[w->n];
    dq_status s = dq_npy_serialize(dtype, ndim, shape, data, &e->bytes, &e->len, err);
    if (s) return s;
    e->name = malloc(nl + 5);
    if (!e->name) {
        free(e->bytes);
        return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    memcpy(e->name, name, nl);
    memcpy(e->name + nl, ".npy", 5);
    w->n++;
    return DQ_OK;
}

dq_status dq_npz_writer_serialize(const dq_npz_writer *w, bool compress, void **bytes,
                                  size_t *len, dq_error *err) {
    *bytes = NULL;
    *len = 0;
    if (w->n == 0) { /* libzip drops empty archives; write the 22-byte end record as zipfile does */
        unsigned char *b = calloc(1, 22);
        if (!b) return dq_fail(err, DQ_ENOMEM, "out of memory");
        memcpy(b, "PK\5\6", 4);
        *bytes = b;
        *len = 22;
        return DQ_OK;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = NULL;
    dq_status s = DQ_OK;
    if (!src) {
        s = dq_fail(err, DQ_ENOMEM, ".npz: %s", zip_error_strerror(&ze));
        goto done;
    }
    zip_source_keep(src);
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        s = dq_fail(err, DQ_EIO, ".npz: %s", zip_error_strerror(&ze));
        goto done;
    }
    struct tm t1980 = {.tm_year = 80, .tm_mon = 0, .tm_mday = 1, .tm_isdst = -1};
    time_t mtime = mktime(&t1980);
    for (int i = 0; i < w->n; i++) {
        const npz_entry *e = &w->e[i];
        zip_source_t *es = zip_source_buffer(za, e->bytes, e->len, 0);
        zip_int64_t idx = es ? zip_file_add(za, e->name, es, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            zip_source_free(es);
            s = dq_fail(err, DQ_EIO, ".npz: cannot add '%s': %s", e->name, zip_strerror(za));
            goto done;
        }
        if (zip_set_file_compression(za, (zip_uint64_t)idx, compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) != 0 ||
            zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) != 0) {
            s = dq_fail(err, DQ_EIO, ".npz: %s", zip_strerror(za));
            goto done;
        }
    }
    if (zip_close(za) != 0) {
        s = dq_fail(err, DQ_EIO, ".npz: cannot build the archive: %s", zip_strerror(za));
        goto done;
    }
    za = NULL;
    zip_stat_t st;
    if (zip_source_stat(src, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(src) != 0) {
        s = dq_fail(err, DQ_EIO, ".npz: cannot read the built archive back");
        goto done;
    }
    unsigned char *b = malloc(st.size ? st.size : 1);
    zip_int64_t got = b ? zip_source_read(src, b, st.size) : -1;
    zip_source_close(src);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(b);
        s = dq_fail(err, b ? DQ_EIO : DQ_ENOMEM, ".npz: cannot read the built archive back");
        goto done;
    }
    *bytes = b;
    *len = (size_t)st.size;
done:
    if (za) zip_discard(za);
    zip_source_free(src);
    zip_error_fini(&ze);
    return s;
}

dq_status dq_npz_writer_save(const dq_npz_writer *w, const char *path, bool compress,
                             dq_error *err) {
    void *b;
    size_t len;
    dq_status s = dq_npz_writer_serialize(w, compress, &b, &len, err);
    if (s) return s;
    s = dq_write_file_atomic(path, b, len, err);
    free(b);
    return s;
}

/* ------------------------------------------------------------------ .npz read */

struct dq_npz {
    char *src;
    dq_ndarray *a;
    int n;
};

void dq_npz_free(dq_npz *z) {
    if (!z) return;
    for (int i = 0; i < z->n; i++) dq_ndarray_release(&z->a[i]);
    free(z->a);
    free(z->src);
    free(z);
}

/* Read entry i of za into a (name without .npy). */
static dq_status npz_read_entry(zip_t *za, zip_uint64_t i, size_t archive_len, const char *src,
                                dq_ndarray *a, dq_error *err) {
    zip_stat_t st;
    if (zip_stat_index(za, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) || !(st.valid & ZIP_STAT_SIZE))
        return dq_fail(err, DQ_EFORMAT, "%s: corrupt zip entry %llu: %s", src, (unsigned long long)i, zip_strerror(za));
    /* Deflate expands at most ~1032:1; a larger claim is a corrupt or hostile archive. */
    if (st.size > (zip_uint64_t)archive_len * 1032 + 4096 || st.size >= SIZE_MAX / 2)
        return dq_fail(err, DQ_EFORMAT, "%s: entry '%s' claims %llu bytes, more than the archive can hold", src, st.name, (unsigned long long)st.size);
    unsigned char *b = malloc(st.size ? st.size : 1);
    if (!b) return dq_fail(err, DQ_ENOMEM, "%s: out of memory reading '%s'", src, st.name);
    zip_file_t *zf = zip_fopen_index(za, i, 0);
    if (!zf) {
        free(b);
        return dq_fail(err, DQ_EFORMAT, "%s: cannot open entry '%s': %s", src, st.name, zip_strerror(za));
    }
    zip_uint64_t n = 0;
    zip_int64_t got = 1;
    while (n < st.size && (got = zip_fread(zf, b + n, st.size - n)) > 0) n += (zip_uint64_t)got;
    unsigned char extra;
    if (got >= 0 && n == st.size) got = zip_fread(zf, &extra, 1); /* reaching EOF checks the CRC */
    dq_status s = DQ_OK;
    if (got != 0 || n != st.size)
        s = dq_fail(err, DQ_EFORMAT, "%s: entry '%s' is corrupt or truncated: %s", src, st.name,
                    got < 0 ? zip_file_strerror(zf) : "wrong length");
    zip_fclose(zf);
    if (!s) {
        char label[512];
        snprintf(label, sizeof label, "%s[%s]", src, st.name);
        size_t off;
        s = npy_parse_header(b, (size_t)st.size, label, a, &off, err);
        if (!s) s = npy_check_len(a, off, (size_t)st.size, label, err);
        if (!s) { /* keep the buffer: move the data to its start (malloc alignment) */
            memmove(b, b + off, a->nbytes);
            a->data = b;
            b = NULL;
            size_t nl = strlen(st.name);
            a->name = strndup(st.name, nl >= 4 && strcmp(st.name + nl - 4, ".npy") == 0 ? nl - 4 : nl);
            if (!a->name) s = dq_fail(err, DQ_ENOMEM, "out of memory");
        }
    }
    free(b);
    return s;
}

dq_status dq_npz_parse(dq_npz **out, const void *bytes, size_t len, const char *label,
                       dq_error *err) {
    *out = NULL;
    const char *srcname = label ? label : ".npz";
    dq_npz *z = calloc(1, sizeof *z);
    if (!z || !(z->src = strdup(srcname))) {
        free(z);
        return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    if (len < 22) { /* libzip opens an empty file as an empty archive; numpy does not */
        dq_npz_free(z);
        return dq_fail(err, DQ_EFORMAT, "%s: not a valid .npz (zip) file: %zu bytes is shorter than a zip end record; truncated?", srcname, len);
    }
    zip_error_t ze;
    zip_error_init(&ze);
    dq_status s = DQ_OK;
    zip_t *za = NULL;
    zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &ze);
    if (!src) {
        s = dq_fail(err, DQ_ENOMEM, "%s: %s", srcname, zip_error_strerror(&ze));
        goto done;
    }
    za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!za) {
        zip_source_free(src);
        s = dq_fail(err, DQ_EFORMAT, "%s: not a valid .npz (zip) file: %s; truncated or corrupt?", srcname, zip_error_strerror(&ze));
        goto done;
    }
    zip_int64_t n = zip_get_num_entries(za, 0);
    z->a = calloc(n > 0 ? (size_t)n : 1, sizeof *z->a);
    if (!z->a) {
        s = dq_fail(err, DQ_ENOMEM, "out of memory");
        goto done;
    }
    for (zip_int64_t i = 0; i < n && !s; i++) {
        const char *nm = zip_get_name(za, (zip_uint64_t)i, 0);
        size_t nl = nm ? strlen(nm) : 0;
        if (nm && nl && nm[nl - 1] == '/') continue; /* a directory entry */
        s = npz_read_entry(za, (zip_uint64_t)i, len, srcname, &z->a[z->n], err);
        if (!s) z->n++;
        else dq_ndarray_release(&z->a[z->n]);
    }
done:
    if (za) zip_discard(za);
    zip_error_fini(&ze);
    if (s) {
        dq_npz_free(z);
        return s;
    }
    *out = z;
    return DQ_OK;
}

dq_status dq_npz_load(dq_npz **out, const char *path, dq_error *err) {
    *out = NULL;
    void *b;
    size_t len;
    dq_status s = dq_read_file(path, &b, &len, err);
    if (s) return s;
    s = dq_npz_parse(out, b, len, path, err);
    free(b);
    return s;
}

int dq_npz_count(const dq_npz *z) { return z ? z->n : 0; }

const dq_ndarray *dq_npz_at(const dq_npz *z, int i) {
    return z && i >= 0 && i < z->n ? &z->a[i] : NULL;
}

const dq_ndarray *dq_npz_find(const dq_npz *z, const char *name) {
    for (int i = 0; z && i < z->n; i++)
        if (strcmp(z->a[i].name, name) == 0) return &z->a[i];
    return NULL;
}

dq_status dq_npz_get(const dq_npz *z, const char *name, dq_dtype dtype, int ndim,
                     const int64_t *shape, const dq_ndarray **out, dq_error *err) {
    *out = NULL;
    const dq_ndarray *a = dq_npz_find(z, name);
    if (!a) {
        char have[256] = "";
        size_t n = 0;
        for (int i = 0; i < z->n && n + 2 < sizeof have; i++)
            n += (size_t)snprintf(have + n, sizeof have - n, "%s%s", i ? ", " : "", z->a[i].name);
        return dq_fail(err, DQ_ENOTFOUND, "array '%s' is missing from %s (it has: %s)", name, z->src, z->n ? have : "nothing");
    }
    dq_status s = dq_ndarray_expect(a, "array", z->src, dtype, ndim, shape, err);
    if (!s) *out = a;
    return s;
}
