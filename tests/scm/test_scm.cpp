// The synthetic SCMs: sampled structure, regimes, the true interventional mean, and the
// column-wise generator against its per-sample twin.
#include <cmath>
#include <numeric>

#include <gtest/gtest.h>

#include "igbench/experiment/run.hpp"
#include "igbench/scm/generate.hpp"
#include "igbench/scm/pairwise_sum.hpp"

namespace igbench::scm {
namespace {

using random::PhiloxStream;
using random::StreamRole;

PhiloxStream test_stream(std::uint32_t seed, int action = 0) {
  return PhiloxStream(seed, 0, {StreamRole::test_support, static_cast<std::uint16_t>(action), 0});
}

InterventionMoments moments_of(const SampleChunk& c) {
  InterventionMoments m;
  for (int k = 0; k < c.K; ++k) {
    const double* a = c.action(k);
    double mean = 0.0, var = 0.0;
    for (std::size_t i = 0; i < c.n; ++i) mean += a[i];
    mean /= static_cast<double>(c.n);
    for (std::size_t i = 0; i < c.n; ++i) var += (a[i] - mean) * (a[i] - mean);
    m.mean.push_back(mean);
    m.std.push_back(std::sqrt(var / static_cast<double>(c.n)));
  }
  return m;
}

double mean_of(const double* x, std::size_t n) { return std::accumulate(x, x + n, 0.0) / static_cast<double>(n); }

TEST(Scm, EdgeMaskIsStrictlyLowerTriangular) {
  for (ScmType type : {ScmType::polynomial, ScmType::linear})
    for (int K : {1, 2, 5, 9})
      for (std::uint32_t seed = 0; seed < 20; ++seed) {
        const Scm scm = experiment::sample_fast_scm(type, K, seed, seed);
        const EdgeMask& m = std::visit([](const auto& s) -> const EdgeMask& { return s.mask; }, scm);
        for (int k = 0; k < K; ++k)
          for (int j = k; j < K; ++j) EXPECT_FALSE(m.edge(k, j)) << "k=" << k << " j=" << j;
      }
}

TEST(Scm, EdgeProbabilityMatchesTheModel) {
  // Bernoulli(0.3) (polynomial) and Bernoulli(0.5) (linear) over many lower-triangle cells:
  // the fraction lies within 5 standard errors of p.
  for (auto [type, p] : {std::pair{ScmType::polynomial, 0.3}, std::pair{ScmType::linear, 0.5}}) {
    int edges = 0, cells = 0;
    for (std::uint32_t seed = 0; seed < 400; ++seed) {
      const Scm scm = experiment::sample_fast_scm(type, 6, seed, seed);
      const EdgeMask& m = std::visit([](const auto& s) -> const EdgeMask& { return s.mask; }, scm);
      for (int k = 0; k < 6; ++k)
        for (int j = 0; j < k; ++j) {
          edges += m.edge(k, j);
          ++cells;
        }
    }
    const double frac = static_cast<double>(edges) / cells;
    EXPECT_NEAR(frac, p, 5.0 * std::sqrt(p * (1 - p) / cells));
  }
}

TEST(Scm, EveryRandomPolynomialHasUnitL1Norm) {
  for (std::uint32_t seed = 0; seed < 50; ++seed) {
    const auto scm = std::get<PolynomialScm>(experiment::sample_fast_scm(ScmType::polynomial, 6, seed, seed));
    auto check = [](const RandomPolynomial& p) {
      double l1 = 0.0;
      for (double c : p.coefficients) l1 += std::abs(c);
      // n_terms roundings of at most one ulp each
      EXPECT_NEAR(l1, 1.0, 4.0 * static_cast<double>(p.n_terms()) * 1.1e-16);
    };
    for (const auto& f : scm.f) check(f);
    for (const auto& g : scm.g) check(g);
  }
}

TEST(Scm, PolynomialSampledParametersFollowTheModel) {
  const auto scm = std::get<PolynomialScm>(experiment::sample_fast_scm(ScmType::polynomial, 4, 3, 3));
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(scm.W[static_cast<std::size_t>(k)].param, 0.5);
    EXPECT_EQ(scm.V[static_cast<std::size_t>(k)].param, 0.1);
    EXPECT_EQ(scm.f[static_cast<std::size_t>(k)].n_inputs, 2);
    EXPECT_EQ(scm.g[static_cast<std::size_t>(k)].n_inputs,
              2 + static_cast<int>(scm.parents[static_cast<std::size_t>(k)].size()));
  }
  EXPECT_EQ(scm.U.param, 0.1);
}

TEST(Scm, MonomialOrderIsTheReferenceOrder) {
  // n = 2, d = 2: (0,0),(0,1),(0,2),(1,0),(1,1),(2,0) -- the last input varies fastest.
  const std::vector<std::uint8_t> expected = {0, 0, 0, 1, 0, 2, 1, 0, 1, 1, 2, 0};
  EXPECT_EQ(monomial_exponents(2, 2), expected);
  EXPECT_EQ(monomial_count(3, 2), 10u);
  EXPECT_EQ(monomial_exponents(3, 2).size(), 30u);
}

TEST(Scm, NumpyPairwiseSumMatchesItsDefinition) {
  // Values where association order changes the rounded result.
  std::vector<double> a;
  for (int i = 0; i < 300; ++i) a.push_back((i % 7 == 0 ? 1e16 : 1.0) * (i % 2 ? -1.0 : 1.0) + 0.1 * i);
  for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 17u, 128u, 129u, 300u}) {
    std::span<const double> s(a.data(), n);
    double expected = 0.0;
    if (n < 8) {
      for (double x : s) expected += x;
    } else if (n <= 128) {
      double r[8];
      for (std::size_t j = 0; j < 8; ++j) r[j] = s[j];
      std::size_t i = 8;
      for (; i < n - n % 8; i += 8)
        for (std::size_t j = 0; j < 8; ++j) r[j] += s[i + j];
      expected = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; ++i) expected += s[i];
    } else {
      // n = 129 and 300 split at 64 / 144 (n/2 rounded down to a multiple of 8)
      const std::size_t h = (n / 2) - (n / 2) % 8;
      expected = numpy_pairwise_sum(s.subspan(0, h)) + numpy_pairwise_sum(s.subspan(h));
    }
    EXPECT_EQ(numpy_pairwise_sum(s), expected) << "n=" << n;
  }
}

