#!/usr/bin/env python3
"""make_nn_ref.py — PyTorch reference fixtures for the deepq NN engine (tests/test_nn_ref.c).

For each shape it builds the same MLP in torch (nn.Linear layout: W[out,in] row-major then
b[out], layer after layer), loads parameters drawn here, and records, in float32 and float64:
the forward output, the loss (MSE and Huber = smooth_l1 beta 1, weighted per sample, mean over
the batch) on the Q-value of the taken action, the TD errors, dloss/dpred, every parameter
gradient, the input gradient, and the parameters after 5 steps of Adam / SGD with momentum /
RMSprop / centered RMSprop (each step: forward, weighted Huber loss, backward,
clip_grad_norm_(max_norm), step). The float64 run starts from the float32 inputs upcast, so
the inputs are stored once.

File format (little endian), tests/fixtures/nn_<case>.bin:
  8 bytes magic "DQNNREF1", u32 record count, then per record:
  char name[48] (NUL padded), u32 dtype (0 f32, 1 f64, 2 i32), u32 count, count values.

Run from the repository root:  python3 tests/ref/make_nn_ref.py
"""
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
STEPS = 5

CASES = [
    # name, dims, hidden activation, batch, max_norm, what to store per dtype ("full" or "lean")
    ("s64", [4, 64, 64, 2], "relu", 64, 0.22, {"f32": "full", "f64": "full"}),
    ("tanh3", [6, 32, 48, 32, 3], "tanh", 40, 0.25, {"f32": "full", "f64": "full"}),
    ("s256", [8, 256, 256, 4], "relu", 128, 0.24, {"f32": "lean", "f64": "lean"}),
]

# name, torch constructor, hyperparameters [lr, beta1, beta2, eps, momentum, alpha, centered,
# weight_decay] (stored in the fixture so the C test builds the same optimizer). Learning rates
# are DQN-sized: Adam's and RMSprop's steps g/(sqrt(v)+eps) are ~lr*sign(g) even for gradients
# that cancel to ~1e-8, whose float32 rounding differs between any two summation orders, so a
# large lr would turn that noise into parameter differences above the 1e-5 bound.
OPTIMS = [
    ("adam", torch.optim.Adam, [1e-4, 0.9, 0.999, 1e-8, 0.0, 0.0, 0, 0.0]),
    ("sgd", torch.optim.SGD, [1e-2, 0.0, 0.0, 0.0, 0.9, 0.0, 0, 1e-3]),
    ("rmsprop", torch.optim.RMSprop, [1e-4, 0.0, 0.0, 1e-8, 0.0, 0.99, 0, 0.0]),
    ("rmsprop_c", torch.optim.RMSprop, [2.5e-4, 0.0, 0.0, 0.01, 0.5, 0.95, 1, 0.0]),
]


def make_optim(cls, hp, params):
    lr, b1, b2, eps, mom, alpha, centered, wd = hp
    if cls is torch.optim.Adam:
        return cls(params, lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd)
    if cls is torch.optim.SGD:
        return cls(params, lr=lr, momentum=mom, weight_decay=wd)
    return cls(params, lr=lr, alpha=alpha, eps=eps, momentum=mom, centered=bool(centered),
               weight_decay=wd)


class Writer:
    def __init__(self):
        self.recs = []

    def add(self, name, arr, dtype):
        a = np.ascontiguousarray(np.asarray(arr).reshape(-1))
        code = {"f32": 0, "f64": 1, "i32": 2}[dtype]
        a = a.astype({"f32": "<f4", "f64": "<f8", "i32": "<i4"}[dtype])
        assert len(name) < 48
        self.recs.append(struct.pack("<48sII", name.encode(), code, a.size) + a.tobytes())

    def save(self, path):
        with open(path, "wb") as f:
            f.write(b"DQNNREF1" + struct.pack("<I", len(self.recs)))
            for r in self.recs:
                f.write(r)


def build(dims, act, dtype, flat):
    layers = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i + 2 < len(dims):
            layers.append(nn.ReLU() if act == "relu" else nn.Tanh())
    net = nn.Sequential(*layers).to(dtype)
    off = 0
    with torch.no_grad():
        for lin in [l for l in net if isinstance(l, nn.Linear)]:
            for p in (lin.weight, lin.bias):
                n = p.numel()
                p.copy_(torch.from_numpy(flat[off:off + n].astype(np.float64)).view_as(p))
                off += n
    assert off == flat.size
    return net


