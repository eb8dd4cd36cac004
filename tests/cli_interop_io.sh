#!/usr/bin/env bash
# cli_interop_io.sh DEEPQ GOLDEN — the Python world opens deepq's files and deepq opens
# Python's: numpy.load reads our .npy/.npz (stored and deflated), the safetensors package reads
# our checkpoint format and metadata, tensorboard's EventAccumulator reads our event file (when
# tensorboard is installed; we never install it here), Python's csv module reads our CSV; and
# tool_io_write checks safetensors/.npz files that numpy and safetensors wrote.
# Needs python3 with numpy and safetensors; installs them with pip if missing, and fails
# clearly if that is impossible (no network).
set -euo pipefail
TOOL="$(dirname "$1")/tests/tool_io_write"
[ -x "$TOOL" ] || { echo "FAIL: helper $TOOL not built"; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: python3 is needed for the interop test"; exit 1; }
if ! python3 -c "import numpy, safetensors" 2>/dev/null; then
  python3 -m pip install -q numpy safetensors ||
    { echo "FAIL: numpy/safetensors missing and pip could not install them (offline?)"; exit 1; }
fi
DIR="$(mktemp -d "${TMPDIR:-/tmp}/dq_interop.XXXXXX")"
trap 'rm -rf "$DIR"' EXIT
"$TOOL" write "$DIR"
python3 - "$DIR" <<'PY'
import csv, glob, io, os, sys
import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

d = sys.argv[1]
exp = {
    "w": ((np.arange(12, dtype=np.float32) - 5) / 4).reshape(3, 4),
    "d": np.array([1 / 3, 1e300, -0.0, 5e-324]),
    "i64": np.array([-(1 << 40), 7, 0], dtype=np.int64),
    "i32": np.array([-7, 2147483647], dtype=np.int32),
    "u8": np.array([0, 128, 255], dtype=np.uint8),
    "b": np.array([True, False, True]),
}
def same(a, b, name):
    assert a.dtype == b.dtype and a.shape == b.shape, f"{name}: {a.dtype}{a.shape} vs {b.dtype}{b.shape}"
    assert a.tobytes() == b.tobytes(), f"{name}: values differ"

st = load_file(os.path.join(d, "c.safetensors"))
assert sorted(st) == sorted(exp), sorted(st)
for k, v in exp.items():
    same(st[k], v, "safetensors " + k)
with safe_open(os.path.join(d, "c.safetensors"), "np") as f:
    assert f.metadata() == {"env": "CartPole-v1", "note": 'a "quoted" value'}, f.metadata()
for name in ("c.npz", "c_z.npz"):
    with np.load(os.path.join(d, name)) as z:
        assert sorted(z.files) == sorted(list(exp) + ["s"]), z.files
        for k, v in exp.items():
            same(z[k], v, name + " " + k)
        same(z["s"], np.array(2.75), name + " s")
buf = io.BytesIO(); np.save(buf, exp["w"])
assert open(os.path.join(d, "c.npy"), "rb").read() == buf.getvalue(), "c.npy bytes differ from np.save"
rows = list(csv.reader(open(os.path.join(d, "c.csv"), newline="")))
assert rows[0] == ["episode", "return", "status"], rows[0]
assert [float(r[1]) for r in rows[1:]] == list(exp["d"]) and rows[2][2] == "Solved, twice", rows
try:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
except ImportError:
    print("tensorboard not installed: event files checked by test_tb only")
else:
    ea = EventAccumulator(os.path.join(d, "tb")); ea.Reload()
    r = ea.Scalars("rollout/ep_rew_mean"); l = ea.Scalars("train/loss")
    assert [(e.step, e.value) for e in r] == [(s * 100, s * 1.5) for s in range(5)], r
    assert [e.step for e in l] == [0, 100, 200, 300, 400] and all(
        np.float32(e.value) == np.float32(1 / (i + 1)) for i, e in enumerate(l)), l
    assert r[2].wall_time == 1700000002.0
    print("tensorboard EventAccumulator reads deepq's events")
save_file(exp, os.path.join(d, "py.safetensors"), metadata={"env": "CartPole-v1"})
np.savez(os.path.join(d, "py.npz"), s=np.array(2.75), **exp)
np.savez_compressed(os.path.join(d, "py_z.npz"), s=np.array(2.75), **exp)
print("python side ok")
PY
"$TOOL" check "$DIR"
echo "PASS: interop with numpy, safetensors$(python3 -c 'import tensorboard' 2>/dev/null && echo ', tensorboard')"
