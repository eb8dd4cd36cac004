/* test_rng.c — fixed streams for fixed seeds, and simple distribution checks. */
#include "deepq/rng.h"
#include "test.h"

#include <string.h>

int main(void) {
    dq_rng r;
    /* splitmix64(0) first output is the well-known 0xe220a8397b1dcdaf; it is s[0] after seeding. */
    dq_rng_seed(&r, 0);
    CHECK(r.s[0] == 0xe220a8397b1dcdafULL);
    CHECK(r.s[1] == 0x6e789e6aa1b965f4ULL);

    /* Reference xoshiro256** step on a hand-set state (Vigna's algorithm, by hand). */
    r.s[0] = 1; r.s[1] = 2; r.s[2] = 3; r.s[3] = 4;
    CHECK(dq_rng_u64(&r) == 11520ULL);            /* rotl(2*5, 7) * 9 = 1280 * 9 */
    CHECK(dq_rng_u64(&r) == 0ULL);                /* s[1] became 0 */
    CHECK(dq_rng_u64(&r) == 1509978240ULL);

    /* Same seed, same stream; different seeds differ. */
    dq_rng a, b, c;
    dq_rng_seed(&a, 42); dq_rng_seed(&b, 42); dq_rng_seed(&c, 43);
    int same = 1, diff = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = dq_rng_u64(&a), y = dq_rng_u64(&b), z = dq_rng_u64(&c);
        same &= x == y;
        diff += x != z;
    }
    CHECK(same);
    CHECK(diff == 1000);

    /* Uniform moments: mean 1/2, variance 1/12. */
    dq_rng_seed(&r, 7);
    const int N = 1000000;
    double s1 = 0, s2 = 0, mn = 1, mx = 0;
    for (int i = 0; i < N; i++) {
        double u = dq_rng_uniform(&r);
        s1 += u; s2 += u * u;
        if (u < mn) mn = u;
        if (u > mx) mx = u;
    }
    double mean = s1 / N, var = s2 / N - mean * mean;
    CHECK_NEAR(mean, 0.5, 5 * sqrt(1.0 / 12 / N));
    CHECK_NEAR(var, 1.0 / 12, 0.001);
    CHECK(mn >= 0.0 && mx < 1.0);

    /* Normal moments: mean 0, variance 1, kurtosis 3. */
    double n1 = 0, n2 = 0, n4 = 0;
    for (int i = 0; i < N; i++) {
        double z = dq_rng_normal(&r);
        n1 += z; n2 += z * z; n4 += z * z * z * z;
    }
    CHECK_NEAR(n1 / N, 0.0, 5 / sqrt((double)N));
    CHECK_NEAR(n2 / N, 1.0, 0.01);
    CHECK_NEAR(n4 / N, 3.0, 0.05);

    /* Integers in range: chi-square over 7 bins (7 does not divide 2^64: bias would show). */
    enum { K = 7 };
    long cnt[K] = {0};
    const int M = 700000;
    for (int i = 0; i < M; i++) {
        uint64_t v = dq_rng_below(&r, K);
        CHECK(v < K);
        if (v < K) cnt[v]++;
    }
    double chi = 0, e = (double)M / K;
    for (int k = 0; k < K; k++) chi += (cnt[k] - e) * (cnt[k] - e) / e;
    CHECK_MSG(chi < 22.46, "chi2 %.2f (df 6, p=0.001 critical 22.46)", chi); /* p = 0.001 */

    int64_t lo = 1000, hi = -1000;
    for (int i = 0; i < 10000; i++) {
        int64_t v = dq_rng_int(&r, -3, 4);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    CHECK(lo == -3 && hi == 3);

    /* Split streams are reproducible and distinct. */
    dq_rng p1, p2;
    dq_rng_seed(&p1, 9); dq_rng_seed(&p2, 9);
    dq_rng c1 = dq_rng_split(&p1, 1), c2 = dq_rng_split(&p2, 1);
    CHECK(memcmp(c1.s, c2.s, sizeof c1.s) == 0);
    dq_rng c3 = dq_rng_split(&p1, 2);
    CHECK(memcmp(c1.s, c3.s, sizeof c1.s) != 0);
    TEST_MAIN_END();
}
