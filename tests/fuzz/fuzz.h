/* fuzz.h — shared by the libFuzzer harnesses in tests/fuzz: the entry point every harness
 * defines, and a scratch file for parsers that only read paths. */
#ifndef DQ_FUZZ_H
#define DQ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write data to a per-process scratch file ending in suffix and return its path (static
 * buffer; the file is rewritten by the next call). Aborts if the file cannot be written: the
 * harness could not test anything. */
static inline const char *fuzz_file(const uint8_t *data, size_t size, const char *suffix) {
    static char path[256];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/deepq-fuzz-%d%s", dir && *dir ? dir : "/tmp", (int)getpid(),
             suffix);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) abort();
    return path;
}

/* data as a NUL-terminated string (caller frees). */
static inline char *fuzz_text(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s) abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
