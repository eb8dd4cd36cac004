"""sb3.py — deepq's C vector env as a Stable-Baselines3 VecEnv (SB3's same-step autoreset:
the step that ends an episode returns the next episode's first observation, and the true last
one in infos[i]["terminal_observation"]).

stable_baselines3 is imported only when present: the adapter subclasses its VecEnv then, and a
plain class with the same methods otherwise (so the contract is testable without torch)."""
import numpy as np

from deepq._ffi import ffi
from deepq.envs import info_dict
from deepq.vector import CVecEnv

try:
    from stable_baselines3.common.vec_env.base_vec_env import VecEnv as _Base
except ImportError:  # SB3 (and torch) absent: same interface, no SB3 base class
    _Base = object


class DeepQSB3VecEnv(_Base):
    """num_envs deepq envs for SB3 algorithms: `DQN("MlpPolicy", DeepQSB3VecEnv("CartPole-v1", 8))`.

    infos carry the env's own keys of the step (toy text "prob", Taxi "action_mask", FlappyBird
    "score"), then SB3's: "terminal_observation", "TimeLimit.truncated", and "episode"
    {"r", "l"} as SB3's Monitor adds them, so ep_rew_mean is logged without a VecMonitor."""

    def __init__(self, id, num_envs=1, threads=1, **kwargs):
        self._c = CVecEnv(id, num_envs, threads=threads, next_step=False, **kwargs)
        self._env_id = id
        self._info = self._c.v.infos if self._c.v.infos != ffi.NULL else None
        obs_space, act_space = self._c.single_observation_space, self._c.single_action_space
        self.render_mode = None  # before SB3's __init__, which warns when it is missing
        if _Base is not object:
            super().__init__(num_envs, obs_space, act_space)
        else:
            self.num_envs, self.observation_space, self.action_space = num_envs, obs_space, act_space
            self._seeds = [None] * num_envs
        self._actions = None

    def seed(self, seed=None):
        """Seed for the next reset: env i gets seed + i."""
        self._seeds = [None if seed is None else seed + i for i in range(self.num_envs)]
        return self._seeds

    def reset(self):
        s = self._seeds[0] if self._seeds else None
        self._c.reset(s)
        self._seeds = [None] * self.num_envs
        return self._c.obs().copy()

    def step_async(self, actions):
        self._actions = actions

    def step_wait(self):
        c = self._c
        c.step(self._actions)
        obs = c.obs().copy()
        done = c.terminated | c.truncated
        if self._info is None:
            infos = [{} for _ in range(self.num_envs)]
        else:  # the env's own keys of this step (taken in C before the same-step reset)
            infos = [info_dict(self._info[i], self._env_id, False) for i in range(self.num_envs)]
        final = c.as_obs(c.final_raw)
        for i in np.flatnonzero(done):
            infos[i].update({"terminal_observation": final[i].copy(),
                             "TimeLimit.truncated": bool(c.truncated[i] and not c.terminated[i]),
                             "episode": {"r": float(c.ep_return[i]), "l": int(c.ep_length[i])}})
        return obs, c.rewards.astype(np.float32), done, infos

    def step(self, actions):
        self.step_async(actions)
        return self.step_wait()

    def close(self):
        self._c = None

    def get_attr(self, attr_name, indices=None):
        return [getattr(self, attr_name)] * len(self._indices(indices))

    def set_attr(self, attr_name, value, indices=None):
        setattr(self, attr_name, value)

    def env_method(self, method_name, *args, indices=None, **kwargs):
        raise AttributeError(f"deepq vector envs have no per-env method {method_name}")

    def env_is_wrapped(self, wrapper_class, indices=None):
        return [False] * len(self._indices(indices))

    def get_images(self):
        return [None] * self.num_envs

    def _indices(self, indices):
        if indices is None:
            return range(self.num_envs)
        return [indices] if isinstance(indices, int) else list(indices)
