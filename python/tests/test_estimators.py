"""PolynomialRidgeCV against scikit-learn's GridSearchCV (an independent, materialising
implementation), and JointEffectRegressor against the CLI's method column."""
import numpy as np
import pytest

import igbench
from conftest import read_runs, same_bits

sklearn = pytest.importorskip("sklearn")
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import PolynomialFeatures, StandardScaler  # noqa: E402

GRID = np.array(igbench.ALPHA_GRID)  # the experiments' grid, bit for bit


def sklearn_fit(X, y, degree, alphas):
    pipe = make_pipeline(PolynomialFeatures(degree), StandardScaler(), Ridge())
    search = GridSearchCV(pipe, {"ridge__alpha": list(alphas)}, cv=3)
    return search.fit(X, y)


def random_data(seed):
    rng = np.random.default_rng(seed)
    n, K = int(rng.integers(30, 400)), int(rng.integers(1, 4))
    X = rng.normal(size=(n, K)) * rng.uniform(0.1, 3, size=K) + rng.normal(size=K)
    y = np.sin(X).sum(axis=1) + X[:, 0] ** 2 * rng.normal() + rng.normal(scale=rng.uniform(0.01, 1), size=n)
    return X, y, int(rng.integers(1, 4))


@pytest.mark.parametrize("seed", range(12))
def test_polynomial_ridge_cv_agrees_with_gridsearchcv(seed):
    X, y, degree = random_data(seed)
    alphas = GRID if seed % 2 == 0 else np.array([1e-3, 0.1, 1.0, 10.0, 100.0])
    ours = igbench.PolynomialRidgeCV(degree=degree, alphas=None if seed % 2 == 0 else alphas).fit(X, y)
    ref = sklearn_fit(X, y, degree, alphas)
    assert ours.alpha_ == ref.best_params_["ridge__alpha"]
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"],
                               rtol=1e-8, atol=1e-10)
    Xt = np.random.default_rng(seed + 100).normal(size=(50, X.shape[1]))
    p, q = ours.predict(Xt), ref.predict(Xt)
    # within 1e-8 relative to the scale of the predictions
    assert np.max(np.abs(p - q)) <= 1e-8 * np.max(np.abs(q))
    assert abs(ours.score(X, y) - ref.score(X, y)) < 1e-8


def test_polynomial_ridge_cv_attributes_and_layouts():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = 1.0 + 2.0 * X[:, 0] - X[:, 0] * X[:, 1]
    m = igbench.PolynomialRidgeCV(degree=2).fit(X, y)
    assert m.feature_names_ == ["1", "a0", "a1", "a0^2", "a0 a1", "a1^2"]
    assert m.coef_.shape == (6,) and m.coef_[0] == 0.0
    # noiseless data: a perfect fit (R^2 = 1 up to the smallest alphas' shrinkage), the truth recovered
    assert m.alpha_ <= 1e-6 and m.cv_results_["mean_test_score"].max() > 1 - 1e-9
    np.testing.assert_allclose(m.coef_, [0, 2, 0, 0, -1, 0], atol=1e-6)
    assert abs(m.intercept_ - 1.0) < 1e-6
    # any layout or dtype with the same values gives the same bits
    for Xv in (np.asfortranarray(X), np.repeat(X, 2, axis=0)[::2], X.astype(">f8"), X.tolist()):
        m2 = igbench.PolynomialRidgeCV(degree=2).fit(Xv, list(y))
        assert same_bits(m2.coef_, m.coef_) and m2.intercept_ == m.intercept_
    Xi = rng.integers(-5, 5, size=(100, 2))
    yi = Xi[:, 0] * 1.5
    a = igbench.PolynomialRidgeCV(degree=2).fit(Xi, yi)
    b = igbench.PolynomialRidgeCV(degree=2).fit(Xi.astype(np.float64), yi)
    assert same_bits(a.coef_, b.coef_)
    with pytest.raises(ValueError, match="cv"):
        igbench.PolynomialRidgeCV(cv=5).fit(X, y)
    with pytest.raises(ValueError, match="not fitted"):
        igbench.PolynomialRidgeCV().predict(X)
    assert igbench.PolynomialRidgeCV(degree=2).get_params() == {"degree": 2, "alphas": None, "cv": 3}


def cli_data_sets(scm, N):
    """The data sets of the CLI's main run of `scm` at N (sample() with the defaults)."""
    obs = scm.sample(N, "observational")
    single = [scm.sample(N, k) for k in range(scm.K)]
    joint = scm.sample(N, "joint")
    return obs, single, joint


