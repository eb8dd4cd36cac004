/* pool.c — the persistent worker pool that splits network math over threads (see nn.h).
 *
 * threads - 1 pthreads are started once and wait for jobs; dq_pool_run publishes a job by
 * bumping a generation counter, runs part 0 itself and waits for the others. Waiting spins
 * (with pause) for a while before sleeping on a condition variable (workers) or yielding the
 * core (the caller), so back-to-back jobs of one update cost well under a microsecond to hand
 * out, and an idle pool sleeps. Nothing allocates per job. The split of the work inside a job
 * is the job's business; every user in the engine splits so that each output element is
 * computed by the same operations in the same order whatever the thread count. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, sched_yield */
#include "nn/pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DQ_PAUSE() _mm_pause()
#else
#define DQ_PAUSE() ((void)0)
#endif

/* pause iterations an idle worker spins before sleeping (tens of microseconds: covers the
 * gaps between the jobs of one update, not the env steps between updates) */
#define DQ_POOL_SPIN 4000
/* pause iterations the caller spins between sched_yield calls while waiting */
#define DQ_POOL_YIELD 256
/* Back-off when the other cores are taken by other processes: a job is "stalled" when the
 * caller waited longer for a worker's part than it worked itself; when most recent jobs
 * stalled, the next `backoff` jobs run inline on the caller (doubling up to the maximum while
 * it keeps happening), then the workers are tried again. Results do not depend on it. */
#define DQ_POOL_BACKOFF_MIN 64
#define DQ_POOL_BACKOFF_MAX 65536

struct dq_pool {
    int threads;
    pthread_t *tid;              /* [threads - 1] */
    struct worker_arg *args;     /* [threads - 1] */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* (job generation << 32) | next unclaimed part; parts are claimed by incrementing it */
    _Atomic uint64_t ticket;
    atomic_int done;             /* parts of the current job finished */
    atomic_int sleepers;         /* workers waiting on cv */
    atomic_bool stop;
    /* the current job, written before its ticket is published; atomic because a worker holding
     * a stale ticket may read them while the next job is written (its claim then fails) */
    _Atomic(dq_pool_fn) fn;
    _Atomic(void *) arg;
    atomic_int nparts;
    /* caller-only state of the back-off */
    double stall_avg;            /* moving average of stalled (1) / not (0) jobs */
    int inline_left, backoff;    /* jobs still to run inline; next back-off length */
};

typedef struct worker_arg {
    dq_pool *p;
    int thread;
} worker_arg;

static void *worker_main(void *vp) {
    const worker_arg *wa = vp;
    dq_pool *p = wa->p;
    uint64_t seen = 0; /* generation last worked on */
    for (;;) {
        uint64_t t;
        int spins = 0;
        while (((t = atomic_load(&p->ticket)) >> 32) == seen &&
               !atomic_load_explicit(&p->stop, memory_order_acquire)) {
            if (++spins < DQ_POOL_SPIN) {
                DQ_PAUSE();
                if (spins % 64 == 0) sched_yield(); /* don't hold a core the caller may need */
                continue;
            }
            pthread_mutex_lock(&p->mu);
            atomic_fetch_add(&p->sleepers, 1); /* seq_cst: pairs with dq_pool_run's check */
            while ((atomic_load(&p->ticket) >> 32) == seen && !atomic_load(&p->stop))
                pthread_cond_wait(&p->cv, &p->mu);
            atomic_fetch_sub(&p->sleepers, 1);
            pthread_mutex_unlock(&p->mu);
            spins = 0;
        }
        if (atomic_load_explicit(&p->stop, memory_order_acquire)) return NULL;
        seen = t >> 32;
        for (;;) { /* claim parts while the ticket still names generation `seen` */
            if ((t >> 32) != seen) break;
            const int np = atomic_load_explicit(&p->nparts, memory_order_relaxed);
            const int part = (int)(t & 0xffffffffu);
            if (part >= np) break;
            const dq_pool_fn fn = atomic_load_explicit(&p->fn, memory_order_relaxed);
            void *arg = atomic_load_explicit(&p->arg, memory_order_relaxed);
            if (atomic_compare_exchange_weak(&p->ticket, &t, t + 1)) {
                fn(arg, part, np, wa->thread);
                atomic_fetch_add_explicit(&p->done, 1, memory_order_release);
                t = atomic_load(&p->ticket);
            }
        }
    }
}

