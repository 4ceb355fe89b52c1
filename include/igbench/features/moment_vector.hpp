#pragma once
// The moment vector of a sample: z = [phi_1(a) .. phi_{P-1}(a), y, mu(a)], dimension P + 1.
// The constant phi_0 = 1 is left out (zero variance; its coefficient is 0 after
// standardisation). Indices: features 0..P-2, y at P-1, mu at P.
#include <vector>

#include <Eigen/Core>

#include "igbench/features/polynomial_features.hpp"
#include "igbench/scm/generate.hpp"

namespace igbench::features {

struct MomentLayout {
  int n_features = 0;  // p = P - 1
  int y() const { return n_features; }
  int mu() const { return n_features + 1; }
  int dim() const { return n_features + 2; }
};

inline MomentLayout moment_layout(const PolynomialFeatures& phi) { return {phi.size() - 1}; }

// Z (n x dim, one sample per row, each component a contiguous column) from a chunk of samples.
// Column-wise: phi_p = phi_parent * a_var over the whole chunk. Cost O(n P).
void fill_moment_vectors(const scm::SampleChunk& chunk, const PolynomialFeatures& phi,
                         Eigen::MatrixXd& Z);

// The origin of the shifted coordinates x = a - c, y' = y - c_y, mu' = mu - c_mu of the power-sum
// accumulation (stats/power_sums.hpp): one per data set.
struct ShiftOrigin {
  std::vector<double> action;  // c (K)
  double y = 0, mu = 0;
};

// The means of a pilot chunk (a data set's first samples): roughly centres the data set. An
// empty chunk gives the origin 0. Cost O(n K).
ShiftOrigin pilot_origin(const scm::SampleChunk& pilot);

// The shifted columns of samples [first, first + count) of `chunk` (ProductClasses column
// order: 1, phi_1(x) .. phi_{P-1}(x), y', mu'), column q at out + q ld, rows count .. ld - 1
// zero in every column (the constant too), so padding adds nothing to any power sum.
// Cost O(ld P).
void fill_shifted_columns(const scm::SampleChunk& chunk, std::size_t first, std::size_t count,
                          const ShiftOrigin& origin, const PolynomialFeatures& phi, double* out,
                          std::size_t ld);

}  // namespace igbench::features
