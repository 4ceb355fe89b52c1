#pragma once
// A sweep: the grid over scm_type x K x n_order_fit x regularization x sample sizes, times runs
// 0..N_runs-1. The three experiments of METHOD.md section 8 are presets of it; the sample-size
// axis decides which: N (main), N_avg x ratios (data ratio) or N_total (convergence).
#include <cstdint>
#include <string>
#include <vector>

#include "igbench/experiment/run_spec.hpp"

namespace igbench::sweep {

// Version of the fast mode's stream layout: 2 since a sample reads 2K + 1 uniforms (issue 14).
inline constexpr int fast_streams_version = 2;

struct SweepSpec {
  experiment::ExperimentKind experiment = experiment::ExperimentKind::main;
  std::vector<scm::ScmType> scm_types{scm::ScmType::polynomial};
  std::vector<int> K{5};
  std::vector<int> n_order_fit{3};
  std::vector<fit::Regularization> regularizations{fit::Regularization::ridge};
  std::vector<std::int64_t> N{10000};        // main
  std::vector<std::int64_t> N_avg{10000};    // ratio
  std::vector<double> ratios{0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 2.0, 5.0, 10.0};
  std::vector<std::int64_t> N_total{1000, 10000, 100000, 1000000, 10000000};  // convergence
  int N_runs = 100;
  std::uint32_t seed = 42;  // the seed of a main experiment's single run when N_runs == 1
  experiment::RngMode rng = experiment::RngMode::fast;
  experiment::MethodSet methods;  // empty: the experiment's default methods
  // The alphas cross-validation chooses from, ascending (--alphas); default the reference's 8.
  std::vector<double> alphas{fit::alpha_grid.begin(), fit::alpha_grid.end()};
  // The layout of the fast mode's random streams the rows were computed with (fast_streams_version
  // for new sweeps; 1 for files written before the line existed). Part of the canonical text, so a
  // file of other streams is another sweep: --resume refuses it instead of mixing rows.
  int streams = fast_streams_version;
};

// One point of the grid with its sample sizes (METHOD.md section 8).
struct SweepPoint {
  experiment::ExperimentKind experiment = experiment::ExperimentKind::main;
  scm::ScmType scm_type = scm::ScmType::polynomial;
  int K = 5;
  int n_order_fit = 3;
  fit::Regularization regularization = fit::Regularization::ridge;
  std::int64_t N = -1;       // main only (else -1)
  std::int64_t N_avg = -1;   // ratio only
  double ratio = 0.0;        // ratio only (else NaN)
  std::int64_t N_total = -1; // convergence only
  std::int64_t N_obs = 0, N_sint = 0, N_jint = 0;
  bool operator==(const SweepPoint&) const;
};

// Sample sizes of the presets, in double precision and truncated as the reference computes them.
SweepPoint main_point(int K, std::int64_t N);
SweepPoint ratio_point(int K, std::int64_t N_avg, double ratio);
SweepPoint convergence_point(int K, std::int64_t N_total);

// The grid in a fixed order: scm_type, K, n_order_fit, regularization, then sizes (outermost
// first); the sizes in the order given.
std::vector<SweepPoint> expand_points(const SweepSpec& spec);

// The methods the sweep runs (spec.methods, or the experiment's default).
experiment::MethodSet sweep_methods(const SweepSpec& spec);

// The seed of run r: r, except a main experiment with N_runs == 1 uses spec.seed (as the
// reference does).
std::uint32_t run_seed(const SweepSpec& spec, int run);

experiment::RunSpec make_run_spec(const SweepSpec& spec, const SweepPoint& point, int run);

// One unit of work: run `run` of point `point` (an index into expand_points).
struct Task {
  std::size_t point = 0;
  int run = 0;
};
std::vector<Task> all_tasks(const SweepSpec& spec, std::size_t n_points);

// Estimated cost of a run, in arbitrary units proportional to CPU time: the streaming pass
// (samples x dim^2 / 2) plus the solves (models x 25 p^3 / 3: about what the tridiagonal ridge of
// fit/ costs, 4 reductions of about 2 p^3 each).
double estimated_cost(const experiment::RunSpec& spec);

// A canonical, human-readable text of everything that determines results (science options,
// grid, N_runs, seed, methods, rng, alphas): two sweeps with equal texts compute the same rows.
// The line alphas=... appears only for a grid other than the reference's default, so texts of
// default sweeps are unchanged from files written before --alphas existed.
std::string canonical_text(const SweepSpec& spec);
// Parses canonical_text back into a SweepSpec; throws std::invalid_argument on a line it does not
// know. canonical_text(parse_canonical_text(t)) == t for every text canonical_text wrote.
SweepSpec parse_canonical_text(const std::string& text);
// Empty when the spec is valid; otherwise one line (what is wrong, how to fix).
std::string validate(const SweepSpec& spec);

}  // namespace igbench::sweep
