#!/usr/bin/env python3
"""make_cont_ref.py — PyTorch reference fixtures for the continuous-action math
(tests/test_cont_ref.c, deepq/cont_math.h).

cont_ddpg.txt: an actor (3 -> 16 -> 16 -> 2, ReLU, tanh output) and two critics
(5 -> 16 -> 16 -> 1 on [obs | action]) with parameters drawn here, then
  - the DDPG/TD3 actor loss -mean Q1(s, mu(s)) and every actor parameter gradient;
  - TD3's target: smoothed next action clamp(mu(s') + clamp(sigma eps, -c, c), -1, 1) and
    y = r + gamma (1 - done) min(Q1(s', a'), Q2(s', a')) (SB3's TD3.train, eps given);
  - the critic loss mse(Q1(s, a), y) and the critic's gradients;
  - the max of Q1 over N given candidate actions per row (value and first argmax).
cont_naf.txt: NAF heads [V, m, l] for D = 3 and D = 1, actions and upstream gradients dq:
  Q = V - 1/2 (a - tanh m)^T L L^T (a - tanh m) with exp on L's diagonal, tanh(m), P = L L^T
  and d(sum dq * Q)/d head by autograd.
Format: fixture_txt.h ("name rows cols" then the values). Float32 throughout.

Run from the repository root:  /work/venv-ref/bin/python tests/ref/make_cont_ref.py
"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
torch.set_default_dtype(torch.float32)


def mlp(dims, out_act=None):
    layers = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i + 2 < len(dims):
            layers.append(nn.ReLU())
    if out_act:
        layers.append(out_act)
    return nn.Sequential(*layers)


def flat(net):
    return torch.cat([p.detach().reshape(-1) for p in net.parameters()])


def flat_grad(net):
    return torch.cat([p.grad.detach().reshape(-1) for p in net.parameters()])


def load_random(net, rng, scale=0.4):
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.from_numpy(rng.uniform(-scale, scale, p.shape).astype(np.float32)))


class Out:
    def __init__(self, path):
        self.f = open(path, "w")

    def put(self, name, t):
        a = t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t, np.float32)
        a = a.astype(np.float32)
        a = a.reshape(a.shape[0], -1) if a.ndim > 1 else a.reshape(1, -1)
        self.f.write(f"{name} {a.shape[0]} {a.shape[1]}\n")
        for row in a:
            self.f.write(" ".join(f"{v:.9g}" for v in row) + "\n")

    def close(self):
        self.f.close()


def ddpg(rng):
    O, D, B, N = 3, 2, 8, 5
    sigma, clip, gamma = 0.2, 0.5, 0.98
    actor = mlp([O, 16, 16, D], nn.Tanh())
    q1, q2 = mlp([O + D, 16, 16, 1]), mlp([O + D, 16, 16, 1])
    for n in (actor, q1, q2):
        load_random(n, rng)
    f32 = lambda *s, lo=-1.0, hi=1.0: torch.from_numpy(rng.uniform(lo, hi, s).astype(np.float32))
    obs, next_obs = f32(B, O, lo=-2, hi=2), f32(B, O, lo=-2, hi=2)
    act = f32(B, D)
    eps = torch.from_numpy(rng.standard_normal((B, D)).astype(np.float32)) * 2.0
    reward = f32(B, 1, lo=-5, hi=0)
    done = torch.from_numpy((rng.uniform(0, 1, (B, 1)) < 0.3).astype(np.float32))
    cand = f32(B, N, D)
    o = Out(os.path.join(OUT, "cont_ddpg.txt"))
    o.put("hp", [[sigma, clip, gamma]])
    o.put("actor", flat(actor)[None])
    o.put("q1", flat(q1)[None])
    o.put("q2", flat(q2)[None])
    o.put("obs", obs)
    o.put("next_obs", next_obs)
    o.put("act", act)
    o.put("eps", eps)
    o.put("reward", reward)
    o.put("done", done)
    # actor loss and gradients (SB3 TD3: -critic.q1_forward(obs, actor(obs)).mean())
    actor_loss = -q1(torch.cat([obs, actor(obs)], 1)).mean()
    actor_loss.backward()
    o.put("actor_loss", actor_loss.reshape(1, 1))
    o.put("actor_grad", flat_grad(actor)[None])
    # TD3 target (the actor stands in for its target copy; the critics for theirs)
    with torch.no_grad():
        mu = actor(next_obs)
        noise = (eps * sigma).clamp(-clip, clip)
        smoothed = (mu + noise).clamp(-1, 1)
        x = torch.cat([next_obs, smoothed], 1)
        qmin = torch.min(q1(x), q2(x))
        y = reward + (1 - done) * gamma * qmin
    o.put("smoothed", smoothed)
    o.put("y", y)
    q1.zero_grad()
    critic_loss = F.mse_loss(q1(torch.cat([obs, act], 1)), y)
    critic_loss.backward()
    o.put("critic_loss", critic_loss.reshape(1, 1))
    o.put("q1_grad", flat_grad(q1)[None])
    with torch.no_grad():
        qc = q1(torch.cat([obs.repeat_interleave(N, 0), cand.reshape(B * N, D)], 1)).reshape(B, N)
        best = qc.max(1)
    o.put("cand", cand.reshape(B * N, D))
    o.put("cand_best_q", best.values[:, None])
    o.put("cand_best_n", best.indices[:, None].float())
    o.close()


def naf(rng, o, tag, D, B):
    H = 1 + D + D * (D + 1) // 2
    head = torch.from_numpy(rng.uniform(-1.2, 1.2, (B, H)).astype(np.float32)).requires_grad_()
    a = torch.from_numpy(rng.uniform(-1, 1, (B, D)).astype(np.float32))
    dq = torch.from_numpy(rng.uniform(-1, 1, (B, 1)).astype(np.float32))
    V, m, l = head[:, :1], head[:, 1:1 + D], head[:, 1 + D:]
    mu = torch.tanh(m)
    rows, cols = torch.tril_indices(D, D)  # row by row: (0,0), (1,0), (1,1), (2,0), ...
    L = torch.zeros(B, D, D)
    L[:, rows, cols] = l
    diag = torch.arange(D)
    L[:, diag, diag] = torch.exp(L[:, diag, diag])
    P = L @ L.transpose(1, 2)
    u = (a - mu)[:, :, None]
    Q = V - 0.5 * (u.transpose(1, 2) @ P @ u)[:, :, 0]
    (Q * dq).sum().backward()
    o.put(f"{tag}_head", head)
    o.put(f"{tag}_a", a)
    o.put(f"{tag}_dq", dq)
    o.put(f"{tag}_q", Q)
    o.put(f"{tag}_mu", mu)
    o.put(f"{tag}_P", P.reshape(B, D * D))
    o.put(f"{tag}_dhead", head.grad)


def main():
    rng = np.random.default_rng(13)
    ddpg(rng)
    o = Out(os.path.join(OUT, "cont_naf.txt"))
    naf(rng, o, "d3", 3, 6)
    naf(rng, o, "d1", 1, 5)
    o.close()


if __name__ == "__main__":
    main()
