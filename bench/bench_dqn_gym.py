"""bench_dqn_gym.py — deepq.DQN against Stable-Baselines3's DQN on the same Python Gymnasium env
object (gym.make("CartPole-v1"), stepped from Python by both), RL-Zoo's CartPole-v1 DQN
hyperparameters (deepq's `zoo` preset; SB3 gets the same values), several seeds: training wall
time and a final greedy evaluation of 100 episodes on a fresh gym.make("CartPole-v1"), the same
protocol for both (episode i reset with seed 10000 + i, actions from model.predict).

    taskset -c 0 /work/venv-ref/bin/python bench/bench_dqn_gym.py [--seeds 5] [--seed-start 0] [--steps 50000]
                  [--only deepq|sb3] [--deepq-env gym|c]

Needs the deepq package and stable_baselines3 + torch (one torch thread). deepq's periodic
evaluation is switched off (eval_freq=0): SB3's learn() does none either. Prints one line per
run, then a Markdown table (docs/BENCHMARKS.md, "Python")."""
import argparse
import json
import sys
import time

import gymnasium as gym
import numpy as np

import deepq

ZOO = dict(learning_rate=2.3e-3, batch_size=64, buffer_size=100000, learning_starts=1000,
           gamma=0.99, target_update_interval=10, train_freq=256, gradient_steps=128,
           exploration_fraction=0.16, exploration_final_eps=0.04)  # rl_zoo3 hyperparams/dqn.yml


def greedy_eval(predict, episodes):
    env = gym.make("CartPole-v1")
    rets = []
    for i in range(episodes):
        obs, _ = env.reset(seed=10_000 + i)
        total, done = 0.0, False
        while not done:
            obs, r, term, trunc, _ = env.step(predict(obs))
            total += float(r)
            done = term or trunc
        rets.append(total)
    return float(np.mean(rets)), float(np.min(rets))


def run_deepq(seed, steps, episodes, c_env=False):
    env = "CartPole-v1" if c_env else gym.make("CartPole-v1")
    model = deepq.DQN(env, preset="zoo", seed=seed, eval_freq=0)
    t0 = time.perf_counter()
    model.learn(steps)
    train_s = time.perf_counter() - t0
    mean, worst = greedy_eval(lambda o: model.predict(o, deterministic=True)[0], episodes)
    return dict(lib="deepq" + ("-c-env" if c_env else ""), seed=seed, train_s=train_s,
                eval_mean=mean, eval_min=worst)


def run_sb3(seed, steps, episodes):
    from stable_baselines3 import DQN
    model = DQN("MlpPolicy", gym.make("CartPole-v1"), seed=seed, device="cpu",
                policy_kwargs=dict(net_arch=[256, 256]), **ZOO)
    t0 = time.perf_counter()
    model.learn(steps)
    train_s = time.perf_counter() - t0
    mean, worst = greedy_eval(lambda o: int(model.predict(o, deterministic=True)[0]), episodes)
    return dict(lib="sb3", seed=seed, train_s=train_s, eval_mean=mean, eval_min=worst)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--seed-start", type=int, default=0, help="first seed (seeds are consecutive)")
    ap.add_argument("--steps", type=int, default=50_000)
    ap.add_argument("--episodes", type=int, default=100)
    ap.add_argument("--only", choices=["deepq", "sb3"])
    ap.add_argument("--deepq-env", choices=["gym", "c"], default="gym",
                    help="c: deepq trains on its own C CartPole instead (the control run)")
    a = ap.parse_args()
    import stable_baselines3
    import torch
    torch.set_num_threads(1)
    print(f"python {sys.version.split()[0]}, gymnasium {gym.__version__}, numpy "
          f"{np.__version__}, torch {torch.__version__}, stable_baselines3 "
          f"{stable_baselines3.__version__}", flush=True)
    res = {"deepq": [], "sb3": []}
    for seed in range(a.seed_start, a.seed_start + a.seeds):
        for lib, fn in (("deepq", run_deepq), ("sb3", run_sb3)):
            if a.only in (None, lib):
                r = run_deepq(seed, a.steps, a.episodes, a.deepq_env == "c") if lib == "deepq" \
                    else fn(seed, a.steps, a.episodes)
                res[lib].append(r)
                print(json.dumps(r), flush=True)
    print(f"\n| seed | deepq.DQN train s | deepq greedy eval (min) | SB3 DQN train s | "
          f"SB3 greedy eval (min) | SB3 time / deepq time |\n|---|---|---|---|---|---|")
    for d, s in zip(res["deepq"], res["sb3"]):
        print(f"| {d['seed']} | {d['train_s']:.2f} | {d['eval_mean']:.1f} ({d['eval_min']:.0f}) "
              f"| {s['train_s']:.2f} | {s['eval_mean']:.1f} ({s['eval_min']:.0f}) | "
              f"{s['train_s'] / d['train_s']:.1f}x |")
    if res["deepq"] and len(res["deepq"]) == len(res["sb3"]):
        td = sum(r["train_s"] for r in res["deepq"])
        ts = sum(r["train_s"] for r in res["sb3"])
        ed = [r["eval_mean"] for r in res["deepq"]]
        es = [r["eval_mean"] for r in res["sb3"]]
        print(f"| all | {td:.2f} | {np.mean(ed):.1f} ± {np.std(ed):.1f} | {ts:.2f} | "
              f"{np.mean(es):.1f} ± {np.std(es):.1f} | {ts / td:.1f}x |")


if __name__ == "__main__":
    main()
