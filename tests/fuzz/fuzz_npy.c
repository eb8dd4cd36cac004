/* fuzz_npy.c — the NumPy readers on arbitrary bytes: dq_npy_parse (.npy) and dq_npz_parse
 * (.npz, a zip of .npy members, stored or deflated); every member of a parsed npz is visited. */
#include "deepq/npz.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    dq_error err;
    dq_ndarray a;
    if (!dq_npy_parse(data, size, "fuzz.npy", &a, &err)) {
        if (dq_shape_numel(a.ndim, a.shape) * (int64_t)dq_dtype_size(a.dtype) != (int64_t)a.nbytes)
            abort();
        dq_ndarray_release(&a);
    }
    dq_npz *z;
    if (!dq_npz_parse(&z, data, size, "fuzz.npz", &err)) {
        for (int i = 0; i < dq_npz_count(z); i++) {
            const dq_ndarray *m = dq_npz_at(z, i);
            if (!m || !m->name) abort();
        }
        dq_npz_free(z);
    }
    return 0;
}
