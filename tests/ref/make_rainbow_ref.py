#!/usr/bin/env python3
"""make_rainbow_ref.py — PyTorch reference fixture for the dueling and C51 heads
(tests/test_heads.c reads tests/fixtures/rainbow_ref.txt).

All in float64 with autograd:
  dueling (N = 1):  h[B, 1+A] -> q = V + (A - mean A); loss = sum(c * q); dh = d loss / d h
  C51:              online raw outputs h2[B, (1+A)*N] -> dueling per atom -> logits[B, A*N];
                    target logits tl[B, A*N] -> softmax -> Q = sum p z -> greedy next action
                    (on the target net, as plain C51) -> projection of p_next with reward and
                    discount (the usual index_add_ projection written in torch) -> m[B, N];
                    loss = mean_b w_b * CE(m_b, log_softmax(logits[b, a_b])) -> d loss / d h2.
File format: text, per array "<name> <rows> <cols>" then rows*cols numbers (fixture_txt.h).

Run from the repository root:  python3 tests/ref/make_rainbow_ref.py
"""
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures",
                   "rainbow_ref.txt")


def write(path, arrays):
    with open(path, "w") as f:
        for name, a in arrays:
            a = np.asarray(a, dtype=np.float64)
            if a.ndim == 1:
                a = a.reshape(1, -1)
            f.write(f"{name} {a.shape[0]} {a.shape[1]}\n")
            for row in a:
                f.write(" ".join(repr(float(x)) for x in row) + "\n")


def dueling(h, A, N):
    B = h.shape[0]
    v = h[:, :N].reshape(B, 1, N)
    adv = h[:, N:].reshape(B, A, N)
    return (v + adv - adv.mean(dim=1, keepdim=True)).reshape(B, A * N)


def project(p_next, reward, discount, vmin, vmax, N):
    B = p_next.shape[0]
    dz = (vmax - vmin) / (N - 1)
    z = vmin + dz * torch.arange(N, dtype=torch.float64)
    tz = (reward[:, None] + discount[:, None] * z[None, :]).clamp(vmin, vmax)
    b = (tz - vmin) / dz
    lo, hi = b.floor().long(), b.ceil().long()
    m = torch.zeros(B, N, dtype=torch.float64)
    same = (lo == hi).double()
    m.scatter_add_(1, lo, p_next * (hi.double() - b + same))
    m.scatter_add_(1, hi, p_next * (b - lo.double()))
    return m


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(7)
    arrays = []

    # Dueling, N = 1.
    B, A = 5, 3
    h = torch.tensor(rng.normal(size=(B, 1 + A)), requires_grad=True)
    c = torch.tensor(rng.normal(size=(B, A)))
    q = dueling(h, A, 1)
    (c * q).sum().backward()
    arrays += [("duel_h", h.detach()), ("duel_c", c), ("duel_q", q.detach()),
               ("duel_dh", h.grad)]

    # Dueling C51.
    B, A, N, vmin, vmax = 6, 3, 11, -5.0, 5.0
    h2 = torch.tensor(rng.normal(size=(B, (1 + A) * N)), requires_grad=True)
    tl = torch.tensor(rng.normal(size=(B, A * N)) * 2)
    action = torch.tensor(rng.integers(0, A, size=B))
    reward = torch.tensor([0.3, -1.0, 4.5, 10.0, -0.25, 1.0], dtype=torch.float64)
    discount = torch.tensor([0.99, 0.99 ** 3, 0.0, 0.5, 0.9, 1.0], dtype=torch.float64)
    weight = torch.tensor(rng.uniform(0.2, 1.0, size=B))
    logits = dueling(h2, A, N)
    z = torch.linspace(vmin, vmax, N, dtype=torch.float64)
    pt = torch.softmax(tl.reshape(B, A, N), dim=2)
    qt = (pt * z).sum(2)
    a_next = qt.argmax(1)
    p_next = pt[torch.arange(B), a_next]
    m = project(p_next, reward, discount, vmin, vmax, N)
    logp = torch.log_softmax(logits.reshape(B, A, N), dim=2)[torch.arange(B), action]
    per_sample = -(m * logp).sum(1)
    loss = (weight * per_sample).mean()
    loss.backward()
    arrays += [
        ("c51_cfg", torch.tensor([B, A, N, vmin, vmax], dtype=torch.float64)),
        ("c51_h", h2.detach()), ("c51_tlogits", tl), ("c51_action", action.double()),
        ("c51_reward", reward), ("c51_discount", discount), ("c51_weight", weight),
        ("c51_logits", logits.detach()), ("c51_qt", qt), ("c51_pnext", p_next),
        ("c51_m", m), ("c51_per_sample", per_sample.detach()),
        ("c51_loss", loss.detach().reshape(1)), ("c51_dh", h2.grad),
    ]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    write(OUT, arrays)


if __name__ == "__main__":
    main()
