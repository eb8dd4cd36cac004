"""_learner.py — what deepq.DQN and the continuous-action learners (deepq.TD3, ...) share: the
env (a deepq id, a deepq env object, or any Gymnasium env stepped from C through _bridge), the
per-episode record and user callback, SB3's monitor.csv, the TensorBoard writer, and the
greedy evaluation of a Python env. The C learn loops call back into Python through the
`extern "Python"` functions at the bottom, which find the learner by the user pointer."""
import json
import os
import struct
import time

import numpy as np

from deepq import _bridge
from deepq._core import DeepQError, check
from deepq._ffi import ffi, lib
from deepq.envs import DeepQEnv

_RUNS = {}  # id(learner) -> learner, during learn() (the callbacks' user pointer)


def yaml_value(v):
    """A Python value as the YAML text the config tables read (as `--set key=value`)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(yaml_value(x) for x in v) + "]"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def read_safetensors(path):
    """(tensors {name: ndarray}, metadata {str: str}) of a safetensors file."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    meta = header.pop("__metadata__", {}) or {}
    dt = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "U8": np.uint8}
    tensors = {k: np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]],
                                dt[v["dtype"]]).reshape(v["shape"]) for k, v in header.items()}
    return tensors, meta


class Learner:
    """Base of the trainers: env handling, episode record, monitor.csv and TensorBoard."""

    _monitor = None
    _cb_error = None

    def _init_learner(self, env, monitor_dir, tensorboard_log, verbose):
        self._err = ffi.new("dq_error *")
        self._bridge = None
        self._env_obj = None
        self._c_env = None
        self._eval_env = None
        self._agent = None
        if isinstance(env, str):
            self.env_id = env[len("deepq/"):] if env.startswith("deepq/") else env
            if lib.dq_env_find(self.env_id.encode()) == ffi.NULL:
                raise DeepQError(f"unknown deepq environment '{env}'; pass a Gymnasium env "
                                 "object to train on any other env")
        elif isinstance(getattr(env, "unwrapped", None), DeepQEnv) and env is env.unwrapped:
            self.env_id = env.env_id
            self._env_obj = env
        else:
            self._bridge = _bridge.PyEnvBridge(env)
            self.env_id = self._bridge.id.decode()
            self._env_obj = env
        self.monitor_dir = monitor_dir
        self.tensorboard_log = tensorboard_log
        self.verbose = verbose
        self._tb = None
        self._last_log = None
        self._callback = None
        self._t0 = None
        self.episodes = []  # (return, length, time since the first learn()) per episode

    def _configure(self, cfg, table, config, preset, keys):
        """Fill cfg as the CLI does: its env id, then a YAML file or a preset, then each key
        through the config table. table: that config's (apply_file, apply_preset, set)."""
        apply_file, apply_preset, set_key = table
        name = self.env_id.encode()
        cfg.env_id = name
        if config is not None:
            check(apply_file(cfg, os.fsencode(config), name, self._err), self._err)
        elif preset is not None:
            check(apply_preset(cfg, preset.encode(), name, self._err), self._err)
        for k, v in keys.items():
            check(set_key(cfg, k.encode(), yaml_value(v).encode(), self._err), self._err)

    def _yaml_text(self, to_yaml):
        """The resolved config as the flat YAML the CLI writes (to_yaml: the C writer)."""
        p = ffi.new("char **")
        check(to_yaml(self._cfg, p, self._err), self._err)
        try:
            return ffi.string(p[0]).decode()
        finally:
            lib.free(p[0])

    def _save_checkpoint(self, c_save, path):
        """c_save(agent, path, meta): the CLI's checkpoint with env id, kwargs and config."""
        self._build()
        meta = ffi.new("dq_dqn_meta *")
        keep = [ffi.new("char[]", ffi.string(self._cfg.env_id)),
                ffi.new("char[]", ffi.string(self._cfg.env_kwargs)),
                ffi.new("char[]", self.config_yaml().encode())]
        meta.env_id, meta.env_kwargs, meta.config_yaml = keep
        check(c_save(self._agent, os.fsencode(path), meta, self._err), self._err)

    def _make_env(self, kwargs):
        """The training env as a dq_env (kwargs: the config's env_kwargs char array)."""
        if self._bridge is not None:
            return self._bridge.c_env
        if self._env_obj is not None:
            return self._env_obj._env
        pp = ffi.new("dq_env **")
        check(lib.dq_env_make(self.env_id.encode(), kwargs if kwargs[0] != b"\0" else ffi.NULL,
                              pp, self._err), self._err)
        return ffi.gc(pp[0], lib.dq_env_free)

    def _learn(self, kind, d, total_timesteps, callback):
        """learn() of both trainers: kind "dqn" or "cont" names the C loop (dq_<kind>_learn)
        and its callbacks; d is the def holding n_timesteps, fixed when the agent is built."""
        if total_timesteps is not None and self._agent is None:
            d.n_timesteps = int(total_timesteps)
        self._build()
        if total_timesteps is not None and int(total_timesteps) > int(d.n_timesteps):
            raise DeepQError(f"this agent was made for n_timesteps = {d.n_timesteps} (its "
                             f"schedules use it); create a new {type(self).__name__} to train "
                             "longer")
        cb = ffi.new(f"dq_{kind}_callbacks *")
        cb.on_episode = getattr(lib, f"py_{kind}_on_episode")
        if self.tensorboard_log is not None or self.verbose:
            cb.on_log = getattr(lib, f"py_{kind}_on_log")
        c_learn = getattr(lib, f"dq_{kind}_learn")
        return self._run_learn(callback, lambda c: c_learn(self._agent, self._c_env, c,
                                                            self._err), cb)

    def _run_learn(self, callback, c_learn, callbacks):
        """Open the logs at the first call, run c_learn(callbacks) (a C learn loop that calls
        back through _RUNS), then re-raise what the env or the callback raised."""
        self._callback = callback
        if self._t0 is None:
            self._t0 = time.time()
            if self.monitor_dir is not None:
                self._open_monitor()
            if self.tensorboard_log is not None:
                pp = ffi.new("dq_tb_writer **")
                check(lib.dq_tb_writer_create(pp, os.fsencode(self.tensorboard_log), self._err),
                      self._err)
                self._tb = ffi.gc(pp[0], lib.dq_tb_writer_destroy)
        self._last_log = (time.time(), self.num_timesteps)
        key = id(self)
        _RUNS[key] = self
        callbacks.user = ffi.cast("void *", key)
        try:
            st = c_learn(callbacks)
        finally:
            _RUNS.pop(key, None)
            if self._monitor is not None:
                self._monitor.flush()
        if self._bridge is not None and self._bridge.error is not None:
            e, self._bridge.error = self._bridge.error, None
            raise e
        if self._cb_error is not None:
            e, self._cb_error = self._cb_error, None
            raise e
        check(st, self._err)
        return self

    def _open_monitor(self):
        """SB3's Monitor CSV: `#{json}` header line, then r,l,t rows (monitor.csv)."""
        os.makedirs(self.monitor_dir, exist_ok=True)
        self._monitor = open(os.path.join(self.monitor_dir, "monitor.csv"), "w")
        self._monitor.write("#" + json.dumps({"t_start": self._t0, "env_id": self.env_id}) + "\n")
        self._monitor.write("r,l,t\n")

    def _on_episode(self, ep):
        t = round(time.time() - self._t0, 6)
        self.episodes.append((ep.ret, int(ep.length), t))
        if self._monitor is not None:
            self._monitor.write(f"{ep.ret:.6g},{int(ep.length)},{t}\n")
        if self._bridge is not None and self._bridge.error is not None:
            return 1
        if self._callback is not None:
            info = {"episode": int(ep.episode), "length": int(ep.length), "return": ep.ret,
                    "total_steps": int(ep.total_steps), "epsilon": ep.epsilon,
                    "terminated": bool(ep.terminated), "truncated": bool(ep.truncated)}
            try:
                if self._callback(info) is False:
                    return 1
            except Exception as e:  # noqa: BLE001 — re-raised by learn
                self._cb_error = e
                return 1
        return 0

    def _fps(self, step):
        """Env steps per second since the last log."""
        t = time.time()
        fps = (step - self._last_log[1]) / max(t - self._last_log[0], 1e-9)
        self._last_log = (t, step)
        return fps

    def _write_log(self, step, fps, tags, line):
        """The TensorBoard scalars (tags plus time/fps) and, with verbose, the progress line;
        1 (stop) on a write error, kept for learn() to raise."""
        if self._tb is not None:
            for tag, v in tags + [(b"time/fps", fps)]:
                if lib.dq_tb_writer_scalar(self._tb, tag, v, step, -1.0, self._err):
                    self._cb_error = DeepQError(ffi.string(self._err.msg).decode())
                    return 1
        if self.verbose:
            print(line, flush=True)
        return 0

    def _evaluate_python_env(self, n_episodes, seed, act):
        """Returns of n_episodes episodes of the Python env object, actions from act(obs)."""
        env, rets = self._env_obj, []
        for k in range(n_episodes):
            obs, _ = env.reset(seed=seed if k == 0 else None)
            total, done = 0.0, False
            while not done:
                obs, r, term, trunc, _ = env.step(act(obs))
                total += float(r)
                done = term or trunc
            rets.append(total)
        return np.asarray(rets)


def _dispatch(method):
    """A C callback (user, agent, arg) that calls method(arg) of the learner behind user."""
    def callback(user, ag, arg):
        run = _RUNS.get(int(ffi.cast("intptr_t", user)))
        return 0 if run is None else getattr(run, method)(arg)
    return callback


for _kind in ("dqn", "cont"):  # the `extern "Python"` callbacks of dq_dqn_learn, dq_cont_learn
    ffi.def_extern(name=f"py_{_kind}_on_episode")(_dispatch("_on_episode"))
    ffi.def_extern(name=f"py_{_kind}_on_log")(_dispatch("_on_log"))
