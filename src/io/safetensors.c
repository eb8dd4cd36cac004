/* safetensors.c — safetensors writer and validating reader.
 *
 * The header JSON is built and parsed with cJSON. The reader checks everything the spec
 * requires before handing out a pointer: header length within the file, JSON well formed and
 * an object, known dtypes, shape * element size == byte span, offsets that tile the data
 * buffer exactly (no gap, no overlap, nothing past the end), unique names. Host byte order
 * is assumed little-endian (as the format is). */
#include "deepq/safetensors.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepq/fsio.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "deepq's file formats assume a little-endian host"
#endif

/* The reference implementation refuses headers above 100 MB; so do we. */
#define ST_MAX_HEADER 100000000ULL
/* Integers in JSON are doubles for cJSON: exact up to 2^53. */
#define ST_MAX_INT 9007199254740992.0

typedef struct st_entry {
    dq_ndarray a;      /* name and data owned (writer) or a view (reader) */
    uint64_t begin, end;
    bool own_data;     /* reader: data copied out for alignment */
} st_entry;

typedef struct st_meta {
    char *key, *value;
} st_meta;

struct dq_safetensors_writer {
    st_entry *t;
    int n, cap;
    st_meta *m;
    int nm, capm;
};

struct dq_safetensors {
    char *src;          /* file name (or label) for error messages */
    unsigned char *buf; /* the whole file */
    size_t len;
    st_entry *t;        /* sorted by offset */
    int n;
    st_meta *m;
    int nm;
};

static const char *st_dtype_str(dq_dtype t) {
    switch (t) {
    case DQ_F32: return "F32";
    case DQ_F64: return "F64";
    case DQ_I64: return "I64";
    case DQ_I32: return "I32";
    case DQ_U8: return "U8";
    case DQ_BOOL: return "BOOL";
    }
    return NULL;
}

static int st_dtype_parse(const char *s, dq_dtype *t) {
    static const dq_dtype all[] = {DQ_F32, DQ_F64, DQ_I64, DQ_I32, DQ_U8, DQ_BOOL};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(s, st_dtype_str(all[i])) == 0) {
            *t = all[i];
            return 1;
        }
    return 0;
}

/* ------------------------------------------------------------------ writer */

dq_status dq_safetensors_writer_create(dq_safetensors_writer **out, dq_error *err) {
    *out = calloc(1, sizeof **out);
    return *out ? DQ_OK : dq_fail(err, DQ_ENOMEM, "out of memory");
}

void dq_safetensors_writer_destroy(dq_safetensors_writer *w) {
    if (!w) return;
    for (int i = 0; i < w->n; i++) dq_ndarray_release(&w->t[i].a);
    for (int i = 0; i < w->nm; i++) {
        free(w->m[i].key);
        free(w->m[i].value);
    }
    free(w->t);
    free(w->m);
    free(w);
}

dq_status dq_safetensors_writer_add(dq_safetensors_writer *w, const char *name, dq_dtype dtype,
                                    int ndim, const int64_t *shape, const void *data,
                                    dq_error *err) {
    if (!name || !*name || strcmp(name, "__metadata__") == 0)
        return dq_fail(err, DQ_EINVAL, "safetensors: invalid tensor name '%s'", name ? name : "(null)");
    if (!st_dtype_str(dtype)) return dq_fail(err, DQ_EINVAL, "safetensors: invalid dtype %d for '%s'", (int)dtype, name);
    if (ndim < 0 || ndim > DQ_NDARRAY_MAX_DIMS)
        return dq_fail(err, DQ_EINVAL, "safetensors: tensor '%s' has %d dims (0..%d supported)", name, ndim, DQ_NDARRAY_MAX_DIMS);
    int64_t numel = dq_shape_numel(ndim, shape);
    if (numel < 0 || (double)numel * (double)dq_dtype_size(dtype) >= ST_MAX_INT)
        return dq_fail(err, DQ_EINVAL, "safetensors: tensor '%s' has an invalid shape", name);
    for (int i = 0; i < w->n; i++)
        if (strcmp(w->t[i].a.name, name) == 0)
            return dq_fail(err, DQ_EINVAL, "safetensors: tensor '%s' added twice", name);
    if (w->n == w->cap) {
        int ncap = w->cap ? 2 * w->cap : 16;
        st_entry *nt = realloc(w->t, (size_t)ncap * sizeof *nt);
        if (!nt) return dq_fail(err, DQ_ENOMEM, "out of memory");
        w->t = nt;
        w->cap = ncap;
    }
    st_entry *e = &w->t[w->n];
    memset(e, 0, sizeof *e);
    e->a.dtype = dtype;
    e->a.ndim = ndim;
    for (int i = 0; i < ndim; i++) e->a.shape[i] = shape[i];
    e->a.nbytes = (size_t)numel * dq_dtype_size(dtype);
    e->a.name = strdup(name);
    e->a.data = malloc(e->a.nbytes ? e->a.nbytes : 1);
    if (!e->a.name || !e->a.data) {
        dq_ndarray_release(&e->a);
        return dq_fail(err, DQ_ENOMEM, "out of memory copying tensor '%s'", name);
    }
    if (e->a.nbytes) memcpy(e->a.data, data, e->a.nbytes);
    uint64_t off = w->n ? w->t[w->n - 1].end : 0;
    e->begin = off;
    e->end = off + e->a.nbytes;
    w->n++;
    return DQ_OK;
}

