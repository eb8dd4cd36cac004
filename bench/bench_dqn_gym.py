"""bench_dqn_gym.py — deepq.DQN against Stable-Baselines3's DQN on the same Python Gymnasium env
object (gym.make("CartPole-v1"), stepped from Python by both), RL-Zoo's CartPole-v1 DQN
hyperparameters (deepq's `zoo` preset; SB3 gets the same values), several seeds: training wall
time and a final greedy evaluation of 100 episodes on a fresh gym.make("CartPole-v1"), the same
protocol for both (episode i reset with seed 10000 + i, actions from model.predict).
`--algo td3`: deepq.TD3 against SB3's TD3 the same way on gym.make("Pendulum-v1"), with deepq's
`deepq` entry for it (64x64 nets, batch 128, gamma 0.98, learning_starts 1000, normal action
noise 0.1, 20k steps; everything else SB3's TD3 defaults, which deepq's keep).

    taskset -c 0 /work/venv-ref/bin/python bench/bench_dqn_gym.py [--algo dqn|td3] [--seeds 5]
                  [--seed-start 0] [--steps 50000] [--only deepq|sb3] [--deepq-env gym|c]

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
TD3_KEYS = dict(gamma=0.98, learning_starts=1000, batch_size=128)  # src/rl/cont_config.c
ENV = {"dqn": "CartPole-v1", "td3": "Pendulum-v1"}
STEPS = {"dqn": 50_000, "td3": 20_000}


def greedy_eval(env_id, predict, episodes):
    env = gym.make(env_id)
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


def run_deepq(algo, seed, steps, episodes, c_env=False):
    env = ENV[algo] if c_env else gym.make(ENV[algo])
    model = deepq.DQN(env, preset="zoo", seed=seed, eval_freq=0) if algo == "dqn" else \
        deepq.TD3(env, preset="deepq", seed=seed, eval_freq=0)
    t0 = time.perf_counter()
    model.learn(steps)
    train_s = time.perf_counter() - t0
    mean, worst = greedy_eval(ENV[algo], lambda o: model.predict(o, deterministic=True)[0],
                              episodes)
    return dict(lib="deepq" + ("-c-env" if c_env else ""), seed=seed, train_s=train_s,
                eval_mean=mean, eval_min=worst)


def run_sb3(algo, seed, steps, episodes):
    if algo == "dqn":
        from stable_baselines3 import DQN
        model = DQN("MlpPolicy", gym.make("CartPole-v1"), seed=seed, device="cpu",
                    policy_kwargs=dict(net_arch=[256, 256]), **ZOO)
    else:
        from stable_baselines3 import TD3
        from stable_baselines3.common.noise import NormalActionNoise
        env = gym.make("Pendulum-v1")
        n = env.action_space.shape[0]
        model = TD3("MlpPolicy", env, seed=seed, device="cpu",
                    policy_kwargs=dict(net_arch=[64, 64]),
                    action_noise=NormalActionNoise(np.zeros(n), 0.1 * np.ones(n)), **TD3_KEYS)
    t0 = time.perf_counter()
    model.learn(steps)
    train_s = time.perf_counter() - t0
    def act(o):
        a = model.predict(o, deterministic=True)[0]
        return int(a) if algo == "dqn" else a
    mean, worst = greedy_eval(ENV[algo], act, episodes)
    return dict(lib="sb3", seed=seed, train_s=train_s, eval_mean=mean, eval_min=worst)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--algo", choices=["dqn", "td3"], default="dqn")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--seed-start", type=int, default=0, help="first seed (seeds are consecutive)")
    ap.add_argument("--steps", type=int, help="default 50000 (dqn), 20000 (td3)")
    ap.add_argument("--episodes", type=int, default=100)
    ap.add_argument("--only", choices=["deepq", "sb3"])
    ap.add_argument("--deepq-env", choices=["gym", "c"], default="gym",
                    help="c: deepq trains on its own C env instead (the control run)")
    a = ap.parse_args()
    steps = a.steps or STEPS[a.algo]
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
                r = run_deepq(a.algo, seed, steps, a.episodes, a.deepq_env == "c") \
                    if lib == "deepq" else fn(a.algo, seed, steps, a.episodes)
                res[lib].append(r)
                print(json.dumps(r), flush=True)
    name = a.algo.upper()
    print(f"\n{ENV[a.algo]}, {steps} steps\n\n| seed | deepq.{name} train s | deepq greedy eval "
          f"(min) | SB3 {name} train s | SB3 greedy eval (min) | SB3 time / deepq time |\n"
          f"|---|---|---|---|---|---|")
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
