/* fixture_txt.h — reader for the text fixtures written by the tests/ref scripts: a list of named arrays,
 * "<name> <rows> <cols>" followed by rows*cols numbers. Test-only helper (header-only). */
#ifndef DQ_FIXTURE_TXT_H
#define DQ_FIXTURE_TXT_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fx_array {
    char name[64];
    int rows, cols;
    double *v; /* [rows, cols] */
} fx_array;

typedef struct fx_file {
    int n;
    fx_array a[32];
} fx_file;

/* Load path into f; returns 0 on success. */
static int fx_load(fx_file *f, const char *path) {
    FILE *fp = fopen(path, "r");
    memset(f, 0, sizeof *f);
    if (!fp) return -1;
    while (f->n < 32) {
        fx_array *a = &f->a[f->n];
        if (fscanf(fp, "%63s %d %d", a->name, &a->rows, &a->cols) != 3) break;
        a->v = malloc((size_t)a->rows * a->cols * sizeof(double));
        for (long i = 0; i < (long)a->rows * a->cols; i++)
            if (fscanf(fp, "%lf", &a->v[i]) != 1) {
                fclose(fp);
                return -1;
            }
        f->n++;
    }
    fclose(fp);
    return f->n ? 0 : -1;
}

/* The array called name (aborts the test binary when absent: the fixture is broken). */
static const fx_array *fx_get(const fx_file *f, const char *name) {
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->a[i].name, name)) return &f->a[i];
    fprintf(stderr, "fixture array '%s' missing\n", name);
    exit(1);
}

static void fx_free(fx_file *f) {
    for (int i = 0; i < f->n; i++) free(f->a[i].v);
    f->n = 0;
}
#endif
