#pragma once
// numpy's pairwise summation (np.sum of a contiguous float64 array), bit for bit: sequential
// from 0 below 8 terms; up to 128 terms, 8 running partial sums over the full blocks of 8,
// combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the remaining terms one by one; above
// 128, recursive halving at a multiple of 8. The reference's sums over polynomial coefficients
// and over the K terms of the linear SCM's outcome use it.
#include <span>

namespace igbench::scm {

double numpy_pairwise_sum(std::span<const double> a);

}  // namespace igbench::scm
