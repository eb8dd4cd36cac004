/* nprandom.c — NumPy's SeedSequence, PCG64 and the Generator draws Gymnasium uses, written from
 * NumPy's documented algorithms (numpy/random: bit_generator.pyx SeedSequence, pcg64 XSL-RR
 * 128/64, distributions.c random_bounded_uint64 with Lemire's method); see deepq/nprandom.h. */
#include "deepq/nprandom.h"

/* ---- SeedSequence ----------------------------------------------------------------------
 * The entropy (a non-negative Python int) as little-endian 32-bit words is hashed into a pool
 * of 4 words; generate_state hashes the pool again, cycling, into the output words. */
#define SS_POOL 4
#define SS_INIT_A 0x43b0d7e5u
#define SS_MULT_A 0x931e8875u
#define SS_INIT_B 0x8b51f9ddu
#define SS_MULT_B 0x58f38dedu
#define SS_MIX_L 0xca01f9ddu
#define SS_MIX_R 0x4973f715u
#define SS_XSHIFT 16

static uint32_t ss_hashmix(uint32_t value, uint32_t *hash_const) {
    value ^= *hash_const;
    *hash_const *= SS_MULT_A;
    value *= *hash_const;
    return value ^ (value >> SS_XSHIFT);
}

static uint32_t ss_mix(uint32_t x, uint32_t y) {
    uint32_t r = SS_MIX_L * x - SS_MIX_R * y;
    return r ^ (r >> SS_XSHIFT);
}

void dq_np_seed_sequence(uint64_t seed, uint64_t *out, int n) {
    uint32_t ent[2];
    int n_ent = 0;
    do { /* at least one word, even for 0 */
        ent[n_ent++] = (uint32_t)seed;
        seed >>= 32;
    } while (seed && n_ent < 2);
    uint32_t pool[SS_POOL], hc = SS_INIT_A;
    for (int i = 0; i < SS_POOL; i++) pool[i] = ss_hashmix(i < n_ent ? ent[i] : 0u, &hc);
    for (int src = 0; src < SS_POOL; src++)
        for (int dst = 0; dst < SS_POOL; dst++)
            if (src != dst) pool[dst] = ss_mix(pool[dst], ss_hashmix(pool[src], &hc));
    /* entropy words beyond the pool size would be mixed in here; a uint64 has at most 2 */
    uint32_t hb = SS_INIT_B;
    for (int i = 0; i < 2 * n; i++) {
        uint32_t v = pool[i % SS_POOL];
        v ^= hb;
        hb *= SS_MULT_B;
        v *= hb;
        v ^= v >> SS_XSHIFT;
        if (i % 2 == 0) out[i / 2] = v; /* uint32 pairs viewed as little-endian uint64 */
        else out[i / 2] |= (uint64_t)v << 32;
    }
}

/* ---- PCG64 (XSL-RR 128/64) ------------------------------------------------------------- */

#define PCG_MULT_HI 2549297995355413924ULL
#define PCG_MULT_LO 4865540595714422341ULL

typedef unsigned __int128 u128;

static inline u128 join(uint64_t hi, uint64_t lo) { return ((u128)hi << 64) | lo; }

static inline void pcg_step(dq_np_random *g) {
    u128 s = join(g->state_hi, g->state_lo) * join(PCG_MULT_HI, PCG_MULT_LO) +
             join(g->inc_hi, g->inc_lo);
    g->state_hi = (uint64_t)(s >> 64), g->state_lo = (uint64_t)s;
}

void dq_np_random_seed(dq_np_random *g, uint64_t seed) {
    uint64_t w[4];
    dq_np_seed_sequence(seed, w, 4);
    /* PCG64 takes words 0-1 as the state seed and 2-3 as the stream, each word 0 the high half;
     * srandom: state = 0, inc = 2 * stream + 1, step, state += seed, step. */
    u128 initstate = join(w[0], w[1]), inc = (join(w[2], w[3]) << 1) | 1u;
    g->inc_hi = (uint64_t)(inc >> 64), g->inc_lo = (uint64_t)inc;
    g->state_hi = g->state_lo = 0;
    pcg_step(g);
    u128 s = join(g->state_hi, g->state_lo) + initstate;
    g->state_hi = (uint64_t)(s >> 64), g->state_lo = (uint64_t)s;
    pcg_step(g);
    g->buffered = 0;
    g->has_buffered = 0;
}

uint64_t dq_np_random_u64(dq_np_random *g) {
    pcg_step(g);
    uint64_t x = g->state_hi ^ g->state_lo;
    unsigned rot = (unsigned)(g->state_hi >> 58);
    return (x >> rot) | (x << ((64 - rot) & 63));
}

uint32_t dq_np_random_u32(dq_np_random *g) {
    if (g->has_buffered) {
        g->has_buffered = 0;
        return g->buffered;
    }
    uint64_t v = dq_np_random_u64(g);
    g->buffered = (uint32_t)(v >> 32);
    g->has_buffered = 1;
    return (uint32_t)v;
}

double dq_np_random_random(dq_np_random *g) {
    return (double)(dq_np_random_u64(g) >> 11) * (1.0 / 9007199254740992.0);
}

double dq_np_random_uniform(dq_np_random *g, double low, double high) {
    return low + (high - low) * dq_np_random_random(g);
}

int64_t dq_np_random_integers(dq_np_random *g, int64_t low, int64_t high) {
    /* NumPy draws off + [0, rng] with rng = high - 1 - low; ranges that fit 32 bits use 32-bit
     * outputs (so half-buffered words), wider ones 64-bit; both with Lemire's rejection. */
    uint64_t rng = (uint64_t)high - 1u - (uint64_t)low;
    if (rng == 0) return low;
    if (rng <= 0xFFFFFFFFu) {
        if (rng == 0xFFFFFFFFu) return (int64_t)((uint64_t)low + dq_np_random_u32(g));
        uint32_t excl = (uint32_t)rng + 1u;
        uint64_t m = (uint64_t)dq_np_random_u32(g) * excl;
        uint32_t left = (uint32_t)m;
        if (left < excl) {
            uint32_t threshold = (uint32_t)(0xFFFFFFFFu - (uint32_t)rng) % excl;
            while (left < threshold) {
                m = (uint64_t)dq_np_random_u32(g) * excl;
                left = (uint32_t)m;
            }
        }
        return (int64_t)((uint64_t)low + (m >> 32));
    }
    if (rng == UINT64_MAX) return (int64_t)((uint64_t)low + dq_np_random_u64(g));
    uint64_t excl = rng + 1u;
    u128 m = (u128)dq_np_random_u64(g) * excl;
    uint64_t left = (uint64_t)m;
    if (left < excl) {
        uint64_t threshold = (UINT64_MAX - rng) % excl;
        while (left < threshold) {
            m = (u128)dq_np_random_u64(g) * excl;
            left = (uint64_t)m;
        }
    }
    return (int64_t)((uint64_t)low + (uint64_t)(m >> 64));
}
