// The estimators layer against plain twins on materialised data (a fast-mode main run held in
// memory, tests/estimators/materialised_run.hpp):
//   * score: rmse and truth_rmse from the test part's moments equal the residuals computed
//     directly (long double) on the materialised test rows;
//   * the method's predictor is sum_k m_k - (K - 1) m_obs, pointwise;
//   * the pooled folds are the moments of the union of the data sets' folds, and the pooled fit is
//     one ridge fit on the union of the training rows.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "../support/run_specs.hpp"
#include "materialised_run.hpp"

namespace igbench::estimators {
namespace {

using experiment::ExperimentKind;
using experiment::RngMode;

experiment::RunSpec spec_of(scm::ScmType type, int K, std::int64_t N, std::uint32_t seed) {
  return test::make_spec(ExperimentKind::main, type, K, N, N, N, seed, RngMode::fast);
}

ModelInputs inputs_of(const test::MaterialisedRun& r, int K) {
  ModelInputs in;
  in.observational = &r.moments.front();
  for (int k = 0; k < K; ++k) in.single.push_back(&r.moments[static_cast<std::size_t>(k) + 1]);
  in.joint = &r.moments.back();
  return in;
}

FittedModels fit_all(const test::MaterialisedRun& r, int K) {
  return fit_models(inputs_of(r, K), {true, true, true, true}, r.n_features(), fit::Regularization::ridge);
}

double relative(double a, double b) { return a == b ? 0.0 : std::abs(a - b) / std::max(std::abs(a), std::abs(b)); }

TEST(Score, MomentsGiveTheResidualsOfTheMaterialisedTestPart) {
  // Bound 1e-10 relative: the moment path's only error is the rounding of the test moments
  // (O(log n) eps relative to sqrt(M_ii M_jj)) amplified by the cancellation in v^T M v, which for
  // these fits is below 1e4 (measured: largest deviation printed below).
  double largest = 0.0;
  for (auto type : {scm::ScmType::polynomial, scm::ScmType::linear})
    for (std::uint32_t seed : {0u, 1u, 2u, 3u}) {
      const int K = 3;
      const test::MaterialisedRun r = test::materialise_main_run(spec_of(type, K, 3000, seed));
      const FittedModels m = fit_all(r, K);
      const test::Design test_rows = r.test_rows(r.data.size() - 1);
      const std::pair<const char*, fit::LinearPredictor> predictors[] = {
          {"obs", m.obs->predictor}, {"method", method_predictor(m.single, *m.obs)},
          {"pooled", m.pooled->predictor}, {"jint", m.jint->predictor}};
      for (const auto& [name, p] : predictors) {
        const Score fast = score(p, r.joint().test, r.n_features());
        const Score direct = test::direct_score(p, test_rows);
        const std::string what = std::string(scm::scm_type_name(type)) + " seed " + std::to_string(seed) + " " + name;
        EXPECT_LE(relative(fast.rmse, direct.rmse), 1e-10) << what << " rmse " << fast.rmse << " vs " << direct.rmse;
        EXPECT_LE(relative(fast.truth_rmse, direct.truth_rmse), 1e-10)
            << what << " truth_rmse " << fast.truth_rmse << " vs " << direct.truth_rmse;
        largest = std::max({largest, relative(fast.rmse, direct.rmse), relative(fast.truth_rmse, direct.truth_rmse)});
      }
    }
  std::printf("[ score ] largest relative deviation from the materialised residuals: %.3e\n", largest);
}

TEST(Score, APerfectPredictorOfTheTruthHasZeroTruthRmse) {
  // mu(a) of the linear SCM is linear in the actions (METHOD.md section 5): a predictor with
  // exactly its coefficients must give truth_rmse ~ 0 (not a negative sum of squares, not NaN).
  const int K = 2;
  const experiment::RunSpec spec = spec_of(scm::ScmType::linear, K, 2000, 5);
  const test::MaterialisedRun r = test::materialise_main_run(spec);
  const auto& l = std::get<scm::LinearScm>(*r.model);
  fit::LinearPredictor truth;
  truth.weights = Eigen::VectorXd::Zero(r.n_features());
  truth.intercept = std::exp(l.sigma_U * l.sigma_U / 2.0);
  for (int k = 0; k < K; ++k) {
    truth.weights(k) = l.alpha[static_cast<std::size_t>(k)];  // features 1..K are the actions
    truth.intercept += l.beta[static_cast<std::size_t>(k)] * std::exp(l.sigma_W[static_cast<std::size_t>(k)] * l.sigma_W[static_cast<std::size_t>(k)] / 2.0);
  }
  const Score s = score(truth, r.joint().test, r.n_features());
  const Score direct = test::direct_score(truth, r.test_rows(r.data.size() - 1));
  EXPECT_LT(direct.truth_rmse, 1e-12 * direct.rmse);  // the materialised mu is this predictor
  EXPECT_TRUE(std::isfinite(s.truth_rmse));
  EXPECT_LT(s.truth_rmse, 1e-6 * s.rmse);  // cancellation in v^T M v leaves only rounding
  EXPECT_LE(relative(s.rmse, direct.rmse), 1e-10);
}

TEST(MethodPredictor, IsTheSumOfTheSingleModelsMinusKMinusOneObservational) {
  const int K = 4;
  const test::MaterialisedRun r = test::materialise_main_run(spec_of(scm::ScmType::polynomial, K, 1000, 7));
  const FittedModels m = fit_all(r, K);
  const fit::LinearPredictor method = method_predictor(m.single, *m.obs);
  auto eval = [](const fit::LinearPredictor& p, const Eigen::VectorXd& x) { return p.intercept + p.weights.dot(x); };
  std::mt19937 gen(11);
  std::normal_distribution<double> z;
  for (int t = 0; t < 20; ++t) {
    Eigen::VectorXd x(r.n_features());
    for (Eigen::Index j = 0; j < x.size(); ++j) x(j) = z(gen);
    double expected = -(K - 1.0) * eval(m.obs->predictor, x), magnitude = std::abs(expected);
    for (const auto& s : m.single) {
      expected += eval(s.predictor, x);
      magnitude += std::abs(eval(s.predictor, x));
    }
    EXPECT_NEAR(eval(method, x), expected, 1e-13 * magnitude * r.n_features());
  }
  // K = 1: the method is the single model itself (sum of one model minus 0 obs).
  const test::MaterialisedRun one = test::materialise_main_run(spec_of(scm::ScmType::polynomial, 1, 500, 3));
  const FittedModels m1 = fit_all(one, 1);
  const fit::LinearPredictor method1 = method_predictor(m1.single, *m1.obs);
  EXPECT_EQ(method1.intercept, m1.single[0].predictor.intercept);
  EXPECT_TRUE(method1.weights == m1.single[0].predictor.weights);
}

TEST(PooledFolds, AreTheMomentsOfTheUnionOfTheFolds) {
  const int K = 2;
  const test::MaterialisedRun r = test::materialise_main_run(spec_of(scm::ScmType::polynomial, K, 900, 4));
  std::vector<const DataSetMoments*> sets;
  for (const auto& s : r.moments) sets.push_back(&s);
  sets.pop_back();  // obs and the single-intervention sets
  const fit::FoldMoments pooled = pooled_folds(sets);
  for (int f = 0; f < fit::n_folds; ++f) {
    // Direct: the rows of fold f of every set, stacked; mean and centred co-moment in long double.
    std::vector<test::Design> parts;
    for (std::size_t s = 0; s < sets.size(); ++s) {
      const test::Design train = r.training_rows(s);
      const auto b = fit::fold_bounds(train.X.rows());
      parts.push_back(train.rows(b[static_cast<std::size_t>(f)], b[static_cast<std::size_t>(f) + 1]));
    }
    const test::Design u = test::concatenate(parts);
    const auto& pm = pooled[static_cast<std::size_t>(f)];
    ASSERT_EQ(pm.count(), u.X.rows());
    Eigen::MatrixXd Z(u.X.rows(), u.X.cols() + 2);
    Z << u.X, u.y, u.mu;
    const Eigen::VectorXd mean = Z.colwise().mean().transpose();
    const Eigen::MatrixXd C = Z.rowwise() - mean.transpose();
    const Eigen::MatrixXd M = C.transpose() * C;
    for (Eigen::Index i = 0; i < M.rows(); ++i) {
      EXPECT_NEAR(pm.mean()(i), mean(i), 1e-12 * (std::abs(mean(i)) + std::sqrt(M(i, i) / u.X.rows())));
      for (Eigen::Index j = 0; j < M.cols(); ++j)
        EXPECT_NEAR(pm.comoment()(i, j), M(i, j), 1e-11 * std::sqrt(M(i, i) * M(j, j))) << i << "," << j;
    }
  }
  // The pooled fit is one ridge fit on the union of the training rows at its chosen alpha.
  const FittedModels m = fit_all(r, K);
  // (the refit uses all three folds, so the order of the stacked rows does not matter)
  std::vector<test::Design> train_parts;
  for (std::size_t s = 0; s < sets.size(); ++s) train_parts.push_back(r.training_rows(s));
  const fit::LinearPredictor direct = test::qr_ridge(test::concatenate(train_parts), m.pooled->alpha);
  const test::Design jt = r.test_rows(r.data.size() - 1);
  const Score a = test::direct_score(m.pooled->predictor, jt), b = test::direct_score(direct, jt);
  EXPECT_LE(relative(a.rmse, b.rmse), 1e-8);
  EXPECT_LE(relative(a.truth_rmse, b.truth_rmse), 1e-7);
}

}  // namespace
}  // namespace igbench::estimators
