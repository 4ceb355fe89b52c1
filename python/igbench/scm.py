"""Sampled structural causal models (METHOD.md sections 3-5), the ones `igbench scm` prints and
every run of the CLI uses: run r of an experiment samples its model from the counter-based
stream (seed r, run r, scm_parameters).

    scm = sample_polynomial_scm(K=3, seed=0)      # the model of run 0
    print(scm)                                    # == the model part of `igbench scm --K 3 --seed 0`
    A, Y = scm.sample(1000, "observational")      # records mu_k, sigma_k for interventions
    A1, Y1 = scm.sample(1000, 1)                  # do(A_1)
    Aj, Yj = scm.sample(1000, "joint")            # do(A_0..A_{K-1})
    mu = scm.true_effect(Aj)                      # E[Y | do(a)] per row
"""
from __future__ import annotations

import secrets

import numpy as np

from . import _arrays, _core

# RegimeKind of the core.
_OBSERVATIONAL, _SINGLE, _JOINT = 0, 1, 2


class SCM:
    """A sampled SCM. Its parameters are read-only copies; its identity is (scm_type, K, seed,
    run). Sampling observational data records the action means and population stds that the
    polynomial SCM's interventions draw from (METHOD.md section 3), as the CLI does."""

    def __init__(self, core):
        self._core = core
        self._moments = None  # (mean, std) of the last observational sample

    @property
    def scm_type(self) -> str:
        return self._core.scm_type

    @property
    def K(self) -> int:
        return self._core.K

    @property
    def seed(self) -> int:
        return self._core.seed

    @property
    def run(self) -> int:
        return self._core.run

    @property
    def parameters(self) -> dict:
        """Every parameter as Python values and numpy arrays. Polynomial: W, V (lists of noise
        dicts: family, mean, std), U, edges (K x K, edges[k, j] = 1: A_j -> A_k), f and g (per
        action: inputs, exponents (terms x inputs), coefficients), f_mean (K x 3: E_C f_k(a) =
        q0 + q1 a + q2 a^2), sigma_int. Linear: sigma_W, sigma_V, sigma_U, alpha, beta, gamma,
        delta (K x K), edges, sigma_int."""
        return self._core.parameters()

    @property
    def edges(self) -> np.ndarray:
        return self.parameters["edges"]

    @property
    def noise(self) -> dict:
        """The noise laws: {'W': [...], 'V': [...], 'U': ...} (polynomial: family, mean, std;
        linear: lognormal sigmas)."""
        p = self.parameters
        if self.scm_type == "polynomial":
            return {"W": p["W"], "V": p["V"], "U": p["U"]}
        return {"W": [{"family": "lognormal", "mean": 0.0, "sigma": s} for s in p["sigma_W"]],
                "V": [{"family": "lognormal", "mean": 0.0, "sigma": s} for s in p["sigma_V"]],
                "U": {"family": "lognormal", "mean": 0.0, "sigma": p["sigma_U"]}}

    @property
    def coefficients(self) -> dict:
        """Polynomial: {'f': [coefficient arrays], 'g': [...]}; linear: alpha, beta, gamma, delta."""
        p = self.parameters
        if self.scm_type == "polynomial":
            return {"f": [f["coefficients"] for f in p["f"]], "g": [g["coefficients"] for g in p["g"]]}
        return {name: p[name] for name in ("alpha", "beta", "gamma", "delta")}

    @property
    def intervention_moments(self):
        """(mean, std) of the actions in the last observational sample, or None."""
        return None if self._moments is None else tuple(np.array(m) for m in self._moments)

    def __str__(self) -> str:
        return self._core.text()

    def __repr__(self) -> str:
        return f"<igbench.SCM {self.scm_type} K={self.K} seed={self.seed} run={self.run}>"

    def sample(self, n, regime="observational", seed=None, *, sizes=None, n_order_fit=3, return_truth=False):
        """(A, Y): n samples (A n x K, Y n) of `regime`: 'observational', an action index k
        (do(A_k)) or 'joint' (do(A_0..A_{K-1})).

        The data come from the CLI's streams (seed, run, regime, point tag of `sizes`): with the
        defaults (seed = the model's seed, sizes = (n, n, n)) they are the data sets of the CLI's
        main-experiment run of this model at N = n, sample for sample. Pass sizes=(N_obs, N_sint,
        N_jint) for another sweep point. Observational sampling records the action moments the
        interventions use, as the CLI computes them (its streaming moment pass with features of
        degree n_order_fit, the run's --n_order_fit). With return_truth=True, also returns
        mu = E[Y | do(a)] of every row (meaningful for interventional regimes)."""
        n = _arrays.check_int(n, "n", 1)
        seed = self.seed if seed is None else _arrays.check_seed(seed)
        kind, action = self._regime(regime)
        sizes = (n, n, n) if sizes is None else tuple(_arrays.check_int(s, "sizes", 1) for s in sizes)
        if len(sizes) != 3:
            raise ValueError("sizes must be (N_obs, N_sint, N_jint)")
        tag = _core.point_tag(*sizes)
        if kind == _OBSERVATIONAL:
            if self.scm_type == "polynomial":
                n_order_fit = _arrays.check_int(n_order_fit, "n_order_fit", 1)
                self._moments = self._core.observational_moments(n, seed, tag, n_order_fit)
            mean, std = [], []
        elif self.scm_type == "polynomial":
            if self._moments is None:
                raise ValueError("sample observational data first: the polynomial SCM's interventions draw "
                                 "A_k ~ Normal(mu_k, sigma_k) from the observational action moments")
            mean, std = self._moments
        else:
            mean, std = [], []
        A, Y, mu = self._core.generate(n, kind, action, seed, tag, list(mean), list(std))
        return (A, Y, mu) if return_truth else (A, Y)

    def true_effect(self, A) -> np.ndarray:
        """mu(a) = E[Y | do(a)] for every row a of A (n x K), METHOD.md section 5."""
        A = _arrays.check_design(A, "A", self.K, "the SCM")
        return self._core.true_effect(A)

    def _regime(self, regime):
        if isinstance(regime, str):
            if regime == "observational":
                return _OBSERVATIONAL, 0
            if regime == "joint":
                return _JOINT, 0
            raise ValueError(f"unknown regime '{regime}' (choose 'observational', 'joint' or an action index 0..{self.K - 1})")
        k = _arrays.check_int(regime, "regime (action index)", 0, self.K - 1)
        return _SINGLE, k


def _sample(scm_type: str, K, seed, run) -> SCM:
    K = _arrays.check_int(K, "K", 1)
    seed = secrets.randbits(32) if seed is None else _arrays.check_seed(seed)
    run = seed if run is None else _arrays.check_seed(run, "run")
    return SCM(_core.sample_scm(scm_type, K, seed, run))


def sample_polynomial_scm(K: int = 5, seed=None, run=None) -> SCM:
    """The polynomial SCM of (seed, run); run defaults to seed, as in the CLI's experiments
    (run r uses seed r; `igbench scm --seed s`). seed=None draws a random seed (kept as .seed)."""
    return _sample("polynomial", K, seed, run)


def sample_linear_scm(K: int = 5, seed=None, run=None) -> SCM:
    """The linear SCM of (seed, run); see sample_polynomial_scm."""
    return _sample("linear", K, seed, run)
