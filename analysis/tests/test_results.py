"""Loading, grouping and statistics (analysis/results.py) against independent computations."""
import math

import numpy as np
import pytest

from analysis import results, style
from conftest import ALL_METHODS, DEFAULT_METHODS, Sweep
from independent import close, expected

EXPERIMENTS = ("main", "ratio", "convergence")


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_load_gives_decoded_columns(result_file, experiment):
    rf = results.load(result_file(experiment))
    assert rf.attrs["format"] == "igbench-results"
    assert set(rf.runs["experiment"]) == {experiment}
    for name in ("experiment", "scm_type", "regularization", "rng", "status"):
        assert rf.runs[name].dtype.kind == "U", name
    assert rf.runs["alpha_sint"].ndim == 2 and rf.runs["alpha_sint"].shape[0] == rf.n_rows
    assert rf.runs["K"].dtype.kind == "i"
    assert rf.method_keys() == [m for m in style.METHOD_ORDER if m in ALL_METHODS]


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_statistics_equal_an_independent_computation(result_file, experiment):
    path = result_file(experiment)
    want = expected(path)
    groups = results.analyse(results.load(path))
    assert {g.key.stem() for g in groups} == set(want)
    for g in groups:
        w = want[g.key.stem()]
        assert [p.x for p in g.points] == sorted(w["points"])
        for metric in style.METRICS:
            assert set(g.methods[metric]) == w["methods"][metric]
            assert g.methods[metric] == style.ordered(g.methods[metric])
        for p in g.points:
            assert p.n_failed == w["failed"][p.x]
            for metric in style.METRICS:
                for m in g.methods[metric]:
                    n, mean, sem = w["points"][p.x][(metric, m)]
                    s = p.stats[(metric, m)]
                    assert (s.n, close(s.mean, mean), close(s.sem, sem)) == (n, True, True), (metric, m, p.x)
                    if m != "jint":
                        n, mean, sem = w["diffs"][p.x][(metric, m)]
                        d = p.diffs[(metric, m)]
                        assert (d.n, close(d.mean, mean), close(d.sem, sem)) == (n, True, True), (metric, m, p.x)


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_methods_an_experiment_does_not_run_are_absent(synthetic_file, experiment):
    path = synthetic_file(Sweep(experiment))
    (g,) = results.analyse(results.load(path))
    for metric in style.METRICS:
        assert set(g.methods[metric]) == set(DEFAULT_METHODS[experiment])


def test_failed_rows_are_excluded(synthetic_file):
    # The failed row holds 1e6 in every method column: any leak shows in the means.
    path = synthetic_file(Sweep("main", N=(200, 400), N_runs=5, failed=((1, 2),)))
    (g,) = results.analyse(results.load(path))
    p200, p400 = g.points
    assert (p200.n_failed, p400.n_failed) == (0, 1)
    for (metric, m), s in p400.stats.items():
        if m in g.methods[metric]:
            assert s.n == 4 and s.mean < 10, (metric, m)
            assert p200.stats[(metric, m)].n == 5


def test_describe_hand_computed():
    s = results.describe([1.0, 2.0, np.nan, 3.0, np.inf, 4.0])
    assert s.n == 4 and s.mean == 2.5
    assert math.isclose(s.sem, math.sqrt(5 / 3) / 2)  # std(ddof=1) = sqrt(5/3)
    one = results.describe([7.0])
    assert one.n == 1 and one.mean == 7.0 and math.isnan(one.sem)
    none = results.describe([np.nan])
    assert none.n == 0 and math.isnan(none.mean) and math.isnan(none.sem)


def test_paired_difference_is_per_run(tmp_path):
    # Method = jint + run-dependent offset 0.1 * r: the paired SEM is that of the offsets alone.
    from conftest import write_results
    import h5py
    path = write_results(tmp_path / "r.h5", Sweep("main", N=(200,), N_runs=6))
    with h5py.File(path, "r+") as f:
        jint = f["runs/rmse_jint"][()]
        f["runs/rmse_method"][...] = jint + 0.1 * np.arange(6)
    (g,) = results.analyse(results.load(path))
    d = g.points[0].diffs[("rmse", "method")]
    offsets = 0.1 * np.arange(6)
    assert d.n == 6 and math.isclose(d.mean, offsets.mean())
    assert math.isclose(d.sem, offsets.std(ddof=1) / math.sqrt(6))


def test_groups_of_a_merged_file(synthetic_file):
    path = synthetic_file(
        Sweep("main", scm_types=("linear", "polynomial"), K=(2, 3), N=(200,), N_runs=3),
        Sweep("ratio", N_avg=(300, 600), N_runs=3),
        Sweep("convergence", regularizations=("lasso",), rng="reference", N_runs=3))
    rf = results.load(path)
    assert rf.attrs["experiment"] == "mixed"
    stems = [g.key.stem() for g in results.analyse(rf)]
    assert stems == ["main_linear_K2_d3_ridge", "main_linear_K3_d3_ridge", "main_polynomial_K2_d3_ridge",
                     "main_polynomial_K3_d3_ridge", "ratio_polynomial_K2_d3_ridge_Navg300",
                     "ratio_polynomial_K2_d3_ridge_Navg600", "convergence_polynomial_K2_d3_lasso_rng-reference"]
