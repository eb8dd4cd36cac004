/* tool_io_write.c — helper for tests/cli_interop_io.sh (not a test by itself).
 *   tool_io_write write DIR   writes c.safetensors, c.npz, c_z.npz, c.npy, c.csv and tb/ with
 *                             the values below, for Python (numpy, safetensors, tensorboard)
 *                             to check;
 *   tool_io_write check DIR   reads py.safetensors, py.npz and py_z.npz written by Python with
 *                             the same values and checks them; exit status 0 when all match. */
#include "deepq/csv.h"
#include "deepq/fsio.h"
#include "deepq/npz.h"
#include "deepq/safetensors.h"
#include "deepq/tb.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The shared values (the Python side of cli_interop_io.sh builds the same). */
static float W[3][4];
static const double D[4] = {1.0 / 3.0, 1e300, -0.0, 5e-324};
static const int64_t I64[3] = {-(INT64_C(1) << 40), 7, 0};
static const int32_t I32[2] = {-7, 2147483647};
static const uint8_t U8[3] = {0, 128, 255};
static const uint8_t B[3] = {1, 0, 1};
static const double S = 2.75;

static int fail(const char *what, const dq_error *err) {
    fprintf(stderr, "tool_io_write: %s: %s\n", what, err ? err->msg : "values differ");
    return 1;
}

static int write_all(const char *dir) {
    dq_error err;
    char p[4096];
    dq_safetensors_writer *st;
    if (dq_safetensors_writer_create(&st, &err)) return fail("safetensors", &err);
    int bad = dq_safetensors_writer_add(st, "w", DQ_F32, 2, (int64_t[]){3, 4}, W, &err) ||
              dq_safetensors_writer_add(st, "d", DQ_F64, 1, (int64_t[]){4}, D, &err) ||
              dq_safetensors_writer_add(st, "i64", DQ_I64, 1, (int64_t[]){3}, I64, &err) ||
              dq_safetensors_writer_add(st, "i32", DQ_I32, 1, (int64_t[]){2}, I32, &err) ||
              dq_safetensors_writer_add(st, "u8", DQ_U8, 1, (int64_t[]){3}, U8, &err) ||
              dq_safetensors_writer_add(st, "b", DQ_BOOL, 1, (int64_t[]){3}, B, &err) ||
              dq_safetensors_writer_add_meta(st, "env", "CartPole-v1", &err) ||
              dq_safetensors_writer_add_meta(st, "note", "a \"quoted\" value", &err);
    snprintf(p, sizeof p, "%s/c.safetensors", dir);
    if (bad || dq_safetensors_writer_save(st, p, &err)) return fail("safetensors", &err);
    dq_safetensors_writer_destroy(st);

    dq_npz_writer *z;
    if (dq_npz_writer_create(&z, &err)) return fail("npz", &err);
    bad = dq_npz_writer_add(z, "w", DQ_F32, 2, (int64_t[]){3, 4}, W, &err) ||
          dq_npz_writer_add(z, "d", DQ_F64, 1, (int64_t[]){4}, D, &err) ||
          dq_npz_writer_add(z, "i64", DQ_I64, 1, (int64_t[]){3}, I64, &err) ||
          dq_npz_writer_add(z, "i32", DQ_I32, 1, (int64_t[]){2}, I32, &err) ||
          dq_npz_writer_add(z, "u8", DQ_U8, 1, (int64_t[]){3}, U8, &err) ||
          dq_npz_writer_add(z, "b", DQ_BOOL, 1, (int64_t[]){3}, B, &err) ||
          dq_npz_writer_add(z, "s", DQ_F64, 0, NULL, &S, &err);
    snprintf(p, sizeof p, "%s/c.npz", dir);
    if (bad || dq_npz_writer_save(z, p, false, &err)) return fail("npz", &err);
    snprintf(p, sizeof p, "%s/c_z.npz", dir);
    if (dq_npz_writer_save(z, p, true, &err)) return fail("npz", &err);
    dq_npz_writer_destroy(z);
    snprintf(p, sizeof p, "%s/c.npy", dir);
    if (dq_npy_save(p, DQ_F32, 2, (int64_t[]){3, 4}, W, &err)) return fail("npy", &err);

    snprintf(p, sizeof p, "%s/tb", dir);
    dq_tb_writer *tb;
    if (dq_tb_writer_create(&tb, p, &err)) return fail("tb", &err);
    for (int s = 0; s < 5; s++)
        if (dq_tb_writer_scalar(tb, "rollout/ep_rew_mean", s * 1.5, s * 100, 1700000000.0 + s, &err) ||
            dq_tb_writer_scalar(tb, "train/loss", 1.0 / (s + 1), s * 100, 1700000000.0 + s, &err))
            return fail("tb", &err);
    dq_tb_writer_destroy(tb);

    snprintf(p, sizeof p, "%s/c.csv", dir);
    const char *cols[] = {"episode", "return", "status"};
    dq_csv_writer *cw;
    if (dq_csv_writer_open(&cw, p, 3, cols, false, &err)) return fail("csv", &err);
    for (int i = 0; i < 4; i++) {
        dq_csv_put_int(cw, i);
        dq_csv_put_double(cw, D[i]);
        dq_csv_put_str(cw, i == 1 ? "Solved, twice" : "Timeout");
        if (dq_csv_end_row(cw, &err)) return fail("csv", &err);
    }
    return dq_csv_writer_close(cw, &err) ? fail("csv", &err) : 0;
}

