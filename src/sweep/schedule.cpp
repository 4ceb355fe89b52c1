#include "igbench/sweep/schedule.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "igbench/experiment/accumulate.hpp"
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

namespace {

// C(n, k) in double (exact below 2^53; beyond, only a size estimate is needed).
double binomial(double n, double k) {
  double c = 1.0;
  for (double i = 1.0; i <= k; i += 1.0) c = c * (n - k + i) / i;
  return c;
}

// Accumulators a merger holds for a part of n samples: popcount(ceil(n / chunk)).
double merger_stack(std::int64_t n) {
  if (n <= 0) return 0.0;
  const auto chunks = static_cast<std::uint64_t>((n + experiment::samples_per_chunk - 1) / experiment::samples_per_chunk);
  return static_cast<double>(std::popcount(chunks));
}

// Accumulators held by the mergers of one data set at the end of its pass, and its outputs.
double data_set_accumulators(std::int64_t n, bool training) {
  const std::int64_t n_test = fit::test_size(n);
  double held = merger_stack(n_test) + 1.0;  // the test merger, its output
  if (training) {
    const auto bounds = fit::fold_bounds(n - n_test);
    for (int f = 0; f < fit::n_folds; ++f)
      held += merger_stack(bounds[static_cast<std::size_t>(f) + 1] - bounds[static_cast<std::size_t>(f)]) + 1.0;
  }
  return held;
}

constexpr double baseline_bytes = 24e6;     // the program, its libraries and buffers (measured: 19-22 MB at K = 5)
constexpr double fit_temporaries = 6.0;     // accumulators the fits add (fold complements, Gram, whole())

}  // namespace

double moments_bytes(double dim) { return 8.0 * (dim * dim + dim) + 64.0; }

double estimated_peak_bytes(const experiment::RunSpec& spec, int threads) {
  const double K = spec.K;
  const double P = binomial(K + spec.n_order_fit, spec.n_order_fit);
  const double dim = P + 1.0;
  const double M = moments_bytes(dim);
  const experiment::MethodSet& want = spec.methods;
  const bool single = want.has(experiment::Method::method) || want.has(experiment::Method::pooled);
  const bool obs = single || want.has(experiment::Method::obs);
  const double obs_out = obs ? 4.0 : 1.0;  // the observational set's outputs kept through stage 2
  // Stage 2: the K single-intervention sets and the joint one, mergers and outputs at once.
  double stage2 = obs_out + data_set_accumulators(spec.N_jint, want.has(experiment::Method::jint));
  if (single) stage2 += K * data_set_accumulators(spec.N_sint, true);
  const double stage1 = data_set_accumulators(spec.N_obs, obs);
  // The fits: every set's 4 outputs plus temporaries.
  const double fits = obs_out + 4.0 * ((single ? K : 0.0) + 1.0) + fit_temporaries;
  // A wave of pending chunk accumulators (accumulate.cpp: 32 MiB or 16 per thread, at least 1).
  const double wave = std::max(1.0, std::min(std::floor(33554432.0 / (dim * dim * 8.0)), 16.0 * threads));
  // Per thread: a chunk of samples and its moment vectors (2048 x dim doubles each).
  const double chunk_buffers = threads * 2.0 * experiment::samples_per_chunk * (dim + 3.0 * K) * 8.0;
  double bytes = baseline_bytes + chunk_buffers + M * (std::max({stage1, stage2, fits}) + wave);
  if (spec.rng == experiment::RngMode::reference) {
    // The replay materialises a data set (actions, confounders, noises and outcome) at a time.
    const double n = static_cast<double>(std::max({spec.N_obs, spec.N_sint, spec.N_jint}));
    bytes += n * (3.0 * K + 2.0) * 8.0 * 2.0;
  }
  return bytes;
}

MemoryEstimate sweep_peak_bytes(const SweepSpec& spec, const std::vector<SweepPoint>& points, int threads) {
  MemoryEstimate worst;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double b = estimated_peak_bytes(make_run_spec(spec, points[i], 0), threads);
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
