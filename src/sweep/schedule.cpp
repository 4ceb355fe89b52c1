#include "igbench/sweep/schedule.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "igbench/experiment/accumulate.hpp"
#include "igbench/experiment/peak_memory.hpp"
#include "igbench/fit/cross_validation.hpp"

namespace igbench::sweep {

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard s;
  auto parse = [&](std::string_view part, int& out) {
    const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && ptr == part.data() + part.size();
  };
  const std::string_view t = text;
  if (slash == std::string::npos || !parse(t.substr(0, slash), s.index) || !parse(t.substr(slash + 1), s.count))
    throw std::invalid_argument("--shard '" + text + "' must be i/n with integers, e.g. 0/4");
  if (s.count < 1 || s.index < 0 || s.index >= s.count)
    throw std::invalid_argument("--shard '" + text + "' needs n >= 1 and 0 <= i < n (i is 0-based, as SLURM_ARRAY_TASK_ID of --array=0-(n-1))");
  return s;
}

std::vector<CostedTask> costed_tasks(const SweepSpec& spec, const std::vector<SweepPoint>& points) {
  std::vector<CostedTask> out;
  for (const Task& t : all_tasks(spec, points.size()))
    out.push_back({t, estimated_cost(make_run_spec(spec, points[t.point], t.run))});
  std::stable_sort(out.begin(), out.end(), [](const CostedTask& a, const CostedTask& b) { return a.cost > b.cost; });
  return out;
}

std::vector<CostedTask> shard_tasks(const std::vector<CostedTask>& ordered, Shard shard) {
  std::vector<double> load(static_cast<std::size_t>(shard.count), 0.0);
  std::vector<CostedTask> mine;
  for (const CostedTask& t : ordered) {
    const auto least = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[least] += t.cost;
    if (static_cast<int>(least) == shard.index) mine.push_back(t);
  }
  return mine;
}

}  // namespace igbench::sweep

namespace igbench::sweep {


double rank_peak_bytes(const experiment::RunSpec& spec, int threads) {
  // Threads split one run (experiment::estimated_peak_bytes at `threads`) or take whole runs
  // (one run per thread, each on one thread): the rank needs the larger of the two.
  const double split = static_cast<double>(experiment::estimated_peak_bytes(spec, threads));
  const double whole = static_cast<double>(threads) * static_cast<double>(experiment::estimated_peak_bytes(spec, 1));
  return std::max(split, whole);
}

MemoryEstimate sweep_peak_bytes(const SweepSpec& spec, const std::vector<SweepPoint>& points, int threads) {
  MemoryEstimate worst;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double b = rank_peak_bytes(make_run_spec(spec, points[i], 0), threads);
    if (b > worst.bytes) worst = {b, i};
  }
  return worst;
}

std::string format_bytes(double bytes) {
  char buf[64];
  if (bytes >= 1e12 * 1000)
    std::snprintf(buf, sizeof buf, "%.2g GB", bytes / 1e9);
  else if (bytes >= 1e9)
    std::snprintf(buf, sizeof buf, "%.1f GB", bytes / 1e9);
  else
    std::snprintf(buf, sizeof buf, "%.0f MB", bytes / 1e6);
  return buf;
}

}  // namespace igbench::sweep