static int same(const dq_ndarray *a, const void *v, size_t n) { return a && a->nbytes == n && memcmp(a->data, v, n) == 0; }

static int check_all(const char *dir) {
    dq_error err;
    char p[4096];
    const dq_ndarray *a[7];
    dq_safetensors *st;
    snprintf(p, sizeof p, "%s/py.safetensors", dir);
    if (dq_safetensors_load(&st, p, &err)) return fail("py.safetensors", &err);
    if (dq_safetensors_get(st, "w", DQ_F32, 2, (int64_t[]){3, 4}, &a[0], &err) ||
        dq_safetensors_get(st, "d", DQ_F64, 1, (int64_t[]){4}, &a[1], &err) ||
        dq_safetensors_get(st, "i64", DQ_I64, 1, (int64_t[]){3}, &a[2], &err) ||
        dq_safetensors_get(st, "i32", DQ_I32, 1, (int64_t[]){2}, &a[3], &err) ||
        dq_safetensors_get(st, "u8", DQ_U8, 1, (int64_t[]){3}, &a[4], &err) ||
        dq_safetensors_get(st, "b", DQ_BOOL, 1, (int64_t[]){3}, &a[5], &err))
        return fail("py.safetensors", &err);
    if (!same(a[0], W, sizeof W) || !same(a[1], D, sizeof D) || !same(a[2], I64, sizeof I64) ||
        !same(a[3], I32, sizeof I32) || !same(a[4], U8, sizeof U8) || !same(a[5], B, sizeof B) ||
        !dq_safetensors_meta(st, "env") || strcmp(dq_safetensors_meta(st, "env"), "CartPole-v1") != 0)
        return fail("py.safetensors", NULL);
    dq_safetensors_free(st);
    for (int k = 0; k < 2; k++) {
        dq_npz *z;
        snprintf(p, sizeof p, "%s/%s", dir, k ? "py_z.npz" : "py.npz");
        if (dq_npz_load(&z, p, &err)) return fail(p, &err);
        if (dq_npz_get(z, "w", DQ_F32, 2, (int64_t[]){3, 4}, &a[0], &err) ||
            dq_npz_get(z, "d", DQ_F64, 1, (int64_t[]){4}, &a[1], &err) ||
            dq_npz_get(z, "i64", DQ_I64, 1, (int64_t[]){3}, &a[2], &err) ||
            dq_npz_get(z, "i32", DQ_I32, 1, (int64_t[]){2}, &a[3], &err) ||
            dq_npz_get(z, "u8", DQ_U8, 1, (int64_t[]){3}, &a[4], &err) ||
            dq_npz_get(z, "b", DQ_BOOL, 1, (int64_t[]){3}, &a[5], &err) ||
            dq_npz_get(z, "s", DQ_F64, 0, NULL, &a[6], &err))
            return fail(p, &err);
        if (!same(a[0], W, sizeof W) || !same(a[1], D, sizeof D) || !same(a[2], I64, sizeof I64) ||
            !same(a[3], I32, sizeof I32) || !same(a[4], U8, sizeof U8) || !same(a[5], B, sizeof B) ||
            !same(a[6], &S, sizeof S))
            return fail(p, NULL);
        dq_npz_free(z);
    }
    return 0;
}

int main(int argc, char **argv) {
    for (int i = 0; i < 12; i++) W[i / 4][i % 4] = (float)(i - 5) / 4.0f;
    if (argc == 3 && strcmp(argv[1], "write") == 0) return write_all(argv[2]);
    if (argc == 3 && strcmp(argv[1], "check") == 0) return check_all(argv[2]);
    fprintf(stderr, "usage: tool_io_write write|check DIR\n");
    return 2;
}
