/* test_safetensors.c — safetensors round trip, a file written by the Python `safetensors`
 * package (tests/fixtures/io_small.safetensors, made by tests/ref/make_io_ref.py), and the
 * validation of broken files: every truncation, byte flips, and hand-made bad headers. */
#include "deepq/fsio.h"
#include "deepq/safetensors.h"
#include "test.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/* A file from a header text and a data section. */
static unsigned char *make_file(const char *hdr, const void *data, size_t dlen, size_t *len) {
    size_t h = strlen(hdr);
    unsigned char *b = malloc(8 + h + dlen + 1);
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)h >> (8 * i));
    memcpy(b + 8, hdr, h);
    if (dlen) memcpy(b + 8 + h, data, dlen);
    *len = 8 + h + dlen;
    return b;
}

/* Parse a hand-made file; return the status and copy the message into msg. */
static dq_status try_parse(const char *hdr, size_t dlen, char *msg) {
    unsigned char data[256] = {0};
    size_t len;
    unsigned char *b = make_file(hdr, data, dlen, &len);
    dq_safetensors *f = NULL;
    dq_error err;
    dq_error_clear(&err);
    dq_status s = dq_safetensors_parse(&f, b, len, "bad.safetensors", &err);
    strcpy(msg, err.msg);
    dq_safetensors_free(f);
    free(b);
    return s;
}

