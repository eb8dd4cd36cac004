/* acrobot.h — Acrobot-v1 state (for renderers): two links hanging from a pivot, torque on the
 * middle joint. Gymnasium 1.0.0's AcrobotEnv with "book" dynamics and one RK4 step of 0.2 s. */
#ifndef DQ_ENV_ACROBOT_H
#define DQ_ENV_ACROBOT_H

#include "deepq/env.h"

typedef struct dq_acrobot_state {
    double s[4];     /* theta1, theta2 (rad, wrapped to [-pi, pi]), dtheta1, dtheta2 (rad/s) */
    int last_action; /* -1 after reset; 0, 1, 2 = torque -1, 0, +1 */
    bool svml;       /* options math/numpy: SVML (true) or libm sin/cos */
} dq_acrobot_state;

extern const dq_env_type dq_env_acrobot;

#endif
