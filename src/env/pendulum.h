/* pendulum.h — Pendulum-v1 state (for renderers): a pendulum swung up by a bounded torque. */
#ifndef DQ_ENV_PENDULUM_H
#define DQ_ENV_PENDULUM_H

#include "deepq/env.h"

typedef struct dq_pendulum_state {
    double th, thdot; /* angle (0 = upright, rad) and angular velocity (rad/s) */
    double g;         /* option g (default 10.0) */
    double last_u;    /* clipped torque of the last step (NAN after reset), for drawing */
    bool svml;        /* options math/numpy: SVML (true) or libm sin/cos */
} dq_pendulum_state;

extern const dq_env_type dq_env_pendulum;

#endif
