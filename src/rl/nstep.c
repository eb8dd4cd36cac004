/* nstep.c — n-step return accumulator (see deepq/nstep.h). A ring of the last n (obs, action,
 * reward); a transition is emitted when it has n rewards behind it, or at an episode end with
 * however many it has. Returns are summed in float64, oldest reward first. */
#include "deepq/nstep.h"

#include <stdlib.h>
#include <string.h>

dq_status dq_nstep_init(dq_nstep *ns, int n, double gamma, int obs_dim, dq_error *err) {
    memset(ns, 0, sizeof *ns);
    if (n < 1 || n > DQ_NSTEP_MAX)
        return dq_fail(err, DQ_EINVAL, "n_step: %d must be in [1, %d]", n, DQ_NSTEP_MAX);
    if (!(gamma >= 0.0 && gamma <= 1.0))
        return dq_fail(err, DQ_EINVAL, "n_step: gamma %g must be in [0, 1]", gamma);
    if (obs_dim < 1) return dq_fail(err, DQ_EINVAL, "n_step: obs_dim %d must be >= 1", obs_dim);
    ns->n = n;
    ns->gamma = gamma;
    ns->obs_dim = obs_dim;
    /* zeroed: a saved training state writes the whole ring, used slots or not */
    ns->obs = calloc((size_t)n * (size_t)obs_dim, sizeof(float));
    ns->action = calloc((size_t)n, sizeof(int32_t));
    ns->reward = calloc((size_t)n, sizeof(float));
    if (!ns->obs || !ns->action || !ns->reward) {
        dq_nstep_free(ns);
        return dq_fail(err, DQ_ENOMEM, "n_step: out of memory");
    }
    return DQ_OK;
}

void dq_nstep_free(dq_nstep *ns) {
    if (!ns) return;
    free(ns->obs);
    free(ns->action);
    free(ns->reward);
    ns->obs = NULL;
    ns->action = NULL;
    ns->reward = NULL;
}

void dq_nstep_clear(dq_nstep *ns) {
    ns->head = 0;
    ns->count = 0;
}

/* Emit the oldest pending step covering all `count` pending rewards. */
static void emit_oldest(dq_nstep *ns, const float *next_obs, bool term, bool trunc,
                        dq_nstep_out *o) {
    const int n = ns->n, k = ns->count;
    double R = 0.0, g = 1.0;
    for (int j = 0; j < k; j++) {
        R += g * (double)ns->reward[(ns->head + j) % n];
        g *= ns->gamma;
    }
    o->obs = ns->obs + (size_t)ns->head * (size_t)ns->obs_dim;
    o->action = ns->action[ns->head];
    o->reward = (float)R;
    o->next_obs = next_obs;
    o->terminated = term;
    o->truncated = trunc && !term;
    o->k = k;
    o->discount = term ? 0.0 : g;
    ns->head = (ns->head + 1) % n;
    ns->count--;
}

int dq_nstep_push(dq_nstep *ns, const float *obs, int32_t action, float reward,
                  const float *next_obs, bool terminated, bool truncated, dq_nstep_out *out) {
    const int n = ns->n;
    const int slot = (ns->head + ns->count) % n;
    memcpy(ns->obs + (size_t)slot * (size_t)ns->obs_dim, obs, (size_t)ns->obs_dim * sizeof(float));
    ns->action[slot] = action;
    ns->reward[slot] = reward;
    ns->count++;
    if (terminated || truncated) {
        /* Flush everything: each pending step bootstraps (or not) from the final observation
         * with the number of steps it actually covers. Slots stay valid: nothing is written
         * until the next push. */
        int m = 0;
        while (ns->count > 0) emit_oldest(ns, next_obs, terminated, truncated, &out[m++]);
        ns->head = 0;
        return m;
    }
    if (ns->count == n) {
        emit_oldest(ns, next_obs, false, false, &out[0]);
        return 1;
    }
    return 0;
}
