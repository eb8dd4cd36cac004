/* registry.c — the built-in environments by Gymnasium id, in `deepq list` order.
 * To make a new env known to `deepq` by id, declare it in its header and add it here. */
#include <string.h>

#include "deepq/env.h"
#include "env/acrobot.h"
#include "env/cartpole.h"
#include "env/frozen_lake.h"
#include "env/mountain_car.h"
#include "env/pendulum.h"
#include "env/flappy.h"
#include "env/lunar.h"
#include "env/toy_text.h"

static const dq_env_type *const BUILTIN[] = {
    &dq_env_cartpole,
    &dq_env_acrobot,
    &dq_env_mountain_car,
    &dq_env_mountain_car_continuous,
    &dq_env_pendulum,
    &dq_env_frozen_lake,
    &dq_env_frozen_lake_8x8,
    &dq_env_taxi,
    &dq_env_cliff_walking,
    &dq_env_lunar_lander,
    &dq_env_flappy_bird,
};
enum { N_BUILTIN = sizeof BUILTIN / sizeof BUILTIN[0] };

int dq_env_count(void) { return N_BUILTIN; }

const dq_env_type *dq_env_type_at(int i) { return i >= 0 && i < N_BUILTIN ? BUILTIN[i] : NULL; }

const dq_env_type *dq_env_find(const char *id) {
    for (int i = 0; i < N_BUILTIN; i++)
        if (!strcmp(BUILTIN[i]->id, id)) return BUILTIN[i];
    return NULL;
}