@pytest.mark.parametrize("scm_type,reg", [("polynomial", "ridge"), ("linear", "ridge"), ("polynomial", "lasso")])
def test_joint_effect_regressor_equals_the_cli_method_column(cli, tmp_path, scm_type, reg):
    K, N, runs_n = 3, 2500, 3  # N > 2048: folds span several chunks
    out = tmp_path / "m.h5"
    cli("main", "--K", K, "--N", N, "--N_runs", runs_n, "--scm_type", scm_type, "--regularization", reg,
        "--out", out, "--quiet")
    runs = read_runs(out)
    sample = igbench.sample_polynomial_scm if scm_type == "polynomial" else igbench.sample_linear_scm
    for i, r in enumerate(runs["run"]):
        obs, single, joint = cli_data_sets(sample(K, seed=int(r)), N)
        train = lambda d: igbench.train_test_split(*d)[0]
        est = igbench.JointEffectRegressor(degree=3, regularization=reg)
        est.fit(observational=train(obs), interventional=[train(d) for d in single])
        (_, _), (A_test, Y_test) = igbench.train_test_split(*joint)
        assert est.rmse(A_test, Y_test) == runs["rmse_method"][i]
        assert est.models_["m_obs"].alpha_ == runs["alpha_obs"][i]
        assert [m.alpha_ for m in est.models_["m_k"]] == list(runs["alpha_sint"][i][:K])
        # predict() is the same linear function: its RMSE agrees to rounding
        direct = np.sqrt(np.mean((est.predict(A_test) - Y_test) ** 2))
        assert abs(direct - runs["rmse_method"][i]) <= 1e-9 * runs["rmse_method"][i]


def test_joint_effect_regressor_is_the_combination_of_its_models():
    scm = igbench.sample_polynomial_scm(2, seed=12)  # (seed 11's model is barely confounded: obs ~ method)
    obs, single, joint = cli_data_sets(scm, 3000)
    est = igbench.JointEffectRegressor(degree=2).fit(observational=obs, interventional=single)
    A = joint[0][:100]
    combo = sum(m.predict(A) for m in est.models_["m_k"]) - (2 - 1) * est.models_["m_obs"].predict(A)
    np.testing.assert_allclose(est.predict(A), combo, rtol=1e-10, atol=1e-12)
    # identification: much closer to the truth than the observational model
    mu = scm.true_effect(A)
    err = lambda p: np.sqrt(np.mean((p - mu) ** 2))
    assert err(est.predict(A)) < 0.5 * err(est.models_["m_obs"].predict(A))


def test_joint_effect_regressor_errors_use_the_clis_wording():
    rng = np.random.default_rng(1)
    A, Y = rng.normal(size=(50, 2)), rng.normal(size=50)
    est = igbench.JointEffectRegressor()
    with pytest.raises(ValueError, match="interventional holds 1 data sets but observational A has K = 2"):
        est.fit(observational=(A, Y), interventional=[(A, Y)])
    with pytest.raises(ValueError, match=r"interventional\[1\] A has 3 columns but observational A has K = 2"):
        est.fit(observational=(A, Y), interventional=[(A, Y), (rng.normal(size=(50, 3)), Y)])
    bad = A.copy()
    bad[7, 1] = np.nan
    with pytest.raises(ValueError, match=r"interventional\[0\] holds NaN or inf in row 7"):
        est.fit(observational=(A, Y), interventional=[(bad, Y), (A, Y)])
    Yi = Y.copy()
    Yi[3] = np.inf
    with pytest.raises(ValueError, match="observational holds NaN or inf in row 3"):
        est.fit(observational=(A, Yi), interventional=[(A, Y), (A, Y)])
    with pytest.raises(ValueError, match="has 5 samples, too few: a data set needs at least 6"):
        est.fit(observational=(A[:5], Y[:5]), interventional=[(A, Y), (A, Y)])
    with pytest.raises(ValueError, match="Y has 49 values but its actions have 50 rows"):
        est.fit(observational=(A, Y[:49]), interventional=[(A, Y), (A, Y)])
    with pytest.raises(ValueError, match="2-D"):
        est.fit(observational=(Y, Y), interventional=[(A, Y)])
    with pytest.raises(ValueError, match="regularization"):
        igbench.JointEffectRegressor(regularization="l1").fit(observational=(A, Y), interventional=[(A, Y), (A, Y)])
    with pytest.raises(ValueError, match="overflow"):
        est.fit(observational=(A * 1e120, Y), interventional=[(A, Y), (A, Y)])


THREADS_SCRIPT = """
import igbench
scm = igbench.sample_polynomial_scm(3, seed=5)
d = [scm.sample(5000, r) for r in ("observational", 0, 1, 2)]
est = igbench.JointEffectRegressor().fit(observational=d[0], interventional=d[1:])
print(est.intercept_.hex(), [float(c).hex() for c in est.coef_], est.rmse(*scm.sample(3000, "joint")).hex())
"""


def test_fits_from_arrays_do_not_depend_on_the_thread_count():
    import os
    import subprocess
    import sys
    outs = []
    for threads in ("1", "3"):
        p = subprocess.run([sys.executable, "-c", THREADS_SCRIPT], capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, OMP_NUM_THREADS=threads))
        assert p.returncode == 0, p.stderr
        outs.append(p.stdout)
    assert outs[0] == outs[1]
