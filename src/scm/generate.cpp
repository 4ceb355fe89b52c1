#include "igbench/scm/generate.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "igbench/random/lanes4.hpp"
#include "igbench/scm/pairwise_sum.hpp"

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
  plan_polynomials();
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

// ----- the tile --------------------------------------------------------------------------------
// generate() works on tiles of `tile_size` samples whose columns (tile_size doubles each, 1 KiB)
// stay in the L1/L2 cache from the Philox rounds to the outcome:
//   slot 0                      ones
//   slot 1 + v, v < B           uniform v of each sample, then the draw of variable v:
//                               C_k = W_k (v = k), V_k or the intervention value (K + k), U (2K)
//   1 + B + k                   A_k
//   1 + B + K + (0..3K)         squares of C_k, V_k, A_k (the polynomial terms' x^2)
//   then Y (f_1 + ... + f_K), f_k (or the linear SCM's parent sum) and one scratch column;
// Y + U and mu are written straight to the chunk's columns.
constexpr std::size_t tile_size = 128;  // a multiple of the kernels' block
constexpr std::size_t lanes = 4;         // doubles per vector register
constexpr int accumulators = 8;          // registers of the term kernel
constexpr std::size_t block = lanes * accumulators;

struct TileLayout {
  std::size_t K, B;
  explicit TileLayout(int n_actions)
      : K(static_cast<std::size_t>(n_actions)), B(2 * static_cast<std::size_t>(n_actions) + 1) {}
  static std::size_t ones() { return 0; }
  std::size_t noise(std::size_t v) const { return 1 + v; }
  std::size_t C(std::size_t k) const { return noise(k); }
  std::size_t V(std::size_t k) const { return noise(K + k); }
  std::size_t U() const { return noise(2 * K); }
  std::size_t A(std::size_t k) const { return 1 + B + k; }
  std::size_t C2(std::size_t k) const { return 1 + B + K + k; }
  std::size_t V2(std::size_t k) const { return 1 + B + 2 * K + k; }
  std::size_t A2(std::size_t k) const { return 1 + B + 3 * K + k; }
  std::size_t Y() const { return 1 + B + 4 * K; }
  std::size_t fk() const { return Y() + 1; }
  std::size_t term() const { return Y() + 2; }
  std::size_t slots() const { return Y() + 3; }
};

inline double* column(double* tile, std::size_t slot) { return tile + slot * tile_size; }
inline const double* column(const double* tile, std::size_t slot) { return tile + slot * tile_size; }

std::size_t round_up_to_block(std::size_t m) { return (m + block - 1) / block * block; }

// ----- polynomial terms --------------------------------------------------------------------------

using lanes4::f64x4;
using lanes4::load4;
using lanes4::store4;

// out[i] = sum_t term_t(i), the terms added to 0 in order (add: out[i] + that sum), for
// i < m16 (a multiple of `block`), 32 samples per pass in eight 4-lane accumulators held in
// registers (enough independent additions to hide their latency, the per-term loads of c and
// the offsets spread over 32 samples).
// Term by term the roundings of RandomPolynomial::operator() (see ColumnTerm: factors 1 are
// skipped, multiplying by 1 being exact). Cost: 3 flops per product or square term and sample, 2
// per linear term, 1 for the constant.
void evaluate_terms(const std::vector<detail::ColumnTerm>& terms, const double* tile, std::size_t m16,
                    double* out, bool add) {
  for (std::size_t i = 0; i < m16; i += block) {
    f64x4 acc[accumulators] = {};
    for (const detail::ColumnTerm& t : terms) {
      const double* xp = tile + t.p + i;
      const double* xq = tile + t.q + i;
      switch (t.kind) {
        case detail::ColumnTerm::product:
          for (int v = 0; v < accumulators; ++v) acc[v] += (t.c * load4(xp + lanes * v)) * load4(xq + lanes * v);
          break;
        case detail::ColumnTerm::square:
          for (int v = 0; v < accumulators; ++v) {
            const f64x4 x = load4(xp + lanes * v);
            acc[v] += t.c * (x * x);
          }
          break;
        case detail::ColumnTerm::linear:
          for (int v = 0; v < accumulators; ++v) acc[v] += t.c * load4(xp + lanes * v);
          break;
        case detail::ColumnTerm::constant:
          for (int v = 0; v < accumulators; ++v) acc[v] += t.c;
          break;
      }
    }
    for (int v = 0; v < accumulators; ++v) {
      double* o = out + i + lanes * v;
      store4(o, add ? load4(o) + acc[v] : acc[v]);
    }
  }
}

