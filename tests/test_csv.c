/* test_csv.c — CSV writer (exact doubles, quoting, per-row flush, append with header check
 * and crash-trimmed last line) and the numeric reader. */
#include "deepq/csv.h"
#include "deepq/fsio.h"
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path) {
    void *b;
    size_t n;
    dq_error err;
    return dq_read_file(path, &b, &n, &err) == DQ_OK ? b : NULL;
}

int main(void) {
    dq_error err;
    const char *cols[] = {"episode", "return", "status", "t"};
    dq_csv_writer *w;
    CHECK_OK(dq_csv_writer_open(&w, "csv_tmp.csv", 4, cols, false, &err));
    double vals[] = {0.1, 1.0 / 3.0, -2.5e-300, 500, 1e17, 0.30000000000000004};
    for (int i = 0; i < 6; i++) {
        dq_csv_put_int(w, i + 1);
        dq_csv_put_double(w, vals[i]);
        dq_csv_put_str(w, i == 2 ? "said \"hi\", left" : "Solved");
        dq_csv_put_fixed(w, 1.23456, 3);
        CHECK_OK(dq_csv_end_row(w, &err));
    }
    /* rows are on disk before close */
    char *txt = slurp("csv_tmp.csv");
    CHECK(txt && strncmp(txt, "episode,return,status,t\n1,0.1,Solved,1.235\n2,", 45) == 0);
    CHECK(txt && strstr(txt, "\n3,-2.5e-300,\"said \"\"hi\"\", left\",1.235\n") != NULL);
    CHECK(txt && strstr(txt, "\n6,0.30000000000000004,") != NULL);
    free(txt);
    dq_csv_put_int(w, 1);
    CHECK(dq_csv_end_row(w, &err) == DQ_EINVAL); /* short row refused, nothing written */
    CHECK_MSG(strstr(err.msg, "1 cells, the header has 4") != NULL, "%s", err.msg);
    CHECK_OK(dq_csv_writer_close(w, &err));

    /* a crash mid-row leaves a partial line; append mode drops it and continues */
    FILE *fp = fopen("csv_tmp.csv", "ab");
    fputs("7,0.5,Sol", fp);
    fclose(fp);
    CHECK_OK(dq_csv_writer_open(&w, "csv_tmp.csv", 4, cols, true, &err));
    dq_csv_put_int(w, 7);
    dq_csv_put_double(w, NAN);
    dq_csv_put_str(w, "");
    dq_csv_put_double(w, -0.0);
    CHECK_OK(dq_csv_end_row(w, &err));
    CHECK_OK(dq_csv_writer_close(w, &err));
    /* append to an empty file: writes the header (the read buffer of the empty file used to
     * leak: the ASan build of this test catches it) */
    fp = fopen("csv_empty.csv", "wb");
    fclose(fp);
    CHECK_OK(dq_csv_writer_open(&w, "csv_empty.csv", 4, cols, true, &err));
    CHECK_OK(dq_csv_writer_close(w, &err));
    dq_csv_table *te;
    CHECK_OK(dq_csv_read("csv_empty.csv", &te, &err));
    CHECK(te && dq_csv_ncols(te) == 4 && dq_csv_nrows(te) == 0);
    dq_csv_table_free(te);
    remove("csv_empty.csv");
    const char *other[] = {"episode", "length"};
    CHECK(dq_csv_writer_open(&w, "csv_tmp.csv", 2, other, true, &err) == DQ_EFORMAT && w == NULL);

    dq_csv_table *t;
    CHECK_OK(dq_csv_read("csv_tmp.csv", &t, &err));
    CHECK(dq_csv_ncols(t) == 4 && dq_csv_nrows(t) == 7);
    const double *ret, *ep, *st;
    CHECK_OK(dq_csv_get(t, "return", &ret, &err));
    CHECK_OK(dq_csv_get(t, "episode", &ep, &err));
    CHECK_OK(dq_csv_get(t, "status", &st, &err));
    for (int i = 0; ret && i < 6; i++) CHECK(ret[i] == vals[i]); /* exact */
    CHECK(ret && isnan(ret[6]) && ep && ep[6] == 7 && st && isnan(st[0]));
    CHECK(dq_csv_col(t, "t") == 3 && strcmp(dq_csv_colname(t, 2), "status") == 0);
    CHECK(dq_csv_get(t, "loss", &ret, &err) == DQ_ENOTFOUND && ret == NULL);
    CHECK_MSG(strstr(err.msg, "no column 'loss' (it has: episode, return, status, t)") != NULL, "%s", err.msg);
    dq_csv_table_free(t);

    /* reader: CRLF, quoted newlines, no final newline; bad row counts */
    CHECK_OK(dq_write_file_atomic("csv_tmp2.csv", "a,\"b\nc\"\r\n1,2\r\n\r\n 3 ,\"4\"", 24, &err));
    CHECK_OK(dq_csv_read("csv_tmp2.csv", &t, &err));
    CHECK(dq_csv_nrows(t) == 2 && strcmp(dq_csv_colname(t, 1), "b\nc") == 0);
    CHECK(dq_csv_column(t, 0)[1] == 3 && dq_csv_column(t, 1)[1] == 4);
    dq_csv_table_free(t);
    CHECK_OK(dq_write_file_atomic("csv_tmp3.csv", "a,b\n1,2\n3\n", 10, &err));
    CHECK(dq_csv_read("csv_tmp3.csv", &t, &err) == DQ_EFORMAT && t == NULL);
    CHECK_MSG(strstr(err.msg, "csv_tmp3.csv:3: 1 cells, the header has 2") != NULL, "%s", err.msg);
    CHECK_OK(dq_write_file_atomic("csv_tmp3.csv", "a,b\n1,\"2\n", 9, &err));
    CHECK(dq_csv_read("csv_tmp3.csv", &t, &err) == DQ_EFORMAT);
    CHECK_OK(dq_write_file_atomic("csv_tmp3.csv", "", 0, &err));
    CHECK(dq_csv_read("csv_tmp3.csv", &t, &err) == DQ_EFORMAT);
    CHECK(dq_csv_read("csv_nope.csv", &t, &err) == DQ_ENOTFOUND);

    /* every prefix of a quoted file reads or fails cleanly (ASan watches) */
    const char *q = "a,\"b,\"\"x\"\"\"\r\n1,\"2\"\n\"3\",4\n";
    size_t ql = strlen(q);
    for (size_t k = 0; k <= ql; k++) {
        CHECK_OK(dq_write_file_atomic("csv_tmp3.csv", q, k, &err));
        dq_status s = dq_csv_read("csv_tmp3.csv", &t, &err);
        CHECK(s == DQ_OK || t == NULL);
        if (k == ql) CHECK(s == DQ_OK && dq_csv_nrows(t) == 2 && strcmp(dq_csv_colname(t, 1), "b,\"x\"") == 0);
        dq_csv_table_free(t);
    }
    TEST_MAIN_END();
}
