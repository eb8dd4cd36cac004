#!/usr/bin/env python3
"""make_dqn_update_ref.py — PyTorch reference for whole DQN updates
(tests/test_dqn_update_ref.c reads tests/fixtures/dqn_update_ref.txt).

Written as SB3's DQN.train() does it, in float32 (the network's type):
  part 1 (prefix "u_"): MLP 4 -> 8 -> 8 -> 3 (ReLU), a fixed batch of 6 transitions (one
    terminated), five updates of Double DQN: a* = argmax_a Q_online(s', a), y = r + gamma
    (1 - terminated) Q_target(s', a*), smooth_l1 (Huber) loss, zero_grad, backward,
    clip_grad_norm_(0.5), Adam(lr 1e-2). The target net is fixed. Recorded: the online
    parameters and the loss after each update.
  part 2 (prefix "r_"): the same MLP with a dueling C51 head (3 actions, 11 atoms on [-5, 5]):
    one update on a fixed batch with PER importance weights, 3-step returns (reward = the n-step
    return, discount gamma^k, 0 when terminated), Double action selection through the head,
    the categorical projection, loss = mean_b w_b CE_b, backward, clip, Adam. Recorded: the
    parameters after, the loss, and the per-sample cross-entropies (the new PER priorities).
Parameters are flattened layer by layer as weight [out, in] row-major then bias (deepq's
layout). File format: text, per array "<name> <rows> <cols>" then the numbers (fixture_txt.h).

Run from the repository root:  /work/venv-ref/bin/python tests/ref/make_dqn_update_ref.py
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures",
                   "dqn_update_ref.txt")


def write(path, arrays):
    with open(path, "w") as f:
        for name, a in arrays:
            a = np.asarray(a, dtype=np.float64)
            if a.ndim == 1:
                a = a.reshape(1, -1)
            f.write(f"{name} {a.shape[0]} {a.shape[1]}\n")
            for row in a:
                f.write(" ".join(repr(float(x)) for x in row) + "\n")


def mlp(n_out, gen):
    net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8),
                              torch.nn.ReLU(), torch.nn.Linear(8, n_out))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.tensor(gen.normal(scale=0.5, size=p.shape), dtype=torch.float32))
    return net


def flat(net):
    return torch.cat([p.detach().reshape(-1) for p in net.parameters()])


def dueling(h, A, N):
    B = h.shape[0]
    v = h[:, :N].reshape(B, 1, N)
    adv = h[:, N:].reshape(B, A, N)
    return (v + adv - adv.mean(dim=1, keepdim=True)).reshape(B, A * N)


def project(p_next, reward, discount, vmin, vmax, N):
    B = p_next.shape[0]
    dz = (vmax - vmin) / (N - 1)
    z = vmin + dz * torch.arange(N, dtype=torch.float32)
    tz = (reward[:, None] + discount[:, None] * z[None, :]).clamp(vmin, vmax)
    b = (tz - vmin) / dz
    lo, hi = b.floor().long(), b.ceil().long()
    m = torch.zeros(B, N, dtype=torch.float32)
    same = (lo == hi).float()
    m.scatter_add_(1, lo, p_next * (hi.float() - b + same))
    m.scatter_add_(1, hi, p_next * (b - lo.float()))
    return m


def batch(gen, B):
    obs = torch.tensor(gen.normal(size=(B, 4)), dtype=torch.float32)
    nxt = torch.tensor(gen.normal(size=(B, 4)), dtype=torch.float32)
    act = torch.tensor(gen.integers(0, 3, size=B))
    rew = torch.tensor(gen.normal(size=B), dtype=torch.float32)
    term = torch.tensor([0, 1, 0, 0, 0, 0][:B], dtype=torch.float32)
    return obs, nxt, act, rew, term


def part1(gen):
    B, gamma = 6, 0.9
    q, qt = mlp(3, gen), mlp(3, gen)
    obs, nxt, act, rew, term = batch(gen, B)
    arrays = [("u_params0", flat(q)), ("u_target", flat(qt)), ("u_obs", obs), ("u_next", nxt),
              ("u_act", act.double()), ("u_rew", rew), ("u_term", term)]
    opt = torch.optim.Adam(q.parameters(), lr=1e-2, eps=1e-8)
    for k in range(5):
        with torch.no_grad():
            a_star = q(nxt).argmax(1)
            v = qt(nxt).gather(1, a_star[:, None])[:, 0]
            y = rew + (1 - term) * gamma * v
        cur = q(obs).gather(1, act[:, None])[:, 0]
        loss = F.smooth_l1_loss(cur, y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(q.parameters(), 0.5)
        opt.step()
        arrays += [(f"u_params{k + 1}", flat(q)), (f"u_loss{k + 1}", loss.detach().reshape(1))]
    return arrays


def part2(gen):
    B, A, N, vmin, vmax, gamma = 6, 3, 11, -5.0, 5.0, 0.9
    q, qt = mlp((1 + A) * N, gen), mlp((1 + A) * N, gen)
    obs, nxt, act, rew, term = batch(gen, B)
    rew = rew * 3  # 3-step returns
    k = torch.tensor([3, 2, 3, 1, 3, 3], dtype=torch.float32)  # steps in each n-step return
    disc = (gamma ** k) * (1 - term)
    w = torch.tensor(gen.uniform(0.2, 1.0, size=B), dtype=torch.float32)
    arrays = [("r_params0", flat(q)), ("r_target", flat(qt)), ("r_obs", obs), ("r_next", nxt),
              ("r_act", act.double()), ("r_rew", rew), ("r_disc", disc), ("r_w", w)]
    z = torch.linspace(vmin, vmax, N, dtype=torch.float32)
    with torch.no_grad():
        p_on = torch.softmax(dueling(q(nxt), A, N).reshape(B, A, N), dim=2)
        a_star = (p_on * z).sum(2).argmax(1)  # Double: the online net picks a*
        p_t = torch.softmax(dueling(qt(nxt), A, N).reshape(B, A, N), dim=2)
        m = project(p_t[torch.arange(B), a_star], rew, disc, vmin, vmax, N)
    opt = torch.optim.Adam(q.parameters(), lr=1e-2, eps=1e-8)
    logits = dueling(q(obs), A, N).reshape(B, A, N)
    logp = torch.log_softmax(logits, dim=2)[torch.arange(B), act]
    ce = -(m * logp).sum(1)
    loss = (w * ce).mean()
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(q.parameters(), 0.5)
    opt.step()
    arrays += [("r_params1", flat(q)), ("r_loss", loss.detach().reshape(1)),
               ("r_ce", ce.detach()), ("r_astar", a_star.double())]
    return arrays


def main():
    torch.manual_seed(0)
    gen = np.random.default_rng(11)
    arrays = part1(gen) + part2(gen)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    write(OUT, arrays)


if __name__ == "__main__":
    main()
