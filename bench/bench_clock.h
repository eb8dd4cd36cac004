/* bench_clock.h — the clocks every benchmark reads. Thread CPU time counts only the time the
 * benchmark itself ran (the build machine is shared), process CPU time adds its worker
 * threads, wall time is what a user waits. */
#ifndef DQ_BENCH_CLOCK_H
#define DQ_BENCH_CLOCK_H
#include <time.h>

/* Seconds on clock id (CLOCK_THREAD_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID, CLOCK_MONOTONIC). */
static inline double bench_clock(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
static inline double bench_thread_cpu(void) { return bench_clock(CLOCK_THREAD_CPUTIME_ID); }
static inline double bench_process_cpu(void) { return bench_clock(CLOCK_PROCESS_CPUTIME_ID); }
static inline double bench_wall(void) { return bench_clock(CLOCK_MONOTONIC); }
#endif
