/* csv.c — row-flushed CSV writer and numeric CSV reader for run logs. */
#include "deepq/csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deepq/fsio.h"

struct dq_csv_writer {
    FILE *fp;
    char *path;
    int ncols;
    int cells;    /* cells in the current row */
    char *row;    /* current row text */
    size_t n, cap;
    bool bad;     /* a put failed (no memory) */
};

static void row_add(dq_csv_writer *w, const char *s, size_t len) {
    if (w->bad) return;
    if (w->n + len + 2 > w->cap) {
        size_t nc = (w->cap ? w->cap : 256);
        while (w->n + len + 2 > nc) nc *= 2;
        char *r = realloc(w->row, nc);
        if (!r) {
            w->bad = true;
            return;
        }
        w->row = r;
        w->cap = nc;
    }
    memcpy(w->row + w->n, s, len);
    w->n += len;
}

static void cell_begin(dq_csv_writer *w) {
    if (w->cells++) row_add(w, ",", 1);
}

/* A cell: quoted when it holds a separator, quote or line break. */
static void put_text(dq_csv_writer *w, const char *s) {
    if (!strpbrk(s, ",\"\r\n")) {
        row_add(w, s, strlen(s));
        return;
    }
    row_add(w, "\"", 1);
    for (const char *c = s; *c; c++) {
        if (*c == '"') row_add(w, "\"\"", 2);
        else row_add(w, c, 1);
    }
    row_add(w, "\"", 1);
}

dq_status dq_csv_writer_open(dq_csv_writer **out, const char *path, int ncols,
                             const char *const *cols, bool append, dq_error *err) {
    *out = NULL;
    if (ncols <= 0) return dq_fail(err, DQ_EINVAL, "%s: a CSV needs at least one column", path);
    dq_csv_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    w->ncols = ncols;
    for (int j = 0; j < ncols; j++) {
        cell_begin(w);
        put_text(w, cols[j]);
    }
    row_add(w, "\n", 1);
    w->cells = 0;
    if (w->bad) {
        dq_csv_writer_close(w, NULL);
        return dq_fail(err, DQ_ENOMEM, "out of memory");
    }
    bool write_header = true;
    if (append) {
        void *old;
        size_t len;
        dq_status s = dq_read_file(path, &old, &len, NULL);
        if (s == DQ_OK && len == 0) free(old); /* an empty file: write the header (no leak) */
        if (s == DQ_OK && len > 0) {
            const char *o = old;
            if (len < w->n || memcmp(o, w->row, w->n) != 0) {
                free(old);
                w->row[w->n - 1] = '\0';
                s = dq_fail(err, DQ_EFORMAT, "%s: existing header differs from '%s'; not appending", path, w->row);
                dq_csv_writer_close(w, NULL);
                return s;
            }
            size_t keep = len;
            while (keep > 0 && o[keep - 1] != '\n') keep--; /* drop a partial last line */
            free(old);
            if (keep != len && truncate(path, (off_t)keep) != 0) {
                s = dq_fail(err, DQ_EIO, "cannot trim '%s': %s", path, strerror(errno));
                dq_csv_writer_close(w, NULL);
                return s;
            }
            write_header = false;
        }
    }
    w->fp = fopen(path, append ? "ab" : "wb");
    if (!w->fp) {
        dq_status s = dq_fail(err, DQ_EIO, "cannot open '%s' for writing: %s", path, strerror(errno));
        dq_csv_writer_close(w, NULL);
        return s;
    }
    if (write_header && (fwrite(w->row, 1, w->n, w->fp) != w->n || fflush(w->fp) != 0)) {
        dq_status s = dq_fail(err, DQ_EIO, "cannot write '%s': %s", path, strerror(errno));
        dq_csv_writer_close(w, NULL);
        return s;
    }
    w->n = 0;
    *out = w;
    return DQ_OK;
}

void dq_csv_put_int(dq_csv_writer *w, int64_t v) {
    char b[32];
    cell_begin(w);
    row_add(w, b, (size_t)snprintf(b, sizeof b, "%lld", (long long)v));
}

