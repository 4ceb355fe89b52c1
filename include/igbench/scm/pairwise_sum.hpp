#pragma once
// numpy's pairwise summation (np.sum of a contiguous float64 array), bit for bit: sequential
// from 0 below 8 terms; up to 128 terms, 8 running partial sums over the full blocks of 8,
// combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the remaining terms one by one; above
// 128, recursive halving at a multiple of 8. The reference's sums over polynomial coefficients
// and over the K terms of the linear SCM's outcome use it.
#include <cstddef>
#include <span>

namespace igbench::scm {

double numpy_pairwise_sum(std::span<const double> a);

// The same sum over n <= 128 columns of m values, row by row: out[i] = numpy_pairwise_sum of
// (x[0][i], ..., x[n-1][i]), the same additions in the same order as vectorisable loops over
// rows. The columns are overwritten by partial sums. Cost: n - 1 additions per row.
void numpy_pairwise_sum_columns(double* const* x, std::size_t n, std::size_t m, double* out);
inline constexpr std::size_t pairwise_columns_max = 128;

}  // namespace igbench::scm
