"""run_experiment equals the CLI's row bitwise; run_sweep writes the CLI's file; load_results
reads it; the README's example runs as printed."""
import os
import subprocess
import sys

import numpy as np
import pytest

import igbench
from conftest import read_runs, same_bits

RESULT_KEYS = ["rmse_obs", "rmse_method", "rmse_pooled", "rmse_jint", "truth_rmse_obs", "truth_rmse_method",
               "truth_rmse_pooled", "truth_rmse_jint", "alpha_obs", "alpha_pooled", "alpha_jint",
               "cond_obs", "cond_pooled", "cond_jint"]

README_EXAMPLE = """
from igbench import sample_polynomial_scm, run_experiment
scm = sample_polynomial_scm(K=3)
results = run_experiment(scm=scm, K=3, N=10000, n_order_fit=3, regularization='ridge')
print(f"Our method RMSE: {results['rmse_method']:.4f}")
"""


def test_readme_example_runs_as_printed():
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md")).read()
    assert README_EXAMPLE.strip() in readme  # the README shows exactly this code
    p = subprocess.run([sys.executable, "-c", README_EXAMPLE], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    line = p.stdout.strip()
    assert line.startswith("Our method RMSE: ")
    assert 0.0 < float(line.split(": ")[1]) < 10.0


def compare_row(result, runs, i):
    for key in RESULT_KEYS:
        assert same_bits(result[key], runs[key][i]), (key, result[key], runs[key][i])
    K = len(result["alpha_sint"])
    assert same_bits(result["alpha_sint"], runs["alpha_sint"][i][:K])
    assert same_bits(result["cond_sint"], runs["cond_sint"][i][:K])


@pytest.mark.parametrize("scm_type,sample", [("polynomial", igbench.sample_polynomial_scm),
                                             ("linear", igbench.sample_linear_scm)])
def test_run_experiment_equals_the_cli_rows_bitwise(cli, tmp_path, scm_type, sample):
    out = tmp_path / "main.h5"
    cli("main", "--K", 3, "--N", 1500, "--N_runs", 4, "--scm_type", scm_type, "--out", out, "--quiet")
    runs = read_runs(out)
    assert len(runs["run"]) == 4
    for i, r in enumerate(runs["run"]):
        assert runs["seed"][i] == r
        res = igbench.run_experiment(scm=sample(K=3, seed=int(r)), K=3, N=1500, n_order_fit=3,
                                     regularization="ridge")
        compare_row(res, runs, i)
        # the same run without an SCM object
        res2 = igbench.run_experiment(K=3, N=1500, seed=int(r), scm_type=scm_type)
        compare_row(res2, runs, i)


def test_single_run_with_seed_is_seed_s_run_0(cli, tmp_path):
    out = tmp_path / "one.h5"
    cli("main", "--K", 2, "--N", 800, "--N_runs", 1, "--seed", 7, "--out", out, "--quiet", "--regularization", "lasso")
    runs = read_runs(out)
    res = igbench.run_experiment(K=2, N=800, seed=7, run=0, regularization="lasso")
    compare_row(res, runs, 0)
    scm = igbench.sample_polynomial_scm(2, seed=7, run=0)
    compare_row(igbench.run_experiment(scm=scm, N=800, regularization="lasso"), runs, 0)


def test_run_experiment_methods_and_errors():
    res = igbench.run_experiment(K=2, N=500, seed=1, methods=["method", "jint"])
    assert set(k for k in res if k.startswith("rmse_")) == {"rmse_method", "rmse_jint"}
    assert np.isnan(res["alpha_pooled"]) and len(res["alpha_sint"]) == 2 and res["alpha_sint_1"] > 0
    scm = igbench.sample_polynomial_scm(3, seed=2)
    with pytest.raises(ValueError, match="K = 4 but the scm has K = 3"):
        igbench.run_experiment(scm=scm, K=4, N=500)
    with pytest.raises(ValueError, match="seed = 3 but the scm was sampled with seed 2"):
        igbench.run_experiment(scm=scm, N=500, seed=3)
    with pytest.raises(ValueError, match="N_obs = 5 is too small: a data set needs at least"):
        igbench.run_experiment(K=2, N=5, seed=1)
    with pytest.raises(ValueError, match="unknown method 'foo'"):
        igbench.run_experiment(K=2, N=500, seed=1, methods=["foo"])
    with pytest.raises(ValueError, match="unknown regularization"):
        igbench.run_experiment(K=2, N=500, seed=1, regularization="elastic")
    with pytest.raises(ValueError, match="strictly ascending"):
        igbench.run_experiment(K=2, N=500, seed=1, alphas=[1.0, 0.1])
    assert igbench.run_experiment(K=2, N=500, seed=1, alphas=np.logspace(-8, -1, 8))["rmse_method"] > 0


def test_run_experiment_with_an_alpha_grid_equals_the_cli_bitwise(cli, tmp_path):
    out = tmp_path / "alphas.h5"
    cli("main", "--K", 2, "--N", 900, "--N_runs", 2, "--alphas", "0.01,1,100", "--out", out, "--quiet")
    runs = read_runs(out)
    for i, r in enumerate(runs["run"]):
        res = igbench.run_experiment(K=2, N=900, seed=int(r), alphas=[0.01, 1.0, 100.0])
        compare_row(res, runs, i)
        assert set(res["alpha_sint"]) <= {0.01, 1.0, 100.0}
    with pytest.raises(ValueError, match="K must be >= 1"):
        igbench.run_experiment(K=0, N=500, seed=1)


SCIENCE_COLUMNS = ["experiment", "scm_type", "regularization", "rng", "K", "n_order_fit", "N", "N_avg", "ratio",
                   "N_total", "N_obs", "N_sint", "N_jint", "point", "run", "seed", "samples_generated", "status",
                   "alpha_sint"] + RESULT_KEYS + ["rmse_pooled_ref", "truth_rmse_pooled_ref"]


@pytest.mark.parametrize("experiment,cli_args,py_args", [
    ("main", ["--K", "2,3", "--N", "600,900", "--N_runs", "2", "--scm_type", "polynomial,linear"],
     dict(K=[2, 3], N=[600, 900], N_runs=2, scm_type=["polynomial", "linear"])),
    ("convergence", ["--K", "2", "--N_total", "700,1400", "--N_runs", "3"], dict(K=2, N_total=[700, 1400], N_runs=3)),
    ("ratio", ["--K", "2", "--N_avg", "600", "--ratios", "0.5,2", "--N_runs", "2"],
     dict(K=2, N_avg=600, ratios=[0.5, 2], N_runs=2)),
])
def test_run_sweep_writes_the_clis_file(cli, tmp_path, experiment, cli_args, py_args):
    a, b = tmp_path / "cli.h5", tmp_path / "py.h5"
    cli(experiment, *cli_args, "--out", a, "--quiet")
    assert igbench.run_sweep(b, experiment, **py_args) == str(b)
    ra, rb = read_runs(a), read_runs(b)
    assert set(ra) == set(rb)
    for col in SCIENCE_COLUMNS:
        if ra[col].dtype.kind in "U":
            assert list(ra[col]) == list(rb[col]), col
        else:
            assert same_bits(ra[col], rb[col]), col
    df = igbench.load_results(b)
    assert len(df) == len(ra["run"])
    maxK = ra["alpha_sint"].shape[1]
    assert [c for c in df.columns if c.startswith("alpha_sint")] == [f"alpha_sint_{k}" for k in range(maxK)]
    assert same_bits(df["alpha_sint_0"].to_numpy(), ra["alpha_sint"][:, 0])
    assert list(df["status"]) == ["ok"] * len(df)
    assert df.attrs["format"] == "igbench-results" and df.attrs["experiment"] == experiment
    with pytest.raises(ValueError, match="exists"):
        igbench.run_sweep(b, experiment, **py_args)


def test_load_results_refuses_foreign_files(tmp_path):
    p = tmp_path / "x.h5"
    p.write_bytes(b"not hdf5")
    with pytest.raises(igbench.ResultsError, match="not an HDF5 file"):
        igbench.load_results(p)
    with pytest.raises(igbench.ResultsError, match="no such file"):
        igbench.load_results(tmp_path / "missing.h5")
