#pragma once
// Statistics of one metric across the runs of a sweep point, for heavy-tailed per-run values
// (the method's RMSE on the linear SCM, or at the paper default where one run of 100 can triple
// the SEM): the median with a percentile-bootstrap confidence interval, beside mean +- SEM, and
// the runs with the largest values.
//
// The bootstrap is deterministic and language-independent: resample indices come from
// SplitMix64 seeded with a fixed constant, index = floor(u * n) with u = (x >> 11) * 2^-53, so
// the Python analysis package (analysis/robust.py) computes the same interval bit for bit.
#include <cstdint>
#include <limits>
#include <vector>

namespace igbench::stats {

// SplitMix64 (Steele, Lea, Flood 2014): state += 0x9E3779B97F4A7C15, then two xor-shift-multiply
// rounds. Cost: a few integer operations per draw.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // A uniform index in 0..n-1: floor(((x >> 11) * 2^-53) * n), exact in double for n < 2^53.
  std::size_t index(std::size_t n);

 private:
  std::uint64_t state_;
};

inline constexpr std::uint64_t bootstrap_seed = 0x6967626E63680001ULL;  // "igbnch" + 1
inline constexpr int bootstrap_resamples = 2000;
inline constexpr double bootstrap_level = 0.95;

// The median of the finite entries (mean of the two middle ones for an even count); NaN if none.
// Cost: O(n log n).
double median_of_finite(std::vector<double> values);

struct MedianInterval {
  std::int64_t n = 0;  // finite values
  double median = std::numeric_limits<double>::quiet_NaN();
  double lower = std::numeric_limits<double>::quiet_NaN();  // NaN for n < 2
  double upper = std::numeric_limits<double>::quiet_NaN();
};

// Median of the finite entries and its percentile-bootstrap interval at `level`: B resamples
// (with replacement, n draws each) of the finite values in their given order; their medians
// sorted as m_(0) <= ... <= m_(B-1); lower = m_(floor(B (1 - level) / 2)),
// upper = m_(ceil(B (1 + level) / 2) - 1). Cost: O(B n log n) (2000 x 100 values: ~10 ms).
MedianInterval median_with_bootstrap(const std::vector<double>& values, int resamples = bootstrap_resamples,
                                     double level = bootstrap_level, std::uint64_t seed = bootstrap_seed);

// Indices of the `count` largest finite values, largest first (ties: smaller index first).
std::vector<std::size_t> largest_indices(const std::vector<double>& values, std::size_t count);

}  // namespace igbench::stats
