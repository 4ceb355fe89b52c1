// The power-sum twin of Moments::add_batch: the product kernel against plain double sums, the
// binary-counter addition, and the conversion to raw-coordinate moments on small hand-made data.
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "igbench/stats/power_sums.hpp"

namespace igbench::stats {
namespace {

// A chunk of n samples with K actions a ~ offset + N(0, 1), y = sum a + N(0, 1), mu = sum a.
scm::SampleChunk random_chunk(std::size_t n, int K, double offset, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  scm::SampleChunk c;
  c.resize(n, K, false);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (int k = 0; k < K; ++k) {
      c.action(k)[i] = offset + normal(rng);
      s += c.action(k)[i];
    }
    c.mu[i] = s;
    c.Y[i] = s + normal(rng);
  }
  return c;
}

TEST(PowerSums, TheKernelSumsEveryRepresentativeProduct) {
  for (int K : {1, 3, 5})
    for (std::size_t n : {1u, 15u, 16u, 17u, 300u, 2048u}) {
      const features::PolynomialFeatures phi(K, 3);
      const features::ProductClasses classes(phi);
      const scm::SampleChunk chunk = random_chunk(n, K, 0.5, n + static_cast<std::size_t>(K));
      features::ShiftOrigin origin{std::vector<double>(static_cast<std::size_t>(K), 0.25), 0.5, -0.5};
      PowerSums got;
      PowerSumScratch scratch;
      chunk_power_sums(chunk, origin, phi, classes, got, scratch);
      ASSERT_EQ(got.n, static_cast<std::int64_t>(n));
      // Plain sums of the same products, from all shifted columns at once.
      const std::size_t cols = static_cast<std::size_t>(classes.n_columns());
      std::vector<double> z(cols * n);
      features::fill_shifted_columns(chunk, 0, n, origin, phi, z.data(), n);
      for (int r = 0; r < classes.n_reps(); ++r) {
        const double* a = z.data() + static_cast<std::size_t>(classes.rep_first(r)) * n;
        const double* b = z.data() + static_cast<std::size_t>(classes.rep_second(r)) * n;
        double s = 0, abs_s = 0;
        for (std::size_t i = 0; i < n; ++i) {
          s += a[i] * b[i];
          abs_s += std::abs(a[i] * b[i]);
        }
        EXPECT_NEAR(got.sums[static_cast<std::size_t>(r)], s, 1e-13 * abs_s + 1e-300) << K << " " << n << " rep " << r;
      }
    }
}

TEST(PowerSums, TheMergerAddsInABinaryCounterTree) {
  // Items 1..5 pushed: ((1 + 2) + (3 + 4)) + 5.
  PowerSumMerger m;
  const double v[] = {1e16, 1.0, -1e16, 1.0, 3.0};
  for (double x : v) m.push(PowerSums{1, {x}});
  const PowerSums total = m.take();
  EXPECT_EQ(total.n, 5);
  EXPECT_EQ(total.sums[0], ((1e16 + 1.0) + (-1e16 + 1.0)) + 3.0);
  EXPECT_EQ(PowerSumMerger().take().n, 0);
}

TEST(PowerSums, ConvertedMomentsMatchTheCentredSyrkOnSmallData) {
  for (int K : {1, 2, 4})
    for (int d : {1, 2, 3}) {
      const features::PolynomialFeatures phi(K, d);
      const features::ProductClasses classes(phi);
      const scm::SampleChunk chunk = random_chunk(1000, K, 2.0, 7);
      scm::SampleChunk pilot = random_chunk(64, K, 2.0, 8);
      const features::ShiftOrigin origin = features::pilot_origin(pilot);
      PowerSums sums;
      PowerSumScratch scratch;
      chunk_power_sums(chunk, origin, phi, classes, sums, scratch);
      const ShiftedMoments got = shifted_to_moments(sums, classes, origin, phi);
      EXPECT_TRUE(got.accepted()) << got.amplification;
      Eigen::MatrixXd Z;
      features::fill_moment_vectors(chunk, phi, Z);
      Moments plain(features::moment_layout(phi).dim());
      plain.add_batch(Z);
      ASSERT_EQ(got.moments.count(), plain.count());
      const double gamma = error_gamma(1000, 2048, classes.max_terms());
      for (int i = 0; i < plain.dim(); ++i) {
        EXPECT_NEAR(got.moments.mean()(i), plain.mean()(i), 1e-12 * (1 + std::abs(plain.mean()(i)))) << i;
        for (int j = 0; j < plain.dim(); ++j)
          EXPECT_LE(std::abs(got.moments.comoment()(i, j) - plain.comoment()(i, j)), 2 * gamma * got.t(i) * got.t(j))
              << K << " " << d << " (" << i << ", " << j << ")";
      }
      EXPECT_EQ(got.moments.comoment(), got.moments.comoment().transpose());
    }
}

TEST(PowerSums, ASingleSampleHasNoSpreadAndIsRejected) {
  // One sample: M' = S - S S / n is rounding noise where the exact value is 0; the plain path
  // (which gives exact zeros) takes over.
  const features::PolynomialFeatures phi(2, 2);
  const features::ProductClasses classes(phi);
  const scm::SampleChunk chunk = random_chunk(1, 2, 0.7, 1);
  const features::ShiftOrigin origin{{0.1, 0.2}, 0.0, 0.0};
  PowerSums sums;
  PowerSumScratch scratch;
  chunk_power_sums(chunk, origin, phi, classes, sums, scratch);
  const ShiftedMoments got = shifted_to_moments(sums, classes, origin, phi);
  const bool exact = got.moments.comoment().isZero(0.0);
  EXPECT_TRUE(exact || !got.accepted()) << got.amplification;
}

}  // namespace
}  // namespace igbench::stats
