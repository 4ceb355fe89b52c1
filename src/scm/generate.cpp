#include "igbench/scm/generate.hpp"

#include "igbench/scm/column_equations.hpp"

#include <stdexcept>

namespace igbench::scm {

namespace {
// Buffers only grow: a chunk of another size reuses them without zero-filling (the last chunk of
// every part is shorter than the others, and refilling megabytes per chunk cost ~4% of a run).
void at_least(std::vector<double>& v, std::size_t size) {
  if (v.size() < size) v.resize(size);
}
}  // namespace

void SampleChunk::resize(std::size_t n_samples, int n_actions, bool keep_confounders) {
  n = n_samples;
  K = n_actions;
  const std::size_t nk = n_samples * static_cast<std::size_t>(n_actions);
  at_least(A, nk);
  at_least(Y, n_samples);
  at_least(mu, n_samples);
  if (keep_confounders) {
    at_least(C, nk);
    at_least(U, n_samples);
  }
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
        laws[Ks + k] = {random::Family::gaussian, moments_.mean[k], moments_.std[k]};
    }
    laws[2 * Ks] = p->U;
  } else {
    const auto& l = std::get<LinearScm>(*scm_);
    for (std::size_t k = 0; k < Ks; ++k) {
      laws[k] = {random::Family::lognormal, 0.0, l.sigma_W[k]};
      laws[Ks + k] = regime_.intervened(static_cast<int>(k)) ? random::NoiseSpec{random::Family::lognormal, 0.0, l.sigma_int}
                                                               : random::NoiseSpec{random::Family::lognormal, 0.0, l.sigma_V[k]};
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

}  // namespace

void DataSetGenerator::generate(std::uint64_t first, std::size_t n, SampleChunk& out) const {
  const int K = action_count(*scm_);
  const auto Ks = static_cast<std::size_t>(K);
  const auto B = static_cast<std::size_t>(blocks_per_sample(K));
  out.resize(n, K, keep_confounders_);
  // work: the chunk's uniforms (B n), C (K n, unless kept in out.C), V (K n), U (n, unless
  // kept), two scratch columns
  at_least(out.work, (B + 2 * Ks + 3) * n);
  double* u = out.work.data();
  double* C = keep_confounders_ ? out.C.data() : u + B * n;
  double* V = u + B * n + Ks * n;
  double* U = keep_confounders_ ? out.U.data() : V + Ks * n;
  double* term = V + Ks * n + n;
  double* scratch = term + n;
  stream_.fill_uniforms(first * B, n * B, u);
  for (std::size_t k = 0; k < Ks; ++k) {
    draw_column(laws_[k], u, B, k, n, C + k * n);
    // V_k, or the intervened action directly
    draw_column(laws_[Ks + k], u, B, Ks + k, n,
                regime_.intervened(static_cast<int>(k)) ? out.action(static_cast<int>(k)) : V + k * n);
  }
  draw_column(laws_[2 * Ks], u, B, 2 * Ks, n, U);
  if (const auto* p = std::get_if<PolynomialScm>(scm_)) {
    polynomial_actions(*p, regime_, n, C, V, out, term);
    polynomial_outcome(*p, n, C, U, out, term, scratch);
  } else {
    const auto& l = std::get<LinearScm>(*scm_);
    linear_actions(l, regime_, n, C, V, out, term);
    linear_outcome_columns(l, n, C, U, out);
  }
  true_mean_columns(*scm_, out);
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
      (regime_.intervened(static_cast<int>(k)) ? iv : v)[k] = random::draw(laws_[Ks + k], stream_.uniform(base + Ks + k));
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
