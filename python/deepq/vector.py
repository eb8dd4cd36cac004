"""vector.py — N deepq envs stepped together in C (deepq/vecenv.h) as a
gymnasium.vector.VectorEnv with Gymnasium 1.0's next-step autoreset.

C writes observations, rewards and flags into arrays it owns; this class hands out NumPy views
of them, so a step copies nothing (the arrays are rewritten in place by the next step: pass
copy=True, or copy what you keep). The C step runs with the GIL released (cffi), on `threads`
threads; results never depend on the thread count.

Seeding: by default env i is seeded with seed + i, as Gymnasium's SyncVectorEnv over single envs.
shared_rng=True (CartPole-v1 only) draws every env's start state from one generator in
Gymnasium's CartPoleVectorEnv order, so the arrays equal those of
gymnasium.make_vec("CartPole-v1", n, vectorization_mode="vector_entry_point"); the vector entry
point registered for "deepq/CartPole-v1" turns it on."""
import gymnasium
import numpy as np
from gymnasium.vector.utils import batch_space

from deepq._core import DeepQError, check, env_ids, kwargs_text, np_dtype, to_gym_space
from deepq._ffi import ffi, lib
from deepq.envs import reset_prob_is_int


# dq_info (deepq/env.h) as a NumPy structured dtype, offsets from the compiled struct
_INFO = np.dtype({"names": ["has", "prob", "score", "n_mask", "action_mask"],
                  "formats": [np.uint32, np.float64, np.int64, np.int32, (np.int8, 8)],
                  "offsets": [ffi.offsetof("dq_info", f)
                              for f in ("has", "prob", "score", "n_mask", "action_mask")],
                  "itemsize": ffi.sizeof("dq_info")})


def _view(ptr, n, dtype, shape):
    """NumPy array over C memory (no copy); valid while the owning vecenv lives."""
    return np.frombuffer(ffi.buffer(ptr, n * np.dtype(dtype).itemsize), dtype).reshape(shape)


class CVecEnv:
    """The dq_vecenv and NumPy views of its arrays (shared by the Gymnasium and SB3 classes)."""

    def __init__(self, id, num_envs, threads=1, next_step=True, shared_rng=False, **kwargs):
        if lib.dq_env_find(id.encode()) == ffi.NULL:
            raise DeepQError(f"unknown environment '{id}' (known: {', '.join(env_ids())})")
        d = lib.dq_vecenv_def_default()
        d.n, d.threads, d.autoreset_next_step = int(num_envs), int(threads), bool(next_step)
        d.shared_rng = bool(shared_rng)
        self.err = ffi.new("dq_error *")
        pp = ffi.new("dq_vecenv **")
        dp = ffi.new("dq_vecenv_def *", d)
        check(lib.dq_vecenv_create(id.encode(), kwargs_text(kwargs).encode(), dp, pp, self.err),
              self.err)
        self.v = ffi.gc(pp[0], lib.dq_vecenv_destroy)
        v, n = self.v, int(num_envs)
        self.n = n
        self.single_observation_space = to_gym_space(v.obs_space)
        self.single_action_space = to_gym_space(v.act_space)
        self.discrete_act = v.act_space.kind == lib.DQ_SPACE_DISCRETE
        self.discrete_obs = v.obs_space.kind == lib.DQ_SPACE_DISCRETE
        shape = (n,) + (() if self.discrete_obs else self.single_observation_space.shape)
        od = int(v.obs_dim)
        self.obs_raw = _view(v.obs, n * od, np.float32, (n, od))
        self.final_raw = _view(v.final_obs, n * od, np.float32, (n, od))
        self.obs_shape = shape
        self.obs_dtype = np.int64 if self.discrete_obs else np_dtype(v.obs_space.dtype)
        self.obs_view = self.obs_raw.reshape(shape)  # the batch as returned, for float32 spaces
        self.rewards = _view(v.rewards, n, np.float64, (n,))
        self.terminated = _view(v.terminated, n, np.bool_, (n,))
        self.truncated = _view(v.truncated, n, np.bool_, (n,))
        self.ep_return = _view(v.ep_return, n, np.float64, (n,))
        self.ep_length = _view(v.ep_length, n, np.int64, (n,))
        self.act_dim = int(v.act_dim)
        self.max_episode_steps = int(v.max_episode_steps)

    def as_obs(self, raw):
        """raw [n, obs_dim] float32 as the space's batch: a view when the dtype is float32."""
        if self.obs_dtype is np.float32:
            return raw.reshape(self.obs_shape)
        return raw.reshape(self.obs_shape).astype(self.obs_dtype)

    def reset(self, seed):
        lib.dq_vecenv_reset(self.v, -1 if seed is None else int(seed))

    def step(self, actions):
        # The hot path of make_vec: a 256-env CartPole step is ~3.5 us of C, so the Python
        # around it is kept to a few operations (no reshape: from_buffer takes any contiguous
        # array; a.ctypes.data alone would cost ~0.8 us).
        if self.discrete_act:
            a = np.ascontiguousarray(actions, np.int64)
            if a.size != self.n:
                raise DeepQError(f"expected {self.n} actions, got {a.size}")
            st = lib.dq_vecenv_step(self.v, ffi.from_buffer("int64_t[]", a), ffi.NULL, self.err)
        else:
            a = np.ascontiguousarray(actions, np.float64)
            if a.size != self.n * self.act_dim:
                raise DeepQError(f"expected {self.n} x {self.act_dim} actions, got {a.size}")
            st = lib.dq_vecenv_step(self.v, ffi.NULL, ffi.from_buffer("double[]", a), self.err)
        if st:
            check(st, self.err)

    def obs(self):
        """The current observation batch (a view of the C array for float32 spaces)."""
        return self.obs_view if self.obs_dtype is np.float32 else self.as_obs(self.obs_raw)


