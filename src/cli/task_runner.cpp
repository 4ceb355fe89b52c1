#include "igbench/cli/task_runner.hpp"

#include <omp.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "igbench/experiment/run.hpp"

namespace igbench::cli {

io::ResultRow make_row(const sweep::SweepSpec& spec, const std::vector<sweep::SweepPoint>& points,
                       const sweep::Task& t) {
  io::ResultRow row;
  row.point = static_cast<std::int64_t>(t.point);
  row.params = points[t.point];
  row.rng = spec.rng;
  row.run = t.run;
  row.seed = sweep::run_seed(spec, t.run);
  return row;
}

void PhaseTimer::enter(experiment::RunPhase next) {
  const auto now = std::chrono::steady_clock::now();
  const double dt = std::chrono::duration<double>(now - mark_).count();
  if (current_ == experiment::RunPhase::generate) generate_ += dt;
  if (current_ == experiment::RunPhase::solve) solve_ += dt;
  current_ = next;
  mark_ = now;
}

void PhaseTimer::store_into(experiment::RunResult& r) const {
  r.seconds_generate = generate_;
  r.seconds_solve = solve_;
}

TaskOutcome run_task(const sweep::SweepSpec& spec, const TaskPlan& plan, const sweep::CostedTask& t,
                     const experiment::RunControl& base) {
  TaskOutcome out{make_row(spec, plan.points, t.task), false};
  PhaseTimer timer;
  experiment::RunControl control = base;
  control.phase = [&timer](experiment::RunPhase p) { timer.enter(p); };
  try {
    out.row.result = experiment::run(sweep::make_run_spec(spec, plan.points[t.task.point], t.task.run), control);
    timer.store_into(out.row.result);
  } catch (const experiment::Cancelled&) {
    out.cancelled = true;
  } catch (const std::exception& e) {
    out.row.status = io::truncated_status(std::string("failed: ") + e.what());
  }
  return out;
}

std::vector<double> remaining_costs(const TaskPlan& plan) {
  std::vector<double> remaining(plan.pending.size() + 1, 0.0);
  for (std::size_t i = plan.pending.size(); i-- > 0;) remaining[i] = remaining[i + 1] + plan.pending[i].cost;
  return remaining;
}

bool whole_runs(const TaskPlan& plan, const std::vector<double>& remaining, std::size_t begin, std::size_t end,
                int ranks, int threads) {
  if (threads < 2 || end - begin < 2) return false;
  const double workers = static_cast<double>(ranks) * static_cast<double>(threads);
  for (std::size_t i = begin; i < end; ++i)
    if (plan.pending[i].cost > remaining[i + 1] / workers) return false;
  return true;
}

std::size_t batch_size(const TaskPlan& plan, const std::vector<double>& remaining, std::size_t begin,
                       int ranks, int threads) {
  const std::size_t n = plan.pending.size();
  const auto base = static_cast<std::size_t>(std::max(1, threads));
  if (threads < 2 || begin >= n) return base;
  const double workers = static_cast<double>(ranks) * static_cast<double>(threads);
  std::size_t end = std::min(n, begin + base);
  double cost = remaining[begin] - remaining[end];
  const std::size_t most = base * static_cast<std::size_t>(max_runs_per_thread);
  while (end < n && end - begin < most) {
    const double next = plan.pending[end].cost;
    if (next > remaining[end + 1] / workers || cost + next > remaining[end + 1] / static_cast<double>(ranks)) break;
    cost += next;
    ++end;
  }
  return std::max(end - begin, base);  // past the last task the counter's claim is clamped
}

namespace {
// The state the threads of a pool share, under `mutex`.
class PoolState {
 public:
  explicit PoolState(const std::vector<std::size_t>& first) : queue_(first.begin(), first.end()) {}

