#pragma once
// Running the tasks of a sweep on one rank: a task's run with its phases timed by the driver (the
// numerical core reads no clock), and the choice between whole runs per thread and runs split
// across the threads.
//
//
// A rank takes a batch of tasks from the shared counter: `threads` tasks, or up to
// `max_runs_per_thread` x threads when they are small (see batch_size). Batches of two or more
// small tasks run as whole runs, one thread each, in a pool (run_pool): the threads take the next
// queued run as they finish, and the calling thread tops the queue up with the next batch while
// the others work, so no thread waits for another between batches; a batch with a large task, or
// a single task, runs its tasks one after another, each split across the threads (chunks of
// generation and accumulation, the independent fits). A task is large when it alone exceeds one thread's fair share of the work left after it
// (remaining / (ranks x threads)): running it on one thread would leave the others idle at the
// end. Either way a run is a pure function of its spec, so results do not depend on the mode,
// the batch sizes, ranks or threads.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
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

// What a pool does with tasks; `claim`, `finish` and `poll` run on the calling thread only (MPI
// and the results store stay there: MPI_THREAD_FUNNELED), `run` on any thread.
struct PoolHooks {
  std::function<std::vector<std::size_t>()> claim;  // the next tasks; empty: no more for the pool
  std::function<TaskOutcome(std::size_t)> run;      // one whole task, on the thread that calls it
  std::function<void(std::size_t, TaskOutcome&&)> finish;  // a finished (not cancelled) task
  std::function<bool()> poll;  // true: stop (the hook also sets the runs' cancel flag)
};

// Whole runs on `threads` threads of one OpenMP parallel region, with no barrier between batches.
// Tasks `first` start the queue; thread 0 (the caller) tops it up with `claim` whenever it holds
// fewer than `threads` tasks, runs tasks itself, hands each finished outcome to `finish` as soon
// as it sees it and calls `poll` at least every `tick`; the other threads take the next queued
// task as they finish one. The pool ends when `claim` gives nothing and every queued task ran, or
// when `poll` asks to stop or a run comes back cancelled: then the queued tasks are dropped, the
// running ones finish (or cancel) and the finished ones still reach `finish`. Waits are
// condition-variable waits (no thread spins). An exception from a hook or a run stops the pool
// the same way, sets `cancel`, and is rethrown on the calling thread once every thread is out.
// Returns whether the pool was stopped (by poll or a cancelled run).
bool run_pool(const std::vector<std::size_t>& first, int threads, std::atomic<bool>& cancel,
              const PoolHooks& hooks, std::chrono::milliseconds tick = std::chrono::milliseconds(50));

}  // namespace igbench::cli
