"""Estimators for users' own data, in scikit-learn's style, computed from moments by the core.

PolynomialRidgeCV: scikit-learn's GridSearchCV(Pipeline(PolynomialFeatures(degree),
StandardScaler(), Ridge(alpha)), {'alpha': alphas}, cv=3) (METHOD.md section 6): contiguous folds
(KFold(3) without shuffling), R^2 scoring, first best alpha, refit on all samples.

JointEffectRegressor: the paper's estimator of E[Y | do(a)] from observational data and one
single-intervention data set per action: sum_k m_k(a) - (K - 1) m_obs(a), every model a
cross-validated PolynomialRidgeCV-style fit (METHOD.md section 7).

Both read the arrays in place (float64 of any strides; other dtypes are converted once) and
stream them through the core's moment pass: memory beyond the inputs is O(P^2), not O(n).
Every sample given to fit() is training data (three contiguous folds); to reproduce a CLI run,
give the training parts of its data sets (igbench.train_test_split).
"""
from __future__ import annotations

import numpy as np

from . import _arrays, _core


# The experiments' alpha grid: numpy.logspace(-8, -1, 8) as the reference's numpy computes it
# (three values one bit below the power of ten, METHOD.md section 6).
ALPHA_GRID = tuple(_core.alpha_grid())


def feature_names(K: int, degree: int) -> list[str]:
    """Names of phi(a) in the order of coef_: '1', 'a0', .., 'a0^2', 'a0 a1', ..."""
    return _core.feature_names(K, degree)


def test_size(n: int) -> int:
    """ceil(0.2 n): the size of the test part the CLI holds out of a data set of n samples."""
    return _core.test_size(_arrays.check_int(n, "n", 1))


def train_test_split(A, Y):
    """The CLI's split of a data set: ((A_train, Y_train), (A_test, Y_test)), the test part being
    the first ceil(0.2 n) samples (views, no copies)."""
    A = _arrays.as_float64(A, "A")
    Y = _arrays.as_float64(Y, "Y")
    t = test_size(len(A))
    return (A[t:], Y[t:]), (A[:t], Y[:t])


class FittedModel:
    """One cross-validated polynomial model: yhat = intercept_ + coef_ . phi(a).

    alpha_: the chosen alpha; coef_: weights of phi(a) in raw coordinates (coef_[0], the
    constant's, is 0: the intercept carries it); cv_scores_: mean R^2 over the folds per alpha;
    n_train_: samples fitted on."""

    def __init__(self, d: dict, K: int, degree: int, alphas):
        self.alpha_ = d["alpha"]
        self.intercept_ = d["intercept"]
        self.coef_ = np.concatenate([[0.0], np.asarray(d["weights"], dtype=np.float64)])
        self.cv_scores_ = np.asarray(d.get("mean_r2", []), dtype=np.float64)
        self.alphas_ = np.asarray(alphas, dtype=np.float64)
        self.n_train_ = d.get("n_train")
        self.n_features_in_ = K
        self.degree = degree

    def predict(self, A) -> np.ndarray:
        A = _arrays.check_design(A, "A", self.n_features_in_)
        return _core.predict(self.intercept_, self.coef_[1:], A, self.degree)

    def __repr__(self):
        return f"<igbench.FittedModel K={self.n_features_in_} degree={self.degree} alpha={self.alpha_!r}>"


class _Params:
    """get_params / set_params as scikit-learn expects of an estimator."""
    _param_names: tuple = ()

    def get_params(self, deep=True):
        return {name: getattr(self, name) for name in self._param_names}

    def set_params(self, **params):
        for name, value in params.items():
            if name not in self._param_names:
                raise ValueError(f"unknown parameter {name!r} (choose {', '.join(self._param_names)})")
            setattr(self, name, value)
        return self

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


def _check_degree(degree):
    return _arrays.check_int(degree, "degree", 1)


def _check_regularization(reg):
    if reg not in ("ridge", "lasso"):
        raise ValueError(f"unknown regularization {reg!r} (choose ridge or lasso)")
    return reg


def r2(y, yhat) -> float:
    """scikit-learn's r2_score: 1 - SS_res / SS_tot (1 if both are 0, 0 if only SS_tot is)."""
    y = np.asarray(y, dtype=np.float64)
    ss_res = float(np.sum((y - yhat) ** 2))
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    if ss_tot == 0.0:
        return 1.0 if ss_res == 0.0 else 0.0
    return 1.0 - ss_res / ss_tot


