"""analysis.robust: SplitMix64 known answers, the bootstrap interval's properties, and the same
numbers as igbench's C++ summary (when IGBENCH_BINARY is set: the test suite sets it)."""
from __future__ import annotations

import math
import os
import re
import subprocess

import numpy as np
import pytest

from analysis import plots, results, robust


def test_splitmix64_known_answers():
    # The published first outputs of splitmix64.c for seed 1234567 (Vigna; Rosetta Code).
    assert [int(v) for v in robust.splitmix64(1234567, 5)] == [
        6457827717110365317, 3203168211198807973, 9817491932198370423,
        4593380528125082431, 16408922859458223821]


def test_median_interval_brackets_the_median_and_ignores_one_blow_up():
    rng = np.random.default_rng(5)
    v = rng.lognormal(0.0, 1.0, 100)
    v[3] = 1e6
    m = robust.median_with_bootstrap(v)
    assert m.n == 100 and m.median == float(np.median(v))
    assert m.lower <= m.median <= m.upper < 10.0
    assert robust.median_with_bootstrap(v) == m  # deterministic


def test_degenerate_sizes():
    assert math.isnan(robust.median_with_bootstrap([math.nan]).median)
    one = robust.median_with_bootstrap([2.0, math.inf])
    assert one.n == 1 and one.median == 2.0 and math.isnan(one.lower)


def test_largest_runs():
    assert robust.largest([1.0, 9.0, math.nan, 5.0], [10, 11, 12, 13], 2) == [(11, 9.0), (13, 5.0)]


def test_median_figure_draws_the_summary_numbers(tmp_path, result_file):
    groups = results.analyse(results.load(result_file("convergence")))
    fig, drawn = plots.draw(groups[0], "median")
    for (metric, m), d in drawn.items():
        x, med, lo, hi = groups[0].median_series(metric, m)
        np.testing.assert_array_equal(d["median"], med)
        assert np.all((lo <= med) & (med <= hi) | np.isnan(lo))
    with pytest.raises(ValueError):
        plots.draw(groups[0], "mode")


_CI = re.compile(r"^\s+(\w+)\s+\d+\s.*?([-\d.e+]+) \[([-\d.e+na]+), ([-\d.e+na]+)\]\s+"
                 r"([-\d.e+]+) \[([-\d.e+na]+), ([-\d.e+na]+)\]$")


@pytest.mark.skipif(not os.environ.get("IGBENCH_BINARY"), reason="needs the igbench binary (IGBENCH_BINARY)")
def test_cpp_summary_prints_the_same_medians_and_intervals(result_file):
    """The C++ summary and this package implement one algorithm: equal to the 6 digits printed."""
    path = result_file("main")
    out = subprocess.run([os.environ["IGBENCH_BINARY"], "summary", path], capture_output=True, text=True,
                         check=True).stdout
    cpp = {}
    for line in out.splitlines():
        m = _CI.match(line)
        if m:
            cpp[m.group(1)] = [float(v) for v in m.groups()[1:]]
    (g,) = results.analyse(results.load(path))
    (p,) = g.points
    assert cpp, out
    for method, values in cpp.items():
        expect = []
        for metric in ("rmse", "truth_rmse"):
            q = p.medians[(metric, method)]
            expect += [q.median, q.lower, q.upper]
        np.testing.assert_allclose(values, expect, rtol=1e-5)
