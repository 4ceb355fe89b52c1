#!/usr/bin/env python3
"""Benchmark (not a test): the paper's estimator fitted from numpy arrays by the Python package
against the CLI's run on the same data, and the memory the fit needs beyond its input arrays.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/bench_python.py \
        --binary build/release/src/igbench [--K 5] [--N 1000000] [--reps 3]

1. Time: the CLI's `igbench main --K K --N N --N_runs 1 --seed S --methods method` (generate the
   K + 2 data sets, stream them into moments, fit, score; wall time of the process and its own
   seconds_generate + seconds_solve) against JointEffectRegressor.fit on the same data sets
   (their training parts, as numpy arrays: observational + K single-intervention sets) plus its
   rmse on the joint test part. The two agree bitwise on rmse_method (checked here too).
2. Memory: in a fresh process per N, peak resident memory during fit + rmse above the resident
   memory once the input arrays exist (VmHWM reset through /proc/self/clear_refs).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

import igbench


def cli_run(binary, K, N, seed, out):
    t0 = time.perf_counter()
    subprocess.run([binary, "main", "--K", str(K), "--N", str(N), "--N_runs", "1", "--seed", str(seed),
                    "--methods", "method", "--out", out, "--quiet"], check=True, capture_output=True)
    wall = time.perf_counter() - t0
    with h5py.File(out, "r") as f:
        r = f["runs"]
        return wall, float(r["seconds_generate"][0] + r["seconds_solve"][0]), float(r["rmse_method"][0])


def data_sets(K, N, seed):
    scm = igbench.sample_polynomial_scm(K, seed=seed, run=0)  # `--N_runs 1 --seed s` is (s, run 0)
    train = lambda d: igbench.train_test_split(*d)[0]
    obs = train(scm.sample(N, "observational"))
    single = [train(scm.sample(N, k)) for k in range(K)]
    test = igbench.train_test_split(*scm.sample(N, "joint"))[1]
    return obs, single, test


def python_fit(obs, single, test):
    t0 = time.perf_counter()
    est = igbench.JointEffectRegressor(degree=3).fit(observational=obs, interventional=single)
    rmse = est.rmse(*test)
    return time.perf_counter() - t0, rmse


def status_kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def memory_child(K, N, seed):
    """Runs in a fresh process: extra peak memory (MiB) of fit + rmse beyond the inputs."""
    obs, single, test = data_sets(K, N, seed)
    inputs = sum(a.nbytes + y.nbytes for a, y in [obs, *single, test]) / 2**20
    before = status_kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset VmHWM to the current RSS
    python_fit(obs, single, test)
    peak = status_kib("VmHWM")
    print(json.dumps({"N": N, "inputs_MiB": inputs, "extra_MiB": (peak - before) / 1024}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/release/src/igbench")
    ap.add_argument("--K", type=int, default=5)
    ap.add_argument("--N", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--memory_N", default="100000,300000,1000000")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        memory_child(a.K, a.N, a.seed)
        return

    obs, single, test = data_sets(a.K, a.N, a.seed)
    cli_wall, cli_inner, py_times = [], [], []
    with tempfile.TemporaryDirectory() as d:
        for i in range(a.reps):
            w, inner, cli_rmse = cli_run(a.binary, a.K, a.N, a.seed, os.path.join(d, f"r{i}.h5"))
            cli_wall.append(w)
            cli_inner.append(inner)
            t, py_rmse = python_fit(obs, single, test)
            py_times.append(t)
    med = lambda v: float(np.median(v))
    print(f"K = {a.K}, N = {a.N}, threads = {os.environ.get('OMP_NUM_THREADS', 'default')}, median of {a.reps}")
    print(f"CLI run (generate + fit + score): wall {med(cli_wall):.3f} s, in-run {med(cli_inner):.3f} s")
    print(f"Python fit from arrays + rmse:    {med(py_times):.3f} s  (ratio to CLI wall {med(py_times) / med(cli_wall):.2f})")
    print(f"rmse_method bitwise equal: {py_rmse == cli_rmse} ({py_rmse!r})")
    for N in [int(x) for x in a.memory_N.split(",")]:
        r = subprocess.run([sys.executable, __file__, "--child", "--K", str(a.K), "--N", str(N), "--seed", str(a.seed)],
                           check=True, capture_output=True, text=True)
        m = json.loads(r.stdout)
        print(f"memory N = {N:>8}: inputs {m['inputs_MiB']:8.1f} MiB, fit + rmse peak beyond them {m['extra_MiB']:6.1f} MiB")


if __name__ == "__main__":
    main()
