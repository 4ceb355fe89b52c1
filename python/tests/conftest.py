"""Shared fixtures of the Python package's tests. CTest runs them with PYTHONPATH set to the
build tree's python/ folder and IGBENCH_BINARY / IGBENCH_BUILD_DIR / IGBENCH_SOURCE_DIR set
(python/CMakeLists.txt); by hand:

    PYTHONPATH=build/release/python IGBENCH_BINARY=build/release/src/igbench \
        /usr/bin/python3 -m pytest python/tests
"""
import os
import subprocess
import tempfile

# hypothesis keeps caches in ./.hypothesis by default: not in the source tree
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "igbench-hypothesis"))

import h5py
import numpy as np
import pytest

SOURCE_DIR = os.environ.get("IGBENCH_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
BUILD_DIR = os.environ.get("IGBENCH_BUILD_DIR", os.path.join(SOURCE_DIR, "build", "release"))
BINARY = os.environ.get("IGBENCH_BINARY", os.path.join(BUILD_DIR, "src", "igbench"))


def run_cli(*args, check=True):
    """Runs the igbench binary; returns the CompletedProcess (text)."""
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "2"))
    p = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True, env=env, timeout=600)
    if check and p.returncode != 0:
        raise AssertionError(f"igbench {' '.join(map(str, args))} exited {p.returncode}: {p.stderr}")
    return p


def read_runs(path):
    """/runs of a result file as {column: numpy array} (strings decoded)."""
    with h5py.File(path, "r") as f:
        out = {}
        for name, ds in f["runs"].items():
            v = ds[()]
            if v.dtype.kind in "SO":
                v = np.array([x.decode() if isinstance(x, bytes) else x for x in v])
            out[name] = v
        return out


@pytest.fixture(scope="session")
def cli():
    if not os.path.exists(BINARY):
        pytest.fail(f"igbench binary not found at {BINARY}: build it (make build) or set IGBENCH_BINARY")
    return run_cli


def same_bits(a, b):
    """Equal as doubles, NaN equal to NaN (bitwise equality of finite values)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))
