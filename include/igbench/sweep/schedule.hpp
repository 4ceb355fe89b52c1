#pragma once
// Ordering and partitioning of a sweep's tasks by estimated cost.
//
// Dynamic self-scheduling hands tasks out most expensive first (longest-processing-time first),
// so the largest runs start early and the small ones fill the gaps at the end. A job array
// shard is a static, deterministic LPT partition: tasks in that order go one by one to the shard
// with the least cost so far (ties to the lowest index), which every shard computes identically.
#include <string>
#include <vector>

#include "igbench/sweep/sweep_spec.hpp"

namespace igbench::sweep {

struct Shard {
  int index = 0;  // 0 .. count - 1 (SLURM_ARRAY_TASK_ID of an array 0..n-1)
  int count = 1;
};

// "i/n" -> Shard; throws std::invalid_argument with a one-line reason.
Shard parse_shard(const std::string& text);

struct CostedTask {
  Task task;
  double cost = 0.0;
};

// Every task of the sweep with its estimated cost, most expensive first (ties by point, run).
std::vector<CostedTask> costed_tasks(const SweepSpec& spec, const std::vector<SweepPoint>& points);

// The tasks of one shard (a subsequence of `ordered`, which must be most-expensive-first).
std::vector<CostedTask> shard_tasks(const std::vector<CostedTask>& ordered, Shard shard);

// ----- feasibility: peak memory of a run, before any work starts ----------------------------
// Estimated peak resident bytes of one rank running runs of `spec` with `threads` OpenMP threads:
// the larger of one run split across the threads and `threads` whole runs side by side, each from
// experiment::estimated_peak_bytes (the run's own memory model, checked against measured peaks).
// Computed in double: K = 1000 gives ~1e18, no overflow.
double rank_peak_bytes(const experiment::RunSpec& spec, int threads);

struct MemoryEstimate {
  double bytes = 0.0;      // the largest run's estimate
  std::size_t point = 0;   // the point of that run (index into expand_points)
};
// The most memory-hungry point of a sweep (runs of one point need the same memory).
MemoryEstimate sweep_peak_bytes(const SweepSpec& spec, const std::vector<SweepPoint>& points, int threads);

// "4.3 GB" / "512 MB" / "1.2e+09 GB": bytes in decimal units for messages.
std::string format_bytes(double bytes);

}  // namespace igbench::sweep