class DeepQVectorEnv(gymnasium.vector.VectorEnv):
    """num_envs copies of a deepq env as a Gymnasium 1.0 VectorEnv (next-step autoreset).

    reset(seed=s) seeds env i with s + i, as Gymnasium's SyncVectorEnv does, or with
    shared_rng=True (CartPole-v1) one generator with s, as Gymnasium's CartPoleVectorEnv does.
    copy=False (the default) returns views of the C arrays, rewritten by the next step."""

    def __init__(self, id, num_envs, threads=1, copy=False, shared_rng=False, **kwargs):
        self._c = CVecEnv(id, num_envs, threads=threads, next_step=True, shared_rng=shared_rng,
                          **kwargs)
        self.shared_rng = bool(shared_rng)
        self.num_envs = int(num_envs)
        self.single_observation_space = self._c.single_observation_space
        self.single_action_space = self._c.single_action_space
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.metadata = {"autoreset_mode": "NextStep"}
        try:  # Gymnasium >= 1.1 names the mode with an enum
            from gymnasium.vector import AutoresetMode
            self.metadata["autoreset_mode"] = AutoresetMode.NEXT_STEP
        except ImportError:
            pass
        self.env_id = id
        self.copy = copy
        self.spec = None
        # envs with Gymnasium info keys (toy text, FlappyBird: C fills v.infos): infos as
        # SyncVectorEnv builds them; the envs that restart on a step report their reset's info
        self._has_info = self._c.v.infos != ffi.NULL
        if self._has_info:
            self._info_raw = _view(self._c.v.infos, self.num_envs * _INFO.itemsize, np.uint8,
                                   (self.num_envs * _INFO.itemsize,)).view(_INFO)
        self._restarting = np.zeros(self.num_envs, np.bool_)

    def reset(self, *, seed=None, options=None):
        """Reset every env: env i with seed + i, or the shared generator with seed (seed=None
        continues the streams)."""
        if isinstance(seed, (list, tuple)) and self.shared_rng:
            raise DeepQError("a vector env with shared_rng=True takes one seed (its generator's)")
        if isinstance(seed, (list, tuple)):
            if list(seed) != list(range(seed[0], seed[0] + self.num_envs)):
                raise DeepQError("deepq vector envs take one seed s (env i gets s + i) or a "
                                 "list [s, s+1, ...]")
            seed = seed[0]
        if seed is not None:
            self._np_random, self._np_random_seed = gymnasium.utils.seeding.np_random(seed)
        self._c.reset(seed)
        obs = self._c.obs()
        self._restarting[:] = False
        infos = self._infos(np.ones(self.num_envs, np.bool_)) if self._has_info else {}
        return (obs.copy() if self.copy else obs), infos

    def _infos(self, after_reset):
        """The envs' info dicts batched as Gymnasium's VectorEnv._add_info batches them (every
        env has the same keys: each key's array, and "_key" all true), read with NumPy from
        the dq_info array C fills. _add_info takes a key's dtype from env 0's value: when env 0
        reports a reset's int "prob" (FrozenLake, CliffWalking), the array is int64 and the
        other envs' probabilities are truncated into it, as Gymnasium's are."""
        n, raw = self.num_envs, self._info_raw
        has, infos = int(raw["has"][0]), {}
        if has & lib.DQ_INFO_PROB:
            int_first = bool(after_reset[0]) and reset_prob_is_int(self.env_id)
            prob = raw["prob"]  # 1.0 after a reset
            infos["prob"] = prob.astype(np.int64) if int_first else prob.copy()
            infos["_prob"] = np.ones(n, np.bool_)
        if has & lib.DQ_INFO_ACTION_MASK:
            infos["action_mask"] = raw["action_mask"][:, :int(raw["n_mask"][0])].copy()
            infos["_action_mask"] = np.ones(n, np.bool_)
        if has & lib.DQ_INFO_SCORE:
            infos["score"] = raw["score"].copy()
            infos["_score"] = np.ones(n, np.bool_)
        return infos

    def step(self, actions):
        """(obs, rewards, terminations, truncations, infos) of all envs; an env that ended on
        the previous step is reset instead (its action ignored, reward 0, flags false)."""
        c = self._c
        c.step(actions)
        infos = {}
        if self._has_info:
            infos = self._infos(self._restarting)
            np.logical_or(c.terminated, c.truncated, out=self._restarting)
        if self.copy:
            return (c.obs().copy(), c.rewards.copy(), c.terminated.copy(), c.truncated.copy(),
                    infos)
        return c.obs(), c.rewards, c.terminated, c.truncated, infos

    def close_extras(self, **kwargs):
        self._c = None


