#include "igbench/fit/cross_validation.hpp"

#include <cmath>

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

int best_alpha_index(const std::array<double, n_alphas>& mean_r2) {
  int best = 0;
  for (int a = 1; a < n_alphas; ++a)
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

Eigen::VectorXd solve(const NormalEquations& eq, Regularization reg, double alpha,
                      const LassoOptions& lasso) {
  return reg == Regularization::ridge ? solve_ridge(eq, alpha) : solve_lasso(eq, alpha, lasso).beta;
}
}  // namespace

FittedModel fit_cross_validated(const FoldMoments& folds, int n_features, Regularization reg,
                                const LassoOptions& lasso) {
  const int target = n_features;  // y follows the features in the moment vector
  FittedModel model;
  for (int f = 0; f < n_folds; ++f) {
    const NormalEquations eq = normal_equations(training_without(folds, f), n_features, target);
    for (int a = 0; a < n_alphas; ++a) {
      const LinearPredictor pred = to_predictor(eq, solve(eq, reg, alpha_grid[static_cast<std::size_t>(a)], lasso));
      model.cv.fold_r2[static_cast<std::size_t>(a)][static_cast<std::size_t>(f)] =
          r2_score(folds[static_cast<std::size_t>(f)], n_features, target, pred);
    }
  }
  for (int a = 0; a < n_alphas; ++a) {
    const auto& r = model.cv.fold_r2[static_cast<std::size_t>(a)];
    model.cv.mean_r2[static_cast<std::size_t>(a)] = ((r[0] + r[1]) + r[2]) / 3.0;
  }
  model.cv.best = best_alpha_index(model.cv.mean_r2);
  model.alpha = alpha_grid[static_cast<std::size_t>(model.cv.best)];

  stats::Moments all(folds[0].dim());
  for (const auto& f : folds) all.merge(f);
  model.n_train = all.count();
  const NormalEquations eq = normal_equations(all, n_features, target);
  model.predictor = to_predictor(eq, solve(eq, reg, model.alpha, lasso));
  return model;
}

}  // namespace igbench::fit
