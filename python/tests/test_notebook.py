"""analysis/notebooks/quickstart.ipynb executes without error (Debian's jupyter-nbconvert with
/usr/bin/python3's ipykernel), in well under a minute."""
import os
import subprocess
import sys
import time

from conftest import SOURCE_DIR

NOTEBOOK = os.path.join(SOURCE_DIR, "analysis", "notebooks", "quickstart.ipynb")


def test_quickstart_notebook_executes(tmp_path):
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", NOTEBOOK,
                        "--output-dir", str(tmp_path), "--ExecutePreprocessor.kernel_name=python3",
                        "--ExecutePreprocessor.timeout=120"],
                       capture_output=True, text=True, timeout=300, env=dict(os.environ, MPLBACKEND="Agg"))
    assert p.returncode == 0, p.stderr[-3000:]
    assert (tmp_path / "quickstart.ipynb").exists()
    assert time.monotonic() - t0 < 60
