"""flappy-bird-gymnasium's FlappyBird-v0 speed, measured like bench_flappy.c: steps per CPU
second, one core, flap on 1 frame in 8, through gymnasium.make.

    python3 bench/bench_flappy_gym.py [steps]"""
import sys
import time

import gymnasium as gym
import numpy as np

import flappy_bird_gymnasium  # noqa: F401


def run(use_lidar, steps):
    env = gym.make("FlappyBird-v0", use_lidar=use_lidar)
    rng = np.random.default_rng(1)
    env.reset(seed=0)
    t0 = time.process_time()
    for _ in range(steps):
        _, _, term, trunc, _ = env.step(int(rng.integers(0, 8) == 0))
        if term or trunc:
            env.reset()
    secs = time.process_time() - t0
    print(f"flappy-bird-gymnasium use_lidar={use_lidar!s:5} {steps:8d} steps "
          f"{steps / secs:10.0f} steps/cpu-s")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    run(False, n)
    run(True, n // 20)
