"""_torch.py — the Q-network heads of deepq/heads.h as torch modules, for DQN.to_torch().
Imported only by to_torch() (torch is not a dependency of the package)."""
import torch
from torch import nn


class Dueling(nn.Module):
    """h [B, (1 + A) * N] = [V(N) | A_0(N) | ... | A_{A-1}(N)] -> [B, A * N] with
    out_a = V + A_a - mean_a A_a, per atom (N = 1 for plain dueling DQN)."""

    def __init__(self, n_actions, atoms=1):
        super().__init__()
        self.n_actions, self.atoms = n_actions, atoms

    def forward(self, h):
        v = h[:, None, :self.atoms]
        adv = h[:, self.atoms:].reshape(-1, self.n_actions, self.atoms)
        return (v + adv - adv.mean(dim=1, keepdim=True)).reshape(-1, self.n_actions * self.atoms)

    def extra_repr(self):
        return f"n_actions={self.n_actions}, atoms={self.atoms}"


class C51Expectation(nn.Module):
    """logits [B, A * N] -> Q [B, A] = sum_j softmax(logits_a)_j z_j on the support
    z_j = v_min + j (v_max - v_min) / (N - 1)."""

    def __init__(self, n_actions, atoms, v_min, v_max, dtype=torch.float32):
        super().__init__()
        self.n_actions, self.atoms = n_actions, atoms
        self.register_buffer("support", torch.linspace(v_min, v_max, atoms, dtype=torch.float64)
                             .to(dtype))

    def forward(self, logits):
        p = torch.softmax(logits.reshape(-1, self.n_actions, self.atoms), dim=2)
        return p @ self.support

    def extra_repr(self):
        return (f"n_actions={self.n_actions}, atoms={self.atoms}, "
                f"v_min={float(self.support[0])}, v_max={float(self.support[-1])}")