void dq_csv_put_double(dq_csv_writer *w, double v) {
    char b[40];
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) { /* shortest of %.15g..%.17g that round-trips */
        n = snprintf(b, sizeof b, "%.*g", prec, v);
        if (isnan(v) || strtod(b, NULL) == v) break;
    }
    cell_begin(w);
    row_add(w, b, (size_t)n);
}

void dq_csv_put_fixed(dq_csv_writer *w, double v, int decimals) {
    char b[400];
    cell_begin(w);
    row_add(w, b, (size_t)snprintf(b, sizeof b, "%.*f", decimals < 0 ? 0 : decimals > 30 ? 30 : decimals, v));
}

void dq_csv_put_str(dq_csv_writer *w, const char *s) {
    cell_begin(w);
    put_text(w, s ? s : "");
}

dq_status dq_csv_end_row(dq_csv_writer *w, dq_error *err) {
    int cells = w->cells;
    bool bad = w->bad;
    w->cells = 0;
    w->bad = false;
    if (bad) {
        w->n = 0;
        return dq_fail(err, DQ_ENOMEM, "%s: out of memory building a row", w->path);
    }
    if (cells != w->ncols) {
        w->n = 0;
        return dq_fail(err, DQ_EINVAL, "%s: row has %d cells, the header has %d", w->path, cells, w->ncols);
    }
    row_add(w, "\n", 1);
    size_t n = w->n;
    w->n = 0;
    if (fwrite(w->row, 1, n, w->fp) != n || fflush(w->fp) != 0)
        return dq_fail(err, DQ_EIO, "cannot write '%s': %s", w->path, strerror(errno));
    return DQ_OK;
}

dq_status dq_csv_writer_close(dq_csv_writer *w, dq_error *err) {
    if (!w) return DQ_OK;
    dq_status s = DQ_OK;
    if (w->fp && fclose(w->fp) != 0) s = dq_fail(err, DQ_EIO, "cannot close '%s': %s", w->path, strerror(errno));
    free(w->row);
    free(w->path);
    free(w);
    return s;
}

/* ------------------------------------------------------------------ reader */

struct dq_csv_table {
    char *src;
    int ncols;
    size_t nrows;
    char **names;  /* [ncols] */
    double *data;  /* [ncols][nrows] column-major */
};

void dq_csv_table_free(dq_csv_table *t) {
    if (!t) return;
    for (int j = 0; t->names && j < t->ncols; j++) free(t->names[j]);
    free(t->names);
    free(t->data);
    free(t->src);
    free(t);
}

/* Split one record starting at *p, unquoting in place; the cell strings (pointing into the
 * buffer) go to *cells, grown as needed. Returns the cell count, -1 on an unterminated quote,
 * -2 out of memory. */
