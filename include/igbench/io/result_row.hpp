#pragma once
// One row of a results file: a run of a sweep point, its parameters and its result.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "igbench/experiment/run_spec.hpp"
#include "igbench/sweep/sweep_spec.hpp"

namespace igbench::io {

// The status of a run that produced its result; anything else starts with "failed: ".
inline constexpr const char* status_ok = "ok";
// Files store the status in 64 bytes (docs/results-format.md); longer ones are cut (journal and
// results file alike, so a row reads back the same from both).
inline constexpr std::size_t status_max_bytes = 64;
std::string truncated_status(const std::string& status);

struct ResultRow {
  std::int64_t point = 0;  // index of the point in its sweep's grid order (expand_points)
  sweep::SweepPoint params;
  experiment::RngMode rng = experiment::RngMode::fast;
  std::int32_t run = 0;
  std::uint32_t seed = 0;
  experiment::RunResult result;
  std::string status = status_ok;

  bool ok() const { return status == status_ok; }
};

// The identity of a row, for de-duplication and resume: everything that determines its result
// (the point's science options and sizes, rng, run and seed), not its index in a grid. Two rows
// with equal keys must have equal results (runs are pure functions of their specification).
struct RowKey {
  experiment::ExperimentKind experiment = experiment::ExperimentKind::main;
  scm::ScmType scm_type = scm::ScmType::polynomial;
  int K = 0;
  int n_order_fit = 0;
  fit::Regularization regularization = fit::Regularization::ridge;
  experiment::RngMode rng = experiment::RngMode::fast;
  std::int64_t N = -1, N_avg = -1;
  double ratio = 0.0;  // NaN outside the ratio experiment; NaN keys compare equal
  std::int64_t N_total = -1, N_obs = 0, N_sint = 0, N_jint = 0;
  std::int32_t run = 0;
  std::uint32_t seed = 0;
};

RowKey row_key(const ResultRow& row);
bool operator==(const RowKey& a, const RowKey& b);
bool operator<(const RowKey& a, const RowKey& b);  // a strict weak order (NaN ratios first)
// One line, e.g. "main polynomial K=5 d=3 ridge rng=fast N=10000 (10000/10000/10000) run 3 seed 3".
std::string describe(const RowKey& key);

// True when two rows carry the same result: status and every RunResult field except the
// seconds_* timings; doubles compare bit for bit after mapping every NaN to one NaN (so NaN ==
// NaN), alpha_sint element by element.
bool same_result(const ResultRow& a, const ResultRow& b);

// Rows sorted by (point, run), then key (merged files of several sweeps reuse point indices).
void sort_rows(std::vector<ResultRow>& rows);

}  // namespace igbench::io
