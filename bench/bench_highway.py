"""bench_highway.py — deepq.DQN against Stable-Baselines3's DQN on highway-env's highway-fast-v0,
both stepping the same Python Gymnasium env (gym.make("highway-fast-v0")), with the DQN
hyperparameters of highway-env's docs (scripts/sb3_highway_dqn.py: net_arch [256, 256],
learning_rate 5e-4, buffer 15000, learning_starts 200, batch 32, gamma 0.8, train_freq 1,
gradient_steps 1, target_update_interval 50, exploration_fraction 0.7, 20k steps; everything
else SB3's defaults, which deepq's `zoo` preset holds for an env RL-Zoo has no entry for).
Per seed: training wall time, then a greedy evaluation over EPISODES episodes on a fresh env
(episode i reset with seed 10000 + i, the same protocol for both libraries).

    taskset -c 0 /work/venv-ref/bin/python bench/bench_highway.py [--seeds 2] [--seed-start 0] [--steps 20000]
                  [--episodes 50] [--only deepq|sb3]

Needs the deepq package, highway-env, stable_baselines3 + torch (one torch thread). Almost all
of a run's time is highway-env's own simulation, so the wall-time ratio is bounded by it. Prints
one line per run, then a Markdown table (docs/BENCHMARKS.md, "Python")."""
import argparse
import json
import time

import gymnasium as gym
import highway_env  # noqa: F401 — registers highway-fast-v0
import numpy as np

import deepq

gym.register_envs(highway_env)
ENV = "highway-fast-v0"
KEYS = dict(learning_rate=5e-4, buffer_size=15000, learning_starts=200, batch_size=32,
            gamma=0.8, train_freq=1, gradient_steps=1, target_update_interval=50,
            exploration_fraction=0.7)


def greedy_eval(predict, episodes):
    env = gym.make(ENV)
    rets, lens, crashes = [], [], 0
    for i in range(episodes):
        obs, _ = env.reset(seed=10_000 + i)
        total, n, done, info = 0.0, 0, False, {}
        while not done:
            obs, r, term, trunc, info = env.step(predict(obs))
            total += float(r)
            n += 1
            done = term or trunc
        rets.append(total)
        lens.append(n)
        crashes += bool(info.get("crashed", False))
    return dict(eval_mean=float(np.mean(rets)), eval_std=float(np.std(rets)),
                eval_len=float(np.mean(lens)), crashed=crashes)


def run_deepq(seed, steps, episodes):
    model = deepq.DQN(gym.make(ENV), preset="zoo", seed=seed, eval_freq=0,
                      net_arch=[256, 256], **KEYS)
    t0 = time.perf_counter()
    model.learn(steps)
    train_s = time.perf_counter() - t0
    ev = greedy_eval(lambda o: model.predict(o, deterministic=True)[0], episodes)
    return dict(lib="deepq", seed=seed, train_s=train_s, **ev)


def run_sb3(seed, steps, episodes):
    from stable_baselines3 import DQN
    model = DQN("MlpPolicy", gym.make(ENV), seed=seed, device="cpu",
                policy_kwargs=dict(net_arch=[256, 256]), **KEYS)
    t0 = time.perf_counter()
    model.learn(steps)
    train_s = time.perf_counter() - t0
    ev = greedy_eval(lambda o: int(model.predict(o, deterministic=True)[0]), episodes)
    return dict(lib="sb3", seed=seed, train_s=train_s, **ev)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--seed-start", type=int, default=0, help="first seed (seeds are consecutive)")
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--episodes", type=int, default=50)
    ap.add_argument("--only", choices=["deepq", "sb3"])
    a = ap.parse_args()
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        if a.only != "deepq":
            raise
    runs = []
    # interleaved, so a change in the machine's load hits both
    for seed in range(a.seed_start, a.seed_start + a.seeds):
        for name, fn in (("deepq", run_deepq), ("sb3", run_sb3)):
            if a.only and a.only != name:
                continue
            r = fn(seed, a.steps, a.episodes)
            print(json.dumps(r), flush=True)
            runs.append(r)
    print(f"\n{ENV}, {a.steps} steps, greedy eval over {a.episodes} episodes per seed\n")
    print("| library | seed | train s | eval return (mean ± std) | mean length | crashed |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in runs:
        print(f"| {r['lib']} | {r['seed']} | {r['train_s']:.1f} | {r['eval_mean']:.2f} ± "
              f"{r['eval_std']:.2f} | {r['eval_len']:.1f} | {r['crashed']}/{a.episodes} |")
    libs = sorted({r["lib"] for r in runs})
    if len(libs) == 2:
        t = {k: sum(r["train_s"] for r in runs if r["lib"] == k) for k in libs}
        m = {k: np.mean([r["eval_mean"] for r in runs if r["lib"] == k]) for k in libs}
        print(f"\ntrain time sb3/deepq: {t['sb3'] / t['deepq']:.2f}x; mean eval return "
              f"deepq {m['deepq']:.2f}, sb3 {m['sb3']:.2f}")


if __name__ == "__main__":
    main()
