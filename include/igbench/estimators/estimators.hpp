#pragma once
// The estimators of E[Y | do(a)] of METHOD.md section 7, each a linear predictor in phi(a):
//   obs     fitted on observational training data;
//   method  sum_k m_k(a) - (K - 1) m_obs(a), m_k fitted on the data of do(A_k) (the paper's);
//   pooled  one model on the union of observational and all single-intervention training data
//           (a true pooled fit: fold f of the union is the merge of every data set's fold f);
//   jint    fitted on joint-interventional training data (the oracle).
// All are scored on the test part of the joint-interventional data by rmse (against Y) and
// truth_rmse (against mu(a)).
#include <optional>
#include <vector>

#include "igbench/fit/cross_validation.hpp"

namespace igbench::estimators {

// What one data set contributes: the moments of its test part and of its three training folds.
struct DataSetMoments {
  stats::Moments test;
  fit::FoldMoments folds;
  // The whole data set (test part, then the folds), e.g. for the observational action moments.
  stats::Moments whole() const;
  std::int64_t count() const;
};

// Which models to fit.
struct ModelRequest {
  bool obs = false;
  bool single = false;  // the K single-intervention models
  bool pooled = false;
  bool jint = false;
};

struct FittedModels {
  std::optional<fit::FittedModel> obs, pooled, jint;
  std::vector<fit::FittedModel> single;  // one per action, empty when not requested
};

struct ModelInputs {
  const DataSetMoments* observational = nullptr;
  std::vector<const DataSetMoments*> single;  // K
  const DataSetMoments* joint = nullptr;
};

// Fits the requested models; the independent fits run in parallel (OpenMP), each by one thread,
// so the result does not depend on the thread count.
FittedModels fit_models(const ModelInputs& in, const ModelRequest& request, int n_features,
                        fit::Regularization reg, const fit::LassoOptions& lasso = {},
                        std::span<const double> alphas = fit::alpha_grid);

// The paper's estimator: sum_k m_k - (K - 1) m_obs.
fit::LinearPredictor method_predictor(const std::vector<fit::FittedModel>& single,
                                      const fit::FittedModel& obs);

// The pooled training folds: fold f = merge of fold f of every data set, in the given order.
fit::FoldMoments pooled_folds(const std::vector<const DataSetMoments*>& data_sets);

struct Score {
  double rmse = 0.0;        // against the observed Y
  double truth_rmse = 0.0;  // against mu(a)
};
// Scores on a test part whose moment vector is [x (n_features), y, mu].
Score score(const fit::LinearPredictor& p, const stats::Moments& test, int n_features);

}  // namespace igbench::estimators
