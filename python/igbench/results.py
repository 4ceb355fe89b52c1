"""Reading igbench result files (docs/results-format.md): one reader for this package and the
analysis package. Pure Python (numpy, h5py; pandas for load_results): importable without the
compiled core.

    df = load_results("results.h5")     # one row per (point, run); alpha_sint -> alpha_sint_0..
    rf = read_results("results.h5")     # validated columns as numpy arrays, attributes decoded
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

FORMAT = "igbench-results"
FORMAT_VERSION = 1
STRING_COLUMNS = ("experiment", "scm_type", "regularization", "rng", "status")
REQUIRED_COLUMNS = STRING_COLUMNS + (
    "K", "n_order_fit", "N", "N_avg", "ratio", "N_total", "N_obs", "N_sint", "N_jint", "run")


class ResultsError(ValueError):
    """A file that is not a readable igbench result file; the message names the file."""


@dataclass
class ResultColumns:
    path: str
    attrs: dict   # root attributes, strings decoded
    sweep: dict   # /sweep attributes, strings decoded ({} if absent)
    runs: dict    # column name -> numpy array (strings as str arrays; per-action columns 2-D)

    @property
    def n_rows(self) -> int:
        return len(self.runs["experiment"])


def decode(value):
    """h5py gives bytes, bytes arrays, str or object arrays: return str / str arrays."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "S":
            return np.char.decode(value, "utf-8")
        if value.dtype.kind == "O":
            return np.array([decode(v) for v in value.ravel()], dtype=str).reshape(value.shape)
        if value.ndim == 0:
            return value[()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def read_results(path) -> ResultColumns:
    """Reads and validates a result file; raises ResultsError naming `path` if it is not one."""
    import h5py

    path = os.fspath(path)
    if not os.path.exists(path):
        raise ResultsError(f"{path}: no such file")
    if os.path.isdir(path):
        raise ResultsError(f"{path}: is a directory, not a result file")
    if not h5py.is_hdf5(path):
        raise ResultsError(f"{path}: not an HDF5 file (expected an igbench result file)")
    try:
        with h5py.File(path, "r") as f:
            attrs = {k: decode(v) for k, v in f.attrs.items()}
            if attrs.get("format") != FORMAT:
                found = "no 'format' attribute" if "format" not in attrs else f"format is {attrs['format']!r}"
                raise ResultsError(f"{path}: not an igbench result file ({found}, expected {FORMAT!r})")
            version = attrs.get("format_version")
            if version is not None and int(version) > FORMAT_VERSION:
                raise ResultsError(f"{path}: format_version {int(version)} is newer than this reader "
                                   f"({FORMAT_VERSION}); update igbench")
            sweep = {k: decode(v) for k, v in f["sweep"].attrs.items()} if "sweep" in f else {}
            if "runs" not in f or not isinstance(f["runs"], h5py.Group):
                raise ResultsError(f"{path}: no /runs group")
            runs = {name: decode(ds[()]) for name, ds in f["runs"].items() if isinstance(ds, h5py.Dataset)}
    except ResultsError:
        raise
    except (OSError, KeyError, ValueError) as e:
        raise ResultsError(f"{path}: cannot read ({e})") from e
    missing = [c for c in REQUIRED_COLUMNS if c not in runs]
    if missing:
        raise ResultsError(f"{path}: /runs lacks column(s) {', '.join(missing)}")
    lengths = {len(col) for col in runs.values()}
    if len(lengths) > 1:
        raise ResultsError(f"{path}: /runs columns have different lengths ({sorted(lengths)})")
    return ResultColumns(path, attrs, sweep, runs)


def flat_columns(runs: dict) -> dict:
    """Per-action (2-D, rows x max K) columns expanded to <name>_0, <name>_1, ... (1-D)."""
    out = {}
    for name, col in runs.items():
        if col.ndim == 2:
            for k in range(col.shape[1]):
                out[f"{name}_{k}"] = col[:, k]
        else:
            out[name] = col
    return out


def load_results(path):
    """The /runs table of a result file as a pandas DataFrame, one row per (point, run),
    per-action columns expanded (alpha_sint_0, alpha_sint_1, ...; NaN beyond a row's K); the
    root attributes in df.attrs (and the sweep's in df.attrs['sweep'])."""
    import pandas as pd

    rf = read_results(path)
    df = pd.DataFrame(flat_columns(rf.runs))
    df.attrs.update(rf.attrs)
    df.attrs["sweep"] = rf.sweep
    return df
