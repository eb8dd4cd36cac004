/* nprandom.c — NumPy's SeedSequence, PCG64 and the Generator draws Gymnasium uses, written from
 * NumPy's documented algorithms (numpy/random: bit_generator.pyx SeedSequence, pcg64 XSL-RR
 * 128/64, distributions.c random_bounded_uint64 with Lemire's method); see deepq/nprandom.h. */
#include "deepq/nprandom.h"

#include <math.h>

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

/* ---- standard_normal: NumPy's 256-layer ziggurat over 52-bit magnitudes -------------------
 * Layers: x[255] = r (where the tail starts) down to x[1], each layer (and the base, layer 0:
 * the strip [0, r] plus the tail) of area V under f(x) = exp(-x^2/2):
 *   x[i] = sqrt(-2 log(f(x[i+1]) + V / x[i+1])),   V = r f(r) + sqrt(pi/2) erfc(r / sqrt 2).
 * NumPy's tables (numpy/random/src/distributions/ziggurat_constants.h) are that recursion run
 * in float64 from r = 3.6541528853610087963519472518 with V rounded to float64, then
 *   ki[i] = round(2^52 x[i-1] / x[i]) (ki[1] = 0), ki[0] = round(2^52 r f(r) / V),
 *   wi[i] = x[i] / 2^52, wi[0] = V / f(r) / 2^52, fi[i] = f(x[i]) (fi[0] = 1).
 * One exp() of NumPy's generator rounded to the other neighbour than glibc's (nearly halfway:
 * 0.44 ulp from ours): its f(x[38]) (fi[38], and the step to x[37]) is one ulp larger. With
 * that, all 768 entries equal NumPy's (compared during development); tests/test_nprandom.c
 * compares 10^5 draws per seed. */
#define ZIG_NOR_R 3.6541528853610087963519472518
#define ZIG_NOR_INV_R 0.27366123732975827203338247596
#define ZIG_NOR_V 0.0049286732339746519 /* V above, as float64 */
#define ZIG_NOR_BUMP_LAYER 37           /* the layer computed from the bumped f(x[38]) */

void dq_np_ziggurat_init(dq_np_ziggurat *z) {
    const double scale = 4503599627370496.0; /* 2^52 */
    double x[DQ_NP_ZIG_LAYERS], f[DQ_NP_ZIG_LAYERS];
    x[DQ_NP_ZIG_LAYERS - 1] = ZIG_NOR_R;
    x[0] = 0.0;
    f[0] = 1.0;
    for (int i = DQ_NP_ZIG_LAYERS - 1; i >= 1; i--) {
        f[i] = exp(-0.5 * x[i] * x[i]);
        if (i == ZIG_NOR_BUMP_LAYER + 1) f[i] = nextafter(f[i], 2.0);
        if (i > 1) x[i - 1] = sqrt(-2.0 * log(f[i] + ZIG_NOR_V / x[i]));
    }
    z->ki[0] = (uint64_t)llrint(ZIG_NOR_R * f[DQ_NP_ZIG_LAYERS - 1] / ZIG_NOR_V * scale);
    z->wi[0] = ZIG_NOR_V / f[DQ_NP_ZIG_LAYERS - 1] / scale;
    z->fi[0] = 1.0;
    for (int i = 1; i < DQ_NP_ZIG_LAYERS; i++) {
        z->ki[i] = (uint64_t)llrint(x[i - 1] / x[i] * scale);
        z->wi[i] = x[i] / scale;
        z->fi[i] = f[i];
    }
}

double dq_np_random_standard_normal(dq_np_random *g, const dq_np_ziggurat *z) {
    for (;;) {
        /* one 64-bit output: 8 bits layer, 1 bit sign, 52 bits magnitude */
        uint64_t r = dq_np_random_u64(g);
        const int idx = (int)(r & 0xff);
        r >>= 8;
        const uint64_t rabs = (r >> 1) & 0x000fffffffffffffULL;
        double x = (double)rabs * z->wi[idx];
        if (r & 1) x = -x;
        if (rabs < z->ki[idx]) return x; /* inside the layer's rectangle: most draws */
        if (idx == 0) {                  /* the tail beyond r (Marsaglia's method) */
            for (;;) {
                const double xx = -ZIG_NOR_INV_R * log1p(-dq_np_random_random(g));
                const double yy = -log1p(-dq_np_random_random(g));
                if (yy + yy > xx * xx)
                    return (rabs >> 8) & 1 ? -(ZIG_NOR_R + xx) : ZIG_NOR_R + xx;
            }
        }
        /* the wedge between the rectangle and the curve */
        if ((z->fi[idx - 1] - z->fi[idx]) * dq_np_random_random(g) + z->fi[idx] <
            exp(-0.5 * x * x))
            return x;
    }
}

double dq_np_random_normal(dq_np_random *g, const dq_np_ziggurat *z, double loc, double scale) {
    return loc + scale * dq_np_random_standard_normal(g, z);
}