dq_status dq_safetensors_writer_add_meta(dq_safetensors_writer *w, const char *key,
                                         const char *value, dq_error *err) {
    if (!key || !value) return dq_fail(err, DQ_EINVAL, "safetensors: NULL metadata key or value");
    char *v = strdup(value);
    if (!v) return dq_fail(err, DQ_ENOMEM, "out of memory");
    for (int i = 0; i < w->nm; i++)
        if (strcmp(w->m[i].key, key) == 0) {
            free(w->m[i].value);
            w->m[i].value = v;
            return DQ_OK;
        }
    if (w->nm == w->capm) {
        int ncap = w->capm ? 2 * w->capm : 16;
        st_meta *nm = realloc(w->m, (size_t)ncap * sizeof *nm);
        if (!nm) {
            free(v);
            return dq_fail(err, DQ_ENOMEM, "out of memory");
        }
        w->m = nm;
        w->capm = ncap;
    }
    w->m[w->nm].key = strdup(key);
    if (!w->m[w->nm].key) {
        free(v);
        return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    w->m[w->nm++].value = v;
    return DQ_OK;
}

/* The header JSON padded with spaces to a multiple of 8; *hdr is freed by the caller. */
static dq_status st_build_header(const dq_safetensors_writer *w, char **hdr, size_t *hlen,
                                 dq_error *err) {
    cJSON *root = cJSON_CreateObject();
    bool ok = root != NULL;
    if (ok && w->nm) {
        cJSON *meta = cJSON_AddObjectToObject(root, "__metadata__");
        ok = meta != NULL;
        for (int i = 0; ok && i < w->nm; i++)
            ok = cJSON_AddStringToObject(meta, w->m[i].key, w->m[i].value) != NULL;
    }
    for (int i = 0; ok && i < w->n; i++) {
        const st_entry *e = &w->t[i];
        cJSON *o = cJSON_AddObjectToObject(root, e->a.name);
        ok = o && cJSON_AddStringToObject(o, "dtype", st_dtype_str(e->a.dtype));
        cJSON *shape = ok ? cJSON_AddArrayToObject(o, "shape") : NULL;
        ok = shape != NULL;
        for (int d = 0; ok && d < e->a.ndim; d++)
            ok = cJSON_AddItemToArray(shape, cJSON_CreateNumber((double)e->a.shape[d]));
        cJSON *offs = ok ? cJSON_AddArrayToObject(o, "data_offsets") : NULL;
        ok = offs && cJSON_AddItemToArray(offs, cJSON_CreateNumber((double)e->begin)) &&
             cJSON_AddItemToArray(offs, cJSON_CreateNumber((double)e->end));
    }
    char *txt = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!txt) return dq_fail(err, DQ_ENOMEM, "out of memory building the safetensors header");
    size_t n = strlen(txt), padded = (n + 7) / 8 * 8;
    char *p = realloc(txt, padded + 1);
    if (!p) {
        free(txt);
        return dq_fail(err, DQ_ENOMEM, "out of memory building the safetensors header");
    }
    memset(p + n, ' ', padded - n);
    p[padded] = '\0';
    *hdr = p;
    *hlen = padded;
    return DQ_OK;
}

