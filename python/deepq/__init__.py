"""deepq — deep Q-learning in C, from Python.

    import deepq
    env = deepq.make("CartPole-v1")                  # a gymnasium.Env stepped in C
    venv = deepq.make_vec("CartPole-v1", 4096)       # a gymnasium.vector.VectorEnv
    model = deepq.DQN("CartPole-v1", preset="tutorial").learn(20_000)
    model = deepq.TD3("Pendulum-v1", preset="deepq").learn(15_000)   # also DDPG, NAF, SampledQ

Every built-in environment is also registered with Gymnasium as "deepq/<id>"
(gymnasium.make("deepq/CartPole-v1") after `import deepq`). See docs/PYTHON.md."""
from deepq._core import DeepQError, env_ids
from deepq.envs import DeepQEnv, make, register_envs
from deepq.vector import DeepQVectorEnv, make_vec
from deepq.dqn import DQN, presets
from deepq.cont import DDPG, NAF, TD3, SampledQ

__version__ = "0.1.0"
__all__ = ["DDPG", "DQN", "DeepQEnv", "DeepQError", "DeepQVectorEnv", "NAF", "SampledQ", "TD3",
           "env_ids", "make", "make_vec", "presets", "register_envs"]

register_envs()
