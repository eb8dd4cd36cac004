"""deepq envs as gymnasium.Env: the env checker for every env and option set, spaces, seeding,
TimeLimit, rendering, and trajectories equal to Gymnasium's own envs."""
import warnings

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import deepq

# Every env with its default options, plus the option sets Gymnasium users pass.
CASES = [(i, {}) for i in deepq.env_ids()] + [
    ("CartPole-v1", {"sutton_barto_reward": True}),
    ("MountainCar-v0", {"goal_velocity": 0.01}),
    ("Pendulum-v1", {"g": 9.81}),
    ("FrozenLake-v1", {"is_slippery": False}),
    ("FrozenLake-v1", {"map_name": "8x8"}),
    ("FrozenLake-v1", {"desc": ["SFF", "FHF", "FFG"]}),
    ("CliffWalking-v0", {"is_slippery": True}),
    ("LunarLander-v3", {"continuous": True}),
    ("LunarLander-v3", {"enable_wind": True, "wind_power": 10.0}),
    ("FlappyBird-v0", {"use_lidar": False}),
    ("CartPole-v1", {"max_episode_steps": 50}),
]


@pytest.mark.parametrize("env_id,kwargs", CASES, ids=[f"{i}{k}" for i, k in CASES])
def test_check_env(env_id, kwargs):
    env = gym.make(f"deepq/{env_id}", **kwargs)  # PassiveEnvChecker included
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the checker's complaints are warnings: fail on them
        # ...except the one Gymnasium's own CartPole/Acrobot raise for their infinite bounds
        warnings.filterwarnings("ignore", message=".*infinity. This is probably too")
        # ...and the SB3 advice Gymnasium's Pendulum (Box(-2, 2) torque) gets as well
        warnings.filterwarnings("ignore", message=".*symmetric and normalized space")
        check_env(env.unwrapped, skip_render_check=True)
        obs, info = env.reset(seed=3)
        assert env.observation_space.contains(obs)
        for _ in range(20):
            obs, r, term, trunc, info = env.step(env.action_space.sample())
            if env_id == "FlappyBird-v0" and kwargs.get("use_lidar", True):
                # flappy-bird-gymnasium's own LIDAR distances exceed its Box(0, 1) by up to
                # 0.3% (its recordings in tests/fixtures hold 1.0021); deepq reproduces them
                assert obs.min() >= 0.0 and obs.max() < 1.01
            else:
                assert env.observation_space.contains(obs)
            assert isinstance(r, float) and isinstance(term, bool) and isinstance(trunc, bool)
            assert info == {}
            if term or trunc:
                obs, info = env.reset()
    env.close()


def test_registry_and_make():
    for i in deepq.env_ids():
        spec = gym.spec(f"deepq/{i}")
        assert spec.id == f"deepq/{i}"
    e = deepq.make("deepq/CartPole-v1")
    assert isinstance(e, gym.Env) and e.spec.max_episode_steps == 500
    assert e.spec.id == "deepq/CartPole-v1"
    with pytest.raises(deepq.DeepQError, match="unknown environment 'Nope-v0'"):
        deepq.make("Nope-v0")
    with pytest.raises(deepq.DeepQError, match="no option 'bogus'"):
        deepq.make("CartPole-v1", bogus=1)


def test_spaces_match_gymnasium():
    for i in ["CartPole-v1", "Acrobot-v1", "MountainCar-v0", "MountainCarContinuous-v0",
              "Pendulum-v1", "FrozenLake-v1", "Taxi-v3", "CliffWalking-v0"]:
        ours, ref = deepq.make(i), gym.make(i)
        assert ours.observation_space == ref.observation_space, i
        assert ours.action_space == ref.action_space, i
        assert ours.spec.max_episode_steps == ref.spec.max_episode_steps, i


@pytest.mark.parametrize("make", [lambda: deepq.make("CartPole-v1", max_episode_steps=30),
                                  lambda: gym.make("deepq/CartPole-v1", max_episode_steps=30)])
