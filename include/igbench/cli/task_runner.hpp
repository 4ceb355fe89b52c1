#pragma once
// Running the tasks of a sweep on one rank: a task's run with its phases timed by the driver (the
// numerical core reads no clock), and the choice between whole runs per thread and runs split
// across the threads.
//
//
// A rank takes a batch of tasks from the shared counter: `threads` tasks, or up to
// `max_runs_per_thread` x threads when they are small (see batch_size). A batch of two or more
// small tasks runs as whole runs, one thread each, the threads taking the next run of the batch
// as they finish (dynamic schedule: the only wait is at the batch's end, where the threads wait
// for the slowest; a longer batch averages the run-to-run differences in cost so that this wait
// is a small part of it); a batch with a large task, or a single task, runs its tasks one after
// another, each split across the threads (chunks of generation and accumulation, the independent
// fits). A task is large when it alone exceeds one thread's fair share of the work left after it
// (remaining / (ranks x threads)): running it on one thread would leave the others idle at the
// end. Either way a run is a pure function of its spec, so results do not depend on the mode,
// the batch sizes, ranks or threads.
#include <chrono>
#include <cstdint>
#include <vector>

#include "igbench/experiment/run_spec.hpp"
#include "igbench/io/result_row.hpp"
#include "igbench/sweep/schedule.hpp"
#include "igbench/sweep/sweep_spec.hpp"

namespace igbench::cli {

// The sweep's tasks for this job (a shard, if asked), and which of them are still to run. Every
// rank computes the same plan: the same spec, and the same files read before any rank writes.
struct TaskPlan {
  std::vector<sweep::SweepPoint> points;
  std::vector<sweep::CostedTask> pending;  // most expensive first
  std::int64_t total_tasks = 0, already_done = 0;
  double total_cost = 0.0, done_cost = 0.0;
};

// The row of task t, its result not yet computed.
io::ResultRow make_row(const sweep::SweepSpec& spec, const std::vector<sweep::SweepPoint>& points,
                       const sweep::Task& t);

// The wall time of a run's phases, from the run's phase announcements (the run reads no clock).
class PhaseTimer {
 public:
  void enter(experiment::RunPhase next);
  void store_into(experiment::RunResult& r) const;

 private:
  experiment::RunPhase current_ = experiment::RunPhase::done;
  std::chrono::steady_clock::time_point mark_ = std::chrono::steady_clock::now();
  double generate_ = 0.0, solve_ = 0.0;
};

// One task: its row, with the result, the failure status or `cancelled` set.
struct TaskOutcome {
  io::ResultRow row;
  bool cancelled = false;
};

// Runs one task with `base`'s cancel flag and heartbeat, its phases timed.
TaskOutcome run_task(const sweep::SweepSpec& spec, const TaskPlan& plan, const sweep::CostedTask& t,
                     const experiment::RunControl& base);

// remaining[i] = the cost of pending tasks i, i + 1, ... (suffix sums).
std::vector<double> remaining_costs(const TaskPlan& plan);

// Runs per thread a batch of whole runs may hold at most.
inline constexpr int max_runs_per_thread = 4;

// How many tasks to take from `begin` on: `threads`, grown towards max_runs_per_thread x threads
// while the batch's tasks are small (each within its fair share, as whole_runs) and the batch's
// total cost stays within what is left after it per rank (remaining[end] / ranks), so that a
// long batch never leaves the other ranks idle at the end of the sweep. Cost O(batch).
std::size_t batch_size(const TaskPlan& plan, const std::vector<double>& remaining, std::size_t begin,
                       int ranks, int threads);

// Whether tasks [begin, end) run as whole runs, one thread each (see above).
bool whole_runs(const TaskPlan& plan, const std::vector<double>& remaining, std::size_t begin, std::size_t end,
                int ranks, int threads);

// Runs tasks [begin, end) of the plan concurrently, one thread per run; outcomes in task order.
// `control` must be thread-safe (here: the cancel flag alone).
std::vector<TaskOutcome> run_whole(const sweep::SweepSpec& spec, const TaskPlan& plan, std::size_t begin,
                                   std::size_t end, const experiment::RunControl& control);

}  // namespace igbench::cli
