// Fitting users' arrays through the CLI's moment path: arrays -> fold moments (the streaming
// pass of experiment::accumulate_data_sets over an ArraySource) -> fit::fit_cross_validated /
// estimators::fit_models -> linear predictors in phi(a). Memory beyond the arrays: O(threads x
// chunk x P + P^2), independent of the number of samples.
#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "igbench/estimators/estimators.hpp"
#include "igbench/experiment/accumulate.hpp"
#include "igbench/features/moment_vector.hpp"

namespace igbench::python {

namespace {

// The training moments of one data set: three contiguous folds of all its samples (no test part).
struct FoldSet {
  estimators::DataSetMoments moments;
  int K = 0, degree = 0;
  int n_features() const { return features::moment_layout(features::PolynomialFeatures(K, degree)).n_features; }
};

bool all_finite(const stats::Moments& m) { return m.mean().allFinite() && m.comoment().allFinite(); }

// One fold set per (A, Y) pair, in one parallel streaming pass. The arrays are float64 views
// checked by the Python layer (shapes, sizes); NaN and inf are found here without a copy.
std::vector<FoldSet> accumulate_folds(const std::vector<std::pair<py::array_t<double>, py::array_t<double>>>& data,
                                      int degree, const std::vector<std::string>& names) {
  std::vector<ArraySource> sources;
  sources.reserve(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) sources.emplace_back(strided_view(data[i].first), strided_view(data[i].second));
  const int K = data.empty() ? 0 : static_cast<int>(data.front().first.shape(1));
  std::vector<estimators::DataSetMoments> sets;
  std::vector<std::int64_t> bad_rows(data.size(), -1);
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < data.size(); ++i)
      bad_rows[i] = first_non_finite_row(strided_view(data[i].first), strided_view(data[i].second));
  }
  for (std::size_t i = 0; i < data.size(); ++i)
    if (bad_rows[i] >= 0)
      throw py::value_error(names[i] + " holds NaN or inf in row " + std::to_string(bad_rows[i]) +
                            ": remove or impute the non-finite values");
  {
    py::gil_scoped_release release;
    const features::PolynomialFeatures phi(K, degree);
    std::vector<experiment::DataSetPlan> plans;
    for (const auto& s : sources) plans.push_back({&s, s.size(), true, false});
    sets = experiment::accumulate_data_sets(plans, phi);
  }
  std::vector<FoldSet> out;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    for (const auto& f : sets[i].folds)
      if (!all_finite(f))
        throw py::value_error(names[i] + ": its polynomial features of degree " + std::to_string(degree) +
                              " overflow double precision; rescale the data (e.g. standardise A and Y)");
    out.push_back({std::move(sets[i]), K, degree});
  }
  return out;
}


py::dict model_dict(const fit::FittedModel& m, const std::vector<double>& mean_r2) {
  py::dict d;
  d["alpha"] = m.alpha;
  d["intercept"] = m.predictor.intercept;
  d["weights"] = Eigen::VectorXd(m.predictor.weights);
  d["n_train"] = m.n_train;
  d["condition"] = m.condition;
  d["mean_r2"] = mean_r2;
  return d;
}

py::dict model_dict(const fit::FittedModel& m) {
  return model_dict(m, std::vector<double>(m.cv.mean_r2.begin(), m.cv.mean_r2.end()));
}

py::dict fit_cv(const FoldSet& s, const std::string& regularization, const std::optional<std::vector<double>>& alphas) {
  const fit::Regularization reg = fit::parse_regularization(regularization);
  py::gil_scoped_release release;
  // The grid as given (GridSearchCV's order: the first best alpha wins a tie).
  const fit::FittedModel model =
      alphas ? fit::fit_cross_validated(s.moments.folds, s.n_features(), reg, {}, *alphas)
             : fit::fit_cross_validated(s.moments.folds, s.n_features(), reg);
  py::gil_scoped_acquire acquire;
  return model_dict(model);
}

// The paper's estimator from the observational and the K single-intervention fold sets: the
// K + 1 cross-validated fits of estimators::fit_models, then estimators::method_predictor.
py::dict fit_joint(const FoldSet& obs, const std::vector<const FoldSet*>& single, const std::string& regularization) {
  const fit::Regularization reg = fit::parse_regularization(regularization);
  estimators::FittedModels models;
  fit::LinearPredictor method;
  {
    py::gil_scoped_release release;
    estimators::ModelInputs in;
    in.observational = &obs.moments;
    for (const FoldSet* s : single) in.single.push_back(&s->moments);
    estimators::ModelRequest request;
    request.obs = true;
    request.single = true;
    models = estimators::fit_models(in, request, obs.n_features(), reg);
    method = estimators::method_predictor(models.single, *models.obs);
  }
  py::dict d;
  d["obs"] = model_dict(*models.obs);
  py::list singles;
  for (const auto& m : models.single) singles.append(model_dict(m));
  d["single"] = singles;
  d["intercept"] = method.intercept;
  d["weights"] = Eigen::VectorXd(method.weights);
  return d;
}

