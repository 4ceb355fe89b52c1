#include "igbench/experiment/peak_memory.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "igbench/experiment/accumulate.hpp"
#include "igbench/features/polynomial_features.hpp"

namespace igbench::experiment {

namespace {
constexpr std::int64_t process_base_bytes = std::int64_t{20} << 20;
// Matrices a cross-validated fit holds at once (training moments, Gram, its scaled copy, the
// shifted Gram, the Cholesky factor, the refit's merged moments).
constexpr double matrices_per_fit = 6.0;
// Pending chunk moments and merge-stack entries of the accumulation, per thread.
constexpr double matrices_per_accumulating_thread = 3.0;
}  // namespace

// Computed in double and saturated at the largest int64: an infeasible K (1000 and beyond) must
// give a huge estimate, never an overflow.
std::int64_t saturated(double bytes) {
  constexpr double largest = 9.2e18;
  return bytes >= largest ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(bytes);
}

std::int64_t moment_matrix_bytes(int K, int n_order_fit) {
  const double dim = std::round(std::exp(std::lgamma(K + n_order_fit + 1.0) - std::lgamma(K + 1.0) -
                                         std::lgamma(n_order_fit + 1.0))) + 1.0;
  return saturated(dim * dim * static_cast<double>(sizeof(double)));
}

std::int64_t estimated_peak_bytes(const RunSpec& spec, int threads) {
  const double T = std::max(1, threads);
  const double K = spec.K;
  const double m = static_cast<double>(moment_matrix_bytes(spec.K, spec.n_order_fit));
  const double dim = std::sqrt(m / static_cast<double>(sizeof(double)));
  // per thread: the chunk's samples (A, Y, mu and the generator's scratch, ~(5K + 6) columns)
  // and its moment vectors Z (dim columns)
  const double chunk_bytes = static_cast<double>(samples_per_chunk) * (dim + 5.0 * K + 6.0) * sizeof(double);
  const double base = static_cast<double>(process_base_bytes);
  if (spec.rng == RngMode::reference) {
    // every data set's 4 parts (obs, K single, joint) and one fit at a time
    const double matrices = 4.0 * (K + 2.0) + matrices_per_fit + matrices_per_accumulating_thread * T;
    const double largest = static_cast<double>(std::max({spec.N_obs, spec.N_sint, spec.N_jint}));
    const double data = largest * (3.0 * K + 5.0) * 8.0 + largest * 8.0;
    return saturated(base + matrices * m + T * chunk_bytes + data);
  }
  // pooled (or observational) folds 3, the group's sets 4 each, its fits, the accumulation, and
  // the pairwise merge stacks of the sets being reduced: a part of c chunks holds at most
  // bit_width(c) pending accumulators, so memory grows with log2(N), not N (4 parts a set).
  const std::int64_t largest = std::max({spec.N_obs, spec.N_sint, spec.N_jint, std::int64_t{1}});
  const auto chunks = static_cast<std::uint64_t>((largest + samples_per_chunk - 1) / samples_per_chunk);
  const double stack = 4.0 * static_cast<double>(std::bit_width(std::max<std::uint64_t>(chunks, 1)));
  const double matrices = 3.0 + 4.0 * T + matrices_per_fit * T + matrices_per_accumulating_thread * T + stack * T;
  return saturated(base + matrices * m + T * chunk_bytes);
}

}  // namespace igbench::experiment