static void st_put_u64(unsigned char *b, uint64_t v) {
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
}

dq_status dq_safetensors_writer_serialize(const dq_safetensors_writer *w, void **bytes,
                                          size_t *len, dq_error *err) {
    *bytes = NULL;
    *len = 0;
    char *hdr;
    size_t hlen;
    dq_status s = st_build_header(w, &hdr, &hlen, err);
    if (s) return s;
    size_t data = w->n ? (size_t)w->t[w->n - 1].end : 0;
    unsigned char *b = malloc(8 + hlen + data);
    if (!b) {
        free(hdr);
        return dq_fail(err, DQ_ENOMEM, "out of memory serializing safetensors (%zu bytes)", 8 + hlen + data);
    }
    st_put_u64(b, hlen);
    memcpy(b + 8, hdr, hlen);
    free(hdr);
    for (int i = 0; i < w->n; i++)
        if (w->t[i].a.nbytes) memcpy(b + 8 + hlen + w->t[i].begin, w->t[i].a.data, w->t[i].a.nbytes);
    *bytes = b;
    *len = 8 + hlen + data;
    return DQ_OK;
}

dq_status dq_safetensors_writer_save(const dq_safetensors_writer *w, const char *path,
                                     dq_error *err) {
    char *hdr;
    size_t hlen;
    dq_status s = st_build_header(w, &hdr, &hlen, err);
    if (s) return s;
    dq_atomic_file *f;
    s = dq_atomic_open(&f, path, err);
    if (s) {
        free(hdr);
        return s;
    }
    FILE *fp = dq_atomic_stream(f);
    unsigned char n8[8];
    st_put_u64(n8, hlen);
    bool ok = fwrite(n8, 1, 8, fp) == 8 && fwrite(hdr, 1, hlen, fp) == hlen;
    free(hdr);
    for (int i = 0; ok && i < w->n; i++)
        ok = fwrite(w->t[i].a.data, 1, w->t[i].a.nbytes, fp) == w->t[i].a.nbytes;
    if (!ok) {
        dq_atomic_abort(f);
        return dq_fail(err, DQ_EIO, "cannot write '%s' (disk full?); the old file is unchanged", path);
    }
    return dq_atomic_commit(f, err);
}

/* ------------------------------------------------------------------ reader */

void dq_safetensors_free(dq_safetensors *f) {
    if (!f) return;
    for (int i = 0; i < f->n; i++) {
        free(f->t[i].a.name);
        if (f->t[i].own_data) free(f->t[i].a.data);
    }
    for (int i = 0; i < f->nm; i++) {
        free(f->m[i].key);
        free(f->m[i].value);
    }
    free(f->t);
    free(f->m);
    free(f->buf);
    free(f->src);
    free(f);
}

/* A JSON number that is a non-negative integer below 2^53. */
static int st_json_uint(const cJSON *j, uint64_t *v) {
    if (!cJSON_IsNumber(j)) return 0;
    double d = j->valuedouble;
    if (!(d >= 0 && d < ST_MAX_INT) || d != (double)(uint64_t)d) return 0;
    *v = (uint64_t)d;
    return 1;
}