static void test_round_trip(void) {
    float w[2][3] = {{1, 2, 3}, {4, 5, -6.5f}};
    double d[3] = {1.0 / 3.0, -1e-300, 1e300};
    int64_t i64[2] = {-1, (int64_t)1 << 50};
    int32_t i32[3] = {7, -8, 9};
    uint8_t u8[3] = {0, 1, 255};
    uint8_t b[4] = {1, 0, 1, 1};
    double scalar = 2.75;
    dq_error err;
    dq_safetensors_writer *wr;
    CHECK_OK(dq_safetensors_writer_create(&wr, &err));
    CHECK_OK(dq_safetensors_writer_add(wr, "u", DQ_U8, 1, (int64_t[]){3}, u8, &err)); /* misaligns the next */
    CHECK_OK(dq_safetensors_writer_add(wr, "q.0.weight", DQ_F32, 2, (int64_t[]){2, 3}, w, &err));
    CHECK_OK(dq_safetensors_writer_add(wr, "d", DQ_F64, 1, (int64_t[]){3}, d, &err));
    CHECK_OK(dq_safetensors_writer_add(wr, "i64", DQ_I64, 1, (int64_t[]){2}, i64, &err));
    CHECK_OK(dq_safetensors_writer_add(wr, "i32", DQ_I32, 1, (int64_t[]){3}, i32, &err));
    CHECK_OK(dq_safetensors_writer_add(wr, "b", DQ_BOOL, 1, (int64_t[]){4}, b, &err));
    CHECK_OK(dq_safetensors_writer_add(wr, "scalar", DQ_F64, 0, NULL, &scalar, &err));
    CHECK_OK(dq_safetensors_writer_add(wr, "empty", DQ_F32, 2, (int64_t[]){0, 4}, NULL, &err));
    CHECK(dq_safetensors_writer_add(wr, "d", DQ_F64, 1, (int64_t[]){3}, d, &err) == DQ_EINVAL);
    CHECK(dq_safetensors_writer_add(wr, "__metadata__", DQ_F64, 1, (int64_t[]){3}, d, &err) == DQ_EINVAL);
    CHECK_OK(dq_safetensors_writer_add_meta(wr, "env", "CartPole-v1", &err));
    CHECK_OK(dq_safetensors_writer_add_meta(wr, "step", "1", &err));
    CHECK_OK(dq_safetensors_writer_add_meta(wr, "step", "1000", &err)); /* replaces */
    CHECK_OK(dq_safetensors_writer_add_meta(wr, "quote", "a \"b\"\n\\c", &err));

    void *bytes;
    size_t len;
    CHECK_OK(dq_safetensors_writer_serialize(wr, &bytes, &len, &err));
    uint64_t hlen = 0;
    for (int k = 0; k < 8; k++) hlen |= (uint64_t)((unsigned char *)bytes)[k] << (8 * k);
    CHECK(hlen % 8 == 0);
    CHECK(((char *)bytes)[8] == '{');
    CHECK(len == 8 + hlen + 3 + 24 + 24 + 16 + 12 + 4 + 8);
    void *again;
    size_t alen;
    CHECK_OK(dq_safetensors_writer_serialize(wr, &again, &alen, &err));
    CHECK(alen == len && memcmp(again, bytes, len) == 0); /* same input, same bytes */
    free(again);

    /* save == serialize, and nothing left behind in the directory */
    CHECK_OK(dq_mkdir_p("st_tmp/a/b", &err));
    CHECK_OK(dq_safetensors_writer_save(wr, "st_tmp/a/b/x.safetensors", &err));
    void *disk;
    size_t dlen;
    CHECK_OK(dq_read_file("st_tmp/a/b/x.safetensors", &disk, &dlen, &err));
    CHECK(dlen == len && memcmp(disk, bytes, len) == 0);
    free(disk);
    DIR *dir = opendir("st_tmp/a/b");
    int files = 0;
    for (struct dirent *de; dir && (de = readdir(dir));)
        files += de->d_name[0] != '.' || strstr(de->d_name, ".tmp") != NULL;
    if (dir) closedir(dir);
    CHECK(files == 1);
    /* saving into a missing directory fails and says where */
    CHECK(dq_safetensors_writer_save(wr, "st_tmp/nope/x.safetensors", &err) == DQ_EIO);
    CHECK(strstr(err.msg, "st_tmp/nope/x.safetensors") != NULL);
    dq_safetensors_writer_destroy(wr);

    dq_safetensors *f;
    CHECK_OK(dq_safetensors_load(&f, "st_tmp/a/b/x.safetensors", &err));
    CHECK(dq_safetensors_count(f) == 8);
    CHECK(strcmp(dq_safetensors_at(f, 0)->name, "u") == 0); /* offset order */
    float w2[2][3];
    CHECK_OK(dq_safetensors_read(f, "q.0.weight", DQ_F32, 2, (int64_t[]){2, 3}, w2, &err));
    CHECK(memcmp(w, w2, sizeof w) == 0);
    const dq_ndarray *a;
    CHECK_OK(dq_safetensors_get(f, "d", DQ_F64, 1, (int64_t[]){-1}, &a, &err));
    CHECK(a && (uintptr_t)a->data % 8 == 0 && memcmp(a->data, d, sizeof d) == 0);
    CHECK_OK(dq_safetensors_get(f, "i64", DQ_I64, -1, NULL, &a, &err));
    CHECK(a && memcmp(a->data, i64, sizeof i64) == 0);
    CHECK_OK(dq_safetensors_get(f, "i32", DQ_I32, 1, (int64_t[]){3}, &a, &err));
    CHECK(a && memcmp(a->data, i32, sizeof i32) == 0);
    CHECK_OK(dq_safetensors_get(f, "u", DQ_U8, 1, (int64_t[]){3}, &a, &err));
    CHECK(a && memcmp(a->data, u8, sizeof u8) == 0);
    CHECK_OK(dq_safetensors_get(f, "b", DQ_BOOL, 1, (int64_t[]){4}, &a, &err));
    CHECK(a && memcmp(a->data, b, sizeof b) == 0);
    CHECK_OK(dq_safetensors_get(f, "scalar", DQ_F64, 0, NULL, &a, &err));
    CHECK(a && a->ndim == 0 && *(double *)a->data == 2.75);
    CHECK_OK(dq_safetensors_get(f, "empty", DQ_F32, 2, (int64_t[]){0, 4}, &a, &err));
    CHECK(a && a->nbytes == 0);
    CHECK(strcmp(dq_safetensors_meta(f, "env"), "CartPole-v1") == 0);
    CHECK(strcmp(dq_safetensors_meta(f, "step"), "1000") == 0);
    CHECK(strcmp(dq_safetensors_meta(f, "quote"), "a \"b\"\n\\c") == 0);
    CHECK(dq_safetensors_meta(f, "nope") == NULL);
    CHECK(dq_safetensors_meta_count(f) == 3);

    /* wrong shape, wrong dtype, missing: one-line messages naming the tensor */
    CHECK(dq_safetensors_get(f, "q.0.weight", DQ_F32, 2, (int64_t[]){2, 8}, &a, &err) == DQ_EFORMAT);
    CHECK_MSG(strstr(err.msg, "tensor 'q.0.weight' has shape [2,3], expected [2,8]") != NULL, "%s", err.msg);
    CHECK(dq_safetensors_get(f, "q.0.weight", DQ_F64, 2, (int64_t[]){2, 3}, &a, &err) == DQ_EFORMAT);
    CHECK_MSG(strstr(err.msg, "dtype f32, expected f64") != NULL, "%s", err.msg);
    CHECK(dq_safetensors_get(f, "q.9.weight", DQ_F32, -1, NULL, &a, &err) == DQ_ENOTFOUND);
    CHECK_MSG(strstr(err.msg, "'q.9.weight' is missing") != NULL, "%s", err.msg);
    CHECK(strchr(err.msg, '\n') == NULL);
    dq_safetensors_free(f);

    /* every truncation fails cleanly */
    int bad = 0;
    for (size_t k = 0; k < len; k++) {
        dq_safetensors *g = NULL;
        dq_status s = dq_safetensors_parse(&g, bytes, k, "cut", &err);
        bad += s == DQ_OK || g != NULL;
        dq_safetensors_free(g);
    }
    CHECK_MSG(bad == 0, "%d truncations were accepted", bad);

    /* flipping any header byte either still parses or fails cleanly (ASan watches) */
    unsigned char *m = malloc(len);
    for (size_t k = 0; k < 8 + hlen; k++)
        for (int bit = 0; bit < 8; bit += 3) {
            memcpy(m, bytes, len);
            m[k] ^= (unsigned char)(1u << bit);
            dq_safetensors *g = NULL;
            dq_status s = dq_safetensors_parse(&g, m, len, "flip", &err);
            CHECK(s == DQ_OK || g == NULL);
            dq_safetensors_free(g);
        }
    free(m);
    free(bytes);
}

