#include "igbench/scm/generate.hpp"

#include <stdexcept>

namespace igbench::scm {

void SampleChunk::resize(std::size_t n_samples, int n_actions, bool keep_confounders) {
  n = n_samples;
  K = n_actions;
  const std::size_t nk = n_samples * static_cast<std::size_t>(n_actions);
  A.resize(nk);
  Y.resize(n_samples);
  mu.resize(n_samples);
  C.resize(keep_confounders ? nk : 0);
  U.resize(keep_confounders ? n_samples : 0);
}

DataSetGenerator::DataSetGenerator(const Scm& scm, Regime regime, InterventionMoments moments,
                                   random::PhiloxStream stream, bool keep_confounders)
    : scm_(&scm), regime_(regime), moments_(std::move(moments)), stream_(stream),
      keep_confounders_(keep_confounders) {
  const int K = action_count(scm);
  if (std::holds_alternative<PolynomialScm>(scm) && regime.kind != RegimeKind::observational &&
      (moments_.mean.size() != static_cast<std::size_t>(K) ||
       moments_.std.size() != static_cast<std::size_t>(K)))
    throw std::invalid_argument("interventions need the observational action moments");
  if (regime.kind == RegimeKind::single_intervention && (regime.action < 0 || regime.action >= K))
    throw std::invalid_argument("intervened action out of range");
  laws_ = variable_laws();
}

std::vector<random::NoiseSpec> DataSetGenerator::variable_laws() const {
  const int K = action_count(*scm_);
  std::vector<random::NoiseSpec> laws(blocks_per_sample(K));
  const auto Ks = static_cast<std::size_t>(K);
  if (const auto* p = std::get_if<PolynomialScm>(scm_)) {
    for (std::size_t k = 0; k < Ks; ++k) {
      laws[k] = p->W[k];
      laws[Ks + k] = p->V[k];
      if (regime_.intervened(static_cast<int>(k)))  // A_k ~ Normal(mu_k, sigma_k)
        laws[2 * Ks + 1 + k] = {random::Family::gaussian, moments_.mean[k], moments_.std[k]};
    }
    laws[2 * Ks] = p->U;
  } else {
    const auto& l = std::get<LinearScm>(*scm_);
    for (std::size_t k = 0; k < Ks; ++k) {
      laws[k] = {random::Family::lognormal, 0.0, l.sigma_W[k]};
      laws[Ks + k] = {random::Family::lognormal, 0.0, l.sigma_V[k]};
      laws[2 * Ks + 1 + k] = {random::Family::lognormal, 0.0, l.sigma_int};
    }
    laws[2 * Ks] = {random::Family::lognormal, 0.0, l.sigma_U};
  }
  return laws;
}

namespace {

// Column of variable v for the n samples of a chunk, from the chunk's uniforms u (sample i's
// uniforms at u[i * B .. i * B + B - 1]). The family switch is outside the loop.
void draw_column(const random::NoiseSpec& law, const double* u, std::size_t B, std::size_t v,
                 std::size_t n, double* out) {
  const double* x = u + v;
  switch (law.family) {
    case random::Family::gaussian:
      // the central branch for every sample (vectorised), then the ~15% in the tails
      for (std::size_t i = 0; i < n; ++i) out[i] = law.mean + law.param * random::normal_quantile_central(x[i * B] - 0.5);
      for (std::size_t i = 0; i < n; ++i)
        if (!random::normal_quantile_is_central(x[i * B]))
          out[i] = law.mean + law.param * random::normal_quantile_tail(x[i * B]);
      break;
    case random::Family::uniform:
      for (std::size_t i = 0; i < n; ++i) out[i] = law.mean + law.param * random::sqrt3 * (2.0 * x[i * B] - 1.0);
      break;
    case random::Family::logistic: {
      const double scale = random::logistic_scale(law.param);
      for (std::size_t i = 0; i < n; ++i) out[i] = law.mean + scale * std::log(x[i * B] / (1.0 - x[i * B]));
      break;
    }
    case random::Family::lognormal:
      for (std::size_t i = 0; i < n; ++i) out[i] = law.mean + law.param * random::normal_quantile_central(x[i * B] - 0.5);
      for (std::size_t i = 0; i < n; ++i)
        out[i] = std::exp(random::normal_quantile_is_central(x[i * B])
                              ? out[i]
                              : law.mean + law.param * random::normal_quantile_tail(x[i * B]));
      break;
  }
}

// The polynomial SCM's structural equations, column by column.
void equations_columns(const PolynomialScm& scm, const Regime& regime, std::size_t n,
                       const double* C, const double* V, const double* U, const double* I,
                       SampleChunk& out, double* term, std::vector<const double*>& inputs) {
  for (int k = 0; k < scm.K; ++k) {
    const auto ks = static_cast<std::size_t>(k);
    double* ak = out.action(k);
    if (regime.intervened(k)) {
      std::copy(I + ks * n, I + (ks + 1) * n, ak);
      continue;
    }
    inputs.clear();  // g_k input: [A_parents (ascending), C_k, V_k]
    for (int j : scm.parents[ks]) inputs.push_back(out.action(j));
    inputs.push_back(C + ks * n);
    inputs.push_back(V + ks * n);
    scm.g[ks].evaluate_columns(inputs.data(), n, ak, term);
  }
  // Y = sum_k f_k(A_k, C_k) + U, the f_k added in k order.
  double* y = out.Y.data();
  double* fk = out.mu.data();  // scratch until mu is computed below
  for (int k = 0; k < scm.K; ++k) {
    const auto ks = static_cast<std::size_t>(k);
    const double* x[2] = {out.action(k), C + ks * n};
    scm.f[ks].evaluate_columns(x, n, k == 0 ? y : fk, term);
    if (k > 0)
      for (std::size_t i = 0; i < n; ++i) y[i] += fk[i];
  }
  for (std::size_t i = 0; i < n; ++i) y[i] += U[i];
  // mu(a) = sum_k (q0 + a (q1 + a q2)) + E[U]
  double* mu = out.mu.data();
  for (std::size_t i = 0; i < n; ++i) mu[i] = 0.0;
  for (int k = 0; k < scm.K; ++k) {
    const auto& q = scm.f_mean[static_cast<std::size_t>(k)];
    const double* a = out.action(k);
    for (std::size_t i = 0; i < n; ++i) mu[i] += q[0] + a[i] * (q[1] + a[i] * q[2]);
  }
  const double eu = random::expectation(scm.U);
  for (std::size_t i = 0; i < n; ++i) mu[i] += eu;
}

void equations_columns(const LinearScm& scm, const Regime& regime, std::size_t n, const double* C,
                       const double* V, const double* U, const double* I, SampleChunk& out,
                       double* term, std::vector<const double*>&) {
  const int K = scm.K;
  for (int k = 0; k < K; ++k) {
    const auto ks = static_cast<std::size_t>(k);
    double* ak = out.action(k);
    if (regime.intervened(k)) {
      std::copy(I + ks * n, I + (ks + 1) * n, ak);
      continue;
    }
    // A_k = (gamma_k C_k + sum_{j<k} A_j (delta_kj M_kj)) + V_k, the sum over j sequential
    double* parent_sum = term;
    for (std::size_t i = 0; i < n; ++i) parent_sum[i] = 0.0;
    for (int j = 0; j < k; ++j) {
      const auto kj = static_cast<std::size_t>(k * K + j);
      const double w = scm.delta[kj] * static_cast<double>(scm.mask.bits[kj]);
      const double* aj = out.action(j);
      for (std::size_t i = 0; i < n; ++i) parent_sum[i] += aj[i] * w;
    }
    const double g = scm.gamma[ks];
    const double* ck = C + ks * n;
    const double* vk = V + ks * n;
    for (std::size_t i = 0; i < n; ++i) ak[i] = (g * ck[i] + parent_sum[i]) + vk[i];
  }
  // Y and mu per sample (numpy's pairwise order over k lives in structural_equations).
  std::vector<double> a(static_cast<std::size_t>(K)), c(static_cast<std::size_t>(K));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < static_cast<std::size_t>(K); ++k) {
      a[k] = out.action(static_cast<int>(k))[i];
      c[k] = C[k * n + i];
    }
    out.Y[i] = linear_outcome(scm, a.data(), c.data(), U[i]);
    out.mu[i] = true_interventional_mean(scm, a.data());
  }
}

}  // namespace

