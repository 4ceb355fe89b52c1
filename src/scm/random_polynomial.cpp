#include "igbench/scm/random_polynomial.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

#include "igbench/scm/pairwise_sum.hpp"

namespace igbench::scm {

namespace {

// x^e as the reference evaluates it: x**0 = 1, x**1 = x, x**2 = x*x, higher by repeated product.
double reference_power(double x, int e) {
  switch (e) {
    case 0: return 1.0;
    case 1: return x;
    case 2: return x * x;
    default: {
      double r = x * x;
      for (int i = 2; i < e; ++i) r *= x;
      return r;
    }
  }
}

void enumerate(int n_inputs, int order, int pos, int used, std::vector<std::uint8_t>& tuple,
               std::vector<std::uint8_t>& out) {
  if (pos == n_inputs) {
    out.insert(out.end(), tuple.begin(), tuple.end());
    return;
  }
  for (int e = 0; e <= order - used; ++e) {
    tuple[static_cast<std::size_t>(pos)] = static_cast<std::uint8_t>(e);
    enumerate(n_inputs, order, pos + 1, used + e, tuple, out);
  }
}

}  // namespace

double RandomPolynomial::operator()(const double* x) const {
  double result = 0.0;
  for (std::size_t t = 0; t < n_terms(); ++t) {
    const std::uint8_t* e = term_exponents(t);
    double term = coefficients[t];
    for (int j = 0; j < n_inputs; ++j) term *= reference_power(x[j], e[j]);
    result += term;
  }
  return result;
}

namespace {
// Column kernels for one factor x^e of a term (e >= 1); the exponent branch is outside the loop
// so each loop vectorises. x^2 = x * x as the reference.
template <class Op>
void for_power(const double* x, int e, std::size_t n, Op op) {
  if (e == 1) {
    for (std::size_t i = 0; i < n; ++i) op(i, x[i]);
  } else if (e == 2) {
    for (std::size_t i = 0; i < n; ++i) op(i, x[i] * x[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) op(i, reference_power(x[i], e));
  }
}
}  // namespace

void RandomPolynomial::evaluate_columns(const double* const* x, std::size_t n, double* out,
                                        double* term) const {
  for (std::size_t i = 0; i < n; ++i) out[i] = 0.0;
  std::vector<std::pair<int, int>> factors;  // (input, exponent > 0) of a term
  for (std::size_t t = 0; t < n_terms(); ++t) {
    const std::uint8_t* e = term_exponents(t);
    const double c = coefficients[t];
    factors.clear();
    for (int j = 0; j < n_inputs; ++j)
      if (e[j] > 0) factors.emplace_back(j, e[j]);
    // term = ((c * x_a^e_a) * x_b^e_b) * ...; result += term. Factors x^0 = 1 are skipped (the
    // product by 1 is exact); the first factor is fused with the initial c and the last with the
    // accumulation, with the same roundings in the same order (no fused multiply-add).
    if (factors.empty()) {
      for (std::size_t i = 0; i < n; ++i) out[i] += c;
      continue;
    }
    const auto [j0, e0] = factors.front();
    if (factors.size() == 1) {
      for_power(x[j0], e0, n, [&](std::size_t i, double p) { out[i] += c * p; });
      continue;
    }
    for_power(x[j0], e0, n, [&](std::size_t i, double p) { term[i] = c * p; });
    for (std::size_t f = 1; f + 1 < factors.size(); ++f)
      for_power(x[factors[f].first], factors[f].second, n, [&](std::size_t i, double p) { term[i] *= p; });
    const auto [jl, el] = factors.back();
    for_power(x[jl], el, n, [&](std::size_t i, double p) { out[i] += term[i] * p; });
  }
}

std::vector<std::uint8_t> monomial_exponents(int n_inputs, int order) {
  if (n_inputs < 1 || order < 0) throw std::invalid_argument("monomial_exponents: bad shape");
  std::vector<std::uint8_t> out;
  std::vector<std::uint8_t> tuple(static_cast<std::size_t>(n_inputs), 0);
  enumerate(n_inputs, order, 0, 0, tuple, out);
  return out;
}

std::size_t monomial_count(int n_inputs, int order) {
  // C(n + d, d)
  std::size_t c = 1;
  for (int i = 1; i <= order; ++i)
    c = c * static_cast<std::size_t>(n_inputs + i) / static_cast<std::size_t>(i);
  return c;
}

double numpy_pairwise_abs_sum(std::span<const double> a) {
  std::vector<double> abs_a(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) abs_a[i] = std::abs(a[i]);
  return numpy_pairwise_sum(abs_a);
}

RandomPolynomial make_random_polynomial(int n_inputs, int order, std::span<const double> z,
                                        double scale) {
  RandomPolynomial p;
  p.n_inputs = n_inputs;
  p.order = order;
  p.exponents = monomial_exponents(n_inputs, order);
  const std::size_t n_terms = p.exponents.size() / static_cast<std::size_t>(n_inputs);
  if (z.size() != n_terms) throw std::invalid_argument("make_random_polynomial: wrong number of draws");
  p.coefficients.resize(n_terms);
  for (std::size_t i = 0; i < n_terms; ++i) p.coefficients[i] = scale * z[i];
  const double norm = numpy_pairwise_abs_sum(p.coefficients);
  for (double& c : p.coefficients) c = c / norm;
  return p;
}

}  // namespace igbench::scm
