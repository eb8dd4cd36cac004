/* deepq/nprandom.h — NumPy's random generator, bit for bit: np.random.Generator(PCG64(
 * SeedSequence(seed))), the generator Gymnasium's np_random(seed) builds for env.reset(seed=...)
 * and space.seed(...).
 *
 * Covers the draws Gymnasium's built-in envs and spaces use: raw 64/32-bit outputs (PCG64 with
 * NumPy's 32-bit half buffering), Generator.random(), uniform(low, high) and integers(low, high)
 * (int64, Lemire's bounded method as NumPy runs it), and standard_normal / normal (NumPy's
 * 256-layer ziggurat; its tables computed once by dq_np_ziggurat_init and passed in). Not
 * covered: standard_exponential (its NumPy tables do not follow from their recursion in
 * float64: see docs/ENVIRONMENTS.md) and the other distributions.
 *
 *   dq_np_random g;
 *   dq_np_random_seed(&g, 42);              // np.random.default_rng(42) / np_random(42)
 *   double u = dq_np_random_uniform(&g, -0.05, 0.05);
 *   int64_t k = dq_np_random_integers(&g, 0, 8);
 *   dq_np_ziggurat z;                       // once, shared read-only by any number of streams
 *   dq_np_ziggurat_init(&z);
 *   double n = dq_np_random_normal(&g, &z, 0.0, 0.1);   // Generator.normal(0, 0.1)
 */
#ifndef DEEPQ_NPRANDOM_H
#define DEEPQ_NPRANDOM_H

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* PCG64 state (128-bit LCG state and increment as high/low halves) plus NumPy's buffered upper
 * half of the last 64-bit output, which the next 32-bit draw returns. */
typedef struct dq_np_random {
    uint64_t state_hi, state_lo, inc_hi, inc_lo;
    uint32_t buffered; /* valid when has_buffered */
    int has_buffered;
} dq_np_random;

/* NumPy's ziggurat tables for standard_normal (ki_double, wi_double, fi_double), 12 KiB. */
#define DQ_NP_ZIG_LAYERS 256
typedef struct dq_np_ziggurat {
    uint64_t ki[DQ_NP_ZIG_LAYERS]; /* 2^52 x[i-1] / x[i]: magnitudes below it are inside */
    double wi[DQ_NP_ZIG_LAYERS];   /* x[i] / 2^52: magnitude to value */
    double fi[DQ_NP_ZIG_LAYERS];   /* exp(-x[i]^2 / 2) */
} dq_np_ziggurat;

/* SeedSequence(seed).generate_state(n, np.uint64) into out[n] (seed is the Python int). */
DQ_API void dq_np_seed_sequence(uint64_t seed, uint64_t *out, int n);
/* g = Generator(PCG64(SeedSequence(seed))), as np.random.default_rng(seed). */
DQ_API void dq_np_random_seed(dq_np_random *g, uint64_t seed);
/* Next 64-bit output (bit_generator.random_raw()). */
DQ_API uint64_t dq_np_random_u64(dq_np_random *g);
/* Next 32-bit output: the low half of a fresh 64-bit output, then its high half. */
DQ_API uint32_t dq_np_random_u32(dq_np_random *g);
/* Generator.random(): a double in [0, 1) from the top 53 bits of a 64-bit output. */
DQ_API double dq_np_random_random(dq_np_random *g);
/* Generator.uniform(low, high): low + (high - low) * random(). */
DQ_API double dq_np_random_uniform(dq_np_random *g, double low, double high);
/* Generator.integers(low, high) (int64, high excluded, high > low). */
DQ_API int64_t dq_np_random_integers(dq_np_random *g, int64_t low, int64_t high);
/* Compute the ziggurat tables (from their defining recursion; equal to NumPy's). */
DQ_API void dq_np_ziggurat_init(dq_np_ziggurat *z);
/* Generator.standard_normal(): one 64-bit output per draw mostly (ziggurat), more in the tail
 * and wedges. */
DQ_API double dq_np_random_standard_normal(dq_np_random *g, const dq_np_ziggurat *z);
/* Generator.normal(loc, scale): loc + scale * standard_normal(). */
DQ_API double dq_np_random_normal(dq_np_random *g, const dq_np_ziggurat *z, double loc,
                                  double scale);

#ifdef __cplusplus
}
#endif
#endif
