#include "igbench/cli/stop_watchdog.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace igbench::cli {

int reported_signal(std::int64_t bits) {
  if (bits & (std::int64_t{1} << SIGTERM)) return SIGTERM;
  if (bits & (std::int64_t{1} << SIGINT)) return SIGINT;
  for (int s = 1; s < 63; ++s)
    if (bits & (std::int64_t{1} << s)) return s;
  return 0;
}

StopWatchdog::StopWatchdog(const std::atomic<int>& local_signal, std::chrono::milliseconds grace, std::string message)
    : local_signal_(local_signal), grace_(grace), message_(std::move(message)), thread_([this] { watch(); }) {}

StopWatchdog::~StopWatchdog() {
  {
    const std::lock_guard<std::mutex> lock(quit_mutex_);
    quit_ = true;
  }
  quit_cv_.notify_all();
  thread_.join();
}

void StopWatchdog::request(int signal) {
  int none = 0;
  requested_.compare_exchange_strong(none, signal);
}

void StopWatchdog::disarm() { disarmed_ = true; }

void StopWatchdog::watch() {
  using Clock = std::chrono::steady_clock;
  constexpr auto tick = std::chrono::milliseconds(20);
  Clock::time_point since{};
  bool pending = false;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(quit_mutex_);
      if (quit_cv_.wait_for(lock, tick, [this] { return quit_.load(); })) return;
    }
    if (disarmed_.load()) continue;
    int sig = local_signal_.load();
    if (sig == 0) sig = requested_.load();
    if (sig == 0) continue;
    if (!pending) {
      pending = true;
      since = Clock::now();
      continue;
    }
    if (Clock::now() - since < grace_) continue;
    // The cooperative stop did not finish in time: end here (see the header for why it is safe).
    std::fflush(stdout);
    std::fprintf(stderr, "igbench: stopped by signal %d: %s\n", sig, message_.c_str());
    std::fflush(stderr);
    std::_Exit(stop_exit_code(sig));
  }
}

int SharedStop::poll() {
  const int local = local_.load();
  if (local != 0 && !posted_) {
    counters_.fetch_or(slot_, std::int64_t{1} << local);
    posted_ = true;
  }
  if (signal_ == 0) {
    signal_ = reported_signal(counters_.read(slot_));
    if (signal_ != 0) watchdog_.request(signal_);
  }
  return signal_;
}

}  // namespace igbench::cli
