// The run's memory cost model (estimated_peak_bytes) against measured peaks of the igbench
// binary, and the properties the feasibility check relies on.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "igbench/experiment/peak_memory.hpp"
#include "support/process.hpp"

namespace igbench::experiment {
namespace {

RunSpec main_spec(int K, std::int64_t N) {
  RunSpec s;
  s.K = K;
  s.N_obs = s.N_sint = s.N_jint = N;
  s.methods = default_methods(ExperimentKind::main, RngMode::fast);
  return s;
}

// Peak resident bytes of `igbench main --K K --N N --N_runs 1` on one thread (GNU time's %M).
std::int64_t measured_peak_bytes(int K, std::int64_t N) {
  test::TempDir dir;
  const std::string command = "OMP_NUM_THREADS=1 /usr/bin/time -f %M -o " + (dir.path / "rss").string() + " " +
                              IGBENCH_BINARY + " main --quiet --N_runs 1 --K " + std::to_string(K) + " --N " +
                              std::to_string(N) + " --out " + (dir.path / "r.h5").string();
  const test::ProcessResult r = test::run_process(command);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return std::stoll(test::read_file(dir.path / "rss")) * 1024;
}

TEST(PeakMemory, GrowsOnlyWithLogNAndGrowsWithKAndThreads) {
  // N = 1e3 -> 1e7: the merge stacks go from 1 to 13 levels (4 parts each); at K = 5 the 20 MB
  // process footprint dominates, so the estimate less than doubles.
  EXPECT_LT(estimated_peak_bytes(main_spec(5, 1000)), estimated_peak_bytes(main_spec(5, 10000000)));
  EXPECT_LT(estimated_peak_bytes(main_spec(5, 10000000)), 2 * estimated_peak_bytes(main_spec(5, 1000)));
  EXPECT_LT(estimated_peak_bytes(main_spec(5, 1000)), estimated_peak_bytes(main_spec(10, 1000)));
  EXPECT_LT(estimated_peak_bytes(main_spec(10, 1000), 1), estimated_peak_bytes(main_spec(10, 1000), 2));
  // (P + 1)^2 doubles: K = 20, d = 3 has P = C(23, 3) = 1771
  EXPECT_EQ(moment_matrix_bytes(20, 3), std::int64_t{1772} * 1772 * 8);
}

TEST(PeakMemory, BoundsTheMeasuredPeakAndIsNotFarAboveIt) {
  // K = 12 (P = 455, 1.7 MB per moment matrix): the matrices dominate the process's fixed
  // footprint. A run that kept every data set's moments to the end, as before, would hold
  // (K + 3) x 4 = 60 of them (about 100 MB) and exceed the estimate.
  const std::int64_t measured = measured_peak_bytes(12, 3000);
  const std::int64_t estimate = estimated_peak_bytes(main_spec(12, 3000), 1);
  EXPECT_LE(measured, estimate);
  EXPECT_GE(2 * measured, estimate) << "the estimate is too pessimistic to plan with";
}

}  // namespace
}  // namespace igbench::experiment
