/* deepq/lunar.h — built-in policies for LunarLander-v3.
 *
 * dq_lunar_heuristic is Gymnasium's `heuristic(env, s)` from lunar_lander.py: a hand-written
 * PD controller that lands most episodes (mean return ~240 discrete, ~280 continuous). It is a
 * baseline for learners and a test oracle for the environment. */
#ifndef DEEPQ_LUNAR_H
#define DEEPQ_LUNAR_H

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Heuristic action for observation obs[8] (as returned by the env). Returns the discrete
 * action (0 noop, 1 left engine, 2 main, 3 right engine); when caction is non-NULL also writes
 * the continuous action [main, lateral] in [-1, 1]. Computed in float64 like Gymnasium. */
DQ_API int64_t dq_lunar_heuristic(const float *obs, double *caction);

#ifdef __cplusplus
}
#endif
#endif
