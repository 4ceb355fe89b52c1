#pragma once
// One row of a results file: a run of a sweep point, its parameters and its result.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
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

// The identity of a row, for de-duplication and resume: the values of the key columns of the
// schema (io/schema.hpp: the point's science options and sizes, rng, run and seed), not its
// index in a grid. Two rows with equal keys must have equal results (runs are pure functions of
// their specification). Names are held as their index in the column's choices, so keys order
// like the enums; NaN doubles compare equal and before every number.
struct RowKey {
  std::vector<std::variant<std::int64_t, double>> values;  // one per key column, in table order
};

RowKey row_key(const ResultRow& row);
// The key the row of task (point, run) of `spec` has.
RowKey task_key(const sweep::SweepSpec& spec, const sweep::SweepPoint& point, int run);
// The key without its run columns (run, seed): the identity of the row's point.
RowKey point_key(const ResultRow& row);
bool operator==(const RowKey& a, const RowKey& b);
bool operator<(const RowKey& a, const RowKey& b);  // a strict weak order (NaN first)
// One line, e.g. "main polynomial K=5 d=3 ridge rng=fast N=10000 (N_obs/N_sint/N_jint
// 10000/10000/10000) run 3 seed 3" (a point key ends before " run").
std::string describe(const RowKey& key);

// True when two rows carry the same result: every column the schema marks `compared` (status
// and every result but the seconds_* timings); doubles compare bit for bit after mapping every
// NaN to one NaN (so NaN == NaN), per-action columns element by element.
bool same_result(const ResultRow& a, const ResultRow& b);

// Rows sorted by (point, run), then key (merged files of several sweeps reuse point indices).
void sort_rows(std::vector<ResultRow>& rows);

}  // namespace igbench::io
