#include "igbench/scm/reference_generate.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "igbench/random/rounded.hpp"
#include "igbench/scm/column_equations.hpp"
#include "igbench/scm/pairwise_sum.hpp"

namespace igbench::scm {

using random::rounded;

void draw_scipy_noise(const random::NoiseSpec& law, random::NumpyRandomState& rng, double* out,
                      std::size_t n) {
  // scipy's rv_continuous.rvs: vals = _rvs(size) (all n standard draws first), then
  // vals * scale + loc (the product rounded before the sum: numpy does not fuse).
  double loc = law.mean;
  double scale = law.param;
  switch (law.family) {
    case random::Family::gaussian:
      for (std::size_t i = 0; i < n; ++i) out[i] = rng.standard_normal();
      break;
    case random::Family::uniform: {
      // a = m - sqrt(3) s, b = m + sqrt(3) s, loc = a, scale = b - a; _rvs = uniform(0, 1).
      const double half_width = rounded(random::sqrt3 * law.param);
      loc = law.mean - half_width;
      scale = (law.mean + half_width) - loc;
      for (std::size_t i = 0; i < n; ++i) out[i] = rng.uniform(0.0, 1.0);
      break;
    }
    case random::Family::logistic:
      scale = random::logistic_scale(law.param);
      for (std::size_t i = 0; i < n; ++i) out[i] = rng.standard_logistic();
      break;
    case random::Family::lognormal:
      throw std::invalid_argument("draw_scipy_noise: the polynomial SCM has no lognormal noise");
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = rounded(out[i] * scale) + loc;
}

InterventionMoments reference_action_moments(const SampleChunk& data) {
  const std::size_t n = data.n;
  const double nd = static_cast<double>(n);
  InterventionMoments m;
  std::vector<double> squares(data.K == 1 ? n : 0);
  for (int k = 0; k < data.K; ++k) {
    const double* a = data.action(k);
    double mean = 0.0;
    if (data.K == 1) {
      mean = numpy_pairwise_sum(std::span<const double>(a, n)) / nd;
    } else {
      double sum = 0.0;
      for (std::size_t i = 0; i < n; ++i) sum += a[i];
      mean = sum / nd;
    }
    // x = A - mean; x = x * x; sum over samples; / n; sqrt.
    double ss = 0.0;
    if (data.K == 1) {
      for (std::size_t i = 0; i < n; ++i) squares[i] = (a[i] - mean) * (a[i] - mean);
      ss = numpy_pairwise_sum(squares);
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        const double d = a[i] - mean;
        ss += rounded(d * d);
      }
    }
    m.mean.push_back(mean);
    m.std.push_back(std::sqrt(ss / nd));
  }
  return m;
}

ReferenceDataGenerator::ReferenceDataGenerator(const Scm& scm, random::NumpyRandomState& rng)
    : scm_(&scm), rng_(&rng) {
  const int K = action_count(scm);
  double sigma_int = 0.0;
  std::visit([&](const auto& s) { sigma_int = s.sigma_int; }, scm);
  moments_.mean.assign(static_cast<std::size_t>(K), 0.0);
  moments_.std.assign(static_cast<std::size_t>(K), sigma_int);
}

void ReferenceDataGenerator::generate(const Regime& regime, std::size_t n, SampleChunk& out) {
  const int K = action_count(*scm_);
  if (regime.kind == RegimeKind::single_intervention && (regime.action < 0 || regime.action >= K))
    throw std::invalid_argument("intervened action out of range");
  out.resize(n, K, false);
  if (const auto* p = std::get_if<PolynomialScm>(scm_))
    generate_polynomial(*p, regime, n, out);
  else
    generate_linear(std::get<LinearScm>(*scm_), regime, n, out);
  // mu(a) (the ground truth; not part of the reference's arithmetic).
  true_mean_columns(*scm_, out);
}

void ReferenceDataGenerator::generate_polynomial(const PolynomialScm& scm, const Regime& regime,
                                                 std::size_t n, SampleChunk& out) {
  const int K = scm.K;
  const auto Ks = static_cast<std::size_t>(K);
  random::NumpyRandomState& rng = *rng_;
  // Intervention values first: do(A_j) n values; joint an n x K matrix, row by row.
  if (regime.kind == RegimeKind::single_intervention) {
    const auto j = static_cast<std::size_t>(regime.action);
    double* aj = out.action(regime.action);
    for (std::size_t i = 0; i < n; ++i) aj[i] = rng.normal(moments_.mean[j], moments_.std[j]);
  } else if (regime.kind == RegimeKind::joint_intervention) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < Ks; ++k)
        out.action(static_cast<int>(k))[i] = rng.normal(moments_.mean[k], moments_.std[k]);
  }
  // Noise columns: W_0..W_{K-1}, V_0..V_{K-1}, U; then two scratch columns.
  work_.resize((2 * Ks + 3) * n);
  double* C = work_.data();
  double* V = C + Ks * n;
  double* U = V + Ks * n;
  double* term = U + n;
  double* fk = term + n;
  for (std::size_t k = 0; k < Ks; ++k) draw_scipy_noise(scm.W[k], rng, C + k * n, n);
  for (std::size_t k = 0; k < Ks; ++k) draw_scipy_noise(scm.V[k], rng, V + k * n, n);
  draw_scipy_noise(scm.U, rng, U, n);

  // A_k = g_k(A_parents(k), C_k, V_k) in k order; the moments are recorded before Y is formed
  // (evaluate_columns: the reference's products and sums, no fused operations).
  polynomial_actions(scm, regime, n, C, V, out, term);
  if (regime.kind == RegimeKind::observational) moments_ = reference_action_moments(out);
  // Y = ((f_0 + f_1) + ...) + U: numpy's axis-0 sum over the K columns is sequential.
  polynomial_outcome(scm, n, C, U, out, term, fk);
}

void ReferenceDataGenerator::generate_linear(const LinearScm& scm, const Regime& regime,
                                             std::size_t n, SampleChunk& out) {
  const int K = scm.K;
  const auto Ks = static_cast<std::size_t>(K);
  random::NumpyRandomState& rng = *rng_;
  // Noise first: W (n x K, row by row, sigma per column), V likewise, U.
  work_.resize((2 * Ks + 2) * n);
  double* C = work_.data();
  double* V = C + Ks * n;
  double* U = V + Ks * n;
  double* terms = U + n;  // scratch column
  auto lognormal_matrix = [&](const std::vector<double>& sigma, double* M) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < Ks; ++k) M[k * n + i] = rng.lognormal(0.0, sigma[k]);
  };
  lognormal_matrix(scm.sigma_W, C);
  lognormal_matrix(scm.sigma_V, V);
  for (std::size_t i = 0; i < n; ++i) U[i] = rng.lognormal(0.0, scm.sigma_U);
  // Then the intervened actions.
  if (regime.kind == RegimeKind::single_intervention) {
    double* aj = out.action(regime.action);
    for (std::size_t i = 0; i < n; ++i) aj[i] = rng.lognormal(0.0, scm.sigma_int);
  } else if (regime.kind == RegimeKind::joint_intervention) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < Ks; ++k) out.action(static_cast<int>(k))[i] = rng.lognormal(0.0, scm.sigma_int);
  }

  // A_k = (gamma_k C_k + A_{<k} . (delta_k M_k)) + V_k: the dot product (BLAS) sequential from 0,
  // every product rounded on its own; Y with numpy's pairwise sum of each row.
  linear_actions(scm, regime, n, C, V, out, terms);
  linear_outcome_columns(scm, n, C, U, out);
}

}  // namespace igbench::scm
