/* apex.c — Ape-X's MPI-free pieces (see deepq/apex.h): settings, the actors' epsilons and the
 * versioned message layouts every rank checks before trusting a byte. */
#include "deepq/apex.h"

#include <math.h>
#include <string.h>

enum { APEX_DEF_MAGIC = 0x41504558 };

dq_apex_def dq_apex_def_default(void) {
    dq_apex_def d = {0};
    d.n_envs = 4;
    d.eps_base = 0.4;
    d.eps_alpha = 7.0;
    d.block = 64;
    d.param_every = 50;
    d.max_inflight = 4;
    d.magic_ = APEX_DEF_MAGIC;
    return d;
}

dq_status dq_apex_def_check(const dq_apex_def *d, dq_error *err) {
    if (d->magic_ != APEX_DEF_MAGIC)
        return dq_fail(err, DQ_EINVAL, "Ape-X settings not made by dq_apex_def_default");
    if (d->n_envs < 1 || d->n_envs > 4096) return dq_fail(err, DQ_EINVAL, "n_envs must be 1..4096");
    if (!(d->eps_base > 0 && d->eps_base <= 1)) return dq_fail(err, DQ_EINVAL, "Ape-X epsilon must be in (0, 1]");
    if (!(d->eps_alpha >= 0 && d->eps_alpha <= 100)) return dq_fail(err, DQ_EINVAL, "Ape-X alpha must be in [0, 100]");
    if (d->block < 1 || d->block > 1 << 20) return dq_fail(err, DQ_EINVAL, "block must be 1..1048576 transitions");
    if (d->param_every < 1) return dq_fail(err, DQ_EINVAL, "param_every must be >= 1 update");
    if (d->max_inflight < 1 || d->max_inflight > 64) return dq_fail(err, DQ_EINVAL, "max_inflight must be 1..64");
    return DQ_OK;
}

double dq_apex_epsilon(const dq_apex_def *d, int i, int n) {
    if (n <= 1) return d->eps_base;
    return pow(d->eps_base, 1.0 + d->eps_alpha * (double)i / (double)(n - 1));
}

/* Byte offsets of a block's arrays after the header, for capacity cap. */
typedef struct layout {
    size_t obs, next, act, rew, disc, prio, ret, len, end;
} layout;

static layout block_layout(int cap, int obs_dim) {
    layout l;
    size_t c = (size_t)cap, f = sizeof(float);
    l.obs = sizeof(dq_apex_header);
    l.next = l.obs + c * (size_t)obs_dim * f;
    l.act = l.next + c * (size_t)obs_dim * f;
    l.rew = l.act + c * sizeof(int32_t);
    l.disc = l.rew + c * f;
    l.prio = l.disc + c * f;
    l.ret = (l.prio + c * f + 7) / 8 * 8; /* doubles 8-byte aligned */
    l.len = l.ret + c * sizeof(double);
    l.end = l.len + c * sizeof(int64_t);
    return l;
}

size_t dq_apex_block_bytes(int cap, int obs_dim) { return block_layout(cap, obs_dim).end; }

void dq_apex_header_init(dq_apex_header *h, dq_apex_kind kind, int actor) {
    memset(h, 0, sizeof *h);
    h->magic = DQ_APEX_MAGIC;
    h->version = DQ_APEX_VERSION;
    h->kind = kind;
    h->actor = actor;
}

static void set_views(dq_apex_block *b, void *buf, int cap, int obs_dim) {
    layout l = block_layout(cap, obs_dim);
    char *p = buf;
    b->h = buf;
    b->obs = (float *)(p + l.obs);
    b->next_obs = (float *)(p + l.next);
    b->action = (int32_t *)(p + l.act);
    b->reward = (float *)(p + l.rew);
    b->discount = (float *)(p + l.disc);
    b->priority = (float *)(p + l.prio);
    b->ep_return = (double *)(p + l.ret);
    b->ep_length = (int64_t *)(p + l.len);
}

void dq_apex_block_init(dq_apex_block *b, void *buf, int cap, int obs_dim, int actor) {
    dq_apex_header_init(buf, DQ_APEX_BLOCK, actor);
    set_views(b, buf, cap, obs_dim);
    b->h->cap = cap;
    b->h->obs_dim = obs_dim;
}

dq_status dq_apex_parse(void *buf, size_t len, int obs_dim, int64_t n_params, dq_apex_block *b,
                        dq_error *err) {
    const dq_apex_header *h = buf;
    if (len < sizeof *h || h->magic != DQ_APEX_MAGIC)
        return dq_fail(err, DQ_EFORMAT, "not an Ape-X message (%zu bytes, bad magic)", len);
    if (h->version != DQ_APEX_VERSION)
        return dq_fail(err, DQ_EFORMAT, "Ape-X message layout version %u from %s %d, this rank "
                                        "speaks version %d: run the same deepq build on every rank",
                       h->version, h->actor < 0 ? "the learner" : "actor", h->actor,
                       DQ_APEX_VERSION);
    switch (h->kind) {
    case DQ_APEX_BLOCK:
        if (h->cap < 1 || h->n < 0 || h->n > h->cap || h->n_eps < 0 || h->n_eps > h->cap ||
            h->obs_dim < 1 || (obs_dim && h->obs_dim != obs_dim) ||
            len != dq_apex_block_bytes(h->cap, h->obs_dim))
            return dq_fail(err, DQ_EFORMAT, "Ape-X block from actor %d malformed (n %d of %d, "
                                            "obs_dim %d, %zu bytes)", h->actor, h->n, h->cap,
                           h->obs_dim, len);
        if (b) set_views(b, buf, h->cap, h->obs_dim);
        return DQ_OK;
    case DQ_APEX_PARAMS:
        if (h->n < 1 || (n_params && h->n != n_params) ||
            len != sizeof *h + (size_t)h->n * sizeof(float))
            return dq_fail(err, DQ_EFORMAT, "Ape-X parameters malformed (%d parameters, %zu "
                                            "bytes; this network has %lld)", h->n, len,
                           (long long)n_params);
        return DQ_OK;
    case DQ_APEX_STOP:
    case DQ_APEX_BYE:
        return len == sizeof *h ? DQ_OK
                                : dq_fail(err, DQ_EFORMAT, "Ape-X control message of %zu bytes", len);
    default:
        return dq_fail(err, DQ_EFORMAT, "Ape-X message of unknown kind %d", h->kind);
    }
}
