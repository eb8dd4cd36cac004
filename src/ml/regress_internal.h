/* regress_internal.h — the per-kind vtables of deepq/regress.h and helpers shared by the
 * regressor sources in src/ml/. Not part of the public API. */
#ifndef DQ_REGRESS_INTERNAL_H
#define DQ_REGRESS_INTERNAL_H

#include "deepq/regress.h"

extern const dq_regressor_ops dq_knn_ops;    /* knn.c */
extern const dq_regressor_ops dq_linear_ops; /* linear.c */
extern const dq_regressor_ops dq_trees_ops;  /* trees.c: tree, forest, extra-trees, boosting */

#endif
