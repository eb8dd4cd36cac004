/* toy_text.c — what the toy-text envs (FrozenLake, Taxi, CliffWalking) share over their
 * tabular model P: Gymnasium's categorical_sample, sampling a transition of P, and the
 * reset/step/get_state/set_state/model callbacks on the dq_toy_text each state starts with. */
#include "env/frozen_lake.h"

int dq_tabular_sample(const double *p, int n, dq_env_rand *rnd) {
    double u = dq_env_rand_uniform(rnd, 0.0, 1.0), c = 0.0;
    for (int i = 0; i < n; i++) {
        c += p[i];
        if (c > u) return i;
    }
    return 0; /* numpy's argmax of an all-false mask */
}

const dq_transition *dq_tabular_step(const dq_tabular_model *m, int s, int64_t a,
                                     dq_env_rand *rnd) {
    int lo = m->offset[s * m->n_actions + a], hi = m->offset[s * m->n_actions + a + 1];
    double p[8];
    int n = hi - lo < 8 ? hi - lo : 8;
    for (int i = 0; i < n; i++) p[i] = m->tr[lo + i].prob;
    return &m->tr[lo + dq_tabular_sample(p, n, rnd)];
}

void dq_toy_text_reset(void *st, dq_env_rand *rnd, float *obs) {
    dq_toy_text *t = st;
    t->s = dq_tabular_sample(t->model.initial, t->model.n_states, rnd);
    t->last_action = -1;
    t->prob = 1.0;
    obs[0] = (float)t->s;
}

void dq_toy_text_step(void *st, dq_env_rand *rnd, int64_t action, const double *caction,
                      float *obs, double *reward, bool *terminated) {
    (void)caction;
    dq_toy_text *t = st;
    const dq_transition *tr = dq_tabular_step(&t->model, t->s, action, rnd);
    t->s = tr->next;
    t->last_action = (int)action;
    t->prob = tr->prob;
    *reward = tr->reward;
    *terminated = tr->terminated;
    obs[0] = (float)t->s;
}

int dq_toy_text_get_state(const void *st, double *out, int cap) {
    if (cap > 0) out[0] = ((const dq_toy_text *)st)->s;
    return 1;
}

dq_status dq_toy_text_set_state(void *st, const double *s, int n, float *obs, dq_error *err) {
    dq_toy_text *t = st;
    if (n != 1 || !(s[0] >= 0 && s[0] < t->model.n_states) || s[0] != (int)s[0])
        return dq_fail(err, DQ_EINVAL, "the state is one index in 0..%d", t->model.n_states - 1);
    t->s = (int)s[0];
    obs[0] = (float)t->s;
    return DQ_OK;
}

const dq_tabular_model *dq_toy_text_model(const void *st) {
    return &((const dq_toy_text *)st)->model;
}

void dq_toy_text_info(const void *st, dq_info *out) {
    out->has = DQ_INFO_PROB;
    out->prob = ((const dq_toy_text *)st)->prob;
}
