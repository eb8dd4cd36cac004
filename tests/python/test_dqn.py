"""deepq.DQN from Python: the same checkpoint bytes as the CLI for the same seed, save/load,
predict/evaluate, training on a Python Gymnasium env (truncation, errors, callbacks), SB3's
monitor.csv, and the exported MLP."""
import json
import os
import subprocess

import gymnasium as gym
import numpy as np
import pytest

import deepq
from conftest import CLI


def test_same_checkpoint_bytes_as_cli(tmp_path):
    run = tmp_path / "cli"
    subprocess.run([CLI, "train", "CartPole-v1", "--preset", "tutorial", "--seed", "3",
                    "--steps", "3000", "--out", str(run), "--final-episodes", "0"],
                   check=True, capture_output=True)
    model = deepq.DQN("CartPole-v1", preset="tutorial", seed=3).learn(3000)
    model.save(tmp_path / "py.safetensors")
    assert (tmp_path / "py.safetensors").read_bytes() == (run / "final.safetensors").read_bytes()
    assert model.config_yaml() == (run / "config.yml").read_text()
    # and a checkpoint the CLI wrote loads into Python
    loaded = deepq.DQN.load(run / "final.safetensors")
    obs = np.random.default_rng(0).normal(size=(20, 4)).astype(np.float32)
    np.testing.assert_array_equal(loaded.predict(obs)[0], model.predict(obs)[0])


def test_keys_go_through_the_config_table(tmp_path):
    m = deepq.DQN("CartPole-v1", preset="zoo", learning_rate=5e-4, net_arch=[32, 16],
                  double_q=True)
    y = m.config_yaml()
    assert "learning_rate: 0.00050000000000000001" in y and "net_arch: [32, 16]" in y
    assert "double_q: true" in y and "preset: zoo" in y
    with pytest.raises(deepq.DeepQError, match="learning_rat"):
        deepq.DQN("CartPole-v1", learning_rat=1)
    with pytest.raises(deepq.DeepQError, match="unknown deepq environment"):
        deepq.DQN("Nope-v0")
    assert "tutorial" in deepq.presets()


def test_save_load_predict_evaluate(tmp_path):
    m = deepq.DQN("CartPole-v1", preset="tutorial", seed=1).learn(2000)
    m.save(tmp_path / "a.safetensors")
    l = deepq.DQN.load(tmp_path / "a.safetensors")
    obs = np.random.default_rng(1).normal(size=(50, 4)).astype(np.float32)
    np.testing.assert_array_equal(l.predict(obs)[0], m.predict(obs)[0])
    np.testing.assert_array_equal(l.q_values(obs[0]), m.q_values(obs[0]))
    assert isinstance(m.predict(obs[0])[0], int)
    assert l.evaluate(4, seed=5) == m.evaluate(4, seed=5)
    with pytest.raises(deepq.DeepQError, match="not a deepq DQN checkpoint"):
        bad = tmp_path / "bad.safetensors"
        hdr = json.dumps({"__metadata__": {"format": "x"}}).encode()
        bad.write_bytes(len(hdr).to_bytes(8, "little") + hdr)
        deepq.DQN.load(bad)


def test_exported_mlp_computes_the_q_values():
    m = deepq.DQN("CartPole-v1", preset="tutorial", seed=2).learn(1500)
    layers = m.mlp_layers()
    assert [w.shape for w, _, _ in layers] == [(64, 4), (64, 64), (2, 64)]
    assert [a for _, _, a in layers] == ["relu", "relu", None]
    x = np.array([0.01, -0.2, 0.03, 0.1], np.float32)
    h = x.astype(np.float64)
    for w, b, act in layers:
        h = w.astype(np.float64) @ h + b
        h = np.maximum(h, 0) if act == "relu" else h
    np.testing.assert_allclose(h, m.q_values(x), rtol=1e-5, atol=1e-5)


def test_learns_on_a_python_gymnasium_env():
    """Gymnasium's own CartPole, stepped from Python by the C loop, is learned (seconds)."""
    env = gym.make("CartPole-v1")
    m = deepq.DQN(env, preset="tutorial", seed=0).learn(12000)
    mean, _ = m.evaluate(5, seed=0)
    assert mean > 150, mean


def test_python_env_truncation_callback_and_errors():
    eps = []
    m = deepq.DQN(gym.make("CartPole-v1", max_episode_steps=7), preset="tutorial", seed=1)
    m.learn(300, callback=lambda i: eps.append((i["length"], i["truncated"], i["terminated"])))
    assert eps[0] == (7, True, False) and all(length <= 7 for length, _, _ in eps)
    # a callback returning False stops learning at that episode
    m2 = deepq.DQN("CartPole-v1", preset="tutorial", seed=1)
    m2.learn(5000, callback=lambda i: i["episode"] < 3)
    assert len(m2.episodes) == 3 and m2.num_timesteps < 5000

    class Broken(gym.Wrapper):
        def step(self, action):
            if self.unwrapped._elapsed_steps_seen > 5:
                raise ValueError("env exploded")
            self.unwrapped._elapsed_steps_seen += 1
            return self.env.step(action)
    inner = gym.make("CartPole-v1")
    inner.unwrapped._elapsed_steps_seen = 0
    with pytest.raises(ValueError, match="env exploded"):
        deepq.DQN(Broken(inner), preset="tutorial").learn(1000)


