// The sweep driver's thread scheduling and timing: idle threads sleep by default (passive
// waits), the driver times the phases the run announces (experiment/ reads no clock), and
// batches of whole runs (one per thread) give the same rows as one thread.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "igbench/cli/task_runner.hpp"
#include "igbench/io/results_file.hpp"
#include "support/process.hpp"

namespace igbench::cli {
namespace {

const std::string small_main = " main --quiet --K 3 --N 2000 --N_runs 10";

TEST(ThreadScheduling, IdleThreadsSleepUnlessTheUserChoseAWaitPolicy) {
  test::TempDir dir;
  const std::string run = std::string(IGBENCH_BINARY) + small_main + " --out ";
  const test::ProcessResult passive =
      test::run_process("env -u OMP_WAIT_POLICY OMP_DISPLAY_ENV=true " + run + (dir.path / "a.h5").string());
  EXPECT_EQ(passive.exit_code, 0) << passive.err;
  EXPECT_NE(passive.err.find("OMP_WAIT_POLICY = 'PASSIVE'"), std::string::npos) << passive.err;
  const test::ProcessResult active =
      test::run_process("OMP_WAIT_POLICY=active OMP_DISPLAY_ENV=true " + run + (dir.path / "b.h5").string());
  EXPECT_EQ(active.exit_code, 0) << active.err;
  EXPECT_NE(active.err.find("OMP_WAIT_POLICY = 'ACTIVE'"), std::string::npos) << active.err;
}

TEST(ThreadScheduling, WholeRunsPerThreadGiveTheSameRowsAndTheDriverTimesThePhases) {
  test::TempDir dir;
  const auto one = dir.path / "one.h5", four = dir.path / "four.h5";
  ASSERT_EQ(test::run_process("OMP_NUM_THREADS=1 " + std::string(IGBENCH_BINARY) + small_main + " --out " + one.string()).exit_code, 0);
  // 4 threads, 10 runs of equal cost: runs 0-4 are a batch of whole runs (each is at most a
  // quarter of the work left after it), the later batches hold a run that is not, so they split
  // each run across the threads: both modes against one thread.
  ASSERT_EQ(test::run_process("OMP_NUM_THREADS=4 " + std::string(IGBENCH_BINARY) + small_main + " --out " + four.string()).exit_code, 0);
  const io::ResultsFile a = io::read_results_file(one), b = io::read_results_file(four);
  ASSERT_EQ(a.rows.size(), 10u);
  ASSERT_EQ(b.rows.size(), 10u);
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    EXPECT_TRUE(io::same_result(a.rows[i], b.rows[i])) << "row " << i;
    // every run generates data and fits models: both phases take measurable time
    EXPECT_GT(a.rows[i].result.seconds_generate, 0.0) << "row " << i;
    EXPECT_GT(a.rows[i].result.seconds_solve, 0.0) << "row " << i;
    EXPECT_GT(b.rows[i].result.seconds_generate, 0.0) << "row " << i;
  }
}

// A plan of `n` pending tasks of the given costs (most expensive first, as the driver has them).
TaskPlan plan_of(const std::vector<double>& costs) {
  TaskPlan plan;
  for (double c : costs) plan.pending.push_back({sweep::Task{}, c});
  return plan;
}

double cost_of(const TaskPlan& plan, std::size_t begin, std::size_t end) {
  double c = 0.0;
  for (std::size_t i = begin; i < end; ++i) c += plan.pending[i].cost;
  return c;
}

TEST(BatchSize, GrowsToFourRunsPerThreadWhileTheWorkLeftAfterItCoversEveryRank) {
  for (int ranks : {1, 2, 8}) {
    for (int threads : {2, 3, 8}) {
      const TaskPlan plan = plan_of(std::vector<double>(200, 1.0));
      const std::vector<double> remaining = remaining_costs(plan);
      std::size_t begin = 0, batches = 0;
      while (begin < plan.pending.size()) {
        const std::size_t b = batch_size(plan, remaining, begin, ranks, threads);
        const std::size_t end = std::min(plan.pending.size(), begin + b);
        ASSERT_GE(b, static_cast<std::size_t>(threads));
        ASSERT_LE(b, static_cast<std::size_t>(max_runs_per_thread * threads));
        // beyond the first `threads` tasks, a batch never holds more than a rank's share of
        // what is left after it
        if (b > static_cast<std::size_t>(threads)) {
          EXPECT_LE(cost_of(plan, begin, end), remaining[end] / ranks + 1e-12) << begin;
        }
        begin = end;
        ++batches;
      }
      // at the start of a sweep of equal runs long enough that every other rank has a batch as
      // large after it, a batch holds four runs per thread
      const int full = max_runs_per_thread * threads;
      if (full * (ranks + 1) <= 200) {
        EXPECT_EQ(batch_size(plan, remaining, 0, ranks, threads), static_cast<std::size_t>(full)) << ranks << " x " << threads;
      } else {
        EXPECT_LT(batch_size(plan, remaining, 0, ranks, threads), static_cast<std::size_t>(full)) << ranks << " x " << threads;
      }
      EXPECT_LT(batches, plan.pending.size() / static_cast<std::size_t>(threads)) << ranks << " x " << threads;
    }
  }
}

TEST(BatchSize, OneThreadOrALargeTaskKeepsTheSmallBatch) {
  const TaskPlan equal = plan_of(std::vector<double>(50, 1.0));
  EXPECT_EQ(batch_size(equal, remaining_costs(equal), 0, 1, 1), 1u);
  // a task that exceeds its fair share of the work after it is never pulled into a batch
  TaskPlan large = plan_of({1.0, 1.0, 100.0, 1.0, 1.0, 1.0, 1.0, 1.0});
  EXPECT_EQ(batch_size(large, remaining_costs(large), 0, 1, 2), 2u);
  // near the end of the sweep the batch shrinks back to one run per thread
  const TaskPlan tail = plan_of(std::vector<double>(6, 1.0));
  EXPECT_EQ(batch_size(tail, remaining_costs(tail), 2, 1, 2), 2u);
}

// A pool over tasks 0 .. n-1 claimed `per_claim` at a time; `run` sets row.run = the task.
struct PoolFixture {
  std::size_t n = 40, per_claim = 4, next = 0;
  std::mutex mutex;  // guards `ran_on` (run is called on any thread)
  std::vector<std::thread::id> ran_on;
  std::vector<std::size_t> finished;
  std::vector<std::thread::id> finished_on;
  std::atomic<bool> cancel{false};
  PoolHooks hooks;

