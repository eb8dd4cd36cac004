/* deepq/rng.h — explicit-state random numbers (xoshiro256** seeded through splitmix64).
 *
 * Every consumer (env, replay sampler, exploration, initialiser) owns a dq_rng by value; there
 * is no global generator. The same seed gives the same stream on every platform. */
#ifndef DEEPQ_RNG_H
#define DEEPQ_RNG_H

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dq_rng {
    uint64_t s[4];
    /* Second value of the last Box-Muller pair, used by the next dq_rng_normal call. */
    double spare;
    int has_spare;
} dq_rng;

/* Seed the generator from a 64-bit seed (splitmix64 expansion, never the all-zero state). */
DQ_API void dq_rng_seed(dq_rng *r, uint64_t seed);

/* Derive an independent child stream from r for consumer `stream` (r advances by one draw). */
DQ_API dq_rng dq_rng_split(dq_rng *r, uint64_t stream);

/* Next raw 64-bit output. */
DQ_API uint64_t dq_rng_u64(dq_rng *r);

/* Uniform double in [0, 1) with 53 random bits. */
DQ_API double dq_rng_uniform(dq_rng *r);

/* Uniform float in [0, 1) with 24 random bits. */
DQ_API float dq_rng_uniformf(dq_rng *r);

/* Uniform double in [lo, hi). */
DQ_API double dq_rng_range(dq_rng *r, double lo, double hi);

/* Uniform integer in [0, n) without modulo bias (Lemire's method); n > 0. */
DQ_API uint64_t dq_rng_below(dq_rng *r, uint64_t n);

/* Uniform integer in [lo, hi) (hi > lo). */
DQ_API int64_t dq_rng_int(dq_rng *r, int64_t lo, int64_t hi);

/* Standard normal N(0, 1) (Box-Muller, caches the pair's second value in r). */
DQ_API double dq_rng_normal(dq_rng *r);

/* A generator's whole state as DQ_RNG_WORDS int64 words (s[0..3], the spare normal's bits,
 * has_spare), the layout of every saved training state; unpack restores it exactly. */
enum { DQ_RNG_WORDS = 6 };
DQ_API void dq_rng_pack(int64_t out[DQ_RNG_WORDS], const dq_rng *r);
DQ_API void dq_rng_unpack(dq_rng *r, const int64_t in[DQ_RNG_WORDS]);

#ifdef __cplusplus
}
#endif
#endif
