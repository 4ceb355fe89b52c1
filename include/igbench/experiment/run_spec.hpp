#pragma once
// A run: RunSpec in, RunResult out. A run is a pure function of its specification.
#include <array>
#include <atomic>
#include <functional>
#include <stdexcept>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "igbench/fit/cross_validation.hpp"
#include "igbench/scm/scm.hpp"

namespace igbench::experiment {

// The estimators (METHOD.md section 7); pooled_ref is the reference's averaged-chunk baseline
// (METHOD.md section 9), available in the reference-exact mode only.
enum class Method { obs = 0, method = 1, pooled = 2, jint = 3, pooled_ref = 4 };
inline constexpr int n_methods = 5;
inline constexpr std::array<Method, n_methods> all_methods = {
    Method::obs, Method::method, Method::pooled, Method::jint, Method::pooled_ref};
std::string_view method_name(Method m);
Method parse_method(std::string_view name);  // throws std::invalid_argument

struct MethodSet {
  std::array<bool, n_methods> on{};
  bool has(Method m) const { return on[static_cast<std::size_t>(m)]; }
  MethodSet& add(Method m) {
    on[static_cast<std::size_t>(m)] = true;
    return *this;
  }
  bool operator==(const MethodSet&) const = default;
};

// The three experiments of METHOD.md section 8 (they differ in sample sizes, methods and, in the
// reference-exact mode, in the reference's call sequence).
enum class ExperimentKind { main = 0, ratio = 1, convergence = 2 };
std::string_view experiment_name(ExperimentKind e);
ExperimentKind parse_experiment(std::string_view name);

// Where samples come from: igbench's counter-based streams, or a replay of the reference's
// numpy RandomState draws (reference-exact mode).
enum class RngMode { fast = 0, reference = 1 };
std::string_view rng_name(RngMode r);
RngMode parse_rng(std::string_view name);

struct RunSpec {
  ExperimentKind experiment = ExperimentKind::main;
  scm::ScmType scm_type = scm::ScmType::polynomial;
  int K = 5;
  std::int64_t N_obs = 10000;
  std::int64_t N_sint = 10000;
  std::int64_t N_jint = 10000;
  int n_order_fit = 3;
  fit::Regularization regularization = fit::Regularization::ridge;
  std::uint32_t seed = 0;  // the SCM and every data set derive from (seed, run)
  std::uint32_t run = 0;
  MethodSet methods;
  RngMode rng = RngMode::fast;
  // The ridge / lasso alphas cross-validation chooses from (ascending); default the reference's.
  std::vector<double> alphas{fit::alpha_grid.begin(), fit::alpha_grid.end()};
};

// The methods each experiment reports.
MethodSet default_methods(ExperimentKind e, RngMode rng);

// Empty when the spec can be run; otherwise one line saying what is wrong and how to fix it.
std::string validate(const RunSpec& spec);

struct MethodResult {
  double rmse = std::numeric_limits<double>::quiet_NaN();
  double truth_rmse = std::numeric_limits<double>::quiet_NaN();
};

struct RunResult {
  std::array<MethodResult, n_methods> methods;
  // The alpha chosen by cross-validation for every fitted model (NaN where not fitted).
  double alpha_obs = std::numeric_limits<double>::quiet_NaN();
  double alpha_pooled = std::numeric_limits<double>::quiet_NaN();
  double alpha_jint = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> alpha_sint;  // K entries when fitted
  // The 2-norm condition number of the matrix each model's refit solved at its chosen alpha
  // (fit::FittedModel::condition; NaN where not fitted).
  double cond_obs = std::numeric_limits<double>::quiet_NaN();
  double cond_pooled = std::numeric_limits<double>::quiet_NaN();
  double cond_jint = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> cond_sint;  // K entries when fitted
  // Filled by the driver from RunControl::phase (run() leaves them 0): wall seconds spent
  // generating data and accumulating moments, and in cross-validated fits and scoring.
  double seconds_generate = 0.0;
  double seconds_solve = 0.0;
  std::int64_t samples_generated = 0;

  MethodResult& operator[](Method m) { return methods[static_cast<std::size_t>(m)]; }
  const MethodResult& operator[](Method m) const { return methods[static_cast<std::size_t>(m)]; }
};

// The phases of a run, announced through RunControl::phase so that the driver can time them
// (the numerical code reads no clock). A run alternates: generate (data generation and moment
// accumulation), solve (cross-validated fits and scoring), ... and ends with done.
enum class RunPhase { generate = 0, solve = 1, done = 2 };

// Control of a running run from its driver, without the numerical code knowing about signals,
// clocks or MPI: `cancel` is polled between chunk waves (a set flag makes run() throw Cancelled),
// `heartbeat` is called there too (from the calling thread, outside parallel regions) so a driver
// can report progress during long runs, and `phase` is called at every phase change (from the
// calling thread). None of them affects the results.
struct RunControl {
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(std::int64_t samples_done)> heartbeat;
  std::function<void(RunPhase)> phase;
  bool cancelled() const { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }
  void enter(RunPhase p) const {
    if (phase) phase(p);
  }
};

struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("run cancelled") {}
};

}  // namespace igbench::experiment
