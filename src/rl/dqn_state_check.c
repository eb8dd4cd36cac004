/* dqn_state_check.c — the one validation layer for a DQN training state file (resume.safetensors).
 *
 * A state file is input like any other: it may be truncated, edited by hand, written by another
 * version or corrupted on disk. dq_dqn_load_state copies its tensors straight into the agent's
 * buffers, where an action index, a count or a priority is later used as an array index or fed
 * to (int) casts. So before anything is copied, every tensor the loader will read is checked here
 * as a parser would check its input: dtype and shape, then per element a rule (finite, in a
 * range, 0/1), then the relations between fields (counts vs the replay capacity, ring position vs
 * the number of transitions added, terminal count vs the terminal flags, the PER heap being a
 * permutation). The first failure gives one line naming the file, the tensor (and element) and
 * the rule broken. Nothing in this file writes to the agent. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rl/dqn_internal.h"
#include "rl/state_check.h"

/* The counters tensor, in dqn_save_algo_state's order, each with its valid range. */
enum { C_UPDATES, C_OPT_T, C_RB_SIZE, C_RB_POS, C_RB_ADDED, C_RB_TERMINAL, C_ACC_N,
       N_COUNTER_FIELDS };

static const char *const counter_names[N_COUNTER_FIELDS] = {
    "n_updates", "optimizer step", "replay size", "replay position", "replay transitions added",
    "replay terminal count", "diagnostic count"};

static dq_status check_counters(const dq_dqn *ag, const char *path, const int64_t *c,
                                dq_error *err) {
    const int64_t cap = ag->rb->def.capacity, big = INT64_MAX;
    int64_t lo[N_COUNTER_FIELDS], hi[N_COUNTER_FIELDS];
    for (int i = 0; i < N_COUNTER_FIELDS; i++) lo[i] = 0, hi[i] = big;
    hi[C_RB_SIZE] = cap + 1;
    hi[C_RB_POS] = cap;
    hi[C_ACC_N] = INT32_MAX;
    lo[C_RB_ADDED] = c[C_RB_SIZE];     /* never fewer added than stored */
    hi[C_RB_TERMINAL] = c[C_RB_SIZE] + 1;
    for (int i = 0; i < N_COUNTER_FIELDS; i++)
        if (c[i] < lo[i] || c[i] >= hi[i])
            return dq_fail(err, DQ_EFORMAT,
                           "%s: tensor 'counters' field %s is %" PRId64 ", outside [%" PRId64
                           ", %" PRId64 ") (corrupted state file)", path, counter_names[i], c[i],
                           lo[i], hi[i]);
    /* the ring writes slot n_added mod capacity next */
    if (c[C_RB_POS] != c[C_RB_ADDED] % cap)
        return dq_fail(err, DQ_EFORMAT,
                       "%s: tensor 'counters': replay position %" PRId64 " does not follow from "
                       "%" PRId64 " transitions added to a buffer of %" PRId64 " (corrupted state "
                       "file)", path, c[C_RB_POS], c[C_RB_ADDED], cap);
    return DQ_OK;
}

/* Replay tensors (present when size > 0): finite observations and rewards, actions < A, 0/1
 * flags, and a terminal count equal to the flags' sum. */
