/* test_fsio.c — atomic writes keep the old file on every failure and leave no temp files;
 * whole-file reads; mkdir -p. */
#include "deepq/fsio.h"
#include "test.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Entries in dir whose name contains ".tmp-" (leftover temp files). */
static int temps_in(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += strstr(e->d_name, ".tmp-") != NULL;
    if (d) closedir(d);
    return n;
}

static int file_is(const char *path, const char *want) {
    void *b;
    size_t n;
    dq_error err;
    if (dq_read_file(path, &b, &n, &err)) return 0;
    int ok = n == strlen(want) && memcmp(b, want, n) == 0 && ((char *)b)[n] == '\0';
    free(b);
    return ok;
}

int main(void) {
    dq_error err;
    CHECK(system("rm -rf fsio_tmp") == 0);
    CHECK_OK(dq_mkdir_p("fsio_tmp/a/b/c/", &err));
    CHECK_OK(dq_mkdir_p("fsio_tmp/a/b", &err)); /* exists: fine */
    struct stat st;
    CHECK(stat("fsio_tmp/a/b/c", &st) == 0 && S_ISDIR(st.st_mode));

    CHECK_OK(dq_write_file_atomic("fsio_tmp/a/f.txt", "first", 5, &err));
    CHECK(file_is("fsio_tmp/a/f.txt", "first"));
    CHECK(chmod("fsio_tmp/a/f.txt", 0640) == 0);
    CHECK_OK(dq_write_file_atomic("fsio_tmp/a/f.txt", "second!", 7, &err));
    CHECK(file_is("fsio_tmp/a/f.txt", "second!"));
    CHECK(stat("fsio_tmp/a/f.txt", &st) == 0 && (st.st_mode & 0777) == 0640); /* mode kept */
    CHECK(temps_in("fsio_tmp/a") == 0);

    /* abort: the old file stays, the temp goes */
    dq_atomic_file *f;
    CHECK_OK(dq_atomic_open(&f, "fsio_tmp/a/f.txt", &err));
    fputs("half a checkpo", dq_atomic_stream(f));
    CHECK(temps_in("fsio_tmp/a") == 1);
    dq_atomic_abort(f);
    dq_atomic_abort(NULL);
    CHECK(file_is("fsio_tmp/a/f.txt", "second!"));
    CHECK(temps_in("fsio_tmp/a") == 0);

    /* rename fails (a non-empty directory is in the way): error, nothing left behind */
    CHECK(dq_write_file_atomic("fsio_tmp/a/b", "x", 1, &err) == DQ_EIO);
    CHECK_MSG(strstr(err.msg, "fsio_tmp/a/b") && strstr(err.msg, "unchanged"), "%s", err.msg);
    CHECK(stat("fsio_tmp/a/b/c", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(temps_in("fsio_tmp/a") == 0);
    /* missing directory, empty path, directory-looking path */
    CHECK(dq_write_file_atomic("fsio_tmp/nope/f.txt", "x", 1, &err) == DQ_EIO);
    CHECK(strstr(err.msg, "fsio_tmp/nope/f.txt") != NULL);
    CHECK(dq_write_file_atomic("", "x", 1, &err) == DQ_EINVAL);
    CHECK(dq_write_file_atomic("fsio_tmp/a/", "x", 1, &err) == DQ_EINVAL);
    /* a bare file name goes to the current directory */
    CHECK_OK(dq_write_file_atomic("fsio_tmp_plain.txt", "", 0, &err));
    CHECK(file_is("fsio_tmp_plain.txt", ""));
    remove("fsio_tmp_plain.txt");

    /* reads */
    void *b;
    size_t n;
    CHECK(dq_read_file("fsio_tmp/none", &b, &n, &err) == DQ_ENOTFOUND && b == NULL);
    CHECK(strstr(err.msg, "fsio_tmp/none") != NULL);
    CHECK(dq_read_file("fsio_tmp/a", &b, &n, &err) == DQ_EIO && b == NULL);
    char big[20000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (char)('a' + i % 26);
    CHECK_OK(dq_write_file_atomic("fsio_tmp/big", big, sizeof big, &err));
    CHECK_OK(dq_read_file("fsio_tmp/big", &b, &n, &err));
    CHECK(n == sizeof big && memcmp(b, big, n) == 0);
    free(b);

    /* mkdir -p through a file fails */
    CHECK(dq_mkdir_p("fsio_tmp/a/f.txt/sub", &err) == DQ_EIO);
    CHECK(dq_mkdir_p("fsio_tmp/a/f.txt", &err) == DQ_EIO);
    CHECK(dq_mkdir_p("", &err) == DQ_EINVAL);

    /* stale temp files of a killed writer are removed (dir and its direct subfolders), other
     * hidden files and names that only look alike are kept */
    CHECK_OK(dq_mkdir_p("fsio_tmp/run/tb", &err));
    const char *stale[] = {"fsio_tmp/run/.final.safetensors.tmp-Ab12Cd",
                           "fsio_tmp/run/tb/.events.tmp-x9y8z7"};
    const char *keep[] = {"fsio_tmp/run/.hidden", "fsio_tmp/run/a.tmp-123456",
                          "fsio_tmp/run/.x.tmp-12"};
    for (int i = 0; i < 2; i++) CHECK_OK(dq_write_file_atomic(stale[i], "x", 1, &err));
    for (int i = 0; i < 3; i++) CHECK_OK(dq_write_file_atomic(keep[i], "x", 1, &err));
    int removed = -1;
    CHECK(dq_dir_is_empty("fsio_tmp/run", &err) == 0);
    CHECK_OK(dq_remove_stale_temps("fsio_tmp/run", &removed, &err));
    CHECK(removed == 2);
    struct stat sb;
    for (int i = 0; i < 2; i++) CHECK(stat(stale[i], &sb) != 0);
    for (int i = 0; i < 3; i++) CHECK(stat(keep[i], &sb) == 0);
    CHECK_OK(dq_remove_stale_temps("fsio_tmp/missing", &removed, &err));
    CHECK(removed == 0);
    CHECK(dq_dir_is_empty("fsio_tmp/missing", &err) == 1);
    CHECK_OK(dq_mkdir_p("fsio_tmp/empty", &err));
    CHECK(dq_dir_is_empty("fsio_tmp/empty", &err) == 1);
    CHECK(system("rm -rf fsio_tmp") == 0);
    TEST_MAIN_END();
}
