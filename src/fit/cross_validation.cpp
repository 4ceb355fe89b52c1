#include "igbench/fit/cross_validation.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>
#include <utility>

namespace igbench::fit {

std::int64_t test_size(std::int64_t n) {
  return static_cast<std::int64_t>(std::ceil(0.2 * static_cast<double>(n)));
}

std::array<std::int64_t, n_folds + 1> fold_bounds(std::int64_t n_train) {
  std::array<std::int64_t, n_folds + 1> b{};
  for (int f = 0; f < n_folds; ++f)
    b[static_cast<std::size_t>(f + 1)] =
        b[static_cast<std::size_t>(f)] + n_train / n_folds + (f < n_train % n_folds ? 1 : 0);
  return b;
}

std::int64_t minimum_data_set_size() {
  for (std::int64_t n = 1;; ++n)
    if (test_size(n) >= 2 && (n - test_size(n)) / n_folds >= 2) return n;
}

namespace {
// The shortest text that reads back as x (e.g. 0.1, 9.999999999999999e-06).
std::string shortest(double x) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return ec == std::errc() ? std::string(buf, end) : std::string("?");
}
}  // namespace

std::string validate_alpha_grid(std::span<const double> alphas) {
  if (alphas.empty()) return "the alpha grid is empty: give at least one alpha, e.g. --alphas 1e-8,1e-4,0.1";
  for (std::size_t i = 0; i < alphas.size(); ++i) {
    if (!std::isfinite(alphas[i]) || alphas[i] < 0.0)
      return "alpha " + shortest(alphas[i]) + " is not a finite number >= 0: every alpha must be, e.g. --alphas 1e-8,1e-4,0.1";
    if (i > 0 && !(alphas[i] > alphas[i - 1]))
      return "the alphas must be strictly ascending (ties in CV go to the smaller alpha), but " + shortest(alphas[i]) +
             " follows " + shortest(alphas[i - 1]);
  }
  return {};
}

int best_alpha_index(std::span<const double> mean_r2) {
  int best = 0;
  for (int a = 1; a < static_cast<int>(mean_r2.size()); ++a)
    if (mean_r2[static_cast<std::size_t>(a)] > mean_r2[static_cast<std::size_t>(best)]) best = a;
  return best;
}

namespace {
// Training moments without fold `held_out`: the other two merged in data order.
stats::Moments training_without(const FoldMoments& folds, int held_out) {
  stats::Moments train(folds[0].dim());
  for (int f = 0; f < n_folds; ++f)
    if (f != held_out) train.merge(folds[static_cast<std::size_t>(f)]);
  return train;
}

// One training set's solver: ridge reduces its Gram matrix to tridiagonal form once and then
// solves the whole grid in O(p^2) (solve_ridge_path); lasso runs coordinate descent per alpha.
class TrainingSetSolver {
 public:
  // condition_needed: the refit reports its condition number; the folds' are never used.
  TrainingSetSolver(const NormalEquations& eq, Regularization reg, const LassoOptions& lasso, bool condition_needed)
      : eq_(eq), reg_(reg), lasso_(lasso), condition_needed_(condition_needed) {
    if (reg_ == Regularization::ridge) system_ = ridge_system(eq_, condition_needed);
  }
  // Raw-coordinate predictors at every alpha (weights p x alphas, one intercept per alpha), and
  // the condition numbers of the matrices solved.
  struct Path {
    Eigen::MatrixXd weights;
    Eigen::VectorXd intercepts, condition;
  };
  Path solve(std::span<const double> alphas) const {
    const auto m = static_cast<Eigen::Index>(alphas.size());
    Path out;
    Eigen::MatrixXd beta;  // standardised coefficients, p x alphas
    if (reg_ == Regularization::ridge) {
      RidgePath path = solve_ridge_path(system_, alphas);
      beta = std::move(path.beta);
      out.condition = std::move(path.condition);
    } else {
      beta.resize(eq_.gram.rows(), m);
      out.condition.resize(m);
      for (Eigen::Index a = 0; a < m; ++a) {
        beta.col(a) = solve_lasso(eq_, alphas[static_cast<std::size_t>(a)], lasso_).beta;
        out.condition(a) = condition_needed_ ? active_set_condition(beta.col(a)) : std::numeric_limits<double>::quiet_NaN();
      }
    }
    out.weights.resize(beta.rows(), m);
    out.intercepts.resize(m);
    for (Eigen::Index a = 0; a < m; ++a) {
      LinearPredictor pred = to_predictor(eq_, beta.col(a));
      out.weights.col(a) = pred.weights;
      out.intercepts(a) = pred.intercept;
    }
    return out;
  }
  // Lasso's KKT system lives on the active set: cond_2 of G restricted to it. Cost O(q^3).
  double active_set_condition(const Eigen::VectorXd& beta) const {
    std::vector<Eigen::Index> active;
    for (Eigen::Index j = 0; j < beta.size(); ++j)
      if (beta(j) != 0.0) active.push_back(j);
    Eigen::MatrixXd g(active.size(), active.size());
    for (std::size_t a = 0; a < active.size(); ++a)
      for (std::size_t b = 0; b < active.size(); ++b) g(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = eq_.gram(active[a], active[b]);
    return condition_number(g);
  }

 private:
  const NormalEquations& eq_;
  Regularization reg_;
  LassoOptions lasso_;
  bool condition_needed_;
  RidgeSystem system_;
};
}  // namespace

FittedModel fit_cross_validated(const FoldMoments& folds, int n_features, Regularization reg,
                                const LassoOptions& lasso, std::span<const double> alphas) {
  const int target = n_features;  // y follows the features in the moment vector
  const auto n_grid = alphas.size();
  FittedModel model;
  model.cv.fold_r2.assign(n_grid, {});
  model.cv.mean_r2.assign(n_grid, 0.0);
  stats::Moments all(folds[0].dim());  // all folds merged in order: training_without(2) + fold 2
  for (int f = 0; f < n_folds; ++f) {
    stats::Moments train = training_without(folds, f);
    const NormalEquations eq = normal_equations(train, n_features, target);
    if (f == n_folds - 1) all = std::move(train);  // no copy of the P x P moments
    const TrainingSetSolver::Path path = TrainingSetSolver(eq, reg, lasso, false).solve(alphas);
    const Eigen::VectorXd r2 = r2_scores(folds[static_cast<std::size_t>(f)], n_features, target, path.weights, path.intercepts);
    for (std::size_t a = 0; a < n_grid; ++a) model.cv.fold_r2[a][static_cast<std::size_t>(f)] = r2(static_cast<Eigen::Index>(a));
  }
  for (std::size_t a = 0; a < n_grid; ++a) {
    const auto& r = model.cv.fold_r2[a];
    model.cv.mean_r2[a] = ((r[0] + r[1]) + r[2]) / 3.0;
  }
  model.cv.best = best_alpha_index(model.cv.mean_r2);
  model.alpha = alphas[static_cast<std::size_t>(model.cv.best)];

  all.merge(folds[n_folds - 1]);
  model.n_train = all.count();
  const NormalEquations eq = normal_equations(all, n_features, target);
  const TrainingSetSolver::Path refit = TrainingSetSolver(eq, reg, lasso, true).solve(std::span(&model.alpha, 1));
  model.predictor.weights = refit.weights.col(0);
  model.predictor.intercept = refit.intercepts(0);
  model.condition = refit.condition(0);
  return model;
}

}  // namespace igbench::fit
