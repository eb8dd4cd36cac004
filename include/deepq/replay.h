/* deepq/replay.h — the experience replay buffer of DQN: a ring of transitions in contiguous
 * arrays (one array per field), uniform sampling with or without replacement into caller-owned
 * batch buffers.
 *
 * Each slot stores (obs, action, reward, next_obs, terminated, truncated). next_obs is the TRUE
 * next observation, also on truncation (the env's final observation, not the reset one), so the
 * learner can bootstrap through a time limit and stop only at termination.
 *
 * Usage:
 *   dq_replay_def d = dq_replay_def_default(); d.capacity = 100000; d.obs_dim = 4;
 *   dq_replay *rb; dq_replay_create(&rb, &d, &err);
 *   dq_replay_add(rb, obs, action, reward, next_obs, terminated, truncated);
 *   dq_replay_sample(rb, &rng, 64, &batch);   (batch points into your buffers)
 *   dq_replay_destroy(rb);
 * Nothing allocates after create. */
#ifndef DEEPQ_REPLAY_H
#define DEEPQ_REPLAY_H

#include "deepq/common.h"
#include "deepq/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_replay_def {
    int64_t capacity;       /* transitions kept (RL-Zoo buffer_size); oldest overwritten */
    int obs_dim;            /* floats per observation */
    bool with_replacement;  /* sampling: true = independent uniform indices (SB3, tutorial);
                             * false = B distinct indices (needs size >= B) */
} dq_replay_def;

/* Defaults: capacity 100000 (set obs_dim), sampling with replacement. */
DQ_API dq_replay_def dq_replay_def_default(void);

/* The buffer. Arrays are [capacity] rows; fields read-only to callers. */
typedef struct dq_replay {
    dq_replay_def def;
    int64_t size;        /* valid transitions, <= capacity */
    int64_t pos;         /* next slot to write */
    int64_t n_added;     /* transitions ever added */
    int64_t n_terminal;  /* stored transitions with terminated = 1 */
    float *obs;          /* [capacity, obs_dim] */
    float *next_obs;     /* [capacity, obs_dim] */
    int32_t *action;     /* [capacity] */
    float *reward;       /* [capacity] */
    uint8_t *terminated; /* [capacity] 0/1 */
    uint8_t *truncated;  /* [capacity] 0/1 */
} dq_replay;

/* A sampled batch: every pointer is a caller-owned buffer of B rows that sampling fills. */
typedef struct dq_replay_batch {
    float *obs;        /* [B, obs_dim] */
    float *next_obs;   /* [B, obs_dim] */
    int32_t *action;   /* [B] */
    float *reward;     /* [B] */
    float *terminated; /* [B] 1.0 where the episode terminated (no bootstrap), else 0.0 */
    float *truncated;  /* [B] 1.0 where the time limit cut the episode (may be NULL) */
    int64_t *index;    /* [B] slots sampled (may be NULL; prioritized replay needs them) */
} dq_replay_batch;

/* Allocate an empty buffer; *out owned by the caller (dq_replay_destroy). */
DQ_API dq_status dq_replay_create(dq_replay **out, const dq_replay_def *def, dq_error *err);
/* Free the buffer (NULL-safe). */
DQ_API void dq_replay_destroy(dq_replay *rb);
/* Empty the buffer (keeps the allocation). */
DQ_API void dq_replay_clear(dq_replay *rb);
/* Copy one transition into the next slot (obs/next_obs: obs_dim floats, copied). */
DQ_API void dq_replay_add(dq_replay *rb, const float *obs, int32_t action, float reward,
                   const float *next_obs, bool terminated, bool truncated);
/* Copy the transitions at slots idx[0..B) into batch (no randomness). */
DQ_API void dq_replay_gather(const dq_replay *rb, const int64_t *idx, int B, dq_replay_batch *batch);
/* Draw B slots uniformly from rng (with or without replacement as def says) and gather them.
 * DQ_EINVAL when the buffer is empty, or holds fewer than B without replacement. idx_scratch
 * [B] is used when batch->index is NULL; may be NULL then only if batch->index is set. */
DQ_API dq_status dq_replay_sample(const dq_replay *rb, dq_rng *rng, int B, dq_replay_batch *batch,
                           int64_t *idx_scratch, dq_error *err);
/* Slot of the most recent transition (size must be > 0). */
DQ_API int64_t dq_replay_last(const dq_replay *rb);
/* Fraction of stored transitions that are terminal (0 when empty). */
DQ_API double dq_replay_terminal_frac(const dq_replay *rb);

#ifdef __cplusplus
}
#endif
#endif