class Regimes : public ::testing::TestWithParam<ScmType> {};

TEST_P(Regimes, JointInterventionMakesActionsIndependentOfConfounders) {
  const int K = 4;
  const std::size_t n = 100000;
  const Scm scm = experiment::sample_fast_scm(GetParam(), K, 1, 1);
  SampleChunk obs, joint;
  DataSetGenerator(scm, {RegimeKind::observational, 0}, {}, test_stream(1), true).generate(0, n, obs);
  DataSetGenerator(scm, {RegimeKind::joint_intervention, 0}, moments_of(obs), test_stream(2), true).generate(0, n, joint);
  for (int k = 0; k < K; ++k) {
    // sample correlation of independent variables: SE ~ 1/sqrt(n)
    const double* a = joint.action(k);
    const double* c = joint.C.data() + static_cast<std::size_t>(k) * n;
    const double ma = mean_of(a, n), mc = mean_of(c, n);
    double sab = 0, saa = 0, scc = 0;
    for (std::size_t i = 0; i < n; ++i) {
      sab += (a[i] - ma) * (c[i] - mc);
      saa += (a[i] - ma) * (a[i] - ma);
      scc += (c[i] - mc) * (c[i] - mc);
    }
    EXPECT_NEAR(sab / std::sqrt(saa * scc), 0.0, 5.0 / std::sqrt(static_cast<double>(n))) << "k=" << k;
  }
}

