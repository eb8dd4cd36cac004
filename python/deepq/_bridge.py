"""_bridge.py — a Python (Gymnasium) env as a C dq_env, so deepq's C training loop can step it.

The dq_env_type's init/reset/step are cffi `extern "Python"` functions: C calls them with the
GIL re-acquired. The state struct C allocates for the env holds one int64, the handle of the
PyEnvBridge in _BRIDGES. Gymnasium's own truncation (a TimeLimit wrapper, an env's duration
limit) is passed to C by ending the dq_env's time limit at that step: dq_env computes
`truncated` only from max_episode_steps, and the bridge resets it to 0 (none) at every reset.
Exceptions raised by the Python env end the episode and are re-raised by DQN.learn."""
import itertools

import numpy as np
from gymnasium import spaces

from deepq._core import DeepQError, check
from deepq._ffi import ffi, lib

_BRIDGES = {}
_IDS = itertools.count(1)
_OPTIONS = [ffi.new("char[]", b"handle"), ffi.NULL]
_OPTIONS_ARR = ffi.new("const char *[]", _OPTIONS)


def _fill_space(dst, space, what):
    if isinstance(space, spaces.Discrete):
        if int(space.start) != 0:
            raise DeepQError(f"{what} space {space}: deepq needs Discrete spaces starting at 0")
        dst.kind, dst.n, dst.ndim, dst.size, dst.dtype = lib.DQ_SPACE_DISCRETE, int(space.n), 0, 1, lib.DQ_I64
        return
    if not isinstance(space, spaces.Box):
        raise DeepQError(f"{what} space {space}: deepq handles Box and Discrete spaces")
    size = int(np.prod(space.shape))
    if size > lib.DQ_SPACE_MAX:
        raise DeepQError(f"{what} space {space}: more than {lib.DQ_SPACE_MAX} elements")
    dst.kind, dst.n, dst.ndim, dst.size = lib.DQ_SPACE_BOX, 0, 1, size
    dst.shape[0] = size
    dst.dtype = lib.DQ_F64 if space.dtype == np.float64 else lib.DQ_F32
    lo, hi = space.low.astype(np.float64).ravel(), space.high.astype(np.float64).ravel()
    for i in range(size):
        dst.low[i], dst.high[i] = lo[i], hi[i]


class PyEnvBridge:
    """Owns a dq_env whose steps call the Gymnasium env `env`."""

    def __init__(self, env):
        self.env = env
        self.error = None
        self.handle = next(_IDS)
        self.obs_size = int(np.prod(env.observation_space.shape))
        self.discrete_act = isinstance(env.action_space, spaces.Discrete)
        spec = getattr(env, "spec", None)
        self.id = (spec.id if spec is not None else type(env).__name__).encode()
        t = ffi.new("dq_env_type *")
        self._id_c = ffi.new("char[]", self.id)
        t.id = self._id_c
        t.summary = ffi.NULL
        t.max_episode_steps = 0
        t.reward_threshold = float("nan")
        t.options = _OPTIONS_ARR
        t.state_size = 8
        t.init, t.reset, t.step = lib.py_env_init, lib.py_env_reset, lib.py_env_step
        self._type = t
        _BRIDGES[self.handle] = self
        err = ffi.new("dq_error *")
        pp = ffi.new("dq_env **")
        try:
            check(lib.dq_env_make_type(t, f"handle={self.handle}".encode(), pp, err), err)
        except DeepQError:
            if self.error is not None:
                raise self.error
            raise
        self.c_env = ffi.gc(pp[0], lib.dq_env_free)

    def close(self):
        _BRIDGES.pop(self.handle, None)

    def write_obs(self, dst, obs):
        o = np.ascontiguousarray(obs, np.float32).reshape(-1)
        ffi.memmove(dst, ffi.from_buffer(o), 4 * self.obs_size)


def _bridge(st):
    return _BRIDGES[ffi.cast("int64_t *", st)[0]]


@ffi.def_extern()
def py_env_init(st, kw, obs_space, act_space, err):
    h = ffi.new("int64_t *")
    lib.dq_kwargs_int(kw, b"handle", h, err)
    ffi.cast("int64_t *", st)[0] = h[0]
    b = _BRIDGES[h[0]]
    try:
        _fill_space(obs_space, b.env.observation_space, "observation")
        _fill_space(act_space, b.env.action_space, "action")
    except DeepQError as e:
        b.error = e
        return lib.DQ_EINVAL
    return lib.DQ_OK


@ffi.def_extern()
def py_env_reset(st, rnd, obs):
    b = _bridge(st)
    b.c_env.max_episode_steps = 0
    # the seed comes from the dq_env's own stream: a seeded dq_env gives the same episodes
    seed = int(lib.dq_env_rand_int(rnd, 0, 2**31 - 1))
    try:
        o, _ = b.env.reset(seed=seed)
        b.write_obs(obs, o)
    except Exception as e:  # noqa: BLE001 — re-raised by DQN.learn
        b.error = b.error or e
        ffi.memmove(obs, bytes(4 * b.obs_size), 4 * b.obs_size)


@ffi.def_extern()
def py_env_step(st, rnd, action, caction, obs, reward, terminated):
    b = _bridge(st)
    try:
        a = int(action) if b.discrete_act else np.frombuffer(
            ffi.buffer(caction, 8 * b.c_env.act_space.size), np.float64).copy()
        o, r, term, trunc, _ = b.env.step(a)
        b.write_obs(obs, o)
        reward[0] = float(r)
        terminated[0] = bool(term)
        if trunc and not term:  # let dq_env report truncated at this step (see the top)
            b.c_env.max_episode_steps = int(b.c_env.elapsed) + 1
    except Exception as e:  # noqa: BLE001 — re-raised by DQN.learn
        b.error = b.error or e
        reward[0] = 0.0
        terminated[0] = True
