"""Fixtures: result files for the analysis tests.

`result_file(experiment)` returns the path of a result file of one experiment ("main", "ratio"
or "convergence"). By default the file is written here, by `write_results`, following
docs/results-format.md column by column (fixed-length strings, 2-D alpha_sint, root and /sweep
attributes), with values from a seeded numpy Generator, NaN columns for the methods an
experiment does not run and one failed run whose (finite, absurd) values must be excluded.
When the environment variable IGBENCH_BINARY names an executable, the same fixture runs it
instead (small sweeps, see IGBENCH_COMMANDS), so every test that uses `result_file` checks the
real program's output.

`synthetic_file(*sweeps, ...)` always uses the writer: for tests that need what only a
hand-made file has (several groups, a merge of experiments, a failed row).
"""
from __future__ import annotations

import math
import os
import shlex
import subprocess
from dataclasses import dataclass, field, replace

import json

import numpy as np
import pytest

ALL_METHODS = ("obs", "method", "pooled", "jint", "pooled_ref")  # column order of the format
# The /runs columns as igbench declares them (tests/io/test_schema.cpp keeps this file in step
# with src/io/schema.cpp), and the numpy dtype of each storage.
with open(os.path.join(os.path.dirname(__file__), "columns.json")) as _f:
    COLUMNS = json.load(_f)
STORAGE_DTYPE = {"string16": "S16", "string64": "S64", "int32": np.int32, "int64": np.int64, "float64": np.float64}
DEFAULT_METHODS = {
    "main": ("obs", "method", "jint", "pooled"),
    "ratio": ("obs", "method", "jint"),
    "convergence": ("method", "jint"),
}
# The sweeps the real binary runs for `result_file(experiment)` (the path is appended).
IGBENCH_COMMANDS = {
    "main": "main --N 200 --K 2 --N_runs 4",
    "ratio": "ratio --N_avg 300 --K 2 --ratios 0.5,1,2 --N_runs 3",
    "convergence": "convergence --N_total 200,400 --K 2 --N_runs 3",
}


@dataclass
class Sweep:
    """One sweep of igbench (the arguments of one `igbench <experiment>` command)."""
    experiment: str
    scm_types: tuple = ("polynomial",)
    K: tuple = (2,)
    n_order_fit: tuple = (3,)
    regularizations: tuple = ("ridge",)
    N: tuple = (200, 400)            # main
    N_avg: tuple = (300,)            # ratio
    ratios: tuple = (0.5, 1.0, 2.0)  # ratio
    N_total: tuple = (200, 400, 800)  # convergence
    N_runs: int = 4
    seed: int = 42
    rng: str = "fast"
    methods: tuple | None = None     # None: the experiment's default methods
    failed: tuple = ()               # (point, run) pairs whose status is "failed: ..."

    def method_set(self):
        return self.methods if self.methods is not None else DEFAULT_METHODS[self.experiment]

    def sizes(self):
        """The sweep axis values in the order given: N, (N_avg, ratio) or N_total."""
        if self.experiment == "main":
            return [(n,) for n in self.N]
        if self.experiment == "ratio":
            return [(a, r) for a in self.N_avg for r in self.ratios]
        return [(n,) for n in self.N_total]

    def points(self):
        """The grid in igbench's order: scm_type, K, n_order_fit, regularization, sizes."""
        return [dict(scm_type=s, K=k, n_order_fit=d, regularization=g, size=z)
                for s in self.scm_types for k in self.K for d in self.n_order_fit
                for g in self.regularizations for z in self.sizes()]

    def spec_text(self):
        """The canonical text (src/sweep/sweep_spec.cpp canonical_text)."""
        j = lambda xs: ",".join(str(x) for x in xs)
        lines = [f"experiment={self.experiment}", f"scm_type={j(self.scm_types)}", f"K={j(self.K)}",
                 f"n_order_fit={j(self.n_order_fit)}", f"regularization={j(self.regularizations)}"]
        if self.experiment == "main":
            lines.append(f"N={j(self.N)}")
        elif self.experiment == "ratio":
            lines += [f"N_avg={j(self.N_avg)}", f"ratios={','.join(repr(float(r)) for r in self.ratios)}"]
        else:
            lines.append(f"N_total={j(self.N_total)}")
        lines.append(f"N_runs={self.N_runs}")
        if self.experiment == "main" and self.N_runs == 1:
            lines.append(f"seed={self.seed}")
        lines += [f"methods={','.join(m for m in ALL_METHODS if m in self.method_set())}", f"rng={self.rng}"]
        return "\n".join(lines) + "\n"


