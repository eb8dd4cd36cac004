/* fuzz_csv.c — dq_csv_read (the plots' reader of episodes/evals/progress.csv) on arbitrary
 * bytes; on success every column is looked up by name and read to its end. */
#include "deepq/csv.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    dq_csv_table *t;
    dq_error err;
    if (dq_csv_read(fuzz_file(data, size, ".csv"), &t, &err)) return 0;
    size_t n = dq_csv_nrows(t);
    volatile double sink = 0;
    for (int j = 0; j < dq_csv_ncols(t); j++) {
        const char *name = dq_csv_colname(t, j);
        if (!name || dq_csv_col(t, name) < 0) abort();
        const double *c = dq_csv_column(t, j);
        for (size_t i = 0; i < n; i++) sink += c[i];
    }
    (void)sink;
    dq_csv_table_free(t);
    return 0;
}
