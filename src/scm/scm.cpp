#include "igbench/scm/scm.hpp"

#include <stdexcept>
#include <string>

#include "igbench/scm/pairwise_sum.hpp"

namespace igbench::scm {

std::string_view scm_type_name(ScmType t) { return t == ScmType::linear ? "linear" : "polynomial"; }

ScmType parse_scm_type(std::string_view name) {
  if (name == "polynomial") return ScmType::polynomial;
  if (name == "linear") return ScmType::linear;
  throw std::invalid_argument("unknown scm_type '" + std::string(name) +
                              "' (choose polynomial or linear)");
}

std::vector<int> EdgeMask::parents(int k) const {
  std::vector<int> p;
  for (int j = 0; j < k; ++j)
    if (edge(k, j)) p.push_back(j);
  return p;
}

int action_count(const Scm& scm) {
  return std::visit([](const auto& s) { return s.K; }, scm);
}

ScmType scm_type(const Scm& scm) {
  return std::holds_alternative<LinearScm>(scm) ? ScmType::linear : ScmType::polynomial;
}

void finalise(PolynomialScm& scm) {
  scm.parents.clear();
  scm.f_mean.clear();
  for (int k = 0; k < scm.K; ++k) {
    scm.parents.push_back(scm.mask.parents(k));
    // E_C[f_k(a, C)] = sum_t c_t a^{e0} E[C^{e1}] with E[C^0] = 1, E[C^1], E[C^2] of W_k.
    const auto& W = scm.W[static_cast<std::size_t>(k)];
    const double c_moment[3] = {1.0, random::expectation(W), random::second_moment(W)};
    std::array<double, 3> q{0.0, 0.0, 0.0};
    const RandomPolynomial& f = scm.f[static_cast<std::size_t>(k)];
    for (std::size_t t = 0; t < f.n_terms(); ++t) {
      const std::uint8_t* e = f.term_exponents(t);
      q[e[0]] += f.coefficients[t] * c_moment[e[1]];
    }
    scm.f_mean.push_back(q);
  }
}

double structural_equations(const PolynomialScm& scm, const Regime& regime, const double* c,
                            const double* v, double u, const double* intervention, double* a,
                            double* scratch) {
  for (int k = 0; k < scm.K; ++k) {
    const auto ks = static_cast<std::size_t>(k);
    if (regime.intervened(k)) {
      a[k] = intervention[k];
      continue;
    }
    // g_k input: [A_parents (ascending), C_k, V_k]
    std::size_t n = 0;
    for (int j : scm.parents[ks]) scratch[n++] = a[j];
    scratch[n++] = c[k];
    scratch[n++] = v[k];
    a[k] = scm.g[ks](scratch);
  }
  // Y = sum_k f_k(A_k, C_k) + U, the f_k added in k order.
  double y = 0.0;
  for (int k = 0; k < scm.K; ++k) {
    const double x[2] = {a[k], c[k]};
    const double fk = scm.f[static_cast<std::size_t>(k)](x);
    y = (k == 0) ? fk : y + fk;
  }
  return y + u;
}

double structural_equations(const LinearScm& scm, const Regime& regime, const double* c,
                            const double* v, double u, const double* intervention, double* a) {
  const int K = scm.K;
  for (int k = 0; k < K; ++k) {
    if (regime.intervened(k)) {
      a[k] = intervention[k];
      continue;
    }
    // A_k = gamma_k C_k + sum_{j<k} delta_kj M_kj A_j + V_k (the sum over j sequential)
    double parent_sum = 0.0;
    for (int j = 0; j < k; ++j) {
      const auto kj = static_cast<std::size_t>(k * K + j);
      parent_sum += a[j] * (scm.delta[kj] * static_cast<double>(scm.mask.bits[kj]));
    }
    a[k] = (scm.gamma[static_cast<std::size_t>(k)] * c[k] + parent_sum) + v[k];
  }
  return linear_outcome(scm, a, c, u);
}

double linear_outcome(const LinearScm& scm, const double* a, const double* c, double u) {
  // Y = sum_k (alpha_k A_k + beta_k C_k) + U, the sum over k numpy's pairwise sum.
  const auto K = static_cast<std::size_t>(scm.K);
  std::array<double, 64> small{};
  std::vector<double> large(K > small.size() ? K : 0);
  double* terms = K > small.size() ? large.data() : small.data();
  for (std::size_t k = 0; k < K; ++k) terms[k] = scm.alpha[k] * a[k] + scm.beta[k] * c[k];
  return numpy_pairwise_sum(std::span<const double>(terms, K)) + u;
}

double true_interventional_mean(const PolynomialScm& scm, const double* a) {
  double mu = 0.0;
  for (int k = 0; k < scm.K; ++k) {
    const auto& q = scm.f_mean[static_cast<std::size_t>(k)];
    mu += q[0] + a[k] * (q[1] + a[k] * q[2]);
  }
  return mu + random::expectation(scm.U);
}

double true_interventional_mean(const LinearScm& scm, const double* a) {
  // E[C_k] = E[W_k] = exp(sigma_W,k^2 / 2), E[U] = exp(sigma_U^2 / 2).
  double mu = 0.0;
  for (int k = 0; k < scm.K; ++k) {
    const auto ks = static_cast<std::size_t>(k);
    const double s = scm.sigma_W[ks];
    mu += scm.alpha[ks] * a[k] + scm.beta[ks] * std::exp(s * s / 2.0);
  }
  return mu + std::exp(scm.sigma_U * scm.sigma_U / 2.0);
}

double true_interventional_mean(const Scm& scm, const double* a) {
  return std::visit([a](const auto& s) { return true_interventional_mean(s, a); }, scm);
}

}  // namespace igbench::scm