void DataSetGenerator::generate(std::uint64_t first, std::size_t n, SampleChunk& out) const {
  const int K = action_count(*scm_);
  const auto Ks = static_cast<std::size_t>(K);
  const auto B = static_cast<std::size_t>(blocks_per_sample(K));
  out.resize(n, K, keep_confounders_);
  // work: the chunk's uniforms (B n), C (K n, unless kept in out.C), V (K n), U (n, unless kept),
  // interventions (K n), term scratch (n)
  out.work.resize((B + 3 * Ks + 2) * n);
  double* u = out.work.data();
  double* C = keep_confounders_ ? out.C.data() : u + B * n;
  double* V = u + B * n + Ks * n;
  double* U = keep_confounders_ ? out.U.data() : V + Ks * n;
  double* I = V + Ks * n + n;
  double* term = I + Ks * n;
  stream_.fill_uniforms(first * B, n * B, u);
  for (std::size_t k = 0; k < Ks; ++k) {
    draw_column(laws_[k], u, B, k, n, C + k * n);
    if (regime_.intervened(static_cast<int>(k)))
      draw_column(laws_[2 * Ks + 1 + k], u, B, 2 * Ks + 1 + k, n, I + k * n);
    else
      draw_column(laws_[Ks + k], u, B, Ks + k, n, V + k * n);
  }
  draw_column(laws_[2 * Ks], u, B, 2 * Ks, n, U);
  std::vector<const double*> inputs;
  std::visit([&](const auto& scm) { equations_columns(scm, regime_, n, C, V, U, I, out, term, inputs); },
             *scm_);
}