def point_sizes(experiment, K, size):
    """(N, N_avg, ratio, N_total, N_obs, N_sint, N_jint) as METHOD.md section 8 defines them."""
    if experiment == "main":
        (n,) = size
        return n, -1, math.nan, -1, n, n, n
    if experiment == "ratio":
        n_avg, r = size
        n_obs = int((K + 1) * n_avg / (K * r + 1))
        return -1, n_avg, float(r), -1, n_obs, int(r * n_obs), n_avg
    (n_total,) = size
    n_sint = n_total // (K + 1)
    return -1, -1, math.nan, n_total, n_total - K * n_sint, n_sint, n_total


# Typical error levels of each method (the oracle best, the observational model worst).
_LEVEL = {"jint": 1.0, "method": 1.3, "pooled": 1.6, "pooled_ref": 1.8, "obs": 2.2}


def _rows(sweep: Sweep, rng: np.random.Generator, first_point: int):
    """The rows of one sweep as a list of dicts, sorted by (point, run)."""
    rows = []
    methods = sweep.method_set()
    for ip, p in enumerate(sweep.points()):
        N, N_avg, ratio, N_total, n_obs, n_sint, n_jint = point_sizes(sweep.experiment, p["K"], p["size"])
        n_train = n_jint - math.ceil(0.2 * n_jint)
        for r in range(sweep.N_runs):
            failed = (ip, r) in sweep.failed
            row = dict(experiment=sweep.experiment, scm_type=p["scm_type"], regularization=p["regularization"],
                       rng=sweep.rng, K=p["K"], n_order_fit=p["n_order_fit"], N=N, N_avg=N_avg, ratio=ratio,
                       N_total=N_total, N_obs=n_obs, N_sint=n_sint, N_jint=n_jint, point=first_point + ip,
                       run=r, seed=sweep.seed if (sweep.experiment == "main" and sweep.N_runs == 1) else r)
            scale = 3.0 / math.sqrt(n_train)
            for m in ALL_METHODS:
                if m in methods:
                    truth = _LEVEL[m] * scale * rng.lognormal(0.0, 0.3)
                    row[f"truth_rmse_{m}"] = truth
                    row[f"rmse_{m}"] = math.sqrt(0.3 ** 2 + truth ** 2) * rng.lognormal(0.0, 0.05)
                else:
                    row[f"truth_rmse_{m}"] = row[f"rmse_{m}"] = math.nan
            if failed:  # finite and absurd: counted, the statistics would show it
                for m in methods:
                    row[f"rmse_{m}"] = row[f"truth_rmse_{m}"] = 1.0e6
            fitted = {"obs": True, "pooled": "pooled" in methods, "jint": "jint" in methods}
            for m, on in fitted.items():
                row[f"alpha_{m}"] = float(10.0 ** rng.integers(-5, 2)) if on else math.nan
            row["alpha_sint"] = [float(10.0 ** rng.integers(-5, 2)) for _ in range(p["K"])]
            row["seconds_generate"] = float(rng.uniform(0.001, 0.01))
            row["seconds_solve"] = float(rng.uniform(0.001, 0.01))
            row["samples_generated"] = n_obs + p["K"] * n_sint + n_jint * (2 if sweep.experiment == "convergence" else 1)
            row["status"] = "failed: Cholesky factorisation failed (synthetic)" if failed else "ok"
            rows.append(row)
    return rows


