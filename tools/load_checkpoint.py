#!/usr/bin/env python3
"""load_checkpoint.py — load a deepq DQN checkpoint (.safetensors) into an equivalent torch
nn.Sequential (or, without torch, evaluate it with numpy) and print the Q-values it gives.

Tensors are "q_net.<i>.weight" [out, in] and "q_net.<i>.bias" [out], i the index of the Linear in
nn.Sequential(Linear, act, Linear, act, ..., Linear); "q_net_target.*" is the target network.
Metadata: format, env_id, net_arch, activation, dtype, obs_dim, n_actions, step, config, head, ...

The metadata key "head" says how the last Linear's outputs h become Q-values (Rainbow parts):
  q            h are the Q-values [A]
  dueling      h = [V | A_0 .. A_{A-1}]: Q_a = V + A_a - mean_a A_a
  c51          h = logits [A, atoms]: Q_a = sum_j softmax(h_a)_j z_j, z = linspace(v_min, v_max, atoms)
  dueling_c51  h = [V | A_0 .. A_{A-1}], each of `atoms` logits: dueling per atom, then c51
Noisy nets are saved with their mean weights (what greedy evaluation uses).

  python3 tools/load_checkpoint.py runs/X/final.safetensors --obs 0.01,0.02,0.03,0.04
  python3 tools/load_checkpoint.py CKPT --obs ... --numpy      (no torch needed)

Continuous-action checkpoints (format "deepq-cont", `deepq train ENV --algo ddpg|td3|naf|sampled`)
use SB3's TD3Policy state_dict names: "actor.mu.<i>.*" (nn.Sequential ending in Tanh, output in
[-1, 1]), "critic.qf<k>.<i>.*" (input [obs | scaled action], output Q), "actor_target.mu.*",
"critic_target.qf<k>.*"; NAF: "naf.<i>.*" with outputs [V, m, l] (mu = tanh(m)). For them the
script prints {"action": the greedy action in the env's bounds (act_low/act_high metadata),
"q": [Q_k(s, action) of each critic] or [V(s)] for NAF}; sampled-max agents have no actor and
print the critic's Q at the action given with --action.
"""
import argparse
import json
import sys

from safetensors import safe_open


def read(path):
    with safe_open(path, framework="numpy") as f:
        meta = f.metadata() or {}
        tensors = {k: f.get_tensor(k) for k in f.keys()}
    if meta.get("format") not in ("deepq-dqn", "deepq-cont"):
        sys.exit(f"{path}: not a deepq checkpoint (format {meta.get('format')!r})")
    return meta, tensors


def layers(tensors, prefix="q_net"):
    n = prefix.count(".") + 1
    idx = sorted({int(k.split(".")[n]) for k in tensors if k.startswith(prefix + ".")})
    return [(tensors[f"{prefix}.{i}.weight"], tensors[f"{prefix}.{i}.bias"]) for i in idx]


def head_to_q(meta, h, xp):
    """Q-values [..., A] from the last layer's outputs h [..., n_out]; xp is numpy or torch."""
    head = meta.get("head", "q")
    if head == "q":
        return h
    A = int(meta["n_actions"])
    N = int(meta.get("atoms", 1)) if head.endswith("c51") else 1
    if head.startswith("dueling"):
        h = h.reshape(h.shape[:-1] + (1 + A, N))
        v, adv = h[..., :1, :], h[..., 1:, :]
        h = v + adv - adv.mean(axis=-2, keepdims=True) if xp.__name__ == "numpy" else \
            v + adv - adv.mean(dim=-2, keepdim=True)
    if head.endswith("c51"):
        h = h.reshape(h.shape[:-2] + (A, N)) if head.startswith("dueling") else \
            h.reshape(h.shape[:-1] + (A, N))
        vmin, vmax = float(meta["v_min"]), float(meta["v_max"])
        if xp.__name__ == "numpy":
            z = xp.linspace(vmin, vmax, N)
            e = xp.exp(h - h.max(axis=-1, keepdims=True))
            return (e / e.sum(axis=-1, keepdims=True) * z).sum(axis=-1)
        z = xp.linspace(vmin, vmax, N, dtype=h.dtype)
        return (xp.softmax(h, dim=-1) * z).sum(dim=-1)
    return h.reshape(h.shape[:-2] + (A,)) if head.startswith("dueling") else h


