"""The SB3 zip of `deepq export --format sb3` (tests/fixtures/export_cp_sb3.zip, written by
tools/export_sb3.py from tests/fixtures/export_cp.safetensors; remake with
tests/ref/make_export_sb3.sh), checked without torch: it has SB3's entries, its policy.pth holds
deepq's tensors under SB3's names (read with zipfile + pickle as tools/export_check.py does), the
`data` entry carries the checkpoint's hyperparameters, and its Q-values on 10^4 env observations
match deepq's within 1e-5 with the same greedy actions. Loading it with SB3 itself and
evaluate_policy on Gymnasium are recorded in docs/EXPORT.md (torch is not a test dependency)."""
import json
import os
import pathlib
import subprocess
import sys
import zipfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import export_check  # noqa: E402
import export_sb3  # noqa: E402

DEEPQ = os.environ.get("DEEPQ_CLI", str(ROOT / "build" / "deepq"))
CKPT = ROOT / "tests" / "fixtures" / "export_cp.safetensors"
ZIP = ROOT / "tests" / "fixtures" / "export_cp_sb3.zip"


def test_zip_entries_are_sb3s():
    names = set(zipfile.ZipFile(ZIP).namelist())
    assert names == {"data", "policy.pth", "policy.optimizer.pth", "pytorch_variables.pth",
                     "_stable_baselines3_version", "system_info.txt"}


def test_policy_holds_deepq_tensors_under_sb3_names():
    meta, tensors = export_sb3.read_safetensors(CKPT)
    sd = export_check.sb3_state_dict(ZIP)
    assert len(sd) == 12  # 3 layers x (weight, bias) x (online, target)
    for k, v in sd.items():
        net, _, rest = k.partition(".q_net.")
        assert np.array_equal(v, tensors[f"{net}.{rest}"]), k


def test_data_has_the_checkpoint_hyperparameters():
    meta, _ = export_sb3.read_safetensors(CKPT)
    cfg = export_sb3.config_values(meta["config"])
    data = json.loads(zipfile.ZipFile(ZIP).read("data"))
    assert data["gamma"] == float(cfg["gamma"])
    assert data["learning_rate"] == float(cfg["learning_rate"])
    assert data["batch_size"] == int(cfg["batch_size"])
    assert data["target_update_interval"] == int(cfg["target_update_interval"])
    assert data["num_timesteps"] == int(meta["step"])
    assert "Box" in data["observation_space"][":type:"]
    assert "Discrete" in data["action_space"][":type:"]


def test_q_values_match_deepq(tmp_path):
    dump = tmp_path / "check.npz"
    r = subprocess.run([DEEPQ, "export", str(CKPT), "--format", "c", "--out",
                        str(tmp_path / "p.c"), "--check", "10000", "--dump", str(dump)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    d = np.load(dump)
    q, action = export_check.sb3_q(str(ZIP), d["obs"], "relu")
    assert float(np.max(np.abs(q.astype(np.float64) - d["q"]))) <= 1e-5
    assert np.mean(action == d["action"]) >= 0.999