TEST_P(Regimes, SingleInterventionSetsTheActionsLaw) {
  const int K = 3;
  const std::size_t n = 200000;
  const Scm scm = experiment::sample_fast_scm(GetParam(), K, 2, 2);
  SampleChunk obs, single;
  DataSetGenerator(scm, {RegimeKind::observational, 0}, {}, test_stream(3)).generate(0, n, obs);
  const InterventionMoments m = moments_of(obs);
  for (int j = 0; j < K; ++j) {
    DataSetGenerator(scm, {RegimeKind::single_intervention, j}, m, test_stream(4, j)).generate(0, n, single);
    const InterventionMoments s = moments_of(single);
    const auto js = static_cast<std::size_t>(j);
    double mean = m.mean[js], std = m.std[js];
    double kurtosis = 3.0;
    if (GetParam() == ScmType::linear) {  // A_j ~ LogNormal(0, sigma_int)
      const double si = std::get<LinearScm>(scm).sigma_int;
      const random::NoiseSpec law{random::Family::lognormal, 0.0, si};
      mean = random::expectation(law);
      std = random::standard_deviation(law);
      kurtosis = random::fourth_central_moment(law) / (std * std * std * std);
    }
    const double nd = static_cast<double>(n);
    EXPECT_NEAR(s.mean[js], mean, 5.0 * std / std::sqrt(nd)) << "j=" << j;
    EXPECT_NEAR(s.std[js], std, 5.0 * std * std::sqrt((kurtosis - 1.0) / (4.0 * nd))) << "j=" << j;
    // the other actions keep their mechanism: generically, their law changes only through
    // descendants of A_j; an action without ancestors has the observational law.
  }
}

TEST_P(Regimes, ColumnwiseGenerationEqualsThePerSampleTwin) {
  const int K = 5;
  const Scm scm = experiment::sample_fast_scm(GetParam(), K, 6, 6);
  SampleChunk obs, fast, plain;
  DataSetGenerator(scm, {RegimeKind::observational, 0}, {}, test_stream(7), true).generate(0, 1000, obs);
  const InterventionMoments m = moments_of(obs);
  for (Regime r : {Regime{RegimeKind::observational, 0}, Regime{RegimeKind::single_intervention, 2},
                   Regime{RegimeKind::joint_intervention, 0}}) {
    const DataSetGenerator g(scm, r, m, test_stream(8), true);
    g.generate(123, 777, fast);
    g.generate_per_sample(123, 777, plain);
    EXPECT_EQ(fast.A, plain.A);
    EXPECT_EQ(fast.Y, plain.Y);
    EXPECT_EQ(fast.mu, plain.mu);
    EXPECT_EQ(fast.C, plain.C);
    EXPECT_EQ(fast.U, plain.U);
  }
}

TEST_P(Regimes, TiledGenerationEqualsThePerSampleTwinForManyRanges) {
  // ranges cut across the 128-sample tiles and the 16-sample Philox groups (odd and even starts,
  // lengths 1..300), K = 1, 8 and 19 (the pairwise sums over k of every form), every regime
  for (int K : {1, 8, 19}) {
    const Scm scm = experiment::sample_fast_scm(GetParam(), K, 17, 17);
    SampleChunk obs, fast, plain;
    DataSetGenerator(scm, {RegimeKind::observational, 0}, {}, test_stream(18)).generate(0, 500, obs);
    const InterventionMoments m = moments_of(obs);
    for (Regime r : {Regime{RegimeKind::observational, 0}, Regime{RegimeKind::single_intervention, K - 1},
                     Regime{RegimeKind::joint_intervention, 0}}) {
      const DataSetGenerator g(scm, r, m, test_stream(19), true);
      for (auto [first, n] : {std::pair<std::uint64_t, std::size_t>{0, 1}, {1, 1}, {15, 17}, {127, 130}, {128, 128},
                              {3, 300}, {1000001, 255}}) {
        g.generate(first, n, fast);
        g.generate_per_sample(first, n, plain);
        for (int k = 0; k < K; ++k)
          for (std::size_t i = 0; i < n; ++i) {
            ASSERT_EQ(fast.a(i, k), plain.a(i, k)) << "K=" << K << " first=" << first << " i=" << i;
            ASSERT_EQ(fast.c(i, k), plain.c(i, k));
          }
        for (std::size_t i = 0; i < n; ++i) {
          ASSERT_EQ(fast.Y[i], plain.Y[i]) << "K=" << K << " first=" << first << " i=" << i;
          ASSERT_EQ(fast.mu[i], plain.mu[i]);
          ASSERT_EQ(fast.U[i], plain.U[i]);
        }
      }
    }
  }
}

