"""sb3_cont.py — Stable-Baselines3's TD3 or DDPG with RL-Zoo's Pendulum-v1 entry on one thread:
the speed reference for bench/bench_cont.sh speed (pip install stable-baselines3).

  python3 bench/sb3_cont.py --algo td3 --steps 20000
prints one JSON line: {"train_s": whole learn(), "after_start_s": the steps after learning_starts,
"train_cpu_s" / "after_start_cpu_s": the same in process CPU time,
"updates": gradient steps run, ...}
"""
import argparse, json, time

import gymnasium as gym
import numpy as np
import torch
from stable_baselines3 import DDPG, TD3
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.noise import NormalActionNoise

ZOO = dict(  # rl-baselines3-zoo hyperparams/td3.yml and ddpg.yml, Pendulum-v1 (same values)
    gamma=0.98, buffer_size=200000, learning_starts=10000, gradient_steps=1, train_freq=1,
    learning_rate=1e-3, net_arch=[400, 300], noise_std=0.1)


class StartClock(BaseCallback):
    """Records the wall clock when num_timesteps reaches learning_starts."""

    def __init__(self, at):
        super().__init__()
        self.at, self.t, self.cpu = at, None, None

    def _on_step(self):
        if self.t is None and self.num_timesteps >= self.at:
            self.t, self.cpu = time.perf_counter(), time.process_time()
        return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--algo", default="td3", choices=["td3", "ddpg"])
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(1)
    h = dict(ZOO)
    arch, std = h.pop("net_arch"), h.pop("noise_std")
    env = gym.make("Pendulum-v1")
    noise = NormalActionNoise(np.zeros(1), std * np.ones(1))
    cls = TD3 if a.algo == "td3" else DDPG
    model = cls("MlpPolicy", env, seed=a.seed, device="cpu", action_noise=noise,
                policy_kwargs=dict(net_arch=arch), **h)
    cb = StartClock(h["learning_starts"])
    t0, c0 = time.perf_counter(), time.process_time()
    model.learn(a.steps, callback=cb)
    t1, c1 = time.perf_counter(), time.process_time()
    print(json.dumps(dict(algo=a.algo, steps=a.steps, learning_starts=h["learning_starts"],
                          train_s=round(t1 - t0, 3),
                          after_start_s=round(t1 - (cb.t or t1), 3),
                          train_cpu_s=round(c1 - c0, 3),
                          after_start_cpu_s=round(c1 - (cb.cpu or c1), 3),
                          updates=int(model._n_updates), torch=torch.__version__,
                          threads=torch.get_num_threads())))


if __name__ == "__main__":
    main()
