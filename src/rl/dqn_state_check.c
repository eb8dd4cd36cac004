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

/* The per-element rule a tensor's values must satisfy. */
typedef enum {
    RULE_FINITE,     /* floats: not NaN, not +-inf */
    RULE_UNIT,       /* floats: finite and in [0, 1] */
    RULE_NONNEG,     /* floats: finite and >= 0 */
    RULE_POSITIVE,   /* floats: finite and > 0 */
    RULE_BOOL,       /* integers: 0 or 1 */
    RULE_RANGE,      /* integers: lo <= v < hi */
} rule_kind;

static const char *rule_text(rule_kind r) {
    switch (r) {
    case RULE_FINITE: return "not finite";
    case RULE_UNIT: return "outside [0, 1]";
    case RULE_NONNEG: return "negative or not finite";
    case RULE_POSITIVE: return "not a finite positive number";
    case RULE_BOOL: return "not 0 or 1";
    default: return "out of range";
    }
}

static double elem_f(const dq_ndarray *t, int64_t i) {
    return t->dtype == DQ_F64 ? ((const double *)t->data)[i] : (double)((const float *)t->data)[i];
}

static int64_t elem_i(const dq_ndarray *t, int64_t i) {
    switch (t->dtype) {
    case DQ_I64: return ((const int64_t *)t->data)[i];
    case DQ_I32: return ((const int32_t *)t->data)[i];
    default: return ((const uint8_t *)t->data)[i];
    }
}

static bool float_ok(double v, rule_kind r) {
    switch (r) {
    case RULE_UNIT: return v >= 0.0 && v <= 1.0;
    case RULE_NONNEG: return v >= 0.0 && isfinite(v);
    case RULE_POSITIVE: return v > 0.0 && isfinite(v);
    default: return isfinite(v);
    }
}

/* Elements [from, to) of tensor `name` (dtype, shape as the loader will read it) obey rule.
 * Integer rules use [lo, hi). */
static dq_status check_tensor(const dq_safetensors *f, const char *path, const char *name,
                              dq_dtype dt, int ndim, const int64_t *shape, int64_t from,
                              int64_t to, rule_kind rule, int64_t lo, int64_t hi,
                              const dq_ndarray **out, dq_error *err) {
    const dq_ndarray *t;
    dq_status st = dq_safetensors_get(f, name, dt, ndim, shape, &t, err);
    if (st) return st;
    if (out) *out = t;
    const bool is_float = dt == DQ_F32 || dt == DQ_F64;
    for (int64_t i = from; i < to; i++) {
        if (is_float) {
            const double v = elem_f(t, i);
            if (!float_ok(v, rule))
                return dq_fail(err, DQ_EFORMAT,
                               "%s: tensor '%s' element %" PRId64 " is %g, %s (corrupted state "
                               "file)", path, name, i, v, rule_text(rule));
        } else {
            const int64_t v = elem_i(t, i);
            const bool ok = rule == RULE_BOOL ? (v == 0 || v == 1) : (v >= lo && v < hi);
            if (!ok)
                return dq_fail(err, DQ_EFORMAT,
                               "%s: tensor '%s' element %" PRId64 " is %" PRId64 ", %s "
                               "[%" PRId64 ", %" PRId64 ") (corrupted state file)", path, name,
                               i, v, rule == RULE_BOOL ? "not in" : "outside",
                               rule == RULE_BOOL ? 0 : lo, rule == RULE_BOOL ? 2 : hi);
        }
    }
    return DQ_OK;
}

/* One dq_rng packed as 6 int64 words (s[0..4), spare as bits, has_spare): a xoshiro state of
 * all zeros never leaves zero, the spare normal must be finite, has_spare 0 or 1. */
static dq_status check_rng_words(const char *path, const char *name, int which,
                                 const int64_t *w, dq_error *err) {
    double spare;
    memcpy(&spare, &w[4], sizeof spare);
    if (!(w[0] | w[1] | w[2] | w[3]) || !isfinite(spare) || (w[5] != 0 && w[5] != 1))
        return dq_fail(err, DQ_EFORMAT,
                       "%s: tensor '%s' row %d is not a valid random generator state (corrupted "
                       "state file)", path, name, which);
    return DQ_OK;
}

/* The counters tensor, in dq_dqn_save_state's order, each with its valid range. */
enum { C_STEPS, C_EPISODES, C_UPDATES, C_CALLS, C_ROLL_STEPS, C_ROLL_EPS, C_ENV_SEEDED,
       C_PREFILLED, C_OPT_T, C_WIN_N, C_WIN_POS, C_RB_SIZE, C_RB_POS, C_RB_ADDED, C_RB_TERMINAL,
       C_ACC_N, C_NEED_RESET, N_COUNTER_FIELDS };

static const char *const counter_names[N_COUNTER_FIELDS] = {
    "num_timesteps", "episodes", "n_updates", "n_calls", "rollout_steps", "rollout_episodes",
    "env_seeded", "prefilled", "optimizer step", "window count", "window position",
    "replay size", "replay position", "replay transitions added", "replay terminal count",
    "diagnostic count", "need_reset"};

