"""_core.py — shared helpers over the cffi module: errors, kwargs text, spaces."""
import numpy as np
from gymnasium import spaces

from deepq._ffi import ffi, lib


class DeepQError(RuntimeError):
    """A libdeepq call failed; the message is the library's one-line dq_error text."""


def check(status, err):
    """Raise DeepQError(err.msg) unless status is DQ_OK."""
    if status != lib.DQ_OK:
        raise DeepQError(ffi.string(err.msg).decode())


def kwargs_text(kwargs):
    """Gymnasium-style keyword options as deepq's "k=v,k=v" text (True -> true, lists joined)."""
    parts = []
    for k, v in kwargs.items():
        if isinstance(v, bool):
            v = "true" if v else "false"
        elif isinstance(v, (list, tuple)):
            v = ",".join(str(x) for x in v)
        parts.append(f"{k}={v}")
    return ",".join(parts)


_NP_DTYPE = {0: np.float32, 1: np.float64, 2: np.int64, 3: np.int32, 4: np.uint8, 5: np.bool_}


def np_dtype(dq_dtype):
    return _NP_DTYPE[int(dq_dtype)]


def to_gym_space(s):
    """gymnasium space equal to the C dq_space s (Discrete(n) or a Box of its dtype)."""
    if s.kind == lib.DQ_SPACE_DISCRETE:
        return spaces.Discrete(int(s.n))
    shape = tuple(int(s.shape[i]) for i in range(s.ndim))
    dt = np_dtype(s.dtype)
    low = np.frombuffer(ffi.buffer(s.low, 8 * s.size), np.float64).astype(dt).reshape(shape)
    high = np.frombuffer(ffi.buffer(s.high, 8 * s.size), np.float64).astype(dt).reshape(shape)
    return spaces.Box(low=low, high=high, shape=shape, dtype=dt)


def env_ids():
    """Gymnasium ids of every built-in deepq environment."""
    return [ffi.string(lib.dq_env_type_at(i).id).decode() for i in range(lib.dq_env_count())]
