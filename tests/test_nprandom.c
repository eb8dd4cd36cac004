/* test_nprandom.c — dq_np_random against NumPy (tests/ref/make_nprandom_ref.py): for seeds 0,
 * 1, 42, ..., 2^32 - 1, 2^32 + 5, 2^40 + 123, 2^63 + 7 and 2^64 - 1, SeedSequence's state words
 * and 10^5 draws per method (raw 64-bit outputs, random, uniform, integers over 32- and 64-bit
 * ranges, and an interleaving of them that exercises the buffered 32-bit halves; standard_normal,
 * normal, and those between 32-bit integers draws). Every draw is
 * compared: through a hash of all 10^5 values plus the first three and the last exactly. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "deepq/nprandom.h"
#include "test.h"

enum { N = 100000 };

static uint64_t dbits(double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static dq_np_ziggurat ZIG; /* filled once in main */

/* One draw of method `name` as its 64-bit pattern; false for an unknown name. */
static bool draw(dq_np_random *g, const char *name, int64_t i, uint64_t *out) {
    if (!strcmp(name, "raw")) *out = dq_np_random_u64(g);
    else if (!strcmp(name, "random")) *out = dbits(dq_np_random_random(g));
    else if (!strcmp(name, "uniform_cartpole")) *out = dbits(dq_np_random_uniform(g, -0.05, 0.05));
    else if (!strcmp(name, "uniform_pendulum"))
        *out = dbits(dq_np_random_uniform(g, -3.141592653589793, 3.141592653589793));
    else if (!strcmp(name, "integers_2")) *out = (uint64_t)dq_np_random_integers(g, 0, 2);
    else if (!strcmp(name, "integers_8")) *out = (uint64_t)dq_np_random_integers(g, 0, 8);
    else if (!strcmp(name, "integers_wind")) *out = (uint64_t)dq_np_random_integers(g, -9999, 9999);
    else if (!strcmp(name, "integers_500")) *out = (uint64_t)dq_np_random_integers(g, 0, 500);
    else if (!strcmp(name, "integers_2e32"))
        *out = (uint64_t)dq_np_random_integers(g, 0, INT64_C(1) << 32);
    else if (!strcmp(name, "integers_2e40"))
        *out = (uint64_t)dq_np_random_integers(g, -(INT64_C(1) << 39), INT64_C(1) << 40);
    else if (!strcmp(name, "mixed")) {
        switch (i % 5) {
        case 0: *out = (uint64_t)dq_np_random_integers(g, 0, 8); break;
        case 1: *out = dbits(dq_np_random_random(g)); break;
        case 2: *out = (uint64_t)dq_np_random_integers(g, -9999, 9999); break;
        case 3: *out = (uint64_t)dq_np_random_integers(g, 0, INT64_C(1) << 40); break;
        default: *out = dbits(dq_np_random_uniform(g, -1.0, 1.0)); break;
        }
    } else if (!strcmp(name, "standard_normal"))
        *out = dbits(dq_np_random_standard_normal(g, &ZIG));
    else if (!strcmp(name, "normal")) *out = dbits(dq_np_random_normal(g, &ZIG, 1.5, 2.0));
    else if (!strcmp(name, "mixed_zig")) {
        switch (i % 3) {
        case 0: *out = (uint64_t)dq_np_random_integers(g, 0, 8); break;
        case 1: *out = dbits(dq_np_random_standard_normal(g, &ZIG)); break;
        default: *out = dbits(dq_np_random_normal(g, &ZIG, -3.0, 0.5)); break;
        }
    } else
        return false;
    return true;
}

/* The fixture's digest: sum of splitmix64's finalizer over (bits + i * golden), mod 2^64. */
static uint64_t mix(uint64_t bits, uint64_t i) {
    uint64_t z = bits + i * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int main(void) {
    dq_np_ziggurat_init(&ZIG);
    const char *path = DQ_FIXTURE_DIR "/nprandom_ref.txt";
    FILE *f = fopen(path, "r");
    CHECK_MSG(f != NULL, "cannot open %s", path);
    if (!f) TEST_MAIN_END();
    char line[512];
    int n_words = 0, n_methods = 0;
    bool saw_zero = false, saw_big = false;
    while (fgets(line, sizeof line, f)) {
        char kind[16], name[32];
        uint64_t seed, w[4], hash, v[4];
        if (sscanf(line, "%15s", kind) != 1) continue;
        if (!strcmp(kind, "words")) {
            CHECK(sscanf(line, "words %" SCNu64 " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64,
                         &seed, &w[0], &w[1], &w[2], &w[3]) == 5);
            uint64_t got[4];
            dq_np_seed_sequence(seed, got, 4);
            for (int k = 0; k < 4; k++)
                CHECK_MSG(got[k] == w[k], "seed %" PRIu64 " word %d: %016" PRIx64 " vs %016" PRIx64,
                          seed, k, got[k], w[k]);
            n_words++;
            saw_zero |= seed == 0;
            saw_big |= seed > UINT64_C(0xFFFFFFFF);
            continue;
        }
        int got_n = sscanf(line, "draws %" SCNu64 " %31s %" SCNx64 " %" SCNx64 " %" SCNx64
                           " %" SCNx64 " %" SCNx64, &seed, name, &hash, &v[0], &v[1], &v[2], &v[3]);
        CHECK_MSG(got_n == 7, "bad fixture line: %s", line);
        if (got_n != 7) continue;
        dq_np_random g;
        dq_np_random_seed(&g, seed);
        uint64_t sum = 0, x = 0;
        int bad_first = -1;
        for (int64_t i = 0; i < N; i++) {
            if (!draw(&g, name, i, &x)) {
                CHECK_MSG(false, "unknown method %s", name);
                break;
            }
            if (i < 3 && x != v[i] && bad_first < 0) bad_first = (int)i;
            sum += mix(x, (uint64_t)i);
        }
        CHECK_MSG(bad_first < 0, "seed %" PRIu64 " %s: draw %d differs", seed, name, bad_first);
        CHECK_MSG(x == v[3], "seed %" PRIu64 " %s: last draw %016" PRIx64 " vs %016" PRIx64, seed,
                  name, x, v[3]);
        CHECK_MSG(sum == hash, "seed %" PRIu64 " %s: hash of %d draws differs", seed, name, N);
        n_methods++;
    }
    fclose(f);
    CHECK(n_words >= 8 && n_methods >= 8 * 14 && saw_zero && saw_big);
    /* Generator.uniform(lo, hi) is lo + (hi - lo) * random(), and one integers() call of a
     * 32-bit range uses half of a 64-bit output: the next one uses the other half. */
    dq_np_random a, b;
    dq_np_random_seed(&a, 7), dq_np_random_seed(&b, 7);
    CHECK(dq_np_random_uniform(&a, 2.0, 5.0) == 2.0 + 3.0 * dq_np_random_random(&b));
    uint64_t raw = dq_np_random_u64(&b);
    CHECK(dq_np_random_integers(&a, 0, INT64_C(1) << 32) == (int64_t)(raw & 0xFFFFFFFFu));
    CHECK(dq_np_random_integers(&a, 0, INT64_C(1) << 32) == (int64_t)(raw >> 32));
    TEST_MAIN_END();
}
