/* dqn_apex.c — hooks that let a dq_dqn be fed from outside, as an Ape-X learner, and compute
 * an actor block's initial priorities (see deepq/apex.h). The learner's update is the agent's
 * own (dqn_train with PER), so Ape-X and `deepq train` share one update. */
#include "deepq/apex.h"

#include <math.h>
#include <string.h>

#include "dqn_internal.h"

dq_status dq_dqn_apex_check(const dq_dqn *ag, dq_error *err) {
    const dq_dqn_def *d = &ag->def;
    if (d->dtype != DQ_F32) return dq_fail(err, DQ_EINVAL, "Ape-X needs dtype float32");
    if (!ag->has_per || d->per_rank_based)
        return dq_fail(err, DQ_EINVAL, "Ape-X needs proportional prioritized replay "
                                       "(prioritized_replay: true, per_kind: proportional)");
    if (d->dueling || d->distributional || d->noisy || d->no_replay || d->no_target)
        return dq_fail(err, DQ_EINVAL, "Ape-X here supports the plain Q head only (no dueling, "
                                       "distributional, noisy, no_replay or no_target)");
    return DQ_OK;
}

void dq_dqn_store_prioritized(dq_dqn *ag, const float *obs, int action, float reward,
                              const float *next_obs, bool terminated, double discount,
                              double priority) {
    dq_replay_add(ag->rb, obs, action, reward, next_obs, terminated, false);
    int64_t slot = dq_replay_last(ag->rb);
    if (ag->slot_disc) ag->slot_disc[slot] = (float)discount;
    if (priority > 0 && isfinite(priority)) {
        float td = (float)priority; /* dq_per_update adds per_eps and raises max_priority */
        dq_per_update(&ag->per, &slot, &td, 1);
    } else {
        dq_per_add(&ag->per, slot);
    }
}

dq_status dq_dqn_train_steps(dq_dqn *ag, int n, int64_t env_steps, dq_error *err) {
    const dq_dqn_def *d = &ag->def;
    ag->core.c.num_timesteps = env_steps; /* PER beta and the linear lr follow the collected steps */
    if (d->learning_rate_linear)
        ag->opt.def.lr = d->learning_rate * (1.0 - (double)env_steps / (double)d->n_timesteps);
    return dqn_train(ag, n, err);
}

void dq_dqn_update_target(dq_dqn *ag) {
    if (ag->def.tau >= 1.0) dq_mlp_copy_params(&ag->qt, &ag->q);
    else dq_mlp_polyak(&ag->qt, &ag->q, ag->def.tau);
}

void dq_dqn_block_priorities(dq_dqn *ag, float *priority, const float *obs, const int32_t *action,
                             const float *reward, const float *next_obs, const float *discount,
                             int n) {
    const int A = ag->n_actions, od = ag->obs_dim;
    float *q = ag->q_sa, *qn = ag->q_next; /* [B, A] scratch of the update, free between updates */
    for (int i0 = 0; i0 < n; i0 += ag->B) {
        const int m = n - i0 < ag->B ? n - i0 : ag->B;
        dq_mlp_forward(&ag->q, next_obs + (size_t)i0 * od, m, qn);
        dq_mlp_forward(&ag->q, obs + (size_t)i0 * od, m, q);
        for (int i = 0; i < m; i++) {
            float best = qn[(size_t)i * A];
            for (int a = 1; a < A; a++) best = fmaxf(best, qn[(size_t)i * A + a]);
            float td = reward[i0 + i] + discount[i0 + i] * best - q[(size_t)i * A + action[i0 + i]];
            priority[i0 + i] = fabsf(td);
        }
    }
}
