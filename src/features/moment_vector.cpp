#include "igbench/features/moment_vector.hpp"

namespace igbench::features {

void fill_moment_vectors(const scm::SampleChunk& chunk, const PolynomialFeatures& phi,
                         Eigen::MatrixXd& Z) {
  const MomentLayout layout = moment_layout(phi);
  const auto n = static_cast<Eigen::Index>(chunk.n);
  Z.resize(n, layout.dim());
  // Column p - 1 holds phi_p: degree 1 the actions, higher degrees parent column * action.
  const int K = phi.n_actions();
  for (int k = 0; k < K; ++k) Z.col(k) = Eigen::Map<const Eigen::VectorXd>(chunk.action(k), n);
  for (int p = K + 1; p < phi.size(); ++p) {
    const double* parent = Z.col(phi.parent(p) - 1).data();
    const double* a = chunk.action(phi.multiplier(p));
    double* out = Z.col(p - 1).data();
    for (Eigen::Index i = 0; i < n; ++i) out[i] = parent[i] * a[i];
  }
  Z.col(layout.y()) = Eigen::Map<const Eigen::VectorXd>(chunk.Y.data(), n);
  Z.col(layout.mu()) = Eigen::Map<const Eigen::VectorXd>(chunk.mu.data(), n);
}

}  // namespace igbench::features
