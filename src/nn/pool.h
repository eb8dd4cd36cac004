/* pool.h — internal: run a job on every thread of a dq_pool (public handle in deepq/nn.h). */
#ifndef DQ_NN_POOL_H
#define DQ_NN_POOL_H

#include "deepq/nn.h"

/* A job part: called once for each part = 0..nparts-1, on whichever pool thread claimed it
 * (thread 0 = the caller, 1.. the workers; use it to pick per-thread scratch). */
typedef void (*dq_pool_fn)(void *arg, int part, int nparts, int thread);

/* Run the nparts parts of a job over p's threads and return when all have finished. Parts are
 * claimed dynamically (the caller works too, so a descheduled worker delays at most the one
 * part it took); p NULL or 1 thread runs them in order inline. One caller at a time. */
void dq_pool_run(dq_pool *p, int nparts, dq_pool_fn fn, void *arg);

/* [lo, hi) of part `part` of nparts over n units, split as evenly as whole units allow. */
static inline void dq_pool_range(long n, int part, int nparts, long *lo, long *hi) {
    *lo = n * part / nparts;
    *hi = n * (part + 1) / nparts;
}

#endif
