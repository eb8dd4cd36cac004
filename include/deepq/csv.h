/* deepq/csv.h — the run folder's CSV logs (episodes.csv, evals.csv, progress.csv): a writer
 * that flushes every row, so a crash keeps all rows so far, and a reader of numeric columns
 * for the plot code.
 *
 * Writer usage:
 *   const char *cols[] = {"episode", "return", "status"};
 *   dq_csv_writer *w; dq_csv_writer_open(&w, "run/episodes.csv", 3, cols, false, &err);
 *   dq_csv_put_int(w, 1); dq_csv_put_double(w, 21.5); dq_csv_put_str(w, "Timeout");
 *   dq_csv_end_row(w, &err);  ...  dq_csv_writer_close(w, &err);
 * Doubles are written with the fewest digits that read back to the same double (at most 17),
 * so values round-trip exactly. Strings holding a comma, quote or newline are quoted (RFC 4180). */
#ifndef DEEPQ_CSV_H
#define DEEPQ_CSV_H

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_csv_writer dq_csv_writer;

/* Open path with these column names (copied). append=false truncates and writes the header;
 * append=true keeps an existing file whose header is the same (dropping a partial last line
 * left by a crash) and adds rows after it, or starts a new file. *out owned by the caller. */
DQ_API dq_status dq_csv_writer_open(dq_csv_writer **out, const char *path, int ncols,
                             const char *const *cols, bool append, dq_error *err);

/* Append a cell to the current row. Errors (a full row, no memory) surface at end_row. */
DQ_API void dq_csv_put_int(dq_csv_writer *w, int64_t v);
DQ_API void dq_csv_put_double(dq_csv_writer *w, double v);                /* exact, shortest */
DQ_API void dq_csv_put_fixed(dq_csv_writer *w, double v, int decimals);  /* "%.<decimals>f" */
DQ_API void dq_csv_put_str(dq_csv_writer *w, const char *s);

/* Finish the row: checks the cell count, writes the line and flushes it to the OS. */
DQ_API dq_status dq_csv_end_row(dq_csv_writer *w, dq_error *err);

/* Close the file (an unfinished row is dropped) and free w. NULL-safe. */
DQ_API dq_status dq_csv_writer_close(dq_csv_writer *w, dq_error *err);

/* A CSV file read as numbers: one column array per header name; cells that are empty or not
 * numbers (e.g. a status word) read as NaN. */
typedef struct dq_csv_table dq_csv_table;

/* Read a whole CSV file with a header line; every row must have the header's cell count. */
DQ_API dq_status dq_csv_read(const char *path, dq_csv_table **out, dq_error *err);

/* Free a table. NULL-safe. */
DQ_API void dq_csv_table_free(dq_csv_table *t);

DQ_API int dq_csv_ncols(const dq_csv_table *t);
DQ_API size_t dq_csv_nrows(const dq_csv_table *t);
DQ_API const char *dq_csv_colname(const dq_csv_table *t, int j);

/* Column index of name, or -1. */
DQ_API int dq_csv_col(const dq_csv_table *t, const char *name);

/* The values of column j ([nrows], owned by t). */
DQ_API const double *dq_csv_column(const dq_csv_table *t, int j);

/* The values of the named column, or DQ_ENOTFOUND naming the file and its columns. */
DQ_API dq_status dq_csv_get(const dq_csv_table *t, const char *name, const double **col, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
