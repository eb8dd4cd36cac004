"""Record FlappyBird-v0 episodes from the flappy-bird-gymnasium package (0.4.0) in the
shared/golden schema, with every np_random draw, for tests/test_env_flappy.c and `deepq replay`.
Each episode is the one env.reset(seed=seed) starts (its "seed"), so `deepq replay` also checks
that deepq's reset(seed) alone gives the same first observation.

    python3 tests/ref/make_flappy_golden.py tests/fixtures

Writes FlappyBird-v0-features.jsonl (use_lidar=False, 8 episodes) and FlappyBird-v0-lidar.jsonl
(use_lidar=True, 2 short episodes). Policy: flap when the bird would sink near the next lower
pipe, with 3 % random actions, so episodes pass pipes and also crash."""
import json
import sys

import gymnasium as gym
import numpy as np
from gymnasium.utils import seeding

import flappy_bird_gymnasium  # noqa: F401  (registers FlappyBird-v0)


class Recorder:
    """Wraps the env's np_random and records each integers() draw."""

    def __init__(self, rng):
        self.rng, self.draws = rng, []

    def integers(self, lo, hi):
        v = int(self.rng.integers(lo, hi))
        self.draws.append(v)
        return v


def f32(x):
    return [float(np.float32(v)) for v in x]


def controller(env, rng):
    u = env.unwrapped
    if rng.random() < 0.03:
        return int(rng.integers(0, 2))
    nxt = min((p for p in zip(u._upper_pipes, u._lower_pipes)
               if p[0]["x"] + 52 > u._player_x - 10), key=lambda p: p[0]["x"])
    # flap when the bird would sink to within 10 px of the next lower pipe
    return 1 if u._player_y + 24 + u._player_vel_y + 1 > nxt[1]["y"] - 10 else 0


def record(path, kwargs, seeds, max_steps):
    with open(path, "w") as f:
        for seed in seeds:
            env = gym.make("FlappyBird-v0", **kwargs)
            # Env.reset(seed) builds its generator with seeding.np_random: wrap what it returns
            made = {}
            real = seeding.np_random

            def recording_np_random(s=None):
                rng, used = real(s)
                made["rec"] = Recorder(rng)
                return made["rec"], used

            seeding.np_random = recording_np_random
            try:
                obs, _ = env.reset(seed=seed)
            finally:
                seeding.np_random = real
            rec = made["rec"]
            ep = {"env_id": "FlappyBird-v0", "kwargs": kwargs, "seed": seed,
                  "policy": "gap controller, 3% random", "reset_draws": rec.draws,
                  "init_obs": f32(obs), "steps": []}
            prng = np.random.default_rng(1000 + seed)
            total = 0.0
            for _ in range(max_steps):
                a = controller(env, prng)
                rec.draws = []
                obs, r, term, trunc, _ = env.step(a)
                total += r
                ep["steps"].append({"a": a, "draws": rec.draws, "obs": f32(obs), "r": float(r),
                                    "term": bool(term), "trunc": bool(trunc)})
                if term or trunc:
                    break
            ep["return"] = total
            f.write(json.dumps(ep) + "\n")
            print(path, seed, len(ep["steps"]), round(total, 2), file=sys.stderr)


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures"
    record(f"{out}/FlappyBird-v0-features.jsonl", {"use_lidar": False}, range(8), 400)
    record(f"{out}/FlappyBird-v0-lidar.jsonl", {"use_lidar": True}, [0, 3], 80)
