"""Make the tiny file-format fixtures in tests/fixtures/ that deepq's C tests read:
safetensors written by the `safetensors` package, .npy/.npz written by numpy (np.save,
np.savez, np.savez_compressed), and a TensorBoard event file written by tensorboard. Run from the repo root: python3 tests/ref/make_io_ref.py
The arrays are small and deterministic; test_safetensors.c and test_npz.c hold the same values."""
import glob
import os
import shutil
import tempfile

import numpy as np
from safetensors.numpy import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures")


def arrays():
    return {
        "w": (np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5 - 1.0),
        "d": np.array([1.0 / 3.0, -2.5e-300, 1e300], dtype=np.float64),
        "i": np.array([[-1, 2], [3, -(2**40)]], dtype=np.int64),
        "j": np.array([7, -8, 9], dtype=np.int32),
        "u": np.array([0, 1, 255], dtype=np.uint8),
        "b": np.array([True, False, True, True]),
        "s": np.array(2.75, dtype=np.float64),  # 0-d scalar
        "e": np.zeros((0, 4), dtype=np.float32),  # empty
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    a = arrays()
    # safetensors cannot hold 0-d arrays in every version; keep it to the plain ones.
    st = {k: v for k, v in a.items() if k != "s"}
    save_file(st, os.path.join(OUT, "io_small.safetensors"), metadata={"env": "CartPole-v1", "step": "1234"})
    np.save(os.path.join(OUT, "io_w.npy"), a["w"])
    np.savez(os.path.join(OUT, "io_small.npz"), **a)
    np.savez_compressed(os.path.join(OUT, "io_small_z.npz"), **a)
    np.save(os.path.join(OUT, "io_fortran.npy"), np.asfortranarray(a["w"]))
    np.save(os.path.join(OUT, "io_bigendian.npy"), a["d"].astype(">f8"))
    make_events(os.path.join(OUT, "io_events.tfevents"))


def make_events(path):
    """A TensorBoard event file written by tensorboard's own writer (3 scalars)."""
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    d = tempfile.mkdtemp()
    w = EventFileWriter(d)
    for step, tag, v in [(0, "train/loss", 1.5), (10, "train/loss", -2.25), (1 << 40, "eval/mean_reward", 3e38)]:
        s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=v)])
        w.add_event(event_pb2.Event(wall_time=1700000000.5 + step, step=step, summary=s))
    w.close()
    shutil.copy(glob.glob(os.path.join(d, "events.out.tfevents.*"))[0], path)
    shutil.rmtree(d)


if __name__ == "__main__":
    main()
