"""bench_python.py — deepq from Python against Gymnasium 1.0 and EnvPool, measured in the same
run (steps/s of all envs together, random actions drawn beforehand, one core unless said).

    python bench/bench_python.py [--quick] [--cli build/deepq] [--sb3]

Needs the deepq package installed (pip install .); EnvPool and stable_baselines3 rows appear
when they are importable. --sb3 adds DQN on a Python Gymnasium CartPole: deepq.DQN vs SB3's DQN
with the same hyperparameters and steps (slow: SB3 takes tens of seconds). Prints a Markdown
table with ratios; the numbers in docs/BENCHMARKS.md came from this script."""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import gymnasium as gym
import numpy as np

import deepq

try:
    import envpool
except ImportError:
    envpool = None

ROWS = []


def timed(fn, min_s):
    """Steps per CPU-second of this process (all its threads) of fn() (returning its step
    count), run until min_s seconds of wall time passed. CPU time, not wall time: on a shared
    machine it is what stays comparable between the rows (the wall rate is printed too)."""
    fn()  # warm-up
    t0, c0, steps = time.perf_counter(), time.process_time(), 0
    while time.perf_counter() - t0 < min_s:
        steps += fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    WALL.append(steps / wall)
    return steps / cpu


WALL = []  # wall-clock rate of each timed() call, in order


def single_loop(env, n_actions, steps=20000):
    acts = np.random.default_rng(0).integers(0, n_actions, steps).tolist()
    env.reset(seed=0)

    def run():
        step, reset = env.step, env.reset
        for a in acts:
            _, _, term, trunc, _ = step(a)
            if term or trunc:
                reset()
        return len(acts)
    return run


def vec_loop(env, n, n_actions, steps=50, dtype=np.int64, seed=0):
    acts = np.random.default_rng(0).integers(0, n_actions, (steps, n)).astype(dtype)
    env.reset(seed=seed)

    def run():
        for a in acts:
            env.step(a)
        return acts.size
    return run


def envpool_loop(task, n, threads, n_actions, steps=50):
    e = envpool.make_gymnasium(task, num_envs=n, batch_size=n, num_threads=threads, seed=0)
    return vec_loop(e, n, n_actions, steps, np.int32, seed=None)  # seeded by make


def row(label, ours, refs, ours_wall):
    cells = " | ".join(f"{name} {v / 1e3:,.1f}k ({ours / v:.1f}x)" for name, v in refs)
    ROWS.append(f"| {label} | {ours / 1e3:,.1f}k (wall {ours_wall / 1e3:,.1f}k) | {cells} |")
    print(ROWS[-1], flush=True)


def envs(min_s):
    # single env: the Python call is the floor
    ours = timed(single_loop(deepq.make("CartPole-v1"), 2), min_s)
    w = WALL[-1]
    ref = timed(single_loop(gym.make("CartPole-v1"), 2), min_s)
    row("CartPole-v1 deepq.make, 1 env", ours, [("Gymnasium gym.make", ref)], w)
    refs = []
    for n in (256, 4096):
        ours = timed(vec_loop(deepq.make_vec("CartPole-v1", n), n, 2), min_s)
        w = WALL[-1]
        refs = [("Gymnasium vector_entry_point", timed(vec_loop(gym.make_vec(
            "CartPole-v1", n, vectorization_mode="vector_entry_point"), n, 2), min_s))]
        if envpool:
            refs.append(("EnvPool", timed(envpool_loop("CartPole-v1", n, 1, 2), min_s)))
        row(f"CartPole-v1 make_vec, {n} envs", ours, refs, w)
    # a toy-text batch: its infos ("prob" of every env) come batched from C's dq_info array
    n = 1024
    ours = timed(vec_loop(deepq.make_vec("FrozenLake-v1", n), n, 4), min_s)
    w = WALL[-1]
    ref = timed(vec_loop(gym.make_vec("FrozenLake-v1", n, vectorization_mode="sync"), n, 4,
                         steps=5), min_s)
    row(f"FrozenLake-v1 make_vec, {n} envs (infos included)", ours, [("Gymnasium sync", ref)], w)
    n = 256
    ref = []
    try:  # Gymnasium's LunarLander needs the box2d package
        ref.append(("Gymnasium sync", timed(vec_loop(gym.make_vec(
            "LunarLander-v3", n, vectorization_mode="sync"), n, 4, steps=4), min_s)))
    except gym.error.DependencyNotInstalled:
        pass
    ep = {}
    if envpool:  # EnvPool 1.2.5 has LunarLander-v3; older releases only v2
        task = "LunarLander-v3" if "LunarLander-v3" in envpool.list_all_envs() else "LunarLander-v2"
        for threads in (1, 2):
            ep[threads] = (f"EnvPool {task} num_threads={threads}",
                           timed(envpool_loop(task, n, threads, 4, steps=20), min_s), WALL[-1])
    for threads in (1, 2):
        ours = timed(vec_loop(deepq.make_vec("LunarLander-v3", n, threads=threads), n, 4,
                              steps=20), min_s)
        w = WALL[-1]
        refs = ref + ([ep[threads][:2]] if threads in ep else [])  # same thread count
        row(f"LunarLander-v3 make_vec, {n} envs, threads={threads}", ours, refs, w)
        if threads in ep:  # threads pay off in wall time: compare that too
            name, _, ep_w = ep[threads]
            ROWS.append(f"| LunarLander-v3 make_vec, {n} envs, threads={threads}, wall clock | "
                        f"{w / 1e3:,.1f}k steps/s | {name} {ep_w / 1e3:,.1f}k steps/s "
                        f"({w / ep_w:.1f}x) |")
            print(ROWS[-1], flush=True)


