// log_batch against the C library's log, bit for bit: random bit patterns over the whole double
// range, the interval boundaries of its table, values near 1 and the special inputs.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "igbench/random/log_batch.hpp"
#include "igbench/random/philox_stream.hpp"

namespace igbench::random {
namespace {

void expect_library_log(const std::vector<double>& x) {
  std::vector<double> y(x.size());
  log_batch(x.data(), y.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    ASSERT_EQ(std::bit_cast<std::uint64_t>(y[i]), std::bit_cast<std::uint64_t>(std::log(x[i])))
        << "x = " << std::hexfloat << x[i];
  // in place
  std::vector<double> z = x;
  log_batch(z.data(), z.data(), z.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    ASSERT_EQ(std::bit_cast<std::uint64_t>(z[i]), std::bit_cast<std::uint64_t>(y[i]));
}

TEST(LogBatch, RandomPositiveDoubles) {
  std::mt19937_64 rng(1);
  std::vector<double> x(4'000'000);
  for (double& v : x) v = std::bit_cast<double>(rng() >> 1);  // every positive bit pattern
  expect_library_log(x);
}

TEST(LogBatch, TheGeneratorsArguments) {
  // u / (1 - u) (logistic draws) and min(u, 1 - u) (normal tails) for stream uniforms, and
  // doubles near 1 and near the edges of the 128 table intervals
  const PhiloxStream s(2, 3, {StreamRole::test_support, 0, 0});
  std::vector<double> u(2'000'000);
  s.fill_uniforms(0, u.size(), u.data());
  std::vector<double> x;
  for (double v : u) {
    x.push_back(v / (1.0 - v));
    x.push_back(std::min(v, 1.0 - v));
  }
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> near1(0.9, 1.1);
  for (int i = 0; i < 1'000'000; ++i) x.push_back(near1(rng));
  for (std::uint64_t d = 0; d < 4096; ++d) {  // the ulps next to 1 (r's 26-bit split) and 1 itself
    x.push_back(std::bit_cast<double>(0x3ff0000000000000ULL + d));
    x.push_back(std::bit_cast<double>(0x3ff0000000000000ULL - d));
    x.push_back(1.0 + static_cast<double>(d) * 0x1p-30);
    x.push_back(1.0 - static_cast<double>(d) * 0x1p-31);
  }
  for (std::uint64_t j = 0; j < 128; ++j)
    for (std::uint64_t e : {0x3fe6000000000000ULL, 0x3fd6000000000000ULL, 0x4236000000000000ULL}) {
      const std::uint64_t edge = e + (j << 45);
      for (std::int64_t d = -3; d <= 3; ++d) x.push_back(std::bit_cast<double>(edge + static_cast<std::uint64_t>(d)));
    }
  expect_library_log(x);
}

TEST(LogBatch, SpecialInputs) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> x = {0.0, -0.0, 1.0, -1.0, inf, -inf, std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::min(), std::numeric_limits<double>::max(), 0x1p-1040,
                           std::nextafter(1.0, 0.0), std::nextafter(1.0, 2.0), 1.0 - 0x1p-4, 1.0 + 0x1.09p-4,
                           std::nextafter(1.0 - 0x1p-4, 0.0), std::nextafter(1.0 + 0x1.09p-4, 2.0), 2.0, 0.5};
  for (std::size_t n = 0; n < 7; ++n) {  // every length mod 4, so every lane position
    std::vector<double> part(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(x.size() - n));
    std::vector<double> y(part.size());
    log_batch(part.data(), y.data(), part.size());
    for (std::size_t i = 0; i < part.size(); ++i) {
      const double expected = std::log(part[i]);
      if (std::isnan(expected))
        EXPECT_TRUE(std::isnan(y[i])) << part[i];
      else
        EXPECT_EQ(std::bit_cast<std::uint64_t>(y[i]), std::bit_cast<std::uint64_t>(expected)) << part[i];
    }
  }
}

}  // namespace
}  // namespace igbench::random