static dq_status check_replay(const dq_dqn *ag, const dq_safetensors *f, const char *path,
                              int64_t n, int64_t n_terminal, dq_error *err) {
    if (n == 0) return DQ_OK;
    const int64_t D = ag->obs_dim, os[2] = {n, D}, vs[1] = {n};
    dq_status st = state_check_tensor(f, path, "replay.obs", DQ_F32, 2, os, 0, n * D, RULE_FINITE,
                                      0, 0, NULL, err);
    if (!st)
        st = state_check_tensor(f, path, "replay.next_obs", DQ_F32, 2, os, 0, n * D, RULE_FINITE,
                                0, 0, NULL, err);
    if (!st)
        st = state_check_tensor(f, path, "replay.action", DQ_I32, 1, vs, 0, n, RULE_RANGE, 0,
                                ag->n_actions, NULL, err);
    if (!st)
        st = state_check_tensor(f, path, "replay.reward", DQ_F32, 1, vs, 0, n, RULE_FINITE, 0, 0,
                                NULL, err);
    const dq_ndarray *term = NULL;
    if (!st)
        st = state_check_tensor(f, path, "replay.terminated", DQ_U8, 1, vs, 0, n, RULE_BOOL, 0, 0,
                                &term, err);
    if (!st)
        st = state_check_tensor(f, path, "replay.truncated", DQ_U8, 1, vs, 0, n, RULE_BOOL, 0, 0,
                                NULL, err);
    if (st) return st;
    int64_t sum = 0;
    for (int64_t i = 0; i < n; i++) sum += ((const uint8_t *)term->data)[i];
    if (sum != n_terminal)
        return dq_fail(err, DQ_EFORMAT,
                       "%s: tensor 'counters' says %" PRId64 " terminal transitions, "
                       "'replay.terminated' holds %" PRId64 " (corrupted state file)", path,
                       n_terminal, sum);
    return DQ_OK;
}

/* Rainbow tensors: noisy parameters and their stream, per-slot n-step discounts, PER priorities
 * (and for rank-based PER a heap order that is a permutation of the stored slots). */
static dq_status check_rainbow(const dq_dqn *ag, const dq_safetensors *f, const char *path,
                               int64_t n, dq_error *err) {
    if (!ag->ext) return DQ_OK;
    dq_status st = DQ_OK;
    if (ag->def.noisy) {
        const int64_t m = (int64_t)(2 * ag->nz_q.n), ns[1] = {m}, rs[1] = {6};
        const dq_ndarray *r;
        st = state_check_tensor(f, path, "rainbow.noisy_q", DQ_F32, 1, ns, 0, m, RULE_FINITE, 0,
                                0, NULL, err);
        if (!st)
            st = state_check_tensor(f, path, "rainbow.noisy_q_target", DQ_F32, 1, ns, 0, m,
                                    RULE_FINITE, 0, 0, NULL, err);
        if (!st) st = dq_safetensors_get(f, "rainbow.rng_noise", DQ_I64, 1, rs, &r, err);
        if (!st) st = state_check_rng(path, "rainbow.rng_noise", 0, r->data, err);
        if (st) return st;
    }
    if (ag->def.n_step > 1) {
        /* each env's window: head < n_step, fewer than n_step pending, valid ring contents */
        const int64_t E = ag->def.n_envs, N = ag->def.n_step, D = ag->obs_dim;
        const int64_t pshape[2] = {E, 2}, oshape[3] = {E, N, D}, vshape[2] = {E, N};
        st = state_check_tensor(f, path, "rainbow.nstep.pending", DQ_I64, 2, pshape, 0, 2 * E,
                                RULE_RANGE, 0, N, NULL, err);
        if (!st)
            st = state_check_tensor(f, path, "rainbow.nstep.obs", DQ_F32, 3, oshape, 0, E * N * D,
                                    RULE_FINITE, 0, 0, NULL, err);
        if (!st)
            st = state_check_tensor(f, path, "rainbow.nstep.action", DQ_I32, 2, vshape, 0, E * N,
                                    RULE_RANGE, 0, ag->n_actions, NULL, err);
        if (!st)
            st = state_check_tensor(f, path, "rainbow.nstep.reward", DQ_F32, 2, vshape, 0, E * N,
                                    RULE_FINITE, 0, 0, NULL, err);
        if (st) return st;
    }
    if (n == 0) return DQ_OK;
    const int64_t vs[1] = {n}, ps[1] = {n + 1};
    if (ag->slot_disc)
        st = state_check_tensor(f, path, "rainbow.slot_discount", DQ_F32, 1, vs, 0, n, RULE_UNIT,
                                0, 0, NULL, err);
    if (st || !ag->has_per) return st;
    const bool rank = ag->per.def.rank_based;
    /* leaves are p^alpha >= 0 (proportional) or keys p > 0 (rank); the max is > 0 either way */
    st = state_check_tensor(f, path, "rainbow.per_priority", DQ_F64, 1, ps, 0, n,
                            rank ? RULE_POSITIVE : RULE_NONNEG, 0, 0, NULL, err);
    if (!st)
        st = state_check_tensor(f, path, "rainbow.per_priority", DQ_F64, 1, ps, n, n + 1,
                                RULE_POSITIVE, 0, 0, NULL, err);
    if (st || !rank) return st;
    const dq_ndarray *h;
    st = state_check_tensor(f, path, "rainbow.per_rank_heap", DQ_I64, 1, ps, 0, n, RULE_RANGE, 0,
                            n, &h, err);
    if (!st)
        st = state_check_tensor(f, path, "rainbow.per_rank_heap", DQ_I64, 1, ps, n, n + 1,
                                RULE_RANGE, 0, INT64_MAX, NULL, err);
    if (st) return st;
    /* a permutation: n values in [0, n) with none twice (the max-heap order itself is checked
     * by dq_per_rank_restore, which owns the comparison) */
    uint8_t *seen = calloc((size_t)n, 1);
    if (!seen) return dq_fail(err, DQ_ENOMEM, "out of memory checking %s", path);
    const int64_t *order = h->data;
    for (int64_t i = 0; i < n && !st; i++) {
        if (seen[order[i]])
            st = dq_fail(err, DQ_EFORMAT,
                         "%s: tensor 'rainbow.per_rank_heap' names slot %" PRId64 " twice "
                         "(corrupted state file)", path, order[i]);
        seen[order[i]] = 1;
    }
    free(seen);
    return st;
}

