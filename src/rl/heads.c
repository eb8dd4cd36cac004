/* heads.c — dueling aggregation and the C51 distributional head (deepq/heads.h). The kernels
 * are written once in heads_impl.h and instantiated here for float32 and float64. */
#include "deepq/heads.h"

#include <math.h>

dq_c51_def dq_c51_def_default(void) {
    dq_c51_def d = {.atoms = 51, .v_min = -10.0, .v_max = 10.0};
    return d;
}

dq_status dq_c51_check(const dq_c51_def *def, dq_error *err) {
    if (def->atoms < 2 || def->atoms > DQ_HEADS_MAX_ATOMS)
        return dq_fail(err, DQ_EINVAL, "c51_atoms: %d must be in [2, %d]", def->atoms,
                       DQ_HEADS_MAX_ATOMS);
    if (!(isfinite(def->v_min) && isfinite(def->v_max) && def->v_min < def->v_max))
        return dq_fail(err, DQ_EINVAL, "v_min %g must be below v_max %g (both finite)",
                       def->v_min, def->v_max);
    return DQ_OK;
}

void dq_c51_support(const dq_c51_def *def, double *z) {
    const double dz = (def->v_max - def->v_min) / (def->atoms - 1);
    for (int j = 0; j < def->atoms; j++) z[j] = def->v_min + j * dz;
}

#define T float
#define SFX f32
#define EXP expf
#include "heads_impl.h"
#undef T
#undef SFX
#undef EXP

#define T double
#define SFX f64
#define EXP exp
#include "heads_impl.h"
#undef T
#undef SFX
#undef EXP
