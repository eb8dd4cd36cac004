"""Gymnasium 1.0.0 fixtures for tests/test_env_seeding.c: for every built-in env (and option
variant), the observation of env.reset(seed=s) and of the reset() that follows it (the stream
continues), for s in 0..99, and three action_space.sample() after action_space.seed(s).

    python3 tests/ref/make_reset_ref.py > tests/fixtures/reset_ref.txt

Needs gymnasium[box2d] 1.0.0 and flappy-bird-gymnasium 0.4.0. Lines (float32 values as %.9g):
    reset ENV KWARGS SEED N V...     obs of reset(seed=SEED)
    next ENV KWARGS SEED N V...      obs of the reset() after it
    action ENV KWARGS SEED K V...    3 samples after action_space.seed(SEED), K values each
KWARGS is deepq's "k=v,k=v" text ("-" for none)."""
import gymnasium as gym
import numpy as np

import flappy_bird_gymnasium  # noqa: F401  (registers FlappyBird-v0)

ENVS = [
    ("CartPole-v1", {}, 100),
    ("Acrobot-v1", {}, 100),
    ("MountainCar-v0", {}, 100),
    ("MountainCarContinuous-v0", {}, 100),
    ("Pendulum-v1", {}, 100),
    ("LunarLander-v3", {}, 100),
    ("LunarLander-v3", {"continuous": True}, 100),
    ("LunarLander-v3", {"enable_wind": True}, 100),
    ("FrozenLake-v1", {}, 100),
    ("FrozenLake8x8-v1", {}, 100),
    ("Taxi-v3", {}, 100),
    ("CliffWalking-v0", {}, 100),
    ("FlappyBird-v0", {"use_lidar": False}, 100),
    ("FlappyBird-v0", {}, 10),  # LIDAR: 180 values each, fewer seeds keep the file small
]


def text(kwargs):
    if not kwargs:
        return "-"
    return ",".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in kwargs.items())


def values(x):
    a = np.atleast_1d(np.asarray(x))
    if a.dtype.kind in "iu":
        return [str(int(v)) for v in a]
    return ["%.9g" % float(np.float32(v)) for v in a]


for env_id, kwargs, n_seeds in ENVS:
    env = gym.make(env_id, **kwargs)
    kw = text(kwargs)
    for seed in range(n_seeds):
        obs, _ = env.reset(seed=seed)
        v = values(obs)
        print("reset", env_id, kw, seed, len(v), " ".join(v))
        obs, _ = env.reset()
        v = values(obs)
        print("next", env_id, kw, seed, len(v), " ".join(v))
        env.action_space.seed(seed)
        samples = [values(env.action_space.sample()) for _ in range(3)]
        print("action", env_id, kw, seed, len(samples[0]), " ".join(sum(samples, [])))
    env.close()