def test_time_limit_truncates(make):
    env = make()
    env.reset(seed=0)
    steps, term, trunc = 0, False, False
    while not (term or trunc):
        # alternate pushes keep the pole up far longer than 30 steps
        _, _, term, trunc, _ = env.step(steps % 2)
        steps += 1
    assert (steps, term, trunc) == (30, False, True)


def test_reset_seed_deterministic_and_step_after_end_fails():
    env = deepq.make("CartPole-v1")
    a = env.reset(seed=42)[0]
    env.step(0)
    assert np.array_equal(env.reset(seed=42)[0], a)
    assert not np.array_equal(env.reset(seed=43)[0], a)
    while not env.step(0)[2]:
        pass
    with pytest.raises(deepq.DeepQError, match="no episode in progress"):
        env.step(0)


def test_obs_is_a_fresh_array_each_step():
    env = deepq.make("CartPole-v1")
    o0, _ = env.reset(seed=0)
    o1 = env.step(1)[0]
    assert o0 is not o1 and not np.array_equal(o0, o1)


def test_rgb_array_frames():
    for i, hw in [("CartPole-v1", (400, 600)), ("LunarLander-v3", (400, 600))]:
        env = gym.make(f"deepq/{i}", render_mode="rgb_array")
        env.reset(seed=0)
        f = env.render()
        assert f.dtype == np.uint8 and f.shape == (*hw, 3)
        assert f.std() > 0  # something is drawn
        env.step(env.action_space.sample())
        assert not np.array_equal(env.render(), f) or i == "LunarLander-v3"
    txt = deepq.make("FrozenLake-v1", render_mode="ansi")
    txt.reset(seed=0)
    assert "SFFF" in txt.render().replace("\x1b[41m", "").replace("\x1b[0m", "")
    with pytest.raises(deepq.DeepQError, match="render_mode 'human' not supported"):
        deepq.make("CartPole-v1", render_mode="human")


# Envs whose C state is Gymnasium's env.unwrapped.state, with how close deepq promises to be:
# classic control with golden recordings is bit-exact (docs/ENVIRONMENTS.md); the continuous
# ones have no golden file and compute in float64 where Gymnasium mixes float32 in (their
# drift over 1000 steps stays below 1e-4).
STATE_ENVS = {"CartPole-v1": 0.0, "Acrobot-v1": 0.0, "MountainCar-v0": 0.0,
              "MountainCarContinuous-v0": 1e-4, "Pendulum-v1": 1e-4}


@pytest.mark.parametrize("env_id", STATE_ENVS)
def test_trajectories_equal_gymnasium(env_id):
    """Same start state (copied from Gymnasium's reset(seed=)) and same actions -> the same
    observations, rewards and flags (bit for bit for the exact envs), over several episodes."""
    tol = STATE_ENVS[env_id]
    ours, ref = deepq.make(env_id), gym.make(env_id)
    ref.action_space.seed(0)
    steps = 0
    for ep in range(6):
        ref_obs, _ = ref.reset(seed=100 + ep)
        ours.reset(seed=100 + ep)
        obs = ours.set_state(np.asarray(ref.unwrapped.state, np.float64))
        assert np.array_equal(obs, ref_obs)
        done = False
        while not done:
            a = ref.action_space.sample()
            o1, r1, t1, u1, _ = ours.step(a)
            o2, r2, t2, u2, _ = ref.step(a)
            if tol == 0.0:
                assert np.array_equal(o1, o2) and float(r1) == float(r2), (env_id, steps)
            else:
                np.testing.assert_allclose(o1, o2, rtol=tol, atol=tol)
                assert abs(float(r1) - float(r2)) <= tol * (1 + abs(float(r2))), (env_id, steps)
            assert (t1, u1) == (t2, u2), (env_id, steps)
            done = t1 or u1
            steps += 1
    assert steps > 100
