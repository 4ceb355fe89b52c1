// The stop watchdog ends a process whose computing thread does not reach a poll point within the
// grace period after a stop request, with exit code 128 + signal; it never fires when disarmed.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "igbench/cli/stop_watchdog.hpp"

namespace igbench::cli {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A busy "solve" with no poll point: the only way out is the watchdog.
[[noreturn]] void busy_for_ever() {
  volatile double x = 1.0;
  for (;;) x = x * 1.0000001 + 1e-9;
}

TEST(StopWatchdog, EndsABusyProcessWithinTheGraceAfterALocalSignal) {
  const auto t0 = Clock::now();
  EXPECT_EXIT(
      {
        std::atomic<int> local{0};
        StopWatchdog dog(local, 300ms, "test message");
        std::this_thread::sleep_for(50ms);
        local = SIGTERM;  // what the signal handler does
        busy_for_ever();
      },
      ::testing::ExitedWithCode(143), "stopped by signal 15: test message");
  // fork + 50 ms + grace 300 ms + ticks of 20 ms: well under 2 s even on a loaded machine
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 2.0);
}

TEST(StopWatchdog, ARemoteRequestCountsLikeALocalSignal) {
  EXPECT_EXIT(
      {
        std::atomic<int> local{0};
        StopWatchdog dog(local, 100ms, "remote");
        dog.request(SIGINT);
        busy_for_ever();
      },
      ::testing::ExitedWithCode(130), "stopped by signal 2");
}

TEST(StopWatchdog, NeverFiresWithoutARequestOrOnceDisarmed) {
  std::atomic<int> local{0};
  {
    StopWatchdog idle(local, 10ms, "x");
    std::this_thread::sleep_for(100ms);
  }
  StopWatchdog dog(local, 50ms, "x");
  dog.disarm();
  local = SIGTERM;
  std::this_thread::sleep_for(200ms);
  SUCCEED() << "still alive 200 ms after a request with a 50 ms grace";
}

}  // namespace
}  // namespace igbench::cli

namespace igbench::cli {
namespace {

// The shared stop through the counters every rank sees (a serial communicator's counters stand
// in for rank 0's MPI window): a local signal is posted, a posted one is seen by a rank without
// a signal, and SIGTERM wins over SIGINT when both arrive.
TEST(SharedStop, ASignalOnOneRankStopsEveryRank) {
  const auto comm = parallel::make_serial_communicator();
  const auto counters = comm->make_counters(2);
  std::atomic<int> rank0_signal{0}, rank1_signal{0};
  StopWatchdog dog(rank0_signal, std::chrono::hours(1), "x");
  dog.disarm();
  SharedStop rank0(rank0_signal, *counters, 1, dog), rank1(rank1_signal, *counters, 1, dog);
  EXPECT_EQ(rank0.poll(), 0);
  EXPECT_EQ(rank1.poll(), 0);
  rank1_signal = SIGINT;  // Ctrl-C reaches rank 1 only
  EXPECT_EQ(rank1.poll(), SIGINT);
  EXPECT_EQ(rank0.poll(), SIGINT) << "rank 0 learns of rank 1's signal";
  EXPECT_EQ(counters->read(0), 0) << "other counters untouched";
  rank0_signal = SIGTERM;
  EXPECT_EQ(rank0.poll(), SIGINT) << "the first stop decides this rank's poll";
  EXPECT_EQ(reported_signal(counters->read(1)), SIGTERM) << "the final report prefers SIGTERM";
}

}  // namespace
}  // namespace igbench::cli
