"""igbench: the paper's models, experiments and estimator from Python, over igbench's C++ core.

    from igbench import sample_polynomial_scm, run_experiment
    scm = sample_polynomial_scm(K=3)
    results = run_experiment(scm=scm, K=3, N=10000, n_order_fit=3, regularization='ridge')
    print(f"Our method RMSE: {results['rmse_method']:.4f}")

Models: sample_polynomial_scm, sample_linear_scm -> SCM. Runs: run_experiment (one run, equal to
the CLI's row), run_sweep (a sweep in-process, the CLI's HDF5 file), load_results (a file as a
pandas DataFrame). Estimators for arrays: PolynomialRidgeCV, JointEffectRegressor.
"""
from .results import ResultsError, load_results, read_results

try:
    from . import _core
except ImportError as _e:  # the results reader works without the compiled core
    _core_error = _e

    def __getattr__(name):
        raise ImportError(f"igbench.{name} needs the compiled module igbench._core, which is not loadable from "
                          f"{__path__[0]} ({_core_error}); build it with `make build` and set "
                          f"PYTHONPATH=build/release/python, or install igbench") from _core_error
else:
    __version__ = _core.__version__
    from .estimators import (ALPHA_GRID, FittedModel, JointEffectRegressor, PolynomialRidgeCV, feature_names, test_size,
                             train_test_split)
    from .experiment import run_experiment, run_sweep
    from .scm import SCM, sample_linear_scm, sample_polynomial_scm

__all__ = ["SCM", "sample_polynomial_scm", "sample_linear_scm", "run_experiment", "run_sweep", "load_results",
           "read_results", "ResultsError", "PolynomialRidgeCV", "JointEffectRegressor", "FittedModel",
           "feature_names", "test_size", "train_test_split", "ALPHA_GRID"]
