#!/usr/bin/env python3
"""export_check.py — run observations through an exported deepq policy in the Python world and
compare with deepq's own Q-values (what `deepq export --check` calls for ONNX models).

  python3 tools/export_check.py --format onnx [--env ID] MODEL.onnx CHECK.npz

CHECK.npz holds obs [N, D] float32, q [N, A] float32 and action [N] int64 as deepq computed them
(`deepq export ... --check N --dump CHECK.npz` writes one). Prints one line in the format of the
C check: max |dQ|, Q bit-identical count, same action count. Needs numpy and onnxruntime.
"""
import argparse
import sys

import numpy as np


def onnx_q(path, obs):
    """(q [N, A] float32, action [N] int64) from onnxruntime's CPU provider."""
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    q, action = sess.run(["q", "action"], {"obs": obs})
    return q, action


def compare(q_ref, a_ref, q, a):
    """max |dQ|, bit-identical rows, same actions."""
    dq = float(np.max(np.abs(q_ref.astype(np.float64) - q.astype(np.float64)))) if len(q) else 0.0
    bits = int(np.sum(np.all(q_ref.view(np.uint32) == q.astype(np.float32).view(np.uint32), axis=1)))
    same = int(np.sum(a_ref == a))
    return dq, bits, same


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--format", choices=["onnx"], required=True)
    ap.add_argument("--env", default="")
    ap.add_argument("artifact")
    ap.add_argument("check_npz")
    a = ap.parse_args()
    d = np.load(a.check_npz)
    obs, q_ref, a_ref = d["obs"], d["q"], d["action"]
    q, act = onnx_q(a.artifact, obs)
    dq, bits, same = compare(q_ref, a_ref, q, act)
    n = len(obs)
    env = f" {a.env}" if a.env else ""
    print(f"check: {n}{env} observations: max |dQ| {dq:.3g}, Q bit-identical {bits} "
          f"({100.0 * bits / n:.2f}%), same action {same} ({100.0 * same / n:.3f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
