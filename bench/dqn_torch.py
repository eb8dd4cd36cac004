"""dqn_torch.py — the same DQN loop as deepq (SB3 semantics) in PyTorch, one thread: the speed
and learning reference for bench/bench_dqn.sh. Hyperparameters as deepq's keys.

  python3 bench/dqn_torch.py --env CartPole-v1 --preset tutorial --seed 0
prints one JSON line: {"train_s": ..., "eval_mean": ..., "steps": ..., "updates": ...}

  python3 bench/dqn_torch.py --env FlappyBird-v0 --preset tutorial-flappy --seed 2023
the seed tutorial's FlappyBird run on flappy-bird-gymnasium (LIDAR, float64 net); adds the score
(pipes passed, info["score"]) to the JSON. Evaluation episodes reset with seed 10000+i and stop
after --eval-cap steps (a bird may never crash), as bench/bench_flappy_eval.c does for deepq.
"""
import argparse, json, math, time

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PRESETS = {
    "tutorial": dict(n_timesteps=80000, learning_rate=1e-3, batch_size=64, buffer_size=100000,
                     learning_starts=1000, gamma=0.99, target_update_interval=10, tau=1.0,
                     train_freq=2, gradient_steps=1, exploration_fraction=0.1,
                     exploration_initial_eps=1.0, exploration_final_eps=0.04, net_arch=[64, 64],
                     loss="mse", max_grad_norm=0),
    "zoo-cartpole": dict(n_timesteps=50000, learning_rate=2.3e-3, batch_size=64,
                         buffer_size=100000, learning_starts=1000, gamma=0.99,
                         target_update_interval=10, tau=1.0, train_freq=256, gradient_steps=128,
                         exploration_fraction=0.16, exploration_initial_eps=1.0,
                         exploration_final_eps=0.04, net_arch=[256, 256], loss="huber",
                         max_grad_norm=10),
    "zoo-lunar": dict(n_timesteps=100000, learning_rate=6.3e-4, batch_size=128, buffer_size=50000,
                      learning_starts=0, gamma=0.99, target_update_interval=250, tau=1.0,
                      train_freq=4, gradient_steps=-1, exploration_fraction=0.12,
                      exploration_initial_eps=1.0, exploration_final_eps=0.1,
                      net_arch=[256, 256], loss="huber", max_grad_norm=10),
    "tutorial-flappy": dict(n_timesteps=500000, learning_rate=1e-3, batch_size=128,
                            buffer_size=100000, learning_starts=10000, gamma=0.98,
                            target_update_interval=250, tau=1.0, train_freq=4, gradient_steps=1,
                            exploration_fraction=0.1, exploration_initial_eps=1.0,
                            exploration_final_eps=0.03, net_arch=[256], loss="mse",
                            max_grad_norm=0, dtype="float64"),
}


