"""bench_flappy_dqn_gym.py — deepq.DQN trained on flappy-bird-gymnasium's own Python env
(gym.make("FlappyBird-v0", use_lidar=False), stepped from C through the Python-env bridge) with
deepq's `deepq` preset for FlappyBird-v0, beside the same preset on deepq's C port of the env.
Per seed: training wall time, then a greedy evaluation on flappy-bird-gymnasium's env (episode
i reset with seed 10000 + i, stopped after --cap steps; score = pipes passed, info["score"]).

    taskset -c 1 /work/venv-ref/bin/python bench/bench_flappy_dqn_gym.py [--seeds 3] [--seed-start 0]
                  [--steps 200000] [--episodes 20] [--cap 10000] [--only gym|c]

Needs the deepq package and flappy-bird-gymnasium (pip). Prints one JSON line per run, then a
Markdown table (docs/BENCHMARKS.md, "Python")."""
import argparse
import json
import time

import gymnasium as gym
import numpy as np

import deepq

ENV = "FlappyBird-v0"


def make_gym_env():
    import flappy_bird_gymnasium  # noqa: F401 — registers FlappyBird-v0 with Gymnasium
    return gym.make(ENV, use_lidar=False)


def greedy_eval(model, episodes, cap):
    env = make_gym_env()
    scores, rets = [], []
    for i in range(episodes):
        obs, _ = env.reset(seed=10_000 + i)
        total, score = 0.0, 0
        for _ in range(cap):
            obs, r, term, trunc, info = env.step(model.predict(obs, deterministic=True)[0])
            total += float(r)
            score = int(info.get("score", score))
            if term or trunc:
                break
        scores.append(score)
        rets.append(total)
    return dict(score_mean=float(np.mean(scores)), score_min=int(np.min(scores)),
                score_max=int(np.max(scores)), return_mean=float(np.mean(rets)))


def run(kind, seed, steps, episodes, cap):
    env = make_gym_env() if kind == "gym" else ENV
    model = deepq.DQN(env, preset="deepq", seed=seed, eval_freq=0)
    t0 = time.perf_counter()
    model.learn(steps)
    train_s = time.perf_counter() - t0
    return dict(env=kind, seed=seed, train_s=train_s, **greedy_eval(model, episodes, cap))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--seed-start", type=int, default=0)
    ap.add_argument("--steps", type=int, default=200_000)
    ap.add_argument("--episodes", type=int, default=20)
    ap.add_argument("--cap", type=int, default=10_000)
    ap.add_argument("--only", choices=["gym", "c"])
    a = ap.parse_args()
    runs = []
    for seed in range(a.seed_start, a.seed_start + a.seeds):
        for kind in ("gym", "c"):
            if a.only and a.only != kind:
                continue
            r = run(kind, seed, a.steps, a.episodes, a.cap)
            print(json.dumps(r), flush=True)
            runs.append(r)
    print(f"\n{ENV} (use_lidar=False), deepq preset, {a.steps} steps; greedy eval on "
          f"flappy-bird-gymnasium over {a.episodes} episodes (cap {a.cap} steps)\n")
    print("| env trained on | seed | train s | score (mean) | min / max | return (mean) |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in runs:
        name = "flappy-bird-gymnasium (Python)" if r["env"] == "gym" else "deepq's C port"
        print(f"| {name} | {r['seed']} | {r['train_s']:.1f} | {r['score_mean']:.2f} | "
              f"{r['score_min']} / {r['score_max']} | {r['return_mean']:.2f} |")


if __name__ == "__main__":
    main()
