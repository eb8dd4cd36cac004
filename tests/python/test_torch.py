"""DQN.to_torch(): the torch.nn.Sequential gives deepq's own Q-values and greedy actions on
random observations for every head (plain, dueling, C51, noisy: the mean weights, and all of
them together). torch is not a CI test dependency (too big): this module is skipped in
`make test` and run by hand in a venv with torch (docs/PYTHON.md); test_dqn.py checks the same
layers and head math in NumPy (DQN.q_from_layers) without torch."""
import numpy as np
import pytest

import deepq

torch = pytest.importorskip("torch", reason="torch is not a CI test dependency")

HEADS = [{}, {"dueling": True}, {"distributional": True}, {"noisy": True},
         {"dueling": True, "distributional": True, "noisy": True},
         {"distributional": True, "c51_atoms": 11, "v_min": -3.0, "v_max": 40.0},
         {"dtype": "float64"}]


@pytest.mark.parametrize("keys", HEADS, ids=["plain", "dueling", "c51", "noisy", "rainbow",
                                              "c51-11", "plain-f64"])
def test_to_torch_q_values(keys):
    m = deepq.DQN("CartPole-v1", preset="deepq", seed=4, net_arch=[32, 16], learning_starts=100,
                  **keys).learn(1500)
    net = m.to_torch()
    assert isinstance(net, torch.nn.Sequential)
    obs = np.random.default_rng(7).normal(0, 1, (300, 4)).astype(np.float32)
    dtype = torch.float64 if keys.get("dtype") == "float64" else torch.float32
    with torch.no_grad():
        q = net(torch.from_numpy(obs).to(dtype)).double().numpy()
    ref = np.stack([m.q_values(o) for o in obs])
    assert q.shape == (300, 2)
    np.testing.assert_allclose(q, ref, rtol=1e-4, atol=1e-4)
    clear = np.abs(ref[:, 0] - ref[:, 1]) > 1e-3  # ties within float32 noise may flip
    np.testing.assert_array_equal(q.argmax(1)[clear], m.predict(obs)[0][clear])
    assert clear.mean() > 0.9
    kinds = [type(x).__name__ for x in net]
    assert ("Dueling" in kinds) == keys.get("dueling", False)
    assert ("C51Expectation" in kinds) == keys.get("distributional", False)
