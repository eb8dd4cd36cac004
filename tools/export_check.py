#!/usr/bin/env python3
"""export_check.py — run observations through an exported deepq policy in the Python world and
compare with deepq's own Q-values (what `deepq export --check` calls for ONNX and SB3 exports).

  python3 tools/export_check.py --format onnx [--env ID] MODEL.onnx CHECK.npz
  python3 tools/export_check.py --format sb3 [--env ID] [--activation relu|tanh] MODEL.zip CHECK.npz

CHECK.npz holds obs [N, D] float32, q [N, A] float32 and action [N] int64 as deepq computed them
(`deepq export ... --check N --dump CHECK.npz` writes one). Prints one line in the format of the
C check: max |dQ|, Q bit-identical count, same action count. Needs numpy, and onnxruntime for
ONNX. The SB3 zip is read without torch: policy.pth is a zip of a pickle whose tensors are
persistent ids into the zip's data/ entries, which a small Unpickler maps to numpy arrays (the
same thing torch.load does); the forward then runs in numpy, in float32 like SB3.
"""
import argparse
import collections
import io
import pickle
import sys
import zipfile

import numpy as np


def onnx_q(path, obs):
    """(q [N, A] float32, action [N] int64) from onnxruntime's CPU provider."""
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    q, action = sess.run(["q", "action"], {"obs": obs})
    return q, action


def sb3_state_dict(path):
    """SB3 zip -> {name: ndarray} of policy.pth, read with zipfile and pickle only."""
    outer = zipfile.ZipFile(path)
    pth = zipfile.ZipFile(io.BytesIO(outer.read("policy.pth")))
    pkl = next(n for n in pth.namelist() if n.endswith("/data.pkl"))
    root = pkl[: -len("data.pkl")]
    dtypes = {"FloatStorage": np.float32, "DoubleStorage": np.float64}

    def rebuild(storage, offset, size, stride, *_):
        arr = np.lib.stride_tricks.as_strided(storage[offset:], tuple(size),
                                              tuple(s * storage.itemsize for s in stride))
        return arr.copy()

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
                return rebuild
            if module == "torch" and name in dtypes:
                return name
            if (module, name) == ("collections", "OrderedDict"):
                return collections.OrderedDict
            raise pickle.UnpicklingError(f"policy.pth: unexpected {module}.{name}")

        def persistent_load(self, pid):
            _, storage_type, key, _, _ = pid
            return np.frombuffer(pth.read(f"{root}data/{key}"), dtype=dtypes[storage_type])

    return Unpickler(io.BytesIO(pth.read(pkl))).load()


def sb3_q(path, obs, activation):
    """(q, action) of the SB3 zip's online network q_net.q_net.* in numpy float32."""
    sd = sb3_state_dict(path)
    idx = sorted({int(k.split(".")[2]) for k in sd if k.startswith("q_net.q_net.")})
    x = obs.astype(np.float32)
    for j, i in enumerate(idx):
        x = x @ sd[f"q_net.q_net.{i}.weight"].T + sd[f"q_net.q_net.{i}.bias"]
        if j + 1 < len(idx):
            x = np.tanh(x) if activation == "tanh" else np.maximum(x, 0)
    return x.astype(np.float32), np.argmax(x, axis=1)


def compare(q_ref, a_ref, q, a):
    """max |dQ|, bit-identical rows, same actions."""
    dq = float(np.max(np.abs(q_ref.astype(np.float64) - q.astype(np.float64)))) if len(q) else 0.0
    bits = int(np.sum(np.all(q_ref.view(np.uint32) == q.astype(np.float32).view(np.uint32), axis=1)))
    same = int(np.sum(a_ref == a))
    return dq, bits, same


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--format", choices=["onnx", "sb3"], required=True)
    ap.add_argument("--env", default="")
    ap.add_argument("--activation", choices=["relu", "tanh"], default="relu")
    ap.add_argument("artifact")
    ap.add_argument("check_npz")
    a = ap.parse_args()
    d = np.load(a.check_npz)
    obs, q_ref, a_ref = d["obs"], d["q"], d["action"]
    q, act = onnx_q(a.artifact, obs) if a.format == "onnx" else sb3_q(a.artifact, obs, a.activation)
    dq, bits, same = compare(q_ref, a_ref, q, act)
    n = len(obs)
    env = f" {a.env}" if a.env else ""
    print(f"check: {n}{env} observations: max |dQ| {dq:.3g}, Q bit-identical {bits} "
          f"({100.0 * bits / n:.2f}%), same action {same} ({100.0 * same / n:.3f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
