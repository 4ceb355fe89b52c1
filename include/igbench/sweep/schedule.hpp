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

}  // namespace igbench::sweep
