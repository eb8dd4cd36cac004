"""bench_export.py MODEL.onnx CKPT.safetensors — microseconds per greedy action (batch of one,
one thread) in onnxruntime and in PyTorch (the checkpoint as torch.nn.Sequential via
tools/load_checkpoint.py); prints "ORT_US TORCH_US". Called by bench_export.sh."""
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tools"))


def best_us(fn, obs):
    best = 1e9
    for _ in range(5):
        n, t0 = 0, time.thread_time()
        while time.thread_time() - t0 < 0.3:
            for o in obs:
                fn(o)
            n += len(obs)
        best = min(best, (time.thread_time() - t0) / n * 1e6)
    return best


def main():
    import onnxruntime as ort
    import torch
    import load_checkpoint as lc
    onnx_path, ckpt = sys.argv[1], sys.argv[2]
    meta, tensors = lc.read(ckpt)
    D = int(meta["obs_dim"])
    obs = np.random.default_rng(1).uniform(-0.5, 0.5, (256, 1, D)).astype(np.float32)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(onnx_path, opts, providers=["CPUExecutionProvider"])
    ort_us = best_us(lambda o: sess.run(["action"], {"obs": o}), obs)
    torch.set_num_threads(1)
    net = lc.QModel(meta, tensors)
    tobs = [torch.from_numpy(o) for o in obs]
    with torch.inference_mode():
        torch_us = best_us(lambda o: int(net(o).argmax()), tobs)
    print(f"{ort_us:.3f} {torch_us:.3f}")


if __name__ == "__main__":
    main()
