/* mountain_car.h — MountainCar-v0 and MountainCarContinuous-v0 state (for renderers): a car on
 * the hill y = 0.45 sin(3x) + 0.55 between x = -1.2 and 0.6. */
#ifndef DQ_ENV_MOUNTAIN_CAR_H
#define DQ_ENV_MOUNTAIN_CAR_H

#include "deepq/env.h"

typedef struct dq_mountain_car_state {
    double position, velocity; /* Gymnasium's state (Continuous: float32 values) */
    double goal_velocity;      /* option goal_velocity (default 0) */
    double goal_position;      /* 0.5 (discrete), 0.45 (continuous) */
    bool continuous;
    bool state_f32;            /* Continuous: the state is a float32 array (after a step) */
    bool nep50;                /* Continuous, option numpy: NumPy 2's promotion rules */
} dq_mountain_car_state;

extern const dq_env_type dq_env_mountain_car;
extern const dq_env_type dq_env_mountain_car_continuous;

#endif