TEST(Scm, PolynomialsOfHigherOrderTakeTheColumnPath) {
  // g_k of order 3 (terms the tiled term kernel does not cover): the generator falls back to
  // RandomPolynomial::evaluate_columns, still the per-sample twin to the bit
  const int K = 4;
  Scm scm = experiment::sample_fast_scm(ScmType::polynomial, K, 20, 20);
  auto& p = std::get<PolynomialScm>(scm);
  for (auto& g : p.g) {
    std::vector<double> z(monomial_count(g.n_inputs, 3));
    for (std::size_t i = 0; i < z.size(); ++i) z[i] = std::sin(static_cast<double>(i) + 0.5);
    g = make_random_polynomial(g.n_inputs, 3, z);
  }
  const DataSetGenerator gen(scm, {RegimeKind::observational, 0}, {}, test_stream(21), true);
  SampleChunk fast, plain;
  gen.generate(5, 400, fast);
  gen.generate_per_sample(5, 400, plain);
  EXPECT_EQ(fast.A, plain.A);
  EXPECT_EQ(fast.Y, plain.Y);
  EXPECT_EQ(fast.mu, plain.mu);
  EXPECT_EQ(fast.C, plain.C);
  EXPECT_EQ(fast.U, plain.U);
}

TEST(Scm, ProductTermsWithASquaredFactorTakeTheTermKernel) {
  // g_k and f_k with the terms c, c x_0, c x_1^2, c x_0 x_1 and c x_0^2 x_1 (order 3, at most two
  // factors and exponents <= 2: the term kernel with its columns of squares), to the bit
  const int K = 4;
  Scm scm = experiment::sample_fast_scm(ScmType::polynomial, K, 22, 22);
  auto& p = std::get<PolynomialScm>(scm);
  const auto hand_made = [](int n_inputs, double scale) {
    RandomPolynomial q;
    q.n_inputs = n_inputs;
    q.order = 3;
    const auto n = static_cast<std::size_t>(n_inputs);
    const std::vector<std::vector<std::pair<std::size_t, std::uint8_t>>> terms = {
        {}, {{0, 1}}, {{1, 2}}, {{0, 1}, {1, 1}}, {{0, 2}, {n - 1, 1}}};
    for (std::size_t t = 0; t < terms.size(); ++t) {
      std::vector<std::uint8_t> e(n, 0);
      for (const auto& [j, power] : terms[t]) e[j] = power;
      q.exponents.insert(q.exponents.end(), e.begin(), e.end());
      q.coefficients.push_back(scale * std::cos(static_cast<double>(t) + 0.25));
    }
    return q;
  };
  for (auto& g : p.g) g = hand_made(g.n_inputs, 0.3);
  for (auto& f : p.f) f = hand_made(f.n_inputs, 0.2);
  const DataSetGenerator gen(scm, {RegimeKind::observational, 0}, {}, test_stream(23), true);
  SampleChunk fast, plain;
  gen.generate(7, 300, fast);
  gen.generate_per_sample(7, 300, plain);
  EXPECT_EQ(fast.A, plain.A);
  EXPECT_EQ(fast.Y, plain.Y);
  EXPECT_EQ(fast.mu, plain.mu);
}

TEST_P(Regimes, ChunksDoNotDependOnHowTheDataSetIsCut) {
  const Scm scm = experiment::sample_fast_scm(GetParam(), 3, 9, 9);
  const DataSetGenerator g(scm, {RegimeKind::observational, 0}, {}, test_stream(9));
  SampleChunk whole, part;
  g.generate(0, 1000, whole);
  for (std::size_t first : {0u, 1u, 500u, 999u}) {
    g.generate(first, 1000 - first, part);
    for (int k = 0; k < 3; ++k)
      for (std::size_t i = 0; i < part.n; ++i) ASSERT_EQ(part.a(i, k), whole.a(first + i, k));
  }
}

