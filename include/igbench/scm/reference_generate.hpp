#pragma once
// Data generation of the reference-exact mode: the published implementation's draws from numpy's
// global RandomState, in its order, with its bit-level arithmetic (METHOD.md sections 2-4 and 10).
//
// Polynomial SCM (each noise column through scipy's wrapper: n standard draws, then
// value * scale + loc):
//   observational  W_0..W_{K-1} (n draws each), V_0..V_{K-1}, U;
//   do(A_j)        first n values Normal(mu_j, sigma_j), then the noise as above;
//   joint          first an n x K matrix Normal(mu_k, sigma_k) row by row, then the noise (V is
//                  drawn although no equation reads it).
// Linear SCM: W as an n x K LogNormal(0, sigma_W,k) matrix row by row, V likewise, U (n); for
// interventions the intervened values LogNormal(0, sigma_int) come AFTER the noise (n, or n x K
// row by row).
// Every observational set of the polynomial SCM re-records the action moments mu_k, sigma_k that
// later interventions draw from.
//
// A data set is materialised whole: the output (A, Y, mu: n (K + 2) doubles) plus the noise
// columns and scratch (at most n (2K + 3) doubles, kept for reuse). Cost: (3K + 1) n draws plus
// the structural equations, O(n K terms).
#include <cstdint>
#include <vector>

#include "igbench/random/numpy_random_state.hpp"
#include "igbench/scm/generate.hpp"
#include "igbench/scm/scm.hpp"

namespace igbench::scm {

// The parameter draws of sample_scm() from numpy's global stream, as the reference makes them:
// np.random.choice(n) is randint(0, n), Bernoulli(p) is binomial(1, p).
class NumpyParameterSource {
 public:
  explicit NumpyParameterSource(random::NumpyRandomState& rng) : rng_(&rng) {}
  std::int64_t choice(std::int64_t n) { return rng_->randint(0, n); }
  double uniform(double low, double high) { return rng_->uniform(low, high); }
  double standard_normal() { return rng_->standard_normal(); }
  int bernoulli(double p) { return static_cast<int>(rng_->binomial(1, p)); }

 private:
  random::NumpyRandomState* rng_;
};

// One noise column of n values of a gaussian, uniform or logistic law (mean m, std s) as scipy's
// frozen distribution draws it: x = z * scale + loc with z a standard draw and
//   gaussian  loc = m, scale = s;
//   uniform   loc = m - sqrt(3) s, scale = (m + sqrt(3) s) - loc, z ~ U[0, 1);
//   logistic  loc = m, scale = (s sqrt(3)) / pi, z standard logistic.
void draw_scipy_noise(const random::NoiseSpec& law, random::NumpyRandomState& rng, double* out,
                      std::size_t n);

// mu_k = (sum_i A_ik) / n and sigma_k = sqrt(sum_i (A_ik - mu_k)^2 / n), as numpy's
// A.mean(axis=0) and A.std(axis=0) compute them: sums sequential over samples for K >= 2;
// numpy's pairwise sum for K = 1 (numpy then reduces one contiguous column). Cost O(n K).
InterventionMoments reference_action_moments(const SampleChunk& data);

// The reference's SCM object: the model, the global stream and the recorded action moments.
class ReferenceDataGenerator {
 public:
  // Before any observational set the moments are the reference's fallback: mean 0, std
  // sigma_int. The generator keeps references to `scm` and `rng`.
  ReferenceDataGenerator(const Scm& scm, random::NumpyRandomState& rng);

  // Draws n samples of `regime` into `out` (resized; A, Y and mu(A); no confounders).
  void generate(const Regime& regime, std::size_t n, SampleChunk& out);

  // The moments the next intervention draws from (polynomial SCM).
  const InterventionMoments& moments() const { return moments_; }

 private:
  void generate_polynomial(const PolynomialScm& scm, const Regime& regime, std::size_t n,
                           SampleChunk& out);
  void generate_linear(const LinearScm& scm, const Regime& regime, std::size_t n, SampleChunk& out);

  const Scm* scm_;
  random::NumpyRandomState* rng_;
  InterventionMoments moments_;
  std::vector<double> work_;  // noise columns and scratch, reused across data sets
};

}  // namespace igbench::scm
