"""NumPy fixtures for tests/test_nprandom.c: np.random.Generator(PCG64(SeedSequence(seed))), as
Gymnasium's np_random(seed) builds it, drawing 10^5 values per method for several seeds
(uniform and integers as the envs draw them; standard_normal and normal, NumPy's ziggurat).

    python3 tests/ref/make_nprandom_ref.py > tests/fixtures/nprandom_ref.txt

The file stays small: per (seed, method) a hash of all 10^5 values (each value's 64 bits: the
float64 bits or the int64, mixed with its index by splitmix64's finalizer and summed mod 2^64)
and the first three and the last value exactly. Lines:
    words SEED W0 W1 W2 W3            SeedSequence(SEED).generate_state(4, np.uint64)
    draws SEED METHOD HASH V0 V1 V2 VLAST   (values as 64-bit hex patterns)"""
import numpy as np

N = 100_000
SEEDS = [0, 1, 42, 123456789, 2**32 - 1, 2**32 + 5, 2**40 + 123, 2**63 + 7, 2**64 - 1]
M64 = (1 << 64) - 1


def gen(seed):
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))


def mixed(g):
    """Draws of different kinds interleaved: 32-bit halves stay buffered across 64-bit draws."""
    out = np.empty(N, dtype=np.uint64)
    for i in range(N):
        k = i % 5
        if k == 0:
            v = np.int64(g.integers(0, 8))
        elif k == 1:
            v = np.float64(g.random())
        elif k == 2:
            v = np.int64(g.integers(-9999, 9999))
        elif k == 3:
            v = np.int64(g.integers(0, 2**40))
        else:
            v = np.float64(g.uniform(-1.0, 1.0))
        out[i] = np.array([v]).view(np.uint64)[0]
    return out


def mixed_zig(g):
    """The ziggurat draws (64-bit outputs, doubles) between 32-bit integers draws."""
    out = np.empty(N, dtype=np.uint64)
    for i in range(N):
        k = i % 3
        if k == 0:
            v = np.int64(g.integers(0, 8))
        elif k == 1:
            v = np.float64(g.standard_normal())
        else:
            v = np.float64(g.normal(-3.0, 0.5))
        out[i] = np.array([v]).view(np.uint64)[0]
    return out


METHODS = {
    "raw": lambda g: g.bit_generator.random_raw(N).astype(np.uint64),
    "random": lambda g: g.random(N).view(np.uint64),
    "uniform_cartpole": lambda g: g.uniform(-0.05, 0.05, N).view(np.uint64),
    "uniform_pendulum": lambda g: g.uniform(-np.pi, np.pi, N).view(np.uint64),
    "integers_2": lambda g: g.integers(0, 2, N).astype(np.int64).view(np.uint64),
    "integers_8": lambda g: g.integers(0, 8, N).astype(np.int64).view(np.uint64),
    "integers_wind": lambda g: g.integers(-9999, 9999, N).astype(np.int64).view(np.uint64),
    "integers_500": lambda g: g.integers(0, 500, N).astype(np.int64).view(np.uint64),
    "integers_2e32": lambda g: g.integers(0, 2**32, N).astype(np.int64).view(np.uint64),
    "integers_2e40": lambda g: g.integers(-(2**39), 2**40, N).astype(np.int64).view(np.uint64),
    "mixed": mixed,
    "standard_normal": lambda g: g.standard_normal(N).view(np.uint64),
    "normal": lambda g: g.normal(1.5, 2.0, N).view(np.uint64),
    "mixed_zig": mixed_zig,
}


def digest(bits):
    """sum_i fmix(bits_i + i * golden) mod 2^64 (splitmix64's finalizer), as the C test."""
    with np.errstate(over="ignore"):
        z = bits.astype(np.uint64) + np.arange(N, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
        return int(z.sum(dtype=np.uint64))


for seed in SEEDS:
    w = np.random.SeedSequence(seed).generate_state(4, np.uint64)
    print("words", seed, " ".join(f"{int(x):016x}" for x in w))
    for name, fn in METHODS.items():
        bits = np.asarray(fn(gen(seed)), dtype=np.uint64)
        assert bits.shape == (N,)
        vals = [f"{int(bits[i]):016x}" for i in (0, 1, 2, N - 1)]
        print("draws", seed, name, f"{digest(bits):016x}", " ".join(vals))