  PoolFixture() {
    hooks.claim = [this] {
      std::vector<std::size_t> v;
      for (; next < n && v.size() < per_claim; ++next) v.push_back(next);
      return v;
    };
    hooks.run = [this](std::size_t k) {
      {
        const std::lock_guard<std::mutex> lock(mutex);
        ran_on.push_back(std::this_thread::get_id());
      }
      volatile double x = 0.0;  // a little work, so that the threads interleave
      for (int i = 0; i < 20000; ++i) x = x + 1.0;
      TaskOutcome out;
      out.row.run = static_cast<std::int64_t>(k);
      return out;
    };
    hooks.finish = [this](std::size_t k, TaskOutcome&& out) {
      EXPECT_EQ(out.row.run, static_cast<std::int64_t>(k));
      finished.push_back(k);
      finished_on.push_back(std::this_thread::get_id());
    };
    hooks.poll = [] { return false; };
  }
  std::vector<std::size_t> first() { return hooks.claim(); }
};

TEST(RunPool, EveryTaskRunsOnceAndIsFinishedOnTheCallingThread) {
  PoolFixture f;
  EXPECT_FALSE(run_pool(f.first(), 3, f.cancel, f.hooks));
  std::vector<std::size_t> sorted = f.finished;
  std::sort(sorted.begin(), sorted.end());
  ASSERT_EQ(sorted.size(), f.n);
  for (std::size_t k = 0; k < f.n; ++k) EXPECT_EQ(sorted[k], k);
  EXPECT_EQ(f.ran_on.size(), f.n);  // no task ran twice
  for (const std::thread::id id : f.finished_on) EXPECT_EQ(id, std::this_thread::get_id());
  EXPECT_FALSE(f.cancel.load());
}

TEST(RunPool, AStopDropsTheQueuedTasksAndKeepsTheFinishedOnes) {
  PoolFixture f;
  f.hooks.poll = [&f] {
    if (f.finished.size() < 5) return false;
    f.cancel = true;
    return true;
  };
  EXPECT_TRUE(run_pool(f.first(), 2, f.cancel, f.hooks));
  EXPECT_GE(f.finished.size(), 5u);
  EXPECT_LT(f.finished.size(), f.n);
  std::vector<std::size_t> sorted = f.finished;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());  // none twice
  EXPECT_EQ(f.ran_on.size(), f.finished.size());  // every task that ran was finished
}

