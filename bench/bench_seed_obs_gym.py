"""bench_seed_obs_gym.py — Gymnasium's side of bench_seed_obs.c: for each env, the first three
observations of an episode started with env.reset(seed=SEED), stepped with
action_space.sample() after action_space.seed(SEED).

Prints one line per observation: "<id> <kwargs> <t> <v0> <v1> ..." (float32 values, %.9g; "-"
for no kwargs). Usage: python3 bench_seed_obs_gym.py SEED"""
import sys

import gymnasium as gym
import numpy as np

try:
    import flappy_bird_gymnasium  # noqa: F401  (registers FlappyBird-v0)
except ImportError:
    pass

ENVS = [("CartPole-v1", {}), ("Acrobot-v1", {}), ("MountainCar-v0", {}),
        ("MountainCarContinuous-v0", {}), ("Pendulum-v1", {}), ("LunarLander-v3", {}),
        ("LunarLander-v3", {"continuous": True}), ("LunarLander-v3", {"enable_wind": True}),
        ("FrozenLake-v1", {}), ("Taxi-v3", {}), ("CliffWalking-v0", {}),
        ("FlappyBird-v0", {"use_lidar": False})]


def text(kwargs):
    return ",".join(f"{k}={str(v).lower()}" for k, v in kwargs.items()) or "-"


def row(x):
    a = np.atleast_1d(np.asarray(x))
    if a.dtype.kind in "iu":
        return " ".join(str(int(v)) for v in a)
    return " ".join("%.9g" % float(np.float32(v)) for v in a)


seed = int(sys.argv[1])
for env_id, kwargs in ENVS:
    try:
        env = gym.make(env_id, **kwargs)
    except Exception as e:  # a missing optional package (box2d, flappy-bird-gymnasium)
        print(f"# {env_id}: {type(e).__name__}", file=sys.stderr)
        continue
    obs, _ = env.reset(seed=seed)
    env.action_space.seed(seed)
    print(env_id, text(kwargs), 0, row(obs))
    for t in (1, 2):
        obs, *_ = env.step(env.action_space.sample())
        print(env_id, text(kwargs), t, row(obs))