static dq_status check_counters(const dq_dqn *ag, const char *path, const int64_t *c,
                                dq_error *err) {
    const int64_t cap = ag->rb->def.capacity, big = INT64_MAX;
    int64_t lo[N_COUNTER_FIELDS], hi[N_COUNTER_FIELDS];
    for (int i = 0; i < N_COUNTER_FIELDS; i++) lo[i] = 0, hi[i] = big;
    hi[C_ENV_SEEDED] = hi[C_PREFILLED] = 2;
    hi[C_NEED_RESET] = 2;
    lo[C_NEED_RESET] = 1; /* a state is only saved between episodes */
    hi[C_WIN_N] = DQN_WINDOW + 1;
    hi[C_WIN_POS] = DQN_WINDOW;
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
    dq_status st = check_tensor(f, path, "replay.obs", DQ_F32, 2, os, 0, n * D, RULE_FINITE, 0, 0,
                                NULL, err);
    if (!st)
        st = check_tensor(f, path, "replay.next_obs", DQ_F32, 2, os, 0, n * D, RULE_FINITE, 0, 0,
                          NULL, err);
    if (!st)
        st = check_tensor(f, path, "replay.action", DQ_I32, 1, vs, 0, n, RULE_RANGE, 0,
                          ag->n_actions, NULL, err);
    if (!st)
        st = check_tensor(f, path, "replay.reward", DQ_F32, 1, vs, 0, n, RULE_FINITE, 0, 0, NULL,
                          err);
    const dq_ndarray *term = NULL;
    if (!st)
        st = check_tensor(f, path, "replay.terminated", DQ_U8, 1, vs, 0, n, RULE_BOOL, 0, 0,
                          &term, err);
    if (!st)
        st = check_tensor(f, path, "replay.truncated", DQ_U8, 1, vs, 0, n, RULE_BOOL, 0, 0, NULL,
                          err);
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
        st = check_tensor(f, path, "rainbow.noisy_q", DQ_F32, 1, ns, 0, m, RULE_FINITE, 0, 0,
                          NULL, err);
        if (!st)
            st = check_tensor(f, path, "rainbow.noisy_q_target", DQ_F32, 1, ns, 0, m,
                              RULE_FINITE, 0, 0, NULL, err);
        if (!st) st = dq_safetensors_get(f, "rainbow.rng_noise", DQ_I64, 1, rs, &r, err);
        if (!st) st = check_rng_words(path, "rainbow.rng_noise", 0, r->data, err);
        if (st) return st;
    }
    if (n == 0) return DQ_OK;
    const int64_t vs[1] = {n}, ps[1] = {n + 1};
    if (ag->slot_disc)
        st = check_tensor(f, path, "rainbow.slot_discount", DQ_F32, 1, vs, 0, n, RULE_UNIT, 0, 0,
                          NULL, err);
    if (st || !ag->has_per) return st;
    const bool rank = ag->per.def.rank_based;
    /* leaves are p^alpha >= 0 (proportional) or keys p > 0 (rank); the max is > 0 either way */
    st = check_tensor(f, path, "rainbow.per_priority", DQ_F64, 1, ps, 0, n,
                      rank ? RULE_POSITIVE : RULE_NONNEG, 0, 0, NULL, err);
    if (!st)
        st = check_tensor(f, path, "rainbow.per_priority", DQ_F64, 1, ps, n, n + 1,
                          RULE_POSITIVE, 0, 0, NULL, err);
    if (st || !rank) return st;
    const dq_ndarray *h;
    st = check_tensor(f, path, "rainbow.per_rank_heap", DQ_I64, 1, ps, 0, n, RULE_RANGE, 0, n,
                      &h, err);
    if (!st)
        st = check_tensor(f, path, "rainbow.per_rank_heap", DQ_I64, 1, ps, n, n + 1, RULE_RANGE,
                          0, INT64_MAX, NULL, err);
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
    dq_status st = check_tensor(f, path, "q_net.params", dt, 1, np, 0, np[0], RULE_FINITE, 0, 0,
                                NULL, err);
    if (!st)
        st = check_tensor(f, path, "q_net_target.params", dt, 1, np, 0, np[0], RULE_FINITE, 0, 0,
                          NULL, err);
    if (!st && ag->opt.n_moments > 0) {
        const int64_t os[2] = {ag->opt.n_moments, (int64_t)ag->opt.n};
        st = check_tensor(f, path, "optim.state", dt, 2, os, 0, os[0] * os[1], RULE_FINITE, 0, 0,
                          NULL, err);
    }
    const dq_ndarray *t;
    const int64_t rs[2] = {3, 6};
    if (!st) st = dq_safetensors_get(f, "rng", DQ_I64, 2, rs, &t, err);
    for (int r = 0; r < 3 && !st; r++)
        st = check_rng_words(path, "rng", r, (const int64_t *)t->data + 6 * r, err);
    const int64_t cs[1] = {N_COUNTER_FIELDS};
    if (!st) st = dq_safetensors_get(f, "counters", DQ_I64, 1, cs, &t, err);
    if (st) return st;
    int64_t c[N_COUNTER_FIELDS];
    memcpy(c, t->data, sizeof c);
    st = check_counters(ag, path, c, err);
    const int64_t as[1] = {6}, ws[1] = {DQN_WINDOW};
    const dq_ndarray *diag = NULL;
    if (!st)
        st = check_tensor(f, path, "diag", DQ_F64, 1, as, 0, 5, RULE_FINITE, 0, 0, &diag, err);
    if (!st) /* epsilon */
        st = check_tensor(f, path, "diag", DQ_F64, 1, as, 5, 6, RULE_UNIT, 0, 0, NULL, err);
    if (!st)
        st = check_tensor(f, path, "window.return", DQ_F64, 1, ws, 0, c[C_WIN_N], RULE_FINITE, 0,
                          0, NULL, err);
    if (!st)
        st = check_tensor(f, path, "window.length", DQ_I64, 1, ws, 0, c[C_WIN_N], RULE_RANGE, 0,
                          INT64_MAX, NULL, err);
    if (!st) st = check_replay(ag, f, path, c[C_RB_SIZE], c[C_RB_TERMINAL], err);
    if (!st) st = check_rainbow(ag, f, path, c[C_RB_SIZE], err);
    return st;
}