TEST(RunPool, ACancelledRunStopsThePoolAndIsNotFinished) {
  PoolFixture f;
  const auto plain = f.hooks.run;
  f.hooks.run = [&plain](std::size_t k) {
    TaskOutcome out = plain(k);
    out.cancelled = (k == 7);
    return out;
  };
  EXPECT_TRUE(run_pool(f.first(), 2, f.cancel, f.hooks));
  EXPECT_EQ(std::find(f.finished.begin(), f.finished.end(), 7u), f.finished.end());
  EXPECT_LT(f.finished.size(), f.n);
}

TEST(RunPool, AnExceptionOfARunOrAHookIsRethrownOnTheCallingThreadAndCancels) {
  for (int where = 0; where < 3; ++where) {
    PoolFixture f;
    const auto plain_run = f.hooks.run;
    const auto plain_finish = f.hooks.finish;
    if (where == 0)  // a run, on whichever thread takes task 9
      f.hooks.run = [&plain_run](std::size_t k) {
        if (k == 9) throw std::runtime_error("run failed");
        return plain_run(k);
      };
    if (where == 1)  // finish (the results store: a full disk)
      f.hooks.finish = [&plain_finish](std::size_t k, TaskOutcome&& out) {
        if (k == 9) throw std::runtime_error("disk full");
        plain_finish(k, std::move(out));
      };
    if (where == 2)  // claim (the shared counter)
      f.hooks.claim = [&f] {
        if (f.next >= 12) throw std::runtime_error("counter lost");
        std::vector<std::size_t> v;
        for (; v.size() < f.per_claim; ++f.next) v.push_back(f.next);
        return v;
      };
    EXPECT_THROW(run_pool(f.first(), 2, f.cancel, f.hooks), std::runtime_error) << where;
    EXPECT_TRUE(f.cancel.load()) << where;
    EXPECT_LT(f.finished.size(), f.n) << where;
  }
}

// While thread 0 runs a long task (0) and the queue is empty but open, the other thread, done with
// task 1, waits on a condition variable: the process burns far less CPU than the wall time of
// that task (a spinning thread would burn about as much). Bound: 300 ms of waiting, at most
// 100 ms of CPU in all.
TEST(RunPool, AnIdleThreadSleepsInsteadOfSpinning) {
  PoolFixture f;
  int claims = 0;
  f.hooks.claim = [&claims] { return ++claims == 1 ? std::vector<std::size_t>{1} : std::vector<std::size_t>{}; };
  f.hooks.run = [](std::size_t k) {
    if (k == 0) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    TaskOutcome out;
    out.row.run = static_cast<std::int64_t>(k);
    return out;
  };
  const std::clock_t cpu0 = std::clock();
  EXPECT_FALSE(run_pool({0}, 2, f.cancel, f.hooks));
  const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  EXPECT_EQ(f.finished.size(), 2u);
  EXPECT_EQ(claims, 2);  // {1}, then none: the queue stayed open while task 0 ran
  EXPECT_LT(cpu, 0.1);
}

}  // namespace
}  // namespace igbench::cli
