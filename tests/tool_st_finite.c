/* tool_st_finite.c — helper of tests/cli_reliab.sh: exit 0 when every float tensor of the given
 * safetensors files is finite; otherwise print "FILE: N non-finite values in TENSOR" and exit 1. */
#include <math.h>
#include <stdio.h>

#include "deepq/safetensors.h"

int main(int argc, char **argv) {
    int rc = 0;
    for (int a = 1; a < argc; a++) {
        dq_safetensors *f;
        dq_error err;
        if (dq_safetensors_load(&f, argv[a], &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 2;
        }
        for (int i = 0; i < dq_safetensors_count(f); i++) {
            const dq_ndarray *t = dq_safetensors_at(f, i);
            size_t n = t->nbytes / dq_dtype_size(t->dtype), bad = 0;
            for (size_t k = 0; k < n; k++) {
                if (t->dtype == DQ_F32) bad += !isfinite(((const float *)t->data)[k]);
                if (t->dtype == DQ_F64) bad += !isfinite(((const double *)t->data)[k]);
            }
            if (bad) printf("%s: %zu non-finite values in %s\n", argv[a], bad, t->name), rc = 1;
        }
        dq_safetensors_free(f);
    }
    return rc;
}
