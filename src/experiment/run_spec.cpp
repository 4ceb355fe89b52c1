#include "igbench/experiment/run_spec.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "igbench/experiment/reference_run.hpp"
#include "igbench/features/polynomial_features.hpp"
#include "igbench/fit/cross_validation.hpp"

namespace igbench::experiment {

std::string_view method_name(Method m) {
  switch (m) {
    case Method::obs: return "obs";
    case Method::method: return "method";
    case Method::pooled: return "pooled";
    case Method::jint: return "jint";
    case Method::pooled_ref: return "pooled_ref";
  }
  return "?";
}

Method parse_method(std::string_view name) {
  for (Method m : all_methods)
    if (method_name(m) == name) return m;
  throw std::invalid_argument("unknown method '" + std::string(name) +
                              "' (choose obs, method, pooled, jint, pooled_ref)");
}

std::string_view experiment_name(ExperimentKind e) {
  switch (e) {
    case ExperimentKind::main: return "main";
    case ExperimentKind::ratio: return "ratio";
    case ExperimentKind::convergence: return "convergence";
  }
  return "?";
}

ExperimentKind parse_experiment(std::string_view name) {
  for (ExperimentKind e : {ExperimentKind::main, ExperimentKind::ratio, ExperimentKind::convergence})
    if (experiment_name(e) == name) return e;
  throw std::invalid_argument("unknown experiment '" + std::string(name) + "'");
}

std::string_view rng_name(RngMode r) { return r == RngMode::reference ? "reference" : "fast"; }

RngMode parse_rng(std::string_view name) {
  if (name == "fast") return RngMode::fast;
  if (name == "reference") return RngMode::reference;
  throw std::invalid_argument("unknown rng '" + std::string(name) + "' (choose fast or reference)");
}

MethodSet default_methods(ExperimentKind e, RngMode rng) {
  MethodSet s;
  switch (e) {
    case ExperimentKind::main:
      s.add(Method::obs).add(Method::method).add(Method::jint);
      s.add(rng == RngMode::reference ? Method::pooled_ref : Method::pooled);
      break;
    case ExperimentKind::ratio:
      s.add(Method::obs).add(Method::method).add(Method::jint);
      break;
    case ExperimentKind::convergence:
      s.add(Method::method).add(Method::jint);
      break;
  }
  return s;
}

std::string validate(const RunSpec& spec) {
  if (spec.K < 1) return "K must be >= 1 (got " + std::to_string(spec.K) + ")";
  if (spec.n_order_fit < 1)
    return "n_order_fit must be >= 1 (got " + std::to_string(spec.n_order_fit) + ")";
  try {
    (void)features::feature_count(spec.K, spec.n_order_fit);
  } catch (const std::overflow_error&) {
    return "K = " + std::to_string(spec.K) + " with n_order_fit = " +
           std::to_string(spec.n_order_fit) + " gives too many polynomial features";
  }
  const std::int64_t n_min = fit::minimum_data_set_size();
  auto check = [&](const char* name, std::int64_t n) -> std::string {
    if (n < n_min)
      return std::string(name) + " = " + std::to_string(n) + " is too small: a data set needs at least " +
             std::to_string(n_min) + " samples (a test part of 2 and three folds of 2)";
    return {};
  };
  const bool needs_obs = spec.methods.has(Method::obs) || spec.methods.has(Method::method) ||
                         spec.methods.has(Method::pooled) || spec.methods.has(Method::pooled_ref) ||
                         spec.scm_type == scm::ScmType::polynomial;
  const bool needs_sint = spec.methods.has(Method::method) || spec.methods.has(Method::pooled) ||
                          spec.methods.has(Method::pooled_ref);
  if (needs_obs)
    if (auto e = check("N_obs", spec.N_obs); !e.empty()) return e;
  if (needs_sint)
    if (auto e = check("N_sint", spec.N_sint); !e.empty()) return e;
  if (auto e = check("N_jint", spec.N_jint); !e.empty()) return e;
  if (spec.rng == RngMode::fast && spec.methods.has(Method::pooled_ref))
    return "pooled_ref is the reference's averaged-chunk baseline: it needs --rng reference";
  if (spec.rng == RngMode::reference && spec.regularization == fit::Regularization::lasso)
    return "--rng reference supports ridge only: the reference's lasso draws a random coordinate "
           "order from the global stream; use --rng fast for lasso";
  if (spec.rng == RngMode::reference && spec.methods.has(Method::pooled_ref)) {
    if (spec.experiment == ExperimentKind::convergence)
      return "pooled_ref has no place in the reference's convergence experiment (its second call "
             "would draw after it); use it with the main or ratio experiment";
    // The last chunk of N_obs or N_sint holds N mod chunk samples; its 3 folds need 2 each (the
    // reference's own cross-validation fails on such a chunk).
    const std::int64_t chunk = std::min({spec.N_obs, spec.N_sint, reference_pool_chunk});
    for (const auto& [name, n] : {std::pair{"N_obs", spec.N_obs}, std::pair{"N_sint", spec.N_sint}})
      if (const std::int64_t tail = n % chunk; tail != 0 && tail < 2 * fit::n_folds)
        return "pooled_ref: " + std::string(name) + " = " + std::to_string(n) + " leaves a last chunk of " +
               std::to_string(tail) + " samples (chunks of " + std::to_string(chunk) +
               "), too few for 3-fold cross-validation; choose " + name + " so that N mod " +
               std::to_string(chunk) + " is 0 or at least 6";
  }
  if (std::string e = fit::validate_alpha_grid(spec.alphas); !e.empty()) return e;
  bool any = false;
  for (bool b : spec.methods.on) any = any || b;
  if (!any) return "no methods selected";
  return {};
}

}  // namespace igbench::experiment
