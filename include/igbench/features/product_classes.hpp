#pragma once
// The index tables of the shifted power-sum accumulation (stats/power_sums.hpp).
//
// Columns of a shifted sample: col 0 = 1, col q = phi_q(x) for the features q = 1..P-1 (the
// monomials of degree 1..d of the shifted actions x = a - c, in PolynomialFeatures order), col P
// = y' = y - c_y, col P + 1 = mu' = mu - c_mu. The power sums needed for the moments of these
// columns are S_qr = sum_s col_q col_r for all q <= r; phi_q phi_r is the monomial of degree
// deg q + deg r, so among the feature pairs (including the constant) only one sum per distinct
// monomial of degree 1..2d is needed: C(K + 2d, 2d) - 1 classes (461 at K = 5, d = 3, against
// 1596 pairs; 230229 at K = 20), plus the 2P + 1 pairs that involve y' or mu'.
//
// Each class is computed once as the product of a representative pair (i, j): for a monomial of
// sorted variable indices (v_1 <= .. <= v_e), i = the feature of the first h = max(0, e - d)
// indices (the constant when h = 0: a plain column sum) and j = the feature of the rest.
// Representatives are stored in dense blocks A x B (every pair of a column of A with a column
// of B is one representative, rep = block.rep_begin + ia |B| + ib), so a kernel loads a few
// columns of A into registers and multiplies each loaded column of B with all of them:
// - the constant, y' and mu' times every feature column 1..P-1 (3 x (P - 1));
// - for each action v: A_v = the features of degree 1..d whose largest index is v, B_v = the
//   features of degree d whose smallest index is >= v (every monomial of degree d+1..2d once:
//   its first h indices end at some v, its last d start at >= v);
// - {y', mu'} x {1, y'} and mu' x mu' (the remaining pairs with y' or mu').
// At K = 5, d = 3: 3 x 55, 3 x 35, 6 x 20, 10 x 10, 15 x 4, 21 x 1, 2 x 2, 1 x 1.
//
// The change of basis back to the raw actions: phi_alpha(x + c) = sum_{beta <= alpha}
// binom(alpha, beta) c^{alpha - beta} x^beta (multi-index binomials), i.e.
//   phi_alpha(a) = sum_beta T_{alpha beta} phi_beta(x),  T_{alpha beta} = coef * phi_gamma(c),
// gamma = alpha - beta, coef = prod_k binom(alpha_k, beta_k); beta = 0 is the constant term.
// A feature of degree t has prod_k (alpha_k + 1) <= 2^t terms.
//
// Memory: the pair -> class table holds (P + 2)(P + 3) / 2 ints (6.3 MB at K = 20, d = 3, a
// quarter of one P x P moment matrix); the representatives O(C(K + 2d, 2d)). Build cost
// O(P^2 d) with hashing (about 0.3 s at K = 20); product_classes() caches one table per (K, d).
#include <cstdint>
#include <memory>
#include <vector>

#include "igbench/features/polynomial_features.hpp"

namespace igbench::features {

class ProductClasses {
 public:
  explicit ProductClasses(const PolynomialFeatures& phi);

  int n_actions() const { return K_; }
  int degree() const { return d_; }
  int n_columns() const { return P_ + 2; }  // 1, phi_1..phi_{P-1}, y', mu'

  // A dense block of representatives: columns a x columns b, rep = rep_begin + ia b.size() + ib.
  struct Block {
    int rep_begin = 0;
    std::vector<int> a, b;
  };
  int n_blocks() const { return static_cast<int>(blocks_.size()); }
  const Block& block(int k) const { return blocks_[static_cast<std::size_t>(k)]; }
  int n_reps() const { return static_cast<int>(rep_first_.size()); }
  // The columns (i, j) whose product representative r sums.
  int rep_first(int r) const { return rep_first_[static_cast<std::size_t>(r)]; }
  int rep_second(int r) const { return rep_second_[static_cast<std::size_t>(r)]; }

  // The representative holding sum col_q col_r (any order), or -1 for (0, 0) (the count n).
  int rep_of(int q, int r) const {
    if (q < r) std::swap(q, r);
    return pair_rep_[static_cast<std::size_t>(q) * static_cast<std::size_t>(q + 1) / 2 +
                     static_cast<std::size_t>(r)];
  }

  // The change of basis: feature alpha (1..P-1) = sum over its terms t in
  // [term_begin(alpha), term_begin(alpha + 1)) of term_coef(t) * phi_{term_gamma(t)}(c) *
  // phi_{term_beta(t)}(x); term_beta = 0 is the constant term.
  int term_begin(int alpha) const { return term_begin_[static_cast<std::size_t>(alpha)]; }
  int term_beta(int t) const { return term_beta_[static_cast<std::size_t>(t)]; }
  int term_gamma(int t) const { return term_gamma_[static_cast<std::size_t>(t)]; }
  double term_coef(int t) const { return term_coef_[static_cast<std::size_t>(t)]; }
  int max_terms() const { return max_terms_; }

 private:
  int K_, d_, P_;
  std::vector<Block> blocks_;
  std::vector<int> rep_first_, rep_second_;
  std::vector<std::int32_t> pair_rep_;  // packed lower triangle over the n_columns() columns
  std::vector<int> term_begin_, term_beta_, term_gamma_;
  std::vector<double> term_coef_;
  int max_terms_ = 0;
};

// The tables for (K, d), built once per process and shared (thread-safe).
std::shared_ptr<const ProductClasses> product_classes(const PolynomialFeatures& phi);

}  // namespace igbench::features
