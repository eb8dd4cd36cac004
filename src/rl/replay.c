/* replay.c — ring-buffer experience replay with uniform sampling; see deepq/replay.h. */
#include "deepq/replay.h"

#include <stdlib.h>
#include <string.h>

dq_replay_def dq_replay_def_default(void) {
    dq_replay_def d;
    memset(&d, 0, sizeof d);
    d.capacity = 100000;
    d.obs_dim = 0;
    d.with_replacement = true;
    return d;
}

dq_status dq_replay_create(dq_replay **out, const dq_replay_def *def, dq_error *err) {
    *out = NULL;
    if (def->capacity <= 0)
        return dq_fail(err, DQ_EINVAL, "buffer_size must be > 0 (got %lld)",
                       (long long)def->capacity);
    if (def->obs_dim <= 0)
        return dq_fail(err, DQ_EINVAL, "replay obs_dim must be > 0 (got %d)", def->obs_dim);
    dq_replay *rb = calloc(1, sizeof *rb);
    if (!rb) return dq_fail(err, DQ_ENOMEM, "out of memory for the replay buffer");
    rb->def = *def;
    size_t n = (size_t)def->capacity, d = (size_t)def->obs_dim;
    rb->obs = malloc(n * d * sizeof(float));
    rb->next_obs = malloc(n * d * sizeof(float));
    rb->action = malloc(n * sizeof(int32_t));
    rb->reward = malloc(n * sizeof(float));
    rb->terminated = malloc(n);
    rb->truncated = malloc(n);
    if (!rb->obs || !rb->next_obs || !rb->action || !rb->reward || !rb->terminated ||
        !rb->truncated) {
        dq_replay_destroy(rb);
        return dq_fail(err, DQ_ENOMEM, "out of memory for a replay buffer of %lld transitions",
                       (long long)def->capacity);
    }
    *out = rb;
    return DQ_OK;
}

void dq_replay_destroy(dq_replay *rb) {
    if (!rb) return;
    free(rb->obs);
    free(rb->next_obs);
    free(rb->action);
    free(rb->reward);
    free(rb->terminated);
    free(rb->truncated);
    free(rb);
}

void dq_replay_clear(dq_replay *rb) {
    rb->size = rb->pos = rb->n_added = rb->n_terminal = 0;
}

void dq_replay_add(dq_replay *rb, const float *obs, int32_t action, float reward,
                   const float *next_obs, bool terminated, bool truncated) {
    int64_t i = rb->pos;
    size_t d = (size_t)rb->def.obs_dim;
    if (rb->size == rb->def.capacity) rb->n_terminal -= rb->terminated[i]; /* overwritten */
    memcpy(rb->obs + (size_t)i * d, obs, d * sizeof(float));
    memcpy(rb->next_obs + (size_t)i * d, next_obs, d * sizeof(float));
    rb->action[i] = action;
    rb->reward[i] = reward;
    rb->terminated[i] = terminated ? 1 : 0;
    rb->truncated[i] = truncated ? 1 : 0;
    rb->n_terminal += rb->terminated[i];
    rb->pos = (i + 1 == rb->def.capacity) ? 0 : i + 1;
    if (rb->size < rb->def.capacity) rb->size++;
    rb->n_added++;
}

void dq_replay_gather(const dq_replay *rb, const int64_t *idx, int B, dq_replay_batch *batch) {
    size_t d = (size_t)rb->def.obs_dim;
    for (int b = 0; b < B; b++) {
        size_t i = (size_t)idx[b];
        memcpy(batch->obs + (size_t)b * d, rb->obs + i * d, d * sizeof(float));
        memcpy(batch->next_obs + (size_t)b * d, rb->next_obs + i * d, d * sizeof(float));
        batch->action[b] = rb->action[i];
        batch->reward[b] = rb->reward[i];
        batch->terminated[b] = (float)rb->terminated[i];
        if (batch->truncated) batch->truncated[b] = (float)rb->truncated[i];
    }
}

/* B distinct values in [0, n) by Floyd's algorithm (uniform over subsets). The membership test
 * is a linear scan: B is a minibatch size, so B^2 stays small next to one network update. */
static void sample_distinct(int64_t *idx, int B, int64_t n, dq_rng *rng) {
    int k = 0;
    for (int64_t j = n - B; j < n; j++) {
        int64_t t = (int64_t)dq_rng_below(rng, (uint64_t)(j + 1));
        bool seen = false;
        for (int q = 0; q < k; q++)
            if (idx[q] == t) {
                seen = true;
                break;
            }
        idx[k++] = seen ? j : t;
    }
}

dq_status dq_replay_sample(const dq_replay *rb, dq_rng *rng, int B, dq_replay_batch *batch,
                           int64_t *idx_scratch, dq_error *err) {
    int64_t *idx = batch->index ? batch->index : idx_scratch;
    if (!idx) return dq_fail(err, DQ_EINVAL, "replay sample: no index buffer");
    if (B <= 0) return dq_fail(err, DQ_EINVAL, "batch_size must be > 0 (got %d)", B);
    if (rb->size == 0) return dq_fail(err, DQ_EINVAL, "replay sample: the buffer is empty");
    if (rb->def.with_replacement) {
        for (int b = 0; b < B; b++) idx[b] = (int64_t)dq_rng_below(rng, (uint64_t)rb->size);
    } else {
        if (rb->size < B)
            return dq_fail(err, DQ_EINVAL,
                           "replay sample without replacement: %lld transitions stored, batch "
                           "of %d asked (raise learning_starts to at least batch_size)",
                           (long long)rb->size, B);
        sample_distinct(idx, B, rb->size, rng);
    }
    dq_replay_gather(rb, idx, B, batch);
    return DQ_OK;
}

int64_t dq_replay_last(const dq_replay *rb) {
    return rb->pos == 0 ? rb->def.capacity - 1 : rb->pos - 1;
}

double dq_replay_terminal_frac(const dq_replay *rb) {
    return rb->size ? (double)rb->n_terminal / (double)rb->size : 0.0;
}
