// Parameter sampling of both SCMs (templates; included by scm.hpp). Draw order of METHOD.md
// section 10, so that a numpy RandomState source replays the reference exactly.
#pragma once

namespace igbench::scm {

namespace detail {
// W, V and U families in {gaussian, uniform, logistic}: index 0, 1, 2 of the reference's enum.
inline random::Family family_from_index(std::int64_t i) {
  return static_cast<random::Family>(static_cast<int>(i));
}

template <class S>
EdgeMask sample_edge_mask(int K, double p_edge, S& source) {
  EdgeMask m;
  m.K = K;
  m.bits.assign(static_cast<std::size_t>(K * K), 0);
  // All K^2 elements are drawn row by row; only the strict lower triangle is kept.
  for (int k = 0; k < K; ++k)
    for (int j = 0; j < K; ++j) {
      const int b = source.bernoulli(p_edge);
      if (j < k) m.bits[static_cast<std::size_t>(k * K + j)] = static_cast<std::uint8_t>(b);
    }
  return m;
}

template <class S>
RandomPolynomial sample_random_polynomial(int n_inputs, int order, S& source) {
  std::vector<double> z(monomial_count(n_inputs, order));
  for (double& zi : z) zi = source.standard_normal();
  return make_random_polynomial(n_inputs, order, z);
}
}  // namespace detail

template <ParameterSource S>
PolynomialScm sample_polynomial_scm(int K, S& source) {
  PolynomialScm scm;
  scm.K = K;
  for (int k = 0; k < K; ++k) {
    const auto w_family = detail::family_from_index(source.choice(3));
    const double w_std = source.uniform(0.5, 0.5);
    const auto v_family = detail::family_from_index(source.choice(3));
    const double v_std = source.uniform(0.1, 0.1);
    scm.W.push_back({w_family, 0.0, w_std});
    scm.V.push_back({v_family, 0.0, v_std});
  }
  const auto u_family = detail::family_from_index(source.choice(3));
  scm.U = {u_family, 0.0, source.uniform(0.1, 0.1)};
  scm.mask = detail::sample_edge_mask(K, 0.3, source);
  scm.sigma_int = source.uniform(0.1, 0.1);
  constexpr int order = 2;
  for (int k = 0; k < K; ++k) scm.f.push_back(detail::sample_random_polynomial(2, order, source));
  for (int k = 0; k < K; ++k) {
    const int n_parents = static_cast<int>(scm.mask.parents(k).size());
    scm.g.push_back(detail::sample_random_polynomial(n_parents + 2, order, source));
  }
  finalise(scm);
  return scm;
}

template <ParameterSource S>
LinearScm sample_linear_scm(int K, S& source) {
  LinearScm scm;
  scm.K = K;
  auto uniforms = [&](int n, double lo, double hi) {
    std::vector<double> x(static_cast<std::size_t>(n));
    for (double& xi : x) xi = source.uniform(lo, hi);
    return x;
  };
  scm.sigma_W = uniforms(K, 0.5, 1.5);
  scm.sigma_V = uniforms(K, 0.5, 1.5);
  scm.sigma_U = source.uniform(0.5, 1.5);
  scm.alpha = uniforms(K, 0.5, 1.5);
  scm.beta = uniforms(K, 0.5, 1.5);
  scm.gamma = uniforms(K, 0.5, 1.5);
  scm.delta = uniforms(K * K, -0.5, 0.5);  // all K^2 drawn, the strict lower triangle kept
  for (int k = 0; k < K; ++k)
    for (int j = k; j < K; ++j) scm.delta[static_cast<std::size_t>(k * K + j)] = 0.0;
  scm.mask = detail::sample_edge_mask(K, 0.5, source);
  scm.sigma_int = source.uniform(0.5, 1.5);
  return scm;
}

}  // namespace igbench::scm
