/* fsio.c — atomic file replacement (temp + fsync + rename + directory fsync), whole-file
 * reads and mkdir -p. POSIX only. */
#include "deepq/fsio.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct dq_atomic_file {
    FILE *fp;
    char *path; /* destination */
    char *tmp;  /* temp file in the same directory */
};

/* Directory part of path ("." when none); caller frees. */
static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

dq_status dq_atomic_open(dq_atomic_file **out, const char *path, dq_error *err) {
    *out = NULL;
    if (!path || !*path) return dq_fail(err, DQ_EINVAL, "empty output path");
    size_t plen = strlen(path);
    if (path[plen - 1] == '/') return dq_fail(err, DQ_EINVAL, "output path '%s' is a directory", path);
    dq_atomic_file *f = calloc(1, sizeof *f);
    if (!f) return dq_fail(err, DQ_ENOMEM, "out of memory opening '%s'", path);
    f->path = strdup(path);
    f->tmp = malloc(plen + 32);
    if (!f->path || !f->tmp) {
        dq_atomic_abort(f);
        return dq_fail(err, DQ_ENOMEM, "out of memory opening '%s'", path);
    }
    /* "dir/.name.tmp-XXXXXX": hidden, same directory so rename() is atomic. */
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
    memcpy(f->tmp, path, dlen);
    sprintf(f->tmp + dlen, ".%s.tmp-XXXXXX", path + dlen);
    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        int e = errno;
        free(f->tmp);
        f->tmp = NULL;
        dq_atomic_abort(f);
        return dq_fail(err, DQ_EIO, "cannot create a file next to '%s': %s", path, strerror(e));
    }
    /* mkstemp makes 0600; keep the old file's mode, else the usual 0644. */
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 0777) : 0644;
    if (fchmod(fd, mode) != 0) { /* not fatal: the file is still written */
    }
    f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        int e = errno;
        close(fd);
        dq_atomic_abort(f);
        return dq_fail(err, DQ_EIO, "cannot open '%s' for writing: %s", path, strerror(e));
    }
    *out = f;
    return DQ_OK;
}

FILE *dq_atomic_stream(dq_atomic_file *f) { return f ? f->fp : NULL; }

void dq_atomic_abort(dq_atomic_file *f) {
    if (!f) return;
    if (f->fp) fclose(f->fp);
    if (f->tmp) unlink(f->tmp);
    free(f->tmp);
    free(f->path);
    free(f);
}

dq_status dq_atomic_commit(dq_atomic_file *f, dq_error *err) {
    if (!f) return dq_fail(err, DQ_EINVAL, "no file to commit");
    int e = 0;
    const char *what = NULL;
    if (ferror(f->fp)) e = EIO, what = "write";
    else if (fflush(f->fp) != 0) e = errno, what = "write";
    else if (fsync(fileno(f->fp)) != 0) e = errno, what = "fsync";
    if (!what) {
        int rc = fclose(f->fp);
        f->fp = NULL;
        if (rc != 0) e = errno, what = "close";
    }
    if (!what && rename(f->tmp, f->path) != 0) e = errno, what = "rename";
    if (what) {
        dq_status s = dq_fail(err, DQ_EIO, "cannot save '%s' (%s failed: %s); the old file is unchanged",
                              f->path, what, strerror(e));
        dq_atomic_abort(f);
        return s;
    }
    /* The rename is durable only once the directory entry is on disk. */
    char *dir = dir_of(f->path);
    if (dir) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    free(f->tmp);
    f->tmp = NULL;
    dq_atomic_abort(f);
    return DQ_OK;
}

dq_status dq_write_file_atomic(const char *path, const void *data, size_t len, dq_error *err) {
    dq_atomic_file *f;
    dq_status s = dq_atomic_open(&f, path, err);
    if (s) return s;
    if (len && fwrite(data, 1, len, f->fp) != len) {
        int e = errno;
        dq_atomic_abort(f);
        return dq_fail(err, DQ_EIO, "cannot write '%s': %s; the old file is unchanged", path, strerror(e));
    }
    return dq_atomic_commit(f, err);
}

dq_status dq_read_file(const char *path, void **data, size_t *len, dq_error *err) {
    *data = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) return dq_fail(err, errno == ENOENT ? DQ_ENOTFOUND : DQ_EIO, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || S_ISDIR(st.st_mode)) {
        fclose(fp);
        return dq_fail(err, DQ_EIO, "cannot read '%s': not a regular file", path);
    }
    /* Grow as we go: the size from stat is only a hint (pipes, files still being written). */
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(fp);
        return dq_fail(err, DQ_ENOMEM, "out of memory reading '%s' (%zu bytes)", path, cap);
    }
    for (;;) {
        if (n == cap) {
            size_t ncap = cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                fclose(fp);
                return dq_fail(err, DQ_ENOMEM, "out of memory reading '%s'", path);
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        return dq_fail(err, DQ_EIO, "error reading '%s'", path);
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return DQ_OK;
}

dq_status dq_mkdir_p(const char *path, dq_error *err) {
    if (!path || !*path) return dq_fail(err, DQ_EINVAL, "empty directory path");
    char *p = strdup(path);
    if (!p) return dq_fail(err, DQ_ENOMEM, "out of memory");
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/') p[--n] = '\0';
    for (char *c = p + 1;; c++) {
        bool end = *c == '\0';
        if (*c == '/' || end) {
            *c = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                dq_status s = dq_fail(err, DQ_EIO, "cannot create directory '%s': %s", p, strerror(errno));
                free(p);
                return s;
            }
            struct stat st;
            if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
                dq_status s = dq_fail(err, DQ_EIO, "cannot create directory '%s': a file is in the way", p);
                free(p);
                return s;
            }
            if (end) break;
            *c = '/';
        }
    }
    free(p);
    return DQ_OK;
}

/* ".NAME.tmp-XXXXXX" as dq_atomic_open (and the video writer) name their temp files. */
static bool is_temp_name(const char *n) {
    size_t len = strlen(n);
    return n[0] == '.' && len > 12 && !strncmp(n + len - 11, ".tmp-", 5);
}

static dq_status remove_temps_in(const char *dir, int *removed, int depth, dq_error *err) {
    DIR *d = opendir(dir);
    if (!d) return errno == ENOENT || errno == ENOTDIR ? DQ_OK
                                                       : dq_fail(err, DQ_EIO, "cannot list '%s': %s", dir, strerror(errno));
    dq_status st = DQ_OK;
    struct dirent *e;
    while (!st && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (!p) {
            st = dq_fail(err, DQ_ENOMEM, "out of memory listing '%s'", dir);
            break;
        }
        snprintf(p, n, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0) {
            if (S_ISREG(sb.st_mode) && is_temp_name(e->d_name)) {
                if (unlink(p) == 0) (*removed)++;
                else st = dq_fail(err, DQ_EIO, "cannot remove stale temp file '%s': %s", p, strerror(errno));
            } else if (S_ISDIR(sb.st_mode) && depth == 0) {
                st = remove_temps_in(p, removed, 1, err);
            }
        }
        free(p);
    }
    closedir(d);
    return st;
}

dq_status dq_remove_stale_temps(const char *dir, int *removed, dq_error *err) {
    int n = 0;
    dq_status st = remove_temps_in(dir, &n, 0, err);
    if (removed) *removed = n;
    return st;
}

int dq_dir_is_empty(const char *dir, dq_error *err) {
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT) return 1;
        dq_fail(err, DQ_EIO, "'%s' is not a readable folder: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = 0;
    closedir(d);
    return empty;
}