def write_results(path, *sweeps: Sweep, seed: int = 0, complete: bool = True):
    """Writes an igbench result file (docs/results-format.md) holding the rows of `sweeps`
    (several sweeps: a merged file). Returns the path."""
    import h5py

    rng = np.random.default_rng(seed)
    rows = []
    for s in sweeps:
        rows += _rows(s, rng, first_point=len({r["point"] for r in rows}))
    n = len(rows)
    max_k = max(r["K"] for r in rows)
    experiments = sorted({s.experiment for s in sweeps})
    experiment = experiments[0] if len(experiments) == 1 else "mixed"
    specs = []
    for s in sweeps:
        if s.spec_text() not in specs:
            specs.append(s.spec_text())
    with h5py.File(path, "w") as f:
        # Root attributes: fixed-length (numpy bytes) strings, as a C++ writer would store them.
        a = f.attrs
        a["format"] = np.bytes_("igbench-results")
        a["format_version"] = np.int32(1)
        a["igbench_version"] = np.bytes_("0.1.0")
        a["git_commit"] = np.bytes_("0" * 40)
        a["command_line"] = np.bytes_("igbench merge (synthetic test fixture)" if len(sweeps) > 1
                                      else f"igbench {sweeps[0].experiment} (synthetic test fixture)")
        a["host"] = np.bytes_("localhost")
        a["start_time"] = np.bytes_("2026-11-29T15:49:05Z")
        a["end_time"] = np.bytes_("2026-11-29T15:49:07Z")
        a["ranks"] = np.int32(1)
        a["threads"] = np.int32(1)
        a["experiment"] = np.bytes_(experiment)
        a["complete"] = np.int32(1 if complete else 0)
        a["n_tasks"] = np.int64(n)
        # /sweep: variable-length strings here (h5py's default for str), to exercise both kinds.
        g = f.create_group("sweep")
        s0 = sweeps[0]
        g.attrs["spec"] = "---\n".join(specs)
        g.attrs["experiment"] = experiment
        g.attrs["rng"] = s0.rng
        g.attrs["N_runs"] = np.int32(s0.N_runs)
        g.attrs["seed"] = np.uint32(s0.seed)
        union = lambda name: sorted({v for s in sweeps for v in getattr(s, name)})
        g.attrs["scm_type"] = np.array(union("scm_types"), dtype="S16")
        g.attrs["regularization"] = np.array(union("regularizations"), dtype="S16")
        g.attrs["methods"] = np.array([m for m in ALL_METHODS if any(m in s.method_set() for s in sweeps)], dtype="S16")
        g.attrs["K"] = np.array(union("K"), dtype=np.int32)
        g.attrs["n_order_fit"] = np.array(union("n_order_fit"), dtype=np.int32)
        for s in sweeps:
            if s.experiment == "main":
                g.attrs["N"] = np.array(s.N, dtype=np.int64)
            elif s.experiment == "ratio":
                g.attrs["N_avg"] = np.array(s.N_avg, dtype=np.int64)
                g.attrs["ratios"] = np.array(s.ratios, dtype=np.float64)
            else:
                g.attrs["N_total"] = np.array(s.N_total, dtype=np.int64)
        # /runs: one dataset per column of the schema (columns.json, generated from igbench's
        # src/io/schema.cpp); a column the rows do not set is NaN (or -1, or empty).
        r = f.create_group("runs")
        for c in COLUMNS:
            name, dtype = c["name"], STORAGE_DTYPE[c["storage"]]
            if c["shape"] == "per_action":
                values = np.full((n, max_k), np.nan)
                for i, row in enumerate(rows):
                    got = row.get(name, [])
                    values[i, :len(got)] = got
            else:
                missing = {"float64": math.nan, "int32": -1, "int64": -1}.get(c["storage"], "")
                values = np.array([row.get(name, missing) for row in rows], dtype=dtype)
            r.create_dataset(name, data=values)
    return path


# The synthetic sweep behind `result_file(experiment)`: one group, a few points, one failed run.
DEFAULT_SWEEPS = {
    "main": Sweep("main", N=(200,), N_runs=5, failed=((0, 2),)),
    "ratio": Sweep("ratio", N_runs=4, failed=((1, 0),)),
    "convergence": Sweep("convergence", N_runs=4, failed=((2, 3),)),
}


def _run_binary(binary, experiment, path):
    cmd = [binary] + shlex.split(IGBENCH_COMMANDS[experiment]) + ["--out", str(path)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} exited with {done.returncode}:\n{done.stderr}")
    return path


@pytest.fixture(scope="session")
def result_file(tmp_path_factory):
    """result_file(experiment) -> path of a result file of that experiment (cached per session)."""
    binary = os.environ.get("IGBENCH_BINARY")
    if binary and not os.access(binary, os.X_OK):
        pytest.fail(f"IGBENCH_BINARY={binary} is not an executable")
    made = {}

    def make(experiment):
        if experiment not in made:
            path = tmp_path_factory.mktemp("results") / f"{experiment}.h5"
            made[experiment] = (_run_binary(binary, experiment, path) if binary
                                else write_results(path, DEFAULT_SWEEPS[experiment]))
        return made[experiment]

    return make


@pytest.fixture
def synthetic_file(tmp_path):
    """synthetic_file(*sweeps, name=..., seed=...) -> path of a file written by write_results."""
    counter = iter(range(1000))

    def make(*sweeps, name=None, seed=0):
        path = tmp_path / (name or f"synthetic{next(counter)}.h5")
        return write_results(path, *sweeps, seed=seed)

    return make
