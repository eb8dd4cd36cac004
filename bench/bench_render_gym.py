"""bench_render_gym.py — Gymnasium's rgb_array render() frames/s per env, the reference for
bench_render.c (run both in the same session). usage: python3 bench/bench_render_gym.py [frames]"""
import os
import sys
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
import gymnasium as gym  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
print(f"{'env':18s} {'frames/s':>10s}")
for env_id in ["CartPole-v1", "Acrobot-v1", "MountainCar-v0", "Pendulum-v1", "LunarLander-v3",
               "FrozenLake-v1", "Taxi-v3", "CliffWalking-v0"]:
    env = gym.make(env_id, render_mode="rgb_array")
    env.reset(seed=0)
    env.render()
    best = 0.0
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(n):
            env.render()
        best = max(best, n / (time.perf_counter() - t))
    print(f"{env_id:18s} {best:10.0f}")
    env.close()
