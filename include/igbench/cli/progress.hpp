#pragma once
// Progress of a sweep, shown by rank 0: tasks done / total, samples per second, ETA. On a
// terminal a live line (redrawn at most 5 times a second); otherwise (batch logs) one line every
// `log_interval` seconds. The ETA weighs tasks by their estimated cost, so a sweep mixing runs
// of 1e3 and 1e7 samples is not misjudged.
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace igbench::cli {

class Progress {
 public:
  Progress(std::int64_t total_tasks, double total_cost, bool enabled, std::ostream& out,
           bool terminal, double log_interval_seconds = 10.0);

  // Current totals over all ranks. `force` draws even if the last draw was recent.
  void update(std::int64_t tasks_done, std::int64_t samples_done, double cost_done, bool force = false);
  // Final line (a newline after the live line on a terminal).
  void finish(std::int64_t tasks_done, std::int64_t samples_done);

  static std::string format_duration(double seconds);

 private:
  using Clock = std::chrono::steady_clock;
  std::string line(std::int64_t tasks_done, std::int64_t samples_done, double cost_done) const;

  std::int64_t total_tasks_;
  double total_cost_;
  bool enabled_, terminal_;
  std::ostream& out_;
  double log_interval_;
  Clock::time_point start_, last_draw_;
  bool drawn_ = false;
};

}  // namespace igbench::cli
