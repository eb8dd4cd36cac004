#!/usr/bin/env python3
"""bench_fqi_sklearn.py — the scikit-learn side of bench/bench_fqi.sh: the seed tutorial's FQI
recipe on random CartPole-v1 transitions (Gymnasium), timed the same way as bench_fqi.c:
collect N random transitions, fit y = r, then `iterations` refits on
y = r + gamma * (1 - terminated) * max_a' Q(s', a'), then a greedy evaluation over 100 episodes.

usage: bench_fqi_sklearn.py [--model knn|linear|extratrees] [--steps 50000] [--iterations 20]
                            [--seeds 1] [--seed0 0] [--eval-episodes 100]
Prints one line per seed and a MEAN line in the same format as bench_fqi.c.
"""
import argparse
import time

import gymnasium as gym
import numpy as np
from sklearn.ensemble import ExtraTreesRegressor
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor


def make_model(name, seed):
    if name == "knn":
        return KNeighborsRegressor(n_neighbors=30)
    if name == "extratrees":
        return ExtraTreesRegressor(n_estimators=50, min_samples_leaf=5, random_state=seed)
    if name == "linear":
        return LinearRegression()
    raise SystemExit(f"unknown model {name}")


def collect(steps, seed):
    env = gym.make("CartPole-v1")
    env.action_space.seed(seed)
    obs, _ = env.reset(seed=seed)
    o, no, a, r, te, tr = [], [], [], [], [], []
    for _ in range(steps):
        act = env.action_space.sample()
        nxt, rew, term, trunc, _ = env.step(act)
        o.append(obs); no.append(nxt); a.append(act); r.append(rew); te.append(term)
        tr.append(trunc)
        obs = env.reset()[0] if term or trunc else nxt
    return (np.array(o, np.float64), np.array(no, np.float64), np.array(a, np.float64),
            np.array(r), np.array(te, np.float64), np.array(tr))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="knn")
    p.add_argument("--steps", type=int, default=50000)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--seeds", type=int, default=1)
    p.add_argument("--seed0", type=int, default=0)
    p.add_argument("--eval-episodes", type=int, default=100)
    args = p.parse_args()
    gamma = 0.99
    rets, fits = [], []
    for seed in range(args.seed0, args.seed0 + args.seeds):
        obs, nobs, act, rew, term, _ = collect(args.steps, seed)
        x = np.hstack([obs, act[:, None]])
        x0 = np.hstack([nobs, np.zeros((len(nobs), 1))])
        x1 = np.hstack([nobs, np.ones((len(nobs), 1))])
        t0 = time.perf_counter()
        model = make_model(args.model, seed).fit(x, rew)
        for _ in range(args.iterations):
            q = np.maximum(model.predict(x0), model.predict(x1))
            y = rew + gamma * (1 - term) * q
            model = make_model(args.model, seed).fit(x, y)
        fit = time.perf_counter() - t0
        env = gym.make("CartPole-v1")
        t0 = time.perf_counter()
        returns = []
        for ep in range(args.eval_episodes):
            o, _ = env.reset(seed=1000000 + 1000 * seed + ep)
            done, total = False, 0.0
            while not done:
                xa = np.array([np.append(o, 0.0), np.append(o, 1.0)])
                a = int(np.argmax(model.predict(xa)))
                o, r, te, tr, _ = env.step(a)
                total += r
                done = te or tr
            returns.append(total)
        evt = time.perf_counter() - t0
        returns = np.array(returns)
        print(f"seed {seed}  model {args.model}  fit {fit:.3f} s  eval {returns.mean():.1f} +- "
              f"{returns.std():.1f} (min {returns.min():.0f}, max {returns.max():.0f})  eval time "
              f"{evt:.2f} s", flush=True)
        rets.append(returns.mean())
        fits.append(fit)
    print(f"MEAN model {args.model} seeds {args.seeds}  eval {np.mean(rets):.1f}  fit mean "
          f"{np.mean(fits):.3f} s  fit best {np.min(fits):.3f} s")


if __name__ == "__main__":
    main()
