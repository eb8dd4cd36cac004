"""envs.py — deepq's C environments as gymnasium.Env, and their Gymnasium registration.

DeepQEnv owns one dq_env (deepq/env.h). Observations are written by C into a buffer this object
owns and handed out as a fresh NumPy array each step (Gymnasium's envs do the same, so a caller
may keep them). deepq.make() returns the bare env with the TimeLimit computed in C (no Python
wrappers: the fastest path); gymnasium.make("deepq/<id>") builds the env without a C time limit
and lets Gymnasium add its usual wrappers (TimeLimit, OrderEnforcing, PassiveEnvChecker) exactly
as for its own registered envs."""
import gymnasium
import numpy as np
from gymnasium.envs.registration import EnvSpec

from deepq._core import DeepQError, check, env_ids, kwargs_text, np_dtype, to_gym_space
from deepq._ffi import ffi, lib

NAMESPACE = "deepq"


def reset_prob_is_int(env_id):
    """Gymnasium's FrozenLake and CliffWalking reset with {"prob": 1} (an int), Taxi with 1.0."""
    return env_id != "Taxi-v3"


def info_dict(c, env_id, after_reset):
    """Gymnasium's info dict from a filled dq_info (c) of env env_id after a reset
    (after_reset) or a step."""
    out = {}
    if c.has & lib.DQ_INFO_PROB:
        out["prob"] = 1 if after_reset and reset_prob_is_int(env_id) else float(c.prob)
    if c.has & lib.DQ_INFO_ACTION_MASK:
        out["action_mask"] = np.frombuffer(ffi.buffer(c.action_mask, c.n_mask), np.int8).copy()
    if c.has & lib.DQ_INFO_SCORE:
        out["score"] = int(c.score)
    return out


