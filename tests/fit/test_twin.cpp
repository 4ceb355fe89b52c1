// The plain twin of the moment path: materialise a small data set, build the feature matrix,
// standardise, solve each fold directly and score by residuals; compare with the moment path
// (fold R^2, chosen alpha, coefficients) for ridge and lasso.
#include <cmath>

#include <Eigen/QR>
#include <gtest/gtest.h>

#include "../support/data_sets.hpp"
#include "igbench/experiment/accumulate.hpp"
#include "igbench/features/polynomial_features.hpp"
#include "igbench/fit/cross_validation.hpp"

namespace igbench::fit {
namespace {

struct Materialised {
  Eigen::MatrixXd X;  // n x p raw features (without the constant)
  Eigen::VectorXd y;
};

Materialised features_of(const scm::SampleChunk& c, const features::PolynomialFeatures& phi,
                         std::int64_t first, std::int64_t n) {
  Materialised m;
  m.X.resize(n, phi.size() - 1);
  m.y.resize(n);
  std::vector<double> a(static_cast<std::size_t>(c.K)), f(static_cast<std::size_t>(phi.size()));
  for (std::int64_t i = 0; i < n; ++i) {
    for (int k = 0; k < c.K; ++k) a[static_cast<std::size_t>(k)] = c.a(static_cast<std::size_t>(first + i), k);
    phi.expand(a.data(), f.data());
    for (int p = 1; p < phi.size(); ++p) m.X(i, p - 1) = f[static_cast<std::size_t>(p)];
    m.y(i) = c.Y[static_cast<std::size_t>(first + i)];
  }
  return m;
}

Materialised rows(const Materialised& d, const std::vector<std::pair<std::int64_t, std::int64_t>>& ranges) {
  std::int64_t n = 0;
  for (auto [b, e] : ranges) n += e - b;
  Materialised out;
  out.X.resize(n, d.X.cols());
  out.y.resize(n);
  std::int64_t r = 0;
  for (auto [b, e] : ranges)
    for (std::int64_t i = b; i < e; ++i, ++r) {
      out.X.row(r) = d.X.row(i);
      out.y(r) = d.y(i);
    }
  return out;
}

// The direct fit: standardise with the training rows' mean and population std (scale 1 for a
// near-constant column), then ridge by Householder QR of the augmented system
// [Z; sqrt(alpha) I] beta = [y_c; 0] (never forming Z^T Z), or lasso by residual-updating
// coordinate descent on Z itself. Returns the predictor in raw coordinates.
LinearPredictor direct_fit(const Materialised& train, Regularization reg, double alpha, int lasso_sweeps) {
  const Eigen::Index n = train.X.rows(), p = train.X.cols();
  const Eigen::VectorXd mean = train.X.colwise().mean().transpose();
  Eigen::VectorXd scale(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    const Eigen::ArrayXd d = train.X.col(j).array() - mean(j);
    const double var = (d.square().sum() - d.sum() * d.sum() / static_cast<double>(n)) / static_cast<double>(n);
    scale(j) = is_near_constant(var, mean(j), n) ? 1.0 : std::sqrt(var);
  }
  const Eigen::MatrixXd Z = (train.X.rowwise() - mean.transpose()).array().rowwise() / scale.transpose().array();
  const double y_mean = train.y.mean();
  const Eigen::VectorXd yc = train.y.array() - y_mean;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  if (reg == Regularization::ridge) {
    Eigen::MatrixXd A(n + p, p);
    A << Z, std::sqrt(alpha) * Eigen::MatrixXd::Identity(p, p);
    Eigen::VectorXd b(n + p);
    b << yc, Eigen::VectorXd::Zero(p);
    beta = A.householderQr().solve(b);
  } else {
    Eigen::VectorXd r = yc;
    const double l1 = alpha * static_cast<double>(n);
    for (int sweep = 0; sweep < lasso_sweeps; ++sweep)
      for (Eigen::Index j = 0; j < p; ++j) {
        const double zz = Z.col(j).squaredNorm();
        if (zz == 0.0) continue;
        const double rho = Z.col(j).dot(r) + zz * beta(j);
        const double updated = rho > l1 ? (rho - l1) / zz : (rho < -l1 ? (rho + l1) / zz : 0.0);
        r -= (updated - beta(j)) * Z.col(j);
        beta(j) = updated;
      }
  }
  LinearPredictor pred;
  pred.weights = beta.cwiseQuotient(scale);
  pred.intercept = y_mean - pred.weights.dot(mean);
  return pred;
}

double direct_r2(const Materialised& test, const LinearPredictor& p) {
  const Eigen::VectorXd yhat = (test.X * p.weights).array() + p.intercept;
  const double ss_res = (test.y - yhat).squaredNorm();
  const double ss_tot = (test.y.array() - test.y.mean()).square().sum();
  return 1.0 - ss_res / ss_tot;
}

struct TwinCase {
  Regularization reg;
  int K, d;
  std::size_t n;
  LassoOptions lasso;
  int direct_lasso_sweeps;
};

void compare_paths(const TwinCase& tc, std::uint32_t seed) {
  const scm::SampleChunk data = test::observational_sample(scm::ScmType::polynomial, tc.K, seed, tc.n);
  const features::PolynomialFeatures phi(tc.K, tc.d);
  const auto n = static_cast<std::int64_t>(tc.n);

  // Moment path: the production streaming pass (chunks of 64 to exercise merging).
  const test::MemorySource source(data);
  const experiment::DataSetPlan plan{&source, n, true};
  const auto sets = experiment::accumulate_data_sets(std::span(&plan, 1), phi, 64);
  const FittedModel fast = fit_cross_validated(sets[0].folds, phi.size() - 1, tc.reg, tc.lasso);

  // Direct path.
  const Materialised all = features_of(data, phi, 0, n);
  const std::int64_t n_test = test_size(n);
  const auto b = fold_bounds(n - n_test);
  auto fold = [&](int f) { return std::pair{n_test + b[static_cast<std::size_t>(f)], n_test + b[static_cast<std::size_t>(f + 1)]}; };
  std::array<double, n_alphas> mean_r2{};
  for (int a = 0; a < n_alphas; ++a) {
    double sum = 0.0;
    for (int f = 0; f < n_folds; ++f) {
      std::vector<std::pair<std::int64_t, std::int64_t>> train_ranges;
      for (int g = 0; g < n_folds; ++g)
        if (g != f) train_ranges.push_back(fold(g));
      const LinearPredictor p = direct_fit(rows(all, train_ranges), tc.reg, alpha_grid[static_cast<std::size_t>(a)], tc.direct_lasso_sweeps);
      const double r2 = direct_r2(rows(all, {fold(f)}), p);
      // fold R^2 agree to 1e-9 (absolute; R^2 is O(1))
      EXPECT_NEAR(fast.cv.fold_r2[static_cast<std::size_t>(a)][static_cast<std::size_t>(f)], r2, 1e-9)
          << "alpha " << alpha_grid[static_cast<std::size_t>(a)] << " fold " << f;
      sum += r2;
    }
    mean_r2[static_cast<std::size_t>(a)] = sum / 3.0;
  }
  EXPECT_EQ(fast.cv.best, best_alpha_index(mean_r2));
  const LinearPredictor refit = direct_fit(rows(all, {fold(0), fold(1), fold(2)}), tc.reg, fast.alpha, tc.direct_lasso_sweeps);
  // coefficients in raw coordinates; raw features differ in scale by orders of magnitude, so
  // compare each relative to the largest |w_j s_j| (its standardised size)
  const double scale = (refit.weights.cwiseAbs().maxCoeff() + std::abs(refit.intercept));
  for (Eigen::Index j = 0; j < refit.weights.size(); ++j)
    EXPECT_NEAR(fast.predictor.weights(j), refit.weights(j), 1e-6 * scale) << "w_" << j;
  EXPECT_NEAR(fast.predictor.intercept, refit.intercept, 1e-6 * scale);
}

TEST(Twin, RidgeMomentPathEqualsDirectFits) {
  const TwinCase tc{Regularization::ridge, 3, 3, 500, {}, 0};
  for (std::uint32_t seed : {1u, 2u, 3u}) compare_paths(tc, seed);
}

TEST(Twin, LassoMomentPathEqualsDirectFits) {
  // Both solvers run to a tight optimum so that they agree beyond the default tolerance.
  const TwinCase tc{Regularization::lasso, 2, 2, 500, {20000, 1e-14}, 20000};
  for (std::uint32_t seed : {1u, 2u}) compare_paths(tc, seed);
}

}  // namespace
}  // namespace igbench::fit