def flat_grads(net):
    return torch.cat([p.grad.reshape(-1) for p in net.parameters()]).detach().numpy()


def flat_params(net):
    return torch.cat([p.reshape(-1) for p in net.parameters()]).detach().numpy()


def loss_of(kind, pred, target, weight):
    if kind == "mse":
        el = F.mse_loss(pred, target, reduction="none")
    else:
        el = F.smooth_l1_loss(pred, target, reduction="none", beta=1.0)
    return (weight * el).mean()


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    torch.set_num_threads(1)
    for ci, (name, dims, act, B, max_norm, store) in enumerate(CASES):
        rng = np.random.default_rng(1000 + ci)
        flat = []
        for i in range(len(dims) - 1):
            bound = 1.0 / np.sqrt(dims[i])
            flat.append(rng.uniform(-bound, bound, dims[i + 1] * dims[i]))
            flat.append(rng.uniform(-bound, bound, dims[i + 1]))
        flat = np.concatenate(flat).astype(np.float32)
        x = rng.normal(0, 1, (B, dims[0])).astype(np.float32)
        actions = rng.integers(0, dims[-1], B).astype(np.int32)
        target = rng.uniform(-3, 3, B).astype(np.float32)
        weight = rng.uniform(0.2, 1.5, B).astype(np.float32)
        w = Writer()
        w.add("dims", np.array(dims), "i32")
        w.add("act", np.array([1 if act == "relu" else 2]), "i32")
        w.add("max_norm", np.array([max_norm]), "f64")
        w.add("params", flat, "f32")
        w.add("x", x, "f32")
        w.add("actions", actions, "i32")
        w.add("target", target, "f32")
        w.add("weight", weight, "f32")
        for dn, tdt in (("f32", torch.float32), ("f64", torch.float64)):
            level = store[dn]
            tx = torch.from_numpy(x.astype(np.float64)).to(tdt)
            ta = torch.from_numpy(actions.astype(np.int64))
            tt = torch.from_numpy(target.astype(np.float64)).to(tdt)
            tw = torch.from_numpy(weight.astype(np.float64)).to(tdt)
            losses = ("mse", "huber") if level == "full" else ("huber",)
            for li, lk in enumerate(losses):
                net = build(dims, act, tdt, flat)
                xin = tx.clone().requires_grad_(True)
                out = net(xin)
                pred = out.gather(1, ta[:, None])[:, 0]
                pred.retain_grad()
                loss = loss_of(lk, pred, tt, tw)
                loss.backward()
                if li == 0:
                    w.add(f"out.{dn}", out.detach().numpy(), dn)
                w.add(f"loss_{lk}.{dn}", np.array([loss.item()]), "f64")
                w.add(f"td_{lk}.{dn}", (pred - tt).detach().numpy(), dn)
                w.add(f"dpred_{lk}.{dn}", pred.grad.numpy(), dn)
                w.add(f"grads_{lk}.{dn}", flat_grads(net), dn)
                w.add(f"dx_{lk}.{dn}", xin.grad.numpy(), dn)
            opts = OPTIMS if level == "full" else OPTIMS[:1]
            for on, cls, hp in opts:
                if dn == "f32":
                    w.add(f"hp_{on}", np.array(hp), "f64")
                net = build(dims, act, tdt, flat)
                opt = make_optim(cls, hp, net.parameters())
                norms = []
                for _ in range(STEPS):
                    opt.zero_grad()
                    out = net(tx)
                    pred = out.gather(1, ta[:, None])[:, 0]
                    loss_of("huber", pred, tt, tw).backward()
                    norms.append(torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm).item())
                    opt.step()
                w.add(f"norms_{on}.{dn}", np.array(norms), "f64")
                w.add(f"{on}.{dn}", flat_params(net), dn)
                if dn == "f32":
                    print(f"{name} {on} grad norms {np.round(norms, 3)}")
        path = os.path.join(OUT_DIR, f"nn_{name}.bin")
        w.save(path)
        print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
