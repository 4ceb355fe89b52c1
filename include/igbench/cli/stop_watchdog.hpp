#pragma once
// Stop requests honoured within a bounded time, even while the computing thread is inside a step
// without a poll point (one large Cholesky solve, a reference-exact replay).
//
// The driver stops cooperatively: a run polls its cancel flag between chunk waves, and ranks
// agree on the stop through a shared counter. When that has not finished within `grace` of the
// request (the computing thread is busy, or another rank does not answer), this watchdog's own
// thread prints `message` (prefixed by the signal) and ends the process with 128 + signal. That is
// as safe as a kill at that moment: every finished run is already in a journal (one write(2) per
// run), the results file on disk is whole (atomic replace), and --resume continues. Under mpirun,
// the launcher then stops the other ranks.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "igbench/parallel/communicator.hpp"

namespace igbench::cli {

class StopWatchdog {
 public:
  // `local_signal`: set by the signal handler (0: none). `message`: printed as
  // "igbench: stopped by signal S: <message>".
  StopWatchdog(const std::atomic<int>& local_signal, std::chrono::milliseconds grace, std::string message);
  ~StopWatchdog();
  StopWatchdog(const StopWatchdog&) = delete;
  StopWatchdog& operator=(const StopWatchdog&) = delete;

  // A stop learnt from elsewhere (another rank), with its signal number.
  void request(int signal);
  // The cooperative stop (or the normal end) has been reached collectively: never fire.
  void disarm();

 private:
  void watch();

  const std::atomic<int>& local_signal_;
  std::chrono::milliseconds grace_;
  std::string message_;
  std::atomic<int> requested_{0};
  std::atomic<bool> disarmed_{false}, quit_{false};
  // The destructor wakes the watch thread at once (a process must not linger a tick at its end);
  // the signal handler cannot notify, so signals are polled every tick.
  std::mutex quit_mutex_;
  std::condition_variable quit_cv_;
  std::thread thread_;
};

// A stop request shared by every rank: a rank that receives a signal posts it (bit s of shared
// counter `slot`); every rank polls between chunk waves and before taking a task, so a signal to
// any one rank stops them all within a wave. A stop learnt this way is passed to the watchdog.
// Cost: one remote read (and once a fetch-or) per poll.
class SharedStop {
 public:
  SharedStop(const std::atomic<int>& local_signal, parallel::SharedCounters& counters, int slot, StopWatchdog& watchdog)
      : local_(local_signal), counters_(counters), slot_(slot), watchdog_(watchdog) {}
  // The signal to stop for (see reported_signal), 0 to go on.
  int poll();

 private:
  const std::atomic<int>& local_;
  parallel::SharedCounters& counters_;
  int slot_;
  StopWatchdog& watchdog_;
  bool posted_ = false;
  int signal_ = 0;
};

// Exit code of a stop by `signal`: 128 + signal (143 for SIGTERM, 130 for SIGINT).
inline int stop_exit_code(int signal) { return 128 + signal; }

// A set of stop signals as bits (bit s for signal s) -> the one to report: SIGTERM if present
// (what schedulers send), else SIGINT, else the lowest; 0 for none.
int reported_signal(std::int64_t bits);

}  // namespace igbench::cli