void square(const double* x, std::size_t m, double* x2) {
  for (std::size_t i = 0; i < m; ++i) x2[i] = x[i] * x[i];
}

// The ColumnTerm form of p with input j in column x_slot[j] and its square in x2_slot[j]: a term
// c x_a^e_a x_b^e_b (at most two factors, exponents <= 2) is (c * x_a^e_a) * x_b^e_b, with the
// column of ones for missing factors; a lone square c x_a^2 reads x_a itself. False when a term
// has another form. Sets uses_squares when a product term reads a column of squares.
bool plan_terms(const RandomPolynomial& p, const std::vector<std::size_t>& x_slot,
                const std::vector<std::size_t>& x2_slot, std::vector<detail::ColumnTerm>& terms,
                bool& uses_squares) {
  terms.clear();
  if (static_cast<std::size_t>(p.n_inputs) != x_slot.size()) return false;
  const auto offset = [](std::size_t slot) { return static_cast<std::uint32_t>(slot * tile_size); };
  for (std::size_t t = 0; t < p.n_terms(); ++t) {
    const std::uint8_t* e = p.term_exponents(t);
    std::size_t slot[2] = {TileLayout::ones(), TileLayout::ones()}, lone = 0;
    int n_factors = 0;
    bool squared = false;
    for (std::size_t j = 0; j < x_slot.size(); ++j) {
      if (e[j] == 0) continue;
      if (n_factors == 2 || e[j] > 2) return false;
      squared = squared || e[j] == 2;
      lone = x_slot[j];
      slot[n_factors++] = e[j] == 1 ? x_slot[j] : x2_slot[j];
    }
    const double c = p.coefficients[t];
    using T = detail::ColumnTerm;
    if (n_factors == 0)
      terms.push_back({c, offset(slot[0]), offset(slot[1]), T::constant});
    else if (n_factors == 1)
      terms.push_back({c, offset(lone), offset(TileLayout::ones()), squared ? T::square : T::linear});
    else
      terms.push_back({c, offset(slot[0]), offset(slot[1]), T::product});
    uses_squares = uses_squares || (n_factors == 2 && squared);
  }
  return true;
}

}  // namespace

void DataSetGenerator::plan_polynomials() {
  planned_ = false;
  const auto* p = std::get_if<PolynomialScm>(scm_);
  if (p == nullptr) return;
  const TileLayout L(p->K);
  g_terms_.assign(L.K, {});
  f_terms_.assign(L.K, {});
  bool ok = true;
  squares_ = false;
  for (std::size_t k = 0; k < L.K; ++k) {
    // g_k input: [A_parents (ascending), C_k, V_k]; f_k input: [A_k, C_k]
    std::vector<std::size_t> x, x2;
    for (int j : p->parents[k]) {
      x.push_back(L.A(static_cast<std::size_t>(j)));
      x2.push_back(L.A2(static_cast<std::size_t>(j)));
    }
    x.insert(x.end(), {L.C(k), L.V(k)});
    x2.insert(x2.end(), {L.C2(k), L.V2(k)});
    ok = ok && plan_terms(p->g[k], x, x2, g_terms_[k], squares_);
    ok = ok && plan_terms(p->f[k], {L.A(k), L.C(k)}, {L.A2(k), L.C2(k)}, f_terms_[k], squares_);
  }
  planned_ = ok;
}

void DataSetGenerator::generate(std::uint64_t first, std::size_t n, SampleChunk& out) const {
  const int K = action_count(*scm_);
  out.resize(n, K, keep_confounders_);
  const TileLayout L(K);
  at_least(out.work, L.slots() * tile_size);
  std::fill_n(column(out.work.data(), TileLayout::ones()), tile_size, 1.0);
  for (std::size_t t0 = 0; t0 < n; t0 += tile_size)
    generate_tile(first + t0, t0, std::min(tile_size, n - t0), out);
}

