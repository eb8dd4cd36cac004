/* test_npz.c — .npy and .npz: bytes identical to np.save, archives written by np.savez and
 * np.savez_compressed (tests/fixtures, made by tests/ref/make_io_ref.py), round trips, and
 * clear errors on truncated, corrupt, Fortran-order, big-endian and mismatched files. */
#include "deepq/fsio.h"
#include "deepq/npz.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>

/* The arrays of make_io_ref.py. */
static void check_fixture_arrays(const dq_npz *z) {
    dq_error err;
    const dq_ndarray *a;
    CHECK(dq_npz_count(z) == 8);
    CHECK_OK(dq_npz_get(z, "w", DQ_F32, 2, (int64_t[]){2, 3}, &a, &err));
    for (int k = 0; a && k < 6; k++) CHECK(((float *)a->data)[k] == k * 0.5f - 1.0f);
    CHECK_OK(dq_npz_get(z, "d", DQ_F64, 1, (int64_t[]){3}, &a, &err));
    CHECK(a && ((double *)a->data)[0] == 1.0 / 3.0 && ((double *)a->data)[1] == -2.5e-300);
    CHECK_OK(dq_npz_get(z, "i", DQ_I64, 2, (int64_t[]){2, 2}, &a, &err));
    CHECK(a && ((int64_t *)a->data)[3] == -((int64_t)1 << 40));
    CHECK_OK(dq_npz_get(z, "j", DQ_I32, 1, (int64_t[]){3}, &a, &err));
    CHECK(a && ((int32_t *)a->data)[1] == -8);
    CHECK_OK(dq_npz_get(z, "u", DQ_U8, 1, (int64_t[]){3}, &a, &err));
    CHECK(a && ((uint8_t *)a->data)[2] == 255);
    CHECK_OK(dq_npz_get(z, "b", DQ_BOOL, 1, (int64_t[]){4}, &a, &err));
    CHECK(a && memcmp(a->data, "\1\0\1\1", 4) == 0);
    CHECK_OK(dq_npz_get(z, "s", DQ_F64, 0, NULL, &a, &err));
    CHECK(a && *(double *)a->data == 2.75);
    CHECK_OK(dq_npz_get(z, "e", DQ_F32, 2, (int64_t[]){0, 4}, &a, &err));
    CHECK(a && a->nbytes == 0);
}

static void test_numpy_files(void) {
    dq_error err;
    /* our .npy bytes are np.save's bytes */
    void *ref;
    size_t rlen;
    CHECK_OK(dq_read_file(DQ_FIXTURE_DIR "/io_w.npy", &ref, &rlen, &err));
    float w[6];
    for (int k = 0; k < 6; k++) w[k] = k * 0.5f - 1.0f;
    void *mine;
    size_t mlen;
    CHECK_OK(dq_npy_serialize(DQ_F32, 2, (int64_t[]){2, 3}, w, &mine, &mlen, &err));
    CHECK(mlen == rlen && memcmp(mine, ref, rlen) == 0);
    free(mine);
    free(ref);

    dq_ndarray a;
    CHECK_OK(dq_npy_load(DQ_FIXTURE_DIR "/io_w.npy", &a, &err));
    CHECK(a.dtype == DQ_F32 && a.ndim == 2 && a.shape[1] == 3 && memcmp(a.data, w, sizeof w) == 0);
    dq_ndarray_release(&a);
    CHECK(dq_npy_load(DQ_FIXTURE_DIR "/io_fortran.npy", &a, &err) == DQ_EUNSUPPORTED);
    CHECK_MSG(strstr(err.msg, "Fortran order") && strstr(err.msg, "ascontiguousarray"), "%s", err.msg);
    CHECK(dq_npy_load(DQ_FIXTURE_DIR "/io_bigendian.npy", &a, &err) == DQ_EUNSUPPORTED);
    CHECK_MSG(strstr(err.msg, "big-endian dtype '>f8'") && strstr(err.msg, "astype('<f8')"), "%s", err.msg);
    CHECK(a.data == NULL && a.name == NULL);

    dq_npz *z;
    CHECK_OK(dq_npz_load(&z, DQ_FIXTURE_DIR "/io_small.npz", &err));
    if (z) check_fixture_arrays(z);
    dq_npz_free(z);
    CHECK_OK(dq_npz_load(&z, DQ_FIXTURE_DIR "/io_small_z.npz", &err));
    if (z) check_fixture_arrays(z);
    dq_npz_free(z);
}