dq_status dq_pool_create(dq_pool **out, int threads, dq_error *err) {
    *out = NULL;
    if (threads < 1 || threads > DQ_POOL_MAX_THREADS)
        return dq_fail(err, DQ_EINVAL, "threads %d out of range 1..%d", threads,
                       DQ_POOL_MAX_THREADS);
    dq_pool *p = calloc(1, sizeof *p);
    if (!p) return dq_fail(err, DQ_ENOMEM, "pool: out of memory");
    p->threads = 1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    atomic_init(&p->ticket, 0);
    atomic_init(&p->done, 0);
    atomic_init(&p->sleepers, 0);
    atomic_init(&p->stop, false);
    atomic_init(&p->fn, NULL);
    atomic_init(&p->arg, NULL);
    atomic_init(&p->nparts, 0);
    p->backoff = DQ_POOL_BACKOFF_MIN;
    if (threads > 1) {
        p->tid = calloc((size_t)threads - 1, sizeof *p->tid);
        p->args = calloc((size_t)threads - 1, sizeof *p->args);
        if (!p->tid || !p->args) {
            dq_pool_destroy(p);
            return dq_fail(err, DQ_ENOMEM, "pool: out of memory");
        }
        for (int i = 0; i < threads - 1; i++) {
            p->args[i].p = p;
            p->args[i].thread = i + 1;
            if (pthread_create(&p->tid[i], NULL, worker_main, &p->args[i]) != 0) {
                dq_pool_destroy(p);
                return dq_fail(err, DQ_ENOMEM, "pool: could not start worker thread %d", i + 1);
            }
            p->threads = i + 2; /* counts started threads, so destroy joins only those */
        }
    }
    *out = p;
    return DQ_OK;
}

void dq_pool_destroy(dq_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    atomic_store(&p->stop, true);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->threads - 1; i++) pthread_join(p->tid[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->tid);
    free(p->args);
    free(p);
}

int dq_pool_threads(const dq_pool *p) { return p ? p->threads : 1; }

static double mono(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void dq_pool_run(dq_pool *p, int nparts, dq_pool_fn fn, void *arg) {
    if (!p || p->threads == 1 || nparts <= 1 || p->inline_left > 0) {
        if (p && p->threads > 1 && nparts > 1) p->inline_left--;
        for (int i = 0; i < nparts; i++) fn(arg, i, nparts, 0);
        return;
    }
    const double t0 = mono();
    atomic_store_explicit(&p->fn, fn, memory_order_relaxed);
    atomic_store_explicit(&p->arg, arg, memory_order_relaxed);
    atomic_store_explicit(&p->nparts, nparts, memory_order_relaxed);
    atomic_store_explicit(&p->done, 0, memory_order_relaxed);
    const uint64_t gen = (atomic_load_explicit(&p->ticket, memory_order_relaxed) >> 32) + 1;
    atomic_store(&p->ticket, gen << 32); /* seq_cst: publishes fn, arg, nparts, done */
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    /* the caller claims parts too, so a worker that is off-core costs at most the part it
     * already claimed */
    for (;;) {
        const uint64_t t = atomic_fetch_add(&p->ticket, 1);
        const int part = (int)(t & 0xffffffffu);
        if (part >= nparts) break;
        fn(arg, part, nparts, 0);
        atomic_fetch_add_explicit(&p->done, 1, memory_order_relaxed);
    }
    const double t1 = mono();
    int spins = 0;
    bool waited = false;
    while (atomic_load_explicit(&p->done, memory_order_acquire) < nparts) {
        waited = true;
        DQ_PAUSE();
        if (++spins == DQ_POOL_YIELD) {
            sched_yield();
            spins = 0;
        }
    }
    const bool stalled = waited && mono() - t1 > t1 - t0;
    p->stall_avg = 0.9 * p->stall_avg + (stalled ? 0.1 : 0.0);
    if (p->stall_avg > 0.5) {
        p->inline_left = p->backoff;
        if (p->backoff < DQ_POOL_BACKOFF_MAX) p->backoff *= 2;
        p->stall_avg = 0.0;
    } else if (p->stall_avg < 0.05) {
        p->backoff = DQ_POOL_BACKOFF_MIN;
    }
}