class PolynomialRidgeCV(_Params):
    """Cross-validated polynomial ridge regression from moments; see the module docstring.

    alphas=None uses numpy.logspace(-8, -1, 8) (the experiments' grid). cv must be 3."""
    _param_names = ("degree", "alphas", "cv")

    def __init__(self, degree=3, alphas=None, cv=3):
        self.degree = degree
        self.alphas = alphas
        self.cv = cv

    def fit(self, X, y):
        degree = _check_degree(self.degree)
        if self.cv != 3 or isinstance(self.cv, bool):
            raise ValueError(f"cv = {self.cv!r}: igbench's cross-validation is 3-fold (contiguous folds); use cv=3")
        alphas = None
        if self.alphas is not None:
            alphas = [float(a) for a in np.asarray(self.alphas, dtype=np.float64).ravel()]
            if not alphas or not all(np.isfinite(a) and a >= 0 for a in alphas):
                raise ValueError("alphas must be a non-empty list of finite values >= 0")
        X, y = _arrays.check_data_set((X, y), "X, y")
        folds = _core.accumulate_folds([(X, y)], degree, ["X, y"])
        d = _core.fit_cv(folds[0], "ridge", alphas)
        grid = _core.alpha_grid() if alphas is None else alphas
        self.model_ = FittedModel(d, X.shape[1], degree, grid)
        self.alpha_ = self.model_.alpha_
        self.coef_ = self.model_.coef_
        self.intercept_ = self.model_.intercept_
        self.cv_results_ = {"param_alpha": np.asarray(grid), "mean_test_score": self.model_.cv_scores_}
        self.n_features_in_ = X.shape[1]
        self.feature_names_ = feature_names(X.shape[1], degree)
        return self

    def predict(self, X) -> np.ndarray:
        self._check_fitted()
        return self.model_.predict(X)

    def score(self, X, y) -> float:
        """R^2 of the predictions on (X, y)."""
        self._check_fitted()
        X = _arrays.check_design(X, "X", self.n_features_in_)
        y = _arrays.check_outcome(y, "y", X.shape[0])
        return r2(y, self.predict(X))

    def _check_fitted(self):
        if not hasattr(self, "model_"):
            raise ValueError("this PolynomialRidgeCV is not fitted yet: call fit(X, y) first")


class JointEffectRegressor(_Params):
    """The paper's estimator of E[Y | do(a)]: fit(observational=(A, Y), interventional=[(A_0, Y_0),
    .., (A_{K-1}, Y_{K-1})]) with (A_k, Y_k) sampled under do(A_k); predict(A) = sum_k m_k(a) -
    (K - 1) m_obs(a). models_ = {'m_obs': FittedModel, 'm_k': [FittedModel] * K}."""
    _param_names = ("degree", "regularization")

    def __init__(self, degree=3, regularization="ridge"):
        self.degree = degree
        self.regularization = regularization

    def fit(self, observational, interventional):
        degree = _check_degree(self.degree)
        reg = _check_regularization(self.regularization)
        A0, Y0 = _arrays.check_data_set(observational, "observational")
        K = A0.shape[1]
        if isinstance(interventional, (str, bytes)) or not hasattr(interventional, "__len__"):
            raise ValueError("interventional must be a list of K pairs (A_k, Y_k), one per action, in action order")
        if len(interventional) != K:
            raise ValueError(f"interventional holds {len(interventional)} data sets but observational A has K = {K} "
                             f"columns: give one (A_k, Y_k) per action, in action order")
        data = [(A0, Y0)] + [_arrays.check_data_set(p, f"interventional[{k}]", K) for k, p in enumerate(interventional)]
        names = ["observational"] + [f"interventional[{k}]" for k in range(K)]
        folds = _core.accumulate_folds(data, degree, names)
        d = _core.fit_joint(folds[0], folds[1:], reg)
        grid = _core.alpha_grid()
        self.models_ = {"m_obs": FittedModel(d["obs"], K, degree, grid),
                        "m_k": [FittedModel(m, K, degree, grid) for m in d["single"]]}
        self.intercept_ = d["intercept"]
        self.coef_ = np.concatenate([[0.0], np.asarray(d["weights"], dtype=np.float64)])
        self.n_features_in_ = K
        self.feature_names_ = feature_names(K, degree)
        return self

    def predict(self, A) -> np.ndarray:
        """The estimated E[Y | do(a)] for every row a of A."""
        self._check_fitted()
        A = _arrays.check_design(A, "A", self.n_features_in_)
        return _core.predict(self.intercept_, self.coef_[1:], A, self.degree)

    def rmse(self, A, Y) -> float:
        """Root mean squared error of predict(A) against Y, computed as the CLI scores its
        estimators (from the moments of (A, Y)): for a run's joint-interventional test part it
        equals the CLI's rmse_method bitwise."""
        self._check_fitted()
        A = _arrays.check_design(A, "A", self.n_features_in_)
        Y = _arrays.check_outcome(Y, "Y", A.shape[0])
        if A.shape[0] < 1:
            raise ValueError("rmse needs at least one sample")
        return _core.rmse(self.intercept_, self.coef_[1:], A, Y, self.degree)

    def _check_fitted(self):
        if not hasattr(self, "models_"):
            raise ValueError("this JointEffectRegressor is not fitted yet: call fit(observational=..., interventional=...) first")
