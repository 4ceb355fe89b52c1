"""The results reader is pure Python: the package in the source tree (without the compiled
core) reads result files, as the analysis package can; the rest says how to build the core."""
import os
import subprocess
import sys

from conftest import SOURCE_DIR

CODE = """
import sys, igbench
rf = igbench.read_results(sys.argv[1])
df = igbench.load_results(sys.argv[1])
print(rf.n_rows, len(df), sorted(c for c in df.columns if c.startswith("alpha_sint")))
try:
    igbench.JointEffectRegressor
except ImportError as e:
    print("ImportError", "make build" in str(e))
"""


def test_reader_works_without_the_compiled_core(cli, tmp_path):
    out = tmp_path / "r.h5"
    cli("main", "--K", 2, "--N", 500, "--N_runs", 3, "--out", out, "--quiet")
    env = dict(os.environ, PYTHONPATH=os.path.join(SOURCE_DIR, "python"))
    p = subprocess.run([sys.executable, "-c", CODE, str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0] == "3 3 ['alpha_sint_0', 'alpha_sint_1']"
    assert lines[1] == "ImportError True"
