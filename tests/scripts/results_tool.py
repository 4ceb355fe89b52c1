"""Checks on igbench result files for the script tests (uses Debian's h5py).

  results_tool.py same A.h5 B.h5     result columns (all but seconds_*) equal, bitwise
  results_tool.py unique A.h5 N      exactly N rows, every (point, run) once, all status ok
"""
import sys

import h5py
import numpy as np

TIMING = ("seconds_generate", "seconds_solve")


def columns(path):
    with h5py.File(path, "r") as f:
        runs = f["runs"]
        return {name: runs[name][()] for name in runs}


def same(a_path, b_path):
    a, b = columns(a_path), columns(b_path)
    if sorted(a) != sorted(b):
        print(f"different columns: {sorted(set(a) ^ set(b))}")
        return 1
    bad = []
    for name in a:
        if name in TIMING:
            continue
        x, y = a[name], b[name]
        if x.shape != y.shape:
            bad.append(f"{name} (shape {x.shape} vs {y.shape})")
        elif x.dtype.kind == "f":
            # bitwise: compare the raw bytes (NaN payloads included)
            if x.tobytes() != y.tobytes():
                bad.append(name)
        elif not np.array_equal(x, y):
            bad.append(name)
    if bad:
        print(f"{a_path} and {b_path} differ in: {', '.join(bad)}")
        return 1
    print(f"same results: {len(a['run'])} rows")
    return 0


def unique(path, expected):
    c = columns(path)
    keys = list(zip(c["point"].tolist(), c["run"].tolist()))
    status = [s.decode() if isinstance(s, bytes) else s for s in c["status"]]
    problems = []
    if len(keys) != expected:
        problems.append(f"{len(keys)} rows, expected {expected}")
    if len(set(keys)) != len(keys):
        problems.append(f"{len(keys) - len(set(keys))} duplicate (point, run) rows")
    failed = [s for s in status if s != "ok"]
    if failed:
        problems.append(f"{len(failed)} rows not ok: {failed[:3]}")
    if problems:
        print(f"{path}: " + "; ".join(problems))
        return 1
    print(f"{path}: {len(keys)} distinct ok rows")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "same":
        sys.exit(same(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 4 and sys.argv[1] == "unique":
        sys.exit(unique(sys.argv[2], int(sys.argv[3])))
    print(__doc__)
    sys.exit(2)
