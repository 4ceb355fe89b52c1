// The sweep driver's thread scheduling and timing: idle threads sleep by default (passive
// waits), the driver times the phases the run announces (experiment/ reads no clock), and
// batches of whole runs (one per thread) give the same rows as one thread.
#include <string>

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

}  // namespace
}  // namespace igbench::cli
