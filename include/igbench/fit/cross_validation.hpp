#pragma once
// Splits and 3-fold cross-validation of METHOD.md sections 6-7, from fold moments.
//
// A data set of n samples: test part ceil(0.2 n) samples, training part the rest. The training
// part is cut into 3 contiguous folds (the first n_train % 3 hold one extra sample). For each of
// the 8 alphas the model is fitted on two folds (their merged moments) and scored by R^2 on the
// third; the mean R^2 over folds is maximised, ties going to the smaller alpha; the model is
// refitted on all three folds. The grid is the reference's 8 alphas unless a caller passes its
// own (ascending, so that "first maximum" means "smaller alpha"). Ridge cost: 4 tridiagonal
// reductions of size p (one per training set, O(p^3)) and O(p^2) per alpha; no pass over data.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "igbench/fit/linear_model.hpp"

namespace igbench::fit {

// numpy.logspace(-8, -1, 8), as doubles exactly (three are one bit below the power of ten).
inline constexpr std::array<double, 8> alpha_grid = {
    1e-08, 1e-07, 1e-06, 9.999999999999999e-06, 9.999999999999999e-05, 0.001, 0.01,
    0.09999999999999999};
inline constexpr int n_alphas = static_cast<int>(alpha_grid.size());
inline constexpr int n_folds = 3;

// ceil(0.2 n), computed in double precision as scikit-learn does.
std::int64_t test_size(std::int64_t n);
// Boundaries of the 3 folds of a training part of n_train samples: fold f is
// [bounds[f], bounds[f + 1]).
std::array<std::int64_t, n_folds + 1> fold_bounds(std::int64_t n_train);
// The smallest data set with a test part of >= 2 samples and folds of >= 2 samples each.
std::int64_t minimum_data_set_size();

// Empty when `alphas` can be a grid (non-empty, finite, >= 0, strictly ascending); otherwise
// one line saying what is wrong.
std::string validate_alpha_grid(std::span<const double> alphas);

struct CrossValidation {
  std::vector<std::array<double, n_folds>> fold_r2;  // per alpha, per fold
  std::vector<double> mean_r2;                       // per alpha
  int best = 0;  // index into the grid
};

struct FittedModel {
  LinearPredictor predictor;  // refitted on all folds with the chosen alpha
  double alpha = 0.0;
  // The 2-norm condition number of the matrix solved by the refit at the chosen alpha: ridge,
  // G + alpha I (standardised Gram); lasso, the standardised Gram of the active (nonzero)
  // coefficients (1 when none is active).
  double condition = 0.0;
  std::int64_t n_train = 0;
  CrossValidation cv;
};

using FoldMoments = std::array<stats::Moments, n_folds>;

// Cross-validated fit from the three fold accumulators of a training part.
FittedModel fit_cross_validated(const FoldMoments& folds, int n_features, Regularization reg,
                                const LassoOptions& lasso = {}, std::span<const double> alphas = alpha_grid);

// The mean R^2 over folds and the best index: mean = ((r0 + r1) + r2) / 3; first maximum wins.
int best_alpha_index(std::span<const double> mean_r2);

}  // namespace igbench::fit
