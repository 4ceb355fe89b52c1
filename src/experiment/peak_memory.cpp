#include "igbench/experiment/peak_memory.hpp"

#include <algorithm>

#include "igbench/experiment/accumulate.hpp"
#include "igbench/features/polynomial_features.hpp"

namespace igbench::experiment {

namespace {
constexpr std::int64_t process_base_bytes = std::int64_t{20} << 20;
// Matrices a cross-validated fit holds at once (training moments, Gram, its scaled copy, the
// shifted Gram, the Cholesky factor, the refit's merged moments).
constexpr std::int64_t matrices_per_fit = 6;
// Pending chunk moments and merge-stack entries of the accumulation, per thread.
constexpr std::int64_t matrices_per_accumulating_thread = 3;
}  // namespace

std::int64_t moment_matrix_bytes(int K, int n_order_fit) {
  const std::int64_t dim = features::feature_count(K, n_order_fit) + 1;
  return dim * dim * static_cast<std::int64_t>(sizeof(double));
}

std::int64_t estimated_peak_bytes(const RunSpec& spec, int threads) {
  const std::int64_t T = std::max(1, threads);
  const std::int64_t m = moment_matrix_bytes(spec.K, spec.n_order_fit);
  const std::int64_t dim = features::feature_count(spec.K, spec.n_order_fit) + 1;
  // per thread: the chunk's samples (A, Y, mu and the generator's scratch, ~(5K + 6) columns)
  // and its moment vectors Z (dim columns)
  const std::int64_t chunk_bytes =
      samples_per_chunk * (dim + 5 * static_cast<std::int64_t>(spec.K) + 6) * static_cast<std::int64_t>(sizeof(double));
  std::int64_t matrices = 0;
  if (spec.rng == RngMode::reference) {
    // every data set's 4 parts (obs, K single, joint) and one fit at a time
    matrices = 4 * (spec.K + 2) + matrices_per_fit + matrices_per_accumulating_thread * T;
    const std::int64_t largest = std::max({spec.N_obs, spec.N_sint, spec.N_jint});
    const std::int64_t data = largest * (3 * static_cast<std::int64_t>(spec.K) + 5) * 8 + largest * 8;
    return process_base_bytes + matrices * m + T * chunk_bytes + data;
  }
  // pooled (or observational) folds 3, the group's sets 4 each, its fits, the accumulation
  matrices = 3 + 4 * T + matrices_per_fit * T + matrices_per_accumulating_thread * T;
  return process_base_bytes + matrices * m + T * chunk_bytes;
}

}  // namespace igbench::experiment