static int st_cmp_offset(const void *a, const void *b) {
    const st_entry *x = a, *y = b;
    if (x->begin != y->begin) return x->begin < y->begin ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

static int st_cmp_name(const void *a, const void *b) {
    return strcmp((*(const st_entry *const *)a)->a.name, (*(const st_entry *const *)b)->a.name);
}

/* Parse one tensor entry of the header into e (name copied). */
static dq_status st_parse_entry(const cJSON *o, st_entry *e, const char *src, dq_error *err) {
    const char *name = o->string;
    if (!cJSON_IsObject(o))
        return dq_fail(err, DQ_EFORMAT, "%s: header entry '%s' is not an object", src, name);
    const cJSON *dt = cJSON_GetObjectItemCaseSensitive(o, "dtype");
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(o, "shape");
    const cJSON *of = cJSON_GetObjectItemCaseSensitive(o, "data_offsets");
    if (!cJSON_IsString(dt) || !cJSON_IsArray(sh) || !cJSON_IsArray(of))
        return dq_fail(err, DQ_EFORMAT, "%s: tensor '%s' needs a string \"dtype\" and arrays \"shape\" and \"data_offsets\"", src, name);
    if (!st_dtype_parse(dt->valuestring, &e->a.dtype))
        return dq_fail(err, DQ_EUNSUPPORTED, "%s: tensor '%s' has dtype '%s'; deepq reads F32 F64 I64 I32 U8 BOOL", src, name, dt->valuestring);
    int nd = cJSON_GetArraySize(sh);
    if (nd > DQ_NDARRAY_MAX_DIMS)
        return dq_fail(err, DQ_EUNSUPPORTED, "%s: tensor '%s' has %d dims (at most %d supported)", src, name, nd, DQ_NDARRAY_MAX_DIMS);
    e->a.ndim = nd;
    int d = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, sh) {
        uint64_t v;
        if (!st_json_uint(it, &v))
            return dq_fail(err, DQ_EFORMAT, "%s: tensor '%s' has a shape entry that is not a non-negative integer", src, name);
        e->a.shape[d++] = (int64_t)v;
    }
    if (cJSON_GetArraySize(of) != 2 || !st_json_uint(of->child, &e->begin) ||
        !st_json_uint(of->child->next, &e->end) || e->end < e->begin)
        return dq_fail(err, DQ_EFORMAT, "%s: tensor '%s' has bad data_offsets (need [begin, end] with begin <= end)", src, name);
    int64_t numel = dq_shape_numel(nd, e->a.shape);
    size_t es = dq_dtype_size(e->a.dtype);
    if (numel < 0) {
        char sb[128];
        dq_shape_format(sb, sizeof sb, nd, e->a.shape);
        return dq_fail(err, DQ_EFORMAT, "%s: tensor '%s' has shape %s, whose size overflows 64 bits",
                       src, name, sb);
    }
    if ((double)numel * (double)es >= ST_MAX_INT || (uint64_t)numel * es != e->end - e->begin) {
        char sb[128];
        dq_shape_format(sb, sizeof sb, nd, e->a.shape);
        return dq_fail(err, DQ_EFORMAT, "%s: tensor '%s' of shape %s and dtype %s needs %.0f bytes but its data_offsets span %llu",
                       src, name, sb, dt->valuestring, (double)numel * (double)es, (unsigned long long)(e->end - e->begin));
    }
    e->a.nbytes = (size_t)(e->end - e->begin);
    e->a.name = strdup(name);
    return e->a.name ? DQ_OK : dq_fail(err, DQ_ENOMEM, "out of memory");
}

