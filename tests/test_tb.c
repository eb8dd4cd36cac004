/* test_tb.c — TensorBoard event files: CRC32C check value, write scalars and read them back,
 * read a file written by tensorboard's own writer (tests/fixtures/io_events.tfevents, made by
 * tests/ref/make_io_ref.py), and reject corrupt or truncated files. */
#include "deepq/fsio.h"
#include "deepq/tb.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Plain write (no fsync: this runs once per byte of the file). */
static void put_file(const char *path, const void *b, size_t n) {
    FILE *fp = fopen(path, "wb");
    CHECK(fp && fwrite(b, 1, n, fp) == n);
    if (fp) fclose(fp);
}

int main(void) {
    dq_error err;
    CHECK(dq_crc32c("123456789", 9) == 0xE3069283u); /* the standard CRC-32C check value */
    CHECK(dq_crc32c("", 0) == 0);

    system("rm -rf tb_tmp");
    dq_tb_writer *w;
    CHECK_OK(dq_tb_writer_create(&w, "tb_tmp/run1", &err));
    if (!w) TEST_MAIN_END();
    const char *path = dq_tb_writer_path(w);
    CHECK(strstr(path, "tb_tmp/run1/events.out.tfevents.") == path);
    char *p1 = strdup(path);
    CHECK_OK(dq_tb_writer_scalar(w, "rollout/ep_rew_mean", 21.5, 0, 1700000000.25, &err));
    CHECK_OK(dq_tb_writer_scalar(w, "train/loss", 0.1, 1000, 1700000001.0, &err));
    CHECK_OK(dq_tb_writer_scalar(w, "time/fps", -3.0, (int64_t)1 << 40, -1, &err));
    CHECK(dq_tb_writer_scalar(w, "", 1, 1, 1, &err) == DQ_EINVAL);
    /* readable while still open (every record is flushed) */
    dq_tb_scalar *sc;
    size_t n;
    CHECK_OK(dq_tb_read_scalars(p1, &sc, &n, &err));
    CHECK(n == 3);
    free(sc);
    /* a second writer in the same second gets another name */
    dq_tb_writer *w2;
    CHECK_OK(dq_tb_writer_create(&w2, "tb_tmp/run1", &err));
    CHECK(w2 && strcmp(dq_tb_writer_path(w2), p1) != 0);
    dq_tb_writer_destroy(w2);
    dq_tb_writer_destroy(w);

    CHECK_OK(dq_tb_read_scalars(p1, &sc, &n, &err));
    CHECK(n == 3);
    if (n == 3) {
        CHECK(strcmp(sc[0].tag, "rollout/ep_rew_mean") == 0 && sc[0].value == 21.5f && sc[0].step == 0 &&
              sc[0].wall_time == 1700000000.25);
        CHECK(strcmp(sc[1].tag, "train/loss") == 0 && sc[1].value == 0.1f && sc[1].step == 1000);
        CHECK(strcmp(sc[2].tag, "time/fps") == 0 && sc[2].value == -3.0f && sc[2].step == (int64_t)1 << 40 &&
              sc[2].wall_time > 1.6e9);
    }
    free(sc);

    /* tensorboard's own file */
    CHECK_OK(dq_tb_read_scalars(DQ_FIXTURE_DIR "/io_events.tfevents", &sc, &n, &err));
    CHECK(n == 3);
    if (n == 3) {
        CHECK(strcmp(sc[0].tag, "train/loss") == 0 && sc[0].value == 1.5f && sc[0].step == 0);
        CHECK(sc[1].value == -2.25f && sc[1].step == 10 && sc[1].wall_time == 1700000010.5);
        CHECK(strcmp(sc[2].tag, "eval/mean_reward") == 0 && sc[2].value == 3e38f && sc[2].step == (int64_t)1 << 40);
    }
    free(sc);

    /* every truncation and any flipped byte is an error (CRCs), never a crash */
    void *b;
    size_t len;
    CHECK_OK(dq_read_file(p1, &b, &len, &err));
    int accepted = 0, flips_accepted = 0;
    for (size_t k = 0; k < len; k++) {
        put_file("tb_tmp/cut", b, k);
        if (dq_tb_read_scalars("tb_tmp/cut", &sc, &n, &err) == DQ_OK) accepted++, free(sc);
        unsigned char *m = malloc(len);
        memcpy(m, b, len);
        m[k] ^= 0x10;
        put_file("tb_tmp/flip", m, len);
        if (dq_tb_read_scalars("tb_tmp/flip", &sc, &n, &err) == DQ_OK) flips_accepted++, free(sc);
        free(m);
    }
    /* only cuts at the 3 record boundaries inside the file leave a valid (shorter) file */
    CHECK_MSG(accepted == 3, "%d truncations accepted", accepted);
    CHECK_MSG(flips_accepted == 0, "%d flips accepted", flips_accepted);
    CHECK(dq_tb_read_scalars(DQ_FIXTURE_DIR "/io_w.npy", &sc, &n, &err) == DQ_EFORMAT);
    CHECK(strchr(err.msg, '\n') == NULL);
    free(b);
    free(p1);
    TEST_MAIN_END();
}
