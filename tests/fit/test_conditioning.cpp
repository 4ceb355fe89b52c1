// Ill-conditioning made visible (issue 11, item 2): the ridge solve through the tridiagonal form
// against plain twins (LLT of G + alpha I; the SVD pseudo-inverse), its exact condition number,
// the stated cut-off for numerically singular matrices, and residual sums of squares from
// moments that are never silently clamped.
#include <cmath>
#include <limits>
#include <array>
#include <random>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/SVD>
#include <gtest/gtest.h>

#include "igbench/fit/cross_validation.hpp"

namespace igbench::fit {
namespace {

stats::Moments moments_of(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  Eigen::MatrixXd Z(X.rows(), X.cols() + 2);
  Z << X, y, y;
  stats::Moments m(static_cast<int>(Z.cols()));
  m.add_batch(Z);
  return m;
}

// Powers x, x^2, .., x^p of a lognormal x: the heavy-tailed, nearly collinear columns of the
// linear SCM's degree-3 features.
Eigen::MatrixXd lognormal_powers(Eigen::Index n, int p, unsigned seed) {
  std::mt19937_64 g(seed);
  std::lognormal_distribution<double> x(0.0, 0.8);
  Eigen::MatrixXd X(n, p);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double v = x(g);
    for (int j = 0; j < p; ++j) X(i, j) = std::pow(v, j + 1);
  }
  return X;
}

double singular_condition(const Eigen::MatrixXd& A) {
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(A);
  return svd.singularValues()(0) / svd.singularValues()(A.rows() - 1);
}

TEST(RidgeConditioning, TridiagonalSolveEqualsCholeskyAndReportsTheExactConditionNumber) {
  const Eigen::MatrixXd X = lognormal_powers(500, 4, 1);
  Eigen::VectorXd y = X.col(0) - 0.5 * X.col(2);
  y.array() += Eigen::ArrayXd::LinSpaced(500, -1, 1).sin();
  const NormalEquations eq = normal_equations(moments_of(X, y), 4, 4);
  const RidgeSystem system = ridge_system(eq);
  for (double alpha : alpha_grid) {
    Eigen::MatrixXd A = eq.gram;
    A.diagonal().array() += alpha;
    const RidgeSolution s = solve_ridge(system, alpha);
    // cond_2 by the SVD of G + alpha I (an independent route), to a relative 1e-6: the two
    // routes compute the smallest eigenvalue with absolute errors of about eps ||G||.
    const double cond = singular_condition(A);
    EXPECT_NEAR(s.condition, cond, 1e-6 * cond) << "alpha " << alpha;
    EXPECT_EQ(s.dropped, 0);
    // the twin: LLT of G + alpha I; both are backward stable, so they agree to cond eps
    const Eigen::VectorXd twin = A.llt().solve(eq.rhs);
    EXPECT_LE((s.beta - twin).norm(), 100.0 * cond * std::numeric_limits<double>::epsilon() * twin.norm())
        << "alpha " << alpha;
  }
  // cond falls with alpha
  EXPECT_GT(solve_ridge(system, 1e-8).condition, solve_ridge(system, 0.1).condition);
}

TEST(RidgeConditioning, ASingularGramIsSolvedByThePseudoInverseWithTheStatedCutOff) {
  // Two identical columns: G is singular. At alpha = 0 the smallest eigenvalue is rounding noise,
  // below the cut-off p eps lambda_max: that component is dropped and the solution is the
  // minimum-norm least-squares one (the SVD pseudo-inverse), both columns sharing the weight.
  Eigen::MatrixXd X = lognormal_powers(300, 3, 2);
  X.col(2) = X.col(0);
  const Eigen::VectorXd y = 2.0 * X.col(0) + X.col(1);
  const NormalEquations eq = normal_equations(moments_of(X, y), 3, 3);
  const RidgeSolution s = solve_ridge(ridge_system(eq), 0.0);
  EXPECT_EQ(s.dropped, 1);
  EXPECT_GT(s.condition, 1.0 / (3 * std::numeric_limits<double>::epsilon()));
  const Eigen::VectorXd pinv = eq.gram.completeOrthogonalDecomposition().pseudoInverse() * eq.rhs;
  EXPECT_LE((s.beta - pinv).norm(), 1e-8 * pinv.norm());
  EXPECT_NEAR(s.beta(0), s.beta(2), 1e-8 * s.beta.norm());
  // With alpha > 0 the same matrix is regular: nothing is dropped and cond is finite.
  const RidgeSolution r = solve_ridge(ridge_system(eq), 1e-3);
  EXPECT_EQ(r.dropped, 0);
  EXPECT_TRUE(std::isfinite(r.condition));
}

// The grid solved at once against the per-alpha twin: same conditions and dropped counts
// exactly, coefficients to rounding (the reflectors summed in another order), including a
// numerically singular alpha = 0 that drops a component.
TEST(RidgeConditioning, TheWholeGridAtOnceEqualsPerAlphaSolves) {
  Eigen::MatrixXd X = lognormal_powers(400, 5, 4);
  X.col(4) = X.col(1);
  const Eigen::VectorXd y = X.col(0) - X.col(3) + Eigen::VectorXd::LinSpaced(400, -1, 1).array().sin().matrix();
  const NormalEquations eq = normal_equations(moments_of(X, y), 5, 5);
  const RidgeSystem system = ridge_system(eq);
  std::vector<double> alphas = {0.0};
  alphas.insert(alphas.end(), alpha_grid.begin(), alpha_grid.end());
  const RidgePath path = solve_ridge_path(system, alphas);
  ASSERT_EQ(path.beta.cols(), static_cast<Eigen::Index>(alphas.size()));
  for (std::size_t a = 0; a < alphas.size(); ++a) {
    const auto c = static_cast<Eigen::Index>(a);
    const RidgeSolution twin = solve_ridge(system, alphas[a]);
    EXPECT_EQ(path.condition(c), twin.condition) << alphas[a];
    EXPECT_EQ(path.dropped(c), twin.dropped) << alphas[a];
    EXPECT_LE((path.beta.col(c) - twin.beta).norm(), 1e-13 * twin.beta.norm()) << alphas[a];
  }
  EXPECT_EQ(path.dropped(0), 1);
  // one alpha alone gives that alpha's column bitwise
  const RidgePath one = solve_ridge_path(system, std::span(alphas).subspan(3, 1));
  EXPECT_TRUE(one.beta.col(0) == path.beta.col(3));
}

// Without the condition number the system holds certified bounds instead of the extreme
// eigenvalues: the same decisions, hence bitwise the same solutions; and a singular Gram matrix
// is not certified (it falls back to the multisection and drops its null component).
TEST(RidgeConditioning, BoundsInsteadOfEigenvaluesGiveTheSameSolutions) {
  const Eigen::MatrixXd X = lognormal_powers(400, 5, 6);
  const Eigen::VectorXd y = X.col(0) - X.col(3) + Eigen::VectorXd::LinSpaced(400, -1, 1).array().sin().matrix();
  const NormalEquations eq = normal_equations(moments_of(X, y), 5, 5);
  const RidgeSystem exact = ridge_system(eq), bounded = ridge_system(eq, false);
  EXPECT_FALSE(bounded.exact_extremes);
  EXPECT_LE(bounded.lambda_min, exact.lambda_min);
  EXPECT_GE(bounded.lambda_max, exact.lambda_max);
  const RidgePath a = solve_ridge_path(exact, alpha_grid), b = solve_ridge_path(bounded, alpha_grid);
  EXPECT_TRUE(a.beta == b.beta);
  EXPECT_TRUE(a.dropped == b.dropped);
  EXPECT_TRUE(b.condition.array().isNaN().all());
  EXPECT_TRUE(a.condition.allFinite());

  Eigen::MatrixXd Xs = X;
  Xs.col(4) = Xs.col(1);
  const NormalEquations singular = normal_equations(moments_of(Xs, y), 5, 5);
  const RidgeSystem fallback = ridge_system(singular, false);
  EXPECT_TRUE(fallback.exact_extremes);
  const std::array<double, 1> zero = {0.0};
  EXPECT_EQ(solve_ridge_path(fallback, zero).dropped(0), 1);
}

TEST(Residuals, BatchedResidualsEqualPerPredictorOnes) {
  const Eigen::MatrixXd X = lognormal_powers(300, 4, 5);
  const Eigen::VectorXd y = X.col(2) + Eigen::VectorXd::LinSpaced(300, -1, 1);
  const stats::Moments test = moments_of(X, y);
  Eigen::MatrixXd W(4, 6);
  Eigen::VectorXd b(6);
  for (Eigen::Index a = 0; a < 6; ++a) {
    W.col(a) = Eigen::VectorXd::LinSpaced(4, -0.5, 1.0 + static_cast<double>(a));
    b(a) = 0.1 * static_cast<double>(a);
  }
  const Eigen::VectorXd ss = sum_squared_residuals(test, 4, 4, W, b);
  const Eigen::VectorXd r2 = r2_scores(test, 4, 4, W, b);
  for (Eigen::Index a = 0; a < 6; ++a) {
    const LinearPredictor p{b(a), W.col(a)};
    EXPECT_NEAR(ss(a), sum_squared_residuals(test, 4, 4, p), 1e-12 * ss(a)) << a;
    EXPECT_NEAR(r2(a), r2_score(test, 4, 4, p), 1e-12 * (1.0 + std::abs(r2(a)))) << a;
  }
}

TEST(RidgeConditioning, CrossValidatedModelsRecordTheConditionOfTheRefit) {
  const Eigen::MatrixXd X = lognormal_powers(900, 3, 3);
  const Eigen::VectorXd y = X.col(0) + Eigen::VectorXd::LinSpaced(900, -1, 1).array().cos().matrix();
  // three contiguous folds of the rows, as the streaming pass cuts them
  FoldMoments folds;
  for (int f = 0; f < n_folds; ++f) folds[static_cast<std::size_t>(f)] = moments_of(X.middleRows(300 * f, 300), y.segment(300 * f, 300));
  const FittedModel m = fit_cross_validated(folds, 3, Regularization::ridge);
  stats::Moments all(5);
  for (const auto& f : folds) all.merge(f);
  Eigen::MatrixXd A = normal_equations(all, 3, 3).gram;
  A.diagonal().array() += m.alpha;
  EXPECT_NEAR(m.condition, singular_condition(A), 1e-6 * m.condition);
  // lasso: the condition number of the active set's Gram matrix
  const FittedModel l = fit_cross_validated(folds, 3, Regularization::lasso);
  EXPECT_GE(l.condition, 1.0);
  EXPECT_TRUE(std::isfinite(l.condition));
}

TEST(Residuals, InconsistentMomentsAreAnErrorNotAZero) {
  // M = [[1, 2], [2, 1]] is not positive semi-definite: the residual of y - x (v = [-1, 1]) would
  // have v^T M v = -2, far beyond the rounding bound. It must throw, not be clamped to 0.
  Eigen::MatrixXd M(3, 3);
  M << 1, 2, 0, 2, 1, 0, 0, 0, 1;
  const stats::Moments bad = stats::Moments::from_parts(10, Eigen::VectorXd::Zero(3), M);
  LinearPredictor p;
  p.weights = Eigen::VectorXd::Ones(1);
  EXPECT_THROW(sum_squared_residuals(bad, 1, 1, p), std::runtime_error);
}

TEST(Residuals, AnExactFitGivesZeroWithinTheStatedRoundingBound) {
  // y = 3 x0 - 2 x1 + 1 exactly: the fitted residual sum of squares is ~0. Whatever rounding
  // leaves is within residual_rounding_bound and reported as a non-negative number.
  const Eigen::MatrixXd X = lognormal_powers(1000, 2, 4);
  const Eigen::VectorXd y = (3.0 * X.col(0) - 2.0 * X.col(1)).array() + 1.0;
  const stats::Moments m = moments_of(X, y);
  LinearPredictor exact;
  exact.weights = Eigen::Vector2d(3.0, -2.0);
  exact.intercept = 1.0;
  const double ss = sum_squared_residuals(m, 2, 2, exact);
  EXPECT_GE(ss, 0.0);
  const double scale = m.comoment()(2, 2);
  EXPECT_LE(ss, 1e-10 * scale);
  EXPECT_GT(residual_rounding_bound(1000, 2), 0.0);
  EXPECT_LT(residual_rounding_bound(1000, 2), 1e-12);
}

}  // namespace
}  // namespace igbench::fit
