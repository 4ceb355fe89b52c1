// The index tables of the shifted power sums: one representative per distinct product monomial
// (whose product really is that monomial), and the change of basis phi(x + c) = T phi(x) + const.
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "igbench/features/product_classes.hpp"

namespace igbench::features {
namespace {

double binomial(int n, int k) {
  double c = 1;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return c;
}

TEST(ProductClasses, OneRepresentativePerDistinctMonomialAndEveryPairWithYOrMu) {
  for (int K : {1, 2, 5, 8})
    for (int d : {1, 2, 3}) {
      const PolynomialFeatures phi(K, d);
      const ProductClasses c(phi);
      const int P = phi.size();
      // C(K + 2d, 2d) - 1 monomials of degree 1..2d, plus (y, 0..P) and (mu, 0..P+1).
      EXPECT_EQ(c.n_reps(), static_cast<int>(std::lround(binomial(K + 2 * d, 2 * d))) - 1 + (P + 1) + (P + 2))
          << K << " " << d;
      // Blocks are dense, contiguous and cover every representative once.
      int next_rep = 0;
      for (int k = 0; k < c.n_blocks(); ++k) {
        const ProductClasses::Block& b = c.block(k);
        EXPECT_EQ(b.rep_begin, next_rep);
        for (std::size_t ia = 0; ia < b.a.size(); ++ia)
          for (std::size_t ib = 0; ib < b.b.size(); ++ib, ++next_rep) {
            EXPECT_EQ(c.rep_first(next_rep), b.a[ia]);
            EXPECT_EQ(c.rep_second(next_rep), b.b[ib]);
          }
      }
      EXPECT_EQ(next_rep, c.n_reps());
      // Every feature pair maps to a representative of the same product monomial.
      auto exponent = [&](int q, int k) { return q < P ? phi.exponent(q, k) : 0; };
      EXPECT_EQ(c.rep_of(0, 0), -1);
      for (int q = 0; q < c.n_columns(); ++q)
        for (int r = 0; r <= q; ++r) {
          if (q == 0) continue;
          const int rep = c.rep_of(q, r);
          ASSERT_GE(rep, 0);
          ASSERT_EQ(rep, c.rep_of(r, q));
          const int i = c.rep_first(rep), j = c.rep_second(rep);
          if (q >= P) {  // y or mu: the pair itself
            EXPECT_TRUE((i == q && j == r) || (i == r && j == q));
            continue;
          }
          ASSERT_LT(i, P);
          ASSERT_LT(j, P);
          for (int k = 0; k < K; ++k) EXPECT_EQ(exponent(q, k) + exponent(r, k), exponent(i, k) + exponent(j, k));
        }
    }
}

TEST(ProductClasses, TheChangeOfBasisExpandsPhiOfXPlusC) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  for (int K : {1, 3, 5})
    for (int d : {1, 2, 3}) {
      const PolynomialFeatures phi(K, d);
      const ProductClasses c(phi);
      const int P = phi.size();
      EXPECT_LE(c.max_terms(), 1 << d);
      std::vector<double> a(static_cast<std::size_t>(K)), x(a.size()), shift(a.size());
      for (int k = 0; k < K; ++k) {
        x[static_cast<std::size_t>(k)] = normal(rng);
        shift[static_cast<std::size_t>(k)] = 2 * normal(rng);
        a[static_cast<std::size_t>(k)] = x[static_cast<std::size_t>(k)] + shift[static_cast<std::size_t>(k)];
      }
      std::vector<double> phi_a(static_cast<std::size_t>(P)), phi_x(phi_a.size()), phi_c(phi_a.size());
      phi.expand(a.data(), phi_a.data());
      phi.expand(x.data(), phi_x.data());
      phi.expand(shift.data(), phi_c.data());
      for (int alpha = 1; alpha < P; ++alpha) {
        double v = 0, scale = 0;
        for (int t = c.term_begin(alpha); t < c.term_begin(alpha + 1); ++t) {
          const double term = c.term_coef(t) * phi_c[static_cast<std::size_t>(c.term_gamma(t))] *
                              phi_x[static_cast<std::size_t>(c.term_beta(t))];
          v += term;
          scale += std::abs(term);
        }
        EXPECT_NEAR(v, phi_a[static_cast<std::size_t>(alpha)], 1e-14 * scale) << phi.name(alpha);
      }
    }
}

TEST(ProductClasses, TablesStayPolynomialInKAtK20) {
  // K = 20, d = 3: C(26, 6) - 1 = 230229 monomials of degree 1..6, p = 1770; the pair table is O(P^2) ints.
  const PolynomialFeatures phi(20, 3);
  const auto c = product_classes(phi);
  EXPECT_EQ(c->n_reps(), 230229 + (phi.size() + 1) + (phi.size() + 2));
  EXPECT_EQ(product_classes(phi).get(), c.get());  // cached
}

}  // namespace
}  // namespace igbench::features
