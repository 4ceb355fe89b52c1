// Ridge and lasso from moments: hand-computed cases, optimality conditions, degenerate designs.
#include <cmath>
#include <random>

#include <Eigen/QR>
#include <gtest/gtest.h>

#include "igbench/fit/cross_validation.hpp"

namespace igbench::fit {
namespace {

// Moments of rows [x_1..x_p, y, mu] (mu = y).
stats::Moments moments_of(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  Eigen::MatrixXd Z(X.rows(), X.cols() + 2);
  Z << X, y, y;
  stats::Moments m(static_cast<int>(Z.cols()));
  m.add_batch(Z);
  return m;
}

Eigen::MatrixXd random_design(Eigen::Index n, Eigen::Index p, unsigned seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  Eigen::MatrixXd X(n, p);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < p; ++j) X(i, j) = z(g) * (j + 1) + (j == 1 ? 0.8 * X(i, 0) : 0.0) + 3.0;
  return X;
}

TEST(Ridge, OneFeatureClosedForm) {
  // x = 1..5, y = 2x + 1: centred x = -2..2 (sum x_c^2 = 10, population std sqrt(2)),
  // standardised z = x_c / sqrt(2): z.z = 5, z.y_c = 20/sqrt(2); beta = z.y_c / (z.z + alpha).
  Eigen::MatrixXd X(5, 1);
  Eigen::VectorXd y(5);
  for (int i = 0; i < 5; ++i) {
    X(i, 0) = i + 1;
    y(i) = 2.0 * (i + 1) + 1.0;
  }
  const double alpha = 0.5;
  const LinearPredictor p = fit_fixed_alpha(moments_of(X, y), 1, Regularization::ridge, alpha);
  const double beta = (20.0 / std::sqrt(2.0)) / (5.0 + alpha);
  EXPECT_NEAR(p.weights(0), beta / std::sqrt(2.0), 1e-14);
  EXPECT_NEAR(p.intercept, 7.0 - p.weights(0) * 3.0, 1e-13);
}

TEST(Ridge, AgreesWithADirectAugmentedSolve) {
  const Eigen::MatrixXd X = random_design(200, 6, 1);
  Eigen::VectorXd y = X * Eigen::VectorXd::LinSpaced(6, -1.0, 1.0);
  y.array() += 0.1 * Eigen::ArrayXd::LinSpaced(200, -1, 1).sin();
  const NormalEquations eq = normal_equations(moments_of(X, y), 6, 6);
  for (double alpha : alpha_grid) {
    const Eigen::VectorXd beta = solve_ridge(eq, alpha);
    // [Z; sqrt(alpha) I] beta = [y_c; 0] by Householder QR
    const Eigen::MatrixXd Z = (X.rowwise() - X.colwise().mean()).array().rowwise() / eq.scale.transpose().array();
    Eigen::MatrixXd A(206, 6);
    A << Z, std::sqrt(alpha) * Eigen::MatrixXd::Identity(6, 6);
    Eigen::VectorXd b = Eigen::VectorXd::Zero(206);
    b.head(200) = y.array() - y.mean();
    const Eigen::VectorXd direct = A.householderQr().solve(b);
    EXPECT_LT((beta - direct).cwiseAbs().maxCoeff(), 1e-10 * direct.cwiseAbs().maxCoeff()) << alpha;
  }
}

TEST(Lasso, SatisfiesItsOptimalityConditions) {
  // KKT of (1/2n)||y_c - Z b||^2 + alpha ||b||_1: with g = Z^T (y_c - Z b) / n,
  //   b_j != 0  ->  g_j = alpha sign(b_j);   b_j == 0  ->  |g_j| <= alpha.
  const Eigen::MatrixXd X = random_design(300, 8, 2);
  Eigen::VectorXd y = 2.0 * X.col(0) - X.col(3) + 0.5 * X.col(5);
  y.array() += Eigen::ArrayXd::LinSpaced(300, 0, 30).cos();
  const NormalEquations eq = normal_equations(moments_of(X, y), 8, 8);
  const double n = 300.0;
  for (double alpha : {1e-3, 1e-2, 0.1, 0.5}) {
    const LassoSolution s = solve_lasso(eq, alpha, {100000, 1e-13});
    ASSERT_TRUE(s.converged) << alpha;
    const Eigen::VectorXd g = (eq.rhs - eq.gram * s.beta) / n;
    // a duality gap below tol * y.y bounds the distance to the optimum; 1e-7 alpha leaves room
    const double slack = 1e-7 * alpha + 1e-12;
    int active = 0;
    for (Eigen::Index j = 0; j < 8; ++j) {
      if (s.beta(j) != 0.0) {
        ++active;
        EXPECT_NEAR(g(j), alpha * (s.beta(j) > 0 ? 1.0 : -1.0), slack) << "alpha " << alpha << " j " << j;
      } else {
        EXPECT_LE(std::abs(g(j)), alpha + slack) << "alpha " << alpha << " j " << j;
      }
    }
    EXPECT_GT(active, 0);
  }
  // Large alpha: everything is zero.
  EXPECT_EQ(solve_lasso(eq, 1e6, {}).beta.cwiseAbs().maxCoeff(), 0.0);
}

TEST(Degenerate, ZeroVarianceFeatureGetsScaleOneAndNoWeight) {
  Eigen::MatrixXd X = random_design(100, 3, 3);
  X.col(1).setConstant(2.5);
  const Eigen::VectorXd y = 3.0 * X.col(0) + X.col(2);
  const NormalEquations eq = normal_equations(moments_of(X, y), 3, 3);
  EXPECT_EQ(eq.scale(1), 1.0);
  for (Regularization reg : {Regularization::ridge, Regularization::lasso}) {
    const LinearPredictor p = fit_fixed_alpha(moments_of(X, y), 3, reg, 1e-4);
    EXPECT_TRUE(p.weights.allFinite());
    EXPECT_LT(std::abs(p.weights(1)), 1e-12);
    EXPECT_NEAR(r2_score(moments_of(X, y), 3, 3, p), 1.0, 1e-6);
  }
}

TEST(Degenerate, SingularDesignIsSolvedByRidge) {
  // Two identical columns: Z^T Z is singular; ridge with alpha > 0 is not, and splits the
  // weight equally between the twins.
  Eigen::MatrixXd X = random_design(150, 3, 4);
  X.col(2) = X.col(0);
  const Eigen::VectorXd y = 2.0 * X.col(0) - X.col(1);
  const NormalEquations eq = normal_equations(moments_of(X, y), 3, 3);
  for (double alpha : alpha_grid) {
    const Eigen::VectorXd beta = solve_ridge(eq, alpha);
    ASSERT_TRUE(beta.allFinite()) << alpha;
    // the twins' difference lies in the eigendirection of G + alpha I with eigenvalue alpha:
    // rounding of order eps ||G|| there is amplified by 1 / alpha
    const double eps = 2.2e-16, gram_norm = eq.gram.norm();
    EXPECT_NEAR(beta(0), beta(2), (1e-12 + 100.0 * eps * gram_norm / alpha) * std::abs(beta(0))) << alpha;
    EXPECT_NEAR(r2_score(moments_of(X, y), 3, 3, to_predictor(eq, beta)), 1.0, 1e-6);
  }
  // Exactly singular with alpha = 0 falls back to the pseudo-inverse instead of failing.
  const Eigen::VectorXd pinv = solve_ridge(eq, 0.0);
  EXPECT_TRUE(pinv.allFinite());
}

TEST(CrossValidation, SplitsFollowTheReference) {
  EXPECT_EQ(test_size(1000), 200);
  EXPECT_EQ(test_size(999), 200);   // ceil(199.8)
  EXPECT_EQ(test_size(8), 2);
  const auto b = fold_bounds(800);  // 267, 267, 266
  EXPECT_EQ(b[1], 267);
  EXPECT_EQ(b[2], 534);
  EXPECT_EQ(b[3], 800);
  const auto c = fold_bounds(6);
  EXPECT_EQ(c[1], 2);
  EXPECT_EQ(minimum_data_set_size(), 8);
}

TEST(CrossValidation, TiesGoToTheSmallerAlpha) {
  std::array<double, n_alphas> r2{};
  r2.fill(0.5);
  EXPECT_EQ(best_alpha_index(r2), 0);
  r2[3] = 0.7;
  r2[6] = 0.7;
  EXPECT_EQ(best_alpha_index(r2), 3);
}

TEST(CrossValidation, R2ConventionForAConstantTarget) {
  Eigen::MatrixXd X = random_design(30, 2, 5);
  Eigen::VectorXd y = Eigen::VectorXd::Constant(30, 4.0);
  const stats::Moments m = moments_of(X, y);
  LinearPredictor exact{4.0, Eigen::VectorXd::Zero(2)};
  LinearPredictor off{5.0, Eigen::VectorXd::Zero(2)};
  EXPECT_EQ(r2_score(m, 2, 2, exact), 1.0);
  EXPECT_EQ(r2_score(m, 2, 2, off), 0.0);
}

}  // namespace
}  // namespace igbench::fit
