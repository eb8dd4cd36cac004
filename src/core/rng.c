/* rng.c — xoshiro256** (Blackman & Vigna) with splitmix64 seeding; see deepq/rng.h. */
#include "deepq/rng.h"

#include <math.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void dq_rng_seed(dq_rng *r, uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
    /* splitmix64 of consecutive counters cannot give four zeros, but be explicit. */
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) r->s[0] = 1;
    r->spare = 0.0;
    r->has_spare = 0;
}

uint64_t dq_rng_u64(dq_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

dq_rng dq_rng_split(dq_rng *r, uint64_t stream) {
    uint64_t x = dq_rng_u64(r) ^ (stream * 0xd1342543de82ef95ULL);
    dq_rng child;
    dq_rng_seed(&child, splitmix64(&x));
    return child;
}

double dq_rng_uniform(dq_rng *r) { return (double)(dq_rng_u64(r) >> 11) * 0x1.0p-53; }

float dq_rng_uniformf(dq_rng *r) { return (float)(dq_rng_u64(r) >> 40) * 0x1.0p-24f; }

double dq_rng_range(dq_rng *r, double lo, double hi) { return lo + (hi - lo) * dq_rng_uniform(r); }

uint64_t dq_rng_below(dq_rng *r, uint64_t n) {
    /* Lemire, "Fast random integer generation in an interval" (2019), 64-bit variant. */
    unsigned __int128 m = (unsigned __int128)dq_rng_u64(r) * n;
    uint64_t l = (uint64_t)m;
    if (l < n) {
        uint64_t t = (0 - n) % n;
        while (l < t) {
            m = (unsigned __int128)dq_rng_u64(r) * n;
            l = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

int64_t dq_rng_int(dq_rng *r, int64_t lo, int64_t hi) {
    return lo + (int64_t)dq_rng_below(r, (uint64_t)(hi - lo));
}

double dq_rng_normal(dq_rng *r) {
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u1 = 1.0 - dq_rng_uniform(r); /* (0, 1]: log is finite */
    double u2 = dq_rng_uniform(r);
    double rad = sqrt(-2.0 * log(u1));
    double th = 6.283185307179586476925 * u2;
    r->spare = rad * sin(th);
    r->has_spare = 1;
    return rad * cos(th);
}

void dq_rng_pack(int64_t out[DQ_RNG_WORDS], const dq_rng *r) {
    for (int i = 0; i < 4; i++) out[i] = (int64_t)r->s[i];
    memcpy(&out[4], &r->spare, sizeof(double));
    out[5] = r->has_spare;
}

void dq_rng_unpack(dq_rng *r, const int64_t in[DQ_RNG_WORDS]) {
    for (int i = 0; i < 4; i++) r->s[i] = (uint64_t)in[i];
    memcpy(&r->spare, &in[4], sizeof(double));
    r->has_spare = (int)in[5];
}
