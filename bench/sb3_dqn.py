"""sb3_dqn.py — Stable-Baselines3's DQN with RL-Zoo's tuned hyperparameters on one thread: the
speed and learning reference for bench/bench_dqn.sh (pip install stable-baselines3).

  python3 bench/sb3_dqn.py --env CartPole-v1 --seed 0
prints one JSON line: {"train_s": ..., "eval_mean": ..., ...}
"""
import argparse, json, time

import gymnasium as gym
import numpy as np
import torch
from stable_baselines3 import DQN

ZOO = {  # rl_zoo3 2.9.2 hyperparams/dqn.yml
    "CartPole-v1": dict(n_timesteps=5e4, learning_rate=2.3e-3, batch_size=64, buffer_size=100000,
                        learning_starts=1000, gamma=0.99, target_update_interval=10,
                        train_freq=256, gradient_steps=128, exploration_fraction=0.16,
                        exploration_final_eps=0.04, net_arch=[256, 256]),
    "LunarLander-v3": dict(n_timesteps=1e5, learning_rate=6.3e-4, batch_size=128,
                           buffer_size=50000, learning_starts=0, gamma=0.99,
                           target_update_interval=250, train_freq=4, gradient_steps=-1,
                           exploration_fraction=0.12, exploration_final_eps=0.1,
                           net_arch=[256, 256]),
    "Acrobot-v1": dict(n_timesteps=1e5, learning_rate=6.3e-4, batch_size=128, buffer_size=50000,
                       learning_starts=0, gamma=0.99, target_update_interval=250, train_freq=4,
                       gradient_steps=-1, exploration_fraction=0.12, exploration_final_eps=0.1,
                       net_arch=[256, 256]),
    "MountainCar-v0": dict(n_timesteps=1.2e5, learning_rate=4e-3, batch_size=128,
                           buffer_size=10000, learning_starts=1000, gamma=0.98,
                           target_update_interval=600, train_freq=16, gradient_steps=8,
                           exploration_fraction=0.2, exploration_final_eps=0.07,
                           net_arch=[256, 256]),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--env", default="CartPole-v1", choices=sorted(ZOO))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--eval-episodes", type=int, default=100)
    a = ap.parse_args()
    torch.set_num_threads(1)
    h = dict(ZOO[a.env])
    n = int(h.pop("n_timesteps"))
    arch = h.pop("net_arch")
    model = DQN("MlpPolicy", gym.make(a.env), seed=a.seed, device="cpu",
                policy_kwargs=dict(net_arch=arch), **h)
    t0 = time.perf_counter()
    model.learn(n)
    train_s = time.perf_counter() - t0
    env = gym.make(a.env)
    rets = []
    for i in range(a.eval_episodes):
        o, _ = env.reset(seed=10_000 + i)
        done, ret = False, 0.0
        while not done:
            act, _ = model.predict(o, deterministic=True)
            o, r, term, trunc, _ = env.step(act)
            ret += r
            done = term or trunc
        rets.append(ret)
    print(json.dumps(dict(env=a.env, seed=a.seed, steps=n, train_s=round(train_s, 3),
                          eval_mean=float(np.mean(rets)), eval_std=float(np.std(rets)))))


if __name__ == "__main__":
    main()
