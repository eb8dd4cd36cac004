"""deepq.make_vec as a Gymnasium 1.0 VectorEnv (next-step autoreset, seeds s + i, views of the C
arrays) and the SB3 VecEnv adapter's contract (same-step autoreset with terminal_observation)."""
import gymnasium as gym
import numpy as np
import pytest

import deepq
from deepq.sb3 import DeepQSB3VecEnv

CASES = [("CartPole-v1", {}), ("CartPole-v1", {"max_episode_steps": 15}), ("Acrobot-v1", {"max_episode_steps": 30}),
         ("Pendulum-v1", {"max_episode_steps": 12}), ("Taxi-v3", {"max_episode_steps": 9}),
         ("FrozenLake-v1", {}), ("CliffWalking-v0", {"max_episode_steps": 20, "is_slippery": True}),
         ("FlappyBird-v0", {"use_lidar": False}),
         # LunarLander's C batch steps envs in pairs (Box2D solves overlapped): same arrays
         ("LunarLander-v3", {"max_episode_steps": 70}),
         ("LunarLander-v3", {"max_episode_steps": 70, "continuous": True, "enable_wind": True})]


def _same_infos(a, b):
    """Batched info dicts equal: the same keys (and "_key" masks), arrays of the same dtype
    and values (Gymnasium's VectorEnv._add_info layout)."""
    assert a.keys() == b.keys(), (a.keys(), b.keys())
    for k in a:
        assert a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]), (k, a[k], b[k])


def _actions(space, t):
    space.seed(t)
    return space.sample()


@pytest.mark.parametrize("env_id,kw", CASES, ids=[f"{i}{k}" for i, k in CASES])
def test_equals_gymnasium_sync_vector_env(env_id, kw):
    """Gymnasium's own SyncVectorEnv over single deepq envs (its autoreset logic, its seeding
    s + i) and deepq's C vector env give identical arrays for the same seed and actions."""
    n = 5
    ours = deepq.make_vec(env_id, n, threads=2, **kw)
    ref = gym.vector.SyncVectorEnv([lambda: deepq.make(env_id, **kw) for _ in range(n)])
    o1, i1 = ours.reset(seed=11)
    o2, i2 = ref.reset(seed=11)
    _same_infos(i1, i2)
    assert ours.observation_space == ref.observation_space
    assert ours.action_space == ref.action_space
    np.testing.assert_array_equal(o1, o2)
    ends = 0
    for t in range(120):
        a = _actions(ref.action_space, t)
        o1, r1, t1, u1, i1 = ours.step(a)
        o2, r2, t2, u2, i2 = ref.step(a)
        _same_infos(i1, i2)
        np.testing.assert_array_equal(o1, o2)
        np.testing.assert_array_equal(r1, r2)
        np.testing.assert_array_equal(t1, t2)
        np.testing.assert_array_equal(u1, u2)
        assert o1.dtype == o2.dtype and r1.dtype == np.float64 and t1.dtype == np.bool_
        ends += int(np.sum(t1 | u1))
    assert ends > 0  # autoresets were exercised


@pytest.mark.parametrize("env_id", ["FrozenLake-v1", "Taxi-v3"])
def test_infos_equal_gymnasium_own_envs(env_id):
    """Batched infos equal those of SyncVectorEnv over Gymnasium's own envs, dtypes included:
    when env 0 restarts (its reset's int "prob") Gymnasium's int64 array truncates the other
    envs' 1/3 to 0, and deepq's batch does the same."""
    n = 5
    ours = deepq.make_vec(env_id, n, max_episode_steps=12)
    ref = gym.vector.SyncVectorEnv([lambda: gym.make(env_id, max_episode_steps=12)
                                    for _ in range(n)])
    _same_infos(ours.reset(seed=11)[1], ref.reset(seed=11)[1])
    quirks = 0
    for t in range(300):
        a = _actions(ref.action_space, t)
        i1, i2 = ours.step(a)[4], ref.step(a)[4]
        _same_infos(i1, i2)
        quirks += i2["prob"].dtype == np.int64
    assert env_id == "Taxi-v3" or quirks > 0  # the int64 case was exercised


def _cartpole_vector_pair(n, threads, **kw):
    """(deepq's, Gymnasium's) CartPole-v1 vector envs from gymnasium.make_vec's vector entry
    point (Gymnasium's is CartPoleVectorEnv: one generator for all envs)."""
    ours = gym.make_vec("deepq/CartPole-v1", n, vectorization_mode="vector_entry_point",
                        threads=threads, **kw)
    ref = gym.make_vec("CartPole-v1", n, vectorization_mode="vector_entry_point", **kw)
    assert type(ref.unwrapped).__name__ == "CartPoleVectorEnv"
    assert ours.unwrapped.shared_rng
    return ours, ref


@pytest.mark.parametrize("kw", [{}, {"max_episode_steps": 30}, {"sutton_barto_reward": True}],
                         ids=["default", "max30", "sutton"])
