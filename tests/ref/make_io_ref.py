"""Make the tiny file-format fixtures in tests/fixtures/ that deepq's C tests read:
safetensors written by the `safetensors` package, .npy/.npz written by numpy (np.save,
np.savez, np.savez_compressed). Run from the repo root: python3 tests/ref/make_io_ref.py
The arrays are small and deterministic; test_safetensors.c and test_npz.c hold the same values."""
import os

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


if __name__ == "__main__":
    main()
