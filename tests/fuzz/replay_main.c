/* replay_main.c — a main() for the fuzz harnesses without libFuzzer (any compiler): feeds every
 * file named on the command line, or found directly inside a named folder, to
 * LLVMFuzzerTestOneInput once. ctest runs it over each committed corpus, so `make test` replays
 * the corpora under ASan+UBSan. Exit 0 when every input ran (a crash aborts the process). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
        fprintf(stderr, "cannot read %s\n", path);
        fclose(f);
        free(buf);
        return 1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
    return 0;
}

int main(int argc, char **argv) {
    int inputs = 0, bad = 0;
    for (int a = 1; a < argc; a++) {
        struct stat sb;
        if (stat(argv[a], &sb) != 0) {
            fprintf(stderr, "no such file or folder: %s\n", argv[a]);
            return 1;
        }
        if (!S_ISDIR(sb.st_mode)) {
            bad += run_file(argv[a]);
            inputs++;
            continue;
        }
        DIR *d = opendir(argv[a]);
        for (struct dirent *e; d && (e = readdir(d));) {
            if (e->d_name[0] == '.') continue;
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", argv[a], e->d_name);
            if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) bad += run_file(p), inputs++;
        }
        if (d) closedir(d);
    }
    printf("%d inputs replayed, %d unreadable\n", inputs, bad);
    return bad || inputs == 0;
}
