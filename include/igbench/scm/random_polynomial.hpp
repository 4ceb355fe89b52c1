#pragma once
// Random polynomials of METHOD.md section 2.
//
// Monomials: every exponent tuple (e_0..e_{n-1}), e_i in 0..d, sum <= d, enumerated as a nested
// loop with the LAST input varying fastest. Coefficients c_i = 0.1 z_i (z standard normal),
// normalised so that sum |c_i| = 1 (numpy's pairwise sum). Evaluation is bit-compatible with
// the reference: each term ((c_i * x_0^e_0) * x_1^e_1) * ..., with x^2 = x*x, x^1 = x,
// x^0 = 1, and the terms added to 0 in monomial order.
#include <cstdint>
#include <span>
#include <vector>

namespace igbench::scm {

struct RandomPolynomial {
  int n_inputs = 0;
  int order = 0;
  std::vector<std::uint8_t> exponents;  // n_terms x n_inputs, row-major, monomial order
  std::vector<double> coefficients;     // n_terms

  std::size_t n_terms() const { return coefficients.size(); }
  const std::uint8_t* term_exponents(std::size_t t) const {
    return exponents.data() + t * static_cast<std::size_t>(n_inputs);
  }
  // p(x) for x of length n_inputs. Cost: O(n_terms * n_inputs).
  double operator()(const double* x) const;

  // p on n points given as input columns x[j][0..n): the same products in the same order as
  // operator() (factors x^0 = 1 are skipped: multiplying by 1 is exact), vectorisable over
  // points. `term` is scratch of n doubles. Cost: O(n_terms * n).
  void evaluate_columns(const double* const* x, std::size_t n, double* out, double* term) const;
};

// The exponent tuples of all monomials of total degree <= order over n_inputs inputs, in the
// reference order; row-major n_terms x n_inputs.
std::vector<std::uint8_t> monomial_exponents(int n_inputs, int order);
std::size_t monomial_count(int n_inputs, int order);

// numpy's pairwise summation of |a_i| (np.sum(np.abs(a))): sequential below 8 terms, 8 running
// partial sums up to 128, recursive halving above.
double numpy_pairwise_abs_sum(std::span<const double> a);

// Builds the polynomial from its standard normal draws z (one per monomial):
// c_i = (0.1 * z_i) / sum_j |0.1 * z_j|.
RandomPolynomial make_random_polynomial(int n_inputs, int order, std::span<const double> z,
                                        double scale = 0.1);

}  // namespace igbench::scm
