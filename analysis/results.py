"""Reading igbench result files (docs/results-format.md) and the statistics of every table and
figure.

    rf = load("results.h5")          # validated columns as numpy arrays, strings as str
    for g in analyse(rf):            # one GroupStats per figure
        x, mean, sem, n = g.series("truth_rmse", "method")

A group is one (experiment, scm_type, K, n_order_fit, regularization, rng) and, for the data
ratio experiment, one N_avg (its x axis is the ratio); its points are the values of the sweep
axis (N, ratio or N_total). Statistics use the rows whose status is "ok" and whose value is
finite: mean, and SEM = std(ddof=1) / sqrt(n). The paired difference of a method is taken run by
run against the oracle jint (rows where both are finite). A method whose column has no finite
value in a group is absent from that group.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np

from . import robust, style

EXPERIMENTS = ("main", "ratio", "convergence")
# The column that is the x axis (the sweep axis) of each experiment.
X_COLUMN = {"main": "N", "ratio": "ratio", "convergence": "N_total"}


class ResultsError(Exception):
    """A file that is not a readable igbench result file. The message names the file."""


@dataclass
class ResultFile:
    path: str
    attrs: dict            # root attributes (strings decoded)
    sweep: dict            # /sweep attributes (strings decoded), empty if absent
    runs: dict             # column name -> numpy array (string columns as str arrays)

    @property
    def n_rows(self) -> int:
        return len(self.runs["experiment"])

    def method_keys(self) -> list[str]:
        """Methods with an rmse_<m> or truth_rmse_<m> column, in the canonical order."""
        keys = set()
        for name in self.runs:
            for metric in style.METRICS:
                if name.startswith(metric + "_"):
                    keys.add(name[len(metric) + 1:])
        return style.ordered(keys)


def _reader():
    """The results reader of the igbench Python package (python/igbench/results.py: pure Python,
    no compiled module needed), so the package and this one read files the same way; from the
    source tree when igbench is not installed."""
    try:
        from igbench import results as reader
    except ImportError:
        import sys
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "python"))
        from igbench import results as reader
    return reader


def load(path) -> ResultFile:
    """Reads and validates a result file; raises ResultsError naming `path` if it is not one."""
    reader = _reader()
    try:
        columns = reader.read_results(path)
    except reader.ResultsError as e:
        raise ResultsError(str(e)) from e
    path, runs = columns.path, columns.runs
    attrs, sweep = columns.attrs, columns.sweep
    unknown = sorted(set(runs["experiment"]) - set(EXPERIMENTS))
    if unknown:
        raise ResultsError(f"{path}: unknown experiment(s) {', '.join(unknown)} in column 'experiment'")
    rf = ResultFile(path, attrs, sweep, runs)
    if not any(f"{m}_{k}" in runs for m in style.METRICS for k in rf.method_keys()):
        raise ResultsError(f"{path}: /runs has no rmse_<method> or truth_rmse_<method> column")
    return rf


# ----------------------------------------------------------------------------------------------
# Statistics

@dataclass(frozen=True)
class Stat:
    n: int          # number of finite values
    mean: float     # NaN when n == 0
    sem: float      # std(ddof=1) / sqrt(n); NaN when n < 2


def describe(values) -> Stat:
    """Mean and standard error of the finite entries of `values`."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = int(v.size)
    mean = float(v.mean()) if n else math.nan
    sem = float(v.std(ddof=1) / math.sqrt(n)) if n >= 2 else math.nan
    return Stat(n, mean, sem)


@dataclass(frozen=True, order=True)
class GroupKey:
    experiment: str
    scm_type: str
    K: int
    n_order_fit: int
    regularization: str
    rng: str
    N_avg: int | None = None   # ratio experiment only

    def stem(self) -> str:
        """File name stem of the group's figure, e.g. main_polynomial_K5_d3_ridge."""
        s = f"{self.experiment}_{self.scm_type}_K{self.K}_d{self.n_order_fit}_{self.regularization}"
        if self.N_avg is not None:
            s += f"_Navg{self.N_avg}"
        if self.rng != "fast":
            s += f"_rng-{self.rng}"
        return s

    def title(self) -> str:
        s = f"{self.scm_type} SCM, K={self.K}, degree {self.n_order_fit}, {self.regularization}"
        if self.N_avg is not None:
            s += f", N_avg={self.N_avg}"
        if self.rng != "fast":
            s += f", {self.rng} RNG"
        return s