TEST_P(Regimes, TrueMeanIsTheMonteCarloMeanOfYAtFixedActions) {
  // mu(a) = E[Y | do(a)]: fix a, redraw confounders and noise, average Y.
  const int K = 3;
  const Scm scm = experiment::sample_fast_scm(GetParam(), K, 10, 10);
  SampleChunk obs;
  DataSetGenerator(scm, {RegimeKind::observational, 0}, {}, test_stream(11)).generate(0, 2000, obs);
  const PhiloxStream s = test_stream(12);
  const std::size_t n = 400000;
  for (std::size_t point = 0; point < 3; ++point) {
    std::vector<double> a(static_cast<std::size_t>(K));
    for (int k = 0; k < K; ++k) a[static_cast<std::size_t>(k)] = obs.a(point * 100, k);
    // Y at do(a): joint regime with the intervention values fixed to a
    long double sum = 0, sum2 = 0;
    std::vector<double> c(3), v(3), out(3), scratch(8);
    const Regime joint{RegimeKind::joint_intervention, 0};
    for (std::size_t i = 0; i < n; ++i) {
      double y = 0.0, u = 0.0;
      if (const auto* p = std::get_if<PolynomialScm>(&scm)) {
        for (int k = 0; k < K; ++k)
          c[static_cast<std::size_t>(k)] = random::draw(p->W[static_cast<std::size_t>(k)], s.uniform(i * 4 + static_cast<std::uint64_t>(k)));
        u = random::draw(p->U, s.uniform(i * 4 + 3));
        y = structural_equations(*p, joint, c.data(), v.data(), u, a.data(), out.data(), scratch.data());
      } else {
        const auto& l = std::get<LinearScm>(scm);
        for (int k = 0; k < K; ++k)
          c[static_cast<std::size_t>(k)] = std::exp(l.sigma_W[static_cast<std::size_t>(k)] * random::standard_normal_quantile(s.uniform(i * 4 + static_cast<std::uint64_t>(k))));
        u = std::exp(l.sigma_U * random::standard_normal_quantile(s.uniform(i * 4 + 3)));
        y = structural_equations(l, joint, c.data(), v.data(), u, a.data(), out.data());
      }
      sum += y;
      sum2 += static_cast<long double>(y) * y;
    }
    const double mean = static_cast<double>(sum / n);
    const double sd = static_cast<double>(std::sqrt(sum2 / n - (sum / n) * (sum / n)));
    EXPECT_NEAR(mean, true_interventional_mean(scm, a.data()), 5.0 * sd / std::sqrt(static_cast<double>(n)))
        << "point " << point;
  }
}

INSTANTIATE_TEST_SUITE_P(BothScms, Regimes, ::testing::Values(ScmType::polynomial, ScmType::linear),
                         [](const ::testing::TestParamInfo<ScmType>& p) { return std::string(scm_type_name(p.param)); });

TEST(Scm, PolynomialOutcomeIsTheSumOfTheFk) {
  const int K = 4;
  const auto scm = experiment::sample_fast_scm(ScmType::polynomial, K, 13, 13);
  const auto& p = std::get<PolynomialScm>(scm);
  SampleChunk c;
  DataSetGenerator(scm, {RegimeKind::observational, 0}, {}, test_stream(14), true).generate(0, 5000, c);
  for (std::size_t i = 0; i < c.n; ++i) {
    double sum = 0.0;
    for (int k = 0; k < K; ++k) {
      const double x[2] = {c.a(i, k), c.c(i, k)};
      sum += p.f[static_cast<std::size_t>(k)](x);
    }
    // Y - U = sum_k f_k(A_k, C_k): the same additions in the same order, so exact up to the one
    // rounding of adding and removing U
    EXPECT_NEAR(c.Y[i] - c.U[i], sum, 4e-16 * (std::abs(c.Y[i]) + std::abs(c.U[i]))) << i;
  }
}

TEST(Scm, LinearOutcomeIsLinear) {
  const int K = 4;
  const auto scm = experiment::sample_fast_scm(ScmType::linear, K, 15, 15);
  const auto& l = std::get<LinearScm>(scm);
  SampleChunk c;
  DataSetGenerator(scm, {RegimeKind::observational, 0}, {}, test_stream(16), true).generate(0, 5000, c);
  for (std::size_t i = 0; i < c.n; ++i) {
    double lin = 0.0, scale = std::abs(c.U[i]);
    for (int k = 0; k < K; ++k) {
      const auto ks = static_cast<std::size_t>(k);
      lin += l.alpha[ks] * c.a(i, k) + l.beta[ks] * c.c(i, k);
      scale += std::abs(l.alpha[ks] * c.a(i, k)) + std::abs(l.beta[ks] * c.c(i, k));
    }
    EXPECT_NEAR(c.Y[i] - c.U[i] - lin, 0.0, 8.0 * 1.1e-16 * scale) << i;
  }
}

}  // namespace
}  // namespace igbench::scm
