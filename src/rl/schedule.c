/* schedule.c — exploration schedules; see deepq/schedule.h. */
#include "deepq/schedule.h"

#include <math.h>
#include <string.h>

dq_schedule_def dq_schedule_def_default(void) {
    dq_schedule_def d;
    memset(&d, 0, sizeof d);
    d.kind = DQ_SCHED_LINEAR;
    d.start = 1.0;
    d.end = 0.05;
    d.fraction = 0.1;
    d.decay = 1000.0;
    d.per_episode = false;
    return d;
}

dq_status dq_schedule_check(const dq_schedule_def *d, dq_error *err) {
    if (!(d->start >= 0 && d->start <= 1))
        return dq_fail(err, DQ_EINVAL, "exploration_initial_eps must be in [0, 1] (got %g)",
                       d->start);
    if (!(d->end >= 0 && d->end <= 1))
        return dq_fail(err, DQ_EINVAL, "exploration_final_eps must be in [0, 1] (got %g)", d->end);
    if (d->kind == DQ_SCHED_LINEAR && !(d->fraction >= 0 && d->fraction <= 1))
        return dq_fail(err, DQ_EINVAL, "exploration_fraction must be in [0, 1] (got %g)",
                       d->fraction);
    if (d->kind == DQ_SCHED_EXP && !(d->decay > 0))
        return dq_fail(err, DQ_EINVAL, "exploration_decay must be > 0 (got %g)", d->decay);
    return DQ_OK;
}

double dq_schedule_value(const dq_schedule_def *d, int64_t step, int64_t total_steps,
                         int64_t episode) {
    switch (d->kind) {
    case DQ_SCHED_CONSTANT: return d->start;
    case DQ_SCHED_EXP: {
        double t = d->per_episode ? (double)episode : (double)step;
        return d->end + (d->start - d->end) * exp(-t / d->decay);
    }
    case DQ_SCHED_LINEAR:
    default: {
        /* As SB3: progress_remaining = 1 - step/total; past the fraction, the end value. */
        double remaining = total_steps > 0 ? 1.0 - (double)step / (double)total_steps : 0.0;
        double done = 1.0 - remaining;
        if (done > d->fraction || d->fraction <= 0) return d->end;
        return d->start + done * (d->end - d->start) / d->fraction;
    }
    }
}

const char *dq_schedule_kind_name(dq_schedule_kind k) {
    switch (k) {
    case DQ_SCHED_LINEAR: return "linear";
    case DQ_SCHED_EXP: return "exponential";
    case DQ_SCHED_CONSTANT: return "constant";
    }
    return "?";
}

dq_status dq_schedule_kind_parse(const char *s, dq_schedule_kind *out, dq_error *err) {
    if (!strcmp(s, "linear")) *out = DQ_SCHED_LINEAR;
    else if (!strcmp(s, "exponential") || !strcmp(s, "exp")) *out = DQ_SCHED_EXP;
    else if (!strcmp(s, "constant")) *out = DQ_SCHED_CONSTANT;
    else
        return dq_fail(err, DQ_ENOTFOUND,
                       "unknown schedule '%s' (expected linear, exponential or constant)", s);
    return DQ_OK;
}