@dataclass
class PointStats:
    x: float                     # N, ratio or N_total
    n_rows: int                  # rows at this point (all statuses)
    n_failed: int                # rows whose status is not "ok"
    sizes: list                  # distinct (N_obs, N_sint, N_jint) of the point's rows
    stats: dict = field(default_factory=dict)  # (metric, method) -> Stat
    diffs: dict = field(default_factory=dict)  # (metric, method) -> Stat of method - jint, paired
    medians: dict = field(default_factory=dict)  # (metric, method) -> robust.MedianStat
    worst: dict = field(default_factory=dict)    # (metric, method) -> [(run, value)], largest first

    def label(self, experiment: str) -> str:
        name = X_COLUMN[experiment]
        return f"{name}={format_x(self.x)}"


def format_x(x: float) -> str:
    return f"{int(x)}" if float(x).is_integer() else f"{x:g}"


@dataclass
class GroupStats:
    key: GroupKey
    points: list                 # PointStats, sorted by x
    methods: dict                # metric -> methods present (canonical order)

    @property
    def experiment(self) -> str:
        return self.key.experiment

    @property
    def x_name(self) -> str:
        return X_COLUMN[self.key.experiment]

    def all_methods(self) -> list[str]:
        return style.ordered({m for ms in self.methods.values() for m in ms})

    def series(self, metric: str, method: str):
        """Arrays x, mean, sem, n over the group's points (the numbers every figure draws)."""
        st = [p.stats.get((metric, method), Stat(0, math.nan, math.nan)) for p in self.points]
        return (np.array([p.x for p in self.points], dtype=float),
                np.array([s.mean for s in st], dtype=float),
                np.array([s.sem for s in st], dtype=float),
                np.array([s.n for s in st], dtype=int))

    def median_series(self, metric: str, method: str):
        """Arrays x, median, lower, upper (95% bootstrap interval) over the group's points."""
        nan = robust.MedianStat(0, math.nan, math.nan, math.nan)
        st = [p.medians.get((metric, method), nan) for p in self.points]
        return (np.array([p.x for p in self.points], dtype=float),
                np.array([s.median for s in st], dtype=float),
                np.array([s.lower for s in st], dtype=float),
                np.array([s.upper for s in st], dtype=float))

    def runs_range(self) -> tuple[int, int]:
        """Smallest and largest number of ok runs over points and plotted columns."""
        ns = [s.n for p in self.points for (metric, m), s in p.stats.items() if m in self.methods[metric]]
        return (min(ns), max(ns)) if ns else (0, 0)


def _group_key(runs: dict, i: int) -> GroupKey:
    exp = str(runs["experiment"][i])
    return GroupKey(exp, str(runs["scm_type"][i]), int(runs["K"][i]), int(runs["n_order_fit"][i]),
                    str(runs["regularization"][i]), str(runs["rng"][i]),
                    int(runs["N_avg"][i]) if exp == "ratio" else None)


_EXPERIMENT_RANK = {e: i for i, e in enumerate(EXPERIMENTS)}


def analyse(rf: ResultFile) -> list[GroupStats]:
    """Groups the rows and computes every statistic, groups in (experiment, key) order."""
    runs = rf.runs
    keys = [_group_key(runs, i) for i in range(rf.n_rows)]
    distinct = sorted(set(keys), key=lambda k: (_EXPERIMENT_RANK[k.experiment], k))
    index = {k: i for i, k in enumerate(distinct)}
    code = np.array([index[k] for k in keys], dtype=np.int64)
    ok = runs["status"] == "ok"
    methods = rf.method_keys()
    groups = []
    for gi, key in enumerate(distinct):
        in_group = code == gi
        xcol = np.asarray(runs[X_COLUMN[key.experiment]], dtype=float)
        points = []
        for x in np.unique(xcol[in_group]):
            at = in_group & (xcol == x)
            use = at & ok
            sizes = sorted({(int(a), int(b), int(c)) for a, b, c in
                            zip(runs["N_obs"][at], runs["N_sint"][at], runs["N_jint"][at])})
            p = PointStats(float(x), int(at.sum()), int((at & ~ok).sum()), sizes)
            for metric in style.METRICS:
                ref_col = runs.get(f"{metric}_{style.REFERENCE_METHOD}")
                for m in methods:
                    col = runs.get(f"{metric}_{m}")
                    if col is None:
                        continue
                    p.stats[(metric, m)] = describe(col[use])
                    p.medians[(metric, m)] = robust.median_with_bootstrap(col[use])
                    p.worst[(metric, m)] = robust.largest(col[use], runs["run"][use])
                    if ref_col is not None and m != style.REFERENCE_METHOD:
                        a, b = col[use].astype(float), ref_col[use].astype(float)
                        both = np.isfinite(a) & np.isfinite(b)
                        p.diffs[(metric, m)] = describe(a[both] - b[both])
            points.append(p)
        present = {metric: [m for m in methods
                            if any(p.stats.get((metric, m), Stat(0, 0, 0)).n > 0 for p in points)]
                   for metric in style.METRICS}
        groups.append(GroupStats(key, points, present))
    return groups
