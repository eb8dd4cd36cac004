"""cont.py — deepq's Q-learning with continuous (Box) actions (deepq/cont.h) from Python,
SB3-style: TD3, DDPG, NAF and SampledQ (the max over sampled actions, or CEM).

    model = deepq.TD3("Pendulum-v1", preset="zoo", seed=0)
    model.learn(20_000)
    action, _ = model.predict(obs)
    model.save("pendulum.safetensors")
    model = deepq.TD3.load("pendulum.safetensors")
    mean, std = model.evaluate(n_episodes=100)

The configuration is the CLI's (`deepq train ENV --algo td3`, deepq/cont_config.h): a preset
(`deepq`: deepq's tuned entries; `zoo`: RL-Zoo's published ones) or a YAML file, then keys
through the same key table, so the same seed gives the CLI's final.safetensors bytes. `env` is a
deepq env id (the whole loop runs in C with the GIL released; LunarLander-v3's presets set
continuous=true), a deepq env object, or any Gymnasium env with a Box action space (C calls back
into Python to step it). The agent is created at the first learn(), or by load()."""
import os

import numpy as np

from deepq._core import DeepQError, check
from deepq._ffi import ffi, lib
from deepq._learner import Learner, read_safetensors

__all__ = ["DDPG", "NAF", "TD3", "SampledQ", "load"]

_CONFIG_TABLE = (lib.dq_cont_config_apply_file, lib.dq_cont_config_apply_preset,
                 lib.dq_cont_config_set)


