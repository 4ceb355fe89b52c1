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

namespace igbench::features {

ShiftOrigin pilot_origin(const scm::SampleChunk& pilot) {
  ShiftOrigin o;
  o.action.assign(static_cast<std::size_t>(pilot.K), 0.0);
  if (pilot.n == 0) return o;
  const double inv_n = 1.0 / static_cast<double>(pilot.n);
  auto mean = [&](const double* v) {
    double s = 0;
    for (std::size_t i = 0; i < pilot.n; ++i) s += v[i];
    return s * inv_n;
  };
  for (int k = 0; k < pilot.K; ++k) o.action[static_cast<std::size_t>(k)] = mean(pilot.action(k));
  o.y = mean(pilot.Y.data());
  o.mu = mean(pilot.mu.data());
  return o;
}

void fill_shifted_columns(const scm::SampleChunk& chunk, std::size_t first, std::size_t count,
                          const ShiftOrigin& origin, const PolynomialFeatures& phi, double* out,
                          std::size_t ld) {
  const int K = phi.n_actions();
  const int P = phi.size();
  auto col = [&](int q) { return out + static_cast<std::size_t>(q) * ld; };
  auto shifted = [&](double* dst, const double* src, double c) {
    for (std::size_t i = 0; i < count; ++i) dst[i] = src[first + i] - c;
    for (std::size_t i = count; i < ld; ++i) dst[i] = 0.0;
  };
  for (std::size_t i = 0; i < ld; ++i) col(0)[i] = i < count ? 1.0 : 0.0;
  for (int k = 0; k < K; ++k) shifted(col(k + 1), chunk.action(k), origin.action[static_cast<std::size_t>(k)]);
  // Higher degrees: parent column times an action column (padding stays 0).
  for (int q = K + 1; q < P; ++q) {
    const double* parent = col(phi.parent(q));
    const double* a = col(phi.multiplier(q) + 1);
    double* dst = col(q);
    for (std::size_t i = 0; i < ld; ++i) dst[i] = parent[i] * a[i];
  }
  shifted(col(P), chunk.Y.data(), origin.y);
  shifted(col(P + 1), chunk.mu.data(), origin.mu);
}

}  // namespace igbench::features
