// The sweep driver's thread scheduling and timing: idle threads sleep by default (passive
// waits), the driver times the phases the run announces (experiment/ reads no clock), and
// batches of whole runs (one per thread) give the same rows as one thread.
#include <string>

#include <gtest/gtest.h>

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
  // 4 threads, 10 runs of equal cost: runs 0-3 are a batch of whole runs (each is at most a
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

}  // namespace
}  // namespace igbench::cli