def test_monitor_csv(tmp_path):
    """SB3's Monitor format: `#{json}` with t_start, then r,l,t rows, one per episode."""
    m = deepq.DQN("CartPole-v1", preset="tutorial", seed=0, monitor_dir=tmp_path)
    m.learn(1500)
    lines = (tmp_path / "monitor.csv").read_text().splitlines()
    head = json.loads(lines[0][1:])
    assert lines[0][0] == "#" and "t_start" in head and head["env_id"] == "CartPole-v1"
    assert lines[1] == "r,l,t"
    rows = [ln.split(",") for ln in lines[2:]]
    assert len(rows) == len(m.episodes) > 10
    assert sum(int(r[1]) for r in rows) <= 1500
    assert [float(r[0]) for r in rows] == [e[0] for e in m.episodes]


def test_tensorboard_and_progress(tmp_path, capsys):
    """The CLI's TensorBoard tags every log_interval steps, and a progress line with verbose."""
    m = deepq.DQN("CartPole-v1", preset="tutorial", seed=0, tensorboard_log=tmp_path / "tb",
                  verbose=1, log_interval=500)
    m.learn(2000)
    files = list((tmp_path / "tb").iterdir())
    assert len(files) == 1 and files[0].name.startswith("events.out.tfevents.")
    data = files[0].read_bytes()
    for tag in (b"rollout/ep_rew_mean", b"rollout/exploration_rate", b"train/loss", b"time/fps"):
        assert tag in data
    lines = [ln for ln in capsys.readouterr().out.splitlines() if "steps/s" in ln]
    assert len(lines) == 4 and lines[-1].startswith("2000/2000 |")


def _load_results(folder):
    """stable_baselines3.common.monitor.load_results without pandas: every *monitor.csv in the
    folder, `#` + JSON header, CSV with r,l,t, t += t_start, sorted by t, minus the smallest
    t_start (SB3 2.x, read for the format)."""
    rows, starts = [], []
    for name in sorted(os.listdir(folder)):
        if not name.endswith("monitor.csv"):
            continue
        with open(os.path.join(folder, name)) as f:
            first = f.readline()
            assert first[0] == "#"
            head = json.loads(first[1:])
            starts.append(head["t_start"])
            assert f.readline().strip() == "r,l,t"
            for line in f:
                r, l, t = line.strip().split(",")
                rows.append((float(r), int(l), float(t) + head["t_start"], head))
    assert starts, f"no *monitor.csv in {folder}"
    rows.sort(key=lambda x: x[2])
    return [(r, l, t - min(starts), h) for r, l, t, h in rows]


def test_cli_monitor_csv_reads_as_sb3(tmp_path):
    """The CLI's run folder monitor.csv loads the way SB3's load_results reads it, with
    episodes.csv's returns and lengths in order, t since the start, and the env id."""
    run = tmp_path / "run"
    subprocess.run([CLI, "train", "CartPole-v1", "--preset", "tutorial", "--seed", "2",
                    "--steps", "1500", "--final-episodes", "1", "--out", str(run)],
                   check=True, capture_output=True)
    got = _load_results(run)
    eps = [ln.split(",") for ln in (run / "episodes.csv").read_text().splitlines()[1:]]
    assert len(got) == len(eps) > 10
    assert [(round(r, 6), l) for r, l, _, _ in got] == [(round(float(e[2]), 6), int(e[1])) for e in eps]
    assert got[0][3]["env_id"] == "CartPole-v1" and got[0][3]["t_start"] > 1.6e9
    ts = [t for _, _, t, _ in got]
    assert ts == sorted(ts) and 0 <= ts[0] and ts[-1] < 600


HEADS = [{}, {"dueling": True}, {"distributional": True}, {"noisy": True},
         {"dueling": True, "distributional": True, "noisy": True},
         {"distributional": True, "c51_atoms": 11, "v_min": -3.0, "v_max": 40.0}]


@pytest.mark.parametrize("keys", HEADS, ids=["plain", "dueling", "c51", "noisy", "rainbow", "c51-11"])
def test_layers_and_head_compute_the_q_values(keys):
    """mlp_layers() + head() (what to_torch() builds) give deepq's own Q-values and greedy
    actions on random observations, for every head; noisy agents export their mean weights
    (deepq's greedy policy), so the exported Q-values do not depend on the current noise."""
    m = deepq.DQN("CartPole-v1", preset="deepq", seed=4, net_arch=[32, 16], learning_starts=100,
                  **keys).learn(1500)
    hd = m.head()
    assert hd["dueling"] == keys.get("dueling", False)
    assert hd["atoms"] == (keys.get("c51_atoms", 51) if keys.get("distributional") else 1)
    out = m.mlp_layers()[-1][0].shape[0]
    assert out == (hd["dueling"] + 2) * hd["atoms"]  # (1 + A) N with dueling, else A N
    obs = np.random.default_rng(7).normal(0, 1, (200, 4)).astype(np.float32)
    q = m.q_from_layers(obs)
    ref = np.stack([m.q_values(o) for o in obs])
    assert q.shape == (200, 2)
    np.testing.assert_allclose(q, ref, rtol=1e-4, atol=1e-4)
    clear = np.abs(ref[:, 0] - ref[:, 1]) > 1e-3  # ties within float32 noise may flip
    np.testing.assert_array_equal(q.argmax(1)[clear], m.predict(obs)[0][clear])
    assert clear.mean() > 0.9
