// The four noise families: moments of 10^6 draws against their targets.
#include <cmath>

#include <gtest/gtest.h>

#include "igbench/random/distributions.hpp"

namespace igbench::random {
namespace {

struct SampleMoments {
  double mean = 0.0, std = 0.0;
};

SampleMoments sample(const NoiseSpec& spec, std::uint64_t n, std::uint32_t seed) {
  const PhiloxStream s(seed, 0, {StreamRole::test_support, 0, 0});
  long double sum = 0.0L, sum2 = 0.0L;
  for (std::uint64_t b = 0; b < n; ++b) {
    const double x = draw(spec, s.uniforms(b));
    sum += x;
    sum2 += static_cast<long double>(x) * x;
  }
  const long double mean = sum / static_cast<long double>(n);
  return {static_cast<double>(mean),
          static_cast<double>(std::sqrt(sum2 / static_cast<long double>(n) - mean * mean))};
}

// Mean and std within 5 standard errors: SE(mean) = s / sqrt(n); for the sample std,
// SE(s) ~ sqrt((mu4 - s^4) / (4 s^2 n)) (delta method), mu4 the fourth central moment.
void expect_moments(const NoiseSpec& spec, std::uint32_t seed) {
  const std::uint64_t n = 1'000'000;
  const SampleMoments m = sample(spec, n, seed);
  const double mu = expectation(spec), s = standard_deviation(spec);
  const double se_mean = s / std::sqrt(static_cast<double>(n));
  const double se_std = std::sqrt((fourth_central_moment(spec) - s * s * s * s) / (4.0 * s * s * static_cast<double>(n)));
  EXPECT_NEAR(m.mean, mu, 5.0 * se_mean) << family_name(spec.family);
  EXPECT_NEAR(m.std, s, 5.0 * se_std) << family_name(spec.family);
}

TEST(Families, GaussianMoments) { expect_moments({Family::gaussian, 1.5, 0.5}, 1); }
TEST(Families, UniformMoments) { expect_moments({Family::uniform, -2.0, 0.1}, 2); }
TEST(Families, LogisticMoments) { expect_moments({Family::logistic, 0.0, 0.5}, 3); }
TEST(Families, LognormalMoments) {
  expect_moments({Family::lognormal, 0.0, 0.5}, 4);
  expect_moments({Family::lognormal, 0.0, 1.0}, 5);
}

TEST(Families, UniformSupportIsMeanPlusMinusSqrt3Std) {
  const NoiseSpec spec{Family::uniform, 1.0, 2.0};
  EXPECT_NEAR(draw(spec, {1e-12, 0.5}), 1.0 - std::sqrt(3.0) * 2.0, 1e-9);
  EXPECT_NEAR(draw(spec, {1.0 - 1e-12, 0.5}), 1.0 + std::sqrt(3.0) * 2.0, 1e-9);
}

TEST(Families, NamesRoundTrip) {
  for (Family f : {Family::gaussian, Family::uniform, Family::logistic, Family::lognormal})
    EXPECT_EQ(parse_family(family_name(f)), f);
  EXPECT_THROW(parse_family("cauchy"), std::invalid_argument);
}

}  // namespace
}  // namespace igbench::random
