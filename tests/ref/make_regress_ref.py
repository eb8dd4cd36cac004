#!/usr/bin/env python3
"""make_regress_ref.py — reference predictions from scikit-learn for tests/test_regress.c.

Writes tests/fixtures/regress_*.txt. Each file is a list of named arrays:
    <name> <rows> <cols>
    <rows*cols values, %.17g, one row per line>
Run from the repository root: python3 tests/ref/make_regress_ref.py
"""
import numpy as np
from sklearn.datasets import make_friedman1
from sklearn.ensemble import (ExtraTreesRegressor, GradientBoostingRegressor,
                              RandomForestRegressor)
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures
from sklearn.tree import DecisionTreeRegressor

OUT = "tests/fixtures"


def write(path, arrays):
    with open(path, "w") as f:
        for name, a in arrays:
            a = np.atleast_2d(np.asarray(a, dtype=np.float64))
            if a.shape[0] == 1 and name.startswith("y"):
                a = a.T
            f.write(f"{name} {a.shape[0]} {a.shape[1]}\n")
            for row in a:
                f.write(" ".join("%.17g" % v for v in row) + "\n")


def knn():
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, size=(400, 3))
    y = np.sin(3 * x[:, 0]) + x[:, 1] * x[:, 2] + 0.1 * rng.normal(size=400)
    q = rng.uniform(-1.2, 1.2, size=(150, 3))
    q[:5] = x[10:15]  # exact matches: distance weighting gives them all the weight
    arrays = [("x", x), ("y", y[:, None]), ("q", q)]
    for k in (1, 5, 30):
        for w in ("uniform", "distance"):
            m = KNeighborsRegressor(n_neighbors=k, weights=w).fit(x, y)
            arrays.append((f"pred_k{k}_{w}", m.predict(q)[:, None]))
    write(f"{OUT}/regress_knn.txt", arrays)


def linear():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(300, 4)) * [1, 2, 0.5, 3] + [0, 1, -2, 5]
    y = x @ [1.5, -2, 0.3, 0.7] + 4 + 0.5 * x[:, 0] * x[:, 1] + 0.2 * rng.normal(size=300)
    q = rng.normal(size=(100, 4))
    arrays = [("x", x), ("y", y[:, None]), ("q", q)]
    m = LinearRegression().fit(x, y)
    arrays.append(("pred_deg1", m.predict(q)[:, None]))
    m = LinearRegression(fit_intercept=False).fit(x, y)
    arrays.append(("pred_deg1_noint", m.predict(q)[:, None]))
    m = make_pipeline(PolynomialFeatures(2, include_bias=False), LinearRegression()).fit(x, y)
    arrays.append(("pred_deg2", m.predict(q)[:, None]))
    m = make_pipeline(PolynomialFeatures(3, include_bias=False), LinearRegression()).fit(x, y)
    arrays.append(("pred_deg3", m.predict(q)[:, None]))
    write(f"{OUT}/regress_linear.txt", arrays)


def trees():
    x, y = make_friedman1(n_samples=1500, n_features=6, noise=1.0, random_state=3)
    xt, yt, xq, yq = x[:1000], y[:1000], x[1000:], y[1000:]
    models = {
        "tree": DecisionTreeRegressor(max_depth=6, random_state=0),
        "tree_leaf": DecisionTreeRegressor(min_samples_leaf=10, random_state=0),
        "forest": RandomForestRegressor(n_estimators=50, random_state=0),
        "forest_mf": RandomForestRegressor(n_estimators=50, max_features=2, random_state=0),
        "extratrees": ExtraTreesRegressor(n_estimators=50, min_samples_leaf=5, random_state=0),
        "gbm": GradientBoostingRegressor(n_estimators=100, learning_rate=0.1, max_depth=3,
                                         random_state=0),
        "gbm_sub": GradientBoostingRegressor(n_estimators=100, learning_rate=0.1, max_depth=3,
                                             subsample=0.7, random_state=0),
    }
    r2 = []
    for name, m in models.items():
        m.fit(xt, yt)
        r2.append(r2_score(yq, m.predict(xq)))
        print(f"{name:12s} R2 {r2[-1]:.4f}")
    write(f"{OUT}/regress_trees.txt",
          [("x", xt), ("y", yt[:, None]), ("q", xq), ("yq", yq[:, None]),
           ("r2", np.array(r2)[:, None])])


if __name__ == "__main__":
    knn()
    linear()
    trees()
