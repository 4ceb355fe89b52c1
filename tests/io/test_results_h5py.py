"""Reads tests/io/data/sample_results_v1.h5 (written by igbench, see test_results_sample.cpp) with
h5py exactly as docs/results-format.md shows. Run: python3 -m pytest tests/io/test_results_h5py.py
(needs h5py and numpy; not part of ctest)."""
import math
import os

import h5py
import numpy as np

SAMPLE = os.path.join(os.path.dirname(__file__), "data", "sample_results_v1.h5")


def test_the_two_lines_of_the_format_document_load_the_runs():
    runs = {name: col[()] for name, col in h5py.File(SAMPLE, "r")["runs"].items()}
    n = len(runs["point"])
    assert n == 4
    assert all(len(col) == n for col in runs.values())
    assert list(runs["scm_type"].astype(str)) == ["polynomial"] * 4
    assert list(runs["status"].astype(str)) == ["ok", "ok", "ok", "failed: test"]
    assert list(runs["point"]) == [0, 0, 1, 1] and list(runs["run"]) == [0, 1, 0, 1]
    assert runs["K"].dtype == np.int32 and runs["N"].dtype == np.int64
    assert list(runs["N"]) == [1000, 1000, 2000, 2000]
    # rmse_<m> = 0.1 (m + 1) + point + run / 100 with m the method's index (obs 0, method 1, ...)
    assert runs["rmse_method"][3] == 0.2 + 1 + 0.01
    assert runs["truth_rmse_jint"][0] == 0.4 / 2
    assert np.isnan(runs["rmse_pooled_ref"]).all()
    assert np.isnan(runs["ratio"]).all() and (runs["N_avg"] == -1).all()
    assert runs["alpha_sint"].shape == (4, 3)
    assert list(runs["alpha_sint"][0]) == [0.001, 0.002, 0.003]
    assert np.isnan(runs["alpha_sint"][1]).all()


def test_attributes():
    with h5py.File(SAMPLE, "r") as f:
        assert f.attrs["format"] == "igbench-results"
        assert f.attrs["format_version"] == 1
        assert f.attrs["n_tasks"] == 4 and f.attrs["complete"] == 0
        sweep = f["sweep"].attrs
        assert sweep["experiment"] == "main" and sweep["N_runs"] == 2
        assert list(sweep["N"]) == [1000, 2000] and list(sweep["K"]) == [3]
        assert list(sweep["methods"]) == ["obs", "method", "pooled", "jint"]
        assert sweep["spec"].splitlines()[0] == "experiment=main"
        assert not math.isnan(f["runs/alpha_obs"][0])
