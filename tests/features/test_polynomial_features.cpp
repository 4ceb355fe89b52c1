// Polynomial features in scikit-learn's order, and the moment vector built from them.
#include <gtest/gtest.h>

#include "igbench/features/moment_vector.hpp"
#include "igbench/features/polynomial_features.hpp"

namespace igbench::features {
namespace {

TEST(PolynomialFeatures, CountIsBinomial) {
  EXPECT_EQ(PolynomialFeatures(5, 3).size(), 56);  // C(8, 3)
  EXPECT_EQ(PolynomialFeatures(3, 3).size(), 20);
  EXPECT_EQ(PolynomialFeatures(1, 1).size(), 2);
  EXPECT_EQ(PolynomialFeatures(10, 3).size(), 286);
  EXPECT_EQ(feature_count(2, 4), 15);
}

TEST(PolynomialFeatures, OrderIsByDegreeThenLexicographicCombinations) {
  // scikit-learn's get_feature_names_out for 3 inputs, degree 3
  const std::vector<std::string> expected = {
      "1", "a0", "a1", "a2", "a0^2", "a0 a1", "a0 a2", "a1^2", "a1 a2", "a2^2",
      "a0^3", "a0^2 a1", "a0^2 a2", "a0 a1^2", "a0 a1 a2", "a0 a2^2", "a1^3", "a1^2 a2", "a1 a2^2", "a2^3"};
  const PolynomialFeatures phi(3, 3);
  ASSERT_EQ(phi.size(), 20);
  for (int p = 0; p < 20; ++p) EXPECT_EQ(phi.name(p), expected[static_cast<std::size_t>(p)]);
}

TEST(PolynomialFeatures, ValuesAreTheMonomials) {
  const PolynomialFeatures phi(3, 3);
  const double a[3] = {2.0, -3.0, 0.5};
  std::vector<double> f(20);
  phi.expand(a, f.data());
  for (int p = 0; p < 20; ++p) {
    double expected = 1.0;
    for (int k = 0; k < 3; ++k)
      for (int e = 0; e < phi.exponent(p, k); ++e) expected *= a[k];
    EXPECT_DOUBLE_EQ(f[static_cast<std::size_t>(p)], expected) << phi.name(p);
  }
}

TEST(MomentVector, ColumnsAreFeaturesThenYThenMu) {
  scm::SampleChunk c;
  c.resize(2, 2, false);
  c.action(0)[0] = 1.0; c.action(1)[0] = 2.0;
  c.action(0)[1] = -1.0; c.action(1)[1] = 3.0;
  c.Y = {10.0, 20.0};
  c.mu = {11.0, 21.0};
  const PolynomialFeatures phi(2, 2);  // 1, a0, a1, a0^2, a0 a1, a1^2
  Eigen::MatrixXd Z;
  fill_moment_vectors(c, phi, Z);
  ASSERT_EQ(Z.cols(), 7);  // 5 features + y + mu
  const std::vector<double> row0 = {1, 2, 1, 2, 4, 10, 11};
  const std::vector<double> row1 = {-1, 3, 1, -3, 9, 20, 21};
  for (int j = 0; j < 7; ++j) {
    EXPECT_EQ(Z(0, j), row0[static_cast<std::size_t>(j)]);
    EXPECT_EQ(Z(1, j), row1[static_cast<std::size_t>(j)]);
  }
}

}  // namespace
}  // namespace igbench::features
