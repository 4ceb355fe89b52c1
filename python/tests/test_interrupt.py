"""Ctrl-C (SIGINT, what Jupyter's interrupt sends) during run_sweep stops the sweep gracefully,
as SIGINT stops the CLI: KeyboardInterrupt in Python, the runs finished so far saved in a file
that loads, and resume=True completes it into the same rows an uninterrupted sweep writes."""
import os
import signal
import subprocess
import sys
import time

import igbench
from conftest import read_runs, same_bits

SCRIPT = """
import sys, igbench
try:
    igbench.run_sweep(sys.argv[1], "main", K=3, N=20000, N_runs=150)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(130)
"""


def test_sigint_stops_run_sweep_gracefully_and_resume_completes_it(tmp_path):
    out = tmp_path / "s.h5"
    p = subprocess.Popen([sys.executable, "-c", SCRIPT, str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=dict(os.environ, OMP_NUM_THREADS="1"))
    journal = str(out) + ".journal.0"
    t0 = time.monotonic()
    while not (os.path.exists(journal) and os.path.getsize(journal) > 0) and time.monotonic() - t0 < 120:
        time.sleep(0.05)  # until the first finished run is in the journal
    p.send_signal(signal.SIGINT)
    stdout, stderr = p.communicate(timeout=120)
    assert p.returncode == 130, stderr
    assert "interrupted" in stdout
    df = igbench.load_results(out)
    assert 0 < len(df) < 150 and (df["status"] == "ok").all()
    # resume finishes it; the rows equal an uninterrupted sweep's
    igbench.run_sweep(out, "main", K=3, N=20000, N_runs=150, resume=True)
    full = tmp_path / "full.h5"
    igbench.run_sweep(full, "main", K=3, N=20000, N_runs=150)
    a, b = read_runs(out), read_runs(full)
    assert len(a["run"]) == 150
    for col in ("run", "seed", "rmse_method", "truth_rmse_jint", "alpha_sint"):
        assert same_bits(a[col], b[col]), col
