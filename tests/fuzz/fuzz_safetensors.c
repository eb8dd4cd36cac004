/* fuzz_safetensors.c — dq_safetensors_parse on arbitrary bytes; on success every tensor and
 * metadata entry is read back (dq_safetensors_read into a buffer of the tensor's size). */
#include "deepq/safetensors.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    dq_safetensors *f;
    dq_error err;
    if (dq_safetensors_parse(&f, data, size, "fuzz", &err)) return 0;
    for (int i = 0; i < dq_safetensors_count(f); i++) {
        const dq_ndarray *t = dq_safetensors_at(f, i);
        void *buf = malloc(t->nbytes ? t->nbytes : 1);
        if (dq_safetensors_read(f, t->name, t->dtype, t->ndim, t->shape, buf, &err)) abort();
        free(buf);
    }
    for (int i = 0; i < dq_safetensors_meta_count(f); i++) {
        const char *k, *v;
        dq_safetensors_meta_at(f, i, &k, &v);
        if (!k || !v || dq_safetensors_meta(f, k) == NULL) abort();
    }
    dq_safetensors_free(f);
    return 0;
}
