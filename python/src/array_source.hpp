#pragma once
// A SampleSource over caller-owned arrays (numpy buffers of any strides): the bridge that lets
// users' own data flow through the same streaming moment pass as the CLI's generated data sets.
//
// Sample i is row `offset + i` of A (n x K) and entry `offset + i` of Y. Strides are in bytes and
// may be negative or zero. fill() copies one chunk into the column-major SampleChunk (O(chunk K),
// no copy of the whole data); mu(a), unknown for users' data, is set to 0. Safe to call
// concurrently (it only reads the arrays).
#include <cstddef>
#include <cstdint>

#include "igbench/scm/generate.hpp"

namespace igbench::python {

struct StridedMatrix {
  const char* data = nullptr;
  std::int64_t rows = 0, cols = 0;
  std::ptrdiff_t row_stride = 0, col_stride = 0;  // bytes
  double at(std::int64_t i, std::int64_t k) const {
    return *reinterpret_cast<const double*>(data + i * row_stride + k * col_stride);
  }
};

class ArraySource final : public scm::SampleSource {
 public:
  ArraySource(StridedMatrix A, StridedMatrix Y) : A_(A), Y_(Y) {}
  void fill(std::uint64_t first, std::size_t n, scm::SampleChunk& out) const override;
  std::int64_t size() const { return A_.rows; }

 private:
  StridedMatrix A_, Y_;  // Y: rows x 1
};

// The first row holding a NaN or an infinity in A or Y, or -1. Cost O(n K), no allocation.
std::int64_t first_non_finite_row(const StridedMatrix& A, const StridedMatrix& Y);

}  // namespace igbench::python
