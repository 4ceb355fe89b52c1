// The four noise families: moments of 10^6 draws against their targets.
#include <algorithm>
#include <cmath>
#include <vector>

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
    const double x = draw(spec, s.uniform(b));
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
  EXPECT_NEAR(draw(spec, 1e-12), 1.0 - std::sqrt(3.0) * 2.0, 1e-9);
  EXPECT_NEAR(draw(spec, 1.0 - 1e-12), 1.0 + std::sqrt(3.0) * 2.0, 1e-9);
}

TEST(NormalQuantile, MatchesPublishedValues) {
  // Python's statistics.NormalDist().inv_cdf (also AS 241) and textbook quantiles.
  const std::pair<double, double> known[] = {
      {0.975, 1.9599639845400536}, {0.5, 0.0},           {0.1, -1.2815515655446008},
      {1e-10, -6.361340902404056}, {0.9999999, 5.199337582290662}, {0x1p-53, -8.209536151601386},
      {0.3, -0.5244005127080407}};
  for (auto [p, z] : known) EXPECT_NEAR(standard_normal_quantile(p), z, 2e-15 * std::max(1.0, std::abs(z))) << p;
}

TEST(NormalQuantile, InvertsTheNormalCdf) {
  // Phi(z) = erfc(-z / sqrt 2) / 2; relative error of the round trip stays near machine epsilon
  // over the whole range the streams produce, both tails included.
  double worst = 0.0;
  for (double t = 0x1p-53; t < 0.5; t *= 1.37)
    for (double p : {t, 1.0 - t}) {
      const double z = standard_normal_quantile(p);
      const double back = 0.5 * std::erfc(-z / std::sqrt(2.0));
      // relative to the tail probability t, where the information is
      worst = std::max(worst, std::abs(back - p) / t);
    }
  EXPECT_LT(worst, 1e-13);
}

TEST(Families, NamesRoundTrip) {
  for (Family f : {Family::gaussian, Family::uniform, Family::logistic, Family::lognormal})
    EXPECT_EQ(parse_family(family_name(f)), f);
  EXPECT_THROW(parse_family("cauchy"), std::invalid_argument);
}

}  // namespace
}  // namespace igbench::random

namespace igbench::random {
namespace {

// The batched inversion is draw() to the bit, on stream uniforms and on planted ones: the
// extremes 2^-53 and 1 - 2^-53 (the far tails r > 5), the tail boundaries |p - 1/2| = 0.425 and
// r = 5 (p = exp(-25)), p = 1/2 and their neighbours; lengths across the 128-sample batches.
TEST(Families, DrawInPlaceEqualsDraw) {
  const PhiloxStream s(21, 0, {StreamRole::test_support, 0, 0});
  std::vector<double> planted = {0x1p-53, 1.0 - 0x1p-53, 0.075, 0.925, 0.5, std::exp(-25.0), 1.0 - std::exp(-25.0),
                                 1e-11, 1.0 - 1e-11, 1e-300, 0.3, 0.7};
  for (std::size_t i = 0, n = planted.size(); i < n; ++i)
    for (double d : {-1.0, 1.0}) {
      const double v = std::nextafter(planted[i], planted[i] + d);
      if (v > 0.0 && v < 1.0) planted.push_back(v);  // the uniforms' domain (0, 1)
    }
  for (const NoiseSpec& spec : {NoiseSpec{Family::gaussian, 1.5, 0.5}, NoiseSpec{Family::uniform, -1.0, 2.0},
                                NoiseSpec{Family::logistic, 0.25, 0.1}, NoiseSpec{Family::lognormal, 0.0, 0.7}})
    for (std::size_t n : {0u, 1u, 127u, 128u, 129u, 1000u}) {
      std::vector<double> u(n + planted.size());
      s.fill_uniforms(1000 * n, n, u.data());
      std::copy(planted.begin(), planted.end(), u.begin() + static_cast<std::ptrdiff_t>(n));
      std::vector<double> x = u;
      draw_in_place(spec, x.data(), x.size());
      for (std::size_t i = 0; i < u.size(); ++i)
        ASSERT_EQ(x[i], draw(spec, u[i])) << family_name(spec.family) << " u=" << u[i];
    }
}

}  // namespace
}  // namespace igbench::random
