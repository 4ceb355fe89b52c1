#include "igbench/scm/pairwise_sum.hpp"

#include <algorithm>
#include <stdexcept>

namespace igbench::scm {

namespace {
double pairwise(const double* a, std::size_t n) {
  if (n < 8) {
    double res = 0.0;
    for (std::size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise(a, n2) + pairwise(a + n2, n - n2);
}
}  // namespace

double numpy_pairwise_sum(std::span<const double> a) { return pairwise(a.data(), a.size()); }

void numpy_pairwise_sum_columns(double* const* x, std::size_t n, std::size_t m, double* out) {
  if (n > pairwise_columns_max) throw std::invalid_argument("numpy_pairwise_sum_columns: more than 128 columns");
  if (n < 8) {  // res = 0, res += a_k in order
    std::fill_n(out, m, 0.0);
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t i = 0; i < m; ++i) out[i] += x[k][i];
    return;
  }
  // r_j = a_j (column j itself), r_j += a_{b + j} over the full blocks b of 8
  std::size_t b = 8;
  for (; b < n - (n % 8); b += 8)
    for (std::size_t j = 0; j < 8; ++j)
      for (std::size_t i = 0; i < m; ++i) x[j][i] += x[b + j][i];
  for (std::size_t i = 0; i < m; ++i)
    out[i] = ((x[0][i] + x[1][i]) + (x[2][i] + x[3][i])) + ((x[4][i] + x[5][i]) + (x[6][i] + x[7][i]));
  for (; b < n; ++b)
    for (std::size_t i = 0; i < m; ++i) out[i] += x[b][i];
}

}  // namespace igbench::scm
