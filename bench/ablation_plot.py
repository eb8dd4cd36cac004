#!/usr/bin/env python3
"""ablation_plot.py — learning curves of a Rainbow ablation log (LOG=... bench/ablation.sh).

  python3 bench/ablation_plot.py LOG OUT.png

One curve per variant: the mean over seeds of the periodic greedy evaluations (10 episodes
each), with a band from the lowest to the highest seed. Needs matplotlib (docs only; deepq does
not need Python)."""
import collections
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: ablation_plot.py LOG OUT.png")
    curves = collections.OrderedDict()
    env = "?"
    for line in open(sys.argv[1]):
        f = line.split()
        if not f or f[0] != "CURVE":
            continue
        env, name, seed = f[1], f[-1], f[3]
        pts = [p.split(":") for p in f[5:-1]]
        curves.setdefault(name, {})[seed] = {int(s): float(v) for s, v in pts}  # one per seed
    if not curves:
        sys.exit("ablation_plot.py: no CURVE lines in %s" % sys.argv[1])
    fig, ax = plt.subplots(figsize=(9, 5.5))
    for name, by_seed in curves.items():
        runs = list(by_seed.values())
        steps = sorted(set.intersection(*[set(r) for r in runs]))
        mean = [sum(r[s] for r in runs) / len(runs) for s in steps]
        lo = [min(r[s] for r in runs) for s in steps]
        hi = [max(r[s] for r in runs) for s in steps]
        lw = 2.5 if name == "Rainbow" else 1.5
        (ln,) = ax.plot(steps, mean, label="%s (%d seeds)" % (name, len(runs)), lw=lw)
        ax.fill_between(steps, lo, hi, color=ln.get_color(), alpha=0.08)
    ax.set_xlabel("environment steps")
    ax.set_ylabel("greedy evaluation return (10 episodes)")
    ax.set_title("Rainbow ablation on %s: mean over seeds, band = min..max" % env)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=90)


if __name__ == "__main__":
    main()