void DataSetGenerator::generate_per_sample(std::uint64_t first, std::size_t n, SampleChunk& out) const {
  const int K = action_count(*scm_);
  const auto Ks = static_cast<std::size_t>(K);
  const std::uint64_t B = blocks_per_sample(K);
  out.resize(n, K, keep_confounders_);
  std::vector<double> c(Ks), v(Ks, 0.0), iv(Ks, 0.0), a(Ks), scratch(Ks + 2);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t base = (first + i) * B;  // index of sample i's first uniform
    for (std::size_t k = 0; k < Ks; ++k) {
      c[k] = random::draw(laws_[k], stream_.uniform(base + k));
      if (regime_.intervened(static_cast<int>(k)))
        iv[k] = random::draw(laws_[2 * Ks + 1 + k], stream_.uniform(base + 2 * Ks + 1 + k));
      else
        v[k] = random::draw(laws_[Ks + k], stream_.uniform(base + Ks + k));
    }
    const double u = random::draw(laws_[2 * Ks], stream_.uniform(base + 2 * Ks));
    double y = 0.0;
    if (const auto* p = std::get_if<PolynomialScm>(scm_))
      y = structural_equations(*p, regime_, c.data(), v.data(), u, iv.data(), a.data(), scratch.data());
    else
      y = structural_equations(std::get<LinearScm>(*scm_), regime_, c.data(), v.data(), u, iv.data(), a.data());
    for (std::size_t k = 0; k < Ks; ++k) {
      out.action(static_cast<int>(k))[i] = a[k];
      if (keep_confounders_) out.C[k * n + i] = c[k];
    }
    out.Y[i] = y;
    out.mu[i] = true_interventional_mean(*scm_, a.data());
    if (keep_confounders_) out.U[i] = u;
  }
}

}  // namespace igbench::scm
