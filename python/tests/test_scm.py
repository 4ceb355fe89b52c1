"""SCM objects: the printed form is `igbench scm`'s, the parameters are the model's, sample()
follows the regimes of METHOD.md section 3, true_effect is E[Y | do(a)] (section 5)."""
import numpy as np
import pytest

import igbench
from conftest import same_bits


@pytest.mark.parametrize("scm_type", ["polynomial", "linear"])
@pytest.mark.parametrize("K,seed", [(1, 0), (3, 5), (5, 123456)])
def test_printed_form_is_the_model_part_of_igbench_scm(cli, scm_type, K, seed):
    sample = igbench.sample_polynomial_scm if scm_type == "polynomial" else igbench.sample_linear_scm
    scm = sample(K=K, seed=seed)
    out = cli("scm", "--K", K, "--seed", seed, "--scm_type", scm_type, "--n", 10).stdout
    model_part = out.split("\nSample statistics")[0]
    assert str(scm) == model_part
    assert f"seed {seed}, run {seed}" in str(scm)


def test_run_defaults_to_seed_and_can_be_given():
    a = igbench.sample_polynomial_scm(3, seed=7)
    b = igbench.sample_polynomial_scm(3, seed=7, run=0)
    assert (a.seed, a.run) == (7, 7) and (b.seed, b.run) == (7, 0)
    assert str(a) != str(b).replace("run 0", "run 7")  # a different stream: a different model
    r = igbench.sample_polynomial_scm(3)
    assert 0 <= r.seed < 2**32 and r.run == r.seed


def test_polynomial_parameters():
    K = 4
    p = igbench.sample_polynomial_scm(K, seed=3).parameters
    assert len(p["W"]) == K and len(p["V"]) == K
    for n in p["W"]:
        assert n["family"] in ("gaussian", "uniform", "logistic") and n["std"] == 0.5 and n["mean"] == 0.0
    for n in p["V"] + [p["U"]]:
        assert n["std"] == 0.1
    E = p["edges"]
    assert E.shape == (K, K) and not np.triu(E).any()
    for f in p["f"]:  # order 2 over (a_k, c_k): 6 monomials, sum |c| = 1
        assert f["exponents"].shape == (6, 2) and f["exponents"].sum(axis=1).max() == 2
        assert abs(np.abs(f["coefficients"]).sum() - 1.0) < 1e-12
    for k, g in enumerate(p["g"]):
        parents = [f"a_{j}" for j in range(K) if E[k, j]]
        assert g["inputs"] == parents + [f"c_{k}", f"v_{k}"]
    assert p["f_mean"].shape == (K, 3)


def test_linear_parameters():
    s = igbench.sample_linear_scm(3, seed=2)
    p = s.parameters
    for name in ("sigma_W", "sigma_V", "alpha", "beta", "gamma"):
        assert p[name].shape == (3,) and ((p[name] >= 0.5) & (p[name] <= 1.5)).all()
    assert not np.triu(p["delta"]).any() and (np.abs(p["delta"]) <= 0.5).all()
    assert s.noise["U"]["family"] == "lognormal"
    assert set(s.coefficients) == {"alpha", "beta", "gamma", "delta"}


def test_sample_shapes_determinism_and_regimes():
    scm = igbench.sample_polynomial_scm(3, seed=1)
    with pytest.raises(ValueError, match="sample observational data first"):
        scm.sample(100, 0)
    A, Y = scm.sample(5000, "observational")
    assert A.shape == (5000, 3) and Y.shape == (5000,) and A.flags.c_contiguous
    A2, Y2 = scm.sample(5000, "observational")
    assert same_bits(A, A2) and same_bits(Y, Y2)
    A3, _ = scm.sample(5000, "observational", seed=2)
    assert not np.array_equal(A, A3)
    A, _ = scm.sample(5000, "observational")  # the moments are those of the last observational sample
    mean, std = scm.intervention_moments
    np.testing.assert_allclose(mean, A.mean(axis=0), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(std, A.std(axis=0), rtol=1e-10)
    # do(A_1): A_1 ~ Normal(mu_1, sigma_1), independent of its parents; 5-sigma bounds on the mean
    n = 20000
    A1, _ = scm.sample(n, 1, sizes=(5000, 5000, 5000))
    assert abs(A1[:, 1].mean() - mean[1]) < 5 * std[1] / np.sqrt(n)
    assert abs(A1[:, 1].std() / std[1] - 1) < 5 / np.sqrt(2 * n)
    Aj, Yj, mu = scm.sample(n, "joint", sizes=(5000, 5000, 5000), return_truth=True)
    np.testing.assert_array_equal(mu, scm.true_effect(Aj))
    # E[Y - mu(A)] = 0 under the joint intervention: 5 standard errors
    r = Yj - mu
    assert abs(r.mean()) < 5 * r.std() / np.sqrt(n)
    for bad in ("obs", 3, -1, 1.5, True):
        with pytest.raises(ValueError):
            scm.sample(10, bad)
    with pytest.raises(ValueError):
        scm.sample(0)


def test_true_effect_is_the_conditional_mean_under_joint_intervention_linear():
    scm = igbench.sample_linear_scm(2, seed=4)
    p = scm.parameters
    a = np.array([[1.0, 2.0], [0.5, 0.0]])
    want = [sum(p["alpha"][k] * row[k] + p["beta"][k] * np.exp(p["sigma_W"][k] ** 2 / 2) for k in range(2))
            + np.exp(p["sigma_U"] ** 2 / 2) for row in a]
    np.testing.assert_allclose(scm.true_effect(a), want, rtol=1e-12)
    with pytest.raises(ValueError, match="columns"):
        scm.true_effect(np.zeros((3, 3)))
