#!/usr/bin/env python3
"""export_sb3.py — write a deepq DQN checkpoint as a Stable-Baselines3 DQN .zip (what
`deepq export --format sb3` runs).

  python3 tools/export_sb3.py CKPT.safetensors OUT.zip

The zip is written by SB3 itself (DQN(...).save), so every entry is what SB3 writes: `data`
(hyperparameters and the cloudpickled spaces, policy class and policy_kwargs), policy.pth and
policy.optimizer.pth (torch zip pickles), pytorch_variables.pth, _stable_baselines3_version and
system_info.txt. deepq maps its names onto SB3's: q_net.<i>.weight -> q_net.q_net.<i>.weight,
q_net_target.<i>.* -> q_net_target.q_net.<i>.*; net_arch, activation_fn and the DQN
hyperparameters come from the checkpoint's config. Only a plain Q head exists in SB3: dueling,
C51 and noisy checkpoints are refused (deepq checks that before calling this script).
Needs stable-baselines3 (hence torch) and gymnasium.
"""
import json
import re
import struct
import sys

import numpy as np


def read_safetensors(path):
    """(metadata dict, {name: ndarray}) with numpy only."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {})
    types = {"F32": np.float32, "F64": np.float64}
    tensors = {}
    for k, v in header.items():
        a, b = v["data_offsets"]
        tensors[k] = np.frombuffer(data[a:b], dtype=types[v["dtype"]]).reshape(v["shape"])
    return meta, tensors


def config_values(text):
    """Top-level `key: value` lines of the checkpoint's config.yml as strings."""
    out = {}
    for line in (text or "").splitlines():
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):\s*(.*?)\s*$", line)
        if m:
            out[m.group(1)] = m.group(2).strip('"')
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    ckpt, out = sys.argv[1], sys.argv[2]
    meta, tensors = read_safetensors(ckpt)
    if meta.get("format") != "deepq-dqn":
        sys.exit(f"export_sb3: {ckpt} is not a deepq DQN checkpoint")
    if meta.get("head", "q") != "q":
        sys.exit(f"export_sb3: SB3's DQN has only a plain Q head, not {meta['head']}")
    import gymnasium as gym
    import torch
    from stable_baselines3 import DQN

    cfg = config_values(meta.get("config"))
    if cfg.get("noisy") == "true":
        sys.exit("export_sb3: SB3's DQN has no noisy layers")
    env_id = meta["env_id"]
    kwargs = {}
    for k in cfg.get("env_kwargs", "").split(","):
        if "=" in k:
            key, val = k.split("=", 1)
            kwargs[key] = json.loads(val) if val not in ("true", "false") else val == "true"
    env = gym.make(env_id, **kwargs)
    act = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}[meta.get("activation", "relu")]
    net_arch = json.loads(meta["net_arch"])

    def num(key, cast=float):
        v = cfg.get(key)
        if v is None:
            return None
        v = v[4:] if v.startswith("lin_") else v  # RL-Zoo's lin_X: SB3 stores the start value
        return cast(float(v))

    hp = {"learning_rate": num("learning_rate"), "buffer_size": num("buffer_size", int),
          "learning_starts": num("learning_starts", int), "batch_size": num("batch_size", int),
          "tau": num("tau"), "gamma": num("gamma"),
          "gradient_steps": num("gradient_steps", int),
          "target_update_interval": num("target_update_interval", int),
          "exploration_fraction": num("exploration_fraction"),
          "exploration_initial_eps": num("exploration_initial_eps"),
          "exploration_final_eps": num("exploration_final_eps"),
          "seed": num("seed", int)}
    hp = {k: v for k, v in hp.items() if v is not None}
    if cfg.get("train_freq"):
        unit = "episode" if cfg.get("train_freq_unit") == "episode" else "step"
        hp["train_freq"] = (int(float(cfg["train_freq"])), unit)
    mgn = num("max_grad_norm")
    if mgn:
        hp["max_grad_norm"] = mgn
    # The replay buffer is not saved in the zip; keep SB3 from allocating the full one here.
    model = DQN("MlpPolicy", env, policy_kwargs={"net_arch": net_arch, "activation_fn": act},
                device="cpu", **{**hp, "buffer_size": 1})
    model.buffer_size = hp.get("buffer_size", model.buffer_size)
    sd = model.policy.state_dict()
    for k in sd:
        net, _, rest = k.partition(".q_net.")  # q_net.q_net.0.weight -> q_net.0.weight
        src = f"{net}.{rest}"
        if src not in tensors:
            sys.exit(f"export_sb3: {ckpt} has no tensor {src} (for SB3's {k})")
        t = torch.from_numpy(tensors[src].astype(np.float32))
        if tuple(t.shape) != tuple(sd[k].shape):
            sys.exit(f"export_sb3: {src} is {tuple(t.shape)}, SB3's {k} {tuple(sd[k].shape)}")
        sd[k] = t
    model.policy.load_state_dict(sd)
    model.num_timesteps = int(meta.get("step", 0))
    model._n_updates = int(meta.get("n_updates", 0))
    model.save(out)
    print(f"wrote {out}: SB3 DQN {env_id}, net_arch {net_arch}, {meta.get('activation', 'relu')}")


if __name__ == "__main__":
    main()
