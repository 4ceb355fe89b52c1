#pragma once
// Polynomial features phi(a) of METHOD.md section 6: all monomials of the K actions of total
// degree 0..d, ordered by degree and, within a degree, as combinations with replacement of the
// variable indices in lexicographic order: 1, a0, .., a_{K-1}, a0^2, a0 a1, .., a0^3, ...
// P = C(K + d, d). Each monomial of degree t >= 2 with indices (i1 <= i2 <= .. <= it) is computed
// as phi(i2..it) * a_{i1}, the same products in the same order as scikit-learn's
// PolynomialFeatures. Cost: P - K - 1 multiplications per sample.
#include <cstddef>
#include <string>
#include <vector>

namespace igbench::features {

class PolynomialFeatures {
 public:
  PolynomialFeatures(int n_actions, int degree);

  int n_actions() const { return K_; }
  int degree() const { return d_; }
  int size() const { return P_; }  // P, including the constant

  // phi (length P) from a (length K).
  void expand(const double* a, double* phi) const;

  // Feature p > K is phi_parent(p) * a_multiplier(p); -1 for the constant and the actions.
  int parent(int p) const { return parent_[static_cast<std::size_t>(p)]; }
  int multiplier(int p) const { return var_[static_cast<std::size_t>(p)]; }

  // The exponent of action k in feature p, and a readable name ("a0^2 a3").
  int exponent(int p, int k) const;
  std::string name(int p) const;
  int feature_degree(int p) const { return degree_of_[static_cast<std::size_t>(p)]; }

 private:
  int K_, d_, P_;
  std::vector<int> parent_;      // phi_p = phi_parent * a_var, for p > K
  std::vector<int> var_;
  std::vector<int> degree_of_;
  std::vector<std::vector<int>> indices_;  // the combination of each feature
};

// C(K + d, d), with overflow checking (throws std::overflow_error beyond 2^31).
int feature_count(int n_actions, int degree);

}  // namespace igbench::features
