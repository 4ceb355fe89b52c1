#include "igbench/scm/reference_generate.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "igbench/random/rounded.hpp"
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
  // mu(a) per sample (the ground truth; not part of the reference's arithmetic).
  std::vector<double> a(static_cast<std::size_t>(K));
  for (std::size_t i = 0; i < n; ++i) {
    for (int k = 0; k < K; ++k) a[static_cast<std::size_t>(k)] = out.action(k)[i];
    out.mu[i] = true_interventional_mean(*scm_, a.data());
  }
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

  // A_k = g_k(A_parents(k), C_k, V_k) in k order (evaluate_columns: the reference's products and
  // sums, no fused operations).
  std::vector<const double*> inputs;
  for (int k = 0; k < K; ++k) {
    if (regime.intervened(k)) continue;
    const auto ks = static_cast<std::size_t>(k);
    inputs.clear();
    for (int j : scm.parents[ks]) inputs.push_back(out.action(j));
    inputs.push_back(C + ks * n);
    inputs.push_back(V + ks * n);
    scm.g[ks].evaluate_columns(inputs.data(), n, out.action(k), term);
  }
  if (regime.kind == RegimeKind::observational) moments_ = reference_action_moments(out);

  // Y = ((f_0 + f_1) + ...) + U: numpy's axis-0 sum over the K columns is sequential.
  double* y = out.Y.data();
  for (int k = 0; k < K; ++k) {
    const auto ks = static_cast<std::size_t>(k);
    const double* x[2] = {out.action(k), C + ks * n};
    scm.f[ks].evaluate_columns(x, n, k == 0 ? y : fk, term);
    if (k > 0)
      for (std::size_t i = 0; i < n; ++i) y[i] += fk[i];
  }
  for (std::size_t i = 0; i < n; ++i) y[i] += U[i];
}

void ReferenceDataGenerator::generate_linear(const LinearScm& scm, const Regime& regime,
                                             std::size_t n, SampleChunk& out) {
  const int K = scm.K;
  const auto Ks = static_cast<std::size_t>(K);
  random::NumpyRandomState& rng = *rng_;
  // Noise first: W (n x K, row by row, sigma per column), V likewise, U.
  work_.resize((2 * Ks + 1) * n + Ks);
  double* C = work_.data();
  double* V = C + Ks * n;
  double* U = V + Ks * n;
  double* terms = U + n;  // K scratch values
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
  // every product rounded on its own.
  for (int k = 0; k < K; ++k) {
    if (regime.intervened(k)) continue;
    const auto ks = static_cast<std::size_t>(k);
    std::vector<double> w(ks);
    for (std::size_t j = 0; j < ks; ++j)
      w[j] = scm.delta[ks * Ks + j] * static_cast<double>(scm.mask.bits[ks * Ks + j]);
    const double gamma = scm.gamma[ks];
    const double* ck = C + ks * n;
    const double* vk = V + ks * n;
    double* ak = out.action(k);
    for (std::size_t i = 0; i < n; ++i) {
      double dot = 0.0;
      for (std::size_t j = 0; j < ks; ++j) dot += rounded(out.action(static_cast<int>(j))[i] * w[j]);
      ak[i] = (rounded(gamma * ck[i]) + dot) + vk[i];
    }
  }
  // Y = sum_k (alpha_k A_k + beta_k C_k) + U, the sum over k numpy's pairwise sum of a row.
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < Ks; ++k)
      terms[k] = rounded(scm.alpha[k] * out.action(static_cast<int>(k))[i]) + rounded(scm.beta[k] * C[k * n + i]);
    out.Y[i] = numpy_pairwise_sum(std::span<const double>(terms, Ks)) + U[i];
  }
}

}  // namespace igbench::scm
