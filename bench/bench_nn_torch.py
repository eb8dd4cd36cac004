#!/usr/bin/env python3
"""bench_nn_torch.py — the DQN update of bench/bench_nn.c in PyTorch, one thread.

Per configuration: target-network forward on next_obs, max over actions, TD target, online
forward on obs, gather, Huber (smooth_l1) loss, zero_grad, backward, clip_grad_norm_(10),
Adam step. Prints one line per configuration: "<n_in>-<h1>-<h2>-<n_out> b<B> <updates/s>"
(best of several timed runs, in CPU time of this thread, as bench_nn). Called by bench_nn (popen); usable alone:
    python3 bench/bench_nn_torch.py 4-64-64-2:64 4-256-256-2:64 8-256-256-4:128
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def make(dims):
    layers = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i + 2 < len(dims):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def bench(dims, B, seconds=0.4, repeats=5):
    torch.manual_seed(0)
    q, tgt = make(dims), make(dims)
    tgt.load_state_dict(q.state_dict())
    opt = torch.optim.Adam(q.parameters(), lr=1e-4)
    obs = torch.randn(B, dims[0])
    nobs = torch.randn(B, dims[0])
    act = torch.randint(0, dims[-1], (B, 1))
    rew = torch.randn(B)
    done = (torch.rand(B) < 0.1).float()

    def update():
        with torch.no_grad():
            y = rew + 0.99 * (1 - done) * tgt(nobs).max(dim=1).values
        pred = q(obs).gather(1, act)[:, 0]
        loss = F.smooth_l1_loss(pred, y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(q.parameters(), 10.0)
        opt.step()

    for _ in range(50):
        update()
    best = 0.0
    for _ in range(repeats):
        n, t0 = 0, time.thread_time()
        while True:
            for _ in range(20):
                update()
            n += 20
            dt = time.thread_time() - t0
            if dt >= seconds:
                break
        best = max(best, n / dt)
    return best


def main():
    torch.set_num_threads(1)
    specs = sys.argv[1:] or ["4-64-64-2:64", "4-256-256-2:64", "8-256-256-4:128"]
    for s in specs:
        arch, b = s.split(":")
        dims = [int(v) for v in arch.split("-")]
        print(f"{arch} b{b} {bench(dims, int(b)):.1f}", flush=True)


if __name__ == "__main__":
    main()