def test_equals_gymnasium_cartpole_vector_env(kw):
    """gymnasium.make_vec("CartPole-v1", n, vectorization_mode="vector_entry_point") and
    deepq's give identical arrays for the same seeds and actions: 12 seeds (6 with options), 1 to 67 envs, 1 or
    2 threads, 1100 steps each of random actions mixed with a balancing policy (long episodes
    and truncations at 500 steps), autoresets throughout, reset(seed=None) continuing the
    generator halfway. Rewards: Gymnasium's are float32, deepq's float64 (SyncVectorEnv's
    dtype); the values are compared."""
    rng = np.random.default_rng(2026)
    ends = truncs = resets = 0
    sizes = (1, 2, 3, 5, 8, 13, 16, 31, 32, 64, 67, 7)[:12 if not kw else 6]
    for seed, n in zip(range(100, 112), sizes):
        ours, ref = _cartpole_vector_pair(n, 1 + seed % 2, **kw)
        o1, _ = ours.reset(seed=seed)
        o2, _ = ref.reset(seed=seed)
        assert ours.observation_space == ref.observation_space
        assert ours.action_space == ref.action_space
        np.testing.assert_array_equal(o1, o2)
        balance = rng.random(n) < 0.5  # envs driven by the balancing policy (this run)
        for t in range(1100):
            if t == 550:  # no seed: Gymnasium's generator continues, so must ours
                o1, _ = ours.reset()
                o2, _ = ref.reset()
                np.testing.assert_array_equal(o1, o2)
                resets += 1
            pol = (o2[:, 2] + 0.5 * o2[:, 3] > 0).astype(np.int64)
            a = np.where(balance, pol, rng.integers(0, 2, n))
            o1, r1, t1, u1, _ = ours.step(a)
            o2, r2, t2, u2, _ = ref.step(a)
            assert o1.dtype == o2.dtype == np.float32
            np.testing.assert_array_equal(o1, o2)
            np.testing.assert_array_equal(r1, r2)
            np.testing.assert_array_equal(t1, t2)
            np.testing.assert_array_equal(u1, u2)
            ends += int(np.sum(t1 | u1))
            truncs += int(np.sum(u1))
        ours.close(), ref.close()
    assert ends > 300 and truncs > 5 and resets == len(sizes)  # autoresets and truncations happened


def test_shared_rng_only_cartpole():
    with pytest.raises(deepq.DeepQError, match="CartPole-v1 only"):
        deepq.make_vec("Acrobot-v1", 4, shared_rng=True)
    env = gym.make_vec("deepq/Acrobot-v1", 3, vectorization_mode="vector_entry_point")
    assert not env.unwrapped.shared_rng  # no Gymnasium vector env to follow: seeds s + i


def test_gymnasium_make_vec_entry_point():
    env = gym.make_vec("deepq/CartPole-v1", 8, vectorization_mode="vector_entry_point")
    assert isinstance(env.unwrapped, deepq.DeepQVectorEnv) and env.num_envs == 8
    obs, _ = env.reset(seed=0)
    assert obs.shape == (8, 4) and obs.dtype == np.float32


def test_next_step_autoreset():
    env = deepq.make_vec("CartPole-v1", 3, max_episode_steps=5, copy=True)
    env.reset(seed=0)
    for _ in range(4):
        _, r, term, trunc, _ = env.step(np.zeros(3, np.int64) + 1)
        assert not trunc.any()
    last, r, term, trunc, _ = env.step(np.ones(3, np.int64))
    assert trunc.all() and (r == 1).all()
    first, r, term, trunc, _ = env.step(np.ones(3, np.int64))  # actions ignored: a reset
    assert (r == 0).all() and not term.any() and not trunc.any()
    assert np.abs(first).max() <= 0.05 and not np.array_equal(first, last)


def test_no_copies_per_step_and_thread_independence():
    runs = []
    for threads in (1, 3):
        env = deepq.make_vec("CartPole-v1", 64, threads=threads)
        obs0, _ = env.reset(seed=5)
        acts = np.random.default_rng(1).integers(0, 2, (50, 64))
        out = []
        for a in acts:
            obs, rew, term, trunc, _ = env.step(a)
            assert np.shares_memory(obs, obs0)  # C wrote into the same NumPy array
            out.append(obs.copy())
        runs.append(np.stack(out))
    np.testing.assert_array_equal(runs[0], runs[1])


def test_bad_actions():
    env = deepq.make_vec("CartPole-v1", 4)
    env.reset(seed=0)
    with pytest.raises(deepq.DeepQError, match="out of range"):
        env.step(np.array([0, 1, 2, 0]))
    with pytest.raises(deepq.DeepQError, match="expected 4 actions"):
        env.step(np.array([0, 1]))


@pytest.mark.parametrize("env_id,n_act", [("CartPole-v1", 2), ("Taxi-v3", 6)])
def test_sb3_adapter_contract(env_id, n_act):
    """SB3's VecEnv rules: same-step autoreset, the true last observation in
    infos[i]["terminal_observation"], TimeLimit.truncated, Monitor-style episode stats, and the
    env's own info keys of the step (Taxi's prob and action_mask, even on the ending step)."""
    n = 4
    venv = DeepQSB3VecEnv(env_id, n, max_episode_steps=20)
    singles = [deepq.make(env_id, max_episode_steps=20) for _ in range(n)]
    venv.seed(3)
    obs = venv.reset()
    for i, e in enumerate(singles):
        np.testing.assert_array_equal(obs[i], e.reset(seed=3 + i)[0])
    rng = np.random.default_rng(0)
    ends = truncs = 0
    for t in range(100):
        a = rng.integers(0, n_act, n)
        obs, rew, done, infos = venv.step(a)
        assert rew.dtype == np.float32 and done.dtype == np.bool_ and len(infos) == n
        for i, e in enumerate(singles):
            o, r, term, trunc, info = e.step(int(a[i]))
            assert rew[i] == r and done[i] == (term or trunc)
            for k, v in info.items():
                assert np.array_equal(infos[i][k], v) and type(infos[i][k]) is type(v), (k, t)
            if term or trunc:
                ends += 1
                truncs += trunc
                np.testing.assert_array_equal(infos[i]["terminal_observation"], o)
                assert infos[i]["TimeLimit.truncated"] == (trunc and not term)
                assert infos[i]["episode"]["l"] == e.unwrapped._env.elapsed
                o, _ = e.reset()
            np.testing.assert_array_equal(obs[i], o)
    assert ends > 0 and truncs > 0
    assert venv.env_is_wrapped(object) == [False] * n
