"""deepq export --format onnx, checked in onnxruntime: the model passes ONNX's checker with the
stated opset, and on 10^4 env observations its Q-values stay within 1e-5 of deepq's (plain and
dueling heads; a C51 head within deepq's own float32 rounding of its support, see
docs/EXPORT.md) with the same greedy actions.

The deepq binary: $DEEPQ_CLI (set by make test), else build/deepq of this checkout."""
import os
import pathlib
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEEPQ = os.environ.get("DEEPQ_CLI", str(ROOT / "build" / "deepq"))


def deepq(*args):
    r = subprocess.run([DEEPQ, *map(str, args)], capture_output=True, text=True,
                       env={**os.environ, "DEEPQ_PYTHON": sys.executable})
    assert r.returncode == 0, f"deepq {' '.join(map(str, args))}:\n{r.stdout}\n{r.stderr}"
    return r.stdout


def export_and_compare(tmp_path, run, n=10000):
    model = tmp_path / "policy.onnx"
    dump = tmp_path / "check.npz"
    out = deepq("export", run, "--format", "onnx", "--out", model, "--check", n, "--dump", dump)
    m = onnx.load(str(model))
    onnx.checker.check_model(m, full_check=True)
    assert [(o.domain, o.version) for o in m.opset_import] == [("", 13)]
    d = np.load(dump)
    assert d["obs"].shape[0] == n
    sess = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    q, action = sess.run(["q", "action"], {"obs": d["obs"]})
    assert q.shape == d["q"].shape and action.shape == (n,)
    assert np.array_equal(action, np.argmax(q, axis=1))  # the graph's ArgMax: first maximum
    return float(np.max(np.abs(q.astype(np.float64) - d["q"]))), np.mean(action == d["action"]), \
        float(np.max(np.abs(d["q"]))), out


def train(tmp_path, name, *args):
    run = tmp_path / name
    deepq("train", *args, "--set", "eval_freq=0", "--final-episodes", "0", "--out", run)
    return run


def test_onnx_plain_cartpole(tmp_path):
    run = train(tmp_path, "cp", "CartPole-v1", "--steps", "3000", "--seed", "3")
    dq, agree, _, out = export_and_compare(tmp_path, run)
    assert dq <= 1e-5, out
    assert agree >= 0.999, out
    assert "max |dQ|" in out and "10000 CartPole-v1 observations" in out


def test_onnx_dueling_cartpole(tmp_path):
    run = train(tmp_path, "duel", "CartPole-v1", "--steps", "2000", "--seed", "1",
                "--set", "dueling=true")
    dq, agree, _, out = export_and_compare(tmp_path, run)
    assert dq <= 1e-5, out
    assert agree >= 0.999, out


def test_onnx_rainbow_lunarlander(tmp_path):
    # dueling + C51 (support [-200, 200]) + noisy (exported at its mean)
    run = train(tmp_path, "ll", "LunarLander-v3", "--preset", "rainbow", "--steps", "1200",
                "--set", "learning_starts=600", "--seed", "1")
    dq, agree, qmax, out = export_and_compare(tmp_path, run)
    # float32 sums over 51 atoms of +-200: deepq's own error vs float64 is ~2e-5 here
    assert dq <= 1e-5 + 1e-6 * qmax, out
    assert agree >= 0.999, out
