"""`python3 -m analysis summary` numbers, CSV, and the command line's handling of bad input."""
import csv
import math

import h5py
import pytest

from independent import close, expected, stem
from test_plots import EXPERIMENTS, run_cli


def parse_summary(text):
    """{stem: {x: {method: {"n": .., "rmse": (mean, sem), "truth_rmse": .., "diff_rmse": .., ...}}}}"""
    out, stem, x = {}, None, None
    for line in text.splitlines():
        if line.startswith("== "):
            stem = line.rsplit("[", 1)[1].rstrip("]")
            out[stem] = {}
        elif line.startswith("-- "):
            x = float(line[3:].split()[0].split("=")[1])
            out[stem][x] = {}
        elif line.startswith("  largest rmse: "):
            out[stem][x]["largest"] = line[len("  largest rmse: "):]
        elif line.startswith("  ") and line.split()[1] != "n":
            tok = line.split()
            row, i = {"n": tok[1]}, 2
            for name in ("rmse", "truth_rmse", "diff_rmse", "diff_truth_rmse"):
                if tok[i] == "-":
                    row[name], i = None, i + 1
                else:
                    assert tok[i + 1] == "+-"
                    row[name], i = (float(tok[i]), float(tok[i + 2])), i + 3
            for name in ("rmse_median", "truth_rmse_median"):  # "median [lower, upper]" or "-"
                if tok[i] == "-":
                    row[name], i = None, i + 1
                else:
                    assert tok[i + 1].startswith("[") and tok[i + 2].endswith("]")
                    row[name] = tuple(float(t.strip("[],")) for t in tok[i:i + 3])
                    i += 3
            assert i == len(tok)
            out[stem][x][tok[0]] = row
    return out


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_summary_numbers_equal_the_file(result_file, experiment, tmp_path):
    path = result_file(experiment)
    done = run_cli("summary", path, "--csv", tmp_path / "s.csv")
    assert done.returncode == 0, done.stderr
    got = parse_summary(done.stdout)
    want = expected(path)
    assert set(got) == set(want)
    n_rows = 0
    for key, w in want.items():
        assert sorted(got[key]) == sorted(w["points"])
        methods = w["methods"]["rmse"] | w["methods"]["truth_rmse"]
        for x, stats in w["points"].items():
            largest = got[key][x].pop("largest", "")
            assert set(got[key][x]) == methods
            n_rows += len(methods)
            for m in methods:
                row = got[key][x][m]
                n1, n2 = stats[("rmse", m)][0], stats[("truth_rmse", m)][0]
                assert row["n"] == (str(n1) if n1 == n2 else f"{n1}/{n2}")
                for metric in ("rmse", "truth_rmse"):
                    n, mean, sem = stats[(metric, m)]
                    assert close(row[metric][0], mean, 1e-5) and close(row[metric][1], sem, 1e-5)
                    median, lower, upper = row[f"{metric}_median"]
                    assert close(median, w["medians"][x][(metric, m)], 1e-5)
                    assert lower <= median <= upper or math.isnan(lower)
                if stats[("rmse", m)][0] > 0:  # the worst run of each method is named with its value
                    worst = w["worst"][x][m]
                    assert f"{m} run {worst[0]} (" in largest, largest
                    if m == "jint":
                        assert row[f"diff_{metric}"] is None
                    else:
                        _, dmean, dsem = w["diffs"][x][(metric, m)]
                        assert close(row[f"diff_{metric}"][0], dmean, 1e-5)
                        assert close(row[f"diff_{metric}"][1], dsem, 1e-5)
    # The CSV holds the same numbers at full precision.
    with open(tmp_path / "s.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == n_rows
    x_col = {"main": "N", "ratio": "ratio", "convergence": "N_total"}[experiment]
    for r in rows:
        key = stem(r["experiment"], r["scm_type"], int(r["K"]), int(r["n_order_fit"]), r["regularization"],
                   r["rng"], int(r["N_avg"]) if r["N_avg"] else -1)
        stats = want[key]["points"][float(r[x_col])]
        for metric in ("rmse", "truth_rmse"):
            n, mean, sem = stats[(metric, r["method"])]
            assert int(r[f"n_{metric}"]) == n
            assert close(float(r[f"{metric}_mean"]), mean, 1e-12) and close(float(r[f"{metric}_sem"]), sem, 1e-12)


def test_summary_reports_failed_runs(synthetic_file):
    from conftest import Sweep
    path = synthetic_file(Sweep("main", N=(200,), N_runs=5, failed=((0, 3),)))
    done = run_cli("summary", path)
    assert done.returncode == 0
    assert "5 runs, 1 failed" in done.stdout
    got = parse_summary(done.stdout)
    assert {row["n"] for m, row in got["main_polynomial_K2_d3_ridge"][200.0].items() if m != "largest"} == {"4"}


def _bad_files(tmp_path):
    text = tmp_path / "notes.h5"
    text.write_text("not HDF5\n")
    bare = tmp_path / "bare.h5"
    with h5py.File(bare, "w") as f:
        f.create_group("runs")
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.attrs["format"] = "something-else"
    return {"missing": tmp_path / "missing.h5", "not HDF5": text, "no format attribute": bare,
            "wrong format": other, "a directory": tmp_path}


@pytest.mark.parametrize("command", ["summary", "plot"])
@pytest.mark.parametrize("kind", ["missing", "not HDF5", "no format attribute", "wrong format", "a directory"])
def test_bad_input_exits_2_with_one_line_naming_the_file(tmp_path, command, kind):
    path = _bad_files(tmp_path)[kind]
    extra = ("--out", tmp_path / "figs") if command == "plot" else ()
    done = run_cli(command, path, *extra)
    assert done.returncode == 2, (kind, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and lines[0].startswith("analysis: error:"), done.stderr
    assert done.stdout == ""


def test_unwritable_csv_exits_1(result_file, tmp_path):
    done = run_cli("summary", result_file("main"), "--csv", tmp_path / "no" / "such" / "dir" / "s.csv")
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1


def test_help_of_every_command():
    for args in ((), ("plot",), ("summary",)):
        done = run_cli(*args, "--help")
        assert done.returncode == 0 and "usage:" in done.stdout
    assert run_cli().returncode == 2
    assert run_cli("plot", "x.h5").returncode == 2  # --out is required
