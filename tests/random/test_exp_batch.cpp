// exp_batch against the C library's exp, bit for bit: random doubles over the main path's range
// and beyond, the lognormal draws' arguments, the table's interval edges and the special inputs.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "igbench/random/distributions.hpp"
#include "igbench/random/exp_batch.hpp"
#include "igbench/random/philox_stream.hpp"

namespace igbench::random {
namespace {

void expect_library_exp(const std::vector<double>& x) {
  std::vector<double> y(x.size());
  exp_batch(x.data(), y.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double expected = std::exp(x[i]);
    if (std::isnan(expected))
      ASSERT_TRUE(std::isnan(y[i])) << "x = " << std::hexfloat << x[i];
    else
      ASSERT_EQ(std::bit_cast<std::uint64_t>(y[i]), std::bit_cast<std::uint64_t>(expected))
          << "x = " << std::hexfloat << x[i];
  }
  // in place
  std::vector<double> z = x;
  exp_batch(z.data(), z.data(), z.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    ASSERT_EQ(std::bit_cast<std::uint64_t>(z[i]), std::bit_cast<std::uint64_t>(y[i]));
}

TEST(ExpBatch, RandomDoubles) {
  std::mt19937_64 rng(1);
  std::vector<double> x;
  std::uniform_real_distribution<double> wide(-760.0, 720.0), narrow(-20.0, 20.0);
  for (int i = 0; i < 2'000'000; ++i) x.push_back(wide(rng));
  for (int i = 0; i < 2'000'000; ++i) x.push_back(narrow(rng));
  for (int i = 0; i < 1'000'000; ++i) x.push_back(std::bit_cast<double>(rng()));  // every bit pattern
  expect_library_exp(x);
}

TEST(ExpBatch, TheGeneratorsArguments) {
  // sigma Phi^{-1}(u) (lognormal draws) for stream uniforms and several sigma, and the multiples
  // of ln2 / 128 (the table's intervals) with neighbours
  const PhiloxStream s(4, 5, {StreamRole::test_support, 0, 0});
  std::vector<double> u(1'000'000);
  s.fill_uniforms(0, u.size(), u.data());
  std::vector<double> x;
  for (double sigma : {0.1, 0.5, 1.0, 2.0})
    for (double v : u) x.push_back(sigma * standard_normal_quantile(v));
  for (int k = -128 * 40; k <= 128 * 40; ++k) {
    const double c = static_cast<double>(k) * (std::numbers::ln2 / 128.0);
    for (double d : {-1.0, 1.0}) {
      double v = c;
      for (int step = 0; step < 3; ++step) {
        x.push_back(v);
        v = std::nextafter(v, c + d);
      }
    }
  }
  expect_library_exp(x);
}

TEST(ExpBatch, SpecialInputs) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> x = {0.0, -0.0, 1.0, -1.0, inf, -inf, std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::denorm_min(), 0x1p-54, std::nextafter(0x1p-54, 0.0),
                           -0x1p-54, 512.0, std::nextafter(512.0, 0.0), -512.0, std::nextafter(-512.0, 0.0),
                           709.78, 709.79, -745.1, -745.2, -708.4, -730.0, 1e-300, 2.0, 0.5};
  for (std::size_t n = 0; n < 7; ++n) {  // every length mod 4, so every lane position
    const std::vector<double> part(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(x.size() - n));
    expect_library_exp(part);
  }
}

}  // namespace
}  // namespace igbench::random
