"""bench_env_gym.py — Gymnasium's single-env speed with gym.make and random actions, for
bench_env.c (which runs this script in the same run and prints the ratio).

Prints one line per env: "<id> <steps/s>", best of --reps runs of about --seconds CPU seconds
each (time.process_time, like bench_env.c's thread CPU clock, so other jobs on a shared
machine count less). Usage: python3 bench_env_gym.py [--seconds 0.5] [--reps 3] [ID...]
"""
import argparse
import time

import gymnasium as gym

IDS = ["CartPole-v1", "Acrobot-v1", "MountainCar-v0", "LunarLander-v3", "FrozenLake-v1",
       "Taxi-v3"]


def rate(env_id, seconds):
    env = gym.make(env_id)
    env.reset(seed=0)
    env.action_space.seed(0)
    steps = 0
    t0 = time.process_time()
    while True:
        for _ in range(200):
            _, _, term, trunc, _ = env.step(env.action_space.sample())
            if term or trunc:
                env.reset()
        steps += 200
        t = time.process_time() - t0
        if t >= seconds:
            return steps / t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=0.5)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("ids", nargs="*", default=IDS)
    a = ap.parse_args()
    for env_id in a.ids:
        try:
            best = max(rate(env_id, a.seconds) for _ in range(a.reps))
        except Exception as e:  # an env whose extra (e.g. box2d) is missing
            print(f"# {env_id}: {e}", flush=True)
            continue
        print(f"{env_id} {best:.1f}", flush=True)


if __name__ == "__main__":
    main()
