"""The statistics of a result file computed a second way, for the tests: straight from h5py with
Python's `statistics` module, sharing no code with analysis/results.py."""
from __future__ import annotations

import math
import statistics

import h5py
import numpy as np

METHODS = ("obs", "method", "pooled", "jint", "pooled_ref")
METRICS = ("rmse", "truth_rmse")
X = {"main": "N", "ratio": "ratio", "convergence": "N_total"}


def _stat(values):
    v = [float(x) for x in values if math.isfinite(x)]
    n = len(v)
    mean = statistics.fmean(v) if n else math.nan
    sem = statistics.stdev(v) / math.sqrt(n) if n >= 2 else math.nan
    return n, mean, sem


def stem(exp, scm, K, d, reg, rng, n_avg):
    s = f"{exp}_{scm}_K{K}_d{d}_{reg}"
    if exp == "ratio":
        s += f"_Navg{n_avg}"
    if rng != "fast":
        s += f"_rng-{rng}"
    return s


def expected(path):
    """{stem: {"experiment": e, "points": {x: {(metric, method): (n, mean, sem)}},
               "diffs": {x: {(metric, method): (n, mean, sem)}}, "methods": {metric: set},
               "medians": {x: {(metric, method): median}}, "worst": {x: {method: [runs by rmse, largest first]}}}}"""
    with h5py.File(path, "r") as f:
        r = {k: v[()] for k, v in f["runs"].items()}
    s = {k: r[k].astype(str) for k in ("experiment", "scm_type", "regularization", "rng", "status")}
    out = {}
    for i in range(len(s["experiment"])):
        exp = s["experiment"][i]
        key = stem(exp, s["scm_type"][i], int(r["K"][i]), int(r["n_order_fit"][i]), s["regularization"][i],
                   s["rng"][i], int(r["N_avg"][i]))
        g = out.setdefault(key, {"experiment": exp, "rows": []})
        g["rows"].append(i)
    for key, g in out.items():
        rows = g.pop("rows")
        xs = sorted({float(r[X[g["experiment"]]][i]) for i in rows})
        g["points"], g["diffs"], g["failed"], g["medians"], g["worst"] = {}, {}, {}, {}, {}
        g["methods"] = {metric: set() for metric in METRICS}
        for x in xs:
            at = [i for i in rows if float(r[X[g["experiment"]]][i]) == x]
            ok = [i for i in at if s["status"][i] == "ok"]
            g["failed"][x] = len(at) - len(ok)
            g["points"][x], g["diffs"][x], g["medians"][x], g["worst"][x] = {}, {}, {}, {}
            for metric in METRICS:
                for m in METHODS:
                    col = r[f"{metric}_{m}"]
                    st = _stat([col[i] for i in ok])
                    g["points"][x][(metric, m)] = st
                    finite = [float(col[i]) for i in ok if math.isfinite(col[i])]
                    g["medians"][x][(metric, m)] = statistics.median(finite) if finite else math.nan
                    if metric == "rmse":
                        g["worst"][x][m] = [int(r["run"][i]) for i in sorted(
                            (i for i in ok if math.isfinite(col[i])), key=lambda i: (-col[i], i))]
                    if st[0] > 0:
                        g["methods"][metric].add(m)
                    if m != "jint":
                        ref = r[f"{metric}_jint"]
                        g["diffs"][x][(metric, m)] = _stat([col[i] - ref[i] for i in ok
                                                            if math.isfinite(col[i]) and math.isfinite(ref[i])])
    return out


def close(a, b, rel=1e-9):
    """Equal floats, NaN equal to NaN."""
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-300)


def arrays_close(a, b, rel=1e-9):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and all(close(x, y, rel) for x, y in zip(a.ravel(), b.ravel()))