// Samples first .. first + m - 1 (m <= tile_size) into rows t0 .. t0 + m - 1 of out.
void DataSetGenerator::generate_tile(std::uint64_t first, std::size_t t0, std::size_t m, SampleChunk& out) const {
  const TileLayout L(out.K);
  double* tile = out.work.data();
  stream_.fill_uniform_columns(first, m, L.B, column(tile, L.noise(0)), tile_size);
  for (std::size_t v = 0; v < L.B; ++v) random::draw_in_place(laws_[v], column(tile, L.noise(v)), m);
  if (const auto* p = std::get_if<PolynomialScm>(scm_))
    polynomial_tile(*p, m, tile, out.Y.data() + t0, out.mu.data() + t0);
  else
    linear_tile(std::get<LinearScm>(*scm_), m, tile, out.Y.data() + t0, out.mu.data() + t0);
  const auto copy = [&](std::size_t slot, double* dst) { std::copy_n(column(tile, slot), m, dst + t0); };
  for (std::size_t k = 0; k < L.K; ++k) copy(L.A(k), out.action(static_cast<int>(k)));
  if (keep_confounders_) {
    for (std::size_t k = 0; k < L.K; ++k) copy(L.C(k), out.C.data() + k * out.n);
    copy(L.U(), out.U.data());
  }
}

void DataSetGenerator::polynomial_tile(const PolynomialScm& p, std::size_t m, double* tile, double* y_out,
                                       double* mu) const {
  const TileLayout L(p.K);
  // the term kernel runs over whole blocks of rows; rows m .. m16 - 1 hold stale values of
  // earlier tiles (or zeros), computed on and never copied out
  const std::size_t m16 = planned_ ? round_up_to_block(m) : m;
  const auto col = [&](std::size_t slot) { return column(tile, slot); };
  const bool squares = planned_ && squares_;  // columns of squares for product terms (order > 2)
  if (squares)
    for (std::size_t k = 0; k < L.K; ++k) {
      square(col(L.C(k)), m16, col(L.C2(k)));
      square(col(L.V(k)), m16, col(L.V2(k)));
    }
  // A_k = g_k(A_parents(k), C_k, V_k) in k order, or the intervention value
  std::vector<const double*> inputs;
  for (std::size_t k = 0; k < L.K; ++k) {
    double* a = col(L.A(k));
    if (regime_.intervened(static_cast<int>(k))) {
      std::copy_n(col(L.V(k)), m16, a);
    } else if (planned_) {
      evaluate_terms(g_terms_[k], tile, m16, a, false);
    } else {
      inputs.clear();
      for (int j : p.parents[k]) inputs.push_back(col(L.A(static_cast<std::size_t>(j))));
      inputs.insert(inputs.end(), {col(L.C(k)), col(L.V(k))});
      p.g[k].evaluate_columns(inputs.data(), m, a, col(L.term()));
    }
    if (squares) square(a, m16, col(L.A2(k)));
  }
  // Y = ((f_0 + f_1) + ...) + U
  double* y = col(L.Y());
  for (std::size_t k = 0; k < L.K; ++k) {
    if (planned_) {
      evaluate_terms(f_terms_[k], tile, m16, y, k > 0);
      continue;
    }
    const double* x[2] = {col(L.A(k)), col(L.C(k))};
    double* fk = col(L.fk());
    p.f[k].evaluate_columns(x, m, k == 0 ? y : fk, col(L.term()));
    if (k > 0)
      for (std::size_t i = 0; i < m; ++i) y[i] += fk[i];
  }
  const double* u = col(L.U());
  for (std::size_t i = 0; i < m; ++i) y_out[i] = y[i] + u[i];
  interventional_mean(p, tile, m, mu);
}

