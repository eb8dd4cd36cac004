/* state_check.h — checks shared by the validation of training state files (the learn loop's
 * tensors in offpolicy.c, DQN's in dqn_state_check.c): a tensor's dtype and shape, then a rule
 * per element, with one line naming the file, the tensor and the element on a failure. */
#ifndef DQ_RL_STATE_CHECK_H
#define DQ_RL_STATE_CHECK_H

#include "deepq/common.h"
#include "deepq/safetensors.h"

/* The per-element rule a tensor's values must satisfy. */
typedef enum {
    RULE_FINITE,   /* floats: not NaN, not +-inf */
    RULE_UNIT,     /* floats: finite and in [0, 1] */
    RULE_NONNEG,   /* floats: finite and >= 0 */
    RULE_POSITIVE, /* floats: finite and > 0 */
    RULE_BOOL,     /* integers: 0 or 1 */
    RULE_RANGE,    /* integers: lo <= v < hi */
} state_rule;

/* Elements [from, to) of tensor `name` (dtype, shape as the loader will read it) obey rule
 * (integer rules use [lo, hi)); *out (may be NULL) receives the tensor. */
dq_status state_check_tensor(const dq_safetensors *f, const char *path, const char *name,
                             dq_dtype dt, int ndim, const int64_t *shape, int64_t from,
                             int64_t to, state_rule rule, int64_t lo, int64_t hi,
                             const dq_ndarray **out, dq_error *err);
/* One dq_rng packed as DQ_RNG_WORDS int64 words (row `which` of tensor `name`) is a state a
 * generator can be in: not all-zero, a finite spare normal, has_spare 0 or 1. */
dq_status state_check_rng(const char *path, const char *name, int which, const int64_t *w,
                          dq_error *err);

#endif