class QModel:
    """A torch module: the checkpoint's nn.Sequential followed by its head (see head_to_q)."""

    def __new__(cls, meta, tensors, prefix="q_net"):
        import torch
        import torch.nn as nn

        class _Q(nn.Module):
            def __init__(self):
                super().__init__()
                self.net = torch_model(meta, tensors, prefix)

            def forward(self, x):
                return head_to_q(meta, self.net(x), torch)
        return _Q()


def torch_model(meta, tensors, prefix="q_net"):
    """The torch nn.Sequential with the checkpoint's weights loaded by load_state_dict (its
    outputs are Q-values when the metadata's head is "q"; otherwise use QModel)."""
    import torch
    import torch.nn as nn
    act = {"relu": nn.ReLU, "tanh": nn.Tanh}[meta.get("activation", "relu")]
    mods = []
    ls = layers(tensors, prefix)
    for j, (w, _) in enumerate(ls):
        mods.append(nn.Linear(w.shape[1], w.shape[0]))
        if j + 1 < len(ls):
            mods.append(act())
    net = nn.Sequential(*mods)
    dtype = torch.float64 if meta.get("dtype") == "float64" else torch.float32
    net = net.to(dtype)
    sd = {k[len(prefix) + 1:]: torch.from_numpy(v.copy()) for k, v in tensors.items()
          if k.startswith(prefix + ".")}
    net.load_state_dict(sd)
    return net


def numpy_q(meta, tensors, obs, prefix="q_net"):
    import numpy as np
    x = np.asarray(obs, dtype=np.float64)
    ls = layers(tensors, prefix)
    for j, (w, b) in enumerate(ls):
        x = w.astype(np.float64) @ x + b.astype(np.float64)
        if j + 1 < len(ls):
            x = np.tanh(x) if meta.get("activation") == "tanh" else np.maximum(x, 0)
    return head_to_q(meta, x, np).tolist()


def cont_eval(meta, tensors, obs, action, use_numpy):
    """Greedy action (env units) and Q-values of a continuous-action checkpoint."""
    import numpy as np
    low = np.array(json.loads(meta["act_low"])); high = np.array(json.loads(meta["act_high"]))
    if use_numpy:
        f = lambda prefix, x: np.array(numpy_q(meta, tensors, x, prefix))
    else:
        import torch

        def f(prefix, x):
            net = torch_model(meta, tensors, prefix)
            with torch.no_grad():
                return net(torch.tensor([x], dtype=torch.float32))[0].double().numpy()
    algo = meta["algo"]
    if algo == "naf":
        h = f("naf", obs)
        D = len(low)
        a = np.tanh(h[1:1 + D])
        return {"action": (low + (a + 1) / 2 * (high - low)).tolist(), "q": [float(h[0])]}
    if algo in ("ddpg", "td3"):
        a = np.tanh(f("actor.mu", obs))
    else:
        if action is None:
            sys.exit("a sampled-max checkpoint has no actor: give --action")
        a = 2 * (np.asarray(action) - low) / (high - low) - 1
    q = []
    for k in range(2):
        if f"critic.qf{k}.0.weight" in tensors:
            q.append(float(f(f"critic.qf{k}", list(obs) + [float(v) for v in a])[0]))
    return {"action": (low + (a + 1) / 2 * (high - low)).tolist(), "q": q}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoint")
    ap.add_argument("--obs", required=True, help="comma-separated observation")
    ap.add_argument("--numpy", action="store_true", help="evaluate with numpy instead of torch")
    ap.add_argument("--target", action="store_true", help="use the target network")
    ap.add_argument("--action", help="continuous checkpoints: comma-separated action (env units)")
    a = ap.parse_args()
    meta, tensors = read(a.checkpoint)
    if meta.get("format") == "deepq-cont":
        obs = [float(v) for v in a.obs.split(",")]
        act = [float(v) for v in a.action.split(",")] if a.action else None
        out = cont_eval(meta, tensors, obs, act, a.numpy)
        print(json.dumps({"env_id": meta.get("env_id"), "algo": meta.get("algo"), **out}))
        return
    prefix = "q_net_target" if a.target else "q_net"
    obs = [float(v) for v in a.obs.split(",")]
    if a.numpy:
        q = numpy_q(meta, tensors, obs, prefix)
    else:
        import torch
        net = QModel(meta, tensors, prefix)
        dtype = next(net.parameters()).dtype
        with torch.no_grad():
            q = net(torch.tensor([obs], dtype=dtype))[0].double().tolist()
    print(json.dumps({"env_id": meta.get("env_id"), "step": int(meta.get("step", 0)), "q": q}))


if __name__ == "__main__":
    main()
