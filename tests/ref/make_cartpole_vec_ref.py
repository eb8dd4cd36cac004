"""Gymnasium 1.0.0 fixture for tests/test_vecenv.c: CartPoleVectorEnv (what
gymnasium.make_vec("CartPole-v1", n, vectorization_mode="vector_entry_point") builds, one
generator for all envs) stepped with actions the C test computes the same way, for deepq's
dq_vecenv_def.shared_rng.

    python3 tests/ref/make_cartpole_vec_ref.py > tests/fixtures/cartpole_vec_ref.txt

Run: N = 5 envs, max_episode_steps = 30, reset(seed=42), 120 steps, reset() (no seed: the
generator continues), 80 steps. Action of env i at step t (counted over the whole run):
balance (1 if theta + 0.5 theta_dot > 0 in the observation acted on) when (t // 40 + i) is
even, else ((t * 2654435761 + i * 40503) >> 7) & 1 in 64-bit arithmetic. Arrays (fixture_txt.h
format): obs [202, 20] (after each reset and step, float32 as %.9g), reward, terminated and
truncated [200, 5] (per step)."""
import gymnasium as gym
import numpy as np

N, T1, T2 = 5, 120, 80


def action(obs, t, i):
    if (t // 40 + i) % 2 == 0:
        return int(obs[i, 2] + 0.5 * obs[i, 3] > 0)
    return ((t * 2654435761 + i * 40503) & 0xFFFFFFFFFFFFFFFF) >> 7 & 1


env = gym.make_vec("CartPole-v1", N, vectorization_mode="vector_entry_point",
                   max_episode_steps=30)
assert type(env.unwrapped).__name__ == "CartPoleVectorEnv"
obs_rows, rew, term, trunc = [], [], [], []
obs, _ = env.reset(seed=42)
obs_rows.append(obs.copy())
t = 0
for steps in (T1, T2):
    if t:
        obs, _ = env.reset()
        obs_rows.append(obs.copy())
    for _ in range(steps):
        a = np.array([action(obs, t, i) for i in range(N)], np.int64)
        obs, r, te, tr, _ = env.step(a)
        obs_rows.append(obs.copy()), rew.append(r), term.append(te), trunc.append(tr)
        t += 1


def emit(name, rows, fmt):
    rows = np.asarray(rows).reshape(len(rows), -1)
    print(name, rows.shape[0], rows.shape[1])
    for r in rows:
        print(" ".join(fmt(v) for v in r))


emit("obs", obs_rows, lambda v: "%.9g" % float(v))
emit("reward", rew, lambda v: "%g" % float(v))
emit("terminated", term, lambda v: str(int(v)))
emit("truncated", trunc, lambda v: str(int(v)))