  // A worker's next task, waiting while the queue is empty and still open; none: leave.
  std::optional<std::size_t> next_for_worker() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [this] { return !queue_.empty() || closed_; });
    return pop(lock);
  }
  // Thread 0's next task without waiting.
  std::optional<std::size_t> next_for_caller() {
    std::unique_lock<std::mutex> lock(mutex_);
    return pop(lock);
  }
  // Counts the task out even when keeping its outcome fails (then rethrows), so that no thread
  // waits for it for ever.
  void done(std::size_t task, TaskOutcome&& outcome) {
    std::exception_ptr error;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      --running_;
      try {
        finished_.emplace_back(task, std::move(outcome));
      } catch (...) {
        error = std::current_exception();
      }
    }
    ready_.notify_all();
    if (error) std::rethrow_exception(error);
  }
  std::vector<std::pair<std::size_t, TaskOutcome>> take_finished() {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::pair<std::size_t, TaskOutcome>> out;
    out.swap(finished_);
    return out;
  }
  bool wants_more(std::size_t threads) {
    const std::lock_guard<std::mutex> lock(mutex_);
    return !closed_ && queue_.size() < threads;
  }
  void add(const std::vector<std::size_t>& tasks) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (tasks.empty()) closed_ = true;
      if (!closed_) queue_.insert(queue_.end(), tasks.begin(), tasks.end());
    }
    ready_.notify_all();
  }
  // No more tasks start: the queue is dropped and idle workers leave.
  void close() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
      queue_.clear();
    }
    ready_.notify_all();
  }
  // Thread 0 with nothing to run: true when the pool is over (closed, nothing running, nothing
  // finished unseen); else waits until something changes or `tick` passes.
  bool over_or_wait(std::chrono::milliseconds tick) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (closed_ && queue_.empty() && running_ == 0 && finished_.empty()) return true;
    ready_.wait_for(lock, tick, [this] { return !finished_.empty() || !queue_.empty() || (closed_ && running_ == 0); });
    return false;
  }
  void wait_until_idle() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [this] { return running_ == 0; });
  }

 private:
  std::optional<std::size_t> pop(std::unique_lock<std::mutex>&) {
    if (queue_.empty()) return std::nullopt;
    const std::size_t t = queue_.front();
    queue_.pop_front();
    ++running_;
    return t;
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::size_t> queue_;
  std::vector<std::pair<std::size_t, TaskOutcome>> finished_;
  int running_ = 0;
  bool closed_ = false;
};

// The first exception of any thread, kept for the calling thread.
class FirstError {
 public:
  void keep(std::exception_ptr e) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = std::move(e);
  }
  void rethrow() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
};

using GuardedRun = std::function<TaskOutcome(std::size_t)>;

// Thread 0: deliver, poll, claim, run; true when the pool was stopped.
bool caller_loop(PoolState& pool, std::size_t threads, const PoolHooks& hooks, const GuardedRun& run,
                 std::chrono::milliseconds tick) {
  bool stopped = false;
  auto stop = [&] {
    stopped = true;
    pool.close();
  };
  for (;;) {
    for (auto& [task, outcome] : pool.take_finished()) {
      if (outcome.cancelled) stop();
      else hooks.finish(task, std::move(outcome));
    }
    if (!stopped && hooks.poll()) stop();
    if (pool.wants_more(threads)) pool.add(hooks.claim());
    if (const std::optional<std::size_t> task = pool.next_for_caller()) {
      pool.done(*task, run(*task));
      continue;
    }
    if (pool.over_or_wait(tick)) return stopped;
  }
}

void worker_loop(PoolState& pool, const GuardedRun& run) {
  while (const std::optional<std::size_t> task = pool.next_for_worker()) pool.done(*task, run(*task));
}
}  // namespace

bool run_pool(const std::vector<std::size_t>& first, int threads, std::atomic<bool>& cancel,
              const PoolHooks& hooks, std::chrono::milliseconds tick) {
  PoolState pool(first);
  FirstError error;
  bool stopped = false;
  const int n = std::max(1, threads);
  // Any exception stops the pool: no new task starts, the running ones are cancelled, and the
  // threads leave the region normally (an exception must not cross it).
  auto fail = [&](std::exception_ptr e) {
    error.keep(std::move(e));
    cancel = true;
    pool.close();
  };
  // A task whose run throws comes back cancelled, so that it is counted out like any other.
  const GuardedRun run = [&](std::size_t task) {
    try {
      return hooks.run(task);
    } catch (...) {
      fail(std::current_exception());
      TaskOutcome out;
      out.cancelled = true;
      return out;
    }
  };
#pragma omp parallel num_threads(n)
  {
    if (omp_get_thread_num() == 0) {
      try {
        stopped = caller_loop(pool, static_cast<std::size_t>(n), hooks, run, tick);
      } catch (...) {  // from claim, finish or poll
        fail(std::current_exception());
        pool.wait_until_idle();
      }
    } else {
      try {
        worker_loop(pool, run);
      } catch (...) {  // keeping an outcome failed
        fail(std::current_exception());
      }
    }
  }
  error.rethrow();
  return stopped;
}

}  // namespace igbench::cli