def mlp(n_in, arch, n_out):
    layers, d = [], n_in
    for w in arch:
        layers += [nn.Linear(d, w), nn.ReLU()]
        d = w
    layers.append(nn.Linear(d, n_out))
    return nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--env", default="CartPole-v1")
    ap.add_argument("--preset", default="tutorial", choices=sorted(PRESETS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=0)
    ap.add_argument("--set", action="append", default=[], help="key=value")
    ap.add_argument("--eval-episodes", type=int, default=100)
    ap.add_argument("--eval-cap", type=int, default=10000)
    ap.add_argument("--env-kwargs", default="{}", help="JSON dict for gym.make")
    ap.add_argument("--print-q", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    h = dict(PRESETS[a.preset])
    for kv in a.set:
        k, v = kv.split("=", 1)
        h[k] = type(h[k])(v) if not isinstance(h[k], list) else json.loads(v)
    if a.steps:
        h["n_timesteps"] = a.steps
    rng = np.random.default_rng(a.seed)
    torch.manual_seed(a.seed)
    if a.env.startswith("FlappyBird"):
        import flappy_bird_gymnasium  # noqa: F401  (registers FlappyBird-v0)
    kw = json.loads(a.env_kwargs)
    env = gym.make(a.env, **kw)
    nobs, nact = env.observation_space.shape[0], env.action_space.n
    dt = np.float64 if h.get("dtype") == "float64" else np.float32
    torch.set_default_dtype(torch.float64 if dt == np.float64 else torch.float32)
    q, qt = mlp(nobs, h["net_arch"], nact), mlp(nobs, h["net_arch"], nact)
    qt.load_state_dict(q.state_dict())
    opt = torch.optim.Adam(q.parameters(), lr=h["learning_rate"])
    N = h["buffer_size"]
    O = np.zeros((N, nobs), dt); O2 = np.zeros((N, nobs), dt)
    A = np.zeros(N, np.int64); R = np.zeros(N, dt); D = np.zeros(N, dt)
    pos = size = 0
    obs, _ = env.reset(seed=a.seed)
    total = h["n_timesteps"]
    rollout = 0; updates = 0; qlog = []
    t0 = time.perf_counter()
    for t in range(total):
        frac = t / total
        eps = h["exploration_final_eps"] if frac > h["exploration_fraction"] else \
            h["exploration_initial_eps"] + frac * (h["exploration_final_eps"] - h["exploration_initial_eps"]) / h["exploration_fraction"]
        if t < h["learning_starts"] or rng.random() < eps:
            act = int(rng.integers(nact))
        else:
            with torch.no_grad():
                act = int(q(torch.as_tensor(obs, dtype=torch.get_default_dtype()).unsqueeze(0)).argmax(1).item())
        nobs_, r, term, trunc, _ = env.step(act)
        O[pos] = obs; O2[pos] = nobs_; A[pos] = act; R[pos] = r; D[pos] = float(term)
        pos = (pos + 1) % N; size = min(size + 1, N)
        obs = nobs_
        if term or trunc:
            obs, _ = env.reset()
        if (t + 1) % h["target_update_interval"] == 0:
            with torch.no_grad():
                for p, pt in zip(q.parameters(), qt.parameters()):
                    pt.mul_(1 - h["tau"]).add_(p, alpha=h["tau"])
        rollout += 1
        if rollout >= h["train_freq"]:
            gs = h["gradient_steps"] if h["gradient_steps"] >= 0 else rollout
            rollout = 0
            if t + 1 > h["learning_starts"]:
                for _ in range(gs):
                    idx = rng.integers(size, size=h["batch_size"])
                    o = torch.as_tensor(O[idx]); o2 = torch.as_tensor(O2[idx])
                    with torch.no_grad():
                        tgt = torch.as_tensor(R[idx]) + (1 - torch.as_tensor(D[idx])) * h["gamma"] * qt(o2).max(1).values
                    cur = q(o).gather(1, torch.as_tensor(A[idx]).unsqueeze(1)).squeeze(1)
                    loss = F.mse_loss(cur, tgt) if h["loss"] == "mse" else F.smooth_l1_loss(cur, tgt)
                    opt.zero_grad(); loss.backward()
                    if h["max_grad_norm"] > 0:
                        nn.utils.clip_grad_norm_(q.parameters(), h["max_grad_norm"])
                    opt.step(); updates += 1
                    if a.print_q and updates % 1000 == 0:
                        print("update", updates, "q_mean", float(cur.mean()), "loss", float(loss))
    train_s = time.perf_counter() - t0
    rets, scores, capped = [], [], 0
    ev = gym.make(a.env, **kw)
    t1 = time.perf_counter()
    for i in range(a.eval_episodes):
        o, _ = ev.reset(seed=10_000 + i)
        done, ret, t, info = False, 0.0, 0, {}
        while not done:
            with torch.no_grad():
                act = int(q(torch.as_tensor(o, dtype=torch.get_default_dtype()).unsqueeze(0)).argmax(1).item())
            o, r, term, trunc, info = ev.step(act)
            ret += r; t += 1
            done = term or trunc or t >= a.eval_cap
        capped += not (term or trunc)
        rets.append(ret); scores.append(info.get("score", float("nan")))
    out = dict(env=a.env, preset=a.preset, seed=a.seed, steps=total, updates=updates,
               train_s=round(train_s, 3), eval_s=round(time.perf_counter() - t1, 3),
               eval_mean=float(np.mean(rets)), eval_std=float(np.std(rets)))
    if a.env.startswith("FlappyBird"):
        out.update(score_mean=float(np.mean(scores)), score_std=float(np.std(scores)),
                   score_min=float(np.min(scores)), score_max=float(np.max(scores)),
                   capped=capped, cap=a.eval_cap)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
