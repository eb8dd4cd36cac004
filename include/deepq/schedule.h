/* deepq/schedule.h — exploration schedules (epsilon as a function of progress): constant,
 * linear as SB3/RL-Zoo (initial -> final over a fraction of the total steps), and the seed
 * notebooks' exponential decay end + (start - end) * exp(-t / decay), t counted in steps or in
 * episodes. A schedule is a pure function of the counters: nothing to save for resume. */
#ifndef DEEPQ_SCHEDULE_H
#define DEEPQ_SCHEDULE_H

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dq_schedule_kind {
    DQ_SCHED_LINEAR = 0,   /* SB3 get_linear_fn(start, end, fraction) */
    DQ_SCHED_EXP = 1,      /* end + (start - end) * exp(-t / decay) */
    DQ_SCHED_CONSTANT = 2, /* always start */
} dq_schedule_kind;

typedef struct dq_schedule_def {
    dq_schedule_kind kind;
    double start;      /* value at t = 0 (RL-Zoo exploration_initial_eps, 1.0) */
    double end;        /* final value (exploration_final_eps, 0.05) */
    double fraction;   /* linear: fraction of total steps to reach end (exploration_fraction) */
    double decay;      /* exponential: time constant, in steps or episodes (> 0) */
    bool per_episode;  /* exponential: t = episodes finished instead of env steps */
} dq_schedule_def;

/* Defaults: linear 1.0 -> 0.05 over the first 10% (SB3 DQN's defaults). */
DQ_API dq_schedule_def dq_schedule_def_default(void);
/* Check the fields; DQ_EINVAL naming the bad one. */
DQ_API dq_status dq_schedule_check(const dq_schedule_def *d, dq_error *err);
/* Value after `step` env steps of `total_steps` and `episode` finished episodes. */
DQ_API double dq_schedule_value(const dq_schedule_def *d, int64_t step, int64_t total_steps,
                         int64_t episode);
/* Name of a kind ("linear", "exponential", "constant") and the reverse (DQ_ENOTFOUND). */
DQ_API const char *dq_schedule_kind_name(dq_schedule_kind k);
DQ_API dq_status dq_schedule_kind_parse(const char *s, dq_schedule_kind *out, dq_error *err);

#ifdef __cplusplus
}
#endif
#endif