def sb3_kwargs(model):
    """SB3 DQN keyword arguments equal to a deepq config (the keys both have)."""
    cfg = dict(ln.split(": ", 1) for ln in model.config_yaml().splitlines() if ": " in ln)
    if cfg["loss"] != "huber" or cfg["optimizer"] != "adam" or cfg["double_q"] != "false":
        raise SystemExit("the SB3 comparison needs a preset with SB3's loss/optimizer (zoo)")
    kw = {k: float(cfg[k]) for k in ("learning_rate", "gamma", "exploration_fraction",
                                     "exploration_initial_eps", "exploration_final_eps", "tau")}
    kw.update({k: int(cfg[k]) for k in ("batch_size", "buffer_size", "learning_starts",
                                        "target_update_interval", "train_freq",
                                        "gradient_steps")})
    grad = float(cfg["max_grad_norm"])
    kw["max_grad_norm"] = grad if grad > 0 else 1e12
    kw["policy_kwargs"] = {"net_arch": [int(x) for x in cfg["net_arch"].strip("[]").split(",")]}
    return kw


def dqn(cli, steps, sb3):
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        subprocess.run([cli, "train", "CartPole-v1", "--preset", "tutorial", "--seed", "0",
                        "--steps", str(steps), "--out", os.path.join(d, "r"),
                        "--final-episodes", "0"], check=True, capture_output=True)
        t_cli = time.perf_counter() - t0
    t0 = time.perf_counter()
    deepq.DQN("CartPole-v1", preset="tutorial", seed=0).learn(steps)
    t_py = time.perf_counter() - t0
    print(f"| DQN tutorial CartPole-v1, {steps} steps | CLI {t_cli:.2f} s (process, plots "
          f"included) | deepq.DQN(id) {t_py:.2f} s ({t_py / t_cli:.2f}x the CLI's time) |",
          flush=True)
    if not sb3:
        return
    # a Python Gymnasium env, RL-Zoo's CartPole hyperparameters, one thread each
    import torch
    from stable_baselines3 import DQN as SB3DQN
    from stable_baselines3.common.evaluation import evaluate_policy
    torch.set_num_threads(1)
    t0 = time.perf_counter()
    m = deepq.DQN(gym.make("CartPole-v1"), preset="zoo", seed=0).learn(steps)
    t_gym = time.perf_counter() - t0
    ours = m.evaluate(10, seed=0)[0]
    s = SB3DQN("MlpPolicy", gym.make("CartPole-v1"), seed=0, device="cpu", **sb3_kwargs(m))
    t0 = time.perf_counter()
    s.learn(steps)
    t_sb3 = time.perf_counter() - t0
    ev = evaluate_policy(s, gym.make("CartPole-v1"), 10)[0]
    print(f"| DQN zoo on Python gym.make('CartPole-v1'), {steps} steps, seed 0 | deepq.DQN "
          f"{t_gym:.2f} s (greedy eval {ours:.1f}) | SB3 DQN {t_sb3:.2f} s (eval {ev:.1f}) | "
          f"{t_sb3 / t_gym:.1f}x |", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="0.3 s per measurement (default 1 s)")
    ap.add_argument("--cli", default="build/deepq")
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--sb3", action="store_true")
    ap.add_argument("--only", choices=["envs", "dqn"])
    a = ap.parse_args()
    print(f"python {sys.version.split()[0]}, gymnasium {gym.__version__}, numpy "
          f"{np.__version__}, envpool {envpool.__version__ if envpool else 'absent'}")
    if a.only != "dqn":
        print("| env | deepq steps per CPU-second | references, steps per CPU-second "
              "(deepq's ratio) |\n|---|---|---|---|")
        envs(0.3 if a.quick else 1.0)
    if a.only != "envs":
        dqn(a.cli, a.steps, a.sb3)


if __name__ == "__main__":
    main()
