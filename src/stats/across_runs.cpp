#include "igbench/stats/across_runs.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace igbench::stats {

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::size_t SplitMix64::index(std::size_t n) {
  const double u = static_cast<double>(next() >> 11) * 0x1p-53;
  return static_cast<std::size_t>(u * static_cast<double>(n));
}

namespace {

std::vector<double> finite_only(const std::vector<double>& values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double x : values)
    if (std::isfinite(x)) out.push_back(x);
  return out;
}

// Median of a vector of finite values, sorting it in place.
double median_in_place(std::vector<double>& v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

double median_of_finite(std::vector<double> values) {
  std::vector<double> v = finite_only(values);
  return v.empty() ? std::numeric_limits<double>::quiet_NaN() : median_in_place(v);
}

MedianInterval median_with_bootstrap(const std::vector<double>& values, int resamples, double level,
                                     std::uint64_t seed) {
  const std::vector<double> x = finite_only(values);
  MedianInterval out;
  out.n = static_cast<std::int64_t>(x.size());
  if (x.empty()) return out;
  std::vector<double> sorted = x;
  out.median = median_in_place(sorted);
  if (x.size() < 2 || resamples < 1) return out;
  SplitMix64 rng(seed);
  std::vector<double> medians(static_cast<std::size_t>(resamples));
  std::vector<double> sample(x.size());
  for (double& m : medians) {
    for (double& s : sample) s = x[rng.index(x.size())];
    m = median_in_place(sample);
  }
  std::sort(medians.begin(), medians.end());
  const double B = static_cast<double>(resamples);
  const auto lo = static_cast<std::size_t>(std::floor(B * (1.0 - level) / 2.0));
  const auto hi = static_cast<std::size_t>(std::ceil(B * (1.0 + level) / 2.0)) - 1;
  out.lower = medians[std::min(lo, medians.size() - 1)];
  out.upper = medians[std::min(hi, medians.size() - 1)];
  return out;
}

std::vector<std::size_t> largest_indices(const std::vector<double>& values, std::size_t count) {
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (std::isfinite(values[i])) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
  if (idx.size() > count) idx.resize(count);
  return idx;
}

}  // namespace igbench::stats
