// Feasibility before work: the memory model of a rank (sweep::rank_peak_bytes over
// experiment::estimated_peak_bytes) against peak resident memory measured with
// `OMP_NUM_THREADS=T /usr/bin/time -f %M igbench main --K K --N N --N_runs 1` on this project's
// machine (release build, bounded-memory run of issue 14; 2026-12-03):
//   K=5  N=1e4 2 threads:  24.3 MB    K=10 N=1e4 1 thread:   33.1 MB   K=10 N=2e5 1 thread: 44.4 MB
//   K=12 N=1e4 1 thread:   49.7 MB    K=12 N=1e5 2 threads: 104.5 MB   K=15 N=1e4 1 thread: 95.4 MB
// The model must never be below a measurement (a refusal must not let an OOM through) and not
// far above it (2x: a cautious estimate must not refuse what fits; the fixed 20 MB footprint
// dominates the small runs).
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
  return sweep::rank_peak_bytes(sweep::make_run_spec(spec, sweep::main_point(K, N), 0), threads);
}

TEST(MemoryModel, BoundsTheMeasuredPeaksFromAboveAndNotFarAbove) {
  struct Measured {
    int K;
    std::int64_t N;
    int threads;
    double bytes;
  };
  const Measured measured[] = {{5, 10000, 2, 24308e3 * 1.024},  {10, 10000, 1, 33068e3 * 1.024},
                               {10, 200000, 1, 44444e3 * 1.024}, {12, 10000, 1, 49680e3 * 1.024},
                               {12, 100000, 2, 104540e3 * 1.024}, {15, 10000, 1, 95428e3 * 1.024}};
  for (const Measured& m : measured) {
    const double e = estimate(m.K, m.N, m.threads);
    EXPECT_GE(e, m.bytes) << "K=" << m.K << " N=" << m.N;
    EXPECT_LE(e, 2.0 * m.bytes) << "K=" << m.K << " N=" << m.N;
  }
}

TEST(MemoryModel, GrowsWithKAndOnlyLogarithmicallyWithN) {
  EXPECT_LT(estimate(10, 10000, 1), estimate(12, 10000, 1));
  // N from 1e4 to 1e7: only the merge stacks grow, with log2(N / 2048) (3 -> 13 levels).
  EXPECT_LT(estimate(12, 10000000, 1), 3.0 * estimate(12, 10000, 1));
  // K = 1000 (P = C(1003, 3) = 1.7e8 features, one moment matrix 2.2e17 bytes): a huge estimate
  // computed without overflow; K = 100000 saturates at the largest int64 instead of wrapping.
  const double huge = estimate(1000, 10000, 1);
  EXPECT_TRUE(std::isfinite(huge));
  EXPECT_GT(huge, 1e18);
  EXPECT_GE(estimate(100000, 10000, 64), huge);
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