// mu(a) = ((0 + m_0(a_0)) + m_1(a_1)) + ... + E[U], m_k(a) = q0 + a (q1 + a q2), as
// true_interventional_mean; `block` rows per pass with the sums in registers (no pass over mu
// per k), the last m mod block rows one by one.
void DataSetGenerator::interventional_mean(const PolynomialScm& p, const double* tile, std::size_t m,
                                           double* mu) const {
  const TileLayout L(p.K);
  const double eu = random::expectation(p.U);
  std::size_t i = 0;
  for (; i + block <= m; i += block) {
    f64x4 acc[accumulators] = {};
    for (std::size_t k = 0; k < L.K; ++k) {
      const auto& q = p.f_mean[k];
      const double* a = column(tile, L.A(k)) + i;
      for (int v = 0; v < accumulators; ++v) {
        const f64x4 x = load4(a + lanes * v);
        acc[v] += q[0] + x * (q[1] + x * q[2]);
      }
    }
    for (int v = 0; v < accumulators; ++v) store4(mu + i + lanes * v, acc[v] + eu);
  }
  for (; i < m; ++i) {
    double sum = 0.0;
    for (std::size_t k = 0; k < L.K; ++k) {
      const auto& q = p.f_mean[k];
      const double x = column(tile, L.A(k))[i];
      sum += q[0] + x * (q[1] + x * q[2]);
    }
    mu[i] = sum + eu;
  }
}

void DataSetGenerator::linear_tile(const LinearScm& l, std::size_t m, double* tile, double* y, double* mu) const {
  const TileLayout L(l.K);
  const std::size_t K = L.K;
  const auto col = [&](std::size_t slot) { return column(tile, slot); };
  // A_k = (gamma_k C_k + sum_{j<k} A_j (delta_kj M_kj)) + V_k, the sum sequential from j = 0 (each
  // product rounded before its sum: igbench_codegen compiles with -ffp-contract=off)
  double* parent_sum = col(L.fk());
  for (std::size_t k = 0; k < K; ++k) {
    double* ak = col(L.A(k));
    const double* vk = col(L.V(k));
    if (regime_.intervened(static_cast<int>(k))) {
      std::copy_n(vk, m, ak);
      continue;
    }
    std::fill_n(parent_sum, m, 0.0);
    for (std::size_t j = 0; j < k; ++j) {
      const double w = l.delta[k * K + j] * static_cast<double>(l.mask.bits[k * K + j]);
      const double* aj = col(L.A(j));
      for (std::size_t i = 0; i < m; ++i) parent_sum[i] += aj[i] * w;
    }
    const double g = l.gamma[k];
    const double* ck = col(L.C(k));
    for (std::size_t i = 0; i < m; ++i) ak[i] = (g * ck[i] + parent_sum[i]) + vk[i];
  }
  // Y = sum_k (alpha_k A_k + beta_k C_k) + U (numpy's pairwise sum over k), per sample: the terms
  // as columns (in the slots of the polynomial SCM's squares, unused here), summed column-wise
  const double* u = col(L.U());
  if (K <= pairwise_columns_max) {
    std::vector<double*> terms(K);
    for (std::size_t k = 0; k < K; ++k) {
      double* t = terms[k] = col(L.C2(k));
      const double alpha = l.alpha[k], beta = l.beta[k];
      const double* ak = col(L.A(k));
      const double* ck = col(L.C(k));
      for (std::size_t i = 0; i < m; ++i) t[i] = alpha * ak[i] + beta * ck[i];
    }
    numpy_pairwise_sum_columns(terms.data(), K, m, y);
    for (std::size_t i = 0; i < m; ++i) y[i] += u[i];
  } else {
    std::vector<double> a(K), c(K);
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t k = 0; k < K; ++k) {
        a[k] = col(L.A(k))[i];
        c[k] = col(L.C(k))[i];
      }
      y[i] = linear_outcome(l, a.data(), c.data(), u[i]);
    }
  }
  // mu(a) = sum_k (alpha_k a_k + beta_k exp(sigma_W,k^2 / 2)) + exp(sigma_U^2 / 2), as
  // true_interventional_mean (the same arguments of exp, hence the same values)
  std::fill_n(mu, m, 0.0);
  for (std::size_t k = 0; k < K; ++k) {
    const double s = l.sigma_W[k];
    const double mean_ck = std::exp(s * s / 2.0);
    const double alpha = l.alpha[k], beta = l.beta[k];
    const double* ak = col(L.A(k));
    for (std::size_t i = 0; i < m; ++i) mu[i] += alpha * ak[i] + beta * mean_ck;
  }
  const double eu = std::exp(l.sigma_U * l.sigma_U / 2.0);
  for (std::size_t i = 0; i < m; ++i) mu[i] += eu;
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
