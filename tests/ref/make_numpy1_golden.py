"""Record MountainCarContinuous-v0 episodes with NumPy 1.x (value-based promotion, before NEP 50)
in the shared/golden schema, for tests/test_env_golden.c (the option numpy=1.26).

    python3 -m venv /tmp/np1 && /tmp/np1/bin/pip install numpy==1.26.4 gymnasium==1.0.0
    /tmp/np1/bin/python tests/ref/make_numpy1_golden.py tests/fixtures

Writes MountainCarContinuous-v0-numpy1.jsonl: 4 episodes of 250 steps (seeds 0..3), actions as
float64 lists, alternating uniform(-1.5, 1.5) actions (clipped by the env) and a bang-bang
controller on the velocity with 10 % random actions, so forces and velocities get clipped."""
import json
import sys

import gymnasium as gym
import numpy as np


def f32(x):
    return [float(np.float32(v)) for v in x]


def main(out):
    path = f"{out}/MountainCarContinuous-v0-numpy1.jsonl"
    with open(path, "w") as f:
        for seed in range(4):
            env = gym.make("MountainCarContinuous-v0")
            obs, _ = env.reset(seed=seed)
            u = env.unwrapped
            ep = {"env_id": "MountainCarContinuous-v0", "seed": seed,
                  "policy": "random" if seed % 2 == 0 else "bang-bang, 10% random",
                  "numpy": np.__version__, "init_state": [float(v) for v in u.state],
                  "init_obs": f32(obs), "steps": []}
            prng = np.random.default_rng(100 + seed)
            for _ in range(250):
                if seed % 2 == 0 or prng.random() < 0.1:
                    a = float(prng.uniform(-1.5, 1.5))
                else:
                    a = 1.3 if u.state[1] >= 0 else -1.3
                obs, r, term, trunc, _ = env.step(np.array([a], dtype=np.float64))
                ep["steps"].append({"a": [a], "obs": f32(obs),
                                    "state": [float(v) for v in u.state], "r": float(r),
                                    "term": bool(term), "trunc": bool(trunc)})
                if term or trunc:
                    break
            f.write(json.dumps(ep) + "\n")
            print(path, seed, len(ep["steps"]), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures")