def make_vec(id, num_envs=1, threads=1, copy=False, shared_rng=False, **kwargs):
    """A DeepQVectorEnv of num_envs copies of env id ("CartPole-v1" or "deepq/CartPole-v1").
    shared_rng=True: one generator for all envs, as Gymnasium's CartPoleVectorEnv (CartPole-v1
    only)."""
    if id.startswith("deepq/"):
        id = id[len("deepq/"):]
    return DeepQVectorEnv(id, num_envs, threads=threads, copy=copy, shared_rng=shared_rng,
                          **kwargs)


# Gymnasium 1.0's NumPy vector entry points (its other ones, phys2d/*, are JAX functional envs):
# gymnasium.make_vec(id, n, vectorization_mode="vector_entry_point") builds these, and
# "deepq/<id>" then seeds as they do.
_GYM_VECTOR_SHARED_RNG = {"CartPole-v1"}  # CartPoleVectorEnv: one generator for the batch


def _vector_entry(id, num_envs=1, **kwargs):
    """gymnasium.make_vec(..., vectorization_mode="vector_entry_point")'s entry point: for
    CartPole-v1 the arrays of Gymnasium's own vector entry point (CartPoleVectorEnv), for the
    other envs (which have none in Gymnasium) those of its SyncVectorEnv (seeds s + i)."""
    kwargs.pop("render_mode", None)
    kwargs.setdefault("shared_rng", id in _GYM_VECTOR_SHARED_RNG)
    return make_vec(id, num_envs, **kwargs)
