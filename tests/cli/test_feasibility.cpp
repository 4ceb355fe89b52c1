// Feasibility before work: the memory model of a run (sweep/schedule.hpp) against peak resident
// memory measured with /usr/bin/time -v on this project's machine (release build, N_runs 1):
//   K=5  N=1e4 2 threads:  23 MB      K=10 N=1e4 1 thread:   81 MB     K=10 N=2e5 1 thread: 153 MB
//   K=12 N=1e4 1 thread:  203 MB      K=12 N=1e5 2 threads: 371 MB     K=15 N=1e4 1 thread: 758 MB
//   K=20 N=1e4 1 thread: 4.3 GB (issue 14)
// The model must never be below a measurement (a refusal must not let an OOM through) and not
// far above it (1.4x: a cautious estimate must not refuse what fits).
#include <gtest/gtest.h>

#include <cmath>

#include "igbench/cli/feasibility.hpp"
#include "igbench/cli/stop_watchdog.hpp"
#include "igbench/sweep/schedule.hpp"

namespace igbench::cli {
namespace {

double estimate(int K, std::int64_t N, int threads, int d = 3) {
  sweep::SweepSpec spec;
  spec.K = {K};
  spec.N = {N};
  spec.n_order_fit = {d};
  return sweep::estimated_peak_bytes(sweep::make_run_spec(spec, sweep::main_point(K, N), 0), threads);
}

TEST(MemoryModel, BoundsTheMeasuredPeaksFromAboveAndNotFarAbove) {
  struct Measured {
    int K;
    std::int64_t N;
    int threads;
    double bytes;
  };
  const Measured measured[] = {{5, 10000, 2, 22496e3 * 1.024}, {10, 10000, 1, 79392e3 * 1.024},
                               {10, 200000, 1, 149376e3 * 1.024}, {12, 10000, 1, 197880e3 * 1.024},
                               {12, 100000, 2, 362568e3 * 1.024}, {15, 10000, 1, 740152e3 * 1.024},
                               {20, 10000, 1, 4.3e9}};
  for (const Measured& m : measured) {
    const double e = estimate(m.K, m.N, m.threads);
    EXPECT_GE(e, m.bytes) << "K=" << m.K << " N=" << m.N;
    EXPECT_LE(e, 1.4 * m.bytes) << "K=" << m.K << " N=" << m.N;
  }
}

TEST(MemoryModel, GrowsWithKAndOnlyLogarithmicallyWithN) {
  EXPECT_LT(estimate(10, 10000, 1), estimate(12, 10000, 1));
  // N from 1e4 to 1e7: the merger stacks hold popcount(chunks) accumulators, at most log2.
  EXPECT_LT(estimate(12, 10000000, 1), 4.0 * estimate(12, 10000, 1));
  // K = 1000: about 1.8e21 bytes, computed without overflow.
  const double huge = estimate(1000, 10000, 1);
  EXPECT_TRUE(std::isfinite(huge));
  EXPECT_GT(huge, 1e20);
}

TEST(MemoryModel, RefusalNamesThePointTheEstimateAndTheLimit) {
  sweep::SweepSpec spec;
  spec.K = {3, 1000};
  spec.N = {10000};
  const std::string m = memory_problem(spec, 1, 1, 8e9, "given by --max_memory");
  EXPECT_NE(m.find("K=1000"), std::string::npos) << m;
  EXPECT_NE(m.find("needs about"), std::string::npos) << m;
  EXPECT_NE(m.find("8.0 GB given by --max_memory"), std::string::npos) << m;
  spec.K = {3};
  EXPECT_EQ(memory_problem(spec, 1, 1, 8e9, "x"), "");
  // ranks sharing a node share its memory
  const double one = estimate(3, 10000, 1);
  EXPECT_EQ(memory_problem(spec, 1, 4, 4.5 * one, "x"), "");
  EXPECT_NE(memory_problem(spec, 1, 5, 4.5 * one, "x"), "");
}

TEST(MemoryModel, AvailableMemoryIsReadFromTheKernel) {
  const auto a = available_memory_bytes();
  ASSERT_TRUE(a.has_value()) << "/proc/meminfo has MemAvailable on Linux >= 3.14";
  EXPECT_GT(*a, 1e6);
}

TEST(StopSignals, TermWinsThenIntThenTheLowest) {
  EXPECT_EQ(reported_signal(0), 0);
  EXPECT_EQ(reported_signal(std::int64_t{1} << SIGINT), SIGINT);
  EXPECT_EQ(reported_signal((std::int64_t{1} << SIGINT) | (std::int64_t{1} << SIGTERM)), SIGTERM);
  EXPECT_EQ(reported_signal(std::int64_t{1} << SIGHUP), SIGHUP);
  EXPECT_EQ(stop_exit_code(SIGTERM), 143);
  EXPECT_EQ(stop_exit_code(SIGINT), 130);
}

}  // namespace
}  // namespace igbench::cli