static dq_status st_parse_meta(const cJSON *o, dq_safetensors *f, const char *src, dq_error *err) {
    if (!cJSON_IsObject(o)) return dq_fail(err, DQ_EFORMAT, "%s: __metadata__ is not an object", src);
    int n = cJSON_GetArraySize(o);
    f->m = calloc(n ? (size_t)n : 1, sizeof *f->m);
    if (!f->m) return dq_fail(err, DQ_ENOMEM, "out of memory");
    const cJSON *it;
    cJSON_ArrayForEach(it, o) {
        if (!cJSON_IsString(it))
            return dq_fail(err, DQ_EFORMAT, "%s: __metadata__ value of '%s' is not a string", src, it->string);
        st_meta *m = &f->m[f->nm++];
        m->key = strdup(it->string);
        m->value = strdup(it->valuestring);
        if (!m->key || !m->value) return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    return DQ_OK;
}

/* Takes ownership of buf (len bytes + 1 spare) on every path. */
static dq_status st_parse_owned(dq_safetensors **out, unsigned char *buf, size_t len,
                                const char *src, dq_error *err) {
    *out = NULL;
    dq_safetensors *f = calloc(1, sizeof *f);
    if (!f) {
        free(buf);
        return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    f->buf = buf;
    f->len = len;
    dq_status s = DQ_OK;
    cJSON *root = NULL;
    f->src = strdup(src);
    if (!f->src) {
        s = dq_fail(err, DQ_ENOMEM, "out of memory");
        goto done;
    }
    if (len < 8) {
        s = dq_fail(err, DQ_EFORMAT, "%s: truncated: %zu bytes, a safetensors file starts with an 8-byte header length", src, len);
        goto done;
    }
    uint64_t hlen = 0;
    for (int i = 0; i < 8; i++) hlen |= (uint64_t)buf[i] << (8 * i);
    if (hlen > len - 8) {
        s = dq_fail(err, DQ_EFORMAT, "%s: header length %llu goes past the end of the file (%zu bytes): truncated, or not a safetensors file",
                    src, (unsigned long long)hlen, len);
        goto done;
    }
    if (hlen > ST_MAX_HEADER) {
        s = dq_fail(err, DQ_EFORMAT, "%s: header length %llu is over the 100 MB limit", src, (unsigned long long)hlen);
        goto done;
    }
    const char *h = (const char *)buf + 8;
    if (hlen < 2 || h[0] != '{' || memchr(h, '\0', hlen)) {
        s = dq_fail(err, DQ_EFORMAT, "%s: header is not a JSON object (not a safetensors file?)", src);
        goto done;
    }
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(h, hlen, &end, 0);
    if (!root) {
        s = dq_fail(err, DQ_EFORMAT, "%s: malformed header JSON near byte %lld", src,
                    end && end >= h && end <= h + hlen ? (long long)(end - h) + 8 : -1LL);
        goto done;
    }
    for (const char *c = end; c && c < h + hlen; c++)
        if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r') {
            s = dq_fail(err, DQ_EFORMAT, "%s: malformed header JSON: junk after the object at byte %lld", src, (long long)(c - h) + 8);
            goto done;
        }
    if (!cJSON_IsObject(root)) {
        s = dq_fail(err, DQ_EFORMAT, "%s: header is not a JSON object", src);
        goto done;
    }
    int nkeys = cJSON_GetArraySize(root);
    f->t = calloc(nkeys ? (size_t)nkeys : 1, sizeof *f->t);
    if (!f->t) {
        s = dq_fail(err, DQ_ENOMEM, "out of memory");
        goto done;
    }
    bool seen_meta = false;
    const cJSON *it;
    cJSON_ArrayForEach(it, root) {
        if (strcmp(it->string, "__metadata__") == 0) {
            if (seen_meta) {
                s = dq_fail(err, DQ_EFORMAT, "%s: __metadata__ appears twice", src);
                goto done;
            }
            seen_meta = true;
            if ((s = st_parse_meta(it, f, src, err))) goto done;
            continue;
        }
        st_entry *e = &f->t[f->n];
        s = st_parse_entry(it, e, src, err);
        if (e->a.name) f->n++;
        if (s) goto done;
    }
    /* Unique names. */
    if (f->n > 1) {
        st_entry **by = malloc((size_t)f->n * sizeof *by);
        if (!by) {
            s = dq_fail(err, DQ_ENOMEM, "out of memory");
            goto done;
        }
        for (int i = 0; i < f->n; i++) by[i] = &f->t[i];
        qsort(by, (size_t)f->n, sizeof *by, st_cmp_name);
        for (int i = 1; i < f->n && !s; i++)
            if (strcmp(by[i]->a.name, by[i - 1]->a.name) == 0)
                s = dq_fail(err, DQ_EFORMAT, "%s: tensor '%s' appears twice in the header", src, by[i]->a.name);
        free(by);
        if (s) goto done;
    }
    /* Offsets must tile [0, data length) exactly. */
    qsort(f->t, (size_t)f->n, sizeof *f->t, st_cmp_offset);
    uint64_t data_len = len - 8 - hlen, pos = 0;
    for (int i = 0; i < f->n; i++) {
        const st_entry *e = &f->t[i];
        if (e->begin != pos) {
            s = dq_fail(err, DQ_EFORMAT, "%s: tensor '%s' starts at data offset %llu but the previous tensor ends at %llu (%s)",
                        src, e->a.name, (unsigned long long)e->begin, (unsigned long long)pos,
                        e->begin < pos ? "overlap" : "gap");
            goto done;
        }
        if (e->end > data_len) {
            s = dq_fail(err, DQ_EFORMAT, "%s: tensor '%s' ends at data offset %llu, past the end of the data (%llu bytes): truncated file",
                        src, e->a.name, (unsigned long long)e->end, (unsigned long long)data_len);
            goto done;
        }
        pos = e->end;
    }
    if (pos != data_len) {
        s = dq_fail(err, DQ_EFORMAT, "%s: the tensors cover %llu data bytes but the file holds %llu", src,
                    (unsigned long long)pos, (unsigned long long)data_len);
        goto done;
    }
    /* Hand out aligned pointers: copy any tensor whose start is not aligned for its dtype. */
    unsigned char *data = buf + 8 + hlen;
    for (int i = 0; i < f->n; i++) {
        st_entry *e = &f->t[i];
        unsigned char *p = data + e->begin;
        size_t es = dq_dtype_size(e->a.dtype);
        if (e->a.nbytes == 0 || (uintptr_t)p % es == 0) {
            e->a.data = p;
            continue;
        }
        e->a.data = malloc(e->a.nbytes);
        if (!e->a.data) {
            s = dq_fail(err, DQ_ENOMEM, "out of memory");
            goto done;
        }
        memcpy(e->a.data, p, e->a.nbytes);
        e->own_data = true;
    }
done:
    cJSON_Delete(root);
    if (s) {
        dq_safetensors_free(f);
        return s;
    }
    *out = f;
    return DQ_OK;
}

dq_status dq_safetensors_parse(dq_safetensors **out, const void *bytes, size_t len,
                               const char *label, dq_error *err) {
    *out = NULL;
    unsigned char *b = malloc(len + 1);
    if (!b) return dq_fail(err, DQ_ENOMEM, "out of memory");
    if (len) memcpy(b, bytes, len);
    return st_parse_owned(out, b, len, label ? label : "safetensors", err);
}

dq_status dq_safetensors_load(dq_safetensors **out, const char *path, dq_error *err) {
    *out = NULL;
    void *b;
    size_t len;
    dq_status s = dq_read_file(path, &b, &len, err);
    if (s) return s;
    return st_parse_owned(out, b, len, path, err);
}

int dq_safetensors_count(const dq_safetensors *f) { return f ? f->n : 0; }

const dq_ndarray *dq_safetensors_at(const dq_safetensors *f, int i) {
    return f && i >= 0 && i < f->n ? &f->t[i].a : NULL;
}

const dq_ndarray *dq_safetensors_find(const dq_safetensors *f, const char *name) {
    for (int i = 0; f && i < f->n; i++)
        if (strcmp(f->t[i].a.name, name) == 0) return &f->t[i].a;
    return NULL;
}

dq_status dq_safetensors_get(const dq_safetensors *f, const char *name, dq_dtype dtype,
                             int ndim, const int64_t *shape, const dq_ndarray **out,
                             dq_error *err) {
    *out = NULL;
    const dq_ndarray *a = dq_safetensors_find(f, name);
    if (!a) return dq_fail(err, DQ_ENOTFOUND, "tensor '%s' is missing from %s", name, f->src);
    dq_status s = dq_ndarray_expect(a, "tensor", f->src, dtype, ndim, shape, err);
    if (!s) *out = a;
    return s;
}

dq_status dq_safetensors_read(const dq_safetensors *f, const char *name, dq_dtype dtype,
                              int ndim, const int64_t *shape, void *dst, dq_error *err) {
    const dq_ndarray *a;
    dq_status s = dq_safetensors_get(f, name, dtype, ndim, shape, &a, err);
    if (s) return s;
    if (a->nbytes) memcpy(dst, a->data, a->nbytes);
    return DQ_OK;
}

const char *dq_safetensors_meta(const dq_safetensors *f, const char *key) {
    for (int i = 0; f && i < f->nm; i++)
        if (strcmp(f->m[i].key, key) == 0) return f->m[i].value;
    return NULL;
}

int dq_safetensors_meta_count(const dq_safetensors *f) { return f ? f->nm : 0; }

void dq_safetensors_meta_at(const dq_safetensors *f, int i, const char **key, const char **value) {
    bool ok = f && i >= 0 && i < f->nm;
    if (key) *key = ok ? f->m[i].key : NULL;
    if (value) *value = ok ? f->m[i].value : NULL;
}
