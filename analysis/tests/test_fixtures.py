"""The fixtures themselves: the synthetic writer follows docs/results-format.md, and
IGBENCH_BINARY swaps it for the real program."""
import os
import subprocess
import sys
import textwrap

import h5py
import numpy as np

from conftest import ALL_METHODS, COLUMNS as SCHEMA, IGBENCH_COMMANDS, Sweep
from test_plots import REPO

ROOT_ATTRS = {"format": str, "format_version": int, "igbench_version": str, "git_commit": str,
              "command_line": str, "host": str, "start_time": str, "end_time": str, "ranks": int,
              "threads": int, "experiment": str, "complete": int, "n_tasks": int}
# From the schema (columns.json): name -> the dtype a reader sees.
COLUMNS = {c["name"]: {"string16": "S16", "string64": "S64"}.get(c["storage"], c["storage"]) for c in SCHEMA}


def _kind(v):
    v = v.item() if isinstance(v, np.generic) else v
    return str if isinstance(v, (str, bytes)) else type(v)


def test_writer_follows_the_format_document(synthetic_file):
    path = synthetic_file(Sweep("ratio", K=(2, 3), N_runs=3, failed=((0, 1),)))
    with h5py.File(path, "r") as f:
        assert {k: _kind(v) for k, v in f.attrs.items()} == ROOT_ATTRS
        assert f.attrs["format"] == b"igbench-results" and f.attrs["n_tasks"] == 18
        sweep = dict(f["sweep"].attrs)
        assert {"spec", "experiment", "rng", "N_runs", "seed", "scm_type", "regularization", "methods",
                "K", "n_order_fit", "N_avg", "ratios"} <= set(sweep)
        assert sweep["spec"].startswith("experiment=ratio\n")
        runs = f["runs"]
        assert {k: str(runs[k].dtype) if runs[k].dtype.kind != "S" else f"S{runs[k].dtype.itemsize}"
                for k in runs} == COLUMNS
        n = len(runs["run"])
        per_action = {c["name"] for c in SCHEMA if c["shape"] == "per_action"}
        assert all(runs[k].shape == (n,) for k in runs if k not in per_action)
        assert all(runs[k].shape == (n, 3) for k in per_action)
        assert runs["alpha_sint"].shape == (n, 3)
        K = runs["K"][()]
        assert np.isnan(runs["alpha_sint"][K == 2, 2]).all() and np.isfinite(runs["alpha_sint"][K == 3]).all()
        assert np.isnan(runs["rmse_pooled"][()]).all() and np.isnan(runs["alpha_pooled"][()]).all()
        assert list(runs["status"][()]).count(b"ok") == n - 1
        keys = list(zip(runs["point"][()], runs["run"][()]))
        assert keys == sorted(keys)


def test_igbench_binary_replaces_the_writer(tmp_path):
    # A stand-in for igbench that logs its arguments and writes the file with the same writer.
    log = tmp_path / "calls.log"
    fake = tmp_path / "igbench"
    fake.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import sys
        sys.path.insert(0, {os.path.dirname(__file__)!r})
        from conftest import Sweep, write_results
        args = sys.argv[1:]
        with open({str(log)!r}, "a") as f:
            f.write(" ".join(args) + "\\n")
        out = args[args.index("--out") + 1]
        write_results(out, Sweep(args[0], N=(200,), N_total=(200, 400), N_runs=3))
        """))
    fake.chmod(0o755)
    env = dict(os.environ, IGBENCH_BINARY=str(fake))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "analysis/tests/test_results.py", "analysis/tests/test_plots.py",
                           "analysis/tests/test_cli.py"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    calls = sorted(log.read_text().splitlines())
    assert len(calls) == 3
    for call, (experiment, args) in zip(calls, sorted(IGBENCH_COMMANDS.items())):
        assert call.startswith(args + " --out ") and call.endswith(f"{experiment}.h5")