static void test_python_fixture(void) {
    dq_error err;
    dq_safetensors *f;
    CHECK_OK(dq_safetensors_load(&f, DQ_FIXTURE_DIR "/io_small.safetensors", &err));
    if (!f) return;
    CHECK(dq_safetensors_count(f) == 7);
    float w[6];
    CHECK_OK(dq_safetensors_read(f, "w", DQ_F32, 2, (int64_t[]){2, 3}, w, &err));
    for (int k = 0; k < 6; k++) CHECK(w[k] == k * 0.5f - 1.0f);
    const dq_ndarray *a;
    CHECK_OK(dq_safetensors_get(f, "d", DQ_F64, 1, (int64_t[]){3}, &a, &err));
    CHECK(a && ((double *)a->data)[0] == 1.0 / 3.0 && ((double *)a->data)[2] == 1e300);
    CHECK_OK(dq_safetensors_get(f, "i", DQ_I64, 2, (int64_t[]){2, 2}, &a, &err));
    CHECK(a && ((int64_t *)a->data)[3] == -((int64_t)1 << 40));
    CHECK_OK(dq_safetensors_get(f, "j", DQ_I32, 1, (int64_t[]){3}, &a, &err));
    CHECK(a && ((int32_t *)a->data)[1] == -8);
    CHECK_OK(dq_safetensors_get(f, "u", DQ_U8, 1, (int64_t[]){3}, &a, &err));
    CHECK(a && ((uint8_t *)a->data)[2] == 255);
    CHECK_OK(dq_safetensors_get(f, "b", DQ_BOOL, 1, (int64_t[]){4}, &a, &err));
    CHECK(a && memcmp(a->data, "\1\0\1\1", 4) == 0);
    CHECK_OK(dq_safetensors_get(f, "e", DQ_F32, 2, (int64_t[]){0, 4}, &a, &err));
    CHECK(dq_safetensors_meta(f, "env") && strcmp(dq_safetensors_meta(f, "env"), "CartPole-v1") == 0);
    CHECK(dq_safetensors_meta(f, "step") && strcmp(dq_safetensors_meta(f, "step"), "1234") == 0);
    dq_safetensors_free(f);
}

