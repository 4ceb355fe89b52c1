#include "igbench/cli/progress.hpp"

#include <cmath>
#include <cstdio>

namespace igbench::cli {

Progress::Progress(std::int64_t total_tasks, double total_cost, bool enabled, std::ostream& out, bool terminal,
                   double log_interval_seconds)
    : total_tasks_(total_tasks), total_cost_(total_cost), enabled_(enabled && total_tasks > 0), terminal_(terminal),
      out_(out), log_interval_(log_interval_seconds), start_(Clock::now()), last_draw_(start_) {}

std::string Progress::format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--:--";
  const auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

std::string Progress::line(std::int64_t tasks_done, std::int64_t samples_done, double cost_done) const {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(samples_done) / elapsed : 0.0;
  // ETA from the cost still to do at the cost rate achieved so far
  const double eta = cost_done > 0 ? elapsed * (total_cost_ - cost_done) / cost_done : -1.0;
  char buf[200];
  std::snprintf(buf, sizeof buf, "[%lld/%lld runs, %3.0f%%] %.3g samples/s, elapsed %s, ETA %s",
                static_cast<long long>(tasks_done), static_cast<long long>(total_tasks_),
                100.0 * static_cast<double>(tasks_done) / static_cast<double>(total_tasks_), rate,
                format_duration(elapsed).c_str(), tasks_done >= total_tasks_ ? "00:00:00" : format_duration(eta).c_str());
  return buf;
}

void Progress::update(std::int64_t tasks_done, std::int64_t samples_done, double cost_done, bool force) {
  if (!enabled_) return;
  const auto now = Clock::now();
  const double since = std::chrono::duration<double>(now - last_draw_).count();
  if (!force && since < (terminal_ ? 0.2 : log_interval_)) return;
  last_draw_ = now;
  if (terminal_)
    out_ << "\r\033[K" << line(tasks_done, samples_done, cost_done) << std::flush;
  else
    out_ << "progress: " << line(tasks_done, samples_done, cost_done) << "\n" << std::flush;
  drawn_ = true;
}

void Progress::finish(std::int64_t tasks_done, std::int64_t samples_done) {
  if (!enabled_) return;
  const std::string l = line(tasks_done, samples_done, total_cost_);
  if (terminal_)
    out_ << "\r\033[K" << l << "\n" << std::flush;
  else
    out_ << "progress: " << l << "\n" << std::flush;
}

}  // namespace igbench::cli