class ContinuousLearner(Learner):
    """The shared trainer of TD3, DDPG, NAF and SampledQ (their `algo` names the C agent).

    preset: "deepq" or "zoo" (None: SB3's defaults); config: a YAML file instead (RL-Zoo's
    td3.yml layout or a run's config.yml); seed: master seed; monitor_dir: write SB3's
    monitor.csv there; tensorboard_log: the CLI's TensorBoard scalars (rollout/ep_rew_mean,
    train/critic_loss, train/actor_loss, time/fps) every log_interval steps; verbose=1: a
    progress line at each log; keys: any config key (learning_rate=1e-3, net_arch=[64, 64],
    noise_type="normal", noise_std=0.2, train_freq=[1, "episode"], ...)."""

    algo = None

    def __init__(self, env, preset="deepq", config=None, seed=0, monitor_dir=None,
                 tensorboard_log=None, verbose=0, **keys):
        if self.algo is None:
            raise DeepQError("use deepq.TD3, deepq.DDPG, deepq.NAF or deepq.SampledQ")
        self._init_learner(env, monitor_dir, tensorboard_log, verbose)
        al = ffi.new("dq_cont_algo *")
        check(lib.dq_cont_algo_parse(self.algo.encode(), al, self._err), self._err)
        self._cfg = ffi.new("dq_cont_config *")
        lib.dq_cont_config_default(self._cfg, al[0])
        self._configure(self._cfg, _CONFIG_TABLE, config, preset, keys)
        if ffi.string(self._cfg.env_id).decode() != self.env_id:
            raise DeepQError(f"the config names env {ffi.string(self._cfg.env_id).decode()} but "
                             f"training was asked for {self.env_id}")
        self._def.seed = int(seed)

    @property
    def _def(self):
        return getattr(self._cfg, "def")  # dq_cont_config.def ("def" is a Python keyword)

    def _build(self):
        if self._agent is not None:
            return
        d = ffi.addressof(self._cfg, "def")
        check(lib.dq_cont_def_check(d, self._err), self._err)
        e = self._make_env(self._cfg.env_kwargs)
        if e.act_space.kind != lib.DQ_SPACE_BOX:
            raise DeepQError(f"{self.algo} needs a Box action space; {self.env_id} has Discrete "
                             "actions (use deepq.DQN)")
        self._c_env = e
        pp = ffi.new("dq_cont **")
        check(lib.dq_cont_create(pp, d, ffi.addressof(e.obs_space), ffi.addressof(e.act_space),
                                 self._err), self._err)
        self._agent = ffi.gc(pp[0], lib.dq_cont_destroy)
        self._obs_size = int(e.obs_space.size)
        self._act_size = int(e.act_space.size)

    def config_yaml(self):
        """Every resolved key as the flat YAML the CLI writes to config.yml."""
        return self._yaml_text(lib.dq_cont_config_to_yaml)

    # ---- learning --------------------------------------------------------------------------

    def learn(self, total_timesteps=None, callback=None):
        """Train until total_timesteps env steps (the config's n_timesteps if None); returns self.

        callback(info) is called after every episode with a dict (episode, length, return,
        total_steps, epsilon (0 here), terminated, truncated); returning False stops learning
        there. A later learn() call continues (up to the total set by the first call)."""
        return self._learn("cont", self._def, total_timesteps, callback)

    def _on_log(self, s):
        """The CLI's TensorBoard scalars (cli/cmd_cont.c) and, with verbose, a progress line."""
        fps = self._fps(s.step)
        rew = lib.dq_cont_ep_rew_mean(self._agent)
        tags = [(b"rollout/ep_rew_mean", rew)] if s.episodes > 0 else []
        if s.n_critic:
            tags.append((b"train/critic_loss", s.critic_loss))
        if s.n_actor:
            tags.append((b"train/actor_loss", s.actor_loss))
        line = (f"{s.step}/{int(self._def.n_timesteps)} | {fps:,.0f} steps/s | return(100) "
                f"{rew:.2f} | ep {s.episodes} | critic_loss {s.critic_loss:.4g} | actor_loss "
                f"{s.actor_loss:.4g} | updates {s.n_updates}")
        return self._write_log(s.step, fps, tags, line)

    # ---- acting, evaluating ----------------------------------------------------------------

    def _act(self, obs):
        """The policy's action (float64, env units) for one observation."""
        o = np.ascontiguousarray(obs, np.float32).reshape(-1)
        if o.size != self._obs_size:
            raise DeepQError(f"expected an observation of {self._obs_size} values, got {o.size}")
        a = np.empty(self._act_size, np.float64)
        lib.dq_cont_act(self._agent, ffi.from_buffer("float[]", o), ffi.from_buffer("double[]", a))
        return a

    def predict(self, observation, deterministic=True):
        """(action, None) as SB3: the policy's action in the env's Box units (float32), or an
        array of them for a batch of observations. As SB3's TD3/DDPG, the policy is
        deterministic (exploration noise is added only while learning); `deterministic` is
        accepted for compatibility. SampledQ draws its candidates from its evaluation stream."""
        self._build()
        obs = np.asarray(observation, np.float32)
        if obs.size == self._obs_size:
            return self._act(obs).astype(np.float32), None
        if obs.size % self._obs_size:
            raise DeepQError(f"expected an observation of {self._obs_size} values (or a batch "
                             f"of them), got {obs.size}")
        rows = obs.reshape(-1, self._obs_size)
        return np.stack([self._act(r) for r in rows]).astype(np.float32), None

    def evaluate(self, n_episodes=10, seed=1000000):
        """(mean, std) of the returns of n_episodes greedy episodes, the first reset with seed
        (the default is the CLI's final evaluation's: `deepq train`'s closing "final greedy eval
        over 100 episodes" is evaluate(100)). A deepq env id runs entirely in C on a fresh env;
        an env object is stepped from Python."""
        self._build()
        if self._env_obj is None:
            if self._eval_env is None:
                self._eval_env = self._make_env(self._cfg.env_kwargs)
            rets = np.zeros(n_episodes, np.float64)
            check(lib.dq_cont_evaluate(self._agent, self._eval_env, n_episodes, int(seed),
                                       ffi.from_buffer("double[]", rets), ffi.NULL, self._err),
                  self._err)
        else:
            rets = self._evaluate_python_env(n_episodes, int(seed), self._act)
        return float(rets.mean()), float(rets.std())

    @property
    def num_timesteps(self):
        return 0 if self._agent is None else int(lib.dq_cont_steps(self._agent))

    # ---- checkpoints -----------------------------------------------------------------------

    def save(self, path):
        """Write the CLI's checkpoint (safetensors in SB3's TD3Policy names: actor.mu.*,
        critic.qf<k>.*, their targets; NAF: naf.*; metadata algo, env_id, config_yaml)."""
        self._save_checkpoint(lib.dq_cont_save, path)

    @classmethod
    def load(cls, path, env=None):
        """The agent of a checkpoint written by save() or the CLI (final.safetensors, ...);
        deepq.cont.load(path) picks the class from the file. env: as for the constructor
        (default: the checkpoint's env id; its config_yaml carries the env kwargs)."""
        _, meta = read_safetensors(path)
        algo, env_id, cfg_yaml = meta.get("algo"), meta.get("env_id"), meta.get("config_yaml")
        if not (algo and env_id and cfg_yaml):
            raise DeepQError(f"{path} is not a deepq continuous-action checkpoint (no algo, "
                             "env_id or config_yaml metadata)")
        klass = _CLASSES.get(algo) if cls is ContinuousLearner else cls
        if klass is None or klass.algo != algo:
            raise DeepQError(f"{path} holds a {algo} agent, not {cls.algo or 'a known one'}")
        self = klass(env if env is not None else env_id, preset=None)
        check(lib.dq_cont_config_apply_yaml(self._cfg, cfg_yaml.encode(), os.fsencode(path),
                                            env_id.encode(), self._err), self._err)
        self._build()
        check(lib.dq_cont_load_weights(self._agent, os.fsencode(path), ffi.NULL, self._err),
              self._err)
        return self


class TD3(ContinuousLearner):
    """TD3 (Fujimoto et al. 2018): twin critics, target policy smoothing, delayed actor."""
    algo = "td3"


class DDPG(ContinuousLearner):
    """DDPG (Lillicrap et al. 2016): one critic, the actor as the critic's approximate argmax."""
    algo = "ddpg"


class NAF(ContinuousLearner):
    """NAF (Gu et al. 2016): Q = V(s) - 1/2 (a - mu(s))^T P(s) (a - mu(s)), maximised by mu."""
    algo = "naf"


class SampledQ(ContinuousLearner):
    """Q-learning with the max over sampled actions (n_samples uniform, or cem_iters of CEM)."""
    algo = "sampled"


_CLASSES = {k.algo: k for k in (TD3, DDPG, NAF, SampledQ)}


def load(path, env=None):
    """The continuous-action agent of a checkpoint, whichever algorithm wrote it."""
    return ContinuousLearner.load(path, env)