static void test_bad_headers(void) {
    char msg[512];
    const char *ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    CHECK(try_parse(ok, 8, msg) == DQ_OK);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8, msg) == DQ_EFORMAT);
    CHECK_MSG(strstr(msg, "malformed header JSON") != NULL, "%s", msg);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, msg) == DQ_EUNSUPPORTED);
    CHECK_MSG(strstr(msg, "'F16'") != NULL, "%s", msg);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, msg) == DQ_EFORMAT);
    CHECK_MSG(strstr(msg, "needs 12 bytes") != NULL, "%s", msg);
    CHECK(try_parse(ok, 12, msg) == DQ_EFORMAT); /* data not covered */
    CHECK_MSG(strstr(msg, "cover 8") != NULL, "%s", msg);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                    "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, msg) == DQ_EFORMAT);
    CHECK_MSG(strstr(msg, "overlap") != NULL, "%s", msg);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                    "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12, msg) == DQ_EFORMAT);
    CHECK_MSG(strstr(msg, "gap") != NULL, "%s", msg);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, msg) == DQ_EFORMAT);
    CHECK_MSG(strstr(msg, "past the end") != NULL, "%s", msg);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                    "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, msg) == DQ_EFORMAT);
    CHECK_MSG(strstr(msg, "twice") != NULL, "%s", msg);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, msg) == DQ_EFORMAT);
    /* a shape whose element count overflows 64 bits is named as such (it said "needs -4 bytes") */
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                    "\"data_offsets\":[0,4]}}", 4, msg) == DQ_EFORMAT);
    CHECK_MSG(strstr(msg, "overflows 64 bits") != NULL && !strstr(msg, "-4"), "%s", msg);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4, msg) == DQ_EFORMAT);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4, msg) == DQ_EFORMAT);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4, msg) == DQ_EFORMAT);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, msg) == DQ_EFORMAT);
    CHECK(try_parse("{\"a\":[1,2]}", 0, msg) == DQ_EFORMAT);
    CHECK(try_parse("{\"__metadata__\":{\"k\":1}}", 0, msg) == DQ_EFORMAT);
    CHECK_MSG(strstr(msg, "not a string") != NULL, "%s", msg);
    CHECK(try_parse("[1,2]", 0, msg) == DQ_EFORMAT);
    CHECK(try_parse("{} x", 0, msg) == DQ_EFORMAT);
    CHECK(try_parse("{}      ", 0, msg) == DQ_OK);
    CHECK(try_parse("{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}", 4, msg) == DQ_EUNSUPPORTED);
    /* header length past the end of the file */
    unsigned char b[16] = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, '{', '}'};
    dq_safetensors *f = NULL;
    dq_error err;
    CHECK(dq_safetensors_parse(&f, b, 10, "big", &err) == DQ_EFORMAT && f == NULL);
    CHECK_MSG(strstr(err.msg, "goes past the end") != NULL, "%s", err.msg);
    CHECK(dq_safetensors_load(&f, "no/such/file.safetensors", &err) == DQ_ENOTFOUND && f == NULL);
}

int main(void) {
    test_round_trip();
    test_python_fixture();
    test_bad_headers();
    TEST_MAIN_END();
}
