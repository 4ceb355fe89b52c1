#pragma once
// The moment vector of a sample: z = [phi_1(a) .. phi_{P-1}(a), y, mu(a)], dimension P + 1.
// The constant phi_0 = 1 is left out (zero variance; its coefficient is 0 after
// standardisation). Indices: features 0..P-2, y at P-1, mu at P.
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

}  // namespace igbench::features
