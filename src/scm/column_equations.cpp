#include "igbench/scm/column_equations.hpp"

#include "igbench/random/rounded.hpp"

namespace igbench::scm {

using random::rounded;

void polynomial_actions(const PolynomialScm& scm, const Regime& regime, std::size_t n, const double* C,
                        const double* V, SampleChunk& out, double* term) {
  std::vector<const double*> inputs;
  for (int k = 0; k < scm.K; ++k) {
    if (regime.intervened(k)) continue;
    const auto ks = static_cast<std::size_t>(k);
    inputs.clear();  // g_k input: [A_parents (ascending), C_k, V_k]
    for (int j : scm.parents[ks]) inputs.push_back(out.action(j));
    inputs.push_back(C + ks * n);
    inputs.push_back(V + ks * n);
    scm.g[ks].evaluate_columns(inputs.data(), n, out.action(k), term);
  }
}

void polynomial_outcome(const PolynomialScm& scm, std::size_t n, const double* C, const double* U,
                        SampleChunk& out, double* term, double* fk) {
  double* y = out.Y.data();
  for (int k = 0; k < scm.K; ++k) {
    const auto ks = static_cast<std::size_t>(k);
    const double* x[2] = {out.action(k), C + ks * n};
    scm.f[ks].evaluate_columns(x, n, k == 0 ? y : fk, term);
    if (k > 0)
      for (std::size_t i = 0; i < n; ++i) y[i] += fk[i];
  }
  for (std::size_t i = 0; i < n; ++i) y[i] += U[i];
}

void linear_actions(const LinearScm& scm, const Regime& regime, std::size_t n, const double* C,
                    const double* V, SampleChunk& out, double* parent_sum) {
  const auto K = static_cast<std::size_t>(scm.K);
  for (std::size_t k = 0; k < K; ++k) {
    if (regime.intervened(static_cast<int>(k))) continue;
    for (std::size_t i = 0; i < n; ++i) parent_sum[i] = 0.0;
    for (std::size_t j = 0; j < k; ++j) {
      const double w = scm.delta[k * K + j] * static_cast<double>(scm.mask.bits[k * K + j]);
      const double* aj = out.action(static_cast<int>(j));
      for (std::size_t i = 0; i < n; ++i) parent_sum[i] += rounded(aj[i] * w);
    }
    const double g = scm.gamma[k];
    const double* ck = C + k * n;
    const double* vk = V + k * n;
    double* ak = out.action(static_cast<int>(k));
    for (std::size_t i = 0; i < n; ++i) ak[i] = (rounded(g * ck[i]) + parent_sum[i]) + vk[i];
  }
}

void linear_outcome_columns(const LinearScm& scm, std::size_t n, const double* C, const double* U,
                            SampleChunk& out) {
  const auto K = static_cast<std::size_t>(scm.K);
  std::vector<double> a(K), c(K);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < K; ++k) {
      a[k] = out.action(static_cast<int>(k))[i];
      c[k] = C[k * n + i];
    }
    out.Y[i] = linear_outcome(scm, a.data(), c.data(), U[i]);
  }
}

void true_mean_columns(const Scm& scm, SampleChunk& out) {
  const std::size_t n = out.n;
  double* mu = out.mu.data();
  if (const auto* p = std::get_if<PolynomialScm>(&scm)) {
    // mu(a) = sum_k (q0 + a (q1 + a q2)) + E[U]
    for (std::size_t i = 0; i < n; ++i) mu[i] = 0.0;
    for (int k = 0; k < p->K; ++k) {
      const auto& q = p->f_mean[static_cast<std::size_t>(k)];
      const double* a = out.action(k);
      for (std::size_t i = 0; i < n; ++i) mu[i] += q[0] + a[i] * (q[1] + a[i] * q[2]);
    }
    const double eu = random::expectation(p->U);
    for (std::size_t i = 0; i < n; ++i) mu[i] += eu;
    return;
  }
  std::vector<double> a(static_cast<std::size_t>(out.K));
  for (std::size_t i = 0; i < n; ++i) {
    for (int k = 0; k < out.K; ++k) a[static_cast<std::size_t>(k)] = out.action(k)[i];
    mu[i] = true_interventional_mean(scm, a.data());
  }
}

}  // namespace igbench::scm