fit::LinearPredictor predictor(double intercept, const Eigen::VectorXd& weights) {
  fit::LinearPredictor p;
  p.intercept = intercept;
  p.weights = weights;
  return p;
}

// yhat_i = b + w . phi(a_i)[1:], row by row. Cost O(n P).
py::array_t<double> predict(double intercept, const Eigen::VectorXd& weights, const py::array_t<double>& A, int degree) {
  const StridedMatrix v = strided_view(A);
  const features::PolynomialFeatures phi(static_cast<int>(v.cols), degree);
  if (weights.size() != phi.size() - 1) throw py::value_error("predict: weights do not match the features");
  py::array_t<double> out(static_cast<py::ssize_t>(v.rows));
  double* o = out.mutable_data();
  py::gil_scoped_release release;
#pragma omp parallel
  {
    std::vector<double> a(static_cast<std::size_t>(v.cols)), x(static_cast<std::size_t>(phi.size()));
#pragma omp for schedule(static)
    for (std::int64_t i = 0; i < v.rows; ++i) {
      for (std::int64_t k = 0; k < v.cols; ++k) a[static_cast<std::size_t>(k)] = v.at(i, k);
      phi.expand(a.data(), x.data());
      double y = intercept;
      for (Eigen::Index p = 0; p < weights.size(); ++p) y += weights(p) * x[static_cast<std::size_t>(p + 1)];
      o[i] = y;
    }
  }
  return out;
}

// RMSE of a predictor on a test set, from its moments accumulated exactly as the CLI accumulates
// a test part (experiment::test_set_moments: the same path, pilot, chunks, merge order and
// fallback), then estimators::score: bitwise the CLI's rmse for the same samples and predictor.
double rmse(double intercept, const Eigen::VectorXd& weights, const py::array_t<double>& A, const py::array_t<double>& Y,
            int degree) {
  const ArraySource source(strided_view(A), strided_view(Y));
  const features::PolynomialFeatures phi(static_cast<int>(A.shape(1)), degree);
  const features::MomentLayout layout = features::moment_layout(phi);
  py::gil_scoped_release release;
  const stats::Moments m = experiment::test_set_moments(source, source.size(), phi);
  return estimators::score(predictor(intercept, weights), m, layout.n_features).rmse;
}

}  // namespace

void bind_fit(py::module_& m) {
  py::class_<FoldSet>(m, "FoldSet", "Moments of the three contiguous training folds of one data set.")
      .def_property_readonly("n", [](const FoldSet& s) { return s.moments.count(); })
      .def_property_readonly("K", [](const FoldSet& s) { return s.K; })
      .def_property_readonly("degree", [](const FoldSet& s) { return s.degree; });
  m.def("accumulate_folds", &accumulate_folds, py::arg("data"), py::arg("degree"), py::arg("names"));
  m.def("fit_cv", &fit_cv, py::arg("folds"), py::arg("regularization"), py::arg("alphas") = std::nullopt);
  m.def("fit_joint", &fit_joint, py::arg("observational"), py::arg("single"), py::arg("regularization"));
  m.def("predict", &predict, py::arg("intercept"), py::arg("weights"), py::arg("A").noconvert(), py::arg("degree"));
  m.def("rmse", &rmse, py::arg("intercept"), py::arg("weights"), py::arg("A").noconvert(), py::arg("Y").noconvert(),
        py::arg("degree"));
  m.def("test_size", &fit::test_size, py::arg("n"), "ceil(0.2 n): the test part of a data set of n samples.");
  m.def("fold_bounds", &fit::fold_bounds, py::arg("n_train"), "Boundaries of the 3 contiguous folds.");
  m.def("alpha_grid", [] { return std::vector<double>(fit::alpha_grid.begin(), fit::alpha_grid.end()); });
  m.def("feature_names", [](int K, int degree) {
        const features::PolynomialFeatures phi(K, degree);
        std::vector<std::string> names;
        for (int p = 0; p < phi.size(); ++p) names.push_back(phi.name(p));
        return names;
      }, py::arg("K"), py::arg("degree"));
}

}  // namespace igbench::python
