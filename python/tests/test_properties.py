"""Property-based tests (hypothesis): random shapes, dtypes and values fed to the estimators
and the SCM methods either work or raise ValueError; the interpreter never crashes, and a
successful fit gives finite predictions."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import igbench

DTYPES = st.sampled_from([np.float64, np.float32, np.float16, np.int8, np.int64, np.uint16, np.bool_,
                          np.complex128, ">f8"])
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=9)
SETTINGS = settings(max_examples=150, deadline=None, database=None,  # no .hypothesis folder in the tree
                    suppress_health_check=[HealthCheck.too_slow])


def arrays(dtype=DTYPES, shape=SHAPES):
    return hnp.arrays(dtype=dtype, shape=shape,
                      elements=None)  # hypothesis' default elements include NaN, inf, extremes


def anything():
    return st.one_of(arrays(), st.none(), st.integers(), st.text(max_size=3),
                     st.lists(st.one_of(st.floats(), st.text(max_size=2)), max_size=8),
                     st.lists(st.lists(st.floats(), max_size=3), max_size=8))


@SETTINGS
@given(X=anything(), y=anything(), degree=st.one_of(st.integers(-1, 3), st.floats(), st.none()))
def test_polynomial_ridge_cv_fits_or_raises_value_error(X, y, degree):
    model = igbench.PolynomialRidgeCV(degree=degree)
    try:
        model.fit(X, y)
    except ValueError:
        return
    Xa = np.asarray(X, dtype=np.float64)
    pred = model.predict(Xa[:3])
    assert pred.shape == (min(3, len(Xa)),)


@st.composite
def data_sets(draw):
    """Mostly well-formed data (so that fits happen), with random layouts, dtypes and defects."""
    K = draw(st.integers(1, 3))
    n_sets = K + 1 + draw(st.sampled_from([0, 0, 0, -1, 1]))
    sets = []
    for _ in range(max(n_sets, 0)):
        n = draw(st.integers(0, 40))
        k = K + draw(st.sampled_from([0, 0, 0, 0, 1, -1]))
        dtype = draw(st.sampled_from([np.float64, np.float32, np.int16, ">f8"]))
        A = draw(hnp.arrays(dtype, (n, max(k, 0)), elements=st.floats(-1e3, 1e3, allow_nan=False, width=16)
                            if dtype != np.int16 else st.integers(-100, 100)))
        Y = draw(hnp.arrays(np.float64, (n + draw(st.sampled_from([0, 0, 0, 1])),),
                            elements=st.floats(allow_nan=draw(st.booleans()), allow_infinity=draw(st.booleans()))))
        if draw(st.booleans()):
            A = np.asfortranarray(A)
        if draw(st.booleans()) and n > 0:
            A = np.repeat(A, 2, axis=0)[::2]
        sets.append((A, Y))
    return sets


@SETTINGS
@given(sets=data_sets(), degree=st.integers(1, 3), reg=st.sampled_from(["ridge", "lasso"]))
def test_joint_effect_regressor_fits_or_raises_value_error(sets, degree, reg):
    est = igbench.JointEffectRegressor(degree=degree, regularization=reg)
    if not sets:
        with pytest.raises(ValueError):
            est.fit(observational=None, interventional=[])
        return
    try:
        est.fit(observational=sets[0], interventional=sets[1:])
    except ValueError:
        return
    A = np.asarray(sets[0][0], dtype=np.float64)
    assert est.predict(A).shape == (len(A),)


@SETTINGS
@given(n=st.one_of(st.integers(-3, 50), st.floats(), st.text(max_size=2)),
       regime=st.one_of(st.integers(-2, 4), st.sampled_from(["observational", "joint", "x", None])),
       seed=st.one_of(st.none(), st.integers(-1, 2**33)), A=anything())
def test_scm_methods_work_or_raise_value_error(n, regime, seed, A):
    scm = igbench.sample_polynomial_scm(2, seed=3)
    try:
        out = scm.sample(n, regime, seed)
        assert out[0].shape == (n, 2)
    except ValueError:
        pass
    try:
        mu = scm.true_effect(A)
        assert mu.shape == (np.asarray(A).shape[0],)
    except ValueError:
        pass
