#include "igbench/estimators/estimators.hpp"

#include <cmath>
#include <stdexcept>

namespace igbench::estimators {

stats::Moments DataSetMoments::whole() const {
  stats::Moments m = test;
  for (const auto& f : folds) m.merge(f);
  return m;
}

std::int64_t DataSetMoments::count() const {
  std::int64_t n = test.count();
  for (const auto& f : folds) n += f.count();
  return n;
}

fit::FoldMoments pooled_folds(const std::vector<const DataSetMoments*>& data_sets) {
  if (data_sets.empty()) throw std::invalid_argument("pooled_folds: no data sets");
  fit::FoldMoments pooled;
  for (int f = 0; f < fit::n_folds; ++f) {
    const auto fs = static_cast<std::size_t>(f);
    pooled[fs] = stats::Moments(data_sets.front()->folds[fs].dim());
    for (const DataSetMoments* d : data_sets) pooled[fs].merge(d->folds[fs]);
  }
  return pooled;
}

FittedModels fit_models(const ModelInputs& in, const ModelRequest& request, int n_features,
                        fit::Regularization reg, const fit::LassoOptions& lasso,
                        std::span<const double> alphas) {
  // The list of independent fits: (training folds, where the result goes).
  struct Job {
    fit::FoldMoments folds;
    fit::FittedModel* out;
  };
  FittedModels models;
  const std::size_t K = in.single.size();
  if (request.obs) models.obs.emplace();
  if (request.pooled) models.pooled.emplace();
  if (request.jint) models.jint.emplace();
  if (request.single) models.single.resize(K);

  std::vector<Job> jobs;
  if (request.obs) jobs.push_back({in.observational->folds, &*models.obs});
  if (request.single)
    for (std::size_t k = 0; k < K; ++k) jobs.push_back({in.single[k]->folds, &models.single[k]});
  if (request.pooled) {
    std::vector<const DataSetMoments*> sets{in.observational};
    sets.insert(sets.end(), in.single.begin(), in.single.end());
    jobs.push_back({pooled_folds(sets), &*models.pooled});
  }
  if (request.jint) jobs.push_back({in.joint->folds, &*models.jint});

  const auto n_jobs = static_cast<std::ptrdiff_t>(jobs.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (std::ptrdiff_t i = 0; i < n_jobs; ++i) {
    const auto& job = jobs[static_cast<std::size_t>(i)];
    *job.out = fit::fit_cross_validated(job.folds, n_features, reg, lasso, alphas);
  }
  return models;
}

fit::LinearPredictor method_predictor(const std::vector<fit::FittedModel>& single,
                                      const fit::FittedModel& obs) {
  const double K = static_cast<double>(single.size());
  // sum_k m_k, added in k order, then minus (K - 1) m_obs
  fit::LinearPredictor sum = single.front().predictor;
  for (std::size_t k = 1; k < single.size(); ++k)
    sum = fit::LinearPredictor::combine(1.0, sum, 1.0, single[k].predictor);
  return fit::LinearPredictor::combine(1.0, sum, -(K - 1.0), obs.predictor);
}

Score score(const fit::LinearPredictor& p, const stats::Moments& test, int n_features) {
  const double n = static_cast<double>(test.count());
  Score s;
  s.rmse = std::sqrt(fit::sum_squared_residuals(test, n_features, n_features, p) / n);
  s.truth_rmse = std::sqrt(fit::sum_squared_residuals(test, n_features, n_features + 1, p) / n);
  return s;
}

}  // namespace igbench::estimators