dq_status dqn_state_check(const dq_dqn *ag, const dq_safetensors *f, const char *path,
                          dq_error *err) {
    const dq_dtype dt = ag->def.dtype;
    const int64_t np[1] = {(int64_t)ag->q.n_params};
    dq_status st = state_check_tensor(f, path, "q_net.params", dt, 1, np, 0, np[0], RULE_FINITE,
                                      0, 0, NULL, err);
    if (!st)
        st = state_check_tensor(f, path, "q_net_target.params", dt, 1, np, 0, np[0], RULE_FINITE,
                                0, 0, NULL, err);
    if (!st && ag->opt.n_moments > 0) {
        const int64_t os[2] = {ag->opt.n_moments, (int64_t)ag->opt.n};
        st = state_check_tensor(f, path, "optim.state", dt, 2, os, 0, os[0] * os[1], RULE_FINITE,
                                0, 0, NULL, err);
    }
    const dq_ndarray *t;
    const int64_t rs[2] = {2, DQ_RNG_WORDS};
    if (!st) st = dq_safetensors_get(f, "rng", DQ_I64, 2, rs, &t, err);
    for (int r = 0; r < 2 && !st; r++)
        st = state_check_rng(path, "rng", r, (const int64_t *)t->data + DQ_RNG_WORDS * r, err);
    const int64_t cs[1] = {N_COUNTER_FIELDS};
    if (!st) st = dq_safetensors_get(f, "counters", DQ_I64, 1, cs, &t, err);
    if (st) return st;
    int64_t c[N_COUNTER_FIELDS];
    memcpy(c, t->data, sizeof c);
    st = check_counters(ag, path, c, err);
    const int64_t as[1] = {5};
    if (!st)
        st = state_check_tensor(f, path, "diag", DQ_F64, 1, as, 0, 5, RULE_FINITE, 0, 0, NULL,
                                err);
    if (!st) st = check_replay(ag, f, path, c[C_RB_SIZE], c[C_RB_TERMINAL], err);
    if (!st) st = check_rainbow(ag, f, path, c[C_RB_SIZE], err);
    return st;
}