static void test_round_trip(void) {
    dq_error err;
    float obs[5][4];
    int64_t act[5];
    double rew[5];
    uint8_t term[5];
    for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 4; j++) obs[i][j] = (float)(i * 4 + j) / 7.0f;
        act[i] = i % 2;
        rew[i] = 1.0 / (i + 1);
        term[i] = i == 4;
    }
    int32_t idx[2] = {-3, 3};
    uint8_t px[3] = {0, 128, 255};
    dq_npz_writer *w;
    CHECK_OK(dq_npz_writer_create(&w, &err));
    CHECK_OK(dq_npz_writer_add(w, "observations", DQ_F32, 2, (int64_t[]){5, 4}, obs, &err));
    CHECK_OK(dq_npz_writer_add(w, "actions", DQ_I64, 1, (int64_t[]){5}, act, &err));
    CHECK_OK(dq_npz_writer_add(w, "rewards", DQ_F64, 1, (int64_t[]){5}, rew, &err));
    CHECK_OK(dq_npz_writer_add(w, "terminateds", DQ_BOOL, 1, (int64_t[]){5}, term, &err));
    CHECK_OK(dq_npz_writer_add(w, "idx", DQ_I32, 1, (int64_t[]){2}, idx, &err));
    CHECK_OK(dq_npz_writer_add(w, "px", DQ_U8, 3, (int64_t[]){1, 3, 1}, px, &err));
    CHECK(dq_npz_writer_add(w, "px", DQ_U8, 1, (int64_t[]){3}, px, &err) == DQ_EINVAL);

    for (int compress = 0; compress < 2; compress++) {
        void *b1, *b2;
        size_t l1, l2;
        CHECK_OK(dq_npz_writer_serialize(w, compress, &b1, &l1, &err));
        CHECK_OK(dq_npz_writer_serialize(w, compress, &b2, &l2, &err));
        CHECK(l1 == l2 && memcmp(b1, b2, l1) == 0); /* deterministic bytes */
        free(b2);
        const char *path = compress ? "npz_tmp_z.npz" : "npz_tmp.npz";
        CHECK_OK(dq_npz_writer_save(w, path, compress, &err));
        dq_npz *z;
        CHECK_OK(dq_npz_load(&z, path, &err));
        CHECK(dq_npz_count(z) == 6);
        CHECK(z && strcmp(dq_npz_at(z, 0)->name, "observations") == 0);
        const dq_ndarray *a;
        CHECK_OK(dq_npz_get(z, "observations", DQ_F32, 2, (int64_t[]){-1, 4}, &a, &err));
        CHECK(a && memcmp(a->data, obs, sizeof obs) == 0);
        CHECK_OK(dq_npz_get(z, "actions", DQ_I64, 1, (int64_t[]){5}, &a, &err));
        CHECK(a && memcmp(a->data, act, sizeof act) == 0);
        CHECK_OK(dq_npz_get(z, "rewards", DQ_F64, 1, (int64_t[]){5}, &a, &err));
        CHECK(a && memcmp(a->data, rew, sizeof rew) == 0);
        CHECK_OK(dq_npz_get(z, "terminateds", DQ_BOOL, 1, (int64_t[]){5}, &a, &err));
        CHECK(a && memcmp(a->data, term, sizeof term) == 0);
        CHECK_OK(dq_npz_get(z, "idx", DQ_I32, 1, (int64_t[]){2}, &a, &err));
        CHECK(a && memcmp(a->data, idx, sizeof idx) == 0);
        CHECK_OK(dq_npz_get(z, "px", DQ_U8, 3, (int64_t[]){1, 3, 1}, &a, &err));
        CHECK(a && memcmp(a->data, px, sizeof px) == 0);

        /* mismatches: one line naming array, file, got and expected */
        CHECK(dq_npz_get(z, "observations", DQ_F32, 2, (int64_t[]){-1, 8}, &a, &err) == DQ_EFORMAT);
        CHECK_MSG(strstr(err.msg, "array 'observations' has shape [5,4], expected [-1,8]") != NULL, "%s", err.msg);
        CHECK(strstr(err.msg, path) != NULL);
        CHECK(dq_npz_get(z, "actions", DQ_F32, 1, (int64_t[]){5}, &a, &err) == DQ_EFORMAT);
        CHECK_MSG(strstr(err.msg, "dtype i64, expected f32") != NULL, "%s", err.msg);
        CHECK(dq_npz_get(z, "next_observations", DQ_F32, -1, NULL, &a, &err) == DQ_ENOTFOUND && a == NULL);
        CHECK_MSG(strstr(err.msg, "'next_observations' is missing") && strstr(err.msg, "observations, actions"), "%s", err.msg);
        dq_npz_free(z);

        /* every truncation fails with a message, never a crash */
        int accepted = 0;
        for (size_t k = 0; k < l1; k++) {
            dq_npz *t = NULL;
            dq_status s = dq_npz_parse(&t, b1, k, "cut.npz", &err);
            accepted += s == DQ_OK || t != NULL;
            if (s) CHECK(err.msg[0] != '\0' && strchr(err.msg, '\n') == NULL);
            dq_npz_free(t);
        }
        CHECK_MSG(accepted == 0, "%d truncations accepted", accepted);
        /* flipped bytes: parse or fail, never crash; a flip in array data is caught by CRC */
        unsigned char *m = malloc(l1);
        for (size_t k = 0; k < l1; k += 3) {
            memcpy(m, b1, l1);
            m[k] ^= 0x5a;
            dq_npz *t = NULL;
            dq_status s = dq_npz_parse(&t, m, l1, "flip.npz", &err);
            CHECK(s == DQ_OK || t == NULL);
            dq_npz_free(t);
        }
        free(m);
        free(b1);
    }
    dq_npz_writer_destroy(w);

    /* an empty archive round-trips */
    CHECK_OK(dq_npz_writer_create(&w, &err));
    CHECK_OK(dq_npz_writer_save(w, "npz_empty.npz", false, &err));
    dq_npz_writer_destroy(w);
    dq_npz *z;
    CHECK_OK(dq_npz_load(&z, "npz_empty.npz", &err));
    CHECK(dq_npz_count(z) == 0);
    dq_npz_free(z);
    CHECK(dq_npz_load(&z, "no_such.npz", &err) == DQ_ENOTFOUND);
    CHECK(dq_npz_parse(&z, "hello world, not a zip", 22, "text.npz", &err) == DQ_EFORMAT);
    CHECK_MSG(strstr(err.msg, "text.npz: not a valid .npz") != NULL, "%s", err.msg);
}