class DeepQEnv(gymnasium.Env):
    """One deepq environment (a built-in Gymnasium id) as a gymnasium.Env.

    kwargs are the env's options as given to gym.make (e.g. continuous=True for LunarLander,
    max_episode_steps=N for the TimeLimit computed in C; 0 = none)."""

    def __init__(self, id, render_mode=None, **kwargs):
        t = lib.dq_env_find(id.encode())
        if t == ffi.NULL:
            raise DeepQError(f"unknown environment '{id}' (known: {', '.join(env_ids())})")
        self.env_id = id
        self._err = ffi.new("dq_error *")
        self._env_pp = ffi.new("dq_env **")
        check(lib.dq_env_make(id.encode(), kwargs_text(kwargs).encode(), self._env_pp, self._err),
              self._err)
        self._env = ffi.gc(self._env_pp[0], lib.dq_env_free)
        e = self._env
        self.observation_space = to_gym_space(e.obs_space)
        self.action_space = to_gym_space(e.act_space)
        self._discrete_obs = e.obs_space.kind == lib.DQ_SPACE_DISCRETE
        self._discrete_act = e.act_space.kind == lib.DQ_SPACE_DISCRETE
        self._obs = np.zeros(e.obs_space.size, np.float32)
        self._obs_p = ffi.cast("float *", self._obs.ctypes.data)
        self._obs_shape = self.observation_space.shape
        self._obs_dtype = None if self._discrete_obs else np_dtype(e.obs_space.dtype)
        self._step = ffi.new("dq_step *")
        # Gymnasium's info keys where the env has any (toy text, FlappyBird): read from C after
        # each reset and step; the other envs skip the call (their info is {})
        self._info = ffi.new("dq_info *") if t.info != ffi.NULL else None
        self._act = np.zeros(e.act_space.size, np.float64)
        self._act_p = ffi.cast("double *", self._act.ctypes.data)
        modes = ["rgb_array"] if lib.dq_render_supported(id.encode()) else []
        if self._discrete_obs:
            modes.append("ansi")
        self.metadata = {"render_modes": modes, "render_fps": int(t.render_fps)}
        if render_mode is not None and render_mode not in modes:
            raise DeepQError(f"{id}: render_mode '{render_mode}' not supported (supported: "
                             f"{', '.join(modes) or 'none'})")
        self.render_mode = render_mode
        self._renderer = None
        self.reward_range = (-float("inf"), float("inf"))

    def _observation(self):
        if self._discrete_obs:
            return int(self._obs[0])
        if self._obs_dtype is np.float32:
            return self._obs.reshape(self._obs_shape).copy()
        return self._obs.reshape(self._obs_shape).astype(self._obs_dtype)

    def info(self, after_reset=False):
        """Gymnasium's info dict of the last reset (after_reset) or step."""
        if self._info is None:
            return {}
        lib.dq_env_info(self._env, self._info)
        return info_dict(self._info, self.env_id, after_reset)

    def reset(self, *, seed=None, options=None):
        """Start an episode; seed reseeds the env's stream (Gymnasium's reset(seed=))."""
        super().reset(seed=seed)
        lib.dq_env_reset(self._env, -1 if seed is None else int(seed), self._obs_p)
        return self._observation(), self.info(after_reset=True)

    def step(self, action):
        """Advance one step: (obs, reward, terminated, truncated, info)."""
        if self._discrete_act:
            st = lib.dq_env_step(self._env, int(action), self._obs_p, self._step, self._err)
        else:
            self._act[:] = np.asarray(action, np.float64).reshape(-1)
            st = lib.dq_env_step_cont(self._env, self._act_p, self._obs_p, self._step, self._err)
        if st != lib.DQ_OK:
            raise DeepQError(ffi.string(self._err.msg).decode())
        s = self._step
        return (self._observation(), s.reward, s.terminated, s.truncated,
                {} if self._info is None else self.info())

    def render(self):
        """An HxWx3 uint8 frame (render_mode="rgb_array") or the ANSI text (toy-text envs)."""
        if self.render_mode == "rgb_array":
            if self._renderer is None:
                pp = ffi.new("dq_renderer **")
                check(lib.dq_renderer_create(self._env, pp, self._err), self._err)
                self._renderer = ffi.gc(pp[0], lib.dq_renderer_destroy)
            r = self._renderer
            frame = np.empty((lib.dq_renderer_height(r), lib.dq_renderer_width(r), 3), np.uint8)
            check(lib.dq_render_frame(self._env, r, ffi.cast("uint8_t *", frame.ctypes.data),
                                      self._err), self._err)
            return frame
        if self.render_mode == "ansi":
            buf = ffi.new("char[]", 4096)
            check(lib.dq_env_render_text(self._env, buf, 4096, self._err), self._err)
            return ffi.string(buf).decode()
        return None

    def get_state(self):
        """The env's internal state as float64 (Gymnasium's env.unwrapped.state), or None."""
        buf = ffi.new("double[]", 256)
        n = lib.dq_env_get_state(self._env, buf, 256)
        return None if n < 0 else np.frombuffer(ffi.buffer(buf, 8 * n), np.float64).copy()

    def set_state(self, state):
        """Set the internal state (as get_state returns it); returns the matching observation."""
        s = np.ascontiguousarray(state, np.float64)
        check(lib.dq_env_set_state(self._env, ffi.cast("double *", s.ctypes.data), s.size,
                                   self._obs_p, self._err), self._err)
        return self._observation()

    def close(self):
        self._renderer = None


def _max_steps(id):
    n = lib.dq_env_find(id.encode()).max_episode_steps
    return int(n) if n > 0 else None


def make(id, render_mode=None, **kwargs):
    """A deepq env by Gymnasium id ("CartPole-v1" or "deepq/CartPole-v1"), TimeLimit in C."""
    if id.startswith(NAMESPACE + "/"):
        id = id[len(NAMESPACE) + 1:]
    env = DeepQEnv(id, render_mode=render_mode, **kwargs)
    env.spec = EnvSpec(f"{NAMESPACE}/{id}", entry_point=_entry,
                       max_episode_steps=kwargs.get("max_episode_steps", _max_steps(id)),
                       kwargs={"id": id, **kwargs})
    return env


def _entry(id, render_mode=None, **kwargs):
    """gymnasium.make's entry point: the C time limit off, Gymnasium's TimeLimit wrapper on."""
    kwargs.setdefault("max_episode_steps", 0)
    return DeepQEnv(id, render_mode=render_mode, **kwargs)


def register_envs():
    """Register every built-in env as "deepq/<id>" with Gymnasium (done by `import deepq`)."""
    for id in env_ids():
        name = f"{NAMESPACE}/{id}"
        if name in gymnasium.registry:
            continue
        t = lib.dq_env_find(id.encode())
        thr = float(t.reward_threshold)
        gymnasium.register(name, entry_point=_entry, kwargs={"id": id},
                           vector_entry_point="deepq.vector:_vector_entry",
                           max_episode_steps=_max_steps(id),
                           reward_threshold=None if thr != thr else thr)
