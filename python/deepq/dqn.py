"""dqn.py — deepq's DQN trainer (deepq/dqn.h) from Python, SB3-style.

    model = deepq.DQN("CartPole-v1", preset="tutorial", seed=0)
    model.learn(50_000)
    model.save("cartpole.safetensors")
    model = deepq.DQN.load("cartpole.safetensors")
    mean, std = model.evaluate(n_episodes=10)

The configuration is the CLI's (deepq/config.h): a preset (or a YAML file), then keys set
through the same key table as `deepq train --set key=value`, so the same seed gives the same
checkpoint bytes from the CLI and from Python. `env` is a deepq env id (the whole loop runs in C
with the GIL released) or any Gymnasium env object (C calls back into Python to step it).
The agent is created at the first learn() (its schedules need total_timesteps), or by load()."""
import os
import tempfile

import numpy as np

from deepq._core import DeepQError, check
from deepq._ffi import ffi, lib
from deepq._learner import Learner, read_safetensors
from deepq.envs import DeepQEnv

__all__ = ["DQN", "presets", "read_safetensors"]


def presets():
    """Names of the built-in presets (deepq, zoo, tutorial, ...)."""
    return [ffi.string(lib.dq_preset_name(i)).decode() for i in range(lib.dq_preset_count())]


class DQN(Learner):
    """Deep Q-Network on a deepq env id or a Gymnasium env (see the module docstring).

    preset: built-in hyperparameters (deepq.presets()); config: a YAML file instead (RL-Zoo's
    layout or a run's config.yml); seed: master seed; monitor_dir: write SB3's monitor.csv
    there; tensorboard_log: write the CLI's TensorBoard scalars (rollout/ep_rew_mean, ...,
    every log_interval steps) to that folder; verbose=1: print a progress line at each log;
    keys: any config key (learning_rate=1e-3, net_arch=[256, 256], ...)."""

    def __init__(self, env, preset="deepq", config=None, seed=0, monitor_dir=None,
                 tensorboard_log=None, verbose=0, **keys):
        self._init_learner(env, monitor_dir, tensorboard_log, verbose)
        self._cfg = ffi.new("dq_run_config *")
        lib.dq_run_config_default(self._cfg)
        self._configure(self._cfg, (lib.dq_config_apply_file, lib.dq_config_apply_preset,
                                    lib.dq_config_set), config, preset, keys)
        self._cfg.dqn.seed = int(seed)

    # ---- building --------------------------------------------------------------------------

    def _build(self):
        if self._agent is not None:
            return
        check(lib.dq_dqn_def_check(ffi.addressof(self._cfg.dqn), self._err), self._err)
        self._c_env = self._make_env(self._cfg.env_kwargs)
        pp = ffi.new("dq_dqn **")
        e = self._c_env
        check(lib.dq_dqn_create(pp, ffi.addressof(self._cfg.dqn), ffi.addressof(e.obs_space),
                                ffi.addressof(e.act_space), self._err), self._err)
        self._agent = ffi.gc(pp[0], lib.dq_dqn_destroy)
        self._n_act = int(e.act_space.n)
        self._obs_size = int(e.obs_space.size)
        self._obs_buf = np.zeros(self._obs_size, np.float32)

    def config_yaml(self):
        """Every resolved key as the flat YAML the CLI writes to config.yml."""
        return self._yaml_text(lib.dq_config_to_yaml)

    # ---- learning --------------------------------------------------------------------------

    def learn(self, total_timesteps=None, callback=None):
        """Train until total_timesteps env steps (the config's n_timesteps if None); returns self.

        callback(info) is called after every episode with a dict (episode, length, return,
        total_steps, epsilon, terminated, truncated); returning False stops learning there.
        A later learn() call continues (up to the total set by the first call)."""
        return self._learn("dqn", self._cfg.dqn, total_timesteps, callback)

    def _on_log(self, s):
        """The CLI's TensorBoard scalars and, with verbose, a progress line (cli/dqn_run.c)."""
        fps = self._fps(s.step)
        rew, length = lib.dq_dqn_ep_rew_mean(self._agent), lib.dq_dqn_ep_len_mean(self._agent)
        tags = [(b"rollout/ep_rew_mean", rew), (b"rollout/ep_len_mean", length)] \
            if s.episodes > 0 else []
        tags.append((b"rollout/exploration_rate", s.epsilon))
        if s.n:
            tags.append((b"train/loss", s.loss))
        line = (f"{s.step}/{int(self._cfg.dqn.n_timesteps)} | {fps:,.0f} steps/s | return(100) "
                f"{rew:.2f} | eps {s.epsilon:.3f} | ep {s.episodes}" +
                (f" | loss {s.loss:.4g}" if s.n else ""))
        return self._write_log(s.step, fps, tags, line)

    # ---- acting, evaluating ----------------------------------------------------------------

    def predict(self, observation, deterministic=True):
        """(action, None) as SB3: greedy (noisy layers: their mean weights, as evaluate() and a
        loaded checkpoint), or epsilon-greedy with the current exploration rate (and the
        current noise); a batch of observations gives an array of actions."""
        self._build()
        obs = np.asarray(observation, np.float32)
        batch = obs.reshape(-1, self._obs_size) if obs.size != self._obs_size else None
        rows = np.ascontiguousarray(batch if batch is not None else obs.reshape(1, -1))
        out = np.empty(len(rows), np.int64)
        if deterministic:
            lib.dq_dqn_greedy_mean(self._agent, ffi.cast("float *", rows.ctypes.data), len(rows),
                                   ffi.cast("int64_t *", out.ctypes.data), ffi.NULL)
        else:
            eps = float(lib.dq_dqn_epsilon(self._agent))
            for i, row in enumerate(rows):
                out[i] = lib.dq_dqn_act(self._agent, ffi.cast("float *", row.ctypes.data), eps)
        return (out if batch is not None else int(out[0])), None

    def q_values(self, observation):
        """Q-values of one observation from the online network (noisy layers: mean weights)."""
        self._build()
        obs = np.ascontiguousarray(observation, np.float32).reshape(-1)
        q = np.empty(self._n_act, np.float32)
        a = np.empty(1, np.int64)
        lib.dq_dqn_greedy_mean(self._agent, ffi.cast("float *", obs.ctypes.data), 1,
                               ffi.cast("int64_t *", a.ctypes.data),
                               ffi.cast("float *", q.ctypes.data))
        return q

    def evaluate(self, n_episodes=10, seed=None, deterministic=True):
        """(mean, std) of the returns of n_episodes episodes, as SB3's evaluate_policy.
        A deepq env id runs entirely in C (a fresh env, reset with seed on the first episode;
        default: the training seed + 1000003, as the CLI's evaluations); a Gymnasium env object
        is stepped from Python."""
        self._build()
        seed = int(self._cfg.dqn.seed) + 1000003 if seed is None else int(seed)
        if self._bridge is None:
            if self._eval_env is None:
                self._eval_env = self._make_env(self._cfg.env_kwargs) if self._env_obj is None else \
                    DeepQEnv(self.env_id)._env
            rets = np.zeros(n_episodes, np.float64)
            rng = ffi.new("dq_rng *")
            lib.dq_rng_seed(rng, seed)
            eps = 0.0 if deterministic else float(lib.dq_dqn_epsilon(self._agent))
            check(lib.dq_dqn_evaluate(self._agent, self._eval_env, n_episodes, eps, rng, seed,
                                      ffi.cast("double *", rets.ctypes.data), ffi.NULL,
                                      self._err), self._err)
        else:
            rets = self._evaluate_python_env(n_episodes, seed,
                                             lambda o: self.predict(o, deterministic)[0])
        return float(rets.mean()), float(rets.std())

    @property
    def num_timesteps(self):
        return 0 if self._agent is None else int(lib.dq_dqn_steps(self._agent))

    # ---- checkpoints -----------------------------------------------------------------------

    def save(self, path):
        """Write the CLI's checkpoint (safetensors: q_net.*, q_net_target.*, the config)."""
        self._save_checkpoint(lib.dq_dqn_save, path)

    @classmethod
    def load(cls, path, env=None):
        """An agent with the weights and configuration of a checkpoint written by save() or
        the CLI (final.safetensors, best.safetensors, ...). env: as for DQN() (default: the
        checkpoint's env id)."""
        _, meta = read_safetensors(path)
        if meta.get("format") != "deepq-dqn" or "config" not in meta:
            raise DeepQError(f"{path} is not a deepq DQN checkpoint (no deepq-dqn format/config "
                             "metadata)")
        cfg_yaml = meta["config"]
        env_id = next(ln.split(":", 1)[1].strip() for ln in cfg_yaml.splitlines()
                      if ln.startswith("env:"))
        self = cls(env if env is not None else env_id, preset=None)
        self._cfg.env_id = env_id.encode()  # apply_yaml keeps the file's env
        check(lib.dq_config_apply_yaml(self._cfg, cfg_yaml.encode(), os.fsencode(path),
                                       self._cfg.env_id, self._err), self._err)
        self._build()
        check(lib.dq_dqn_load_weights(self._agent, os.fsencode(path), ffi.NULL, self._err),
              self._err)
        return self

    def _checkpoint(self):
        """(tensors, config dict) of this agent as save() writes it."""
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "q.safetensors")
            self.save(p)
            tensors, meta = read_safetensors(p)
        return tensors, dict(ln.split(": ", 1) for ln in meta["config"].splitlines()
                             if ": " in ln)

    def mlp_layers(self):
        """The online Q-network's MLP as [(weight [out, in], bias [out], activation or None)],
        in order (activation: "relu"/"tanh" after hidden layers, None after the last). Its
        last layer gives the raw outputs that head() turns into Q-values (for a plain DQN they
        are the Q-values). Noisy agents: the mean weights mu, which the greedy policy uses."""
        tensors, cfg = self._checkpoint()
        idx = sorted(int(k.split(".")[1]) for k in tensors
                     if k.startswith("q_net.") and k.endswith(".weight"))
        act = cfg.get("activation_fn", "relu")
        return [(tensors[f"q_net.{i}.weight"].copy(), tensors[f"q_net.{i}.bias"].copy(),
                 act if n < len(idx) - 1 else None) for n, i in enumerate(idx)]

    def head(self):
        """How the MLP's raw outputs h become Q-values (deepq/heads.h), as a dict: n_actions A,
        dueling, distributional, atoms N (1 without C51), v_min, v_max. Dueling: h = [V(N) |
        A_0(N) | ... | A_{A-1}(N)], logits_a = V + A_a - mean_a A_a (per atom); C51: logits
        [A, N], Q_a = sum_j softmax(logits_a)_j z_j, z_j = v_min + j (v_max - v_min) / (N - 1)."""
        self._build()
        cfg = dict(ln.split(": ", 1) for ln in self.config_yaml().splitlines() if ": " in ln)
        dist = cfg["distributional"] == "true"
        return {"n_actions": self._n_act, "dueling": cfg["dueling"] == "true",
                "distributional": dist, "atoms": int(cfg["c51_atoms"]) if dist else 1,
                "v_min": float(cfg["v_min"]), "v_max": float(cfg["v_max"])}

    def q_from_layers(self, obs):
        """Q-values [B, A] of observations [B, obs_dim] computed in NumPy (float64) from
        mlp_layers() and head(): what to_torch() computes, without torch."""
        self._build()
        h = np.asarray(obs, np.float64).reshape(-1, self._obs_size)
        for w, b, act in self.mlp_layers():
            h = h @ w.astype(np.float64).T + b
            if act == "relu":
                h = np.maximum(h, 0.0)
            elif act == "tanh":
                h = np.tanh(h)
        hd = self.head()
        A, N = hd["n_actions"], hd["atoms"]
        if hd["dueling"]:
            v, adv = h[:, None, :N], h[:, N:].reshape(-1, A, N)
            h = (v + adv - adv.mean(axis=1, keepdims=True)).reshape(-1, A * N)
        if not hd["distributional"]:
            return h
        logits = h.reshape(-1, A, N)
        p = np.exp(logits - logits.max(axis=2, keepdims=True))
        p /= p.sum(axis=2, keepdims=True)
        return p @ np.linspace(hd["v_min"], hd["v_max"], N)

    def to_torch(self):
        """The online Q-network as a torch.nn.Sequential with the trained weights, mapping
        observations [B, obs_dim] to Q-values [B, A]: SB3's q_net layout (Linear, activation,
        ..., Linear), followed for dueling and C51 agents by a head module (deepq._torch:
        Dueling, then C51Expectation). Noisy agents: the mean weights, as the greedy policy.
        torch is imported here only."""
        import torch
        from torch import nn

        from deepq import _torch

        mods = []
        dtype = torch.float32
        for w, b, act in self.mlp_layers():
            dtype = torch.float64 if w.dtype == np.float64 else torch.float32
            lin = nn.Linear(w.shape[1], w.shape[0], dtype=dtype)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(w))
                lin.bias.copy_(torch.from_numpy(b))
            mods.append(lin)
            if act is not None:
                mods.append({"relu": nn.ReLU, "tanh": nn.Tanh}[act]())
        hd = self.head()
        if hd["dueling"]:
            mods.append(_torch.Dueling(hd["n_actions"], hd["atoms"]))
        if hd["distributional"]:
            mods.append(_torch.C51Expectation(hd["n_actions"], hd["atoms"], hd["v_min"],
                                              hd["v_max"], dtype=dtype))
        return nn.Sequential(*mods)