/* Hand-made .npy headers: versions, spacing, Python 2 longs, bad ones. */
static dq_status npy_from_header(const char *dict, int major, size_t dlen, dq_ndarray *a, dq_error *err) {
    unsigned char b[512] = {0x93, 'N', 'U', 'M', 'P', 'Y', (unsigned char)major, 0};
    size_t h = strlen(dict), start = major == 1 ? 10 : 12;
    b[8] = (unsigned char)h;
    memcpy(b + start, dict, h);
    memset(b + start + h, 0x41, dlen);
    return dq_npy_parse(b, start + h + dlen, "hand.npy", a, err);
}

static void test_npy_headers(void) {
    dq_error err;
    dq_ndarray a;
    CHECK_OK(npy_from_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", 1, 16, &a, &err));
    CHECK(a.dtype == DQ_F64 && a.ndim == 1 && a.shape[0] == 2);
    dq_ndarray_release(&a);
    CHECK_OK(npy_from_header("{\"shape\":(2L,3L),\"fortran_order\":False,\"descr\":\"<i4\"}", 2, 24, &a, &err));
    CHECK(a.dtype == DQ_I32 && a.ndim == 2 && a.shape[0] == 2 && a.shape[1] == 3);
    dq_ndarray_release(&a);
    CHECK_OK(npy_from_header("{'descr': '|b1', 'fortran_order': True, 'shape': (3,)}", 3, 3, &a, &err)); /* 1-d: order is moot */
    dq_ndarray_release(&a);
    CHECK(npy_from_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 1, 15, &a, &err) == DQ_EFORMAT);
    CHECK_MSG(strstr(err.msg, "truncated") != NULL, "%s", err.msg);
    CHECK(npy_from_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 1, 17, &a, &err) == DQ_EFORMAT);
    CHECK(npy_from_header("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", 1, 4, &a, &err) == DQ_EUNSUPPORTED);
    CHECK_MSG(strstr(err.msg, "'<f2' is not supported") != NULL, "%s", err.msg);
    CHECK(npy_from_header("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }", 1, 4, &a, &err) == DQ_EUNSUPPORTED);
    CHECK(npy_from_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", 1, 8, &a, &err) == DQ_EFORMAT);
    CHECK(npy_from_header("{'descr': '<f4', 'shape': (2,)}", 1, 8, &a, &err) == DQ_EFORMAT);
    CHECK(npy_from_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2,", 1, 0, &a, &err) == DQ_EFORMAT);
    CHECK(npy_from_header("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}", 1, 8, &a, &err) == DQ_EFORMAT);
    CHECK(npy_from_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1)}", 1, 4, &a, &err) == DQ_EUNSUPPORTED);
    CHECK(npy_from_header("{}", 9, 0, &a, &err) == DQ_EUNSUPPORTED);
    CHECK(dq_npy_parse("\x93NUM", 4, "short.npy", &a, &err) == DQ_EFORMAT);
    CHECK(dq_npy_parse("PK\3\4xxxxxxxxxx", 14, "zip.npy", &a, &err) == DQ_EFORMAT);
    CHECK_MSG(strstr(err.msg, "not a .npy file") != NULL, "%s", err.msg);

    /* save/load round trip of a 0-d and a 3-d array, and every truncation of one */
    double s = -0.125;
    CHECK_OK(dq_npy_save("npy_tmp_scalar.npy", DQ_F64, 0, NULL, &s, &err));
    CHECK_OK(dq_npy_load("npy_tmp_scalar.npy", &a, &err));
    CHECK(a.ndim == 0 && a.nbytes == 8 && *(double *)a.data == -0.125);
    dq_ndarray_release(&a);
    int64_t q[2][2][3];
    for (int i = 0; i < 12; i++) ((int64_t *)q)[i] = i * 1000000007LL;
    void *b;
    size_t len;
    CHECK_OK(dq_npy_serialize(DQ_I64, 3, (int64_t[]){2, 2, 3}, q, &b, &len, &err));
    CHECK((len - 96) % 64 == 0); /* header padded to 64, then 96 data bytes */
    int accepted = 0;
    for (size_t k = 0; k < len; k++) {
        dq_status st = dq_npy_parse(b, k, "cut.npy", &a, &err);
        accepted += st == DQ_OK;
        dq_ndarray_release(&a);
    }
    CHECK(accepted == 0);
    /* any bit flipped in the header: parses or fails cleanly (ASan/UBSan watch) */
    unsigned char *m = malloc(len);
    for (size_t k = 0; k < len - 96; k++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(m, b, len);
            m[k] ^= (unsigned char)(1u << bit);
            dq_status st = dq_npy_parse(m, len, "flip.npy", &a, &err);
            CHECK(st == DQ_OK || (a.data == NULL && strchr(err.msg, '\n') == NULL));
            dq_ndarray_release(&a);
        }
    free(m);
    CHECK_OK(dq_npy_parse(b, len, "q.npy", &a, &err));
    CHECK(memcmp(a.data, q, sizeof q) == 0);
    dq_ndarray_release(&a);
    free(b);
}

int main(void) {
    test_numpy_files();
    test_round_trip();
    test_npy_headers();
    TEST_MAIN_END();
}
