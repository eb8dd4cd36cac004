"""The continuous-action trainers (deepq.TD3, DDPG, NAF, SampledQ): the CLI's checkpoint bytes
and final evaluation from the same seed, save/load/predict, a Python Gymnasium env with the
callback, monitor.csv and TensorBoard, learning on Pendulum, and the errors."""
import subprocess

import gymnasium as gym
import numpy as np
import pytest

import deepq
import deepq.cont
from conftest import CLI


def test_same_checkpoint_bytes_and_final_eval_as_cli(tmp_path):
    out = tmp_path / "cli"
    res = subprocess.run([CLI, "train", "Pendulum-v1", "--algo", "td3", "--preset", "deepq",
                          "--seed", "3", "--steps", "3000", "--out", str(out)],
                         check=True, capture_output=True, text=True)
    m = deepq.TD3("Pendulum-v1", preset="deepq", seed=3).learn(3000)
    m.save(tmp_path / "py.safetensors")
    assert (tmp_path / "py.safetensors").read_bytes() == (out / "final.safetensors").read_bytes()
    mean, std = m.evaluate(100)
    line = next(ln for ln in res.stdout.splitlines() if ln.startswith("final greedy eval"))
    assert f"{mean:.2f} +- {std:.2f}" in line


@pytest.mark.parametrize("cls", [deepq.TD3, deepq.DDPG, deepq.NAF, deepq.SampledQ])
def test_save_load_predict_evaluate(tmp_path, cls):
    m = cls("Pendulum-v1", preset="deepq", seed=1, net_arch=[32, 32]).learn(1200)
    assert m.num_timesteps == 1200 and len(m.episodes) == 6
    path = tmp_path / "agent.safetensors"
    m.save(path)
    back = deepq.cont.load(path)
    assert type(back) is cls
    obs = np.random.default_rng(0).uniform(-1, 1, (5, 3)).astype(np.float32)
    a, _ = m.predict(obs)
    assert a.shape == (5, 1) and a.dtype == np.float32
    assert np.all(np.abs(a) <= 2.0)  # Pendulum's Box(-2, 2)
    if cls is not deepq.SampledQ:  # SampledQ draws its candidates: equal in law, not in bits
        assert np.array_equal(back.predict(obs)[0], a)
        assert back.evaluate(3) == m.evaluate(3)
    other = deepq.DDPG if cls is not deepq.DDPG else deepq.TD3
    with pytest.raises(deepq.DeepQError, match="holds a"):
        other.load(path)


def test_python_env_callback_monitor_tensorboard(tmp_path):
    seen = []
    m = deepq.DDPG(gym.make("Pendulum-v1"), preset="deepq", seed=0, monitor_dir=tmp_path / "mon",
                   tensorboard_log=tmp_path / "tb", log_interval=200, learning_starts=100)
    m.learn(1000, callback=lambda info: seen.append(info))
    assert [i["length"] for i in seen] == [200] * 5 and all(i["truncated"] for i in seen)
    assert [i["episode"] for i in seen] == [1, 2, 3, 4, 5]
    assert [i["total_steps"] for i in seen] == [200, 400, 600, 800, 1000]
    rows = (tmp_path / "mon" / "monitor.csv").read_text().splitlines()
    assert rows[0].startswith("#{") and rows[1] == "r,l,t" and len(rows) == 7
    events = b"".join(p.read_bytes() for p in (tmp_path / "tb").rglob("*tfevents*"))
    for tag in (b"train/critic_loss", b"train/actor_loss", b"rollout/ep_rew_mean"):
        assert tag in events
    mean, _ = m.evaluate(2, seed=5)
    assert np.isfinite(mean)
    stop = deepq.TD3("Pendulum-v1", preset="deepq", seed=0)
    stop.learn(2000, callback=lambda info: info["episode"] < 3)
    assert stop.num_timesteps == 600  # stopped after the third episode


def test_td3_learns_pendulum():
    m = deepq.TD3("Pendulum-v1", preset="deepq", seed=0).learn(8000)
    mean, _ = m.evaluate(20)
    assert mean > -400.0  # random: about -1200; measured -150.5 (seeds 1, 2: -157.6, -154.9)


def test_errors():
    with pytest.raises(deepq.DeepQError, match="Box action space"):
        deepq.TD3("CartPole-v1", preset=None).learn(10)
    with pytest.raises(deepq.DeepQError, match="unknown key 'bogus'"):
        deepq.TD3("Pendulum-v1", bogus=1)
    with pytest.raises(deepq.DeepQError, match="unknown deepq environment"):
        deepq.NAF("NoSuchEnv-v0")
    with pytest.raises(deepq.DeepQError, match="use deepq.TD3"):
        deepq.cont.ContinuousLearner("Pendulum-v1")
    m = deepq.TD3("Pendulum-v1", preset="deepq").learn(300)
    with pytest.raises(deepq.DeepQError, match="train longer"):
        m.learn(600)
    with pytest.raises(deepq.DeepQError, match="observation of 3"):
        m.predict(np.zeros(4))
