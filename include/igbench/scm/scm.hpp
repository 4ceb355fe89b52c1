#pragma once
// The synthetic structural causal models of METHOD.md sections 3-5.
//
// Polynomial SCM (the paper's default), for k = 0..K-1 in order:
//   C_k = W_k,  A_k = g_k(A_parents(k), C_k, V_k),  Y = sum_k f_k(A_k, C_k) + U,
// with f_k, g_k random polynomials of order 2. Linear SCM:
//   C_k = W_k,  A_k = gamma_k C_k + sum_{j<k} delta_kj M_kj A_j + V_k,
//   Y = sum_k (alpha_k A_k + beta_k C_k) + U,  W, V, U lognormal.
// Regimes: observational; single intervention do(A_j); joint intervention do(A_0..A_{K-1}).
// The true interventional mean mu(a) = E[Y | do(a)] = sum_k E_C[f_k(a_k, C_k)] + E[U].
#include <array>
#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

#include "igbench/random/distributions.hpp"
#include "igbench/scm/random_polynomial.hpp"

namespace igbench::scm {

enum class ScmType { polynomial, linear };
std::string_view scm_type_name(ScmType t);
ScmType parse_scm_type(std::string_view name);  // throws std::invalid_argument

// Strictly lower-triangular K x K edge mask, row-major: edge(k, j) = 1 means A_j -> A_k (j < k).
struct EdgeMask {
  int K = 0;
  std::vector<std::uint8_t> bits;
  bool edge(int k, int j) const { return bits[static_cast<std::size_t>(k * K + j)] != 0; }
  std::vector<int> parents(int k) const;  // ascending j with edge(k, j)
};

struct PolynomialScm {
  int K = 0;
  std::vector<random::NoiseSpec> W;  // confounder noise, mean 0, std 0.5
  std::vector<random::NoiseSpec> V;  // action noise, mean 0, std 0.1
  random::NoiseSpec U;               // outcome noise, mean 0, std 0.1
  EdgeMask mask;                     // Bernoulli(0.3) below the diagonal
  double sigma_int = 0.1;            // drawn for fidelity; unused once observational data exists
  std::vector<RandomPolynomial> f;   // f_k(a_k, c_k)
  std::vector<RandomPolynomial> g;   // g_k(a_parents..., c_k, v_k)
  // Derived: E_C[f_k(a, C_k)] = f_mean[k][0] + f_mean[k][1] a + f_mean[k][2] a^2.
  std::vector<std::array<double, 3>> f_mean;
  std::vector<std::vector<int>> parents;
};

struct LinearScm {
  int K = 0;
  std::vector<double> sigma_W, sigma_V;  // lognormal log-scale parameters
  double sigma_U = 1.0;
  std::vector<double> alpha, beta, gamma;
  std::vector<double> delta;  // K x K row-major, zero on and above the diagonal
  EdgeMask mask;              // Bernoulli(0.5) below the diagonal
  double sigma_int = 1.0;     // intervened actions ~ LogNormal(0, sigma_int)
};

using Scm = std::variant<PolynomialScm, LinearScm>;

int action_count(const Scm& scm);
ScmType scm_type(const Scm& scm);

// Fills the derived members (parents, f_mean) from the sampled ones.
void finalise(PolynomialScm& scm);

// A source of the draws that sample a model's parameters, in the reference's order: the fast
// mode reads a Philox stream, the reference-exact mode numpy's RandomState.
template <class S>
concept ParameterSource = requires(S s, double x, std::int64_t n) {
  { s.choice(n) } -> std::convertible_to<std::int64_t>;   // uniform index in [0, n)
  { s.uniform(x, x) } -> std::convertible_to<double>;     // low + (high - low) u
  { s.standard_normal() } -> std::convertible_to<double>;
  { s.bernoulli(x) } -> std::convertible_to<int>;
};

// Sampling in the draw order of METHOD.md section 10 (identical for both sources).
template <ParameterSource S>
PolynomialScm sample_polynomial_scm(int K, S& source);
template <ParameterSource S>
LinearScm sample_linear_scm(int K, S& source);
template <ParameterSource S>
Scm sample_scm(ScmType type, int K, S& source) {
  if (type == ScmType::linear) return sample_linear_scm(K, source);
  return sample_polynomial_scm(K, source);
}

// ----- regimes and generation ------------------------------------------------------------

enum class RegimeKind { observational, single_intervention, joint_intervention };

struct Regime {
  RegimeKind kind = RegimeKind::observational;
  int action = 0;  // the intervened action for single_intervention
  bool intervened(int k) const {
    return kind == RegimeKind::joint_intervention ||
           (kind == RegimeKind::single_intervention && k == action);
  }
};

// mu_k and sigma_k (population std) of every action over a whole observational sample: the
// polynomial SCM's interventions draw A_k ~ Normal(mu_k, sigma_k).
struct InterventionMoments {
  std::vector<double> mean;
  std::vector<double> std;
};

// The structural equations for one sample, given its noise and intervention values:
// c, v, intervention (K each; intervention[k] read only where the regime intervenes) and u.
// Writes a (K) and returns y. `scratch` holds >= K + 1 doubles.
double structural_equations(const PolynomialScm& scm, const Regime& regime, const double* c,
                            const double* v, double u, const double* intervention, double* a,
                            double* scratch);
double structural_equations(const LinearScm& scm, const Regime& regime, const double* c,
                            const double* v, double u, const double* intervention, double* a);

// The linear SCM's outcome given actions, confounders and U.
double linear_outcome(const LinearScm& scm, const double* a, const double* c, double u);

// mu(a) = E[Y | do(a)] (METHOD.md section 5). Cost O(K).
double true_interventional_mean(const PolynomialScm& scm, const double* a);
double true_interventional_mean(const LinearScm& scm, const double* a);
double true_interventional_mean(const Scm& scm, const double* a);

}  // namespace igbench::scm

#include "igbench/scm/sampling.ipp"
