/* pool.h — internal: run a job on every thread of a dq_pool (public handle in deepq/nn.h). */
#ifndef DQ_NN_POOL_H
#define DQ_NN_POOL_H

#include "deepq/nn.h"

/* A job part: called once with part = 0..nparts-1 (part 0 on the calling thread). */
typedef void (*dq_pool_fn)(void *arg, int part, int nparts);

/* Run fn on all threads of p (p NULL or 1 thread: fn(arg, 0, 1) inline) and return when every
 * part has finished. Not reentrant: one caller at a time. */
void dq_pool_run(dq_pool *p, dq_pool_fn fn, void *arg);

/* [lo, hi) of part `part` of nparts over n units, split as evenly as whole units allow. */
static inline void dq_pool_range(long n, int part, int nparts, long *lo, long *hi) {
    *lo = n * part / nparts;
    *hi = n * (part + 1) / nparts;
}

#endif
