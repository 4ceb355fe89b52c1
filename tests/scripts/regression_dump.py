"""Canonical text of an igbench result file, read with h5py (independently of igbench's reader),
for the regression test (test_regression.sh): every /runs column except the seconds_* timings,
row by row in file order, floats as repr (round-trips every bit; NaN as nan); the /sweep
attributes; the root attributes that do not depend on when, where and by which build the file
was written (format, format_version, experiment, complete, n_tasks, ranks, threads).

  regression_dump.py FILE.h5   > FILE.txt
"""
import sys

import h5py
import numpy as np

ROOT = ("format", "format_version", "experiment", "complete", "n_tasks", "ranks", "threads")


def text(v):
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    if isinstance(v, np.ndarray):
        return "[" + ", ".join(text(x) for x in v.tolist()) + "]"
    if isinstance(v, list):
        return "[" + ", ".join(text(x) for x in v) + "]"
    if isinstance(v, (np.integer,)):
        return str(int(v))
    return str(v)


def dump(path):
    out = []
    with h5py.File(path, "r") as f:
        for name in ROOT:
            out.append(f"attr {name} = {text(f.attrs[name])}")
        for name in sorted(f["sweep"].attrs):
            value = f["sweep"].attrs[name]
            out.append(f"sweep {name} = {text(value)!r}" if name == "spec" else f"sweep {name} = {text(value)}")
        runs = f["runs"]
        names = sorted(n for n in runs if not n.startswith("seconds_"))
        columns = {n: runs[n][()] for n in names}
        n_rows = len(columns["point"])
        out.append(f"rows {n_rows}")
        for i in range(n_rows):
            out.append(f"row {i}: " + " ".join(f"{n}={text(columns[n][i])}" for n in names))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(dump(sys.argv[1]))
