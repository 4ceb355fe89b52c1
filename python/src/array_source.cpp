#include "array_source.hpp"

#include <cmath>
#include <stdexcept>

namespace igbench::python {

void ArraySource::fill(std::uint64_t first, std::size_t n, scm::SampleChunk& out) const {
  const auto begin = static_cast<std::int64_t>(first);
  if (begin + static_cast<std::int64_t>(n) > A_.rows) throw std::out_of_range("ArraySource: samples beyond the data");
  const int K = static_cast<int>(A_.cols);
  out.resize(n, K, false);
  for (int k = 0; k < K; ++k) {
    double* dst = out.action(k);
    for (std::size_t i = 0; i < n; ++i) dst[i] = A_.at(begin + static_cast<std::int64_t>(i), k);
  }
  for (std::size_t i = 0; i < n; ++i) {
    out.Y[i] = Y_.at(begin + static_cast<std::int64_t>(i), 0);
    out.mu[i] = 0.0;
  }
}

std::int64_t first_non_finite_row(const StridedMatrix& A, const StridedMatrix& Y) {
  for (std::int64_t i = 0; i < A.rows; ++i) {
    bool finite = std::isfinite(Y.at(i, 0));
    for (std::int64_t k = 0; k < A.cols; ++k) finite = finite && std::isfinite(A.at(i, k));
    if (!finite) return i;
  }
  return -1;
}

}  // namespace igbench::python
