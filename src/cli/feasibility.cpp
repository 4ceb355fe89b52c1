#include "igbench/cli/feasibility.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include <omp.h>

#include "igbench/cli/options.hpp"
#include "igbench/sweep/schedule.hpp"

namespace igbench::cli {

namespace {

// The first number in a file ("max" or unreadable: empty).
std::optional<double> read_number(const char* path) {
  std::ifstream f(path);
  std::string word;
  if (!(f >> word)) return std::nullopt;
  double x = 0;
  const auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), x);
  if (ec != std::errc() || ptr != word.data() + word.size()) return std::nullopt;
  return x;
}

std::optional<double> mem_available() {
  std::ifstream f("/proc/meminfo");
  std::string key;
  double kb = 0;
  std::string unit;
  while (f >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024.0;
  return std::nullopt;
}

// Limit minus usage of this process's cgroup (v2, then v1); values above 2^60 mean "no limit".
std::optional<double> cgroup_headroom() {
  for (auto [limit_file, usage_file] : {std::pair{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"},
                                        std::pair{"/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                                  "/sys/fs/cgroup/memory/memory.usage_in_bytes"}}) {
    const auto limit = read_number(limit_file);
    if (!limit || *limit > 1e18) continue;
    const double usage = read_number(usage_file).value_or(0.0);
    return std::max(0.0, *limit - usage);
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> available_memory_bytes() {
  const auto a = mem_available(), b = cgroup_headroom();
  if (a && b) return std::min(*a, *b);
  return a ? a : b;
}

double parse_memory_size(const std::string& text, const std::string& option) {
  std::string_view s = text;
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (!s.empty() && (s.back() == 'B' || s.back() == 'b')) s.remove_suffix(1);
  double unit = 1.0;
  const bool binary = !s.empty() && (s.back() == 'i' || s.back() == 'I');
  if (binary) s.remove_suffix(1);
  if (!s.empty()) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(s.back())));
    const double base = binary ? 1024.0 : 1000.0;
    const std::string_view units = "KMGT";
    if (const auto i = units.find(c); i != std::string_view::npos) {
      unit = std::pow(base, static_cast<double>(i + 1));
      s.remove_suffix(1);
    } else if (binary) {
      s = {};  // "i" without a unit
    }
  }
  double x = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(x) || !(x > 0))
    throw UsageError(option + ": '" + text + "' is not a memory size (write e.g. 8G, 512MiB or 2e9)");
  return x * unit;
}

std::string memory_problem(const sweep::SweepSpec& spec, int threads, int ranks_on_host, double limit,
                           const std::string& limit_source) {
  const std::vector<sweep::SweepPoint> points = sweep::expand_points(spec);
  const sweep::MemoryEstimate worst = sweep::sweep_peak_bytes(spec, points, threads);
  const double need = worst.bytes * std::max(1, ranks_on_host);
  if (need <= limit) return {};
  const sweep::SweepPoint& p = points[worst.point];
  std::ostringstream s;
  s << "a run at K=" << p.K << ", n_order_fit=" << p.n_order_fit << " needs about " << sweep::format_bytes(worst.bytes)
    << " of memory";
  if (ranks_on_host > 1) s << " per rank (" << sweep::format_bytes(need) << " for the " << ranks_on_host << " ranks on this node)";
  s << ", more than the " << sweep::format_bytes(limit) << " " << limit_source
    << "; use a smaller K or n_order_fit, fewer ranks per node, or set --max_memory to the memory you know the run may use";
  return s.str();
}

void check_memory(const sweep::SweepSpec& spec, std::optional<double> max_memory, parallel::Communicator& comm) {
  const int ranks_here = comm.ranks_on_host();
  std::string problem;
  if (comm.rank() == 0) {
    std::optional<double> limit = max_memory;
    std::string source = "given by --max_memory";
    if (!limit) {
      limit = available_memory_bytes();
      source = "available on this node (MemAvailable, cgroup limit)";
    }
    if (limit) problem = memory_problem(spec, omp_get_max_threads(), ranks_here, *limit, source);
  }
  problem = comm.broadcast(problem, 0);
  if (!problem.empty()) throw UsageError(problem);
}

}  // namespace igbench::cli
