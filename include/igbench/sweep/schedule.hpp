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
// The streaming pass keeps, per data set, one PairwiseMerger per part (test part and 3 folds)
// whose stack holds popcount(chunks of the part) accumulators of (n, mean, dim x dim co-moment),
// dim = P + 1 with P = C(K + d, d) monomials; at the end of the pass every merger's result is
// copied out (4 accumulators per data set) while the stacks still exist. Stage 1 streams the
// observational set, stage 2 the K single-intervention sets and the joint one together; the fits
// then hold the 4 accumulators of every set plus a few temporaries (fold complements, Grams).
// So a run needs O((K + 2) x 8 x dim^2) bytes, independent of N except for the log2(chunks)
// stack depth. Calibrated against /usr/bin/time -v (see tests/sweep and README "Guarantees").
// Bytes of one accumulator of dimension dim.
double moments_bytes(double dim);
// Estimated peak resident bytes of one run computed with `threads` OpenMP threads (including
// the program's own baseline). Computed in double: K = 1000 gives ~1e18, no overflow.
double estimated_peak_bytes(const experiment::RunSpec& spec, int threads);

struct MemoryEstimate {
  double bytes = 0.0;      // the largest run's estimate
  std::size_t point = 0;   // the point of that run (index into expand_points)
};
// The most memory-hungry point of a sweep (runs of one point need the same memory).
MemoryEstimate sweep_peak_bytes(const SweepSpec& spec, const std::vector<SweepPoint>& points, int threads);

// "4.3 GB" / "512 MB" / "1.2e+09 GB": bytes in decimal units for messages.
std::string format_bytes(double bytes);

}  // namespace igbench::sweep
