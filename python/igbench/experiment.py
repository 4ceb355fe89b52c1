"""Runs and sweeps of the CLI, in-process.

run_experiment: one run (experiment::run, the function the CLI's sweep driver calls per task);
its dict equals the CLI's row of that run bitwise. run_sweep: a whole sweep through the CLI's
sweep driver on one process (OpenMP threads, no MPI), writing the same HDF5 file as
`igbench main|ratio|convergence ... --out PATH`.
"""
from __future__ import annotations

import os
import secrets

import numpy as np

from . import _arrays, _core
from .scm import SCM


def _alphas_list(alphas):
    """None (the reference's grid, numpy.logspace(-8, -1, 8)) or the grid as a list of floats; the
    core checks it (strictly ascending, finite, >= 0) with the CLI's wording."""
    if alphas is None:
        return None
    return [float(a) for a in np.asarray(alphas, dtype=np.float64).ravel()]


def run_experiment(scm: SCM | None = None, K=None, N=10000, n_order_fit=3, regularization="ridge", seed=None,
                   methods=None, alphas=None, *, scm_type=None, run=None, N_obs=None, N_sint=None, N_jint=None,
                   experiment="main", rng="fast") -> dict:
    """One run of the main experiment (N samples per data set; or N_obs, N_sint, N_jint).

    The run is (seed, run): its model is sample_*_scm(K, seed, run) and its data come from the
    same counter-based streams as the CLI's. With `scm`, seed, run, K and the SCM type are the
    model's; without, seed=None draws a random seed and run defaults to seed (the CLI's run r
    uses seed r; `igbench main --N_runs 1 --seed s` is seed=s, run=0).

    Returns {'rmse_<m>', 'truth_rmse_<m>' for each method m, 'alpha_obs', 'alpha_pooled',
    'alpha_jint', 'alpha_sint' (list) and 'alpha_sint_<k>', 'seconds_generate', 'seconds_solve',
    'samples_generated', and the run's identity (seed, run, K, N_obs, N_sint, N_jint, ...)}."""
    if scm is not None:
        if not isinstance(scm, SCM):
            raise ValueError("scm must be an SCM from sample_polynomial_scm or sample_linear_scm")
        if K is not None and _arrays.check_int(K, "K", 1) != scm.K:
            raise ValueError(f"K = {K} but the scm has K = {scm.K} actions: pass K={scm.K} or omit K")
        if seed is not None and _arrays.check_seed(seed) != scm.seed:
            raise ValueError(f"seed = {seed} but the scm was sampled with seed {scm.seed}: a run's model and data "
                             f"both derive from (seed, run); omit seed or sample the scm with seed={seed}")
        if run is not None and _arrays.check_seed(run, "run") != scm.run:
            raise ValueError(f"run = {run} but the scm was sampled with run {scm.run}; omit run")
        if scm_type is not None and scm_type != scm.scm_type:
            raise ValueError(f"scm_type = {scm_type!r} but the scm is {scm.scm_type}")
        K, seed, run, scm_type = scm.K, scm.seed, scm.run, scm.scm_type
    else:
        K = 5 if K is None else _arrays.check_int(K, "K", 1)
        seed = secrets.randbits(32) if seed is None else _arrays.check_seed(seed)
        run = seed if run is None else _arrays.check_seed(run, "run")
        scm_type = "polynomial" if scm_type is None else scm_type
    N = _arrays.check_int(N, "N", 1)
    sizes = [N if v is None else _arrays.check_int(v, name, 1)
             for v, name in ((N_obs, "N_obs"), (N_sint, "N_sint"), (N_jint, "N_jint"))]
    n_order_fit = _arrays.check_int(n_order_fit, "n_order_fit", 1)
    if methods is None:
        methods = []
    elif isinstance(methods, str):
        methods = [methods]
    result = _core.run(experiment, scm_type, K, sizes[0], sizes[1], sizes[2], n_order_fit, regularization,
                       seed, run, list(methods), rng, _alphas_list(alphas))
    for k, a in enumerate(result["alpha_sint"]):
        result[f"alpha_sint_{k}"] = a
    for k, c in enumerate(result["cond_sint"]):
        result[f"cond_sint_{k}"] = c
    result.update(experiment=experiment, scm_type=scm_type, K=K, n_order_fit=n_order_fit,
                  regularization=regularization, rng=rng, N_obs=sizes[0], N_sint=sizes[1], N_jint=sizes[2],
                  seed=seed, run=run)
    return result


def _list(value, name, kind=int):
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple, np.ndarray)) else [value]
    if len(items) == 0:
        raise ValueError(f"{name} is an empty list: give at least one value")
    if kind is int:
        return [_arrays.check_int(v, name, 1) for v in items]
    if kind is float:
        try:
            return [float(v) for v in items]
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be numbers (got {value!r})") from None
    return [str(v) for v in items]


def run_sweep(out, experiment="main", *, K=5, N=None, N_avg=None, ratios=None, N_total=None, N_runs=100,
              scm_type="polynomial", n_order_fit=3, regularization="ridge", seed=42, methods=None, rng="fast",
              resume=False, progress=False) -> str:
    """Runs a sweep in this process and writes `out` (HDF5) exactly as
    `igbench <experiment> --K .. --N .. --N_runs .. --out out` does (every axis takes a value or
    a list; omitted sizes take the CLI's defaults). Returns the path; read it with load_results.
    Raises ValueError for bad input (e.g. `out` exists without resume=True) and RuntimeError
    when a run failed (its row's status says why)."""
    out = os.fspath(out)
    if experiment not in ("main", "ratio", "convergence"):
        raise ValueError(f"unknown experiment '{experiment}' (choose main, ratio or convergence)")
    N_runs = _arrays.check_int(N_runs, "N_runs", 1)
    seed = _arrays.check_seed(seed)
    args = dict(K=_list(K, "K"), N=_list(N, "N"), N_avg=_list(N_avg, "N_avg"), ratios=_list(ratios, "ratios", float),
                N_total=_list(N_total, "N_total"), scm_types=_list(scm_type, "scm_type", str),
                n_order_fit=_list(n_order_fit, "n_order_fit"), regularizations=_list(regularization, "regularization", str),
                methods=_list(methods, "methods", str))
    command = f"python: igbench.run_sweep({out!r}, {experiment!r}, " + ", ".join(
        f"{k}={v}" for k, v in sorted(args.items()) if v) + f", N_runs={N_runs}, seed={seed}, rng={rng!r})"
    code = _core.run_sweep(experiment, args["scm_types"], args["K"], args["n_order_fit"], args["regularizations"],
                           args["N"], args["N_avg"], args["ratios"], args["N_total"], N_runs, seed, args["methods"],
                           rng, out, bool(resume), bool(progress), command)
    if code != 0:
        raise RuntimeError(f"igbench.run_sweep: some runs failed (exit code {code}); see the status column of {out}")
    return out