static int split_record(char **p, char *end, char ***cells, int *cap) {
    char *s = *p;
    int n = 0;
    for (;;) {
        char *cell = s, *o = s;
        if (s < end && *s == '"') {
            s++;
            for (;;) {
                if (s >= end) return -1;
                if (*s == '"') {
                    if (s + 1 < end && s[1] == '"') {
                        *o++ = '"';
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                *o++ = *s++;
            }
            while (s < end && *s != ',' && *s != '\n') s++; /* junk after the quote is ignored */
        } else {
            while (s < end && *s != ',' && *s != '\n') *o++ = *s++;
        }
        char sep = s < end ? *s : '\n';
        if (o > cell && o[-1] == '\r' && sep == '\n') o--;
        *o = '\0';
        if (n == *cap) {
            int nc = *cap ? 2 * *cap : 16;
            char **nn = realloc(*cells, (size_t)nc * sizeof *nn);
            if (!nn) return -2;
            *cells = nn;
            *cap = nc;
        }
        (*cells)[n++] = cell;
        if (s < end) s++;
        if (sep == '\n') break;
    }
    *p = s;
    return n;
}

dq_status dq_csv_read(const char *path, dq_csv_table **out, dq_error *err) {
    *out = NULL;
    char *buf;
    size_t len;
    dq_status s = dq_read_file(path, (void **)&buf, &len, err);
    if (s) return s;
    dq_csv_table *t = calloc(1, sizeof *t);
    char **cells = NULL;
    if (!t || !(t->src = strdup(path))) {
        s = dq_fail(err, DQ_ENOMEM, "out of memory");
        goto done;
    }
    char *p = buf, *end = buf + len;
    if (len == 0) {
        s = dq_fail(err, DQ_EFORMAT, "%s: empty file (no CSV header)", path);
        goto done;
    }
    int cap = 0, nh = split_record(&p, end, &cells, &cap);
    if (nh < 0) {
        s = dq_fail(err, nh == -1 ? DQ_EFORMAT : DQ_ENOMEM, "%s: %s in the header", path,
                    nh == -1 ? "unterminated quote" : "out of memory");
        goto done;
    }
    t->ncols = nh;
    t->names = calloc((size_t)nh, sizeof *t->names);
    if (!t->names) {
        s = dq_fail(err, DQ_ENOMEM, "out of memory");
        goto done;
    }
    for (int j = 0; j < nh; j++)
        if (!(t->names[j] = strdup(cells[j]))) {
            s = dq_fail(err, DQ_ENOMEM, "out of memory");
            goto done;
        }
    size_t maxrows = 0;
    for (char *c = p; c < end; c++) maxrows += *c == '\n';
    maxrows += 1;
    t->data = malloc(maxrows * (size_t)nh * sizeof *t->data);
    if (!t->data) {
        s = dq_fail(err, DQ_ENOMEM, "out of memory");
        goto done;
    }
    size_t line = 1;
    while (p < end) {
        line++;
        if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) { /* blank line */
            p += *p == '\n' ? 1 : 2;
            continue;
        }
        int n = split_record(&p, end, &cells, &cap);
        if (n < 0) {
            s = dq_fail(err, n == -1 ? DQ_EFORMAT : DQ_ENOMEM, "%s:%zu: %s", path, line,
                        n == -1 ? "unterminated quote" : "out of memory");
            goto done;
        }
        if (n != nh) {
            s = dq_fail(err, DQ_EFORMAT, "%s:%zu: %d cells, the header has %d", path, line, n, nh);
            goto done;
        }
        for (int j = 0; j < nh; j++) {
            char *e;
            const char *c = cells[j];
            while (*c == ' ') c++;
            double v = strtod(c, &e);
            while (*e == ' ') e++;
            t->data[(size_t)j * maxrows + t->nrows] = (e == c || *e) ? NAN : v;
        }
        t->nrows++;
    }
    /* Compact columns from stride maxrows to nrows. */
    for (int j = 1; j < nh; j++)
        memmove(t->data + (size_t)j * t->nrows, t->data + (size_t)j * maxrows, t->nrows * sizeof *t->data);
done:
    free(cells);
    free(buf);
    if (s) {
        dq_csv_table_free(t);
        return s;
    }
    *out = t;
    return DQ_OK;
}

int dq_csv_ncols(const dq_csv_table *t) { return t ? t->ncols : 0; }
size_t dq_csv_nrows(const dq_csv_table *t) { return t ? t->nrows : 0; }
const char *dq_csv_colname(const dq_csv_table *t, int j) {
    return t && j >= 0 && j < t->ncols ? t->names[j] : NULL;
}

int dq_csv_col(const dq_csv_table *t, const char *name) {
    for (int j = 0; t && j < t->ncols; j++)
        if (strcmp(t->names[j], name) == 0) return j;
    return -1;
}

const double *dq_csv_column(const dq_csv_table *t, int j) {
    return t && j >= 0 && j < t->ncols ? t->data + (size_t)j * t->nrows : NULL;
}

dq_status dq_csv_get(const dq_csv_table *t, const char *name, const double **col, dq_error *err) {
    int j = dq_csv_col(t, name);
    *col = dq_csv_column(t, j);
    if (j >= 0) return DQ_OK;
    char have[256] = "";
    size_t n = 0;
    for (int k = 0; k < t->ncols && n + 2 < sizeof have; k++)
        n += (size_t)snprintf(have + n, sizeof have - n, "%s%s", k ? ", " : "", t->names[k]);
    return dq_fail(err, DQ_ENOTFOUND, "%s has no column '%s' (it has: %s)", t->src, name, have);
}
